/* LPC (XP, 2003) from a dump into the snapshot, in the shape the
 * transcript reader gives for `!lpc port` and the thread lines "Waiting
 * for reply to LPC MessageId N:", "Current LPC port P" and "LPC Server
 * thread working on message Id N" (src/transcript/lpc_listing.c,
 * kernel_listing.c), so the correlator's LPC waits
 * (src/correlate/ipc_waits.c: client thread -> port -> server process,
 * and the server thread whose received id matches) come out the same. */
#include <string.h>

#include "ipc_internal.h"

static const struct origin nowhere = { ORIGIN_NONE, 0, 0 };

static enum port_kind port_kind_of(enum kernel_lpc_port_kind kind)
{
	switch (kind) {
	case KERNEL_LPC_SERVER_CONNECTION_PORT:
		return PORT_LPC_SERVER_CONNECTION;
	case KERNEL_LPC_UNCONNECTED_COMMUNICATION_PORT:
		return PORT_LPC_UNCONNECTED_COMMUNICATION;
	case KERNEL_LPC_SERVER_COMMUNICATION_PORT:
		return PORT_LPC_SERVER_COMMUNICATION;
	case KERNEL_LPC_CLIENT_COMMUNICATION_PORT:
		return PORT_LPC_CLIENT_COMMUNICATION;
	default:
		return PORT_KIND_UNKNOWN;
	}
}

/* `!lpc` prints the object's own name ("ApiPort"), not its path. */
static const char *leaf_name(const char *path)
{
	const char *slash = strrchr(path, '\\');
	return slash ? slash + 1 : path;
}

/* What a list holds: what is linked, unless the walk was cut short;
 * then unknown (LPC ports store no length). */
static void fill_queue(struct port_queue *queue, const struct kernel_lpc_list *list)
{
	queue->length = list->complete ? known_u64(list->entries.count) : UNKNOWN_U64;
	queue->messages.count = 0;
	for (size_t i = 0; i < list->entries.count; i++)
		u64_vec_push(&queue->messages, list->entries.items[i]);
}

static void fill_port(struct snapshot *snapshot, const struct kernel_lpc_port *k)
{
	struct port *port = snapshot_port(snapshot, k->address, origin_virtual(k->address));
	port->flavor = FLAVOR_LPC;
	if (k->kind)
		port->kind = port_kind_of(k->kind);
	if (k->name && !port->name) {
		const char *name = leaf_name(k->name);
		if (*name)
			port->name = snapshot_text(snapshot, name, strlen(name));
	}
	port->lpc_flags = known_u64(k->flags);
	if (k->server_process)
		port->owner_process = known_u64(k->server_process);
	if (k->connection_port)
		port->connection_port = known_u64(k->connection_port);
	if (k->connected_port)
		port->connected_port = known_u64(k->connected_port);
	if (k->counts_known) {
		port->handles = known_u64(k->handles);
		port->references = known_u64(k->references);
	}
	if (k->queue_semaphore)
		port->queue_semaphore = known_u64(k->queue_semaphore);
	if (k->semaphore_read)
		port->semaphore_state = known_u64((uint32_t)k->semaphore_state);
	fill_queue(&port->queues[QUEUE_LPC_MESSAGES], &k->messages);
	fill_queue(&port->queues[QUEUE_LPC_DATA_INFO], &k->data_info);
	/* The rundown queue: the threads waiting for a reply through it. */
	for (size_t i = 0; i < k->reply_chain.entries.count; i++)
		u64_vec_push_unique(&port->waiting_threads, k->reply_chain.entries.items[i]);
	if (k->reply_chain.complete)
		port->waiting_thread_count = known_u64(k->reply_chain.entries.count);
}

static void fill_message(struct snapshot *snapshot, const struct kernel_lpc_census *census,
			 const struct kernel_lpc_message *k)
{
	struct message *m = snapshot_message(snapshot, FLAVOR_LPC, known_u64(k->address),
					     known_u64(k->message_id), origin_virtual(k->address));
	m->callback_id = known_u64(k->callback_id);
	m->type = kernel_lpc_message_type_name(k->type);
	m->type_number = known_u64(k->type);
	m->data_length = known_u64(k->data_length);
	m->total_length = known_u64(k->total_length);
	m->lpc_state = k->busy ? "Busy" : "Free";
	m->client_pid = known_u64(k->client_pid);
	m->client_tid = known_u64(k->client_tid);
	m->lpc_context = known_u64(k->port_context);
	m->lpc_flink = known_u64(k->entry_flink);
	m->lpc_blink = known_u64(k->entry_blink);
	_Static_assert((int)KERNEL_LPC_DATA_WORDS <= (int)MESSAGE_DATA_WORDS, "the model keeps every word read");
	memcpy(m->lpc_data, k->data, sizeof k->data);
	m->lpc_data_count = (uint8_t)k->data_words;
	if (k->waiting_thread)
		m->waiting_thread = known_u64(k->waiting_thread);
	if (k->server_thread)
		m->server_thread = known_u64(k->server_thread);
	if (k->queue != KERNEL_LPC_NO_QUEUE) {
		m->queue = k->queue == KERNEL_LPC_RECEIVE_QUEUE ? QUEUE_LPC_MESSAGES : QUEUE_LPC_DATA_INFO;
		m->queue_port = known_u64(k->queue_port);
		const struct kernel_lpc_port *port = u64_map_get(&census->port_by_address, k->queue_port);
		if (port) {
			m->queue_port_kind = port_kind_of(port->kind);
			if (port->server_process)
				m->queue_port_owner = known_u64(port->server_process);
		}
	}
}

static void fill_thread(struct snapshot *snapshot, const struct kernel_lpc_thread *k)
{
	struct thread *thread = snapshot_find_thread(snapshot, k->thread);
	if (!thread)
		thread = snapshot_thread(snapshot, known_u64(k->thread), known_u64(k->pid), known_u64(k->tid),
					 origin_virtual(k->thread));
	/* A reply id is left behind once the reply came; it is a wait only
	 * while the thread waits in WrLpcReply or a rundown queue holds it. */
	if (k->reply_message_id && (k->waiting_reply || k->reply_chain_port))
		thread->lpc_wait_message_id = known_u64(k->reply_message_id);
	uint64_t port = k->waiting_on_port ? k->waiting_on_port : k->reply_chain_port;
	if (port && (k->waiting_reply || k->reply_chain_port))
		thread->lpc_port = known_u64(port);
	if (k->serving) {
		thread->lpc_serving_message_id = known_u64(k->received_message_id);
		struct message *message = snapshot_find_lpc_message(snapshot, k->received_message_id);
		if (message)
			maybe_fill(&message->server_thread, known_u64(k->thread));
	}
}

void ipc_read_lpc(struct snapshot *snapshot, struct kernel *kernel, const struct kernel_reader *reader,
		  const struct kernel_lpc_sources *sources, const struct walked_kernel *walked)
{
	struct kernel_lpc_census census;
	struct error *error = kernel_lpc_census(kernel, reader, sources, walked->processes,
						walked->process_count, walked->threads,
						walked->thread_count, &census);
	if (error) {
		snapshot_warn(snapshot, nowhere, "LPC state is not read: %s", error_detail(error));
		error_free(error);
		return;
	}
	snapshot->system.lpc_objects_scanned = known_u64(census.ports_examined);
	for (size_t i = 0; i < census.ports.count; i++)
		fill_port(snapshot, census.ports.items[i]);
	for (size_t i = 0; i < census.messages.count; i++)
		fill_message(snapshot, &census, census.messages.items[i]);
	size_t waiting = 0, serving = 0;
	for (size_t i = 0; i < census.thread_count; i++) {
		fill_thread(snapshot, &census.threads[i]);
		waiting += census.threads[i].waiting_reply;
		serving += census.threads[i].serving;
	}
	snapshot_note(snapshot, nowhere,
		      "LPC: %zu ports (%zu from handle tables, %zu from object type lists, %zu by "
		      "reference, %zu by pool search), %zu messages (%zu by pool search), %zu threads "
		      "waiting for a reply, %zu serving a message",
		      census.ports.count, census.found[0], census.found[1], census.found[2],
		      census.found[3], census.messages.count, census.pool_messages, waiting, serving);
	kernel_lpc_census_release(&census);
}
