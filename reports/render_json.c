/* The JSON report: docs/json.md is the contract (format_version 1), and
 * keys are written in the order it lists them, so output is byte-identical
 * from run to run.  pid, tid, ids, lengths and counts are integers;
 * addresses and contexts are "0x…" strings (json-c reads 64-bit integers,
 * but many JSON readers do not, and an address is not a quantity); RPC
 * cells are "0000.0004" strings as rpcexts prints them.  Unknown is null. */
#include <inttypes.h>
#include <stdio.h>

#include "reports.h"
#include "json_writer.h"

/* ---- values ------------------------------------------------------------ */

static void key_string(struct json_writer *w, const char *key, const char *text)
{
	json_write_key(w, key);
	json_write_string(w, text);
}

static void key_bool(struct json_writer *w, const char *key, bool value)
{
	json_write_key(w, key);
	json_write_bool(w, value);
}

static void write_maybe_uint(struct json_writer *w, maybe_u64 value)
{
	if (value.known)
		json_write_uint(w, value.value);
	else
		json_write_null(w);
}

static void key_uint(struct json_writer *w, const char *key, maybe_u64 value)
{
	json_write_key(w, key);
	write_maybe_uint(w, value);
}

static void write_address(struct json_writer *w, uint64_t address)
{
	json_write_string_printf(w, "0x%" PRIx64, address);
}

static void write_maybe_address(struct json_writer *w, maybe_u64 address)
{
	if (address.known)
		write_address(w, address.value);
	else
		json_write_null(w);
}

static void key_address(struct json_writer *w, const char *key, maybe_u64 address)
{
	json_write_key(w, key);
	write_maybe_address(w, address);
}

static void key_yes_no(struct json_writer *w, const char *key, enum yes_no value)
{
	json_write_key(w, key);
	if (value == YES_NO_UNKNOWN)
		json_write_null(w);
	else
		json_write_bool(w, value == YES);
}

/* A cell id is two 16-bit numbers kept as high << 16 | low. */
static void key_cell(struct json_writer *w, const char *key, maybe_cell cell)
{
	json_write_key(w, key);
	if (cell.known)
		json_write_string_printf(w, "%04" PRIx64 ".%04" PRIx64, cell.value >> 16,
					 cell.value & 0xffff);
	else
		json_write_null(w);
}

static void key_index(struct json_writer *w, const char *key, const struct wait *wait)
{
	json_write_key(w, key);
	if (wait)
		json_write_uint(w, wait->index);
	else
		json_write_null(w);
}

/* ---- provenance -------------------------------------------------------- */

/* The file an origin points into: the snapshot may be built from several
 * (snapshot.sources; 0 is snapshot.path). */
static const char *origin_path(const struct snapshot *snapshot, struct origin origin)
{
	return origin.file < snapshot->sources.count ? snapshot->sources.items[origin.file]
						     : snapshot->path;
}

/* Worded as snapshot_describe_origin() words it, but without its fixed
 * buffer, so a long path is never cut. */
static void write_origin(struct json_writer *w, const struct snapshot *snapshot,
			 struct origin origin)
{
	const char *path = origin_path(snapshot, origin);
	switch (origin.kind) {
	case ORIGIN_LINE:
		json_write_string_printf(w, "%s:%" PRIu64, path, origin.at);
		break;
	case ORIGIN_FILE_OFFSET:
		json_write_string_printf(w, "%s@0x%" PRIx64, path, origin.at);
		break;
	case ORIGIN_VIRTUAL:
		json_write_string_printf(w, "%s:va 0x%" PRIx64, path, origin.at);
		break;
	case ORIGIN_NONE:
		break;
	}
}

static void key_origin_list(struct json_writer *w, const struct snapshot *snapshot,
			    const struct origin_list *list)
{
	json_write_key(w, "origin");
	json_write_begin_array(w);
	uint32_t kept = list->count < ORIGINS_KEPT ? list->count : ORIGINS_KEPT;
	for (uint32_t i = 0; i < kept; i++)
		write_origin(w, snapshot, list->at[i]);
	json_write_end_array(w);
}

/* Records seen once carry one origin; the key is still a list, so every
 * "origin" in the document reads the same way. */
static void key_origin(struct json_writer *w, const struct snapshot *snapshot, struct origin origin)
{
	json_write_key(w, "origin");
	json_write_begin_array(w);
	write_origin(w, snapshot, origin);
	json_write_end_array(w);
}

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

/* ---- the input header -------------------------------------------------- */

static void key_line(struct json_writer *w, const char *key, uint64_t line)
{
	key_uint(w, key, line ? known_u64(line) : UNKNOWN_U64);
}

static void write_capture(struct json_writer *w, const struct snapshot *snapshot)
{
	json_write_key(w, "capture");
	json_write_begin_object(w);
	key_uint(w, "index", known_u64(snapshot->capture_index));
	key_uint(w, "count", known_u64(snapshot->capture_count));
	key_line(w, "first_line", snapshot->first_line);
	key_line(w, "last_line", snapshot->last_line);
	json_write_end_object(w);
}

static void write_diagnostics(struct json_writer *w, const char *key,
			      const struct snapshot *snapshot, enum diagnostic_level level)
{
	json_write_key(w, key);
	json_write_begin_array(w);
	for (size_t i = 0; i < snapshot->diagnostics.count; i++) {
		const struct diagnostic *diagnostic = snapshot->diagnostics.items[i];
		if (diagnostic->level == level)
			json_write_string(w, diagnostic->text);
	}
	json_write_end_array(w);
}

static void write_system(struct json_writer *w, const struct system_info *system)
{
	json_write_key(w, "system");
	json_write_begin_object(w);
	key_string(w, "build", system->build);
	key_string(w, "arch", system->arch);
	key_string(w, "dump_type", system->dump_type);
	key_string(w, "debugger", system->debugger);
	key_string(w, "machine", system->machine);
	key_bool(w, "kernel_mode", system->kernel_mode);
	key_uint(w, "rpc_time_ms", system->rpc_time_ms);
	json_write_end_object(w);
}

/* ---- processes and threads --------------------------------------------- */

static void write_process(struct json_writer *w, const struct snapshot *snapshot,
			  const void *record)
{
	const struct process *process = record;
	json_write_begin_object(w);
	key_address(w, "address", process->address);
	key_uint(w, "pid", process->pid);
	key_uint(w, "parent_pid", process->parent_pid);
	key_uint(w, "session_id", process->session_id);
	key_string(w, "name", process->image);
	key_uint(w, "handle_count", process->handle_count);
	key_bool(w, "debuggee", process->debuggee);
	key_origin_list(w, snapshot, &process->origin);
	json_write_end_object(w);
}

static void write_wait_objects(struct json_writer *w, const struct thread *thread)
{
	json_write_key(w, "wait_objects");
	json_write_begin_array(w);
	for (uint32_t i = 0; i < thread->wait_object_count; i++) {
		const struct wait_object *object = &thread->wait_objects[i];
		json_write_begin_object(w);
		key_address(w, "address", known_u64(object->address));
		key_string(w, "type", object->type);
		key_address(w, "owner_thread", object->owner_thread);
		json_write_end_object(w);
	}
	json_write_end_array(w);
}

static void write_alpc_wait(struct json_writer *w, const struct thread *thread)
{
	json_write_key(w, "alpc_wait");
	if (!thread->alpc_wait_message.known && !thread->alpc_wait_port.known &&
	    !thread->alpc_wait_port_owner.known) {
		json_write_null(w);
		return;
	}
	json_write_begin_object(w);
	key_address(w, "message", thread->alpc_wait_message);
	key_address(w, "port", thread->alpc_wait_port);
	key_address(w, "port_owner", thread->alpc_wait_port_owner);
	json_write_end_object(w);
}

static void write_lpc_wait(struct json_writer *w, const struct thread *thread)
{
	json_write_key(w, "lpc_wait");
	if (!thread->lpc_wait_message_id.known && !thread->lpc_port.known) {
		json_write_null(w);
		return;
	}
	json_write_begin_object(w);
	key_uint(w, "message_id", thread->lpc_wait_message_id);
	key_address(w, "port", thread->lpc_port);
	json_write_end_object(w);
}

static void write_frames(struct json_writer *w, const struct thread *thread)
{
	json_write_key(w, "frames");
	json_write_begin_array(w);
	for (uint32_t i = 0; i < thread->frame_count; i++)
		json_write_string(w, thread->frames[i]);
	json_write_end_array(w);
}

static void write_activity(struct json_writer *w, const struct snapshot *snapshot,
			   struct thread *thread)
{
	struct root_blocker activity = classify_thread(snapshot, thread);
	json_write_key(w, "activity");
	json_write_begin_object(w);
	key_string(w, "kind", blocker_kind_name(activity.kind));
	key_string(w, "description", blocker_kind_description(activity.kind));
	key_string(w, "detail", activity.detail);
	json_write_end_object(w);
}

static void write_thread(struct json_writer *w, const struct snapshot *snapshot,
			 struct thread *thread)
{
	json_write_begin_object(w);
	key_address(w, "address", thread->address);
	key_uint(w, "pid", thread->pid);
	key_uint(w, "tid", thread->tid);
	key_address(w, "process", thread->process_address);
	key_uint(w, "debugger_thread", thread->debugger_index);
	key_string(w, "state", thread->state);
	key_string(w, "wait_reason", thread->wait_reason);
	key_string(w, "wait_mode", thread->wait_mode);
	write_wait_objects(w, thread);
	write_alpc_wait(w, thread);
	write_lpc_wait(w, thread);
	key_uint(w, "lpc_serving_message_id", thread->lpc_serving_message_id);
	key_uint(w, "wait_ticks", thread->wait_ticks);
	key_string(w, "wait_time", thread->wait_time);
	key_uint(w, "irp_count", thread->irp_count);
	key_bool(w, "kernel_stack_not_resident", thread->kernel_stack_not_resident);
	write_frames(w, thread);
	write_activity(w, snapshot, thread);
	key_origin_list(w, snapshot, &thread->origin);
	json_write_end_object(w);
}

/* ---- ports ------------------------------------------------------------- */

static void write_port_flags(struct json_writer *w, const struct port *port)
{
	json_write_key(w, "flags");
	json_write_begin_object(w);
	key_yes_no(w, "connection_pending", port->connection_pending);
	key_yes_no(w, "connection_refused", port->connection_refused);
	key_yes_no(w, "disconnected", port->disconnected);
	key_yes_no(w, "closed", port->closed);
	key_yes_no(w, "flush_on_close", port->flush_on_close);
	key_yes_no(w, "return_extended_info", port->return_extended_info);
	key_yes_no(w, "waitable", port->waitable);
	key_yes_no(w, "wow64_completion_list", port->wow64_completion_list);
	json_write_end_object(w);
}

static void write_address_list(struct json_writer *w, const char *key,
			       const struct u64_vec *addresses)
{
	json_write_key(w, key);
	json_write_begin_array(w);
	for (size_t i = 0; i < addresses->count; i++)
		write_address(w, addresses->items[i]);
	json_write_end_array(w);
}

/* Only queues something is known about: "is empty" is known (length 0),
 * a queue the capture never mentioned is left out. */
static void write_port_queues(struct json_writer *w, const struct port *port)
{
	json_write_key(w, "queues");
	json_write_begin_object(w);
	for (int kind = QUEUE_UNKNOWN + 1; kind < QUEUE_KIND_COUNT; kind++) {
		const struct port_queue *queue = &port->queues[kind];
		if (!queue->length.known && queue->messages.count == 0)
			continue;
		json_write_key(w, queue_kind_name((enum queue_kind)kind));
		json_write_begin_object(w);
		key_uint(w, "length", queue->length);
		write_address_list(w, "messages", &queue->messages);
		json_write_end_object(w);
	}
	json_write_end_object(w);
}

static void write_port(struct json_writer *w, const struct snapshot *snapshot, const void *record)
{
	const struct port *port = record;
	const struct process *owner =
		port->owner_process.known
			? snapshot_find_process(snapshot, port->owner_process.value)
			: NULL;
	json_write_begin_object(w);
	key_address(w, "address", port->address);
	key_string(w, "name", port->name);
	key_string(w, "flavor", flavor_name(port->flavor));
	key_string(w, "kind", port_kind_name(port->kind));
	key_address(w, "owner_process", port->owner_process);
	key_uint(w, "owner_pid", owner ? owner->pid : UNKNOWN_U64);
	key_string(w, "owner_name", owner ? owner->image : NULL);
	key_address(w, "communication_info", port->communication_info);
	key_address(w, "connection_port", port->connection_port);
	key_address(w, "client_port", port->client_port);
	key_address(w, "server_port", port->server_port);
	key_address(w, "connected_port", port->connected_port);
	key_uint(w, "sequence_number", port->sequence_number);
	key_address(w, "completion_port", port->completion_port);
	key_address(w, "completion_list", port->completion_list);
	write_port_flags(w, port);
	key_string(w, "security", port->security);
	write_port_queues(w, port);
	write_address_list(w, "waiting_threads", &port->waiting_threads);
	write_address_list(w, "registered_threads", &port->registered_threads);
	key_uint(w, "waiting_thread_count", port->waiting_thread_count);
	key_uint(w, "registered_thread_count", port->registered_thread_count);
	key_uint(w, "lpc_flags", port->lpc_flags);
	key_uint(w, "handles", port->handles);
	key_uint(w, "references", port->references);
	key_address(w, "queue_semaphore", port->queue_semaphore);
	key_uint(w, "semaphore_state", port->semaphore_state);
	key_origin_list(w, snapshot, &port->origin);
	json_write_end_object(w);
}

/* ---- messages and connections ------------------------------------------ */

static void write_message(struct json_writer *w, const struct snapshot *snapshot,
			  const void *record)
{
	const struct message *message = record;
	json_write_begin_object(w);
	key_address(w, "address", message->address);
	key_uint(w, "id", message->id);
	key_string(w, "flavor", flavor_name(message->flavor));
	key_uint(w, "callback_id", message->callback_id);
	key_uint(w, "sequence_number", message->sequence_number);
	key_string(w, "type", message->type);
	key_uint(w, "data_length", message->data_length);
	key_uint(w, "total_length", message->total_length);
	key_yes_no(w, "canceled", message->canceled);
	key_yes_no(w, "release", message->release);
	key_yes_no(w, "reply_wait_reply", message->reply_wait_reply);
	key_yes_no(w, "continuation", message->continuation);
	key_yes_no(w, "quota_charged", message->quota_charged);
	key_address(w, "owner_port", message->owner_port);
	key_string(w, "owner_port_kind", port_kind_name(message->owner_port_kind));
	key_address(w, "waiting_thread", message->waiting_thread);
	key_string(w, "queue", queue_kind_name(message->queue));
	key_address(w, "queue_port", message->queue_port);
	key_string(w, "queue_port_kind", port_kind_name(message->queue_port_kind));
	key_address(w, "queue_port_owner", message->queue_port_owner);
	key_address(w, "server_thread", message->server_thread);
	key_address(w, "cancel_queue_port", message->cancel_queue_port);
	key_address(w, "cancel_sequence_port", message->cancel_sequence_port);
	key_uint(w, "cancel_sequence_number", message->cancel_sequence_number);
	key_address(w, "client_context", message->client_context);
	key_address(w, "server_context", message->server_context);
	key_address(w, "port_context", message->port_context);
	key_address(w, "cancel_port_context", message->cancel_port_context);
	key_address(w, "security_data", message->security_data);
	key_address(w, "view", message->view);
	key_string(w, "lpc_state", message->lpc_state);
	key_uint(w, "client_pid", message->client_pid);
	key_uint(w, "client_tid", message->client_tid);
	key_address(w, "lpc_context", message->lpc_context);
	key_origin_list(w, snapshot, &message->origin);
	json_write_end_object(w);
}

static void write_connection(struct json_writer *w, const struct snapshot *snapshot,
			     const void *record)
{
	const struct port_connection *connection = record;
	json_write_begin_object(w);
	key_address(w, "connection_port", connection->connection_port);
	key_address(w, "server_port", connection->server_port);
	key_address(w, "client_port", connection->client_port);
	key_uint(w, "server_queued", connection->server_queued);
	key_uint(w, "client_queued", connection->client_queued);
	key_address(w, "server_process", connection->server_process);
	key_address(w, "client_process", connection->client_process);
	key_origin(w, snapshot, connection->origin);
	json_write_end_object(w);
}

/* ---- RPC run-time cells ------------------------------------------------ */

/* Status codes as the rpcexts documentation's own cross-checks show them
 * (../shared/corpus/transcripts/INDEX.md, "RPC run-time status codes"). */
static const char *rpc_call_status_name(maybe_u64 status)
{
	if (!status.known)
		return NULL;
	switch (status.value) {
	case 0:
		return "allocated";
	case 1:
		return "active";
	case 2:
		return "dispatched";
	default:
		return NULL;
	}
}

static const char *rpc_thread_status_name(maybe_u64 status)
{
	if (!status.known)
		return NULL;
	switch (status.value) {
	case 1:
		return "dispatched";
	case 3:
		return "idle";
	default:
		return NULL;
	}
}

/* IFSTART is the first DWORD of the interface UUID, printed as 8 digits. */
static void key_interface_start(struct json_writer *w, maybe_u64 interface_start)
{
	json_write_key(w, "interface_start");
	if (interface_start.known)
		json_write_string_printf(w, "%08" PRIx64, interface_start.value);
	else
		json_write_null(w);
}

static void write_rpc_endpoint(struct json_writer *w, const struct snapshot *snapshot,
			       const void *record)
{
	const struct rpc_endpoint *endpoint = record;
	json_write_begin_object(w);
	key_uint(w, "pid", endpoint->pid);
	key_cell(w, "cell", endpoint->cell);
	key_uint(w, "status", endpoint->status);
	key_string(w, "protocol", endpoint->protocol);
	key_string(w, "name", endpoint->name);
	key_origin(w, snapshot, endpoint->origin);
	json_write_end_object(w);
}

static void write_rpc_thread(struct json_writer *w, const struct snapshot *snapshot,
			     const void *record)
{
	const struct rpc_thread *thread = record;
	json_write_begin_object(w);
	key_uint(w, "pid", thread->pid);
	key_cell(w, "cell", thread->cell);
	key_uint(w, "status", thread->status);
	key_string(w, "status_name", rpc_thread_status_name(thread->status));
	key_uint(w, "tid", thread->tid);
	key_uint(w, "last_time_ms", thread->last_time);
	key_origin(w, snapshot, thread->origin);
	json_write_end_object(w);
}

static void write_rpc_connection(struct json_writer *w, const struct snapshot *snapshot,
				 const void *record)
{
	const struct rpc_connection *connection = record;
	json_write_begin_object(w);
	key_uint(w, "pid", connection->pid);
	key_cell(w, "cell", connection->cell);
	key_string(w, "flags", connection->flags);
	key_string(w, "authentication_level", connection->authentication_level);
	key_string(w, "authentication_service", connection->authentication_service);
	key_cell(w, "endpoint_cell", connection->endpoint_cell);
	key_uint(w, "last_send_time_ms", connection->last_send_time);
	key_uint(w, "last_receive_time_ms", connection->last_receive_time);
	key_address(w, "caller_process", connection->caller_process);
	key_origin(w, snapshot, connection->origin);
	json_write_end_object(w);
}

static void write_rpc_server_call(struct json_writer *w, const struct snapshot *snapshot,
				  const void *record)
{
	const struct rpc_server_call *call = record;
	json_write_begin_object(w);
	key_uint(w, "pid", call->pid);
	key_cell(w, "cell", call->cell);
	key_uint(w, "status", call->status);
	key_string(w, "status_name", rpc_call_status_name(call->status));
	key_uint(w, "procedure", call->procedure);
	key_interface_start(w, call->interface_start);
	key_cell(w, "thread_cell", call->thread_cell);
	key_uint(w, "call_flags", call->call_flags);
	key_string(w, "call_flag_names", call->call_flag_names);
	key_uint(w, "call_id", call->call_id);
	key_uint(w, "last_time_ms", call->last_time);
	key_cell(w, "connection_cell", call->connection_cell);
	key_uint(w, "caller_pid", call->caller_pid);
	key_uint(w, "caller_tid", call->caller_tid);
	key_origin(w, snapshot, call->origin);
	json_write_end_object(w);
}

static void write_rpc_client_call(struct json_writer *w, const struct snapshot *snapshot,
				  const void *record)
{
	const struct rpc_client_call *call = record;
	json_write_begin_object(w);
	key_uint(w, "pid", call->pid);
	key_cell(w, "cell", call->cell);
	key_uint(w, "procedure", call->procedure);
	key_interface_start(w, call->interface_start);
	key_cell(w, "thread_cell", call->thread_cell);
	key_uint(w, "call_id", call->call_id);
	key_uint(w, "last_time_ms", call->last_time);
	key_uint(w, "protocol_id", call->protocol_id);
	key_cell(w, "client_cell", call->client_cell);
	key_string(w, "endpoint", call->endpoint);
	key_string(w, "protocol", call->protocol);
	key_string(w, "network_address", call->network_address);
	key_uint(w, "debugger_thread", call->debugger_thread);
	key_origin(w, snapshot, call->origin);
	json_write_end_object(w);
}

typedef void (*record_writer)(struct json_writer *w, const struct snapshot *snapshot,
			      const void *record);

static void write_records(struct json_writer *w, const char *key, const struct snapshot *snapshot,
			  const struct ptr_vec *records, record_writer write_record)
{
	json_write_key(w, key);
	json_write_begin_array(w);
	for (size_t i = 0; i < records->count; i++)
		write_record(w, snapshot, records->items[i]);
	json_write_end_array(w);
}

static void write_rpc(struct json_writer *w, const struct snapshot *snapshot)
{
	json_write_key(w, "rpc");
	json_write_begin_object(w);
	write_records(w, "endpoints", snapshot, &snapshot->rpc_endpoints, write_rpc_endpoint);
	write_records(w, "threads", snapshot, &snapshot->rpc_threads, write_rpc_thread);
	write_records(w, "connections", snapshot, &snapshot->rpc_connections, write_rpc_connection);
	write_records(w, "server_calls", snapshot, &snapshot->rpc_server_calls,
		      write_rpc_server_call);
	write_records(w, "client_calls", snapshot, &snapshot->rpc_client_calls,
		      write_rpc_client_call);
	json_write_end_object(w);
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

static void write_wait(struct json_writer *w, const struct snapshot *snapshot, const void *record)
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

static void write_cycle(struct json_writer *w, const struct snapshot *snapshot,
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

static void write_chain(struct json_writer *w, const struct analysis *analysis,
			const struct chain *chain)
{
	json_write_begin_object(w);
	key_uint(w, "length", known_u64(chain->waits.count));
	write_wait_indices(w, &chain->waits);
	write_root(w, analysis->snapshot, &chain->root);
	key_uint(w, "cycle", cycle_index(analysis, chain->cycle));
	json_write_end_object(w);
}

/* ---- the document ------------------------------------------------------ */

static void write_threads(struct json_writer *w, const struct snapshot *snapshot)
{
	json_write_key(w, "threads");
	json_write_begin_array(w);
	for (size_t i = 0; i < snapshot->threads.count; i++)
		write_thread(w, snapshot, snapshot->threads.items[i]);
	json_write_end_array(w);
}

static void write_cycles(struct json_writer *w, const struct analysis *analysis)
{
	json_write_key(w, "cycles");
	json_write_begin_array(w);
	for (size_t i = 0; i < analysis->cycles.count; i++)
		write_cycle(w, analysis->snapshot, analysis->cycles.items[i]);
	json_write_end_array(w);
}

static void write_chains(struct json_writer *w, const struct analysis *analysis)
{
	json_write_key(w, "chains");
	json_write_begin_array(w);
	for (size_t i = 0; i < analysis->chains.count; i++)
		write_chain(w, analysis, analysis->chains.items[i]);
	json_write_end_array(w);
}

static void write_input(struct json_writer *w, const struct analysis *analysis)
{
	const struct snapshot *snapshot = analysis->snapshot;
	json_write_begin_object(w);
	key_string(w, "path", snapshot->path);
	key_string(w, "format", snapshot->format);
	write_capture(w, snapshot);
	key_string(w, "status", snapshot_status_name(snapshot->status));
	write_diagnostics(w, "errors", snapshot, DIAGNOSTIC_ERROR);
	write_diagnostics(w, "warnings", snapshot, DIAGNOSTIC_WARNING);
	write_diagnostics(w, "notes", snapshot, DIAGNOSTIC_NOTE);
	write_system(w, &snapshot->system);
	write_records(w, "processes", snapshot, &snapshot->processes, write_process);
	write_threads(w, snapshot);
	write_records(w, "ports", snapshot, &snapshot->ports, write_port);
	write_records(w, "messages", snapshot, &snapshot->messages, write_message);
	write_records(w, "connections", snapshot, &snapshot->connections, write_connection);
	write_rpc(w, snapshot);
	write_records(w, "waits", snapshot, &analysis->waits, write_wait);
	write_cycles(w, analysis);
	write_chains(w, analysis);
	json_write_end_object(w);
}

struct error *render_json(FILE *out, struct analysis *const *analyses, size_t count)
{
	struct json_writer writer;
	json_writer_init(&writer, out);
	json_write_begin_object(&writer);
	key_uint(&writer, "format_version", known_u64(1));
	key_string(&writer, "generator", "alpcgraph " PACKAGE_VERSION);
	json_write_key(&writer, "inputs");
	json_write_begin_array(&writer);
	for (size_t i = 0; i < count; i++)
		write_input(&writer, analyses[i]);
	json_write_end_array(&writer);
	json_write_end_object(&writer);
	return json_writer_finish(&writer);
}
