/* The forge test's own reading of Windows kernel objects from a dump file:
 * virtual reads through independent_reader.c's page walks, lists, handle
 * tables, object types and names, at offsets typed by hand from
 * ../shared/docs/struct-offsets.md for a few layouts (object_reader.c says
 * which value came from which table).  It shares nothing with the forge's
 * forge_layouts.c nor with alpcgraph's src/kernel and src/ipc: a wrong
 * offset in one of them shows up as a disagreement here. */
#ifndef ALPCGRAPH_FORGE_OBJECT_READER_H
#define ALPCGRAPH_FORGE_OBJECT_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "forge.h"
#include "independent_reader.h"

#define NA 0xffffffffu

enum known_header { KNOWN_TYPE_POINTER, KNOWN_TYPE_INDEX, KNOWN_TYPE_COOKIE };

struct known_offsets {
	const char *column;
	unsigned pointer;
	enum known_header header;
	bool pointer_bits_handles; /* Win8.1+ _HANDLE_TABLE_ENTRY */
	uint32_t eprocess_pid, eprocess_links, eprocess_name, eprocess_object_table, eprocess_threads;
	uint32_t ethread_list_entry, ethread_cid, kthread_state, kthread_wait_reason, kthread_wait_block_list;
	uint32_t wait_block_object, mutant_owner;
	uint32_t alpc_message_id, alpc_message, alpc_wait_list_entry;
	uint32_t table_code, handle_entry_size, handle_granted_access;
	uint32_t header_type, header_name_info_offset, header_type_index, header_info_mask, header_body;
	uint32_t name_info_size, name_info_directory, name_info_name, creator_info_size;
	uint32_t type_name, type_index;
	uint32_t port_comm_info, port_owner, port_main_queue, port_wait_queue, port_main_queue_length,
		port_wait_queue_length;
	uint32_t comm_connection, comm_server, comm_client;
	uint32_t msg_port_queue, msg_owner_port, msg_waiting_thread, msg_state, msg_server_thread,
		msg_port_message;
	uint32_t pm_client_id, pm_message_id;
	/* for the scenarios (test_forge_scenarios.c); XP: NA */
	uint32_t port_pending_queue, port_canceled_queue, port_pending_queue_length, port_canceled_queue_length,
		port_sequence_no, port_completion_port;
	uint32_t msg_canceled_bit; /* in the u1 word at msg_state */
	uint32_t pm_callback_id;   /* PORT_MESSAGE: DataLength +0, TotalLength +2, Type +4 */
	/* LPC */
	uint32_t lpc_reply_chain, lpc_waiting_on_port, lpc_reply_message_id, lpc_received_message_id,
		lpc_received_valid;
	uint32_t lpc_port_connection, lpc_port_connected, lpc_port_receive_head, lpc_port_reply_chain_head,
		lpc_port_flags;
	uint32_t lpc_message_sender, lpc_message_request;
	/* LPC, for the issue-5 scenarios (test_forge_lpc_scenarios.c); NA
	 * where the column has no LPC */
	uint32_t lpc_port_creator, lpc_port_server_process, lpc_port_semaphore, lpc_port_data_info_chain_head;
	uint32_t lpc_message_replied_to_thread, lpc_message_context;
	uint32_t header_pointer_count, header_handle_count, dispatcher_signal_state, pm_size;
};

/* "19041.3570", "19041.329", "7601.24540", "7601.17514", "9600", "14393",
 * "17763", "22000", "22621", "Vista x64", "XP x86", "2003 x86", "2003 x64". */
const struct known_offsets *known_offsets(const char *column);

struct kreader {
	struct image image;
	uint64_t dtb;
	enum forge_arch arch;
	const struct known_offsets *k;
	bool ok; /* false once a virtual read failed */
};

/* Opens a Windows full dump (x64 or x86 header by arch). */
bool kr_open(struct kreader *kr, const char *path, enum forge_arch arch, uint64_t dtb,
	     const struct known_offsets *k);
void kr_close(struct kreader *kr);
/* WALK_OK, or why va cannot be read. */
enum walk_result kr_translate(struct kreader *kr, uint64_t va, uint64_t *pa);
bool kr_read(struct kreader *kr, uint64_t va, void *bytes, size_t length);
uint64_t kr_ptr(struct kreader *kr, uint64_t va);
uint64_t kr_u64(struct kreader *kr, uint64_t va);
uint32_t kr_u32(struct kreader *kr, uint64_t va);
uint16_t kr_u16(struct kreader *kr, uint64_t va);
uint8_t kr_u8(struct kreader *kr, uint64_t va);

/* The entries of a LIST_ENTRY list, head excluded, at most max; SIZE_MAX
 * when the walk does not come back to head within max steps. */
size_t kr_list(struct kreader *kr, uint64_t head, uint64_t *entries, size_t max);
/* A UNICODE_STRING's ASCII text (at most size - 1 characters). */
bool kr_unicode(struct kreader *kr, uint64_t string, char *text, size_t size);

/* The handle's entry: the object body (0 for none) and its access. */
uint64_t kr_handle_object(struct kreader *kr, uint64_t handle_table, uint32_t handle, uint32_t *access);
/* The object's type name, through Type, ObTypeIndexTable or the cookie. */
bool kr_type_name(struct kreader *kr, uint64_t body, uint64_t type_table, uint8_t cookie, char *name,
		  size_t size);
/* The object's name from its name info, with its directories up to the
 * root: "\\RPC Control\\StockSvcPort". */
bool kr_object_name(struct kreader *kr, uint64_t body, char *name, size_t size);

#endif
