/* Sets of PFNs as sorted ranges: present memory, the pages a dump holds. */
#include <stdlib.h>
#include <string.h>

#include "forge_internal.h"

/* The first range that ends at or after pfn (so may touch or hold it). */
static size_t first_reaching(const struct pfn_ranges *ranges, uint64_t pfn)
{
	size_t low = 0, high = ranges->count;
	while (low < high) {
		size_t middle = low + (high - low) / 2;
		if (ranges->items[middle].end < pfn)
			low = middle + 1;
		else
			high = middle;
	}
	return low;
}

static void reserve(struct pfn_ranges *ranges, size_t count)
{
	if (count <= ranges->capacity)
		return;
	size_t capacity = ranges->capacity ? ranges->capacity * 2 : 16;
	while (capacity < count)
		capacity *= 2;
	ranges->items = checked_realloc(ranges->items, capacity * sizeof *ranges->items);
	ranges->capacity = capacity;
}

void pfn_ranges_add(struct pfn_ranges *ranges, uint64_t first, uint64_t end)
{
	if (first >= end)
		return;
	size_t at = first_reaching(ranges, first);
	/* Merge every range that overlaps or touches [first, end). */
	size_t last = at;
	while (last < ranges->count && ranges->items[last].first <= end) {
		if (ranges->items[last].first < first)
			first = ranges->items[last].first;
		if (ranges->items[last].end > end)
			end = ranges->items[last].end;
		last++;
	}
	if (last == at) {
		reserve(ranges, ranges->count + 1);
		memmove(&ranges->items[at + 1], &ranges->items[at],
			(ranges->count - at) * sizeof *ranges->items);
		ranges->count++;
	} else if (last > at + 1) {
		memmove(&ranges->items[at + 1], &ranges->items[last],
			(ranges->count - last) * sizeof *ranges->items);
		ranges->count -= last - at - 1;
	}
	ranges->items[at] = (struct pfn_range){ first, end };
}

void pfn_ranges_remove(struct pfn_ranges *ranges, uint64_t first, uint64_t end)
{
	if (first >= end)
		return;
	struct pfn_ranges kept = { 0 };
	for (size_t i = 0; i < ranges->count; i++) {
		struct pfn_range range = ranges->items[i];
		if (range.end <= first || range.first >= end) {
			pfn_ranges_add(&kept, range.first, range.end);
			continue;
		}
		if (range.first < first)
			pfn_ranges_add(&kept, range.first, first);
		if (range.end > end)
			pfn_ranges_add(&kept, end, range.end);
	}
	pfn_ranges_release(ranges);
	*ranges = kept;
}

bool pfn_ranges_contain(const struct pfn_ranges *ranges, uint64_t pfn)
{
	size_t at = first_reaching(ranges, pfn + 1);
	return at < ranges->count && ranges->items[at].first <= pfn && pfn < ranges->items[at].end;
}

uint64_t pfn_ranges_next_absent(const struct pfn_ranges *ranges, uint64_t pfn)
{
	size_t at = first_reaching(ranges, pfn + 1);
	if (at < ranges->count && ranges->items[at].first <= pfn)
		return ranges->items[at].end;
	return pfn;
}

uint64_t pfn_ranges_pages(const struct pfn_ranges *ranges)
{
	uint64_t pages = 0;
	for (size_t i = 0; i < ranges->count; i++)
		pages += ranges->items[i].end - ranges->items[i].first;
	return pages;
}

void pfn_ranges_copy(struct pfn_ranges *to, const struct pfn_ranges *from)
{
	to->count = to->capacity = 0;
	to->items = NULL;
	reserve(to, from->count);
	if (from->count)
		memcpy(to->items, from->items, from->count * sizeof *from->items);
	to->count = from->count;
}

void pfn_ranges_release(struct pfn_ranges *ranges)
{
	free(ranges->items);
	*ranges = (struct pfn_ranges){ 0 };
}
