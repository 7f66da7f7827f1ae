/* The cache of pages read through libkdumpfile (kdump_internal.h says
 * why it is ours): a PFN hash with chained buckets over a fixed array of
 * pages, and the clock (second-chance) algorithm to pick a victim. */
#include <stdlib.h>

#include "kdump_internal.h"

enum { NO_SLOT = -1 };

static uint32_t bucket_of(uint64_t pfn)
{
	return (uint32_t)((pfn * 0x9e3779b97f4a7c15ULL) >> 51) & (PAGE_CACHE_BUCKETS - 1);
}

void page_cache_init(struct page_cache *cache)
{
	cache->data = checked_malloc((size_t)PAGE_CACHE_PAGES * DUMP_PAGE_SIZE);
	for (uint32_t i = 0; i < PAGE_CACHE_BUCKETS; i++)
		cache->buckets[i] = NO_SLOT;
}

const unsigned char *page_cache_find(struct page_cache *cache, uint64_t pfn)
{
	for (int32_t i = cache->buckets[bucket_of(pfn)]; i != NO_SLOT; i = cache->slots[i].next) {
		if (cache->slots[i].pfn == pfn) {
			cache->slots[i].referenced = true;
			return cache->data + (size_t)i * DUMP_PAGE_SIZE;
		}
	}
	return NULL;
}

int32_t page_cache_victim(struct page_cache *cache)
{
	int32_t slot;
	if (cache->used < PAGE_CACHE_PAGES) {
		slot = (int32_t)cache->used++;
	} else {
		while (cache->slots[cache->hand].referenced) {
			cache->slots[cache->hand].referenced = false;
			cache->hand = (cache->hand + 1) % PAGE_CACHE_PAGES;
		}
		slot = (int32_t)cache->hand;
		cache->hand = (cache->hand + 1) % PAGE_CACHE_PAGES;
	}
	struct cached_page *victim = &cache->slots[slot];
	if (victim->linked) {
		int32_t *link = &cache->buckets[bucket_of(victim->pfn)];
		while (*link != slot)
			link = &cache->slots[*link].next;
		*link = victim->next;
		victim->linked = false;
	}
	return slot;
}

void page_cache_keep(struct page_cache *cache, int32_t slot, uint64_t pfn)
{
	struct cached_page *page = &cache->slots[slot];
	uint32_t bucket = bucket_of(pfn);
	page->pfn = pfn;
	page->next = cache->buckets[bucket];
	page->linked = true;
	page->referenced = true;
	cache->buckets[bucket] = slot;
}

unsigned char *page_cache_slot_data(struct page_cache *cache, int32_t slot)
{
	return cache->data + (size_t)slot * DUMP_PAGE_SIZE;
}

void page_cache_free(struct page_cache *cache)
{
	free(cache->data);
	cache->data = NULL;
}
