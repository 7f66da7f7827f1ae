/* `alpcgraph lpc`: what answers a `!lpc` query, found in the snapshot.
 *
 * The rundown search: a thread that sent a request with
 * NtRequestWaitReplyPort through its client communication port waits on
 * the LpcReplyChainHead ("rundown queue") of the port at the other end of
 * that connection, the server communication port, so that the port's
 * closing can wake it (ReactOS ntoskrnl/lpc/send.c and close.c; the
 * public `!lpc message` sample in ../shared/docs/debugger-output-formats.md
 * §3.1 finds client thread 842a4db0 in server communication port
 * e114a3c0's queue, whose Connected port is the client's).  The model
 * keeps the thread's "Current LPC port" (ETHREAD.LpcWaitingOnPort), so the
 * rundown ports of a thread are the LPC ports connected to its current
 * port, or that port's own connected port when only it is known.  Every
 * search walks the snapshot's vectors once: bounded, whatever the input. */
#include <stdlib.h>

#include "alpc_query_internal.h"
#include "lpc_query_internal.h"

const char *lpc_query_kind_name(enum lpc_query_kind kind)
{
	switch (kind) {
	case LPC_QUERY_PORT:
		return "port";
	case LPC_QUERY_MESSAGE:
		return "message";
	case LPC_QUERY_SCAN:
		return "scan";
	case LPC_QUERY_THREAD:
		return "thread";
	}
	return "?";
}

bool lpc_port_is_lpc(const struct port *port)
{
	switch (port->kind) {
	case PORT_LPC_SERVER_CONNECTION:
	case PORT_LPC_UNCONNECTED_COMMUNICATION:
	case PORT_LPC_SERVER_COMMUNICATION:
	case PORT_LPC_CLIENT_COMMUNICATION:
		return true;
	default:
		return port->flavor == FLAVOR_LPC;
	}
}

bool lpc_thread_is_client(const struct thread *thread)
{
	return thread->lpc_wait_message_id.known || thread->lpc_port.known;
}

bool lpc_thread_is_server(const struct thread *thread)
{
	return thread->lpc_serving_message_id.known;
}

const struct message **lpc_queue_messages(const struct snapshot *snapshot,
					  const struct port *port, size_t *count)
{
	return alpc_queue_messages(snapshot, port, QUEUE_LPC_MESSAGES, count);
}

/* Ports are kept once each; the set makes a scan of a connection port
 * with thousands of connections linear, not quadratic. */
static void add_port(struct lpc_answer *a, const struct port *port)
{
	if (!port || u64_map_get(&a->port_set, (uintptr_t)port))
		return;
	u64_map_put(&a->port_set, (uintptr_t)port, (void *)port);
	ptr_vec_push(&a->ports, (void *)port);
}

static const struct port *port_at(const struct snapshot *snapshot, maybe_u64 address)
{
	return address.known && address.value ? snapshot_find_port(snapshot, address.value) : NULL;
}

/* A rundown port, then the ports it connects: its connected (client)
 * port and its server connection port, as `!lpc message` prints them. */
static void add_rundown_group(struct lpc_answer *a, const struct port *rundown,
			      uint64_t rundown_address)
{
	u64_vec_push_unique(&a->rundown_ports, rundown_address);
	if (!rundown)
		return;
	add_port(a, rundown);
	add_port(a, port_at(a->snapshot, rundown->connected_port));
	add_port(a, port_at(a->snapshot, rundown->connection_port));
}

/* Who names each address as its connected port, and the current ports
 * already searched: built once per answer, so that the rundown search of
 * N threads over M ports costs N + M, not N x M (a hostile input can give
 * thousands of threads waiting for one id, and as many ports). */
struct rundown_index {
	struct u64_map first; /* connected address -> index + 1 in the snapshot's ports */
	size_t *next;         /* per port: index + 1 of the next port naming the same, or 0 */
	struct u64_map searched;
};

static bool is_rundown_candidate(const struct port *port)
{
	return lpc_port_is_lpc(port) && port->kind != PORT_LPC_CLIENT_COMMUNICATION &&
	       port->connected_port.known;
}

/* Each address's ports chained in the snapshot's order (built from the
 * last port back), so the search names them as a scan of the ports did. */
static void rundown_index_build(struct rundown_index *index, const struct snapshot *s)
{
	*index = (struct rundown_index){ .next = checked_calloc(s->ports.count + 1, sizeof *index->next) };
	for (size_t i = s->ports.count; i-- > 0;) {
		const struct port *port = s->ports.items[i];
		if (!is_rundown_candidate(port))
			continue;
		uint64_t connected = port->connected_port.value;
		index->next[i] = (size_t)(uintptr_t)u64_map_get(&index->first, connected);
		u64_map_put(&index->first, connected, (void *)(uintptr_t)(i + 1));
	}
}

static void rundown_index_release(struct rundown_index *index)
{
	u64_map_release(&index->first);
	u64_map_release(&index->searched);
	free(index->next);
}

static void search_rundown_queues(struct lpc_answer *a, struct rundown_index *index,
				  const struct thread *thread)
{
	maybe_u64 current = thread->lpc_port;
	if (!current.known || !current.value)
		return;
	/* What the search finds depends on the current port alone. */
	if (u64_map_get(&index->searched, current.value))
		return;
	u64_map_put(&index->searched, current.value, (void *)1);
	const struct snapshot *s = a->snapshot;
	bool any = false;
	for (size_t at = (size_t)(uintptr_t)u64_map_get(&index->first, current.value); at;
	     at = index->next[at - 1]) {
		const struct port *port = s->ports.items[at - 1];
		if (!maybe_equal(port->address, current)) {
			add_rundown_group(a, port, port->address.value);
			any = true;
		}
	}
	const struct port *client = port_at(s, current);
	if (!any && client && client->connected_port.known && client->connected_port.value)
		add_rundown_group(a, port_at(s, client->connected_port),
				  client->connected_port.value);
}

/* Threads are kept once in each list (a hostile input can give one id
 * many messages naming the same waiter). */
static void add_thread(struct lpc_answer *a, struct ptr_vec *threads, struct thread *thread)
{
	uint64_t key = (uintptr_t)thread << 1 | (threads == &a->server_threads);
	if (!thread || u64_map_get(&a->thread_set, key))
		return;
	u64_map_put(&a->thread_set, key, thread);
	ptr_vec_push(threads, thread);
}

static void find_message(struct lpc_answer *a, uint64_t id)
{
	const struct snapshot *s = a->snapshot;
	for (size_t i = 0; i < s->threads.count; i++) {
		struct thread *thread = s->threads.items[i];
		if (thread->lpc_wait_message_id.known && thread->lpc_wait_message_id.value == id)
			add_thread(a, &a->client_threads, thread);
		if (thread->lpc_serving_message_id.known && thread->lpc_serving_message_id.value == id)
			add_thread(a, &a->server_threads, thread);
	}
	for (size_t i = 0; i < s->messages.count; i++) {
		const struct message *m = s->messages.items[i];
		if (m->flavor != FLAVOR_LPC || !m->id.known || m->id.value != id)
			continue;
		ptr_vec_push(&a->messages, (void *)m);
		if (m->waiting_thread.known)
			add_thread(a, &a->client_threads,
				   snapshot_find_thread(s, m->waiting_thread.value));
		if (m->server_thread.known)
			add_thread(a, &a->server_threads,
				   snapshot_find_thread(s, m->server_thread.value));
	}
	struct rundown_index index;
	rundown_index_build(&index, s);
	for (size_t i = 0; i < a->client_threads.count; i++)
		search_rundown_queues(a, &index, a->client_threads.items[i]);
	rundown_index_release(&index);
	a->rundown_port_count = a->ports.count;
	for (size_t i = 0; i < a->messages.count; i++) {
		const struct message *m = a->messages.items[i];
		if (m->queue == QUEUE_LPC_MESSAGES)
			add_port(a, port_at(s, m->queue_port));
	}
	a->found = a->client_threads.count || a->server_threads.count || a->messages.count;
}

static void find_every_message(struct lpc_answer *a)
{
	const struct snapshot *s = a->snapshot;
	for (size_t i = 0; i < s->messages.count; i++) {
		const struct message *m = s->messages.items[i];
		if (m->flavor == FLAVOR_LPC)
			ptr_vec_push(&a->messages, (void *)m);
	}
	a->found = a->messages.count > 0;
}

static void find_thread(struct lpc_answer *a, uint64_t address)
{
	struct thread *thread = snapshot_find_thread(a->snapshot, address);
	if (!thread)
		return;
	a->found = true;
	if (lpc_thread_is_client(thread))
		add_thread(a, &a->client_threads, thread);
	if (lpc_thread_is_server(thread))
		add_thread(a, &a->server_threads, thread);
	struct rundown_index index;
	rundown_index_build(&index, a->snapshot);
	search_rundown_queues(a, &index, thread);
	rundown_index_release(&index);
	a->rundown_port_count = a->ports.count;
}

static void find_every_thread(struct lpc_answer *a)
{
	const struct snapshot *s = a->snapshot;
	for (size_t i = 0; i < s->threads.count; i++) {
		/* the snapshot holds each thread once: no set needed */
		struct thread *thread = s->threads.items[i];
		if (lpc_thread_is_client(thread))
			ptr_vec_push(&a->client_threads, thread);
		if (lpc_thread_is_server(thread))
			ptr_vec_push(&a->server_threads, thread);
	}
	a->found = a->client_threads.count || a->server_threads.count;
}

static void find_every_port(struct lpc_answer *a)
{
	const struct snapshot *s = a->snapshot;
	for (size_t i = 0; i < s->ports.count; i++)
		if (lpc_port_is_lpc(s->ports.items[i]))
			ptr_vec_push(&a->ports, s->ports.items[i]);
	a->found = a->ports.count > 0;
}

/* The port and every LPC port connected to it: its connected port, its
 * connection port, the ports naming it as theirs, and the other end of
 * each communication port so found (a client communication port whose
 * own listing did not name its connection port is still found through
 * its server's "Connected port"), and their connection port.  Sibling connections of a
 * communication port's connection port are not connected to it and are
 * left out.  One pass to index who names whom as connected, one pass
 * over the answer: linear in the ports. */
static void find_connected_ports(struct lpc_answer *a, uint64_t address)
{
	const struct snapshot *s = a->snapshot;
	const struct port *port = snapshot_find_port(s, address);
	maybe_u64 asked = known_u64(address);
	struct u64_map named_as_connected = { 0 };
	add_port(a, port);
	if (port) {
		add_port(a, port_at(s, port->connected_port));
		add_port(a, port_at(s, port->connection_port));
	}
	for (size_t i = 0; i < s->ports.count; i++) {
		const struct port *other = s->ports.items[i];
		if (!lpc_port_is_lpc(other))
			continue;
		if (maybe_equal(other->connected_port, asked) ||
		    maybe_equal(other->connection_port, asked))
			add_port(a, other);
		if (other->connected_port.known && other->connected_port.value &&
		    !u64_map_get(&named_as_connected, other->connected_port.value))
			u64_map_put(&named_as_connected, other->connected_port.value, (void *)other);
	}
	for (size_t i = 1; i < a->ports.count; i++) {
		const struct port *found = a->ports.items[i];
		if (found->kind == PORT_LPC_SERVER_CONNECTION || !found->address.known)
			continue;
		add_port(a, port_at(s, found->connected_port));
		add_port(a, port_at(s, found->connection_port));
		add_port(a, u64_map_get(&named_as_connected, found->address.value));
	}
	u64_map_release(&named_as_connected);
	a->found = a->ports.count > 0;
}

void lpc_answer_find(struct lpc_answer *answer, const struct analysis *analysis,
		     const struct lpc_query *query)
{
	*answer = (struct lpc_answer){ .snapshot = analysis->snapshot };
	switch (query->kind) {
	case LPC_QUERY_PORT:
		if (!query->address.known) {
			find_every_port(answer);
		} else {
			add_port(answer, snapshot_find_port(answer->snapshot, query->address.value));
			answer->found = answer->ports.count > 0;
		}
		break;
	case LPC_QUERY_MESSAGE:
		if (query->message_id.known && query->message_id.value)
			find_message(answer, query->message_id.value);
		else
			find_every_message(answer);
		break;
	case LPC_QUERY_SCAN:
		if (query->address.known)
			find_connected_ports(answer, query->address.value);
		break;
	case LPC_QUERY_THREAD:
		if (query->address.known)
			find_thread(answer, query->address.value);
		else
			find_every_thread(answer);
		break;
	}
}

void lpc_answer_release(struct lpc_answer *answer)
{
	ptr_vec_release(&answer->ports);
	u64_map_release(&answer->port_set);
	u64_map_release(&answer->thread_set);
	u64_vec_release(&answer->rundown_ports);
	ptr_vec_release(&answer->messages);
	ptr_vec_release(&answer->client_threads);
	ptr_vec_release(&answer->server_threads);
}
