/* The forged Windows: the scenario's globals, the object types, and every
 * object's _OBJECT_HEADER with its optional name and creator headers.
 *
 * Header rules (struct-offsets.md "Object header notes"): the optional
 * headers lie below _OBJECT_HEADER, the creator info (InfoMask bit 0)
 * right below it and the name info (bit 1) below that.  Win7+ says which
 * are present in InfoMask; XP, 2003 and Vista in NameInfoOffset (the name
 * info's distance below the header) and in Flags bit 0x04 for the creator
 * info (ReactOS sdk/include/ndk/obtypes.h OB_FLAG_CREATOR_INFO; ReactOS
 * ntoskrnl/ob/obcreate.c ObpAllocateObject computes NameInfoOffset so).
 * The type: Vista and older a pointer (_OBJECT_HEADER.Type), Win7 and 8.1
 * an index into ObTypeIndexTable, Win10+ that index xor ObHeaderCookie's
 * low byte xor bits 8..15 of the header's address (Volatility 3
 * extensions/pool.py OBJECT_HEADER.get_object_type). */
#include <stdlib.h>
#include <string.h>

#include "forge_objects_internal.h"

/* Creator info's presence before Win7 (see above). */
#define OB_FLAG_CREATOR_INFO 0x04
#define INFO_MASK_CREATOR 0x01
#define INFO_MASK_NAME 0x02
#define TYPE_INDEX_TABLE_ENTRIES 256

static const struct {
	const char *name;
	uint8_t index;
} types[FORGE_TYPE_COUNT] = {
	[FORGE_TYPE_TYPE] = { "Type", 2 },
	[FORGE_TYPE_DIRECTORY] = { "Directory", 3 },
	[FORGE_TYPE_PROCESS] = { "Process", 7 },
	[FORGE_TYPE_THREAD] = { "Thread", 8 },
	[FORGE_TYPE_EVENT] = { "Event", 16 },
	[FORGE_TYPE_MUTANT] = { "Mutant", 17 },
	[FORGE_TYPE_PORT] = { "Port", 42 },
	[FORGE_TYPE_WAITABLE_PORT] = { "WaitablePort", 43 },
	[FORGE_TYPE_ALPC_PORT] = { "ALPC Port", 44 },
};

/* The kernel variable that points at a type, where the layout's symbols
 * name one (ObpTypeObjectType, LpcPortObjectType, ...); 0 elsewhere. */
static uint32_t type_pointer_rva(const struct forge_layout *l, enum forge_object_type type)
{
	switch (type) {
	case FORGE_TYPE_TYPE:
		return l->rva.obp_type_object_type;
	case FORGE_TYPE_PORT:
		return l->rva.lpc_port_object_type;
	case FORGE_TYPE_WAITABLE_PORT:
		return l->rva.lpc_waitable_port_object_type;
	case FORGE_TYPE_ALPC_PORT:
		return l->rva.alpc_port_object_type;
	default:
		return 0;
	}
}

const char *forge_object_type_name(enum forge_object_type type)
{
	return type < FORGE_TYPE_COUNT ? types[type].name : "";
}

uint8_t forge_object_type_index(enum forge_object_type type)
{
	return type < FORGE_TYPE_COUNT ? types[type].index : 0;
}

const struct forge_layout *forge_windows_layout(const struct forge_windows *windows)
{
	return &windows->layout;
}

const struct forge_windows_facts *forge_windows_facts(const struct forge_windows *windows)
{
	return &windows->facts;
}

uint64_t forge_object_header(const struct forge_windows *windows, uint64_t body)
{
	return body - windows->layout.object_header.body;
}

/* The two _ALPC_HANDLE_TABLE layouts, as the 19041.329 and 19041.3570
 * columns of struct-offsets.md have them (the 2022-03 change moved
 * nothing else). */
static bool apply_alpc_handle_table(struct forge_windows *windows, enum forge_alpc_handle_table variant)
{
	struct forge_layout *l = &windows->layout;
	if (variant == FORGE_ALPC_HANDLE_TABLE_AS_LAYOUT)
		return true;
	if (l->communication_info.close_message == FORGE_NONE) {
		forge_note_misuse(windows->forge, "forge_windows_new: layout %s predates both ALPC handle-table layouts",
				  l->column);
		return false;
	}
	bool after = variant == FORGE_ALPC_HANDLE_TABLE_FROM_2022_03;
	l->communication_info.size = after ? 0x50 : 0x48;
	l->communication_info.close_message = after ? 0x48 : 0x40;
	l->alpc_handle_table.size = after ? 0x20 : 0x18;
	l->alpc_handle_table.handles = 0;
	l->alpc_handle_table.lock = after ? 0x8 : 0x10;
	l->alpc_handle_table.total_handles = after ? 0x10 : 0x8;
	l->alpc_handle_table.flags = after ? 0x18 : 0xc;
	return true;
}

void forge_dispatcher_header(struct forge_windows *windows, uint64_t object, uint8_t type,
			     int32_t signal_state)
{
	const struct forge_layout *l = &windows->layout;
	forge_put_u8(windows, object + l->dispatcher_header.type, type);
	forge_kernel_write_u32(windows, object + l->dispatcher_header.signal_state, (uint32_t)signal_state);
	forge_list_init(windows, object + l->dispatcher_header.wait_list_head);
}

static void set_header_type(struct forge_windows *windows, uint64_t header, enum forge_object_type type)
{
	const struct forge_layout *l = &windows->layout;
	uint8_t index = types[type].index;
	switch (l->header_kind) {
	case FORGE_HEADER_TYPE_POINTER:
		forge_kernel_write_pointer(windows, header + l->object_header.type, windows->facts.types[type]);
		break;
	case FORGE_HEADER_TYPE_INDEX:
		forge_put_u8(windows, header + l->object_header.type_index, index);
		break;
	case FORGE_HEADER_TYPE_COOKIE:
		forge_put_u8(windows, header + l->object_header.type_index,
			     (uint8_t)(index ^ windows->options.ob_header_cookie ^ ((header >> 8) & 0xff)));
		break;
	}
}

/* Counts an object of its type, and links its creator info on the
 * type's TypeList, as a type that keeps its objects listed does. */
static void count_in_type(struct forge_windows *windows, enum forge_object_type type, uint64_t creator)
{
	const struct forge_layout *l = &windows->layout;
	uint64_t type_body = windows->facts.types[type];
	if (!type_body)
		return;
	uint64_t counter = type_body + l->object_type.total_number_of_objects;
	uint8_t bytes[4];
	forge_kmem_read(windows, counter, bytes, 4);
	forge_kernel_write_u32(windows, counter, get_le32(bytes) + 1);
	if (creator)
		forge_list_insert_tail(windows, type_body + l->object_type.type_list,
				       creator + l->creator_info.type_list);
}

/* "\\RPC Control\\StockSvcPort" -> directory "\\RPC Control", leaf
 * "StockSvcPort"; a name without a backslash has no directory; the root
 * "\\" is its own leaf. */
static const char *split_name(const char *name, char **directory)
{
	*directory = NULL;
	const char *last = strrchr(name, '\\');
	if (!last || strcmp(name, "\\") == 0)
		return name;
	size_t length = (size_t)(last - name);
	*directory = checked_malloc(length + 2);
	if (length == 0) {
		strcpy(*directory, "\\");
	} else {
		memcpy(*directory, name, length);
		(*directory)[length] = '\0';
	}
	return last + 1;
}

uint64_t forge_object_with_creator(struct forge_windows *windows, enum forge_object_type type, uint64_t size,
				   const char *name, uint64_t creator_pid)
{
	const struct forge_layout *l = &windows->layout;
	if (type >= FORGE_TYPE_COUNT || (!windows->facts.types[type] && type != FORGE_TYPE_TYPE)) {
		forge_note_misuse(windows->forge, "forge: layout %s has no \"%s\" object type", l->column,
				  forge_object_type_name(type));
		return 0;
	}
	/* Taken before the directories above the name are made, which are
	 * objects too. */
	uint64_t place = forge_take_object_place(windows, type);
	char *directory_path = NULL;
	const char *leaf = name ? split_name(name, &directory_path) : NULL;
	uint64_t directory = directory_path ? forge_directory(windows, directory_path) : 0;
	free(directory_path);
	bool creator = windows->options.creator_info;
	uint64_t creator_size = creator ? l->creator_info.size : 0;
	uint64_t name_size = leaf ? l->name_info.size : 0;
	uint64_t total = name_size + creator_size + l->object_header.body + size;
	uint64_t start = place ? forge_kernel_alloc_at(windows, place - l->object_header.body - creator_size - name_size,
						       total, forge_object_pool_tag(windows, type))
			       : forge_kernel_alloc(windows, total, forge_object_pool_tag(windows, type));
	if (!start)
		return 0;
	uint64_t header = start + name_size + creator_size;
	uint64_t body = header + l->object_header.body;
	uint64_t creator_info = creator ? header - creator_size : 0;
	forge_kernel_write_pointer(windows, header + l->object_header.pointer_count, 1);
	if (creator_info) {
		forge_list_init(windows, creator_info + l->creator_info.type_list);
		forge_kernel_write_pointer(windows, creator_info + l->creator_info.creator_unique_process,
					   creator_pid);
	}
	if (leaf) {
		uint64_t name_info = start;
		forge_kernel_write_pointer(windows, name_info + l->name_info.directory, directory);
		forge_put_unicode_string(windows, name_info + l->name_info.name, leaf);
	}
	if (l->header_kind == FORGE_HEADER_TYPE_POINTER) {
		if (leaf)
			forge_put_u8(windows, header + l->object_header.name_info_offset,
				     (uint8_t)(name_size + creator_size));
		if (creator)
			forge_put_u8(windows, header + l->object_header.flags, OB_FLAG_CREATOR_INFO);
	} else {
		forge_put_u8(windows, header + l->object_header.info_mask,
			     (uint8_t)((creator ? INFO_MASK_CREATOR : 0) | (leaf ? INFO_MASK_NAME : 0)));
	}
	if (type != FORGE_TYPE_TYPE || windows->facts.types[FORGE_TYPE_TYPE]) {
		set_header_type(windows, header, type);
		count_in_type(windows, type, creator_info);
	}
	return body;
}

uint64_t forge_object(struct forge_windows *windows, enum forge_object_type type, uint64_t size,
		      const char *name)
{
	return forge_object_with_creator(windows, type, size, name, 0);
}

uint64_t forge_directory(struct forge_windows *windows, const char *path)
{
	for (size_t i = 0; i < windows->directories.count; i++) {
		struct forge_directory_record *record = windows->directories.items[i];
		if (strcmp(record->path, path) == 0)
			return record->body;
	}
	if (path[0] != '\\') {
		forge_note_misuse(windows->forge, "forge_directory: \"%s\" does not start at the root", path);
		return 0;
	}
	uint64_t body = forge_object(windows, FORGE_TYPE_DIRECTORY, windows->layout.object_directory.size, path);
	struct forge_directory_record *record = checked_calloc(1, sizeof *record);
	record->path = checked_strdup(path);
	record->body = body;
	ptr_vec_push(&windows->directories, record);
	return body;
}

void forge_object_add_references(struct forge_windows *windows, uint64_t body, int64_t pointers,
				 int64_t handles)
{
	const struct forge_layout *l = &windows->layout;
	uint64_t header = forge_object_header(windows, body);
	uint64_t pointer_count = forge_kernel_read_pointer(windows, header + l->object_header.pointer_count);
	uint64_t handle_count = forge_kernel_read_pointer(windows, header + l->object_header.handle_count);
	forge_kernel_write_pointer(windows, header + l->object_header.pointer_count, pointer_count + (uint64_t)pointers);
	forge_kernel_write_pointer(windows, header + l->object_header.handle_count, handle_count + (uint64_t)handles);
}

/* An _OBJECT_TYPE named as Windows names it, in ObTypeIndexTable (Win7+),
 * with the pointer variable the kernel keeps for it. */
static void make_type(struct forge_windows *windows, enum forge_object_type type)
{
	const struct forge_layout *l = &windows->layout;
	uint64_t body = forge_object(windows, FORGE_TYPE_TYPE, l->object_type.size, types[type].name);
	if (!body)
		return;
	windows->facts.types[type] = body;
	if (type == FORGE_TYPE_TYPE) {
		set_header_type(windows, forge_object_header(windows, body), FORGE_TYPE_TYPE);
		count_in_type(windows, FORGE_TYPE_TYPE, 0);
	}
	forge_list_init(windows, body + l->object_type.type_list);
	forge_put_unicode_string(windows, body + l->object_type.name, types[type].name);
	forge_put_u8(windows, body + l->object_type.index, types[type].index);
	forge_kernel_write_u32(windows, body + l->object_type.key,
			       forge_object_pool_tag(windows, type) & 0x7fffffffu);
	if (windows->facts.ob_type_index_table)
		forge_kernel_write_pointer(windows, windows->facts.ob_type_index_table +
						   (uint64_t)types[type].index * l->pointer_size, body);
	uint64_t pointer = forge_global(windows, type_pointer_rva(l, type), l->pointer_size);
	if (pointer)
		forge_kernel_write_pointer(windows, pointer, body);
	windows->facts.type_pointer[type] = pointer;
}

static void make_globals(struct forge_windows *windows)
{
	const struct forge_layout *l = &windows->layout;
	struct forge_windows_facts *facts = &windows->facts;
	uint64_t list = 2 * (uint64_t)l->pointer_size;
	facts->ps_active_process_head = windows->options.ps_active_process_head
						? windows->options.ps_active_process_head
						: forge_global(windows, l->rva.ps_active_process_head, list);
	forge_list_init(windows, facts->ps_active_process_head);
	facts->handle_table_list = forge_kernel_alloc(windows, list, 0);
	forge_list_init(windows, facts->handle_table_list);
	if (l->header_kind != FORGE_HEADER_TYPE_POINTER)
		facts->ob_type_index_table = forge_global(windows, l->rva.ob_type_index_table,
							  TYPE_INDEX_TABLE_ENTRIES * (uint64_t)l->pointer_size);
	if (l->header_kind == FORGE_HEADER_TYPE_COOKIE) {
		facts->ob_header_cookie = forge_global(windows, l->rva.ob_header_cookie, 4);
		facts->ob_header_cookie_value = windows->options.ob_header_cookie;
		forge_put_u8(windows, facts->ob_header_cookie, facts->ob_header_cookie_value);
	}
	if (l->alpc) {
		facts->alpcp_port_list = forge_global(windows, l->rva.alpcp_port_list, list);
		forge_list_init(windows, facts->alpcp_port_list);
	}
	facts->obp_root_directory_object = forge_global(windows, l->rva.obp_root_directory_object, l->pointer_size);
}

struct forge_windows *forge_windows_new(struct forge *forge, const struct forge_windows_options *options)
{
	struct forge_windows *windows = checked_calloc(1, sizeof *windows);
	windows->forge = forge;
	if (!options || !options->layout) {
		forge_note_misuse(forge, "forge_windows_new: no layout");
		return windows;
	}
	windows->options = *options;
	windows->layout = *options->layout;
	if (!apply_alpc_handle_table(windows, options->alpc_handle_table) || !forge_kmem_init(windows))
		return windows;
	make_globals(windows);
	for (enum forge_object_type type = 0; type < FORGE_TYPE_COUNT; type++)
		if (type != FORGE_TYPE_ALPC_PORT || windows->layout.alpc)
			make_type(windows, type);
	windows->facts.root_directory = forge_directory(windows, "\\");
	forge_kernel_write_pointer(windows, windows->facts.obp_root_directory_object, windows->facts.root_directory);
	return windows;
}

void forge_windows_free(struct forge_windows *windows)
{
	if (!windows)
		return;
	for (size_t i = 0; i < windows->process_records.count; i++)
		forge_process_record_release(windows->process_records.items[i]);
	ptr_vec_release(&windows->process_records);
	for (size_t i = 0; i < windows->records.count; i++)
		free(windows->records.items[i]);
	ptr_vec_release(&windows->records);
	for (size_t i = 0; i < windows->directories.count; i++) {
		struct forge_directory_record *record = windows->directories.items[i];
		free(record->path);
		free(record);
	}
	ptr_vec_release(&windows->directories);
	for (size_t i = 0; i < FORGE_TYPE_COUNT; i++)
		u64_vec_release(&windows->object_places[i]);
	for (size_t i = 0; i < FORGE_BLOCK_KIND_COUNT; i++)
		u64_vec_release(&windows->block_places[i]);
	u64_vec_release(&windows->placed_starts);
	u64_vec_release(&windows->placed_ends);
	u64_map_release(&windows->processes);
	u64_map_release(&windows->threads);
	u64_map_release(&windows->ports);
	free(windows);
}

struct forge_process_record *forge_find_process(const struct forge_windows *windows, uint64_t eprocess,
						const char *caller)
{
	struct forge_process_record *record = u64_map_get(&windows->processes, eprocess);
	if (!record)
		forge_note_misuse(windows->forge, "%s: 0x%llx is not a forged process", caller,
				  (unsigned long long)eprocess);
	return record;
}

struct forge_thread_record *forge_find_thread(const struct forge_windows *windows, uint64_t ethread,
					      const char *caller)
{
	struct forge_thread_record *record = u64_map_get(&windows->threads, ethread);
	if (!record)
		forge_note_misuse(windows->forge, "%s: 0x%llx is not a forged thread", caller,
				  (unsigned long long)ethread);
	return record;
}

struct forge_port_record *forge_find_port(const struct forge_windows *windows, uint64_t port,
					  const char *caller)
{
	struct forge_port_record *record = u64_map_get(&windows->ports, port);
	if (!record)
		forge_note_misuse(windows->forge, "%s: 0x%llx is not a forged port", caller,
				  (unsigned long long)port);
	return record;
}
