/* The forge's own table of Windows kernel structure layouts: the offsets
 * the forged kernel objects need, one struct forge_layout per build.
 *
 * Every value is transcribed from the public symbol data under
 * ../shared/symbols/ (the raw file each layout names in `source`), and
 * cross-checked against ../shared/docs/struct-offsets.md, whose column
 * names the layouts keep.  forge_layouts.c says, per layout, which file
 * and which column; forge_layouts.py is the script that transcribed them.
 * The readers in src/kernel and src/ipc have tables of their own: nothing
 * here may be shared with them, so a wrong offset cannot hide by being
 * wrong the same way in reader and forge. */
#ifndef ALPCGRAPH_FORGE_LAYOUTS_H
#define ALPCGRAPH_FORGE_LAYOUTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A field the build does not have. */
#define FORGE_NONE UINT32_MAX

/* A bitfield: bits [bit, bit + width) counted from the least significant
 * bit of the little-endian bytes that start at offset. */
struct forge_bits {
	uint32_t offset;
	uint8_t bit, width;
};

/* Kernel symbol RVAs (from the ntoskrnl image base), 0 when the layout's
 * source has no symbols (struct-offsets.md "Kernel symbol RVAs"). */
struct forge_symbol_rvas {
	uint32_t kd_debugger_data_block, kdp_data_block_encoded, ki_wait_never, ki_wait_always,
		kd_version_block, kd_copy_data_block, ps_active_process_head, ps_loaded_module_list,
		ps_initial_system_process, psp_cid_table, ob_header_cookie, ob_type_index_table,
		obp_info_mask_to_offset, obp_root_directory_object, obp_type_object_type,
		alpc_port_object_type, lpc_port_object_type, lpc_waitable_port_object_type,
		alpcp_port_list, alpcp_port_list_lock, mm_pfn_database, ki_processor_block,
		ke_number_processors, mm_pte_base, nt_build_lab;
};

/* How _HANDLE_TABLE_ENTRY holds the object (struct-offsets.md "Handle
 * table notes"). */
enum forge_handle_encoding {
	/* XP ... Win7: the _OBJECT_HEADER address, low 3 bits flags. */
	FORGE_HANDLE_HEADER_POINTER,
	/* Win8.1+: ObjectPointerBits = header address bits 4..47 at bits
	 * 20..63 of the first qword. */
	FORGE_HANDLE_POINTER_BITS,
};

/* How _OBJECT_HEADER names its type and finds its optional headers. */
enum forge_object_header_kind {
	FORGE_HEADER_TYPE_POINTER, /* XP, 2003, Vista: Type, NameInfoOffset */
	FORGE_HEADER_TYPE_INDEX,   /* Win7, 8.1: TypeIndex, InfoMask */
	FORGE_HEADER_TYPE_COOKIE,  /* Win10+: TypeIndex ^ cookie ^ address byte */
};

struct forge_layout {
	const char *column;  /* struct-offsets.md column: "19041.3570" */
	const char *version; /* ntoskrnl version, as far as the source says */
	const char *source;  /* the raw file under shared/symbols/ */
	uint32_t build;      /* NtBuildNumber's low 16 bits */
	uint32_t pointer_size;
	const char *pdb_guid; /* ntkrnlmp.pdb GUID, "" when the source has none */
	uint32_t pdb_age;
	enum forge_object_header_kind header_kind;
	enum forge_handle_encoding handle_encoding;
	bool alpc;            /* Vista+: ALPC; older: LPC */
	struct forge_symbol_rvas rva;

	struct { uint32_t size, length, maximum_length, buffer; } unicode_string;
	struct { uint32_t size, type, signal_state, wait_list_head; } dispatcher_header;
	struct {
		uint32_t size, pointer_count, handle_count, type, name_info_offset, type_index,
			info_mask, flags, body;
	} object_header;
	struct { uint32_t size, directory, name; } name_info;
	struct { uint32_t size, type_list, creator_unique_process; } creator_info;
	struct { uint32_t size, type_list, name, index, key, total_number_of_objects; } object_type;
	struct { uint32_t size; } object_directory;
	struct { uint32_t size, header, mutant_list_entry, owner_thread, abandoned; } mutant;
	struct { uint32_t size; } event;
	struct { uint32_t size, wait_list_entry, thread, object, next_wait_block, wait_key, wait_type; } wait_block;
	struct { uint32_t size, unique_process, unique_thread; } client_id;
	struct {
		uint32_t size, directory_table_base, pcb_thread_list_head, create_time,
			unique_process_id, active_process_links, object_table,
			inherited_from_unique_process_id, image_file_name, thread_list_head,
			active_threads, alpc_context;
	} process;
	struct {
		uint32_t size, kthread_size, kthread_state, wait_reason, wait_mode, wait_time,
			apc_state_process, kthread_process, wait_block_list, wait_block,
			kthread_thread_list_entry, queue_list_entry, create_time, cid, threads_process,
			start_address, win32_start_address, thread_list_entry,
			alpc_message_id, alpc_message, alpc_wait_list_entry,
			lpc_reply_chain, lpc_reply_semaphore, lpc_reply_message, lpc_waiting_on_port,
			lpc_received_message_id, lpc_reply_message_id;
		struct forge_bits lpc_received_msg_id_valid, lpc_exit_thread_called;
	} thread;
	struct {
		uint32_t size, table_code, quota_process, unique_process_id, handle_table_list,
			next_handle_needing_pool, handle_count;
	} handle_table;
	struct {
		uint32_t size, object, granted_access;
		/* FORGE_HANDLE_POINTER_BITS only */
		struct forge_bits unlocked, ref_cnt, attributes, object_pointer_bits,
			granted_access_bits;
	} handle_entry;
	struct { uint32_t size, lock, view_list_head; } alpc_process_context;
	struct {
		uint32_t size, port_list_entry, communication_info, owner_process,
			completion_port, port_context, main_queue, large_message_queue,
			pending_queue, direct_queue, wait_queue, canceled_queue,
			port_attributes, sequence_no, state, target_queue_port,
			target_sequence_port, main_queue_length, large_message_queue_length,
			pending_queue_length, direct_queue_length, canceled_queue_length,
			wait_queue_length;
		struct forge_bits initialized, type, connection_pending, connection_refused,
			disconnected, closed, waitable, lpc;
	} alpc_port;
	struct { uint32_t size, flags, max_message_length; } port_attributes;
	struct {
		uint32_t size, connection_port, server_communication_port,
			client_communication_port, communication_list, handle_table, close_message;
	} communication_info;
	struct { uint32_t size, handles, total_handles, flags, lock; } alpc_handle_table;
	struct {
		uint32_t size, entry, extension_buffer, extension_buffer_size, quota_process,
			sequence_no, state, cancel_sequence_port, cancel_queue_port,
			cancel_sequence_no, cancel_list_entry, waiting_thread, reserve,
			port_queue, owner_port, message_attributes, data_user_va,
			communication_info, connection_port, server_thread, port_message;
		struct forge_bits queue_type, queue_port_type, canceled, ready, release_message,
			shared_quota, reply_wait_reply, owner_port_reference, receiver_reference,
			in_dispatch, in_canceled_queue;
	} alpc_message;
	struct {
		uint32_t size, client_context, server_context, port_context, cancel_port_context,
			security_data, view, handle_data;
	} message_attributes;
	struct {
		uint32_t size, data_length, total_length, type, data_info_offset, client_id,
			message_id, callback_id;
	} port_message;
	struct {
		uint32_t size, pool_tag;
		struct forge_bits previous_size, pool_index, block_size, pool_type;
	} pool_header;
	struct {
		uint32_t size, connection_port, connected_port, msg_queue, creator, port_context,
			client_thread, lpc_reply_chain_head, server_process, max_message_length,
			flags;
	} lpc_port;
	struct { uint32_t size, non_paged_port_queue, semaphore, receive_head; } lpc_port_queue;
	struct { uint32_t size, semaphore, back_pointer; } lpc_nonpaged_port_queue;
	struct {
		uint32_t size, entry, sender_port, replied_to_thread, port_context, request;
	} lpc_message;
	struct { uint32_t size; } ksemaphore;
	/* an IO completion object: ALPC_PORT.CompletionPort; its registered
	 * threads hang on ThreadListHead by _KTHREAD.QueueListEntry */
	struct { uint32_t size, header, thread_list_head; } kqueue;
};

/* The layouts, oldest first; the count is FORGE_LAYOUT_COUNT. */
enum {
	FORGE_LAYOUT_COUNT = 14,
};
extern const struct forge_layout forge_layouts[FORGE_LAYOUT_COUNT];
/* The layout of a struct-offsets.md column ("XP x86", "7601.24540",
 * "22621", ...), or NULL. */
const struct forge_layout *forge_layout_named(const char *column);

#endif
