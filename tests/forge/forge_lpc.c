/* LPC (XP, 2003): _LPCP_PORT_OBJECT ("Port" objects), _LPCP_MESSAGE on a
 * port's MsgQueue.ReceiveHead, and the ETHREAD Lpc* fields.  Offsets:
 * forge_layouts.h.  How ports are set up follows ReactOS's LPC
 * (ntoskrnl/lpc/create.c LpcpCreatePort: a connection port's
 * ConnectionPort is itself, Creator the creating thread's Cid,
 * ServerProcess the creating process; connect.c: a client port's
 * ConnectionPort is the connection port; ntoskrnl/include/internal/lpc.h:
 * Flags 1 connection, 3 communication, 4 client port, and bit 0 of
 * LpcWaitingOnPort LPCP_THREAD_FLAG_IS_PORT), which struct-offsets.md's
 * notes on the debugger's !lpc output agree with. */
#include "forge_objects_internal.h"

#define LPCP_CONNECTION_PORT 1
#define LPCP_COMMUNICATION_PORT 3
#define LPCP_CLIENT_PORT 4
#define LPCP_THREAD_FLAG_IS_PORT 1
/* ReactOS sdk/include/ndk/lpctypes.h */
#define LPCP_WAITABLE_PORT 0x20000000
/* A port queue's semaphore has this Limit (ReactOS
 * ntoskrnl/lpc/create.c LpcpInitializePortQueue: 0x7FFFFFFF). */
#define QUEUE_SEMAPHORE_LIMIT 0x7fffffff

static bool has_lpc(struct forge_windows *windows, const char *caller)
{
	if (windows->layout.alpc)
		forge_note_misuse(windows->forge, "%s: layout %s has ALPC, not LPC", caller, windows->layout.column);
	return !windows->layout.alpc;
}

/* MsgQueue: a _LPCP_NONPAGED_PORT_QUEUE (its semaphore, a BackPointer to
 * the port) and an empty ReceiveHead. */
static void init_queue(struct forge_windows *windows, uint64_t port)
{
	const struct forge_layout *l = &windows->layout;
	uint64_t queue = port + l->lpc_port.msg_queue;
	uint64_t nonpaged = forge_kernel_alloc_block(windows, FORGE_BLOCK_LPC_QUEUE, l->lpc_nonpaged_port_queue.size,
						     forge_pool_tag(FORGE_POOL_LPC_QUEUE));
	if (!nonpaged)
		return;
	uint64_t semaphore = nonpaged + l->lpc_nonpaged_port_queue.semaphore;
	forge_dispatcher_header(windows, semaphore, FORGE_KOBJECT_SEMAPHORE, 0);
	/* _KSEMAPHORE.Limit follows its dispatcher header (ISF, every layout). */
	forge_kernel_write_u32(windows, semaphore + l->dispatcher_header.size, QUEUE_SEMAPHORE_LIMIT);
	forge_kernel_write_pointer(windows, nonpaged + l->lpc_nonpaged_port_queue.back_pointer, port);
	forge_kernel_write_pointer(windows, queue + l->lpc_port_queue.non_paged_port_queue, nonpaged);
	forge_kernel_write_pointer(windows, queue + l->lpc_port_queue.semaphore, semaphore);
	forge_list_init(windows, queue + l->lpc_port_queue.receive_head);
}

static uint64_t new_port(struct forge_windows *windows, enum forge_object_type type, uint64_t owner_process,
			 const char *name, uint32_t flags, uint64_t creator_tid)
{
	const struct forge_layout *l = &windows->layout;
	struct forge_process_record *owner = forge_find_process(windows, owner_process, "forge_lpc");
	if (!owner)
		return 0;
	uint64_t port = forge_object_with_creator(windows, type, l->lpc_port.size, name, owner->pid);
	if (!port)
		return 0;
	forge_kernel_write_u32(windows, port + l->lpc_port.flags, flags);
	forge_kernel_write_pointer(windows, port + l->lpc_port.creator + l->client_id.unique_process, owner->pid);
	forge_kernel_write_pointer(windows, port + l->lpc_port.creator + l->client_id.unique_thread, creator_tid);
	forge_list_init(windows, port + l->lpc_port.lpc_reply_chain_head);
	/* LpcDataInfoChainHead, the LIST_ENTRY right after LpcReplyChainHead
	 * in every LPC column of struct-offsets.md (0x78/0x80, 0xb8/0xc8):
	 * empty, as `!lpc port` shows it ("The LpcDataInfoChainHead queue is
	 * empty", debugger-output-formats.md §3.1). */
	forge_list_init(windows, port + l->lpc_port.lpc_reply_chain_head + 2 * l->pointer_size);
	init_queue(windows, port);
	struct forge_port_record *record = checked_calloc(1, sizeof *record);
	record->port = port;
	record->owner_process = owner_process;
	ptr_vec_push(&windows->records, record);
	u64_map_put(&windows->ports, port, record);
	return port;
}

uint64_t forge_lpc_connection_port(struct forge_windows *windows, uint64_t owner_process, const char *name)
{
	const struct forge_layout *l = &windows->layout;
	if (!has_lpc(windows, "forge_lpc_connection_port"))
		return 0;
	uint64_t port = new_port(windows, FORGE_TYPE_PORT, owner_process, name, LPCP_CONNECTION_PORT, 0);
	if (port) {
		forge_kernel_write_pointer(windows, port + l->lpc_port.connection_port, port);
		forge_kernel_write_pointer(windows, port + l->lpc_port.server_process, owner_process);
	}
	return port;
}

uint64_t forge_lpc_waitable_connection_port(struct forge_windows *windows, uint64_t owner_process,
					    const char *name)
{
	const struct forge_layout *l = &windows->layout;
	if (!has_lpc(windows, "forge_lpc_waitable_connection_port"))
		return 0;
	uint64_t port = new_port(windows, FORGE_TYPE_WAITABLE_PORT, owner_process, name,
				 LPCP_CONNECTION_PORT | LPCP_WAITABLE_PORT, 0);
	if (port) {
		forge_kernel_write_pointer(windows, port + l->lpc_port.connection_port, port);
		forge_kernel_write_pointer(windows, port + l->lpc_port.server_process, owner_process);
		/* WaitEvent: the KEVENT right after Flags in every LPC column of
		 * struct-offsets.md (0x90/0x94, 0xe4/0xe8). */
		forge_dispatcher_header(windows, port + l->lpc_port.flags + 4, FORGE_KOBJECT_EVENT_NOTIFICATION, 0);
	}
	return port;
}

void forge_lpc_connect(struct forge_windows *windows, uint64_t client_thread, uint64_t connection_port,
		       uint64_t *client_port, uint64_t *server_port)
{
	const struct forge_layout *l = &windows->layout;
	*client_port = *server_port = 0;
	struct forge_thread_record *client = forge_find_thread(windows, client_thread, "forge_lpc_connect");
	struct forge_port_record *listener = forge_find_port(windows, connection_port, "forge_lpc_connect");
	if (!has_lpc(windows, "forge_lpc_connect") || !client || !listener)
		return;
	*client_port = new_port(windows, FORGE_TYPE_PORT, client->process->eprocess, NULL, LPCP_CLIENT_PORT,
				client->tid);
	*server_port = new_port(windows, FORGE_TYPE_PORT, listener->owner_process, NULL, LPCP_COMMUNICATION_PORT, 0);
	if (!*client_port || !*server_port)
		return;
	forge_kernel_write_pointer(windows, *client_port + l->lpc_port.connection_port, connection_port);
	forge_kernel_write_pointer(windows, *client_port + l->lpc_port.connected_port, *server_port);
	forge_kernel_write_pointer(windows, *server_port + l->lpc_port.connection_port, connection_port);
	forge_kernel_write_pointer(windows, *server_port + l->lpc_port.connected_port, *client_port);
	forge_kernel_write_pointer(windows, *server_port + l->lpc_port.server_process, listener->owner_process);
}

uint64_t forge_lpc_message(struct forge_windows *windows, const struct forge_lpc_message_spec *spec)
{
	const struct forge_layout *l = &windows->layout;
	if (!has_lpc(windows, "forge_lpc_message") ||
	    (spec->queue_port && !forge_find_port(windows, spec->queue_port, "forge_lpc_message")))
		return 0;
	uint64_t message = forge_kernel_alloc_block(windows, FORGE_BLOCK_LPC_MESSAGE,
						    l->lpc_message.size + spec->data_length,
						    forge_pool_tag(FORGE_POOL_LPC_MESSAGE));
	if (!message)
		return 0;
	if (spec->queue_port)
		forge_list_insert_tail(windows, spec->queue_port + l->lpc_port.msg_queue + l->lpc_port_queue.receive_head,
				       message + l->lpc_message.entry);
	else
		forge_list_init(windows, message + l->lpc_message.entry);
	forge_kernel_write_pointer(windows, message + l->lpc_message.sender_port, spec->sender_port);
	forge_kernel_write_pointer(windows, message + l->lpc_message.replied_to_thread, spec->replied_to_thread);
	forge_kernel_write_pointer(windows, message + l->lpc_message.port_context, spec->port_context);
	uint64_t request = message + l->lpc_message.request;
	uint16_t total = spec->total_length ? spec->total_length
					    : (uint16_t)(spec->data_length + l->port_message.size);
	forge_put_u16(windows, request + l->port_message.data_length, spec->data_length);
	forge_put_u16(windows, request + l->port_message.total_length, total);
	forge_put_u16(windows, request + l->port_message.type, spec->type);
	forge_kernel_write_pointer(windows, request + l->port_message.client_id + l->client_id.unique_process,
				   spec->client_pid);
	forge_kernel_write_pointer(windows, request + l->port_message.client_id + l->client_id.unique_thread,
				   spec->client_tid);
	forge_kernel_write_u32(windows, request + l->port_message.message_id, spec->message_id);
	forge_kernel_write_u32(windows, request + l->port_message.callback_id, spec->callback_id);
	return message;
}

void forge_lpc_wait_reply(struct forge_windows *windows, uint64_t thread, uint64_t port, uint32_t message_id)
{
	const struct forge_layout *l = &windows->layout;
	if (!has_lpc(windows, "forge_lpc_wait_reply") || !forge_find_thread(windows, thread, "forge_lpc_wait_reply") ||
	    !forge_find_port(windows, port, "forge_lpc_wait_reply"))
		return;
	forge_kernel_write_u32(windows, thread + l->thread.lpc_reply_message_id, message_id);
	forge_kernel_write_pointer(windows, thread + l->thread.lpc_waiting_on_port, port | LPCP_THREAD_FLAG_IS_PORT);
	forge_list_insert_tail(windows, port + l->lpc_port.lpc_reply_chain_head, thread + l->thread.lpc_reply_chain);
}

void forge_lpc_reply_message(struct forge_windows *windows, uint64_t thread, uint64_t message)
{
	if (has_lpc(windows, "forge_lpc_reply_message") &&
	    forge_find_thread(windows, thread, "forge_lpc_reply_message"))
		forge_kernel_write_pointer(windows, thread + windows->layout.thread.lpc_reply_message, message);
}

void forge_lpc_received(struct forge_windows *windows, uint64_t thread, uint32_t message_id)
{
	const struct forge_layout *l = &windows->layout;
	if (!has_lpc(windows, "forge_lpc_received") || !forge_find_thread(windows, thread, "forge_lpc_received"))
		return;
	forge_kernel_write_u32(windows, thread + l->thread.lpc_received_message_id, message_id);
	forge_put_bits(windows, thread, l->thread.lpc_received_msg_id_valid, 1, "_ETHREAD.LpcReceivedMsgIdValid");
}
