/* Multi-GiB bitmap dumps for the benchmarks, written without a scenario:
 * the layout is computed, the pattern is generated into one reusable 1 MiB
 * buffer, and each present run is written with large pwrites.
 *
 * Layout (forge.h): P present pages of T are k = ceil(P / 64 MiB) runs; run
 * i starts at PFN floor(i*P/k) + floor(i*A/k) (A = T - P absent pages) and
 * holds floor((i+1)*P/k) - floor(i*P/k) pages, so present and absent
 * memory alternate evenly.  The page tables take the present pages of rank
 * 1 to n in PFN order (rank 0 is PFN 0, left as pattern so the DTB is not
 * 0); every present page is mapped at FORGE_SPARSE_VA_BASE + its address. */
#include <stdlib.h>
#include <string.h>

#include "forge_internal.h"

#define RUN_PAGES 16384ULL /* 64 MiB */
/* Keeps FORGE_SPARSE_VA_BASE + every address canonical, and i*P below
 * 2^64 in the layout arithmetic. */
#define MAX_TOTAL_BYTES (1ULL << 46)
#define ENTRY_PRESENT_WRITABLE 0x3ULL
#define BUILD_NUMBER 19041 /* any Windows 10 build; readers only print it */
/* Offsets in the bitmap header (dump-formats.md §5.1). */
#define BITMAP_HEADER_AT 0x2000
#define BITMAP_BITS_AT 0x38
#define DUMP_TYPE_BITMAP_KERNEL 6

struct sparse_layout {
	uint64_t total, present, absent; /* pages */
	uint64_t runs;
	uint64_t table_pages;
};

static uint64_t run_start(const struct sparse_layout *l, uint64_t i)
{
	return i * l->present / l->runs + i * l->absent / l->runs;
}

static uint64_t run_rank(const struct sparse_layout *l, uint64_t i)
{
	return i * l->present / l->runs;
}

static uint64_t run_pages(const struct sparse_layout *l, uint64_t i)
{
	return run_rank(l, i + 1) - run_rank(l, i);
}

/* Distinct aligned blocks of 2^shift pages that the runs touch: the page
 * tables needed at one level. */
static uint64_t blocks_touched(const struct sparse_layout *l, unsigned shift)
{
	uint64_t blocks = 0, last = UINT64_MAX;
	for (uint64_t i = 0; i < l->runs; i++) {
		uint64_t first = run_start(l, i), count = run_pages(l, i);
		if (!count)
			continue;
		uint64_t low = first >> shift, high = (first + count - 1) >> shift;
		blocks += high - low + 1 - (low == last);
		last = high;
	}
	return blocks;
}

static bool layout_of(uint64_t total_bytes, uint64_t present_bytes, struct sparse_layout *l)
{
	*l = (struct sparse_layout){ 0 };
	if (total_bytes > MAX_TOTAL_BYTES || present_bytes > total_bytes)
		return false;
	l->total = total_bytes / FORGE_PAGE_SIZE;
	l->present = present_bytes / FORGE_PAGE_SIZE;
	l->absent = l->total - l->present;
	l->runs = (l->present + RUN_PAGES - 1) / RUN_PAGES;
	if (!l->runs)
		return false;
	/* PML4 + PDPTs (512 GiB each) + PDs (1 GiB) + PTs (2 MiB).  The base VA
	 * is 512 GiB-aligned, so physical and virtual blocks coincide. */
	l->table_pages = 1 + blocks_touched(l, 27) + blocks_touched(l, 18) + blocks_touched(l, 9);
	return l->present >= 1 + l->table_pages;
}

/* The run holding pfn, or false. */
static bool run_of(const struct sparse_layout *l, uint64_t pfn, uint64_t *run)
{
	uint64_t low = 0, high = l->runs;
	while (high - low > 1) {
		uint64_t middle = low + (high - low) / 2;
		if (run_start(l, middle) <= pfn)
			low = middle;
		else
			high = middle;
	}
	*run = low;
	return pfn >= run_start(l, low) && pfn - run_start(l, low) < run_pages(l, low);
}

bool forge_sparse_page_present(uint64_t total_bytes, uint64_t present_bytes, uint64_t pfn)
{
	struct sparse_layout l;
	uint64_t run;
	return layout_of(total_bytes, present_bytes, &l) && run_of(&l, pfn, &run);
}

bool forge_sparse_page_is_table(uint64_t total_bytes, uint64_t present_bytes, uint64_t pfn)
{
	struct sparse_layout l;
	uint64_t run;
	if (!layout_of(total_bytes, present_bytes, &l) || !run_of(&l, pfn, &run))
		return false;
	uint64_t rank = run_rank(&l, run) + (pfn - run_start(&l, run));
	return rank >= 1 && rank <= l.table_pages;
}

/* The PFNs of ranks 1..n: where the tables go. */
static uint64_t *table_pfns(const struct sparse_layout *l)
{
	uint64_t *pfns = checked_malloc(l->table_pages * sizeof *pfns);
	uint64_t rank = 0, found = 0;
	for (uint64_t i = 0; i < l->runs && found < l->table_pages; i++) {
		uint64_t first = run_start(l, i), count = run_pages(l, i);
		for (uint64_t j = 0; j < count && found < l->table_pages; j++, rank++)
			if (rank >= 1)
				pfns[found++] = first + j;
	}
	return pfns;
}

static void put_entry(uint8_t *tables, uint64_t slot, uint64_t va, unsigned shift, uint64_t target_pfn)
{
	uint64_t index = va >> shift & 0x1ff;
	put_le64(tables + slot * FORGE_PAGE_SIZE + 8 * index,
		 target_pfn << FORGE_PAGE_SHIFT | ENTRY_PRESENT_WRITABLE);
}

/* Table pages in the order they are first needed: slot 0 is the PML4. */
static uint8_t *build_tables(const struct sparse_layout *l, const uint64_t *pfns)
{
	uint8_t *tables = checked_calloc(l->table_pages, FORGE_PAGE_SIZE);
	uint64_t next = 1, pdpt = 0, pd = 0, pt = 0;
	uint64_t pdpt_key = UINT64_MAX, pd_key = UINT64_MAX, pt_key = UINT64_MAX;
	for (uint64_t i = 0; i < l->runs; i++) {
		uint64_t first = run_start(l, i), count = run_pages(l, i);
		for (uint64_t pfn = first; pfn < first + count; pfn++) {
			uint64_t va = FORGE_SPARSE_VA_BASE + (pfn << FORGE_PAGE_SHIFT);
			if (va >> 39 != pdpt_key) {
				pdpt_key = va >> 39, pdpt = next++;
				put_entry(tables, 0, va, 39, pfns[pdpt]);
			}
			if (va >> 30 != pd_key) {
				pd_key = va >> 30, pd = next++;
				put_entry(tables, pdpt, va, 30, pfns[pd]);
			}
			if (va >> 21 != pt_key) {
				pt_key = va >> 21, pt = next++;
				put_entry(tables, pd, va, 21, pfns[pt]);
			}
			put_entry(tables, pt, va, 12, pfn);
		}
	}
	return tables;
}

static uint8_t *build_head(const struct sparse_layout *l, uint64_t dtb, uint64_t *first_page,
			   const char *path, struct error **error)
{
	size_t bitmap_size = (size_t)round_up((l->total + 7) / 8, 8);
	*first_page = round_up(BITMAP_HEADER_AT + BITMAP_BITS_AT + bitmap_size, FORGE_PAGE_SIZE);
	uint8_t *head = checked_calloc(1, (size_t)*first_page);
	/* The machine has all T pages; the bitmap says which the dump holds. */
	struct pfn_ranges machine = { 0 };
	pfn_ranges_add(&machine, 0, l->total);
	struct forge_header header = { .build = BUILD_NUMBER, .processors = 1 };
	struct windows_header_facts facts = {
		.arch = FORGE_X64,
		.header = &header,
		.dtb = dtb,
		.dump_type = DUMP_TYPE_BITMAP_KERNEL,
		.runs = &machine,
		.file_size = *first_page + l->present * FORGE_PAGE_SIZE,
	};
	*error = windows_fill_header(&facts, head, path);
	pfn_ranges_release(&machine);
	uint8_t *second = head + BITMAP_HEADER_AT;
	memcpy(second, "SDMPDUMP", 8);
	put_le64(second + 0x20, *first_page);
	put_le64(second + 0x28, l->present);
	put_le64(second + 0x30, l->total);
	uint8_t *bitmap = second + BITMAP_BITS_AT;
	for (uint64_t i = 0; i < l->runs; i++) {
		uint64_t pfn = run_start(l, i), end = pfn + run_pages(l, i);
		for (; pfn < end && pfn % 8; pfn++)
			bitmap[pfn / 8] |= (uint8_t)(1u << (pfn % 8));
		memset(bitmap + pfn / 8, 0xff, (size_t)((end - pfn) / 8));
		for (pfn += (end - pfn) / 8 * 8; pfn < end; pfn++)
			bitmap[pfn / 8] |= (uint8_t)(1u << (pfn % 8));
	}
	return head;
}

/* Each run's pages, pattern or table, through one reusable buffer. */
static struct error *write_runs(struct forge_file *file, const struct sparse_layout *l,
				uint64_t first_page, const uint8_t *tables)
{
	uint8_t *chunk = checked_malloc((size_t)FORGE_CHUNK_PAGES * FORGE_PAGE_SIZE);
	struct error *error = NULL;
	for (uint64_t i = 0; i < l->runs && !error; i++) {
		uint64_t pfn = run_start(l, i), rank = run_rank(l, i), left = run_pages(l, i);
		while (left && !error) {
			uint64_t pages = left < FORGE_CHUNK_PAGES ? left : FORGE_CHUNK_PAGES;
			forge_fill_pattern(chunk, pfn << FORGE_PAGE_SHIFT, (size_t)pages * FORGE_PAGE_SIZE);
			for (uint64_t j = 0; j < pages; j++)
				if (rank + j >= 1 && rank + j <= l->table_pages)
					memcpy(chunk + j * FORGE_PAGE_SIZE,
					       tables + (rank + j - 1) * FORGE_PAGE_SIZE, FORGE_PAGE_SIZE);
			error = forge_file_write(file, chunk, (size_t)pages * FORGE_PAGE_SIZE,
						 first_page + rank * FORGE_PAGE_SIZE);
			pfn += pages, rank += pages, left -= pages;
		}
	}
	free(chunk);
	return error;
}

struct error *forge_write_sparse_bitmap(const char *path, uint64_t total_bytes, uint64_t present_bytes)
{
	struct sparse_layout l;
	if (!layout_of(total_bytes, present_bytes, &l))
		return error_in_file(ERROR_USAGE, path,
				     "forge: cannot lay out %llu present bytes of %llu (at most 64 TiB, "
				     "and enough present pages for the page tables)",
				     (unsigned long long)present_bytes, (unsigned long long)total_bytes);
	uint64_t *pfns = table_pfns(&l);
	uint8_t *tables = build_tables(&l, pfns);
	uint64_t first_page;
	struct error *error = NULL;
	uint8_t *head = build_head(&l, pfns[0] << FORGE_PAGE_SHIFT, &first_page, path, &error);
	struct forge_file file = { .fd = -1, .path = path };
	if (!error)
		error = forge_file_create(&file, path);
	if (!error)
		error = forge_file_write(&file, head, (size_t)first_page, 0);
	if (!error)
		error = write_runs(&file, &l, first_page, tables);
	error = forge_file_close(&file, error);
	free(head);
	free(tables);
	free(pfns);
	return error;
}
