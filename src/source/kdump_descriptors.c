/* Where a kdump (diskdump) file keeps each page: its page descriptor, and
 * the data that descriptor points at, checked against the end of the
 * file before libkdumpfile is asked for the page.
 *
 * Found here: libkdumpfile 0.5.1 reads files with read(2) (kdump_file.c
 * says why) and its file cache pads a short read with zeros
 * (fcache.c fcache_get_read), so in a truncated file a descriptor past the
 * end reads as zeros ("Wrong page size: 0") and page data past the end
 * reads as a page of zeros, status OK.  QEMU's file cut at 309248 bytes
 * handed out 1581 pages of zeros that way.  Missing pages must be
 * ERROR_ABSENT (dump.h), so each page's descriptor and data are checked
 * here first.
 *
 * The descriptors follow the bitmaps, one per page of the page map in PFN
 * order (libkdumpfile diskdump.c pfn_to_pdpos: the page's rank in the map
 * times 24), so the index keeps the map's runs with the rank of each run's
 * first page. */
#include <inttypes.h>
#include <stdlib.h>

#include "kdump_internal.h"

enum { DESCRIPTOR_SIZE = 24 };

void descriptor_index_add(struct descriptor_index *index, uint64_t first_pfn, uint64_t count)
{
	if (index->count == index->capacity) {
		index->capacity = index->capacity ? index->capacity * 2 : 64;
		index->runs = checked_realloc(index->runs, index->capacity * sizeof *index->runs);
	}
	index->runs[index->count++] = (struct descriptor_run){ first_pfn, count, index->pages };
	index->pages += count;
}

/* The run holding pfn, or NULL. */
static const struct descriptor_run *run_of(const struct descriptor_index *index, uint64_t pfn)
{
	size_t low = 0, high = index->count;
	while (low < high) {
		size_t middle = low + (high - low) / 2;
		const struct descriptor_run *run = &index->runs[middle];
		if (pfn < run->first_pfn)
			high = middle;
		else if (pfn - run->first_pfn >= run->count)
			low = middle + 1;
		else
			return run;
	}
	return NULL;
}

bool descriptor_index_holds(const struct descriptor_index *index, uint64_t pfn)
{
	return run_of(index, pfn) != NULL;
}

/* Where page rank's bytes lie: its descriptor's offset, or past the end
 * of the file (*data_at and *data_size then say what the descriptor
 * claims, *descriptor_cut whether the descriptor itself is cut off). */
static bool page_in_file(const struct dump *dump, const struct descriptor_index *index,
			 uint64_t rank, bool *descriptor_cut, uint64_t *data_at, uint64_t *data_size)
{
	/* rank < 2^40 and the table starts below 2^51: no overflow. */
	uint64_t at = index->table + rank * DESCRIPTOR_SIZE;
	*descriptor_cut = !dump_holds(dump, at, DESCRIPTOR_SIZE);
	if (*descriptor_cut)
		return false;
	*data_at = dump_u64(dump, at); /* an off_t: "negative" is past any file */
	*data_size = dump_u32(dump, at + 8);
	return dump_holds(dump, *data_at, *data_size);
}

/* A cut file loses its last pages: they are counted from the end, so
 * that a whole file costs one check. */
static void find_cut_off(const struct dump *dump, struct descriptor_index *index)
{
	bool descriptor_cut;
	uint64_t data_at, data_size;
	for (size_t r = index->count; r-- > 0;) {
		const struct descriptor_run *run = &index->runs[r];
		for (uint64_t i = run->count; i-- > 0;) {
			if (page_in_file(dump, index, run->first_rank + i, &descriptor_cut, &data_at,
					 &data_size))
				return;
			index->readable_end = run->first_pfn + i;
		}
	}
}

void descriptor_index_finish(const struct dump *dump, struct descriptor_index *index)
{
	const struct descriptor_run *last = index->count ? &index->runs[index->count - 1] : NULL;
	index->readable_end = last ? last->first_pfn + last->count : 0;
	find_cut_off(dump, index);
	/* A damaged file may have had the whole table read. */
	if (index->table < dump->size) {
		uint64_t in_file = dump->size - index->table;
		uint64_t table = index->pages * DESCRIPTOR_SIZE;
		dump_drop_resident(dump, index->table, table < in_file ? table : in_file);
	}
}

bool descriptor_index_next(const struct descriptor_index *index, uint64_t from_pfn,
			   struct dump_extent *extent)
{
	size_t low = 0, high = index->count;
	while (low < high) { /* the first run that ends after from_pfn */
		size_t middle = low + (high - low) / 2;
		const struct descriptor_run *run = &index->runs[middle];
		if (run->first_pfn + run->count <= from_pfn)
			low = middle + 1;
		else
			high = middle;
	}
	if (low == index->count)
		return false;
	const struct descriptor_run *run = &index->runs[low];
	uint64_t first = run->first_pfn > from_pfn ? run->first_pfn : from_pfn;
	uint64_t end = run->first_pfn + run->count;
	if (end > index->readable_end)
		end = index->readable_end;
	if (first >= end)
		return false;
	extent->first_pfn = first;
	extent->count = end - first;
	extent->file_offset = DUMP_NOT_MAPPED;
	return true;
}

struct error *descriptor_index_check(struct dump *dump, const struct descriptor_index *index,
				     uint64_t pfn)
{
	const struct descriptor_run *run = run_of(index, pfn);
	uint64_t address = pfn << DUMP_PAGE_SHIFT;
	if (!run)
		return error_in_file(ERROR_ABSENT, dump->path, "physical address 0x%" PRIx64 ": not in the dump",
				     address);
	uint64_t rank = run->first_rank + (pfn - run->first_pfn);
	dump_touch(dump, index->table + rank * DESCRIPTOR_SIZE);
	bool descriptor_cut;
	uint64_t data_at = 0, data_size = 0;
	if (page_in_file(dump, index, rank, &descriptor_cut, &data_at, &data_size))
		return NULL;
	if (descriptor_cut)
		return error_in_file(ERROR_ABSENT, dump->path,
				     "physical address 0x%" PRIx64 ": not in the dump: the file ends at 0x%" PRIx64
				     ", before its page descriptor at offset 0x%" PRIx64
				     " (%" PRIu64 " of the dump's pages are cut off)",
				     address, dump->size, index->table + rank * DESCRIPTOR_SIZE,
				     dump->facts.pages_missing_from_file);
	return error_in_file(ERROR_ABSENT, dump->path,
			     "physical address 0x%" PRIx64 ": not in the dump: its page descriptor at offset 0x%"
			     PRIx64 " places its 0x%" PRIx64 " bytes at offset 0x%" PRIx64
			     ", past the end of the file at 0x%" PRIx64
			     " (%" PRIu64 " of the dump's pages are cut off)",
			     address, index->table + rank * DESCRIPTOR_SIZE, data_size, data_at, dump->size,
			     dump->facts.pages_missing_from_file);
}

void descriptor_index_free(struct descriptor_index *index)
{
	free(index->runs);
	*index = (struct descriptor_index){ 0 };
}
