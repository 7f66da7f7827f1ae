/* DumpType 1 (full dump): the header's PhysicalMemoryBlock lists runs
 * {BasePage, PageCount}; the pages of each run follow one another from the
 * end of the header, run after run, no holes (dump-formats.md §4;
 * kdmp-parser BuildPhysmemFullDump; vol3 crash.py _load_segments). */
#include <inttypes.h>

#include "run_table.h"
#include "windows_header.h"

/* Where PHYSICAL_MEMORY_DESCRIPTOR sits in each header (§1, §2), and how
 * many Run[] entries fit between Run[0] and ContextRecord:
 *   x64: Run[] at 0x98, ContextRecord at 0x348: 0x2b0 / 16 = 43.  mindumpdef
 *        sizes the buffer at 700 bytes (42 whole runs), but the union is
 *        padded to 704 and QEMU's win_dump_defs.h declares Run[43] in it.
 *   x86: Run[] at 0x6c, ContextRecord at 0x320: 0x2b4 / 8 = 86 (86.5). */
struct run_layout {
	uint64_t number_offset; /* NumberOfRuns, a ULONG in both */
	uint64_t first_run;
	unsigned width;         /* of BasePage and PageCount */
	uint32_t room;
};
static const struct run_layout runs64 = { 0x88, 0x98, 8, 43 };
static const struct run_layout runs32 = { 0x64, 0x6c, 4, 86 };

static bool probe_full_dump(const unsigned char *head, size_t length)
{
	bool is64;
	uint32_t type;
	return windows_probe_header(head, length, &is64, &type) && type == WINDOWS_DUMP_FULL;
}

static struct error *open_full_dump(struct dump *dump)
{
	struct windows_header header;
	struct error *error = windows_header_read(dump, &header);
	if (error)
		return error;
	const struct run_layout *layout = header.is64 ? &runs64 : &runs32;
	uint32_t number = dump_u32(dump, layout->number_offset);
	if (number > layout->room)
		return error_at_offset(ERROR_FORMAT, dump->path, layout->number_offset,
				       "NumberOfRuns is %" PRIu32 "; the header has room for %" PRIu32 " runs",
				       number, layout->room);
	struct run_table *table = checked_calloc(1, sizeof *table);
	dump->locator = table;
	uint64_t file_offset = header.size;
	for (uint32_t i = 0; i < number; i++) {
		uint64_t at = layout->first_run + (uint64_t)i * 2 * layout->width;
		uint64_t base = dump_le(dump->bytes + at, layout->width);
		uint64_t count = dump_le(dump->bytes + at + layout->width, layout->width);
		if (count == 0)
			continue;
		if (base >= DUMP_PFN_LIMIT || count > DUMP_PFN_LIMIT - base)
			return error_at_offset(ERROR_FORMAT, dump->path, at,
					       "run %" PRIu32 " (BasePage 0x%" PRIx64 ", PageCount 0x%" PRIx64
					       ") reaches past the 52-bit physical address space",
					       i, base, count);
		run_table_add(table, &(struct page_run){ base, count, file_offset, at, i });
		/* At most 86 runs of under 2^40 pages: no overflow. */
		file_offset += count * DUMP_PAGE_SIZE;
		dump->pages_claimed += count;
	}
	return run_table_finish(table, dump->path, "run");
}

static bool locate_full_dump_page(const struct dump *dump, uint64_t pfn, uint64_t *file_offset)
{
	return run_table_locate(dump->locator, pfn, file_offset);
}

static bool next_full_dump_extent(const struct dump *dump, uint64_t from_pfn,
				  struct dump_extent *extent)
{
	return run_table_next_extent(dump->locator, from_pfn, extent);
}

static void close_full_dump(struct dump *dump)
{
	run_table_free(dump->locator);
	dump->locator = NULL;
}

const struct dump_format_ops windows_full_dump_format = {
	.name = "Windows crash dump",
	.probe = probe_full_dump,
	.open = open_full_dump,
	.locate = locate_full_dump_page,
	.next_extent = next_full_dump_extent,
	.close = close_full_dump,
};
