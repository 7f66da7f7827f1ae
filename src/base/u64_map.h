/* Open-addressing hash map from a 64-bit key (an address, a Cid pair, an
 * RPC cell) to a non-NULL pointer.  Lookups stay O(1) for the hundreds of
 * thousands of threads and ports of a server dump. */
#ifndef ALPCGRAPH_U64_MAP_H
#define ALPCGRAPH_U64_MAP_H

#include <stddef.h>
#include <stdint.h>

struct u64_map_slot;

struct u64_map {
	struct u64_map_slot *slots;
	size_t capacity; /* a power of two, or 0 */
	size_t count;
};

void *u64_map_get(const struct u64_map *map, uint64_t key);
/* Inserts or replaces; value must not be NULL. */
void u64_map_put(struct u64_map *map, uint64_t key, void *value);
void u64_map_release(struct u64_map *map);

#endif
