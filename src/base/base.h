/* base — the ground floor every other room stands on.
 *
 * One error type (struct error: a code and a message that names the input
 * file and the offset or line), values that may be unknown, an arena that owns everything a snapshot
 * allocates, growable pointer arrays, a u64-keyed hash map and a string
 * table that interns repeated text.  Depends on nothing but libc. */
#ifndef ALPCGRAPH_BASE_H
#define ALPCGRAPH_BASE_H

#include "error.h"
#include "maybe.h"
#include "arena.h"
#include "ptr_vec.h"
#include "u64_vec.h"
#include "u64_map.h"
#include "string_table.h"
#include "utf8.h"

#endif
