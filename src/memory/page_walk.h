/* One page-table walk with libaddrxlat: the paging forms of x64, x86 PAE
 * and x86 non-PAE (../shared/docs/deps.md §3), page-table entries read
 * through physical_memory, errors turned into struct error.  Private to
 * src/memory/; address_space.c puts the translation cache in front. */
#ifndef ALPCGRAPH_PAGE_WALK_H
#define ALPCGRAPH_PAGE_WALK_H

#include <stdint.h>

#include "memory.h"

struct page_walker;

struct page_walker *page_walker_new(struct physical_memory *memory, enum paging_mode mode,
				    uint64_t directory_table_base);
void page_walker_free(struct page_walker *walker);

/* The page sizes of the mode, smallest first, as shifts; 0 ends the list
 * early (x64: 12, 21, 30). */
const unsigned *page_walker_page_shifts(const struct page_walker *walker);

/* Walks the tables for va: the physical address of the page that holds it
 * and that page's size.  Errors: ERROR_FORMAT for an address the mode
 * cannot have (non-canonical on x64, above 4 GiB on x86); ERROR_ABSENT
 * when an entry on the way is not present (libaddrxlat's message names
 * the level and entry) or a table page is not in the dump (named with its
 * level and physical address). */
struct error *page_walk(struct page_walker *walker, uint64_t va, uint64_t *physical_page,
			unsigned *page_shift);

#endif
