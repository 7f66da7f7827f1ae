#include <stdlib.h>

#include "error.h"
#include "ptr_vec.h"

void ptr_vec_push(struct ptr_vec *vec, void *item)
{
	if (vec->count == vec->capacity) {
		size_t capacity = vec->capacity ? vec->capacity * 2 : 8;
		vec->items = checked_realloc(vec->items, capacity * sizeof *vec->items);
		vec->capacity = capacity;
	}
	vec->items[vec->count++] = item;
}

void ptr_vec_release(struct ptr_vec *vec)
{
	free(vec->items);
	vec->items = NULL;
	vec->count = vec->capacity = 0;
}
