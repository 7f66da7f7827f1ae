/* The records of a snapshot in the JSON report: processes, threads,
 * ports, messages, connections and the RPC run-time cells, each with its
 * keys in the order docs/json.md lists them. */
#include <inttypes.h>

#include "render_json_internal.h"

/* ---- processes and threads --------------------------------------------- */

void write_process(struct json_writer *w, const struct snapshot *snapshot,
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

void write_thread(struct json_writer *w, const struct snapshot *snapshot,
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

void write_port(struct json_writer *w, const struct snapshot *snapshot, const void *record)
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

void write_message(struct json_writer *w, const struct snapshot *snapshot,
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
	key_uint(w, "type_number", message->type_number);
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
	key_address(w, "lpc_flink", message->lpc_flink);
	key_address(w, "lpc_blink", message->lpc_blink);
	json_write_key(w, "lpc_data");
	json_write_begin_array(w);
	for (unsigned i = 0; i < message->lpc_data_count && i < MESSAGE_DATA_WORDS; i++)
		json_write_uint(w, message->lpc_data[i]);
	json_write_end_array(w);
	key_origin_list(w, snapshot, &message->origin);
	json_write_end_object(w);
}

void write_connection(struct json_writer *w, const struct snapshot *snapshot,
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

void write_records(struct json_writer *w, const char *key, const struct snapshot *snapshot,
		   const struct ptr_vec *records, record_writer write_record)
{
	json_write_key(w, key);
	json_write_begin_array(w);
	for (size_t i = 0; i < records->count; i++)
		write_record(w, snapshot, records->items[i]);
	json_write_end_array(w);
}

void write_rpc(struct json_writer *w, const struct snapshot *snapshot)
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
