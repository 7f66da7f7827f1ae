/* Forging and writing down at once: every call here makes objects with
 * the forge's public calls and records what a reader must find (see
 * forge_scenario_builder.h). */
#include <stdlib.h>
#include <string.h>

#include "forge_scenario_builder.h"

#define IMAGE_FILE_NAME_BYTES 15 /* _EPROCESS.ImageFileName, UCHAR[15] */

#define GROW(s, array, count, room) \
	do { \
		if ((s)->facts->count == (s)->room) { \
			(s)->room = (s)->room ? 2 * (s)->room : 16; \
			(s)->facts->array = checked_realloc((s)->facts->array, (s)->room * sizeof *(s)->facts->array); \
		} \
	} while (0)

void scenario_begin(struct scenario *s, struct forge_windows *w, const char *name)
{
	*s = (struct scenario){ .w = w, .next_message_id = 0x1000 };
	s->facts = checked_calloc(1, sizeof *s->facts);
	s->facts->scenario = name;
	s->facts->layout = forge_windows_layout(w)->column;
}

struct forge_scenario_facts *scenario_end(struct scenario *s)
{
	/* What the forge tags an "ALPC Port" object's pool block with
	 * (forge_kmem.c forge_object_pool_tag): pooltag.txt's "ALPC", with
	 * the protected-pool bit before Windows 8. */
	const struct forge_layout *l = forge_windows_layout(s->w);
	s->facts->port_pool_tag = forge_tag("ALPC") | (l->build < 9200 ? 0x80000000u : 0);
	return s->facts;
}

const char *scenario_string(struct scenario *s, const char *text)
{
	if (!text)
		return NULL;
	char *copy = checked_strdup(text);
	ptr_vec_push(&s->facts->strings, copy);
	return copy;
}

void forge_scenario_facts_free(struct forge_scenario_facts *facts)
{
	if (!facts)
		return;
	for (size_t i = 0; i < facts->strings.count; i++)
		free(facts->strings.items[i]);
	ptr_vec_release(&facts->strings);
	free(facts->processes);
	free(facts->threads);
	free(facts->ports);
	free(facts->messages);
	free(facts->waits);
	free(facts->cycles);
	free(facts->lpc_ports);
	free(facts->lpc_messages);
	free(facts->lpc_threads);
	free(facts->lpc_thread_lines);
	free(facts);
}

const struct forge_scenario_port *forge_scenario_port_at(const struct forge_scenario_facts *facts,
							 uint64_t address)
{
	for (size_t i = 0; i < facts->port_count; i++)
		if (facts->ports[i].address == address)
			return &facts->ports[i];
	return NULL;
}

const struct forge_scenario_message *forge_scenario_message_at(const struct forge_scenario_facts *facts,
							       uint64_t address)
{
	for (size_t i = 0; i < facts->message_count; i++)
		if (facts->messages[i].address == address)
			return &facts->messages[i];
	return NULL;
}

const struct forge_scenario_thread *forge_scenario_thread_at(const struct forge_scenario_facts *facts,
							     uint64_t ethread)
{
	for (size_t i = 0; i < facts->thread_count; i++)
		if (facts->threads[i].ethread == ethread)
			return &facts->threads[i];
	return NULL;
}

struct forge_scenario_port *scenario_port_facts(struct scenario *s, uint64_t port)
{
	return (struct forge_scenario_port *)forge_scenario_port_at(s->facts, port);
}

struct forge_scenario_thread *scenario_thread_facts(struct scenario *s, uint64_t ethread)
{
	return (struct forge_scenario_thread *)forge_scenario_thread_at(s->facts, ethread);
}

const struct forge_scenario_process *scenario_process_facts(struct scenario *s, uint64_t eprocess)
{
	for (size_t i = 0; i < s->facts->process_count; i++)
		if (s->facts->processes[i].eprocess == eprocess)
			return &s->facts->processes[i];
	return NULL;
}

uint64_t scenario_process_levels(struct scenario *s, uint64_t pid, const char *image, unsigned levels)
{
	struct forge_process_spec spec = { .pid = pid, .image_name = image, .handle_levels = levels };
	uint64_t eprocess = forge_process_ex(s->w, &spec);
	char stored[IMAGE_FILE_NAME_BYTES + 1] = { 0 };
	strncpy(stored, image, IMAGE_FILE_NAME_BYTES);
	GROW(s, processes, process_count, process_room);
	s->facts->processes[s->facts->process_count++] = (struct forge_scenario_process){
		.pid = pid, .eprocess = eprocess, .image = scenario_string(s, stored),
	};
	return eprocess;
}

uint64_t scenario_process(struct scenario *s, uint64_t pid, const char *image)
{
	return scenario_process_levels(s, pid, image, 0);
}

uint64_t scenario_thread(struct scenario *s, uint64_t eprocess, uint64_t tid, unsigned state,
			 unsigned wait_reason)
{
	uint64_t ethread = forge_thread(s->w, eprocess, tid, state, wait_reason);
	const struct forge_scenario_process *owner = scenario_process_facts(s, eprocess);
	GROW(s, threads, thread_count, thread_room);
	s->facts->threads[s->facts->thread_count++] = (struct forge_scenario_thread){
		.pid = owner ? owner->pid : 0, .tid = tid, .ethread = ethread, .state = state,
		.wait_reason = wait_reason, .waits_for = FORGE_WAITS_FOR_NOTHING,
	};
	return ethread;
}

static struct forge_scenario_port *add_port(struct scenario *s, uint64_t port, uint64_t owner, const char *name,
					    enum forge_scenario_port_kind kind)
{
	const struct forge_scenario_process *process = scenario_process_facts(s, owner);
	GROW(s, ports, port_count, port_room);
	struct forge_scenario_port *facts = &s->facts->ports[s->facts->port_count++];
	*facts = (struct forge_scenario_port){
		.address = port, .name = scenario_string(s, name), .kind = kind,
		.owner_pid = process ? process->pid : 0, .owner_eprocess = owner,
		.communication_info = port ? forge_alpc_communication_info(s->w, port) : 0,
		.on_port_list = true,
	};
	if (port)
		facts->handle = forge_handle(s->w, owner, port, SCENARIO_PORT_ACCESS);
	return facts;
}

uint64_t scenario_listen(struct scenario *s, uint64_t eprocess, const char *name)
{
	uint64_t port = forge_alpc_connection_port(s->w, eprocess, name);
	struct forge_scenario_port *facts = add_port(s, port, eprocess, name, FORGE_PORT_CONNECTION);
	facts->connection_port = port;
	return port;
}

void scenario_connect(struct scenario *s, uint64_t client_eprocess, uint64_t connection_port,
		      uint64_t *client_port, uint64_t *server_port)
{
	forge_alpc_connect(s->w, client_eprocess, connection_port, client_port, server_port);
	const struct forge_scenario_port *listener = scenario_port_facts(s, connection_port);
	uint64_t server_owner = listener ? listener->owner_eprocess : 0;
	struct forge_scenario_port *server = add_port(s, *server_port, server_owner, NULL,
						      FORGE_PORT_SERVER_COMMUNICATION);
	server->connection_port = connection_port;
	server->server_port = *server_port;
	server->client_port = *client_port;
	struct forge_scenario_port *client = add_port(s, *client_port, client_eprocess, NULL,
						      FORGE_PORT_CLIENT_COMMUNICATION);
	client->connection_port = connection_port;
	client->server_port = *server_port;
	client->client_port = *client_port;
}

void scenario_receive(struct scenario *s, uint64_t port, uint64_t thread)
{
	forge_alpc_wait_for_message(s->w, port, thread);
	struct forge_scenario_port *facts = scenario_port_facts(s, port);
	if (facts)
		facts->wait_length++;
	struct forge_scenario_thread *waiter = scenario_thread_facts(s, thread);
	if (waiter) {
		waiter->waits_for = FORGE_WAITS_FOR_ALPC_RECEIVE;
		waiter->wait_object = port;
	}
}

static void count_in_queue(struct forge_scenario_port *port, enum forge_alpc_queue queue)
{
	if (!port)
		return;
	if (queue == FORGE_QUEUE_MAIN)
		port->main_length++;
	else if (queue == FORGE_QUEUE_PENDING)
		port->pending_length++;
	else if (queue == FORGE_QUEUE_CANCELED)
		port->canceled_length++;
}

uint64_t scenario_request(struct scenario *s, const struct scenario_request *request)
{
	uint32_t id = request->id ? request->id : s->next_message_id;
	s->next_message_id = id + 4;
	struct forge_alpc_message_spec spec = {
		.port = request->queue_port, .queue = request->queue, .owner_port = request->owner_port,
		.waiting_thread = request->waiting_thread, .server_thread = request->server_thread,
		.message_id = id, .callback_id = request->callback_id, .sequence_no = request->sequence_no,
		.canceled = request->canceled, .data_length = request->data_length ? request->data_length : 0x20,
		.total_length = request->total_length, .type = SCENARIO_LPC_REQUEST,
	};
	const struct forge_scenario_thread *waiter = request->waiting_thread
		? scenario_thread_facts(s, request->waiting_thread) : NULL;
	if (!waiter && request->owner_port) {
		/* nobody waits: the client id is the sending port's owner's */
		const struct forge_scenario_port *sender = scenario_port_facts(s, request->owner_port);
		spec.client_pid = sender ? sender->owner_pid : 0;
		spec.client_tid = 0;
	}
	uint64_t message = forge_alpc_message(s->w, &spec);
	struct forge_scenario_port *queue_port = scenario_port_facts(s, request->queue_port);
	count_in_queue(queue_port, request->queue);
	GROW(s, messages, message_count, message_room);
	s->facts->messages[s->facts->message_count++] = (struct forge_scenario_message){
		.address = message, .id = id, .callback_id = request->callback_id, .queue = request->queue,
		.queue_port = request->queue_port, .owner_port = request->owner_port,
		.waiting_thread = request->waiting_thread, .server_thread = request->server_thread,
		.canceled = request->canceled,
		.client_pid = waiter ? waiter->pid : spec.client_pid, .client_tid = waiter ? waiter->tid : 0,
	};
	if (!waiter)
		return message;
	struct forge_scenario_thread *thread = scenario_thread_facts(s, request->waiting_thread);
	thread->waits_for = FORGE_WAITS_FOR_ALPC_REPLY;
	thread->wait_object = message;
	const struct forge_scenario_thread *server = request->server_thread
		? scenario_thread_facts(s, request->server_thread) : NULL;
	GROW(s, waits, wait_count, wait_room);
	s->facts->waits[s->facts->wait_count++] = (struct forge_scenario_wait){
		.pid = thread->pid, .tid = thread->tid, .thread = thread->ethread,
		.kind = FORGE_WAITS_FOR_ALPC_REPLY, .object = message, .queue_port = request->queue_port,
		.target_pid = queue_port ? queue_port->owner_pid : 0,
		.target_tid = server ? server->tid : 0, .definite = server != NULL,
	};
	return message;
}

uint64_t scenario_mutant_wait(struct scenario *s, uint64_t waiter, uint64_t owner, const char *name)
{
	uint64_t mutant = forge_mutant(s->w, owner, name);
	forge_thread_waits_on(s->w, waiter, mutant);
	struct forge_scenario_thread *thread = scenario_thread_facts(s, waiter);
	const struct forge_scenario_thread *holder = scenario_thread_facts(s, owner);
	if (!thread || !holder)
		return mutant;
	thread->waits_for = FORGE_WAITS_FOR_MUTANT;
	thread->wait_object = mutant;
	GROW(s, waits, wait_count, wait_room);
	s->facts->waits[s->facts->wait_count++] = (struct forge_scenario_wait){
		.pid = thread->pid, .tid = thread->tid, .thread = waiter, .kind = FORGE_WAITS_FOR_MUTANT,
		.object = mutant, .target_pid = holder->pid, .target_tid = holder->tid, .definite = true,
	};
	return mutant;
}

static const struct forge_scenario_wait *wait_of(struct scenario *s, uint64_t thread)
{
	for (size_t i = 0; i < s->facts->wait_count; i++)
		if (s->facts->waits[i].thread == thread)
			return &s->facts->waits[i];
	return NULL;
}

void scenario_cycle(struct scenario *s, const uint64_t *threads, size_t count)
{
	if (count == 0 || count > FORGE_SCENARIO_CYCLE_MAX)
		return;
	struct forge_scenario_cycle cycle = { .length = count, .definite = true };
	size_t first = 0;
	for (size_t i = 0; i < count; i++) {
		const struct forge_scenario_thread *thread = scenario_thread_facts(s, threads[i]);
		const struct forge_scenario_wait *wait = wait_of(s, threads[i]);
		if (!thread || !wait)
			return;
		if (!wait->definite)
			cycle.definite = false;
		const struct forge_scenario_thread *lowest = scenario_thread_facts(s, threads[first]);
		if (thread->pid < lowest->pid)
			first = i;
	}
	for (size_t i = 0; i < count; i++) {
		const struct forge_scenario_thread *thread = scenario_thread_facts(s, threads[(first + i) % count]);
		cycle.pids[i] = thread->pid;
		cycle.tids[i] = thread->tid;
	}
	GROW(s, cycles, cycle_count, cycle_room);
	s->facts->cycles[s->facts->cycle_count++] = cycle;
}
