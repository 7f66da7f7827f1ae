/* Inside the kernel room's walks: the opened kernel, typed reads through
 * its profile, and the bounded list walk every walker shares.
 *
 * Every read is checked: a field the profile lacks is an error
 * (ERROR_UNSUPPORTED naming the field), a page the image lacks is
 * ERROR_ABSENT from the memory room naming the virtual address, never
 * zeros.  Pointers are checked to be kernel addresses of the right
 * alignment before anything is read through them. */
#ifndef ALPCGRAPH_KERNEL_WALK_INTERNAL_H
#define ALPCGRAPH_KERNEL_WALK_INTERNAL_H

#include "kernel.h"

/* A hard cap on every list walk: far above the entries of any real list
 * (a server's processes, a process's threads), low enough that a walk
 * through garbage ends in bounded time. */
enum { KERNEL_LIST_CAP = 1000000 };
/* Object types: _OBJECT_HEADER.TypeIndex is one byte. */
enum { KERNEL_TYPE_SLOTS = 256 };

struct kernel {
	struct physical_memory *memory;
	const struct kernel_profile *profile;
	struct address_space *space;
	struct kernel_warnings warnings;
	enum paging_mode paging;
	unsigned pointer_size;
	maybe_u64 kernel_base;
	/* The profile's symbol RVAs hold for this image: its ntkrnlmp.pdb
	 * GUID and age are the profile's. */
	bool symbols;
	uint64_t process_head;
	char process_head_source[192]; /* where process_head came from */
	/* object types (object_types.c), found on first use */
	bool types_tried;
	char type_names[KERNEL_TYPE_SLOTS][KERNEL_TYPE_NAME_SIZE]; /* by index; "" unknown */
	maybe_u64 header_cookie; /* Win10+: ObHeaderCookie's low byte */
	struct u64_map type_by_pointer; /* _OBJECT_TYPE address -> its name */
	struct ptr_vec type_name_storage; /* owns those names */
	/* ETHREAD.ThreadListEntry -> the ThreadListHead that linked it
	 * (thread_walk.c): a thread lies on one process's list, and lists
	 * that run into another's would make the walks cost processes ×
	 * threads. */
	struct u64_map thread_list_of;
	/* A handle-table page -> the EPROCESS whose table linked it
	 * (handle_table.c), for the same reason: processes sharing one
	 * table would cost processes × 2^24 handles. */
	struct u64_map handle_page_of;
};

/* A warning about the object at address, to the caller's sink. */
void kernel_warn(struct kernel *kernel, uint64_t address, const char *format, ...) PRINTF_LIKE(3, 4);

/* Could va be a kernel-mode address, aligned to alignment (a power of
 * two)?  x64: the canonical upper half; x86: 0x80000000 and up. */
bool kernel_address_ok(const struct kernel *kernel, uint64_t va, unsigned alignment);

/* An error unless the profile has the member (offset != PROFILE_ABSENT). */
struct error *kernel_need(const struct kernel *kernel, int32_t offset, const char *what);

struct error *kernel_read(struct kernel *kernel, uint64_t va, void *buffer, size_t length);
/* A pointer of the profile's size; x86 pointers are zero-extended. */
struct error *kernel_read_pointer(struct kernel *kernel, uint64_t va, uint64_t *value);
struct error *kernel_read_u8(struct kernel *kernel, uint64_t va, uint8_t *value);
struct error *kernel_read_u16(struct kernel *kernel, uint64_t va, uint16_t *value);
struct error *kernel_read_u32(struct kernel *kernel, uint64_t va, uint32_t *value);
struct error *kernel_read_u64(struct kernel *kernel, uint64_t va, uint64_t *value);

/* An object's bytes read in one go, and its fields taken out by profile
 * offset: a field the profile lacks, or one past what was read, reads as
 * "not there" (false), never as a value. */
enum { KERNEL_BLOCK_MAX = 0x1000 };
struct kernel_block {
	uint64_t va;
	size_t length;
	unsigned char bytes[KERNEL_BLOCK_MAX];
};
struct error *kernel_read_block(struct kernel *kernel, uint64_t va, size_t length, struct kernel_block *block);
bool block_u8(const struct kernel_block *block, int32_t offset, uint8_t *value);
bool block_u16(const struct kernel_block *block, int32_t offset, uint16_t *value);
bool block_u32(const struct kernel_block *block, int32_t offset, uint32_t *value);
bool block_u64(const struct kernel_block *block, int32_t offset, uint64_t *value);
bool block_pointer(const struct kernel *kernel, const struct kernel_block *block, int32_t offset,
		   uint64_t *value);
bool block_bits(const struct kernel_block *block, struct profile_bits bits, uint64_t *value);
/* The end of the furthest of count offsets (each width bytes long),
 * ignoring absent ones: how much of an object a walker must read. */
size_t block_extent(const int32_t *offsets, size_t count, size_t width);

/* A _UNICODE_STRING at va as UTF-8 into text (size bytes, NUL-terminated;
 * cut short on a character boundary).  Length is checked against
 * MaximumLength and a bound, the buffer against the kernel range. */
struct error *kernel_read_unicode(struct kernel *kernel, uint64_t va, char *text, size_t size);

/* Walks the LIST_ENTRY list at head, calling visit with each entry's
 * address (not the structure's) in Flink order.  Bounded by
 * KERNEL_LIST_CAP and loop-safe: a loop, a link that is no kernel address,
 * an entry that cannot be read or a Blink that does not point back ends
 * (or, for the Blink, only marks) the walk with a warning that names
 * what (the list's name) and head.  An error only when the head itself
 * cannot be read. */
typedef bool (*kernel_list_visitor)(void *context, uint64_t entry);
struct error *kernel_walk_list(struct kernel *kernel, uint64_t head, const char *what,
			       kernel_list_visitor visit, void *context);

/* Sets process_head (and its source) from the System process found by
 * its pool tag in the present physical pages, read with the DTB dtb
 * (process_pool_scan.c); ERROR_ABSENT when none is found.  Needs
 * kernel->space. */
struct error *kernel_find_process_head_by_pool(struct kernel *kernel, uint64_t dtb);

/* Reads one process at its EPROCESS address (process_walk.c). */
struct error *kernel_read_process(struct kernel *kernel, uint64_t eprocess, struct kernel_process *process);

/* Wait objects of a waiting thread from its ETHREAD block (wait_objects.c). */
void kernel_read_wait_objects(struct kernel *kernel, const struct kernel_block *thread_block,
			      struct kernel_thread *thread);

/* An object's _OBJECT_HEADER (object_header.c): its address and bytes
 * up to Body; an error when body is no kernel address or cannot be read. */
struct error *kernel_read_object_header(struct kernel *kernel, uint64_t body, uint64_t *header,
					struct kernel_block *block);
/* Where optional header bit (0 creator info, 1 name info, as InfoMask
 * numbers them) of that object lies; 0 when it has none. */
enum { KERNEL_INFO_CREATOR = 0, KERNEL_INFO_NAME = 1 };
uint64_t kernel_optional_header(struct kernel *kernel, uint64_t header, const struct kernel_block *block,
				unsigned bit);

/* The type name of the object whose _OBJECT_HEADER is at header
 * (object_types.c); "" when it cannot be told. */
void kernel_type_name(struct kernel *kernel, uint64_t header, const struct kernel_block *header_block,
		      char name[KERNEL_TYPE_NAME_SIZE]);
/* Finds the type table and the header cookie (object_types.c), once. */
void kernel_find_types(struct kernel *kernel);

#endif
