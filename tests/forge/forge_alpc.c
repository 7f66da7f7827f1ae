/* ALPC (Vista+): _ALPC_PORT objects on AlpcpPortList, the
 * _ALPC_COMMUNICATION_INFO that names a connection's ports, _KALPC_MESSAGE
 * blocks on a port's queues, and the ETHREAD fields that say who waits.
 * Offsets: forge_layouts.h.  What is not public (struct-offsets.md,
 * "Facts that are not publicly documented"): the numbers of QueueType and
 * of the port's u1.s1.Type, which the forge leaves to the caller and at 0;
 * a reader tells a port's kind from its communication info and a
 * message's queue from the list that holds it. */
#include "forge_objects_internal.h"

static bool has_alpc(struct forge_windows *windows, const char *caller)
{
	if (!windows->layout.alpc)
		forge_note_misuse(windows->forge, "%s: layout %s has no ALPC", caller, windows->layout.column);
	return windows->layout.alpc;
}

static void add_u32(struct forge_windows *windows, uint64_t va, uint32_t delta)
{
	uint8_t bytes[4];
	forge_kmem_read(windows, va, bytes, 4);
	forge_kernel_write_u32(windows, va, get_le32(bytes) + delta);
}

static uint64_t new_communication_info(struct forge_windows *windows)
{
	const struct forge_layout *l = &windows->layout;
	uint64_t info = forge_kernel_alloc_block(windows, FORGE_BLOCK_COMMUNICATION_INFO, l->communication_info.size,
						 forge_pool_tag(FORGE_POOL_COMMUNICATION_INFO));
	if (info)
		forge_list_init(windows, info + l->communication_info.communication_list);
	return info;
}

/* A port with empty queues, Initialized, on AlpcpPortList (the kernel
 * list its symbol names; _ALPC_PORT.PortListEntry is the only list entry
 * at the port's start, and _ALPC_PROCESS_CONTEXT has no port list in any
 * layout here). */
static uint64_t new_port(struct forge_windows *windows, uint64_t owner_process, const char *name, uint64_t info)
{
	const struct forge_layout *l = &windows->layout;
	struct forge_process_record *owner = forge_find_process(windows, owner_process, "forge_alpc");
	if (!owner || !info)
		return 0;
	uint64_t port = forge_object_with_creator(windows, FORGE_TYPE_ALPC_PORT, l->alpc_port.size, name, owner->pid);
	if (!port)
		return 0;
	const uint32_t queues[] = { l->alpc_port.main_queue, l->alpc_port.large_message_queue,
				    l->alpc_port.pending_queue, l->alpc_port.canceled_queue,
				    l->alpc_port.wait_queue, l->alpc_port.direct_queue };
	for (size_t i = 0; i < sizeof queues / sizeof *queues; i++)
		if (queues[i] != FORGE_NONE)
			forge_list_init(windows, port + queues[i]);
	forge_kernel_write_pointer(windows, port + l->alpc_port.communication_info, info);
	forge_kernel_write_pointer(windows, port + l->alpc_port.owner_process, owner_process);
	forge_put_bits(windows, port, l->alpc_port.initialized, 1, "_ALPC_PORT.u1.s1.Initialized");
	forge_list_insert_tail(windows, windows->facts.alpcp_port_list, port + l->alpc_port.port_list_entry);
	struct forge_port_record *record = checked_calloc(1, sizeof *record);
	record->port = port;
	record->owner_process = owner_process;
	record->communication_info = info;
	ptr_vec_push(&windows->records, record);
	u64_map_put(&windows->ports, port, record);
	return port;
}

uint64_t forge_alpc_connection_port(struct forge_windows *windows, uint64_t owner_process, const char *name)
{
	if (!has_alpc(windows, "forge_alpc_connection_port"))
		return 0;
	uint64_t info = new_communication_info(windows);
	uint64_t port = new_port(windows, owner_process, name, info);
	if (port)
		forge_kernel_write_pointer(windows, info + windows->layout.communication_info.connection_port, port);
	return port;
}

/* The forge's picture of a connection: one communication info shared by
 * the client and server communication ports, its CommunicationList entry
 * on the connection port's.  That sharing and that list are the forge's
 * reading, not confirmed by a public source: readers should take each
 * port's own CommunicationInfo and not depend on CommunicationList. */
void forge_alpc_connect(struct forge_windows *windows, uint64_t client_process, uint64_t connection_port,
			uint64_t *client_port, uint64_t *server_port)
{
	const struct forge_layout *l = &windows->layout;
	*client_port = *server_port = 0;
	struct forge_port_record *listener = forge_find_port(windows, connection_port, "forge_alpc_connect");
	if (!has_alpc(windows, "forge_alpc_connect") || !listener)
		return;
	uint64_t info = new_communication_info(windows);
	*server_port = new_port(windows, listener->owner_process, NULL, info);
	*client_port = new_port(windows, client_process, NULL, info);
	if (!*server_port || !*client_port)
		return;
	forge_kernel_write_pointer(windows, info + l->communication_info.connection_port, connection_port);
	forge_kernel_write_pointer(windows, info + l->communication_info.server_communication_port, *server_port);
	forge_kernel_write_pointer(windows, info + l->communication_info.client_communication_port, *client_port);
	forge_list_insert_tail(windows, listener->communication_info + l->communication_info.communication_list,
			       info + l->communication_info.communication_list);
}

uint64_t forge_alpc_communication_info(struct forge_windows *windows, uint64_t port)
{
	struct forge_port_record *record = forge_find_port(windows, port, "forge_alpc_communication_info");
	return record ? record->communication_info : 0;
}

static bool queue_fields(const struct forge_layout *l, enum forge_alpc_queue queue, uint32_t *head,
			 uint32_t *length)
{
	switch (queue) {
	case FORGE_QUEUE_MAIN:
		*head = l->alpc_port.main_queue, *length = l->alpc_port.main_queue_length;
		break;
	case FORGE_QUEUE_LARGE_MESSAGE:
		*head = l->alpc_port.large_message_queue, *length = l->alpc_port.large_message_queue_length;
		break;
	case FORGE_QUEUE_PENDING:
		*head = l->alpc_port.pending_queue, *length = l->alpc_port.pending_queue_length;
		break;
	case FORGE_QUEUE_CANCELED:
		*head = l->alpc_port.canceled_queue, *length = l->alpc_port.canceled_queue_length;
		break;
	case FORGE_QUEUE_DIRECT:
		*head = l->alpc_port.direct_queue, *length = l->alpc_port.direct_queue_length;
		break;
	case FORGE_QUEUE_NONE:
	default:
		*head = l->alpc_port.wait_queue, *length = l->alpc_port.wait_queue_length;
		break;
	}
	return *head != FORGE_NONE && *length != FORGE_NONE;
}

uint64_t forge_alpc_queue_head(const struct forge_windows *windows, uint64_t port, enum forge_alpc_queue queue)
{
	uint32_t head, length;
	if (!queue_fields(&windows->layout, queue, &head, &length)) {
		forge_note_misuse(windows->forge, "forge_alpc_queue_head: layout %s has no such queue",
				  windows->layout.column);
		return 0;
	}
	return port + head;
}

static void put_message_state(struct forge_windows *windows, uint64_t message,
			      const struct forge_alpc_message_spec *spec)
{
	const struct forge_layout *l = &windows->layout;
	forge_put_bits(windows, message, l->alpc_message.queue_type, spec->queue_type,
		       "_KALPC_MESSAGE.u1.s1.QueueType");
	if (spec->canceled)
		forge_put_bits(windows, message, l->alpc_message.canceled, 1, "_KALPC_MESSAGE.u1.s1.Canceled");
	if (spec->release_message)
		forge_put_bits(windows, message, l->alpc_message.release_message, 1,
			       "_KALPC_MESSAGE.u1.s1.ReleaseMessage");
	if (spec->reply_wait_reply)
		forge_put_bits(windows, message, l->alpc_message.reply_wait_reply, 1,
			       "_KALPC_MESSAGE.u1.s1.ReplyWaitReply");
}

static void put_attributes(struct forge_windows *windows, uint64_t message,
			   const struct forge_alpc_message_spec *spec)
{
	const struct forge_layout *l = &windows->layout;
	uint64_t at = message + l->alpc_message.message_attributes;
	forge_kernel_write_pointer(windows, at + l->message_attributes.client_context, spec->client_context);
	forge_kernel_write_pointer(windows, at + l->message_attributes.server_context, spec->server_context);
	forge_kernel_write_pointer(windows, at + l->message_attributes.port_context, spec->port_context);
	forge_kernel_write_pointer(windows, at + l->message_attributes.cancel_port_context,
				   spec->cancel_port_context);
	forge_kernel_write_pointer(windows, at + l->message_attributes.security_data, spec->security_data);
	forge_kernel_write_pointer(windows, at + l->message_attributes.view, spec->view);
}

/* _PORT_MESSAGE: the client id defaults to the waiting thread's Cid. */
static void put_port_message(struct forge_windows *windows, uint64_t message,
			     const struct forge_alpc_message_spec *spec)
{
	const struct forge_layout *l = &windows->layout;
	uint64_t at = message + l->alpc_message.port_message;
	uint64_t pid = spec->client_pid, tid = spec->client_tid;
	struct forge_thread_record *waiter = spec->waiting_thread ? u64_map_get(&windows->threads, spec->waiting_thread)
								  : NULL;
	if (!pid && !tid && waiter) {
		pid = waiter->process->pid;
		tid = waiter->tid;
	}
	uint16_t total = spec->total_length ? spec->total_length
					    : (uint16_t)(spec->data_length + l->port_message.size);
	forge_put_u16(windows, at + l->port_message.data_length, spec->data_length);
	forge_put_u16(windows, at + l->port_message.total_length, total);
	forge_put_u16(windows, at + l->port_message.type, spec->type);
	forge_kernel_write_pointer(windows, at + l->port_message.client_id + l->client_id.unique_process, pid);
	forge_kernel_write_pointer(windows, at + l->port_message.client_id + l->client_id.unique_thread, tid);
	forge_kernel_write_u32(windows, at + l->port_message.message_id, spec->message_id);
	forge_kernel_write_u32(windows, at + l->port_message.callback_id, spec->callback_id);
}

uint64_t forge_alpc_message(struct forge_windows *windows, const struct forge_alpc_message_spec *spec)
{
	const struct forge_layout *l = &windows->layout;
	struct forge_port_record *port = forge_find_port(windows, spec->port, "forge_alpc_message");
	uint32_t head = 0, length = 0;
	if (!has_alpc(windows, "forge_alpc_message") || !port)
		return 0;
	if (spec->queue != FORGE_QUEUE_NONE && !queue_fields(l, spec->queue, &head, &length)) {
		forge_note_misuse(windows->forge, "forge_alpc_message: layout %s has no such queue", l->column);
		return 0;
	}
	/* The message's data follows its _PORT_MESSAGE in the same block. */
	uint64_t message = forge_kernel_alloc_block(windows, FORGE_BLOCK_ALPC_MESSAGE,
						    l->alpc_message.size + spec->data_length,
						    forge_pool_tag(FORGE_POOL_ALPC_MESSAGE));
	if (!message)
		return 0;
	if (spec->queue != FORGE_QUEUE_NONE) {
		forge_list_insert_tail(windows, spec->port + head, message + l->alpc_message.entry);
		add_u32(windows, spec->port + length, 1);
	} else {
		forge_list_init(windows, message + l->alpc_message.entry);
	}
	uint64_t info = spec->communication_info ? spec->communication_info : port->communication_info;
	uint64_t connection = spec->connection_port ? spec->connection_port
		: forge_kernel_read_pointer(windows, info + l->communication_info.connection_port);
	forge_kernel_write_pointer(windows, message + l->alpc_message.port_queue, spec->port);
	forge_kernel_write_pointer(windows, message + l->alpc_message.owner_port,
				   spec->owner_port ? spec->owner_port : spec->port);
	forge_kernel_write_pointer(windows, message + l->alpc_message.waiting_thread, spec->waiting_thread);
	forge_kernel_write_pointer(windows, message + l->alpc_message.server_thread, spec->server_thread);
	forge_kernel_write_u32(windows, message + l->alpc_message.sequence_no, (uint32_t)spec->sequence_no);
	forge_kernel_write_pointer(windows, message + l->alpc_message.quota_process, spec->quota_process);
	forge_kernel_write_pointer(windows, message + l->alpc_message.cancel_sequence_port,
				   spec->cancel_sequence_port);
	forge_kernel_write_pointer(windows, message + l->alpc_message.cancel_queue_port, spec->cancel_queue_port);
	forge_kernel_write_u32(windows, message + l->alpc_message.cancel_sequence_no,
			       (uint32_t)spec->cancel_sequence_no);
	forge_list_init(windows, message + l->alpc_message.cancel_list_entry);
	forge_kernel_write_pointer(windows, message + l->alpc_message.communication_info, info);
	forge_kernel_write_pointer(windows, message + l->alpc_message.connection_port, connection);
	forge_kernel_write_pointer(windows, message + l->alpc_message.extension_buffer, spec->extension_buffer);
	forge_kernel_write_pointer(windows, message + l->alpc_message.extension_buffer_size,
				   spec->extension_buffer_size);
	put_message_state(windows, message, spec);
	put_attributes(windows, message, spec);
	put_port_message(windows, message, spec);
	if (spec->waiting_thread && forge_find_thread(windows, spec->waiting_thread, "forge_alpc_message")) {
		forge_put_field_pointer(windows, spec->waiting_thread, l->thread.alpc_message_id, spec->message_id,
					"_ETHREAD.AlpcMessageId");
		forge_put_field_pointer(windows, spec->waiting_thread, l->thread.alpc_message, message,
					"_ETHREAD.AlpcMessage");
	}
	return message;
}

void forge_alpc_wait_for_message(struct forge_windows *windows, uint64_t port, uint64_t thread)
{
	const struct forge_layout *l = &windows->layout;
	if (!has_alpc(windows, "forge_alpc_wait_for_message") ||
	    !forge_find_port(windows, port, "forge_alpc_wait_for_message") ||
	    !forge_find_thread(windows, thread, "forge_alpc_wait_for_message"))
		return;
	forge_list_insert_tail(windows, port + l->alpc_port.wait_queue, thread + l->thread.alpc_wait_list_entry);
	add_u32(windows, port + l->alpc_port.wait_queue_length, 1);
}

/* The queue's dispatcher header says QueueObject (_KOBJECTS in every
 * jpcert ISF file); ThreadListHead and QueueListEntry: forge_layouts.h
 * (_KQUEUE, _KTHREAD from the raw symbol files). */
uint64_t forge_alpc_register_thread(struct forge_windows *windows, uint64_t port, uint64_t thread)
{
	const struct forge_layout *l = &windows->layout;
	if (!has_alpc(windows, "forge_alpc_register_thread") ||
	    !forge_find_port(windows, port, "forge_alpc_register_thread") ||
	    !forge_find_thread(windows, thread, "forge_alpc_register_thread"))
		return 0;
	uint64_t queue = forge_kernel_read_pointer(windows, port + l->alpc_port.completion_port);
	if (!queue) {
		queue = forge_kernel_alloc_block(windows, FORGE_BLOCK_KQUEUE, l->kqueue.size,
						 forge_pool_tag(FORGE_POOL_KQUEUE));
		if (!queue)
			return 0;
		forge_dispatcher_header(windows, queue + l->kqueue.header, FORGE_KOBJECT_QUEUE, 0);
		forge_list_init(windows, queue + l->kqueue.thread_list_head);
		forge_kernel_write_pointer(windows, port + l->alpc_port.completion_port, queue);
	}
	forge_list_insert_tail(windows, queue + l->kqueue.thread_list_head, thread + l->thread.queue_list_entry);
	return queue;
}

void forge_alpc_port_set(struct forge_windows *windows, uint64_t port,
			 const struct forge_alpc_port_settings *settings)
{
	const struct forge_layout *l = &windows->layout;
	if (!forge_find_port(windows, port, "forge_alpc_port_set"))
		return;
	uint8_t bytes[4];
	forge_kmem_read(windows, port + l->alpc_port.state, bytes, 4);
	forge_kernel_write_u32(windows, port + l->alpc_port.state, get_le32(bytes) | settings->state);
	uint64_t attributes = port + l->alpc_port.port_attributes;
	forge_kernel_write_u32(windows, attributes + l->port_attributes.flags, settings->attribute_flags);
	forge_kernel_write_pointer(windows, attributes + l->port_attributes.max_message_length,
				   settings->max_message_length);
	forge_kernel_write_u32(windows, port + l->alpc_port.sequence_no, (uint32_t)settings->sequence_no);
	forge_kernel_write_pointer(windows, port + l->alpc_port.port_context, settings->port_context);
}

void forge_alpc_unlist_port(struct forge_windows *windows, uint64_t port)
{
	const struct forge_layout *l = &windows->layout;
	if (!forge_find_port(windows, port, "forge_alpc_unlist_port"))
		return;
	uint32_t blink = l->pointer_size;
	uint64_t entry = port + l->alpc_port.port_list_entry;
	uint64_t next = forge_kernel_read_pointer(windows, entry);
	uint64_t previous = forge_kernel_read_pointer(windows, entry + blink);
	if (next == entry)
		return;
	forge_kernel_write_pointer(windows, previous, next);
	forge_kernel_write_pointer(windows, next + blink, previous);
	forge_list_init(windows, entry);
}
