/* A growable array of pointers; the records it points to live elsewhere
 * (usually in an arena), so growing it never moves them. */
#ifndef ALPCGRAPH_PTR_VEC_H
#define ALPCGRAPH_PTR_VEC_H

#include <stddef.h>

struct ptr_vec {
	void **items;
	size_t count;
	size_t capacity;
};

void ptr_vec_push(struct ptr_vec *vec, void *item);
void ptr_vec_release(struct ptr_vec *vec);

#endif
