/* What the files of src/memory/ share with each other and nobody else. */
#ifndef ALPCGRAPH_MEMORY_INTERNAL_H
#define ALPCGRAPH_MEMORY_INTERNAL_H

#include "memory.h"

/* The dump's path, for messages. */
const char *physical_memory_path(const struct physical_memory *memory);

#endif
