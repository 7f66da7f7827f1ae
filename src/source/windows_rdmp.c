/* DumpType 8, 9, 0xA ("RDMP", written by newer dbgeng and Windows): a
 * second header at 0x2000, then metadata ranges {PageFileNumber,
 * NumberOfPages}; the pages of the ranges follow one another from
 * FirstPageOffset, range after range (dump-formats.md §5.3, from
 * kdmp-parser, the only public reader). */
#include <inttypes.h>

#include "run_table.h"
#include "windows_header.h"

/* RDMP_HEADER64 at 0x2000 (§5.3) and what follows it. */
enum {
	RDMP_MARKER_OFFSET = 0x2000,    /* ULONG, 0x40 */
	RDMP_SIGNATURE_OFFSET = 0x2004, /* "RDMP" */
	RDMP_VALID_DUMP_OFFSET = 0x2008, /* "DUMP" */
	RDMP_METADATA_SIZE_OFFSET = 0x2010,
	RDMP_FIRST_PAGE_OFFSET = 0x2018,
	/* FULL_RDMP_HEADER64 (0xA): NumberOfRanges ULONG @0x2020, two USHORTs,
	 * TotalNumberOfPages ULONG64 @0x2028.  KERNEL_RDMP_HEADER64 (8, 9): two
	 * unknown ULONG64s there instead.  Both: metadata at 0x2030. */
	RDMP_TOTAL_PAGES_OFFSET = 0x2028,
	RDMP_METADATA_OFFSET = 0x2030,
	RDMP_MARKER = 0x40,
	RANGE_SIZE = 16,
};

static bool probe_rdmp_dump(const unsigned char *head, size_t length)
{
	bool is64;
	uint32_t type;
	return windows_probe_header(head, length, &is64, &type) && is64 &&
	       (type == WINDOWS_DUMP_KERNEL_MEMORY || type == WINDOWS_DUMP_KERNEL_AND_USER_MEMORY ||
		type == WINDOWS_DUMP_COMPLETE_MEMORY);
}

static struct error *check_rdmp_header(const struct dump *dump, uint64_t *metadata_size,
				       uint64_t *first_page)
{
	if (!dump_holds(dump, 0, RDMP_METADATA_OFFSET))
		return error_at_offset(ERROR_TRUNCATED, dump->path, dump->size,
				       "the file ends inside the RDMP header at 0x2000");
	uint32_t marker = dump_u32(dump, RDMP_MARKER_OFFSET);
	if (marker != RDMP_MARKER)
		return error_at_offset(ERROR_FORMAT, dump->path, RDMP_MARKER_OFFSET,
				       "RDMP header Marker is 0x%" PRIx32 ", not 0x40", marker);
	if (!dump_tag_is(dump->bytes + RDMP_SIGNATURE_OFFSET, "RDMP"))
		return error_at_offset(ERROR_FORMAT, dump->path, RDMP_SIGNATURE_OFFSET,
				       "RDMP header Signature is 0x%08" PRIx32 ", not \"RDMP\"",
				       dump_u32(dump, RDMP_SIGNATURE_OFFSET));
	if (!dump_tag_is(dump->bytes + RDMP_VALID_DUMP_OFFSET, "DUMP"))
		return error_at_offset(ERROR_FORMAT, dump->path, RDMP_VALID_DUMP_OFFSET,
				       "RDMP header ValidDump is 0x%08" PRIx32 ", not \"DUMP\"",
				       dump_u32(dump, RDMP_VALID_DUMP_OFFSET));
	*metadata_size = dump_u64(dump, RDMP_METADATA_SIZE_OFFSET);
	*first_page = dump_u64(dump, RDMP_FIRST_PAGE_OFFSET);
	/* kdmp-parser's sanity check: MetadataSize - 0x20 == FirstPageOffset - 0x2040. */
	if (*metadata_size < 0x20 || *first_page < 0x2040 ||
	    *metadata_size - 0x20 != *first_page - 0x2040)
		return error_at_offset(ERROR_FORMAT, dump->path, RDMP_METADATA_SIZE_OFFSET,
				       "MetadataSize 0x%" PRIx64 " and FirstPageOffset 0x%" PRIx64
				       " disagree (MetadataSize - 0x20 must equal FirstPageOffset - 0x2040)",
				       *metadata_size, *first_page);
	if (*first_page > dump->size)
		return error_at_offset(ERROR_TRUNCATED, dump->path, RDMP_FIRST_PAGE_OFFSET,
				       "FirstPageOffset 0x%" PRIx64 " lies past the end of the file (0x%"
				       PRIx64 " bytes)", *first_page, dump->size);
	return NULL;
}

static struct error *open_rdmp_dump(struct dump *dump)
{
	struct windows_header header;
	struct error *error = windows_header_read(dump, &header);
	if (error)
		return error;
	uint64_t metadata_size = 0, first_page = 0;
	error = check_rdmp_header(dump, &metadata_size, &first_page);
	if (error)
		return error;
	bool complete = header.dump_type == WINDOWS_DUMP_COMPLETE_MEMORY;
	uint64_t total_pages = complete ? dump_u64(dump, RDMP_TOTAL_PAGES_OFFSET) : UINT64_MAX;
	/* The ranges lie in MetadataSize bytes from 0x2030 and before the first
	 * page (the sanity relation puts FirstPageOffset 0x10 before the end of
	 * MetadataSize bytes from 0x2030; a last entry there can only be the
	 * PFN-0 terminator). */
	uint64_t end = RDMP_METADATA_OFFSET + metadata_size;
	if (end > first_page)
		end = first_page;
	uint64_t ranges = (end - RDMP_METADATA_OFFSET) / RANGE_SIZE;

	struct run_table *table = checked_calloc(1, sizeof *table);
	dump->locator = table;
	uint64_t consumed = 0;
	for (uint64_t i = 0; i < ranges && consumed < total_pages; i++) {
		uint64_t at = RDMP_METADATA_OFFSET + i * RANGE_SIZE;
		if (!dump_holds(dump, at, RANGE_SIZE))
			return error_at_offset(ERROR_TRUNCATED, dump->path, dump->size,
					       "the file ends inside the RDMP metadata (range %" PRIu64
					       " at 0x%" PRIx64 ")", i, at);
		uint64_t pfn = dump_u64(dump, at), count = dump_u64(dump, at + 8);
		if (pfn == 0)
			break; /* kdmp-parser: PFN 0 ends the list */
		if (count == 0)
			continue;
		if (pfn >= DUMP_PFN_LIMIT || count > DUMP_PFN_LIMIT - pfn)
			return error_at_offset(ERROR_FORMAT, dump->path, at,
					       "range %" PRIu64 " (PFN 0x%" PRIx64 ", 0x%" PRIx64
					       " pages) reaches past the 52-bit physical address space",
					       i, pfn, count);
		/* Ranges that share no page hold at most 2^40 pages between them;
		 * more means an overlap, which run_table_finish names.  The bound
		 * also keeps the file offsets below from overflowing. */
		if (consumed > DUMP_PFN_LIMIT)
			break;
		run_table_add(table, &(struct page_run){ pfn, count,
							 first_page + consumed * DUMP_PAGE_SIZE, at, i });
		consumed += count;
	}
	dump->pages_claimed = consumed;
	return run_table_finish(table, dump->path, "range");
}

static bool locate_rdmp_page(const struct dump *dump, uint64_t pfn, uint64_t *file_offset)
{
	return run_table_locate(dump->locator, pfn, file_offset);
}

static bool next_rdmp_extent(const struct dump *dump, uint64_t from_pfn, struct dump_extent *extent)
{
	return run_table_next_extent(dump->locator, from_pfn, extent);
}

static void close_rdmp_dump(struct dump *dump)
{
	run_table_free(dump->locator);
	dump->locator = NULL;
}

const struct dump_format_ops windows_rdmp_dump_format = {
	.name = "Windows crash dump",
	.probe = probe_rdmp_dump,
	.open = open_rdmp_dump,
	.locate = locate_rdmp_page,
	.next_extent = next_rdmp_extent,
	.close = close_rdmp_dump,
};
