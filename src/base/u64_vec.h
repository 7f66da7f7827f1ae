/* A growable array of 64-bit values (addresses listed under a port). */
#ifndef ALPCGRAPH_U64_VEC_H
#define ALPCGRAPH_U64_VEC_H

#include <stddef.h>
#include <stdint.h>

struct u64_vec {
	uint64_t *items;
	size_t count;
	size_t capacity;
};

void u64_vec_push(struct u64_vec *vec, uint64_t value);
/* Skips a value the list already holds.  The check is linear, so it is made
 * only while the list is short (a port's few waiting threads); past 1024
 * entries values are appended unchecked, which keeps hostile input linear. */
void u64_vec_push_unique(struct u64_vec *vec, uint64_t value);
void u64_vec_release(struct u64_vec *vec);

#endif
