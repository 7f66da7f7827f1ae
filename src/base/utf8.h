/* Names from inputs (images, ports, endpoints) may be any bytes.  Before a
 * string enters the snapshot it is made valid UTF-8, so every renderer can
 * trust its encoding and only has to escape. */
#ifndef ALPCGRAPH_UTF8_H
#define ALPCGRAPH_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include "arena.h"

bool utf8_is_valid(const char *text, size_t length);
/* A copy in which each invalid byte and each control character other than
 * tab becomes U+FFFD.  Sets *repaired when anything was replaced. */
char *utf8_sanitized_copy(struct arena *arena, const char *text, size_t length,
			  bool *repaired);

#endif
