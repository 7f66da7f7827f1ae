/* Forging LPC objects and writing down, at once, what a reader must find
 * (forge_lpc_builder.h; the contract is forge_scenarios.h). */
#include <stdlib.h>
#include <string.h>

#include "forge_lpc_builder.h"

#define LPC_FLAGS_KIND 0xfu /* LPCP_PORT_TYPE_MASK (ReactOS sdk/include/ndk/lpctypes.h) */
#define THREAD_FLAG_IS_PORT 1u /* LPCP_THREAD_FLAG_IS_PORT (struct-offsets.md) */

static void *grow(void *array, size_t count, size_t *room, size_t size)
{
	if (count < *room)
		return array;
	*room = *room ? 2 * *room : 16;
	return checked_realloc(array, *room * size);
}

void lpc_begin(struct lpc_scenario *l, struct forge_windows *w, const char *name)
{
	*l = (struct lpc_scenario){ 0 };
	scenario_begin(&l->s, w, name);
	l->s.next_message_id = 0x2000;
}

uint32_t lpc_next_id(struct lpc_scenario *l)
{
	return l->s.next_message_id++;
}

static const char *last_component(const char *path)
{
	const char *slash = path ? strrchr(path, '\\') : NULL;
	return slash ? slash + 1 : path;
}

struct forge_scenario_lpc_port *lpc_port_facts(struct lpc_scenario *l, uint64_t port)
{
	return (struct forge_scenario_lpc_port *)forge_scenario_lpc_port_at(l->s.facts, port);
}

struct forge_scenario_lpc_thread *lpc_thread_facts(struct lpc_scenario *l, uint64_t ethread)
{
	struct forge_scenario_facts *f = l->s.facts;
	struct forge_scenario_lpc_thread *known =
		(struct forge_scenario_lpc_thread *)forge_scenario_lpc_thread_at(f, ethread);
	if (known)
		return known;
	const struct forge_scenario_thread *thread = forge_scenario_thread_at(f, ethread);
	f->lpc_threads = grow(f->lpc_threads, f->lpc_thread_count, &l->thread_room, sizeof *f->lpc_threads);
	struct forge_scenario_lpc_thread *facts = &f->lpc_threads[f->lpc_thread_count++];
	*facts = (struct forge_scenario_lpc_thread){ .ethread = ethread, .pid = thread ? thread->pid : 0,
						     .tid = thread ? thread->tid : 0 };
	return facts;
}

static uint64_t pid_of(struct lpc_scenario *l, uint64_t eprocess)
{
	const struct forge_scenario_process *process = scenario_process_facts(&l->s, eprocess);
	return process ? process->pid : 0;
}

static struct forge_scenario_lpc_port *add_port(struct lpc_scenario *l, uint64_t port, const char *name,
						uint32_t flags, uint64_t owner)
{
	const struct forge_layout *layout = forge_windows_layout(l->s.w);
	struct forge_scenario_facts *f = l->s.facts;
	f->lpc_ports = grow(f->lpc_ports, f->lpc_port_count, &l->port_room, sizeof *f->lpc_ports);
	struct forge_scenario_lpc_port *facts = &f->lpc_ports[f->lpc_port_count++];
	uint64_t creator = port + layout->lpc_port.creator;
	*facts = (struct forge_scenario_lpc_port){
		.address = port,
		.name = scenario_string(&l->s, last_component(name)),
		.full_name = scenario_string(&l->s, name),
		.flags = flags,
		.kind = (enum forge_lpc_port_kind)(flags & LPC_FLAGS_KIND),
		.connection_port = forge_kernel_read_pointer(l->s.w, port + layout->lpc_port.connection_port),
		.connected_port = forge_kernel_read_pointer(l->s.w, port + layout->lpc_port.connected_port),
		.creator_pid = forge_kernel_read_pointer(l->s.w, creator + layout->client_id.unique_process),
		.creator_tid = forge_kernel_read_pointer(l->s.w, creator + layout->client_id.unique_thread),
		.server_process = forge_kernel_read_pointer(l->s.w, port + layout->lpc_port.server_process),
		.owner_pid = pid_of(l, owner),
		.queue_semaphore = forge_kernel_read_pointer(l->s.w, port + layout->lpc_port.msg_queue +
									 layout->lpc_port_queue.semaphore),
		.on_type_list = true,
		.waitable = flags & FORGE_LPC_WAITABLE,
		/* forge_kmem.c forge_object_pool_tag: the type name's first four
		 * characters with the protected-pool bit before Windows 8 —
		 * "Port" as pooltag.txt lists it, "Wait" by that rule (docs/lpc.md
		 * "LPC pool tags", the source alpcgraph's reader cites too) */
		.pool_tag = forge_tag(flags & FORGE_LPC_WAITABLE ? "Wait" : "Port") | 0x80000000u,
	};
	facts->handle = forge_handle(l->s.w, owner, port, SCENARIO_PORT_ACCESS);
	return facts;
}

uint64_t lpc_listen(struct lpc_scenario *l, uint64_t owner, const char *name)
{
	uint64_t port = forge_lpc_connection_port(l->s.w, owner, name);
	if (port)
		add_port(l, port, name, FORGE_LPC_SERVER_CONNECTION, owner);
	return port;
}

uint64_t lpc_listen_waitable(struct lpc_scenario *l, uint64_t owner, const char *name)
{
	uint64_t port = forge_lpc_waitable_connection_port(l->s.w, owner, name);
	if (port)
		add_port(l, port, name, FORGE_LPC_SERVER_CONNECTION | FORGE_LPC_WAITABLE, owner);
	return port;
}

void lpc_set_flags(struct lpc_scenario *l, uint64_t port, uint32_t flags)
{
	forge_kernel_write_u32(l->s.w, port + forge_windows_layout(l->s.w)->lpc_port.flags, flags);
	struct forge_scenario_lpc_port *facts = lpc_port_facts(l, port);
	if (facts) {
		facts->flags = flags;
		facts->kind = (enum forge_lpc_port_kind)(flags & LPC_FLAGS_KIND);
	}
}

void lpc_pair(struct lpc_scenario *l, uint64_t client_thread, uint64_t connection_port, uint32_t flags,
	      uint64_t *client_port, uint64_t *server_port)
{
	const struct forge_scenario_lpc_port *listener = lpc_port_facts(l, connection_port);
	const struct forge_scenario_thread *client = forge_scenario_thread_at(l->s.facts, client_thread);
	*client_port = *server_port = 0;
	if (!listener || !client)
		return;
	uint64_t client_process = 0, server_process = listener->server_process;
	for (size_t i = 0; i < l->s.facts->process_count; i++)
		if (l->s.facts->processes[i].pid == client->pid)
			client_process = l->s.facts->processes[i].eprocess;
	forge_lpc_connect(l->s.w, client_thread, connection_port, client_port, server_port);
	if (!*client_port || !*server_port)
		return;
	add_port(l, *client_port, NULL, FORGE_LPC_CLIENT_COMMUNICATION, client_process);
	add_port(l, *server_port, NULL, FORGE_LPC_SERVER_COMMUNICATION, server_process);
	if (flags)
		lpc_set_flags(l, *client_port, flags);
}

/* A port made as a connection port, then turned into one that never got
 * connected: Flags 2, no ConnectionPort, no ServerProcess. */
uint64_t lpc_unconnected(struct lpc_scenario *l, uint64_t owner_thread)
{
	const struct forge_layout *layout = forge_windows_layout(l->s.w);
	const struct forge_scenario_thread *thread = forge_scenario_thread_at(l->s.facts, owner_thread);
	uint64_t owner = 0;
	for (size_t i = 0; thread && i < l->s.facts->process_count; i++)
		if (l->s.facts->processes[i].pid == thread->pid)
			owner = l->s.facts->processes[i].eprocess;
	uint64_t port = forge_lpc_connection_port(l->s.w, owner, NULL);
	if (!port || !thread)
		return 0;
	forge_kernel_write_pointer(l->s.w, port + layout->lpc_port.connection_port, 0);
	forge_kernel_write_pointer(l->s.w, port + layout->lpc_port.server_process, 0);
	forge_kernel_write_pointer(l->s.w, port + layout->lpc_port.creator + layout->client_id.unique_thread,
				   thread->tid);
	forge_kernel_write_u32(l->s.w, port + layout->lpc_port.flags, FORGE_LPC_UNCONNECTED);
	add_port(l, port, NULL, FORGE_LPC_UNCONNECTED, owner);
	return port;
}

static const char *type_name(uint16_t type)
{
	static const char *const names[] = {
		"LPC_NEW_MESSAGE", "LPC_REQUEST", "LPC_REPLY", "LPC_DATAGRAM", "LPC_LOST_REPLY",
		"LPC_PORT_CLOSED", "LPC_CLIENT_DIED", "LPC_EXCEPTION", "LPC_DEBUG_EVENT", "LPC_ERROR_EVENT",
		"LPC_CONNECTION_REQUEST",
	};
	return type < sizeof names / sizeof *names ? names[type] : NULL;
}

uint64_t lpc_message(struct lpc_scenario *l, const struct lpc_request *request)
{
	const struct forge_layout *layout = forge_windows_layout(l->s.w);
	struct forge_scenario_facts *f = l->s.facts;
	uint16_t type = request->type ? request->type : FORGE_LPC_REQUEST;
	uint16_t data_length = request->data_length ? request->data_length
						    : (uint16_t)(4 * request->data_words);
	uint32_t id = request->id ? request->id : lpc_next_id(l);
	struct forge_lpc_message_spec spec = {
		.queue_port = request->queue_port,
		.sender_port = request->sender_port,
		.port_context = request->context,
		.message_id = id,
		.data_length = data_length,
		.total_length = request->total_length,
		.type = type,
		.client_pid = request->client_pid,
		.client_tid = request->client_tid,
	};
	uint64_t message = forge_lpc_message(l->s.w, &spec);
	if (!message)
		return 0;
	uint64_t data = message + layout->lpc_message.request + layout->port_message.size;
	for (size_t i = 0; i < request->data_words && i < 6 && 4 * i < data_length; i++)
		forge_kernel_write_u32(l->s.w, data + 4 * i, request->data[i]);
	uint32_t place = 0;
	for (size_t i = 0; request->queue_port && i < f->lpc_message_count; i++)
		place += f->lpc_messages[i].queue_port == request->queue_port;
	f->lpc_messages = grow(f->lpc_messages, f->lpc_message_count, &l->message_room, sizeof *f->lpc_messages);
	struct forge_scenario_lpc_message *facts = &f->lpc_messages[f->lpc_message_count++];
	*facts = (struct forge_scenario_lpc_message){
		.address = message, .id = id, .client_pid = request->client_pid,
		.client_tid = request->client_tid, .port_context = request->context,
		.data_length = data_length,
		.total_length = request->total_length ? request->total_length
						      : (uint16_t)(data_length + layout->port_message.size),
		.type = type, .type_name = type_name(type),
		.data_words = request->data_words < 6 ? request->data_words : 6,
		.queue_port = request->queue_port, .queue_index = place,
		.sender_port = request->sender_port, .pool_only = request->pool_only,
	};
	memcpy(facts->data, request->data, sizeof facts->data);
	return message;
}

void lpc_wait_reply(struct lpc_scenario *l, uint64_t thread, uint64_t client_port, uint32_t id)
{
	const struct forge_layout *layout = forge_windows_layout(l->s.w);
	const struct forge_scenario_lpc_port *port = lpc_port_facts(l, client_port);
	uint64_t rundown = port && port->kind != FORGE_LPC_SERVER_CONNECTION ? port->connected_port : client_port;
	forge_lpc_wait_reply(l->s.w, thread, rundown, id);
	forge_kernel_write_pointer(l->s.w, thread + layout->thread.lpc_waiting_on_port,
				   client_port | THREAD_FLAG_IS_PORT);
	struct forge_scenario_lpc_thread *facts = lpc_thread_facts(l, thread);
	facts->reply_message_id = id;
	facts->waiting_on_port = client_port;
	facts->rundown_port = rundown;
	struct forge_scenario_thread *generic = scenario_thread_facts(&l->s, thread);
	if (generic) {
		generic->waits_for = FORGE_WAITS_FOR_LPC_REPLY;
		generic->wait_object = client_port;
	}
}

void lpc_received(struct lpc_scenario *l, uint64_t thread, uint32_t id)
{
	forge_lpc_received(l->s.w, thread, id);
	struct forge_scenario_lpc_thread *facts = lpc_thread_facts(l, thread);
	facts->received_message_id = id;
	facts->received_valid = true;
}

void lpc_set_counts(struct lpc_scenario *l, uint64_t port, uint32_t handles, uint32_t references)
{
	const struct forge_layout *layout = forge_windows_layout(l->s.w);
	uint64_t header = forge_object_header(l->s.w, port);
	forge_kernel_write_pointer(l->s.w, header + layout->object_header.handle_count, handles);
	forge_kernel_write_pointer(l->s.w, header + layout->object_header.pointer_count, references);
}

static const struct forge_scenario_lpc_thread *server_of(const struct forge_scenario_facts *f, uint32_t id)
{
	for (size_t i = 0; i < f->lpc_thread_count; i++)
		if (f->lpc_threads[i].received_valid && f->lpc_threads[i].received_message_id == id)
			return &f->lpc_threads[i];
	return NULL;
}

static void add_wait(struct lpc_scenario *l, const struct forge_scenario_lpc_thread *thread)
{
	struct forge_scenario_facts *f = l->s.facts;
	const struct forge_scenario_lpc_port *port = forge_scenario_lpc_port_at(f, thread->waiting_on_port);
	const struct forge_scenario_lpc_port *listener =
		port ? forge_scenario_lpc_port_at(f, port->connection_port) : NULL;
	const struct forge_scenario_lpc_thread *server = server_of(f, thread->reply_message_id);
	f->waits = grow(f->waits, f->wait_count, &l->s.wait_room, sizeof *f->waits);
	f->waits[f->wait_count++] = (struct forge_scenario_wait){
		.pid = thread->pid, .tid = thread->tid, .thread = thread->ethread,
		.kind = FORGE_WAITS_FOR_LPC_REPLY, .object = thread->waiting_on_port,
		.queue_port = listener ? listener->address : 0,
		.target_pid = listener ? pid_of(l, listener->server_process) : 0,
		.target_tid = server ? server->tid : 0,
		.definite = server != NULL,
	};
}

struct forge_scenario_facts *lpc_end(struct lpc_scenario *l)
{
	const struct forge_layout *layout = forge_windows_layout(l->s.w);
	struct forge_scenario_facts *f = l->s.facts;
	for (size_t i = 0; i < f->lpc_message_count; i++) {
		struct forge_scenario_lpc_message *m = &f->lpc_messages[i];
		for (size_t j = 0; j < f->lpc_thread_count; j++) {
			const struct forge_scenario_lpc_thread *t = &f->lpc_threads[j];
			if (t->waiting_on_port && t->reply_message_id == m->id)
				m->waiting_thread = t->ethread;
			if (t->received_valid && t->received_message_id == m->id)
				m->server_thread = t->ethread;
		}
		m->busy = m->queue_port || m->waiting_thread || m->server_thread;
	}
	for (size_t i = 0; i < f->lpc_port_count; i++) {
		struct forge_scenario_lpc_port *p = &f->lpc_ports[i];
		p->message_count = p->reply_chain_count = 0;
		for (size_t j = 0; j < f->lpc_message_count; j++)
			p->message_count += f->lpc_messages[j].queue_port == p->address;
		for (size_t j = 0; j < f->lpc_thread_count; j++)
			p->reply_chain_count += f->lpc_threads[j].rundown_port == p->address;
		uint64_t header = forge_object_header(l->s.w, p->address);
		if (!l->keep_semaphores)
			p->semaphore_state = (int32_t)p->message_count;
		p->handle_count = (uint32_t)forge_kernel_read_pointer(l->s.w, header + layout->object_header.handle_count);
		p->pointer_count =
			(uint32_t)forge_kernel_read_pointer(l->s.w, header + layout->object_header.pointer_count);
		/* A queue semaphore counts the messages no server thread has
		 * taken yet (ReactOS send.c releases it once per message queued). */
		if (p->queue_semaphore)
			forge_kernel_write_u32(l->s.w, p->queue_semaphore + layout->dispatcher_header.signal_state,
					       (uint32_t)p->semaphore_state);
	}
	for (size_t i = 0; i < f->lpc_thread_count; i++)
		if (f->lpc_threads[i].waiting_on_port)
			add_wait(l, &f->lpc_threads[i]);
	/* forge_kmem.c forge_object_pool_tag: the type name's first four
	 * characters ("Port": pooltag.txt of the Server 2003 Resource Kit
	 * Tools, kodybrown/rktools2k3 line 1058 "Port - <unknown> - Port
	 * objects"; docs/lpc.md "LPC pool tags"), with the protected-pool bit
	 * before Windows 8. */
	f->lpc_port_pool_tag = forge_tag("Port") | 0x80000000u;
	f->lpc_message_pool_tag = forge_tag("LpcM");
	return f;
}

struct forge_scenario_facts *lpc_end_with_cycle(struct lpc_scenario *l, const uint64_t *threads, size_t count)
{
	lpc_end(l);
	scenario_cycle(&l->s, threads, count);
	return l->s.facts;
}

const struct forge_scenario_lpc_port *forge_scenario_lpc_port_at(const struct forge_scenario_facts *facts,
								 uint64_t address)
{
	for (size_t i = 0; i < facts->lpc_port_count; i++)
		if (facts->lpc_ports[i].address == address)
			return &facts->lpc_ports[i];
	return NULL;
}

const struct forge_scenario_lpc_message *forge_scenario_lpc_message_with_id(const struct forge_scenario_facts *facts,
									    uint32_t id)
{
	for (size_t i = 0; i < facts->lpc_message_count; i++)
		if (facts->lpc_messages[i].id == id)
			return &facts->lpc_messages[i];
	return NULL;
}

const struct forge_scenario_lpc_thread *forge_scenario_lpc_thread_at(const struct forge_scenario_facts *facts,
								     uint64_t ethread)
{
	for (size_t i = 0; i < facts->lpc_thread_count; i++)
		if (facts->lpc_threads[i].ethread == ethread)
			return &facts->lpc_threads[i];
	return NULL;
}
