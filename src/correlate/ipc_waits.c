/* Waits for ALPC and LPC replies.
 *
 * ALPC: the `!thread` line "Waiting for reply to ALPC Message M : queued at
 * port P : owned by process X" names the message, the queue port and its
 * owner; `!alpc /m M` adds the ServerThread once the server has picked the
 * message up (QueueType PENDING) — debugger-output-formats.md §3.2, §3.4.
 * A message dumped with a WaitingThread is the same wait seen from the
 * message's side.
 *
 * LPC (XP/2003): "Waiting for reply to LPC MessageId N:" with "Current LPC
 * port P" on the client, and "LPC Server thread working on message Id N"
 * on the server thread (MS docs -lpc.md; the list of lines). */
#include <inttypes.h>

#include "analysis_internal.h"

struct thread *thread_at(const struct snapshot *snapshot, maybe_u64 address)
{
	return address.known && address.value ? snapshot_find_thread(snapshot, address.value)
					      : NULL;
}

struct process *process_at(const struct snapshot *snapshot, maybe_u64 address)
{
	return address.known && address.value ? snapshot_find_process(snapshot, address.value)
					      : NULL;
}

struct port *port_at(const struct snapshot *snapshot, maybe_u64 address)
{
	return address.known && address.value ? snapshot_find_port(snapshot, address.value) : NULL;
}

static void settle_server_process(const struct snapshot *snapshot, struct wait *wait)
{
	if (!wait->server_process && wait->server_thread)
		wait->server_process = thread_process(snapshot, wait->server_thread);
}

static struct wait *alpc_wait(struct analysis *analysis, struct thread *client,
			      struct message *message, maybe_u64 port_address,
			      maybe_u64 owner_address, struct origin at)
{
	const struct snapshot *snapshot = analysis->snapshot;
	struct wait *wait = analysis_add_wait(analysis, VIA_ALPC, at);
	wait->client = client;
	wait->client_process = thread_process(snapshot, client);
	wait->message = message;
	if (message)
		maybe_fill(&port_address, message->queue_port);
	wait->port = port_at(snapshot, port_address);
	wait->server_process = process_at(snapshot, owner_address);
	if (!wait->server_process && wait->port)
		wait->server_process = process_at(snapshot, wait->port->owner_process);
	if (!wait->server_process && message)
		wait->server_process = process_at(snapshot, message->queue_port_owner);
	if (message)
		wait->server_thread = thread_at(snapshot, message->server_thread);
	settle_server_process(snapshot, wait);
	return wait;
}

static void add_alpc_waits(struct analysis *analysis)
{
	const struct snapshot *snapshot = analysis->snapshot;
	struct u64_map seen = { 0 };
	for (size_t i = 0; i < snapshot->threads.count; i++) {
		struct thread *thread = snapshot->threads.items[i];
		if (!thread->alpc_wait_message.known)
			continue;
		struct message *message = snapshot_find_message(snapshot, thread->alpc_wait_message.value);
		alpc_wait(analysis, thread, message, thread->alpc_wait_port,
			  thread->alpc_wait_port_owner, thread->origin.at[0]);
		if (message)
			u64_map_put(&seen, (uintptr_t)message, message);
	}
	for (size_t i = 0; i < snapshot->messages.count; i++) {
		struct message *message = snapshot->messages.items[i];
		if (message->flavor == FLAVOR_LPC || u64_map_get(&seen, (uintptr_t)message))
			continue;
		struct thread *client = thread_at(snapshot, message->waiting_thread);
		if (!client)
			continue;
		/* A thread whose own wait line names another message is not
		 * waiting on this one any more. */
		if (client->alpc_wait_message.known)
			continue;
		alpc_wait(analysis, client, message, UNKNOWN_U64, message->queue_port_owner,
			  message->origin.at[0]);
	}
	u64_map_release(&seen);
}

/* The server side of an LPC port: the port's own "Server process" when it
 * is a server port, else the server connection port it is connected to. */
static struct process *lpc_server_process(const struct snapshot *snapshot, const struct port *port)
{
	if (!port)
		return NULL;
	if (port->kind != PORT_LPC_CLIENT_COMMUNICATION) {
		struct process *owner = process_at(snapshot, port->owner_process);
		if (owner)
			return owner;
	}
	const struct port *connection = port_at(snapshot, port->connection_port);
	if (connection && connection != port)
		return process_at(snapshot, connection->owner_process);
	return NULL;
}

static void add_lpc_waits(struct analysis *analysis)
{
	const struct snapshot *snapshot = analysis->snapshot;
	/* Which thread says it is working on which message id. */
	struct u64_map server_of_message = { 0 };
	for (size_t i = 0; i < snapshot->threads.count; i++) {
		struct thread *thread = snapshot->threads.items[i];
		if (thread->lpc_serving_message_id.known &&
		    !u64_map_get(&server_of_message, thread->lpc_serving_message_id.value))
			u64_map_put(&server_of_message, thread->lpc_serving_message_id.value, thread);
	}
	for (size_t i = 0; i < snapshot->threads.count; i++) {
		struct thread *thread = snapshot->threads.items[i];
		if (!thread->lpc_wait_message_id.known)
			continue;
		uint64_t id = thread->lpc_wait_message_id.value;
		struct wait *wait = analysis_add_wait(analysis, VIA_LPC, thread->origin.at[0]);
		wait->client = thread;
		wait->client_process = thread_process(snapshot, thread);
		wait->message = snapshot_find_lpc_message(snapshot, id);
		maybe_u64 port = thread->lpc_port;
		if (wait->message && wait->message->queue_port.known)
			port = wait->message->queue_port;
		wait->port = port_at(snapshot, port);
		wait->server_thread = u64_map_get(&server_of_message, id);
		if (!wait->server_thread && wait->message)
			wait->server_thread = thread_at(snapshot, wait->message->server_thread);
		if (wait->server_thread == thread)
			wait->server_thread = NULL; /* a stale id, not a self-wait */
		wait->server_process = lpc_server_process(snapshot, wait->port);
		if (!wait->server_process && wait->message)
			wait->server_process = process_at(snapshot, wait->message->queue_port_owner);
		if (!wait->server_process)
			wait->server_process =
				lpc_server_process(snapshot, port_at(snapshot, thread->lpc_port));
		settle_server_process(snapshot, wait);
	}
	u64_map_release(&server_of_message);
}

void add_ipc_waits(struct analysis *analysis)
{
	add_alpc_waits(analysis);
	add_lpc_waits(analysis);
}
