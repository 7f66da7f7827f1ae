/* Raw physical memory images: byte n of the file is physical address n.
 * Nothing in such a file says what it is, so it is read only when asked
 * for (--format raw, DUMP_FORCE_RAW); every whole page from 0 to the end
 * of the file is present and read zero-copy from the mapping. */
#include <inttypes.h>

#include "dump_internal.h"

static uint64_t whole_pages(const struct dump *dump)
{
	uint64_t pages = dump->size / DUMP_PAGE_SIZE;
	return pages < DUMP_PFN_LIMIT ? pages : DUMP_PFN_LIMIT;
}

static struct error *open_raw_image(struct dump *dump)
{
	if (whole_pages(dump) == 0)
		return error_in_file(ERROR_FORMAT, dump->path,
				     "a raw image of %" PRIu64 " bytes holds no whole %d-byte page",
				     dump->size, DUMP_PAGE_SIZE);
	dump->facts.format_name = "raw";
	dump->facts.arch = DUMP_ARCH_UNKNOWN;
	dump->pages_claimed = whole_pages(dump);
	return NULL;
}

static bool locate_raw_page(const struct dump *dump, uint64_t pfn, uint64_t *file_offset)
{
	if (pfn >= whole_pages(dump))
		return false;
	*file_offset = pfn << DUMP_PAGE_SHIFT;
	return true;
}

static bool next_raw_extent(const struct dump *dump, uint64_t from_pfn, struct dump_extent *extent)
{
	uint64_t pages = whole_pages(dump);
	if (from_pfn >= pages)
		return false;
	extent->first_pfn = from_pfn;
	extent->count = pages - from_pfn;
	extent->file_offset = from_pfn << DUMP_PAGE_SHIFT;
	return true;
}

const struct dump_format_ops raw_image_format = {
	.name = "raw",
	.probe = NULL,
	.forced_by = DUMP_FORCE_RAW,
	.open = open_raw_image,
	.locate = locate_raw_page,
	.next_extent = next_raw_extent,
};
