/* ALPC from a dump into the snapshot, in the shape the transcript reader
 * gives for `!alpc /p`, `/m`, `/lpp` and the thread line "Waiting for
 * reply to ALPC Message M : queued at port P : owned by process X"
 * (src/transcript/alpc_listing.c, kernel_listing.c), so the correlator's
 * wait edges (src/correlate/ipc_waits.c) come out the same. */
#include <string.h>

#include "ipc_internal.h"

static enum port_kind port_kind_of(enum kernel_alpc_port_kind kind)
{
	switch (kind) {
	case KERNEL_ALPC_CONNECTION_PORT:
		return PORT_ALPC_CONNECTION;
	case KERNEL_ALPC_SERVER_COMMUNICATION_PORT:
		return PORT_ALPC_SERVER_COMMUNICATION;
	case KERNEL_ALPC_CLIENT_COMMUNICATION_PORT:
		return PORT_ALPC_CLIENT_COMMUNICATION;
	default:
		return PORT_KIND_UNKNOWN;
	}
}

static enum queue_kind queue_kind_of(enum kernel_alpc_queue queue)
{
	switch (queue) {
	case KERNEL_ALPC_MAIN:
		return QUEUE_MAIN;
	case KERNEL_ALPC_LARGE_MESSAGE:
		return QUEUE_LARGE_MESSAGE;
	case KERNEL_ALPC_PENDING:
		return QUEUE_PENDING;
	case KERNEL_ALPC_CANCELED:
		return QUEUE_CANCELED;
	case KERNEL_ALPC_DIRECT:
		return QUEUE_DIRECT;
	case KERNEL_ALPC_WAIT:
		return QUEUE_WAIT;
	default:
		return QUEUE_UNKNOWN;
	}
}

/* A Type flag (System Informer phnt ntlpcapi.h): the sender awaits a
 * reply or a cancel. */
enum { LPC_CONTINUATION_REQUIRED = 0x2000 };

/* PORT_MESSAGE u2.s2.Type's low byte: the LPC_* message types (System
 * Informer phnt ntlpcapi.h); the high bits are flags
 * (LPC_KERNELMODE_MESSAGE 0x8000, LPC_NO_IMPERSONATE 0x4000). */
static const char *message_type_name(uint16_t type)
{
	static const char *const names[] = { "LPC_NEW_MESSAGE", "LPC_REQUEST", "LPC_REPLY",
					     "LPC_DATAGRAM", "LPC_LOST_REPLY", "LPC_PORT_CLOSED",
					     "LPC_CLIENT_DIED", "LPC_EXCEPTION", "LPC_DEBUG_EVENT",
					     "LPC_ERROR_EVENT", "LPC_CONNECTION_REQUEST" };
	unsigned low = type & 0xff;
	return low < sizeof names / sizeof *names ? names[low] : NULL;
}

static maybe_u64 pointer(uint64_t value)
{
	return known_u64(value);
}

static enum yes_no yes_no(bool value)
{
	return value ? YES : NO;
}

/* `!alpc /p` prints the object's own name ("SmApiPort"), not its path. */
static const char *leaf_name(const char *path)
{
	const char *slash = strrchr(path, '\\');
	return slash ? slash + 1 : path;
}

static void fill_port(struct snapshot *snapshot, const struct kernel_alpc_port *k)
{
	struct port *port = snapshot_port(snapshot, k->address, origin_virtual(k->address));
	port->flavor = FLAVOR_ALPC;
	if (k->kind)
		port->kind = port_kind_of(k->kind);
	if (k->name && !port->name) {
		const char *name = leaf_name(k->name);
		if (*name)
			port->name = snapshot_text(snapshot, name, strlen(name));
	}
	port->owner_process = known_u64(k->owner_process);
	port->communication_info = known_u64(k->communication_info);
	if (k->communication_info_read) {
		port->connection_port = pointer(k->connection_port);
		port->client_port = pointer(k->client_communication_port);
		port->server_port = pointer(k->server_communication_port);
	}
	if (k->sequence_no_known)
		port->sequence_number = known_u64((uint32_t)k->sequence_no);
	port->completion_port = known_u64(k->completion_port);
	port->completion_list = known_u64(k->completion_list);
	if (k->state_known) {
		port->connection_pending = yes_no(k->connection_pending);
		port->connection_refused = yes_no(k->connection_refused);
		port->disconnected = yes_no(k->disconnected);
		port->closed = yes_no(k->closed);
		port->flush_on_close = yes_no(!k->no_flush_on_close);
		port->return_extended_info = yes_no(k->return_extended_info);
		port->waitable = yes_no(k->waitable);
		port->wow64_completion_list = yes_no(k->wow64_completion_list);
		port->security = k->dynamic_security ? "Dynamic" : "Static";
	}
	for (int q = 0; q < KERNEL_ALPC_QUEUE_COUNT; q++) {
		const struct kernel_alpc_port_queue *queue = &k->queues[q];
		if (!queue->present)
			continue;
		/* What is linked, unless the walk was cut short: then the
		 * length the port stores. */
		size_t count = queue->entries.count;
		maybe_u64 length = queue->complete || !queue->length_known ? known_u64(count)
									  : known_u64(queue->stored_length);
		if (q == KERNEL_ALPC_WAIT) {
			for (size_t i = 0; i < count; i++)
				u64_vec_push_unique(&port->waiting_threads, queue->entries.items[i]);
			port->waiting_thread_count = length;
			continue;
		}
		struct port_queue *into = &port->queues[queue_kind_of((enum kernel_alpc_queue)q)];
		into->length = length;
		into->messages.count = 0;
		for (size_t i = 0; i < count; i++)
			u64_vec_push(&into->messages, queue->entries.items[i]);
	}
	/* What the completion queue links; a walk cut short leaves the
	 * count unknown (a KQUEUE stores no count of its threads). */
	if (k->registered_walked) {
		for (size_t i = 0; i < k->registered_threads.count; i++)
			u64_vec_push_unique(&port->registered_threads, k->registered_threads.items[i]);
		if (k->registered_complete)
			port->registered_thread_count = known_u64(k->registered_threads.count);
	}
}

static const struct kernel_alpc_port *census_port(const struct kernel_alpc_census *census, uint64_t address)
{
	return address ? u64_map_get(&census->port_by_address, address) : NULL;
}

static void fill_message(struct snapshot *snapshot, const struct kernel_alpc_census *census,
			 const struct kernel_alpc_message *k)
{
	struct message *m = snapshot_message(snapshot, FLAVOR_ALPC, known_u64(k->address),
					     known_u64(k->message_id), origin_virtual(k->address));
	m->callback_id = known_u64(k->callback_id);
	m->sequence_number = known_u64((uint32_t)k->sequence_no);
	m->type = message_type_name(k->type);
	m->type_number = known_u64(k->type);
	m->data_length = known_u64(k->data_length);
	m->total_length = known_u64(k->total_length);
	m->canceled = yes_no(k->canceled);
	m->release = yes_no(k->release);
	m->reply_wait_reply = yes_no(k->reply_wait_reply);
	/* !alpc /m's Continuation: PORT_MESSAGE u2.s2.Type's
	 * LPC_CONTINUATION_REQUIRED, 0x2000 (System Informer phnt
	 * ntlpcapi.h: set by the send path, ALPC_REQUEST = it | LPC_REQUEST;
	 * the sender awaits a reply or a cancel).  §3.4's synchronous
	 * LPC_REQUEST prints Yes.  A Type of 0 was not read (no queued
	 * message is LPC_NEW_MESSAGE): unknown.  QuotaCharged stays unknown:
	 * no public source says which bit or field it is. */
	if (k->type)
		m->continuation = yes_no((k->type & LPC_CONTINUATION_REQUIRED) != 0);
	m->owner_port = pointer(k->owner_port);
	const struct kernel_alpc_port *owner = census_port(census, k->owner_port);
	if (owner)
		m->owner_port_kind = port_kind_of(owner->kind);
	m->waiting_thread = pointer(k->waiting_thread);
	m->queue = queue_kind_of(k->queue);
	uint64_t queue_port = k->queue != KERNEL_ALPC_NO_QUEUE ? k->queue_port : k->port_queue;
	m->queue_port = pointer(queue_port);
	const struct kernel_alpc_port *queue = census_port(census, queue_port);
	if (queue) {
		m->queue_port_kind = port_kind_of(queue->kind);
		m->queue_port_owner = known_u64(queue->owner_process);
	}
	m->server_thread = pointer(k->server_thread);
	m->cancel_queue_port = pointer(k->cancel_queue_port);
	m->cancel_sequence_port = pointer(k->cancel_sequence_port);
	m->cancel_sequence_number = known_u64((uint32_t)k->cancel_sequence_no);
	m->client_context = pointer(k->client_context);
	m->server_context = pointer(k->server_context);
	m->port_context = pointer(k->port_context);
	m->cancel_port_context = pointer(k->cancel_port_context);
	m->security_data = pointer(k->security_data);
	m->view = pointer(k->view);
	if (k->client_pid || k->client_tid) {
		m->client_pid = known_u64(k->client_pid);
		m->client_tid = known_u64(k->client_tid);
	}
}

static uint64_t queued_count(const struct kernel_alpc_port *port)
{
	if (!port)
		return 0;
	return port->queues[KERNEL_ALPC_MAIN].entries.count +
	       port->queues[KERNEL_ALPC_LARGE_MESSAGE].entries.count +
	       port->queues[KERNEL_ALPC_PENDING].entries.count;
}

/* What `!alpc /lpp` lists under a connection port: each server
 * communication port with its client, queue counts being main + large +
 * pending (debugger-output-formats.md §3.6). */
static void add_connections(struct snapshot *snapshot, const struct kernel_alpc_census *census)
{
	for (size_t i = 0; i < census->ports.count; i++) {
		const struct kernel_alpc_port *server = census->ports.items[i];
		if (server->kind != KERNEL_ALPC_SERVER_COMMUNICATION_PORT || !server->client_communication_port)
			continue;
		const struct kernel_alpc_port *client = census_port(census, server->client_communication_port);
		struct port_connection *c = snapshot_add_connection(snapshot, origin_virtual(server->address));
		if (server->connection_port)
			c->connection_port = known_u64(server->connection_port);
		c->server_port = known_u64(server->address);
		c->client_port = known_u64(server->client_communication_port);
		c->server_queued = known_u64(queued_count(server));
		c->server_process = known_u64(server->owner_process);
		if (client) {
			c->client_queued = known_u64(queued_count(client));
			c->client_process = known_u64(client->owner_process);
		}
	}
}

/* The thread line: message, the port whose queue holds it, that port's
 * owner. */
static void add_waits(struct snapshot *snapshot, const struct kernel_alpc_census *census)
{
	for (size_t i = 0; i < census->wait_count; i++) {
		const struct kernel_alpc_wait *wait = &census->waits[i];
		struct thread *thread = snapshot_find_thread(snapshot, wait->thread);
		const struct kernel_alpc_message *message = u64_map_get(&census->message_by_address, wait->message);
		if (!thread || !message)
			continue;
		thread->alpc_wait_message = known_u64(wait->message);
		uint64_t queue_port = message->queue != KERNEL_ALPC_NO_QUEUE ? message->queue_port
									     : message->port_queue;
		if (queue_port) {
			thread->alpc_wait_port = known_u64(queue_port);
			const struct kernel_alpc_port *port = census_port(census, queue_port);
			if (port)
				thread->alpc_wait_port_owner = known_u64(port->owner_process);
		}
	}
}

void ipc_read_alpc(struct snapshot *snapshot, struct kernel *kernel, const struct kernel_reader *reader,
		   const struct kernel_alpc_sources *sources, const struct walked_kernel *walked)
{
	struct kernel_alpc_census census;
	struct error *error = kernel_alpc_census(kernel, reader, sources, walked->processes,
						 walked->process_count, walked->threads,
						 walked->thread_count, &census);
	if (error) {
		snapshot_warn(snapshot, (struct origin){ ORIGIN_NONE, 0, 0 },
			      "ALPC state is not read: %s", error_detail(error));
		error_free(error);
		return;
	}
	for (size_t i = 0; i < census.ports.count; i++)
		fill_port(snapshot, census.ports.items[i]);
	for (size_t i = 0; i < census.messages.count; i++)
		fill_message(snapshot, &census, census.messages.items[i]);
	add_connections(snapshot, &census);
	add_waits(snapshot, &census);
	snapshot_note(snapshot, (struct origin){ ORIGIN_NONE, 0, 0 },
		      "ALPC: %zu ports (%zu from nt!AlpcpPortList, %zu from handle tables, %zu by "
		      "reference, %zu by pool search), %zu messages, %zu threads waiting for a reply",
		      census.ports.count, census.found[0], census.found[1], census.found[2],
		      census.found[3], census.messages.count, census.wait_count);
	kernel_alpc_census_release(&census);
}
