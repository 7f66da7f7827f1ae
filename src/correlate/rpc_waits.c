/* Waits made of RPC run-time state cells (`!rpcexts` and DbgRpc).
 *
 * Facts from ../shared/corpus/transcripts/INDEX.md ("RPC run-time status
 * codes") and the MS docs pages it cites: a server call cell is live only
 * in state 01 (active) or 02 (dispatched); state 00 rows are cached call
 * objects whose CONN/CLN column still names a past caller, so they make no
 * wait.  The CONN/CLN column is a connection cell for OSF calls and the
 * caller's pid.tid for LRPC calls; getdbgcell names the caller outright.
 * A call's TIDNUMBER/THRDCELL (or getdbgcell's "Servicing thread
 * identifier") is a thread cell, resolved to a TID by getthreadinfo.
 *
 * A client call (getclientcallinfo, DbgRpc -a, rpcreadstack) is joined to
 * the server call through the endpoint table (endpoint name → server pid)
 * and the call's CALLID, interface and procedure number.
 *
 * CALLID 0 and baadf00d (a fill pattern) do not identify a call, and a
 * thread can be the caller of one synchronous call at a time, so such
 * rows make weak waits that never prove a deadlock. */
#include <string.h>
#include <strings.h>

#include "analysis_internal.h"

enum { RPC_FILL_PATTERN = 0xbaadf00d };

static bool call_is_live(const struct rpc_server_call *call)
{
	return call->status.known &&
	       (call->status.value == RPC_CALL_ACTIVE || call->status.value == RPC_CALL_DISPATCHED);
}

static struct thread *servicing_thread(const struct snapshot *snapshot,
				       const struct rpc_server_call *call)
{
	if (!call->pid.known || !call->thread_cell.known)
		return NULL;
	const struct rpc_thread *cell =
		snapshot_find_rpc_thread(snapshot, call->pid.value, call->thread_cell.value);
	if (!cell || !cell->tid.known)
		return NULL;
	return snapshot_find_thread_by_cid(snapshot, call->pid.value, cell->tid.value);
}

static const char *weak_call_id_reason(const struct rpc_server_call *call)
{
	if (!call->call_id.known)
		return "the call row has no CALLID";
	if (call->call_id.value == 0)
		return "CALLID 0 does not identify a call";
	if (call->call_id.value == RPC_FILL_PATTERN)
		return "CALLID baadf00d is a fill pattern, not a call id";
	return NULL;
}

static struct wait *server_call_wait(struct analysis *analysis, struct rpc_server_call *call)
{
	const struct snapshot *snapshot = analysis->snapshot;
	struct wait *wait = analysis_add_wait(analysis, VIA_RPC, call->origin);
	wait->rpc_server_call = call;
	wait->server_thread = servicing_thread(snapshot, call);
	if (call->pid.known)
		wait->server_process = snapshot_find_process_by_pid(snapshot, call->pid.value);
	if (!wait->server_process && wait->server_thread)
		wait->server_process = thread_process(snapshot, wait->server_thread);
	const char *reason = weak_call_id_reason(call);
	if (reason) {
		wait->weak = true;
		wait->weak_reason = reason;
	}
	return wait;
}

/* Server calls that name their caller: LRPC pid.tid, or an OSF connection
 * whose caller process getdbgcell printed. */
static void add_server_call_waits(struct analysis *analysis, struct u64_map *joined)
{
	const struct snapshot *snapshot = analysis->snapshot;
	for (size_t i = 0; i < snapshot->rpc_server_calls.count; i++) {
		struct rpc_server_call *call = snapshot->rpc_server_calls.items[i];
		if (!call_is_live(call))
			continue;
		struct thread *client = NULL;
		struct process *client_process = NULL;
		if (call->caller_pid.known && call->caller_tid.known) {
			client = snapshot_find_thread_by_cid(snapshot, call->caller_pid.value,
							     call->caller_tid.value);
			client_process = snapshot_find_process_by_pid(snapshot, call->caller_pid.value);
		} else if (call->connection_cell.known && call->pid.known) {
			const struct rpc_connection *connection = snapshot_find_rpc_connection(
				snapshot, call->pid.value, call->connection_cell.value);
			if (connection)
				client_process = process_at(snapshot, connection->caller_process);
		}
		if (!client && !client_process)
			continue;
		struct wait *wait = server_call_wait(analysis, call);
		wait->client = client;
		wait->client_process = client ? thread_process(snapshot, client) : client_process;
		if (!wait->client_process)
			wait->client_process = client_process;
		u64_map_put(joined, (uintptr_t)call, wait);
	}
}

/* DbgRpc prints protocol sequences short ("TCP", "LRPC", "NMP") where
 * rpcreadstack prints the RPC name ("ncacn_ip_tcp"). */
static const char *short_protocol(const char *protocol)
{
	static const struct {
		const char *long_name, *short_name;
	} names[] = {
		{ "ncacn_ip_tcp", "TCP" }, { "ncalrpc", "LRPC" },   { "ncacn_np", "NMP" },
		{ "ncacn_nb_nb", "NB" },   { "ncacn_nb_tcp", "NB" }, { "ncacn_spx", "SPX" },
		{ "ncadg_ip_udp", "UDP" }, { "ncacn_http", "HTTP" },
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strcasecmp(protocol, names[i].long_name) == 0)
			return names[i].short_name;
	return protocol;
}

/* The one endpoint a client call's endpoint name can mean, or NULL when
 * none or several processes own such an endpoint. */
static struct rpc_endpoint *endpoint_of(const struct snapshot *snapshot,
					const struct rpc_client_call *call)
{
	if (!call->endpoint)
		return NULL;
	struct rpc_endpoint *found = NULL;
	for (size_t i = 0; i < snapshot->rpc_endpoints.count; i++) {
		struct rpc_endpoint *endpoint = snapshot->rpc_endpoints.items[i];
		if (!endpoint->name || strcasecmp(endpoint->name, call->endpoint) != 0)
			continue;
		if (call->protocol && endpoint->protocol &&
		    strcasecmp(short_protocol(call->protocol), endpoint->protocol) != 0)
			continue;
		if (found && !maybe_equal(found->pid, endpoint->pid))
			return NULL;
		found = endpoint;
	}
	return found;
}

static bool same_call(const struct rpc_client_call *client, const struct rpc_server_call *server)
{
	if (!maybe_equal(client->call_id, server->call_id) ||
	    !maybe_equal(client->interface_start, server->interface_start))
		return false;
	return !(client->procedure.known && server->procedure.known &&
		 client->procedure.value != server->procedure.value);
}

static struct rpc_server_call *server_call_for(const struct snapshot *snapshot,
					      const struct rpc_client_call *client,
					      uint64_t server_pid)
{
	struct rpc_server_call *found = NULL;
	for (size_t i = 0; i < snapshot->rpc_server_calls.count; i++) {
		struct rpc_server_call *call = snapshot->rpc_server_calls.items[i];
		if (!call_is_live(call) || !call->pid.known || call->pid.value != server_pid ||
		    !same_call(client, call))
			continue;
		if (found)
			return NULL; /* ambiguous */
		found = call;
	}
	return found;
}

static void fill_client(const struct snapshot *snapshot, struct wait *wait,
			const struct rpc_client_call *call)
{
	if (!wait->client && call->debugger_thread.known)
		wait->client = u64_map_get(&snapshot->thread_by_debugger_index,
					   call->debugger_thread.value);
	if (!wait->client_process && call->pid.known)
		wait->client_process = snapshot_find_process_by_pid(snapshot, call->pid.value);
	if (!wait->client_process && wait->client)
		wait->client_process = thread_process(snapshot, wait->client);
}

static void add_client_call_waits(struct analysis *analysis, struct u64_map *joined)
{
	const struct snapshot *snapshot = analysis->snapshot;
	for (size_t i = 0; i < snapshot->rpc_client_calls.count; i++) {
		struct rpc_client_call *call = snapshot->rpc_client_calls.items[i];
		struct rpc_endpoint *endpoint = endpoint_of(snapshot, call);
		if (!endpoint || !endpoint->pid.known)
			continue;
		struct rpc_server_call *server = server_call_for(snapshot, call, endpoint->pid.value);
		struct wait *wait = server ? u64_map_get(joined, (uintptr_t)server) : NULL;
		if (!wait) {
			/* Without a live server call the client still waits on the
			 * endpoint's process, but only a live call proves it. */
			if (!server)
				continue;
			wait = server_call_wait(analysis, server);
			u64_map_put(joined, (uintptr_t)server, wait);
		}
		if (!wait->rpc_client_call)
			wait->rpc_client_call = call;
		wait->rpc_endpoint = endpoint;
		fill_client(snapshot, wait, call);
	}
}

/* A thread can be inside only one synchronous call; several live calls
 * naming it mean the rows are stale, so none of them is firm. */
static void weaken_repeated_callers(struct analysis *analysis)
{
	struct u64_map calls_by_thread = { 0 };
	for (size_t i = 0; i < analysis->waits.count; i++) {
		struct wait *wait = analysis->waits.items[i];
		if (wait->via != VIA_RPC || !wait->client)
			continue;
		struct wait *earlier = u64_map_get(&calls_by_thread, (uintptr_t)wait->client);
		if (!earlier) {
			u64_map_put(&calls_by_thread, (uintptr_t)wait->client, wait);
			continue;
		}
		static const char reason[] = "the caller thread appears in several live calls";
		struct wait *both[] = { earlier, wait };
		for (int k = 0; k < 2; k++)
			if (!both[k]->weak) {
				both[k]->weak = true;
				both[k]->weak_reason = reason;
			}
	}
	u64_map_release(&calls_by_thread);
}

void add_rpc_waits(struct analysis *analysis)
{
	struct u64_map joined = { 0 }; /* server call → its wait */
	add_server_call_waits(analysis, &joined);
	add_client_call_waits(analysis, &joined);
	/* Waits without any client are not waits. */
	size_t kept = 0;
	for (size_t i = 0; i < analysis->waits.count; i++) {
		struct wait *wait = analysis->waits.items[i];
		if (wait->via == VIA_RPC && !wait->client && !wait->client_process)
			continue;
		wait->index = (uint32_t)kept;
		analysis->waits.items[kept++] = wait;
	}
	analysis->waits.count = kept;
	weaken_repeated_callers(analysis);
	u64_map_release(&joined);
}
