/* An arena owns every record and string of one snapshot, so a snapshot of
 * a million objects is freed in a handful of calls and pointers into it
 * stay valid while it grows. */
#ifndef ALPCGRAPH_ARENA_H
#define ALPCGRAPH_ARENA_H

#include <stddef.h>
#include "error.h"

struct arena_block;

struct arena {
	struct arena_block *head;
	size_t used_bytes;
};

void arena_init(struct arena *arena);
void arena_release(struct arena *arena);
/* Zeroed memory aligned for any scalar type. */
void *arena_alloc(struct arena *arena, size_t size);
char *arena_strndup(struct arena *arena, const char *text, size_t length);
char *arena_strdup(struct arena *arena, const char *text);
char *arena_printf(struct arena *arena, const char *format, ...) PRINTF_LIKE(2, 3);

#endif
