/* What an `alpcgraph alpc` query finds in one capture: the objects
 * WinDbg's `!alpc /p`, `/m`, `/lpp`, `/lpc` would show, and every thread
 * waiting for a reply (the `!process 0 ff` "Waiting for reply to ALPC
 * Message" lines of the whole system).  Formats:
 * ../shared/docs/debugger-output-formats.md §3.2–3.7.
 *
 * Connection lines come from two kinds of evidence: the connection records
 * a transcript's /lpp and /lpc listings give, and the ports' own
 * CommunicationInfo (ConnectionPort, ServerCommunicationPort,
 * ClientCommunicationPort) that `/p` listings and dump walks give.  Both
 * are merged per client communication port, so a connection seen twice is
 * one line and one seen once is still a line. */
#include <stdlib.h>
#include <string.h>

#include "alpc_query_internal.h"

const char *alpc_query_kind_name(enum alpc_query_kind kind)
{
	switch (kind) {
	case ALPC_QUERY_PORT:
		return "port";
	case ALPC_QUERY_MESSAGE:
		return "message";
	case ALPC_QUERY_PROCESS:
		return "process";
	case ALPC_QUERY_CONNECTIONS:
		return "connections";
	case ALPC_QUERY_WAITERS:
		return "waiters";
	}
	return NULL;
}

/* ---- small lookups ------------------------------------------------------ */

static const struct port *port_at(const struct snapshot *snapshot, maybe_u64 address)
{
	return address.known && address.value ? snapshot_find_port(snapshot, address.value) : NULL;
}

/* The three queues ntoseye adds up for /lpp's counts (server_queued,
 * client_queued: main + large message + pending; formats §3.6). */
maybe_u64 alpc_port_queued(const struct port *port)
{
	static const enum queue_kind counted[] = { QUEUE_MAIN, QUEUE_LARGE_MESSAGE, QUEUE_PENDING };
	uint64_t total = 0;
	for (size_t i = 0; i < sizeof counted / sizeof *counted; i++) {
		maybe_u64 length = port->queues[counted[i]].length;
		if (!length.known)
			return UNKNOWN_U64;
		total += length.value;
	}
	return known_u64(total);
}

const char *alpc_port_name(const struct snapshot *snapshot, maybe_u64 port_address)
{
	const struct port *port = port_at(snapshot, port_address);
	if (!port)
		return NULL;
	if (port->name)
		return port->name;
	const struct port *connection = port_at(snapshot, port->connection_port);
	return connection ? connection->name : NULL;
}

const struct message **alpc_queue_messages(const struct snapshot *snapshot,
					   const struct port *port, enum queue_kind queue,
					   size_t *count)
{
	*count = 0;
	const struct u64_vec *listed = &port->queues[queue].messages;
	size_t capacity = listed->count;
	for (size_t i = 0; i < snapshot->messages.count; i++) {
		const struct message *m = snapshot->messages.items[i];
		if (m->queue == queue && maybe_equal(m->queue_port, port->address))
			capacity++;
	}
	if (!capacity)
		return NULL;
	const struct message **found = calloc(capacity, sizeof *found);
	if (!found)
		abort();
	struct u64_map seen = { 0 };
	for (size_t i = 0; i < listed->count; i++) {
		const struct message *m = snapshot_find_message(snapshot, listed->items[i]);
		if (m && !u64_map_get(&seen, (uintptr_t)m)) {
			u64_map_put(&seen, (uintptr_t)m, (void *)m);
			found[(*count)++] = m;
		}
	}
	for (size_t i = 0; i < snapshot->messages.count; i++) {
		const struct message *m = snapshot->messages.items[i];
		if (m->queue == queue && maybe_equal(m->queue_port, port->address) &&
		    !u64_map_get(&seen, (uintptr_t)m)) {
			u64_map_put(&seen, (uintptr_t)m, (void *)m);
			found[(*count)++] = m;
		}
	}
	u64_map_release(&seen);
	return found;
}

/* ---- connection lines ----------------------------------------------------- */

/* Lines are merged per client communication port (the key), or per server
 * communication port when the client is not known. */
struct link_set {
	struct alpc_links *links;
	struct u64_map by_client, by_server; /* index + 1 */
};

static void remember(struct u64_map *map, maybe_u64 key, size_t index)
{
	if (key.known && key.value && !u64_map_get(map, key.value))
		u64_map_put(map, key.value, (void *)(uintptr_t)(index + 1));
}

static size_t recalled(const struct u64_map *map, maybe_u64 key)
{
	return key.known && key.value ? (size_t)(uintptr_t)u64_map_get(map, key.value) : 0;
}

static void fill_link(struct alpc_link *into, const struct alpc_link *from)
{
	maybe_fill(&into->connection_port, from->connection_port);
	maybe_fill(&into->server_port, from->server_port);
	maybe_fill(&into->client_port, from->client_port);
	maybe_fill(&into->server_queued, from->server_queued);
	maybe_fill(&into->client_queued, from->client_queued);
	maybe_fill(&into->server_process, from->server_process);
	maybe_fill(&into->client_process, from->client_process);
}

static void add_link(struct link_set *set, const struct alpc_link *link)
{
	if (!link->client_port.known && !link->server_port.known)
		return;
	size_t at = recalled(&set->by_client, link->client_port);
	if (!at && !link->client_port.known)
		at = recalled(&set->by_server, link->server_port);
	struct alpc_links *links = set->links;
	if (at) {
		fill_link(&links->items[at - 1], link);
	} else {
		if (links->count == links->capacity) {
			links->capacity = links->capacity ? links->capacity * 2 : 8;
			links->items = realloc(links->items, links->capacity * sizeof *links->items);
			if (!links->items)
				abort();
		}
		links->items[links->count++] = *link;
		at = links->count;
	}
	remember(&set->by_client, links->items[at - 1].client_port, at - 1);
	remember(&set->by_server, links->items[at - 1].server_port, at - 1);
}

static struct alpc_link link_of_record(const struct port_connection *c)
{
	return (struct alpc_link){ c->connection_port, c->server_port,   c->client_port,
				   c->server_queued,   c->client_queued, c->server_process,
				   c->client_process };
}

/* A communication port's CommunicationInfo as a line. */
static struct alpc_link link_of_port(const struct port *port)
{
	struct alpc_link link = { .connection_port = port->connection_port,
				  .server_port = port->server_port,
				  .client_port = port->client_port,
				  .server_queued = UNKNOWN_U64,
				  .client_queued = UNKNOWN_U64,
				  .server_process = UNKNOWN_U64,
				  .client_process = UNKNOWN_U64 };
	if (port->kind == PORT_ALPC_SERVER_COMMUNICATION)
		maybe_fill(&link.server_port, port->address);
	if (port->kind == PORT_ALPC_CLIENT_COMMUNICATION)
		maybe_fill(&link.client_port, port->address);
	return link;
}

static void add_record(struct link_set *set, const struct port_connection *record)
{
	struct alpc_link link = link_of_record(record);
	add_link(set, &link);
}

static void add_port(struct link_set *set, const struct port *port)
{
	struct alpc_link link = link_of_port(port);
	add_link(set, &link);
}

static bool is_communication_port(const struct port *port)
{
	return port->kind == PORT_ALPC_SERVER_COMMUNICATION ||
	       port->kind == PORT_ALPC_CLIENT_COMMUNICATION;
}

/* What the ports themselves say fills what the lines left out: owners,
 * queue counts, and the server process of a line under a connection port
 * (the connection port's owner serves it).  A count stands beside the
 * port it counts: "S n -> C m" under a created port, but "C n ->
 * A('name') m" in the connected-to part, where A is the connection port
 * (the Windows 7 alpcbuggery replay queues its 19 messages there): there
 * that port's own count, when known, outranks a record's server_queued,
 * which a dump walk takes from the server communication port. */
static void settle_links(const struct snapshot *snapshot, struct alpc_links *links,
			 bool connected_to)
{
	for (size_t i = 0; i < links->count; i++) {
		struct alpc_link *link = &links->items[i];
		const struct port *server = port_at(snapshot, link->server_port);
		const struct port *client = port_at(snapshot, link->client_port);
		const struct port *connection = port_at(snapshot, link->connection_port);
		maybe_u64 printed = connected_to && connection ? alpc_port_queued(connection)
							       : UNKNOWN_U64;
		if (printed.known)
			link->server_queued = printed;
		if (server) {
			maybe_fill(&link->server_process, server->owner_process);
			if (!connected_to || !connection)
				maybe_fill(&link->server_queued, alpc_port_queued(server));
		}
		if (client) {
			maybe_fill(&link->client_process, client->owner_process);
			maybe_fill(&link->client_queued, alpc_port_queued(client));
		}
		if (connection)
			maybe_fill(&link->server_process, connection->owner_process);
	}
}

static void release_set(struct link_set *set)
{
	u64_map_release(&set->by_client);
	u64_map_release(&set->by_server);
}

/* The lines under one connection port (/lpc). */
static void links_under(const struct snapshot *snapshot, uint64_t connection_port,
			struct alpc_links *links)
{
	struct link_set set = { .links = links };
	for (size_t i = 0; i < snapshot->connections.count; i++) {
		const struct port_connection *c = snapshot->connections.items[i];
		if (maybe_equal(c->connection_port, known_u64(connection_port)))
			add_record(&set, c);
	}
	for (size_t i = 0; i < snapshot->ports.count; i++) {
		const struct port *port = snapshot->ports.items[i];
		if (is_communication_port(port) &&
		    maybe_equal(port->connection_port, known_u64(connection_port)))
			add_port(&set, port);
	}
	release_set(&set);
	settle_links(snapshot, links, false);
}

/* The lines whose client side is the process (/lpp "connected to"). */
static void links_of_client(const struct snapshot *snapshot, uint64_t process,
			    struct alpc_links *links)
{
	struct link_set set = { .links = links };
	for (size_t i = 0; i < snapshot->connections.count; i++) {
		const struct port_connection *c = snapshot->connections.items[i];
		bool client_known_here = maybe_equal(c->client_process, known_u64(process));
		if (!client_known_here && !c->client_process.known) {
			const struct port *client = port_at(snapshot, c->client_port);
			client_known_here = client && maybe_equal(client->owner_process,
								  known_u64(process));
		}
		if (client_known_here)
			add_record(&set, c);
	}
	for (size_t i = 0; i < snapshot->ports.count; i++) {
		const struct port *port = snapshot->ports.items[i];
		if (port->kind == PORT_ALPC_CLIENT_COMMUNICATION &&
		    maybe_equal(port->owner_process, known_u64(process)))
			add_port(&set, port);
	}
	release_set(&set);
	settle_links(snapshot, links, true);
	/* The process itself is the client of every one of these lines. */
	for (size_t i = 0; i < links->count; i++)
		maybe_fill(&links->items[i].client_process, known_u64(process));
}

/* ---- each query ------------------------------------------------------------ */

static void find_port(struct alpc_answer *a, const struct alpc_query *query)
{
	a->port_address = query->address;
	a->port = port_at(a->snapshot, query->address);
	a->found = a->port != NULL;
}

/* /lpc on a communication port lists the lines of its connection port. */
static void find_connections(struct alpc_answer *a, const struct alpc_query *query)
{
	a->port_address = query->address;
	a->port = port_at(a->snapshot, query->address);
	if (a->port && is_communication_port(a->port) && a->port->connection_port.known &&
	    a->port->connection_port.value) {
		a->port_address = a->port->connection_port;
		a->port = port_at(a->snapshot, a->port_address);
	}
	if (a->port_address.known)
		links_under(a->snapshot, a->port_address.value, &a->links);
	a->found = a->port || a->links.count;
}

static bool names_message(const struct thread *t, const struct alpc_query *query)
{
	return maybe_equal(t->alpc_wait_message, query->address) ||
	       maybe_equal(t->lpc_wait_message_id, query->number);
}

static void add_stand_ins(struct alpc_answer *a, const struct alpc_query *query)
{
	const struct snapshot *s = a->snapshot;
	size_t count = 0;
	for (size_t i = 0; i < s->threads.count; i++)
		count += names_message(s->threads.items[i], query);
	if (!count)
		return;
	a->stand_ins = calloc(count, sizeof *a->stand_ins);
	if (!a->stand_ins)
		abort();
	size_t made = 0;
	for (size_t i = 0; i < s->threads.count && made < count; i++) {
		const struct thread *t = s->threads.items[i];
		if (!names_message(t, query))
			continue;
		struct message *m = &a->stand_ins[made++];
		bool alpc = maybe_equal(t->alpc_wait_message, query->address);
		m->flavor = alpc ? FLAVOR_ALPC : FLAVOR_LPC;
		m->address = alpc ? t->alpc_wait_message : UNKNOWN_U64;
		m->id = alpc ? UNKNOWN_U64 : t->lpc_wait_message_id;
		m->waiting_thread = t->address;
		m->queue_port = alpc ? t->alpc_wait_port : t->lpc_port;
		m->queue_port_owner = alpc ? t->alpc_wait_port_owner : UNKNOWN_U64;
		m->origin = t->origin;
		ptr_vec_push(&a->messages, m);
	}
}

static void find_messages(struct alpc_answer *a, const struct alpc_query *query)
{
	const struct snapshot *s = a->snapshot;
	struct u64_map seen = { 0 };
	if (query->address.known) {
		struct message *m = snapshot_find_message(s, query->address.value);
		if (m) {
			u64_map_put(&seen, (uintptr_t)m, m);
			ptr_vec_push(&a->messages, m);
		}
	}
	if (query->number.known)
		for (size_t i = 0; i < s->messages.count; i++) {
			struct message *m = s->messages.items[i];
			if (maybe_equal(m->id, query->number) && !u64_map_get(&seen, (uintptr_t)m)) {
				u64_map_put(&seen, (uintptr_t)m, m);
				ptr_vec_push(&a->messages, m);
			}
		}
	u64_map_release(&seen);
	if (!a->messages.count)
		add_stand_ins(a, query);
	a->found = a->messages.count > 0;
}

/* A process by EPROCESS address, else by pid; an address no process
 * record has is still answered when ports or lines name it as an owner. */
static void find_process(struct alpc_answer *a, const struct alpc_query *query)
{
	const struct snapshot *s = a->snapshot;
	if (query->address.known && query->address.value)
		a->process = snapshot_find_process(s, query->address.value);
	if (!a->process && query->number.known)
		a->process = snapshot_find_process_by_pid(s, query->number.value);
	a->process_address = a->process ? a->process->address : UNKNOWN_U64;
	if (!a->process)
		a->process_address = query->address;
	if (!a->process_address.known || !a->process_address.value) {
		a->found = a->process != NULL;
		return;
	}
	uint64_t process = a->process_address.value;
	size_t capacity = 0;
	for (size_t i = 0; i < s->ports.count; i++) {
		const struct port *port = s->ports.items[i];
		if ((port->kind == PORT_ALPC_CONNECTION || port->kind == PORT_LPC_SERVER_CONNECTION) &&
		    maybe_equal(port->owner_process, known_u64(process)))
			capacity++;
	}
	if (capacity) {
		a->created = calloc(capacity, sizeof *a->created);
		if (!a->created)
			abort();
	}
	for (size_t i = 0; i < s->ports.count && a->created_count < capacity; i++) {
		const struct port *port = s->ports.items[i];
		if ((port->kind == PORT_ALPC_CONNECTION || port->kind == PORT_LPC_SERVER_CONNECTION) &&
		    maybe_equal(port->owner_process, known_u64(process))) {
			struct alpc_created_port *created = &a->created[a->created_count++];
			created->port = port;
			if (port->address.known)
				links_under(s, port->address.value, &created->links);
		}
	}
	links_of_client(s, process, &a->connected_to);
	a->found = a->process || a->created_count || a->connected_to.count;
}

/* By pid, then tid, unknown last; then by thread address, then by the
 * wait's own position, so the order is total and stable. */
static int compare_waits(const void *left, const void *right)
{
	const struct wait *a = *(const struct wait *const *)left;
	const struct wait *b = *(const struct wait *const *)right;
	const maybe_u64 keys_a[] = { a->client->pid, a->client->tid, a->client->address };
	const maybe_u64 keys_b[] = { b->client->pid, b->client->tid, b->client->address };
	for (size_t i = 0; i < 3; i++) {
		if (keys_a[i].known != keys_b[i].known)
			return keys_a[i].known ? -1 : 1;
		if (keys_a[i].known && keys_a[i].value != keys_b[i].value)
			return keys_a[i].value < keys_b[i].value ? -1 : 1;
	}
	return a->index < b->index ? -1 : a->index > b->index;
}

static void find_waiters(struct alpc_answer *a)
{
	const struct ptr_vec *waits = &a->analysis->waits;
	for (size_t i = 0; i < waits->count; i++) {
		const struct wait *wait = waits->items[i];
		if ((wait->via == VIA_ALPC || wait->via == VIA_LPC) && wait->client)
			ptr_vec_push(&a->waits, (void *)wait);
	}
	if (a->waits.count > 1)
		qsort(a->waits.items, a->waits.count, sizeof *a->waits.items, compare_waits);
	a->found = a->waits.count > 0;
}

void alpc_answer_find(struct alpc_answer *answer, const struct analysis *analysis,
		      const struct alpc_query *query)
{
	memset(answer, 0, sizeof *answer);
	answer->analysis = analysis;
	answer->snapshot = analysis->snapshot;
	switch (query->kind) {
	case ALPC_QUERY_PORT:
		find_port(answer, query);
		break;
	case ALPC_QUERY_MESSAGE:
		find_messages(answer, query);
		break;
	case ALPC_QUERY_PROCESS:
		find_process(answer, query);
		break;
	case ALPC_QUERY_CONNECTIONS:
		find_connections(answer, query);
		break;
	case ALPC_QUERY_WAITERS:
		find_waiters(answer);
		break;
	}
}

void alpc_answer_release(struct alpc_answer *answer)
{
	ptr_vec_release(&answer->messages);
	free(answer->stand_ins);
	ptr_vec_release(&answer->waits);
	for (size_t i = 0; i < answer->created_count; i++)
		free(answer->created[i].links.items);
	free(answer->created);
	free(answer->connected_to.items);
	free(answer->links.items);
}
