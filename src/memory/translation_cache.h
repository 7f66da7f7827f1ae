/* The translation cache of an address space (a TLB): virtual page →
 * physical page, remembered per page size so that every 4 KiB inside a
 * 2 MiB or 1 GiB page hits the one entry its first walk made.  Measured in
 * ../shared/docs/deps.md §3: a page-table walk costs several page reads,
 * a hit costs one compare.  Private to src/memory/. */
#ifndef ALPCGRAPH_TRANSLATION_CACHE_H
#define ALPCGRAPH_TRANSLATION_CACHE_H

#include <stdbool.h>
#include <stdint.h>

/* Direct-mapped, one table per page size (4 KiB, 2 MiB or 4 MiB, 1 GiB). */
enum { TRANSLATION_PAGE_SIZES = 3 };

struct translation_entry {
	uint64_t virtual_page;  /* va >> page shift, plus one: 0 is an empty slot */
	uint64_t physical_page; /* physical address of the page's first byte */
};

struct translation_table {
	unsigned page_shift; /* 0: this page size does not occur in the mode */
	unsigned index_bits;
	struct translation_entry *entries;
};

struct translation_cache {
	struct translation_table tables[TRANSLATION_PAGE_SIZES];
};

/* page_shifts: the page sizes the paging mode has, smallest first, 0 for
 * none (x64: 12, 21, 30; PAE: 12, 21, 0; x86: 12, 22, 0). */
void translation_cache_init(struct translation_cache *cache, const unsigned page_shifts[]);
void translation_cache_release(struct translation_cache *cache);
void translation_cache_clear(struct translation_cache *cache);

/* The physical address of va when a page holding it is cached. */
bool translation_cache_find(const struct translation_cache *cache, uint64_t va,
			    uint64_t *physical, unsigned *page_shift);
void translation_cache_remember(struct translation_cache *cache, uint64_t va,
				uint64_t physical_page, unsigned page_shift);

#endif
