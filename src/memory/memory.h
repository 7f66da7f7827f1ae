/* memory — one interface over every dump: physical reads and virtual
 * address spaces.
 *
 * Physical reads cross page boundaries and report a page the dump does not
 * hold as ERROR_ABSENT with its physical address — never as zeros.  An
 * address space translates virtual addresses through the page tables at a
 * DTB with libaddrxlat (x64 4-level with 2 MiB and 1 GiB pages, x86 PAE and
 * non-PAE; ../shared/docs/deps.md §3) behind a translation cache, so walks
 * that read the same pages again cost a lookup, not a page-table walk.
 * Nothing here knows a dump format: pages come from src/source/dump.h. */
#ifndef ALPCGRAPH_MEMORY_H
#define ALPCGRAPH_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../source/source.h"

struct physical_memory;

struct physical_memory *physical_memory_open(struct dump *dump);
void physical_memory_close(struct physical_memory *memory); /* does not close the dump */
const struct dump_facts *physical_memory_facts(const struct physical_memory *memory);
/* Reads length bytes at physical address address. */
struct error *physical_read(struct physical_memory *memory, uint64_t address, void *buffer,
			    size_t length);
/* The first present extent at or after from_pfn (see dump_next_extent). */
bool physical_next_extent(const struct physical_memory *memory, uint64_t from_pfn,
			  struct page_extent *extent);
/* Every present page in increasing PFN order, for scans by pool tag:
 * the bytes where the dump maps them (zero-copy), else a copy; a page
 * that cannot be read is skipped.  Scanned pages leave the process's
 * resident set in 64 MiB slices (dump_release), so scanning a 16 GiB
 * complete dump — one extent — does not cost 16 GiB of RSS.  The visitor
 * returns false to stop the scan. */
typedef bool (*physical_page_visitor)(void *context, const unsigned char *page, uint64_t pfn);
void physical_scan_pages(struct physical_memory *memory, physical_page_visitor visit, void *context);

enum paging_mode {
	PAGING_X64,     /* 4-level, 48-bit virtual addresses */
	PAGING_X86_PAE, /* 3-level; the DTB is the 32-byte aligned PDPT */
	PAGING_X86,     /* 2-level, 4 MiB pages with PSE */
};
const char *paging_mode_name(enum paging_mode mode); /* "x64 4-level", "x86 PAE", "x86" */

struct address_space;

struct address_space *address_space_new(struct physical_memory *memory, enum paging_mode mode,
					uint64_t directory_table_base);
void address_space_free(struct address_space *space);
/* The physical address of virtual address va; ERROR_ABSENT when a table on
 * the way is not present (the error says which level and entry). */
struct error *virtual_translate(struct address_space *space, uint64_t va, uint64_t *physical);
/* Reads across page boundaries; each page translated on its own. */
struct error *virtual_read(struct address_space *space, uint64_t va, void *buffer, size_t length);
/* Turns the translation cache off or on (for the benchmark's comparison). */
void address_space_use_cache(struct address_space *space, bool use);

struct translation_stats {
	uint64_t lookups, cache_hits, walks;
};
struct translation_stats address_space_stats(const struct address_space *space);

#endif
