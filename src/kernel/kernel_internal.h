/* Shared inside the kernel room. */
#ifndef ALPCGRAPH_KERNEL_INTERNAL_H
#define ALPCGRAPH_KERNEL_INTERNAL_H

#include "kernel.h"

void os_note(struct os_identity *os, const char *format, ...) PRINTF_LIKE(2, 3);

/* Candidate DTBs of a raw x64 image: the low stub's CR3, then a
 * self-referencing PML4.  Returns 0 when none is found. */
uint64_t find_x64_dtb(struct physical_memory *memory, const char **source);

#endif
