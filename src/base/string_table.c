#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "string_table.h"

static uint64_t fnv1a(const char *text, size_t length)
{
	uint64_t hash = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < length; i++) {
		hash ^= (unsigned char)text[i];
		hash *= 0x100000001b3ULL;
	}
	return hash;
}

void string_table_init(struct string_table *table, struct arena *arena)
{
	table->arena = arena;
	table->slots = NULL;
	table->capacity = table->count = 0;
}

static void grow(struct string_table *table)
{
	size_t capacity = table->capacity ? table->capacity * 2 : 256;
	const char **old = table->slots;
	size_t old_capacity = table->capacity;
	table->slots = checked_calloc(capacity, sizeof *table->slots);
	table->capacity = capacity;
	for (size_t i = 0; i < old_capacity; i++) {
		if (!old[i])
			continue;
		size_t j = fnv1a(old[i], strlen(old[i])) & (capacity - 1);
		while (table->slots[j])
			j = (j + 1) & (capacity - 1);
		table->slots[j] = old[i];
	}
	free(old);
}

const char *string_table_intern(struct string_table *table, const char *text,
				size_t length)
{
	if ((table->count + 1) * 4 > table->capacity * 3)
		grow(table);
	size_t mask = table->capacity - 1;
	for (size_t i = fnv1a(text, length) & mask;; i = (i + 1) & mask) {
		const char *slot = table->slots[i];
		if (!slot) {
			slot = arena_strndup(table->arena, text, length);
			table->slots[i] = slot;
			table->count++;
			return slot;
		}
		if (strncmp(slot, text, length) == 0 && slot[length] == '\0')
			return slot;
	}
}

void string_table_release(struct string_table *table)
{
	free(table->slots);
	table->slots = NULL;
	table->capacity = table->count = 0;
}
