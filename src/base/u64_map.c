#include <stdlib.h>

#include "error.h"
#include "u64_map.h"

struct u64_map_slot {
	uint64_t key;
	void *value; /* NULL marks an empty slot */
};

/* splitmix64's finaliser: addresses share their low and high bits, so the
 * key must be mixed before it is masked. */
static uint64_t mix(uint64_t key)
{
	key ^= key >> 30;
	key *= 0xbf58476d1ce4e5b9ULL;
	key ^= key >> 27;
	key *= 0x94d049bb133111ebULL;
	return key ^ (key >> 31);
}

void *u64_map_get(const struct u64_map *map, uint64_t key)
{
	if (!map->capacity)
		return NULL;
	size_t mask = map->capacity - 1;
	for (size_t i = mix(key) & mask;; i = (i + 1) & mask) {
		const struct u64_map_slot *slot = &map->slots[i];
		if (!slot->value)
			return NULL;
		if (slot->key == key)
			return slot->value;
	}
}

static void grow(struct u64_map *map)
{
	size_t capacity = map->capacity ? map->capacity * 2 : 64;
	struct u64_map_slot *old = map->slots;
	size_t old_capacity = map->capacity;
	map->slots = checked_calloc(capacity, sizeof *map->slots);
	map->capacity = capacity;
	map->count = 0;
	for (size_t i = 0; i < old_capacity; i++)
		if (old[i].value)
			u64_map_put(map, old[i].key, old[i].value);
	free(old);
}

void u64_map_put(struct u64_map *map, uint64_t key, void *value)
{
	if ((map->count + 1) * 4 > map->capacity * 3)
		grow(map);
	size_t mask = map->capacity - 1;
	for (size_t i = mix(key) & mask;; i = (i + 1) & mask) {
		struct u64_map_slot *slot = &map->slots[i];
		if (!slot->value) {
			slot->key = key;
			slot->value = value;
			map->count++;
			return;
		}
		if (slot->key == key) {
			slot->value = value;
			return;
		}
	}
}

void u64_map_release(struct u64_map *map)
{
	free(map->slots);
	map->slots = NULL;
	map->capacity = map->count = 0;
}
