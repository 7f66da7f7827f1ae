/* Address spaces: virtual → physical through the translation cache, with
 * a page-table walk (page_walk.c) on a miss, and virtual reads that
 * translate each page they touch on its own. */
#include <inttypes.h>
#include <stdlib.h>

#include "memory_internal.h"
#include "page_walk.h"
#include "translation_cache.h"

struct address_space {
	struct physical_memory *memory;
	struct page_walker *walker;
	struct translation_cache cache;
	bool use_cache;
	struct translation_stats stats;
};

struct address_space *address_space_new(struct physical_memory *memory, enum paging_mode mode,
					uint64_t directory_table_base)
{
	struct address_space *space = checked_calloc(1, sizeof *space);
	space->memory = memory;
	space->walker = page_walker_new(memory, mode, directory_table_base);
	translation_cache_init(&space->cache, page_walker_page_shifts(space->walker));
	space->use_cache = true;
	return space;
}

void address_space_free(struct address_space *space)
{
	if (!space)
		return;
	page_walker_free(space->walker);
	translation_cache_release(&space->cache);
	free(space);
}

void address_space_use_cache(struct address_space *space, bool use)
{
	if (use && !space->use_cache)
		translation_cache_clear(&space->cache);
	space->use_cache = use;
}

struct translation_stats address_space_stats(const struct address_space *space)
{
	return space->stats;
}

/* The physical address of va and the size of the page that maps it. */
static struct error *translate(struct address_space *space, uint64_t va, uint64_t *physical,
			       unsigned *page_shift)
{
	space->stats.lookups++;
	if (space->use_cache && translation_cache_find(&space->cache, va, physical, page_shift)) {
		space->stats.cache_hits++;
		return NULL;
	}
	space->stats.walks++;
	uint64_t page;
	struct error *error = page_walk(space->walker, va, &page, page_shift);
	if (error)
		return error;
	if (space->use_cache)
		translation_cache_remember(&space->cache, va, page, *page_shift);
	*physical = page + (va & (((uint64_t)1 << *page_shift) - 1));
	return NULL;
}

struct error *virtual_translate(struct address_space *space, uint64_t va, uint64_t *physical)
{
	unsigned page_shift;
	return translate(space, va, physical, &page_shift);
}

/* Reads bytes of one mapped page piece by piece, so that a physical page
 * the dump lacks is named together with the virtual address that maps it. */
static struct error *read_mapped(struct address_space *space, uint64_t va, uint64_t physical,
				 unsigned char *out, size_t length)
{
	while (length) {
		size_t piece = DUMP_PAGE_SIZE - (size_t)(physical & (DUMP_PAGE_SIZE - 1));
		if (piece > length)
			piece = length;
		struct error *error = physical_read(space->memory, physical, out, piece);
		if (error) {
			if (error->code != ERROR_ABSENT)
				return error;
			error_free(error);
			return error_in_file(ERROR_ABSENT, physical_memory_path(space->memory),
					     "virtual address 0x%" PRIx64 ": mapped to physical address 0x%" PRIx64
					     ", which is not in the dump",
					     va, physical);
		}
		out += piece;
		va += piece;
		physical += piece;
		length -= piece;
	}
	return NULL;
}

struct error *virtual_read(struct address_space *space, uint64_t va, void *buffer, size_t length)
{
	unsigned char *out = buffer;
	if (length && va + (length - 1) < va)
		return error_in_file(ERROR_FORMAT, physical_memory_path(space->memory),
				     "virtual address 0x%" PRIx64 ": a read of %zu bytes wraps past 2^64",
				     va, length);
	while (length) {
		uint64_t physical;
		unsigned page_shift;
		struct error *error = translate(space, va, &physical, &page_shift);
		if (error)
			return error;
		uint64_t page_size = (uint64_t)1 << page_shift;
		uint64_t left_in_page = page_size - (va & (page_size - 1));
		size_t chunk = left_in_page < length ? (size_t)left_in_page : length;
		error = read_mapped(space, va, physical, out, chunk);
		if (error)
			return error;
		out += chunk;
		va += chunk;
		length -= chunk;
	}
	return NULL;
}
