/* A 64-bit value that may be unknown.  Unknown is not zero: a dump field
 * that could not be read, or a transcript that did not print it, stays
 * unknown all the way to the JSON's null. */
#ifndef ALPCGRAPH_MAYBE_H
#define ALPCGRAPH_MAYBE_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
	uint64_t value;
	bool known;
} maybe_u64;

#define UNKNOWN_U64 ((maybe_u64){ 0, false })
static inline maybe_u64 known_u64(uint64_t value)
{
	return (maybe_u64){ value, true };
}
static inline bool maybe_equal(maybe_u64 a, maybe_u64 b)
{
	return a.known && b.known && a.value == b.value;
}
/* Keeps what is already known; takes the new value only into a gap. */
static inline void maybe_fill(maybe_u64 *into, maybe_u64 from)
{
	if (!into->known && from.known)
		*into = from;
}

#endif
