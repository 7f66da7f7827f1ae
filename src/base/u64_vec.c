#include <stdlib.h>

#include "error.h"
#include "u64_vec.h"

void u64_vec_push(struct u64_vec *vec, uint64_t value)
{
	if (vec->count == vec->capacity) {
		size_t capacity = vec->capacity ? vec->capacity * 2 : 4;
		vec->items = checked_realloc(vec->items, capacity * sizeof *vec->items);
		vec->capacity = capacity;
	}
	vec->items[vec->count++] = value;
}

void u64_vec_push_unique(struct u64_vec *vec, uint64_t value)
{
	if (vec->count <= 1024)
		for (size_t i = 0; i < vec->count; i++)
			if (vec->items[i] == value)
				return;
	u64_vec_push(vec, value);
}

void u64_vec_release(struct u64_vec *vec)
{
	free(vec->items);
	vec->items = NULL;
	vec->count = vec->capacity = 0;
}
