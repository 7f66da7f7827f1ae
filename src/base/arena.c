#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

enum { ARENA_BLOCK_BYTES = 256 * 1024, ARENA_ALIGN = 16 };

struct arena_block {
	struct arena_block *next;
	size_t size;
	size_t used;
	_Alignas(16) unsigned char bytes[];
};

void arena_init(struct arena *arena)
{
	arena->head = NULL;
	arena->used_bytes = 0;
}

void arena_release(struct arena *arena)
{
	struct arena_block *block = arena->head;
	while (block) {
		struct arena_block *next = block->next;
		free(block);
		block = next;
	}
	arena->head = NULL;
	arena->used_bytes = 0;
}

void *arena_alloc(struct arena *arena, size_t size)
{
	size_t rounded = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (rounded < size)
		return checked_malloc(SIZE_MAX); /* overflow: let the check fire */
	struct arena_block *block = arena->head;
	if (!block || block->size - block->used < rounded) {
		/* Large requests get a block of their own, placed behind the
		 * current one so the current block keeps serving small ones. */
		size_t capacity = rounded > ARENA_BLOCK_BYTES / 4 ? rounded : ARENA_BLOCK_BYTES;
		struct arena_block *fresh = checked_malloc(sizeof *fresh + capacity);
		fresh->size = capacity;
		fresh->used = 0;
		if (block && capacity != ARENA_BLOCK_BYTES) {
			fresh->next = block->next;
			block->next = fresh;
		} else {
			fresh->next = block;
			arena->head = fresh;
		}
		block = fresh;
	}
	void *memory = block->bytes + block->used;
	block->used += rounded;
	arena->used_bytes += rounded;
	memset(memory, 0, size);
	return memory;
}

char *arena_strndup(struct arena *arena, const char *text, size_t length)
{
	char *copy = arena_alloc(arena, length + 1);
	memcpy(copy, text, length);
	copy[length] = '\0';
	return copy;
}

char *arena_strdup(struct arena *arena, const char *text)
{
	return arena_strndup(arena, text, strlen(text));
}

char *arena_printf(struct arena *arena, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	int length = vsnprintf(NULL, 0, format, args);
	va_end(args);
	if (length < 0)
		length = 0;
	char *text = arena_alloc(arena, (size_t)length + 1);
	va_start(args, format);
	vsnprintf(text, (size_t)length + 1, format, args);
	va_end(args);
	return text;
}
