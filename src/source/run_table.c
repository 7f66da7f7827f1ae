#include <inttypes.h>
#include <stdlib.h>

#include "run_table.h"

void run_table_add(struct run_table *table, const struct page_run *run)
{
	if (table->count == table->capacity) {
		table->capacity = table->capacity ? table->capacity * 2 : 16;
		table->runs = checked_realloc(table->runs, table->capacity * sizeof *table->runs);
	}
	table->runs[table->count++] = *run;
}

static int by_first_pfn(const void *a, const void *b)
{
	const struct page_run *x = a, *y = b;
	if (x->first_pfn != y->first_pfn)
		return x->first_pfn < y->first_pfn ? -1 : 1;
	return x->number < y->number ? -1 : x->number > y->number;
}

static uint64_t last_pfn(const struct page_run *run)
{
	return run->first_pfn + run->count - 1;
}

struct error *run_table_finish(struct run_table *table, const char *path, const char *what)
{
	if (table->count > 1)
		qsort(table->runs, table->count, sizeof *table->runs, by_first_pfn);
	for (size_t i = 1; i < table->count; i++) {
		const struct page_run *before = &table->runs[i - 1], *run = &table->runs[i];
		if (run->first_pfn <= last_pfn(before)) {
			/* Blame the descriptor that comes later in the file. */
			const struct page_run *later = run->number > before->number ? run : before;
			const struct page_run *earlier = later == run ? before : run;
			return error_at_offset(ERROR_FORMAT, path, later->descriptor_offset,
					       "%s %" PRIu64 " (PFNs 0x%" PRIx64 "-0x%" PRIx64 ") overlaps %s %"
					       PRIu64 " (PFNs 0x%" PRIx64 "-0x%" PRIx64 ")",
					       what, later->number, later->first_pfn, last_pfn(later),
					       what, earlier->number, earlier->first_pfn, last_pfn(earlier));
		}
	}
	size_t kept = 0;
	for (size_t i = 0; i < table->count; i++) {
		struct page_run *run = &table->runs[i];
		struct page_run *last = kept ? &table->runs[kept - 1] : NULL;
		if (last && last->first_pfn + last->count == run->first_pfn &&
		    last->file_offset + last->count * DUMP_PAGE_SIZE == run->file_offset)
			last->count += run->count;
		else
			table->runs[kept++] = *run;
	}
	table->count = kept;
	return NULL;
}

/* The first run that ends after pfn (table->count when none). */
static size_t first_run_ending_after(const struct run_table *table, uint64_t pfn)
{
	size_t low = 0, high = table->count;
	while (low < high) {
		size_t middle = low + (high - low) / 2;
		if (last_pfn(&table->runs[middle]) < pfn)
			low = middle + 1;
		else
			high = middle;
	}
	return low;
}

bool run_table_locate(const struct run_table *table, uint64_t pfn, uint64_t *file_offset)
{
	size_t i = first_run_ending_after(table, pfn);
	if (i == table->count || table->runs[i].first_pfn > pfn)
		return false;
	*file_offset = table->runs[i].file_offset + (pfn - table->runs[i].first_pfn) * DUMP_PAGE_SIZE;
	return true;
}

bool run_table_next_extent(const struct run_table *table, uint64_t from_pfn,
			   struct dump_extent *extent)
{
	size_t i = first_run_ending_after(table, from_pfn);
	if (i == table->count)
		return false;
	const struct page_run *run = &table->runs[i];
	uint64_t skip = from_pfn > run->first_pfn ? from_pfn - run->first_pfn : 0;
	extent->first_pfn = run->first_pfn + skip;
	extent->count = run->count - skip;
	extent->file_offset = run->file_offset + skip * DUMP_PAGE_SIZE;
	return true;
}

void run_table_free(struct run_table *table)
{
	if (!table)
		return;
	free(table->runs);
	free(table);
}
