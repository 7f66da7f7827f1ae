/* Windows crash dumps: what follows the header for each DumpType.
 * Full (1): pages run after run (dump-formats.md §4).  Bitmap (5 "FDMP",
 * 6 "SDMP"): a bitmap of PFNs, then the set pages in PFN order (§5.1).
 * RDMP (8, 0xA): a list of PFN ranges, then their pages (§5.3).  Triage
 * (4): a TRIAGE_DUMP header and nothing a reader can walk (§5.2).
 *
 * PhysicalMemoryBlock describes the machine's memory: for a full dump it
 * is exactly the pages in the file; for the others it is every present
 * page, while the bitmap or range list says which of them the file holds. */
#include <stdlib.h>
#include <string.h>

#include "forge_internal.h"

/* DumpType values (dump-formats.md §3). */
enum {
	DUMP_TYPE_FULL = 1,
	DUMP_TYPE_TRIAGE = 4,
	DUMP_TYPE_BITMAP_FULL = 5,
	DUMP_TYPE_BITMAP_KERNEL = 6,
	DUMP_TYPE_RDMP_KERNEL = 8,
	DUMP_TYPE_RDMP_COMPLETE = 0xa,
};

/* Bitmap header fields, relative to its start (dump-formats.md §5.1). */
#define BITMAP_FIRST_PAGE 0x20
#define BITMAP_PRESENT_PAGES 0x28
#define BITMAP_BITS 0x30
#define BITMAP_BITS_AT 0x38

/* RDMP header fields, relative to 0x2000 (dump-formats.md §5.3). */
#define RDMP_MARKER 0x40
#define RDMP_METADATA_SIZE 0x10
#define RDMP_FIRST_PAGE 0x18
#define RDMP_RANGE_COUNT 0x20     /* complete (0xA) only */
#define RDMP_TOTAL_PAGES 0x28     /* complete (0xA) only */
#define RDMP_RANGES_AT 0x30
/* kdmp-parser accepts an RDMP dump only if MetadataSize - 0x20 ==
 * FirstPageOffset - 0x2040 (dump-formats.md §5.3), i.e. MetadataSize
 * counts from 0x2020, the end of RDMP_HEADER64, to the first page. */
#define RDMP_METADATA_FROM 0x2020

struct windows_dump {
	const struct forge *forge;
	struct forge_header header;
	uint32_t dump_type;
	struct pfn_ranges dumped; /* pages the file holds */
	struct forge_file file;
	uint8_t *head;            /* header, second header, tables */
	size_t head_size;
	uint64_t first_page;      /* where page data start */
	uint64_t file_size;
};

static struct error *fill_header(struct windows_dump *dump, const struct pfn_ranges *runs)
{
	struct windows_header_facts facts = {
		.arch = dump->forge->arch,
		.header = &dump->header,
		.dtb = dump->forge->dtb,
		.dump_type = dump->dump_type,
		.runs = runs,
		.file_size = dump->file_size,
	};
	return windows_fill_header(&facts, dump->head, dump->file.path);
}

/* Writes the head, then each range's pages consecutively from first_page. */
static struct error *write_file(struct windows_dump *dump, const struct pfn_ranges *ranges)
{
	struct error *error = forge_file_create(&dump->file, dump->file.path);
	if (error)
		return error;
	error = forge_file_write(&dump->file, dump->head, dump->head_size, 0);
	uint64_t offset = dump->first_page;
	for (size_t i = 0; i < ranges->count && !error; i++) {
		uint64_t count = ranges->items[i].end - ranges->items[i].first;
		error = forge_file_write_pages(&dump->file, dump->forge, ranges->items[i].first, count,
					       offset);
		offset += count * FORGE_PAGE_SIZE;
	}
	if (!error)
		error = forge_file_set_size(&dump->file, dump->file_size);
	return forge_file_close(&dump->file, error);
}

static struct error *write_full(struct windows_dump *dump)
{
	size_t header_size = windows_header_size(dump->forge->arch);
	dump->first_page = header_size;
	dump->file_size = header_size + pfn_ranges_pages(&dump->dumped) * FORGE_PAGE_SIZE;
	dump->head_size = header_size;
	dump->head = checked_calloc(1, dump->head_size);
	struct error *error = fill_header(dump, &dump->dumped);
	return error ? error : write_file(dump, &dump->dumped);
}

static struct error *write_bitmap(struct windows_dump *dump)
{
	const struct forge *forge = dump->forge;
	size_t header_size = windows_header_size(forge->arch);
	/* Whole 8-byte words, so readers that scan it as words stay inside. */
	size_t bitmap_size = (size_t)round_up((forge->max_pfn + 7) / 8, 8);
	dump->first_page = round_up(header_size + BITMAP_BITS_AT + bitmap_size, FORGE_PAGE_SIZE);
	dump->file_size = dump->first_page + pfn_ranges_pages(&dump->dumped) * FORGE_PAGE_SIZE;
	dump->head_size = (size_t)dump->first_page;
	dump->head = checked_calloc(1, dump->head_size);
	struct error *error = fill_header(dump, &forge->present);
	if (error)
		return error;
	uint8_t *second = dump->head + header_size;
	memcpy(second, dump->dump_type == DUMP_TYPE_BITMAP_FULL ? "FDMP" : "SDMP", 4);
	memcpy(second + 4, "DUMP", 4);
	put_le64(second + BITMAP_FIRST_PAGE, dump->first_page);
	put_le64(second + BITMAP_PRESENT_PAGES, pfn_ranges_pages(&dump->dumped));
	put_le64(second + BITMAP_BITS, forge->max_pfn);
	uint8_t *bitmap = second + BITMAP_BITS_AT;
	for (size_t i = 0; i < dump->dumped.count; i++)
		for (uint64_t pfn = dump->dumped.items[i].first; pfn < dump->dumped.items[i].end; pfn++)
			bitmap[pfn / 8] |= (uint8_t)(1u << (pfn % 8));
	return write_file(dump, &dump->dumped);
}

static struct error *write_rdmp(struct windows_dump *dump)
{
	/* kdmp-parser stops at a range whose PFN is 0 (dump-formats.md §5.3),
	 * so the format cannot hold PFN 0: it is left out. */
	pfn_ranges_remove(&dump->dumped, 0, 1);
	size_t ranges = dump->dumped.count;
	/* The ranges, then one zero entry that ends the list. */
	uint64_t list_end = 0x2000 + RDMP_RANGES_AT + 16 * ((uint64_t)ranges + 1);
	dump->first_page = round_up(list_end, FORGE_PAGE_SIZE);
	dump->file_size = dump->first_page + pfn_ranges_pages(&dump->dumped) * FORGE_PAGE_SIZE;
	dump->head_size = (size_t)dump->first_page;
	dump->head = checked_calloc(1, dump->head_size);
	struct error *error = fill_header(dump, &dump->forge->present);
	if (error)
		return error;
	uint8_t *rdmp = dump->head + 0x2000;
	put_le32(rdmp + 0x0, RDMP_MARKER);
	memcpy(rdmp + 0x4, "RDMP", 4);
	memcpy(rdmp + 0x8, "DUMP", 4);
	put_le64(rdmp + RDMP_METADATA_SIZE, dump->first_page - RDMP_METADATA_FROM);
	put_le64(rdmp + RDMP_FIRST_PAGE, dump->first_page);
	if (dump->dump_type == DUMP_TYPE_RDMP_COMPLETE) {
		put_le32(rdmp + RDMP_RANGE_COUNT, (uint32_t)ranges);
		put_le64(rdmp + RDMP_TOTAL_PAGES, pfn_ranges_pages(&dump->dumped));
	}
	for (size_t i = 0; i < ranges; i++) {
		const struct pfn_range *range = &dump->dumped.items[i];
		put_le64(rdmp + RDMP_RANGES_AT + 16 * i, range->first);
		put_le64(rdmp + RDMP_RANGES_AT + 16 * i + 8, range->end - range->first);
	}
	return write_file(dump, &dump->dumped);
}

static struct error *write_triage(struct windows_dump *dump)
{
	size_t header_size = windows_header_size(dump->forge->arch);
	dump->first_page = dump->file_size = header_size + FORGE_PAGE_SIZE;
	dump->head_size = (size_t)dump->file_size;
	dump->head = checked_calloc(1, dump->head_size);
	struct error *error = fill_header(dump, &dump->forge->present);
	if (error)
		return error;
	/* TRIAGE_DUMP: ServicePackBuild, then SizeOfDump (§5.2); the offsets
	 * that follow stay 0, as there is nothing a reader may use. */
	put_le32(dump->head + header_size + 4, (uint32_t)dump->file_size);
	struct pfn_ranges none = { 0 };
	return write_file(dump, &none);
}

struct error *forge_write_windows(const struct forge *forge, enum forge_format format, const char *path)
{
	struct windows_dump dump = { .forge = forge, .header = forge_effective_header(forge) };
	dump.file.path = path;
	dump.file.fd = -1;
	struct error *(*write)(struct windows_dump *) = NULL;
	switch (format) {
	case FORGE_WINDOWS_FULL:
		dump.dump_type = DUMP_TYPE_FULL, write = write_full;
		break;
	case FORGE_WINDOWS_BITMAP_FULL:
		dump.dump_type = DUMP_TYPE_BITMAP_FULL, write = write_bitmap;
		break;
	case FORGE_WINDOWS_BITMAP_KERNEL:
		dump.dump_type = DUMP_TYPE_BITMAP_KERNEL, write = write_bitmap;
		break;
	case FORGE_WINDOWS_RDMP_KERNEL:
		dump.dump_type = DUMP_TYPE_RDMP_KERNEL, write = write_rdmp;
		break;
	case FORGE_WINDOWS_RDMP_COMPLETE:
		dump.dump_type = DUMP_TYPE_RDMP_COMPLETE, write = write_rdmp;
		break;
	case FORGE_WINDOWS_TRIAGE:
		dump.dump_type = DUMP_TYPE_TRIAGE, write = write_triage;
		break;
	default:
		return error_in_file(ERROR_USAGE, path, "forge: not a Windows format");
	}
	/* The bitmap and RDMP layouts are documented for x64 only
	 * (BMP_HEADER64, RDMP_HEADER64: dump-formats.md §5.1, §5.3). */
	if (forge->arch != FORGE_X64 && write != write_full && write != write_triage)
		return error_in_file(ERROR_UNSUPPORTED, path,
				     "forge: DumpType 0x%x is written for x64 only", dump.dump_type);
	forge_dumped_pages(forge, &dump.dumped);
	struct error *error = write(&dump);
	free(dump.head);
	pfn_ranges_release(&dump.dumped);
	return error;
}
