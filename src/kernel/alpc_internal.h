/* Shared by the ALPC readers of the kernel room (alpc_*.c): fields read
 * from a structure's bytes through the profile, pointer checks, warnings
 * and the bounded list walk. */
#ifndef ALPCGRAPH_KERNEL_ALPC_INTERNAL_H
#define ALPCGRAPH_KERNEL_ALPC_INTERNAL_H

#include "kernel.h"

/* A structure's bytes as read, at its virtual address. */
struct alpc_bytes {
	const unsigned char *data;
	size_t size;
	uint64_t address;
};

/* width bytes (1, 2, 4 or 8) at offset, little-endian; false when the
 * profile lacks the field or it lies past the bytes read. */
bool alpc_field(const struct alpc_bytes *bytes, int32_t offset, unsigned width, uint64_t *value);
/* A pointer of the profile's size; 0 when the field is absent. */
uint64_t alpc_pointer(const struct kernel_reader *reader, const struct alpc_bytes *bytes, int32_t offset);
uint32_t alpc_u32(const struct alpc_bytes *bytes, int32_t offset);
/* A bitfield; false when absent. */
bool alpc_bits(const struct alpc_bytes *bytes, struct profile_bits bits, uint64_t *value);
bool alpc_flag(const struct alpc_bytes *bytes, struct profile_bits bits);

/* Could va be a kernel object of the reader's build?  (x64: the upper,
 * sign-extended half of a 48-bit space; x86: from 0x80000000.) */
bool alpc_kernel_pointer(const struct kernel_reader *reader, uint64_t va);

void alpc_warn(const struct kernel_reader *reader, uint64_t address, const char *format, ...)
	PRINTF_LIKE(3, 4);

/* Reads a pointer at va. */
struct error *alpc_read_pointer(const struct kernel_reader *reader, uint64_t va, uint64_t *value);

/* Walks the LIST_ENTRY whose head is at head: each element's address
 * (the link minus entry_offset) goes to out, at most cap of them.  Stops
 * at the head, a link already seen (a loop), a link that is not a kernel
 * pointer or cannot be read — each but the first a warning naming what
 * (owner, described by what: "port 0x… MainQueue").  *complete says the
 * walk came back to the head. */
void alpc_walk_list(const struct kernel_reader *reader, uint64_t head, int32_t entry_offset,
		    uint32_t cap, uint64_t owner, const char *what, struct u64_vec *out,
		    bool *complete);
/* The same, with linked (NULL: none) mapping every entry walked to its
 * head + 1 across walks: an entry another head linked first cuts the
 * list with a warning.  A message lies on one queue, a port on one list;
 * lists that run into another's (hostile ports sharing one long chain)
 * would otherwise cost lists × entries in time and memory. */
void alpc_walk_list_linked(const struct kernel_reader *reader, uint64_t head, int32_t entry_offset,
			   uint32_t cap, uint64_t owner, const char *what, struct u64_map *linked,
			   struct u64_vec *out, bool *complete);
/* kernel_alpc_port_read, its queue walks sharing linked (NULL: none). */
struct error *alpc_port_read_linked(const struct kernel_reader *reader, uint64_t address,
				    struct u64_map *linked, struct kernel_alpc_port *port);
/* kernel_lpc_port_read, its queue, rundown and data-info walks sharing
 * linked (NULL: none), so ports whose lists run into one chain cost the
 * chain once. */
struct error *lpc_port_read_linked(const struct kernel_reader *reader, uint64_t address,
				   struct u64_map *linked, struct kernel_lpc_port *port);

#endif
