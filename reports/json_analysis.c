/* What the analysis found, in the JSON report: the waits, the cycles
 * and the chains.  Cycles and chains refer to their waits by index. */
#include "render_json_internal.h"

/* ---- who: a thread and/or a process ------------------------------------ */

/* A wait, cycle or root names a thread, a process, or both; what one does
 * not know the other may. */
struct party {
	maybe_u64 pid, tid, thread, process;
	const char *name;
};

static struct party party_of(const struct snapshot *snapshot, const struct thread *thread,
			     const struct process *process)
{
	struct party party = { UNKNOWN_U64, UNKNOWN_U64, UNKNOWN_U64, UNKNOWN_U64, NULL };
	if (thread) {
		party.pid = thread->pid;
		party.tid = thread->tid;
		party.thread = thread->address;
		party.process = thread->process_address;
	}
	if (!process && thread)
		process = thread_process(snapshot, thread);
	if (process) {
		maybe_fill(&party.pid, process->pid);
		if (process->address.known)
			party.process = process->address;
		party.name = process->image;
	}
	if (!party.name && thread)
		party.name = thread_image(snapshot, thread);
	return party;
}

/* ---- waits ------------------------------------------------------------- */

static void write_wait_client(struct json_writer *w, const struct snapshot *snapshot,
			      const struct wait *wait)
{
	struct party client = party_of(snapshot, wait->client, wait->client_process);
	json_write_key(w, "client");
	json_write_begin_object(w);
	key_uint(w, "pid", client.pid);
	key_uint(w, "tid", client.tid);
	key_address(w, "thread", client.thread);
	key_address(w, "process", client.process);
	key_string(w, "name", client.name);
	key_uint(w, "debugger_thread", wait->client ? wait->client->debugger_index : UNKNOWN_U64);
	json_write_end_object(w);
}

/* The message and port a wait is on: the records when the capture has
 * them, else what the client thread's own wait line names ("Waiting for
 * reply to ALPC Message M : queued at port P", "Current LPC port P"). */
static void write_wait_message(struct json_writer *w, const struct wait *wait)
{
	const struct message *message = wait->message;
	const struct thread *client = wait->client;
	maybe_u64 id = message ? message->id : UNKNOWN_U64;
	maybe_u64 address = message ? message->address : UNKNOWN_U64;
	if (!message && client && wait->via == VIA_ALPC)
		address = client->alpc_wait_message;
	if (!message && client && wait->via == VIA_LPC)
		id = client->lpc_wait_message_id;
	json_write_key(w, "message");
	if (!message && !id.known && !address.known) {
		json_write_null(w);
		return;
	}
	json_write_begin_object(w);
	key_uint(w, "id", id);
	key_address(w, "address", address);
	key_string(w, "queue", message ? queue_kind_name(message->queue) : NULL);
	json_write_end_object(w);
}

static void write_wait_port(struct json_writer *w, const struct wait *wait)
{
	const struct port *port = wait->port;
	const struct thread *client = wait->client;
	maybe_u64 address = port ? port->address : UNKNOWN_U64;
	if (!port && client && wait->via == VIA_ALPC)
		address = client->alpc_wait_port;
	if (!port && client && wait->via == VIA_LPC)
		address = client->lpc_port;
	json_write_key(w, "port");
	if (!port && !address.known) {
		json_write_null(w);
		return;
	}
	json_write_begin_object(w);
	key_address(w, "address", address);
	key_string(w, "name", port ? port->name : NULL);
	json_write_end_object(w);
}

static void write_wait_lock(struct json_writer *w, const struct wait_object *lock)
{
	json_write_key(w, "lock");
	if (!lock) {
		json_write_null(w);
		return;
	}
	json_write_begin_object(w);
	key_address(w, "address", known_u64(lock->address));
	key_string(w, "type", lock->type);
	json_write_end_object(w);
}

static void key_call_cell(struct json_writer *w, const char *key, bool present, maybe_u64 pid,
			  maybe_cell cell)
{
	json_write_key(w, key);
	if (!present) {
		json_write_null(w);
		return;
	}
	json_write_begin_object(w);
	key_uint(w, "pid", pid);
	key_cell(w, "cell", cell);
	json_write_end_object(w);
}

static void write_wait_rpc(struct json_writer *w, const struct wait *wait)
{
	json_write_key(w, "rpc");
	const struct rpc_server_call *server = wait->rpc_server_call;
	const struct rpc_client_call *client = wait->rpc_client_call;
	if (!server && !client && !wait->rpc_endpoint) {
		json_write_null(w);
		return;
	}
	json_write_begin_object(w);
	key_call_cell(w, "server_call", server != NULL, server ? server->pid : UNKNOWN_U64,
		      server ? server->cell : UNKNOWN_U64);
	key_call_cell(w, "client_call", client != NULL, client ? client->pid : UNKNOWN_U64,
		      client ? client->cell : UNKNOWN_U64);
	key_string(w, "endpoint", wait->rpc_endpoint ? wait->rpc_endpoint->name : NULL);
	json_write_end_object(w);
}

static void write_wait_server(struct json_writer *w, const struct snapshot *snapshot,
			      const struct wait *wait)
{
	struct party server = party_of(snapshot, wait->server_thread, wait->server_process);
	json_write_key(w, "server");
	json_write_begin_object(w);
	key_uint(w, "pid", server.pid);
	key_string(w, "name", server.name);
	key_address(w, "process", server.process);
	key_uint(w, "tid", server.tid);
	key_address(w, "thread", server.thread);
	json_write_end_object(w);
}

void write_wait(struct json_writer *w, const struct snapshot *snapshot, const void *record)
{
	const struct wait *wait = record;
	json_write_begin_object(w);
	key_uint(w, "index", known_u64(wait->index));
	key_string(w, "via", wait_via_name(wait->via));
	write_wait_client(w, snapshot, wait);
	write_wait_message(w, wait);
	write_wait_port(w, wait);
	write_wait_lock(w, wait->lock);
	write_wait_rpc(w, wait);
	write_wait_server(w, snapshot, wait);
	key_bool(w, "weak", wait->weak);
	key_string(w, "weak_reason", wait->weak_reason);
	key_bool(w, "nested", wait->serving != NULL);
	key_index(w, "serving", wait->serving);
	key_origin(w, snapshot, wait->origin);
	json_write_end_object(w);
}

static void write_wait_indices(struct json_writer *w, const struct ptr_vec *waits)
{
	json_write_key(w, "waits");
	json_write_begin_array(w);
	for (size_t i = 0; i < waits->count; i++) {
		const struct wait *wait = waits->items[i];
		json_write_uint(w, wait->index);
	}
	json_write_end_array(w);
}

/* ---- cycles and chains ------------------------------------------------- */

static void write_cycle_member(struct json_writer *w, const struct snapshot *snapshot,
			       const struct cycle *cycle, void *member)
{
	struct party party = cycle->kind == CYCLE_THREAD ? party_of(snapshot, member, NULL)
							 : party_of(snapshot, NULL, member);
	json_write_begin_object(w);
	key_uint(w, "pid", party.pid);
	key_uint(w, "tid", party.tid);
	key_address(w, "thread", party.thread);
	key_address(w, "process", party.process);
	key_string(w, "name", party.name);
	json_write_end_object(w);
}

void write_cycle(struct json_writer *w, const struct snapshot *snapshot,
		 const struct cycle *cycle)
{
	json_write_begin_object(w);
	key_string(w, "kind", cycle->kind == CYCLE_THREAD ? "thread" : "process");
	key_string(w, "confidence", cycle->definite ? "definite" : "probable");
	json_write_key(w, "members");
	json_write_begin_array(w);
	for (size_t i = 0; i < cycle->members.count; i++)
		write_cycle_member(w, snapshot, cycle, cycle->members.items[i]);
	json_write_end_array(w);
	write_wait_indices(w, &cycle->waits);
	key_string(w, "signature", cycle->signature);
	key_string(w, "signature_id", cycle->signature_id);
	json_write_end_object(w);
}

static void write_root(struct json_writer *w, const struct snapshot *snapshot,
		       const struct root_blocker *root)
{
	struct party party = party_of(snapshot, root->thread, root->process);
	json_write_key(w, "root");
	json_write_begin_object(w);
	key_string(w, "kind", blocker_kind_name(root->kind));
	key_string(w, "description", blocker_kind_description(root->kind));
	key_uint(w, "pid", party.pid);
	key_uint(w, "tid", party.tid);
	key_address(w, "thread", party.thread);
	key_address(w, "process", party.process);
	key_string(w, "name", party.name);
	key_string(w, "detail", root->detail);
	json_write_end_object(w);
}

static maybe_u64 cycle_index(const struct analysis *analysis, const struct cycle *cycle)
{
	for (size_t i = 0; cycle && i < analysis->cycles.count; i++)
		if (analysis->cycles.items[i] == cycle)
			return known_u64(i);
	return UNKNOWN_U64;
}

void write_chain(struct json_writer *w, const struct analysis *analysis,
		 const struct chain *chain)
{
	json_write_begin_object(w);
	key_uint(w, "length", known_u64(chain->waits.count));
	write_wait_indices(w, &chain->waits);
	write_root(w, analysis->snapshot, &chain->root);
	key_uint(w, "cycle", cycle_index(analysis, chain->cycle));
	json_write_end_object(w);
}
