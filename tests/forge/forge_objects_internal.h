/* What the forge's kernel-object files share (forge_objects.c, forge_kmem.c,
 * forge_processes.c, forge_handles.c, forge_alpc.c, forge_lpc.c): the
 * scenario's records and the typed stores into kernel memory.  The
 * contract is forge.h. */
#ifndef ALPCGRAPH_FORGE_OBJECTS_INTERNAL_H
#define ALPCGRAPH_FORGE_OBJECTS_INTERNAL_H

#include "forge_internal.h"

/* What the forge remembers of a process: its handle table's pages. */
struct forge_process_record {
	uint64_t eprocess, pid;
	uint64_t handle_table;  /* _HANDLE_TABLE */
	unsigned levels;
	uint64_t top_page;      /* TableCode without the level bits */
	struct u64_map pages;   /* leaf index + 1 -> struct forge_page_slot */
	struct u64_map mids;    /* mid index + 1 -> struct forge_page_slot */
	struct u64_map used;    /* handle values taken */
	uint32_t next_handle;   /* the next value forge_handle tries */
	uint32_t handle_count;
	struct ptr_vec slots;   /* the slots above, to free */
};
struct forge_page_slot {
	uint64_t va;
};

struct forge_thread_record {
	uint64_t ethread, tid;
	struct forge_process_record *process;
};

struct forge_port_record {
	uint64_t port, owner_process, communication_info;
};

struct forge_directory_record {
	char *path;
	uint64_t body;
};

struct forge_windows {
	struct forge *forge;
	struct forge_layout layout; /* the options' layout, handle-table variant applied */
	struct forge_windows_options options;
	struct forge_windows_facts facts;
	uint64_t heap_next, heap_end; /* VAs */
	uint64_t spare_pa;            /* the next physical page for globals placed by RVA */
	uint64_t alignment;           /* pool block granularity */
	struct u64_map processes;     /* EPROCESS -> record */
	struct u64_map threads;       /* ETHREAD -> record */
	struct u64_map ports;         /* _ALPC_PORT or _LPCP_PORT_OBJECT -> record */
	struct ptr_vec process_records;
	struct ptr_vec records;       /* thread and port records, to free */
	struct ptr_vec directories;
	/* Replays (forge_place_next_*): requested addresses, served in order. */
	struct u64_vec object_places[FORGE_TYPE_COUNT];
	size_t object_places_used[FORGE_TYPE_COUNT];
	struct u64_vec block_places[FORGE_BLOCK_KIND_COUNT];
	size_t block_places_used[FORGE_BLOCK_KIND_COUNT];
	struct u64_vec placed_starts, placed_ends; /* blocks made by forge_kernel_alloc_at */
};

/* forge_kmem.c: memory, typed stores, lists, globals. */
bool forge_kmem_init(struct forge_windows *windows);
void forge_kmem_read(struct forge_windows *windows, uint64_t va, void *bytes, size_t length);
void forge_put_u8(struct forge_windows *windows, uint64_t va, uint8_t value);
void forge_put_u16(struct forge_windows *windows, uint64_t va, uint16_t value);
void forge_put_u64(struct forge_windows *windows, uint64_t va, uint64_t value);
/* Stores value in a bitfield of the structure at base (a misuse when the
 * layout has no such field). */
void forge_put_bits(struct forge_windows *windows, uint64_t base, struct forge_bits bits, uint64_t value,
		    const char *what);
/* A field of the structure at base: a misuse, and no store, when the
 * layout lacks it.  base + offset otherwise. */
bool forge_field(struct forge_windows *windows, uint64_t base, uint32_t offset, const char *what,
		 uint64_t *va);
void forge_put_field_pointer(struct forge_windows *windows, uint64_t base, uint32_t offset,
			     uint64_t value, const char *what);
void forge_put_field_u32(struct forge_windows *windows, uint64_t base, uint32_t offset, uint32_t value,
			 const char *what);
/* LIST_ENTRY: an empty head points at itself; insertion is at the tail. */
void forge_list_init(struct forge_windows *windows, uint64_t head);
void forge_list_insert_tail(struct forge_windows *windows, uint64_t head, uint64_t entry);
/* A UNICODE_STRING at va whose Buffer is a fresh UTF-16LE copy of the
 * ASCII text (no terminator counted in Length). */
void forge_put_unicode_string(struct forge_windows *windows, uint64_t va, const char *text);
/* A kernel global: at kernel_base + rva when both exist, else in the heap. */
uint64_t forge_global(struct forge_windows *windows, uint32_t rva, uint64_t size);
/* Pool tags the forge uses (forge_kmem.c says where each comes from). */
uint32_t forge_object_pool_tag(const struct forge_windows *windows, enum forge_object_type type);
enum forge_pool_use {
	FORGE_POOL_NAME, FORGE_POOL_HANDLE_TABLE, FORGE_POOL_COMMUNICATION_INFO, FORGE_POOL_ALPC_MESSAGE,
	FORGE_POOL_LPC_MESSAGE, FORGE_POOL_LPC_QUEUE, FORGE_POOL_KQUEUE,
};
uint32_t forge_pool_tag(enum forge_pool_use use);

/* The next requested address of a kind (forge_place_next_*), or 0. */
uint64_t forge_take_object_place(struct forge_windows *windows, enum forge_object_type type);
uint64_t forge_take_block_place(struct forge_windows *windows, enum forge_block_kind kind);
/* forge_kernel_alloc, or forge_kernel_alloc_at when a place is requested. */
uint64_t forge_kernel_alloc_block(struct forge_windows *windows, enum forge_block_kind kind, uint64_t size,
				  uint32_t pool_tag);

/* forge_objects.c */
uint64_t forge_object_with_creator(struct forge_windows *windows, enum forge_object_type type, uint64_t size,
				   const char *name, uint64_t creator_pid);
/* Dispatcher header of a kernel object: Type and SignalState, an empty
 * WaitListHead. */
void forge_dispatcher_header(struct forge_windows *windows, uint64_t object, uint8_t type,
			     int32_t signal_state);
/* _KOBJECTS values (the ISF enum _KOBJECTS in every jpcert file). */
enum {
	FORGE_KOBJECT_EVENT_NOTIFICATION = 0,
	FORGE_KOBJECT_MUTANT = 2,
	FORGE_KOBJECT_PROCESS = 3,
	FORGE_KOBJECT_QUEUE = 4,
	FORGE_KOBJECT_SEMAPHORE = 5,
	FORGE_KOBJECT_THREAD = 6,
};
/* Adds to the header's PointerCount and HandleCount. */
void forge_object_add_references(struct forge_windows *windows, uint64_t body, int64_t pointers,
				 int64_t handles);

struct forge_process_record *forge_find_process(const struct forge_windows *windows, uint64_t eprocess,
						const char *caller);
struct forge_thread_record *forge_find_thread(const struct forge_windows *windows, uint64_t ethread,
					      const char *caller);
struct forge_port_record *forge_find_port(const struct forge_windows *windows, uint64_t port,
					  const char *caller);

/* forge_handles.c */
void forge_handle_table_new(struct forge_windows *windows, struct forge_process_record *process);
/* Frees the record and what it holds. */
void forge_process_record_release(struct forge_process_record *process);

#endif
