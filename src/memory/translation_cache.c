/* Direct-mapped translation tables, one per page size.  Kernel walks touch
 * few 2 MiB / 1 GiB pages and many 4 KiB ones, so the small-page table is
 * the large one. */
#include <stdlib.h>
#include <string.h>

#include "../base/base.h"
#include "translation_cache.h"

/* 4096 small pages (16 MiB of distinct 4 KiB pages), 256 large, 64 huge. */
static const unsigned index_bits_by_size[TRANSLATION_PAGE_SIZES] = { 12, 8, 6 };

void translation_cache_init(struct translation_cache *cache, const unsigned page_shifts[])
{
	memset(cache, 0, sizeof *cache);
	for (unsigned i = 0; i < TRANSLATION_PAGE_SIZES; i++) {
		struct translation_table *table = &cache->tables[i];
		table->page_shift = page_shifts[i];
		if (!table->page_shift)
			continue;
		table->index_bits = index_bits_by_size[i];
		table->entries = checked_calloc((size_t)1 << table->index_bits,
						sizeof *table->entries);
	}
}

void translation_cache_release(struct translation_cache *cache)
{
	for (unsigned i = 0; i < TRANSLATION_PAGE_SIZES; i++)
		free(cache->tables[i].entries);
	memset(cache, 0, sizeof *cache);
}

void translation_cache_clear(struct translation_cache *cache)
{
	for (unsigned i = 0; i < TRANSLATION_PAGE_SIZES; i++) {
		struct translation_table *table = &cache->tables[i];
		if (table->entries)
			memset(table->entries, 0,
			       ((size_t)1 << table->index_bits) * sizeof *table->entries);
	}
}

/* Neighbouring pages land in neighbouring slots; the high bits are folded
 * in so that user and kernel halves of the address space do not collide. */
static size_t slot_of(const struct translation_table *table, uint64_t virtual_page)
{
	uint64_t mixed = virtual_page ^ (virtual_page >> table->index_bits) ^
			 (virtual_page >> (2 * table->index_bits));
	return (size_t)(mixed & (((uint64_t)1 << table->index_bits) - 1));
}

bool translation_cache_find(const struct translation_cache *cache, uint64_t va,
			    uint64_t *physical, unsigned *page_shift)
{
	for (unsigned i = 0; i < TRANSLATION_PAGE_SIZES; i++) {
		const struct translation_table *table = &cache->tables[i];
		if (!table->page_shift)
			continue;
		uint64_t virtual_page = va >> table->page_shift;
		const struct translation_entry *entry = &table->entries[slot_of(table, virtual_page)];
		if (entry->virtual_page == virtual_page + 1) {
			uint64_t offset = va & (((uint64_t)1 << table->page_shift) - 1);
			*physical = entry->physical_page + offset;
			*page_shift = table->page_shift;
			return true;
		}
	}
	return false;
}

void translation_cache_remember(struct translation_cache *cache, uint64_t va,
				uint64_t physical_page, unsigned page_shift)
{
	for (unsigned i = 0; i < TRANSLATION_PAGE_SIZES; i++) {
		struct translation_table *table = &cache->tables[i];
		if (table->page_shift != page_shift)
			continue;
		uint64_t virtual_page = va >> page_shift;
		struct translation_entry *entry = &table->entries[slot_of(table, virtual_page)];
		entry->virtual_page = virtual_page + 1;
		entry->physical_page = physical_page;
		return;
	}
}
