/* Interns strings into an arena: the 50,000 threads of a server share a few
 * hundred distinct stack frames and wait reasons, so each is stored once
 * and compared by pointer. */
#ifndef ALPCGRAPH_STRING_TABLE_H
#define ALPCGRAPH_STRING_TABLE_H

#include <stddef.h>
#include "arena.h"

struct string_table {
	struct arena *arena;
	const char **slots;
	size_t capacity;
	size_t count;
};

void string_table_init(struct string_table *table, struct arena *arena);
const char *string_table_intern(struct string_table *table, const char *text,
				size_t length);
void string_table_release(struct string_table *table);

#endif
