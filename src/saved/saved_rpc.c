/* The RPC run-time cells of a saved input (docs/json.md "RPC run-time
 * cells"), each found or made by its (pid, cell) as the model keys them.
 * status_name is the writer's reading of status and is not read. */
#include "saved_internal.h"

static void read_endpoint(struct saved_reader *reader, json_object *record)
{
	struct rpc_endpoint *endpoint = snapshot_rpc_endpoint(
		reader->snapshot, saved_uint(reader, record, "pid"), saved_cell(reader, record, "cell"),
		saved_first_origin(reader, record));
	maybe_fill(&endpoint->status, saved_uint(reader, record, "status"));
	if (!endpoint->protocol)
		endpoint->protocol = saved_text(reader, record, "protocol");
	if (!endpoint->name)
		endpoint->name = saved_text(reader, record, "name");
}

static void read_thread(struct saved_reader *reader, json_object *record)
{
	struct rpc_thread *thread = snapshot_rpc_thread(
		reader->snapshot, saved_uint(reader, record, "pid"), saved_cell(reader, record, "cell"),
		saved_first_origin(reader, record));
	maybe_fill(&thread->status, saved_uint(reader, record, "status"));
	maybe_fill(&thread->tid, saved_uint(reader, record, "tid"));
	maybe_fill(&thread->last_time, saved_uint(reader, record, "last_time_ms"));
}

static void read_connection(struct saved_reader *reader, json_object *record)
{
	struct rpc_connection *connection = snapshot_rpc_connection(
		reader->snapshot, saved_uint(reader, record, "pid"), saved_cell(reader, record, "cell"),
		saved_first_origin(reader, record));
	if (!connection->flags)
		connection->flags = saved_text(reader, record, "flags");
	if (!connection->authentication_level)
		connection->authentication_level = saved_text(reader, record, "authentication_level");
	if (!connection->authentication_service)
		connection->authentication_service =
			saved_text(reader, record, "authentication_service");
	maybe_fill(&connection->endpoint_cell, saved_cell(reader, record, "endpoint_cell"));
	maybe_fill(&connection->last_send_time, saved_uint(reader, record, "last_send_time_ms"));
	maybe_fill(&connection->last_receive_time,
		   saved_uint(reader, record, "last_receive_time_ms"));
	maybe_fill(&connection->caller_process, saved_address(reader, record, "caller_process"));
}

/* The CONN/CLN column is a connection cell or the caller's pid.tid. */
static enum rpc_call_party call_party(const struct rpc_server_call *call)
{
	if (call->connection_cell.known)
		return RPC_PARTY_CONNECTION;
	if (call->caller_pid.known || call->caller_tid.known)
		return RPC_PARTY_CALLER;
	return RPC_PARTY_UNKNOWN;
}

static void read_server_call(struct saved_reader *reader, json_object *record)
{
	struct rpc_server_call *call = snapshot_rpc_server_call(
		reader->snapshot, saved_uint(reader, record, "pid"), saved_cell(reader, record, "cell"),
		saved_first_origin(reader, record));
	maybe_fill(&call->status, saved_uint(reader, record, "status"));
	maybe_fill(&call->procedure, saved_uint(reader, record, "procedure"));
	maybe_fill(&call->interface_start, saved_hex32(reader, record, "interface_start"));
	maybe_fill(&call->thread_cell, saved_cell(reader, record, "thread_cell"));
	maybe_fill(&call->call_flags, saved_uint(reader, record, "call_flags"));
	if (!call->call_flag_names)
		call->call_flag_names = saved_text(reader, record, "call_flag_names");
	maybe_fill(&call->call_id, saved_uint(reader, record, "call_id"));
	maybe_fill(&call->last_time, saved_uint(reader, record, "last_time_ms"));
	maybe_fill(&call->connection_cell, saved_cell(reader, record, "connection_cell"));
	maybe_fill(&call->caller_pid, saved_uint(reader, record, "caller_pid"));
	maybe_fill(&call->caller_tid, saved_uint(reader, record, "caller_tid"));
	if (call->party == RPC_PARTY_UNKNOWN)
		call->party = call_party(call);
}

static void read_client_call(struct saved_reader *reader, json_object *record)
{
	struct rpc_client_call *call = snapshot_rpc_client_call(
		reader->snapshot, saved_uint(reader, record, "pid"), saved_cell(reader, record, "cell"),
		saved_first_origin(reader, record));
	maybe_fill(&call->procedure, saved_uint(reader, record, "procedure"));
	maybe_fill(&call->interface_start, saved_hex32(reader, record, "interface_start"));
	maybe_fill(&call->thread_cell, saved_cell(reader, record, "thread_cell"));
	maybe_fill(&call->call_id, saved_uint(reader, record, "call_id"));
	maybe_fill(&call->last_time, saved_uint(reader, record, "last_time_ms"));
	maybe_fill(&call->protocol_id, saved_uint(reader, record, "protocol_id"));
	maybe_fill(&call->client_cell, saved_cell(reader, record, "client_cell"));
	if (!call->endpoint)
		call->endpoint = saved_text(reader, record, "endpoint");
	if (!call->protocol)
		call->protocol = saved_text(reader, record, "protocol");
	if (!call->network_address)
		call->network_address = saved_text(reader, record, "network_address");
	maybe_fill(&call->debugger_thread, saved_uint(reader, record, "debugger_thread"));
}

void saved_read_rpc(struct saved_reader *reader, json_object *input)
{
	json_object *rpc = saved_object(reader, input, "rpc");
	if (!rpc)
		return;
	size_t mark = saved_enter_key(reader, "rpc");
	saved_each_record(reader, rpc, "endpoints", read_endpoint);
	saved_each_record(reader, rpc, "threads", read_thread);
	saved_each_record(reader, rpc, "connections", read_connection);
	saved_each_record(reader, rpc, "server_calls", read_server_call);
	saved_each_record(reader, rpc, "client_calls", read_client_call);
	saved_leave(reader, mark);
}
