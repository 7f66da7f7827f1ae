/* Find-or-create for every record kind, and the merging of records that
 * turn out to describe the same object. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

static uint64_t cid_key(uint64_t pid, uint64_t tid)
{
	return (pid << 32) ^ (tid & 0xffffffffu);
}

/* ---- processes --------------------------------------------------------- */

static void index_process(struct snapshot *snapshot, struct process *process)
{
	if (process->address.known)
		u64_map_put(&snapshot->process_by_address, process->address.value, process);
	if (process->pid.known)
		u64_map_put(&snapshot->process_by_pid, process->pid.value, process);
}

static bool processes_compatible(const struct process *a, const struct process *b)
{
	if (a->address.known && b->address.known && a->address.value != b->address.value)
		return false;
	if (a->pid.known && b->pid.known && a->pid.value != b->pid.value)
		return false;
	return true;
}

static void merge_process(struct process *into, struct process *from)
{
	maybe_fill(&into->address, from->address);
	maybe_fill(&into->pid, from->pid);
	maybe_fill(&into->parent_pid, from->parent_pid);
	maybe_fill(&into->session_id, from->session_id);
	maybe_fill(&into->handle_count, from->handle_count);
	if (!into->image)
		into->image = from->image;
	into->debuggee |= from->debuggee;
	for (uint32_t i = 0; i < from->origin.count && i < ORIGINS_KEPT; i++)
		origin_list_add(&into->origin, from->origin.at[i]);
	from->merged_into = into;
}

struct process *snapshot_process(struct snapshot *snapshot, maybe_u64 address, maybe_u64 pid,
				 struct origin at)
{
	struct process *by_address =
		address.known ? u64_map_get(&snapshot->process_by_address, address.value) : NULL;
	struct process *by_pid = pid.known ? u64_map_get(&snapshot->process_by_pid, pid.value) : NULL;
	struct process *process = by_address ? by_address : by_pid;
	if (by_address && by_pid && by_address != by_pid) {
		if (processes_compatible(by_address, by_pid))
			merge_process(by_address, by_pid);
		else
			snapshot_warn(snapshot, at,
				      "process 0x%" PRIx64 " has Cid %" PRIx64
				      " here but another process has that Cid; kept apart",
				      address.value, pid.value);
	}
	if (!process) {
		process = arena_alloc(&snapshot->arena, sizeof *process);
		ptr_vec_push(&snapshot->processes, process);
	}
	struct process probe = { .address = address, .pid = pid };
	if (processes_compatible(process, &probe)) {
		maybe_fill(&process->address, address);
		maybe_fill(&process->pid, pid);
	} else {
		snapshot_warn(snapshot, at,
			      "conflicting identity for a process (address 0x%" PRIx64
			      ", Cid %" PRIx64 "); the first reading is kept",
			      address.value, pid.value);
	}
	origin_list_add(&process->origin, at);
	index_process(snapshot, process);
	return process;
}

struct process *snapshot_find_process(const struct snapshot *snapshot, uint64_t address)
{
	return u64_map_get(&snapshot->process_by_address, address);
}

struct process *snapshot_find_process_by_pid(const struct snapshot *snapshot, uint64_t pid)
{
	return u64_map_get(&snapshot->process_by_pid, pid);
}

/* ---- threads ----------------------------------------------------------- */

static void index_thread(struct snapshot *snapshot, struct thread *thread)
{
	if (thread->address.known)
		u64_map_put(&snapshot->thread_by_address, thread->address.value, thread);
	if (thread->pid.known && thread->tid.known)
		u64_map_put(&snapshot->thread_by_cid, cid_key(thread->pid.value, thread->tid.value),
			    thread);
	if (thread->debugger_index.known)
		u64_map_put(&snapshot->thread_by_debugger_index, thread->debugger_index.value,
			    thread);
}

static bool threads_compatible(const struct thread *a, const struct thread *b)
{
	const maybe_u64 *pairs[][2] = {
		{ &a->address, &b->address },
		{ &a->pid, &b->pid },
		{ &a->tid, &b->tid },
		{ &a->debugger_index, &b->debugger_index },
	};
	for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
		if (pairs[i][0]->known && pairs[i][1]->known &&
		    pairs[i][0]->value != pairs[i][1]->value)
			return false;
	return true;
}

static void merge_thread(struct thread *into, struct thread *from)
{
	maybe_fill(&into->address, from->address);
	maybe_fill(&into->pid, from->pid);
	maybe_fill(&into->tid, from->tid);
	maybe_fill(&into->process_address, from->process_address);
	maybe_fill(&into->debugger_index, from->debugger_index);
	if (!into->state)
		into->state = from->state;
	if (!into->wait_reason)
		into->wait_reason = from->wait_reason;
	if (!into->wait_mode)
		into->wait_mode = from->wait_mode;
	if (!into->wait_object_count) {
		free(into->wait_objects);
		into->wait_objects = from->wait_objects;
		into->wait_object_count = from->wait_object_count;
		into->wait_object_capacity = from->wait_object_capacity;
	} else {
		free(from->wait_objects);
	}
	from->wait_objects = NULL;
	from->wait_object_count = from->wait_object_capacity = 0;
	maybe_fill(&into->alpc_wait_message, from->alpc_wait_message);
	maybe_fill(&into->alpc_wait_port, from->alpc_wait_port);
	maybe_fill(&into->alpc_wait_port_owner, from->alpc_wait_port_owner);
	maybe_fill(&into->lpc_wait_message_id, from->lpc_wait_message_id);
	maybe_fill(&into->lpc_port, from->lpc_port);
	maybe_fill(&into->lpc_serving_message_id, from->lpc_serving_message_id);
	maybe_fill(&into->wait_ticks, from->wait_ticks);
	if (!into->wait_time)
		into->wait_time = from->wait_time;
	maybe_fill(&into->irp_count, from->irp_count);
	into->kernel_stack_not_resident |= from->kernel_stack_not_resident;
	if (!into->frame_count) {
		into->frames = from->frames;
		into->frame_count = from->frame_count;
	}
	for (uint32_t i = 0; i < from->origin.count && i < ORIGINS_KEPT; i++)
		origin_list_add(&into->origin, from->origin.at[i]);
	from->merged_into = into;
}

static struct thread *find_or_merge_thread(struct snapshot *snapshot, maybe_u64 address,
					   maybe_u64 pid, maybe_u64 tid, maybe_u64 index,
					   struct origin at)
{
	struct thread *candidates[3] = {
		address.known ? u64_map_get(&snapshot->thread_by_address, address.value) : NULL,
		pid.known && tid.known
			? u64_map_get(&snapshot->thread_by_cid, cid_key(pid.value, tid.value))
			: NULL,
		index.known ? u64_map_get(&snapshot->thread_by_debugger_index, index.value) : NULL,
	};
	struct thread *thread = NULL;
	for (int i = 0; i < 3; i++) {
		struct thread *candidate = candidates[i];
		if (!candidate || candidate == thread)
			continue;
		if (!thread) {
			thread = candidate;
		} else if (threads_compatible(thread, candidate)) {
			merge_thread(thread, candidate);
		} else {
			snapshot_warn(snapshot, at,
				      "two different threads match (address 0x%" PRIx64
				      ", Cid %" PRIx64 ".%" PRIx64 "); kept apart",
				      address.value, pid.value, tid.value);
		}
	}
	if (!thread) {
		thread = arena_alloc(&snapshot->arena, sizeof *thread);
		ptr_vec_push(&snapshot->threads, thread);
	}
	struct thread probe = { .address = address, .pid = pid, .tid = tid, .debugger_index = index };
	if (threads_compatible(thread, &probe)) {
		maybe_fill(&thread->address, address);
		maybe_fill(&thread->pid, pid);
		maybe_fill(&thread->tid, tid);
		maybe_fill(&thread->debugger_index, index);
	} else {
		snapshot_warn(snapshot, at,
			      "conflicting identity for thread 0x%" PRIx64
			      " (Cid %" PRIx64 ".%" PRIx64 "); the first reading is kept",
			      address.value, pid.value, tid.value);
	}
	origin_list_add(&thread->origin, at);
	index_thread(snapshot, thread);
	return thread;
}

struct thread *snapshot_thread(struct snapshot *snapshot, maybe_u64 address, maybe_u64 pid,
			       maybe_u64 tid, struct origin at)
{
	return find_or_merge_thread(snapshot, address, pid, tid, UNKNOWN_U64, at);
}

struct thread *snapshot_debugger_thread(struct snapshot *snapshot, uint64_t index, maybe_u64 pid,
					maybe_u64 tid, struct origin at)
{
	return find_or_merge_thread(snapshot, UNKNOWN_U64, pid, tid, known_u64(index), at);
}

struct thread *snapshot_find_thread(const struct snapshot *snapshot, uint64_t address)
{
	return u64_map_get(&snapshot->thread_by_address, address);
}

struct thread *snapshot_find_thread_by_cid(const struct snapshot *snapshot, uint64_t pid,
					   uint64_t tid)
{
	return u64_map_get(&snapshot->thread_by_cid, cid_key(pid, tid));
}

struct process *thread_process(const struct snapshot *snapshot, const struct thread *thread)
{
	struct process *process = NULL;
	if (thread->process_address.known)
		process = snapshot_find_process(snapshot, thread->process_address.value);
	if (!process && thread->pid.known)
		process = snapshot_find_process_by_pid(snapshot, thread->pid.value);
	return process;
}

enum { WAIT_OBJECTS_KEPT = 64 };

void thread_add_wait_object(struct snapshot *snapshot, struct thread *thread,
			    struct wait_object object)
{
	(void)snapshot;
	for (uint32_t i = 0; i < thread->wait_object_count; i++)
		if (thread->wait_objects[i].address == object.address) {
			maybe_fill(&thread->wait_objects[i].owner_thread, object.owner_thread);
			return;
		}
	/* KeWaitForMultipleObjects takes at most 64 objects. */
	if (thread->wait_object_count >= WAIT_OBJECTS_KEPT)
		return;
	if (thread->wait_object_count == thread->wait_object_capacity) {
		uint32_t capacity = thread->wait_object_capacity ? thread->wait_object_capacity * 2 : 2;
		thread->wait_objects =
			checked_realloc(thread->wait_objects, capacity * sizeof *thread->wait_objects);
		thread->wait_object_capacity = capacity;
	}
	thread->wait_objects[thread->wait_object_count++] = object;
}

void thread_set_frames(struct snapshot *snapshot, struct thread *thread, const char **frames,
		       uint32_t count)
{
	if (count > THREAD_FRAMES_KEPT)
		count = THREAD_FRAMES_KEPT;
	const char **copy = arena_alloc(&snapshot->arena, (count ? count : 1) * sizeof *copy);
	memcpy(copy, frames, count * sizeof *copy);
	thread->frames = copy;
	thread->frame_count = count;
}

/* ---- ports and messages ---------------------------------------------- */

struct port *snapshot_port(struct snapshot *snapshot, uint64_t address, struct origin at)
{
	struct port *port = u64_map_get(&snapshot->port_by_address, address);
	if (!port) {
		port = arena_alloc(&snapshot->arena, sizeof *port);
		port->address = known_u64(address);
		ptr_vec_push(&snapshot->ports, port);
		u64_map_put(&snapshot->port_by_address, address, port);
	}
	origin_list_add(&port->origin, at);
	return port;
}

struct port *snapshot_find_port(const struct snapshot *snapshot, uint64_t address)
{
	return u64_map_get(&snapshot->port_by_address, address);
}

const char *port_connection_name(const struct snapshot *snapshot, const struct port *port)
{
	if (port->name || !port->connection_port.known || port->address.value == port->connection_port.value)
		return NULL;
	const struct port *connection = snapshot_find_port(snapshot, port->connection_port.value);
	return connection ? connection->name : NULL;
}

static void index_message(struct snapshot *snapshot, struct message *message)
{
	if (message->address.known)
		u64_map_put(&snapshot->message_by_address, message->address.value, message);
	if (message->flavor == FLAVOR_LPC && message->id.known) {
		/* The id keeps naming the first message at a known address
		 * (see snapshot_message); a record known by id alone is this
		 * one's to take over. */
		const struct message *named = u64_map_get(&snapshot->lpc_message_by_id, message->id.value);
		if (!named || named == message || !named->address.known)
			u64_map_put(&snapshot->lpc_message_by_id, message->id.value, message);
	}
}

static void merge_message(struct message *into, struct message *from)
{
	/* Only LPC messages merge (an id seen in a thread's wait line and the
	 * same id listed in a port queue); they carry these fields. */
	maybe_fill(&into->address, from->address);
	maybe_fill(&into->id, from->id);
	maybe_fill(&into->waiting_thread, from->waiting_thread);
	maybe_fill(&into->queue_port, from->queue_port);
	maybe_fill(&into->client_pid, from->client_pid);
	maybe_fill(&into->client_tid, from->client_tid);
	maybe_fill(&into->lpc_context, from->lpc_context);
	maybe_fill(&into->lpc_flink, from->lpc_flink);
	maybe_fill(&into->lpc_blink, from->lpc_blink);
	maybe_fill(&into->type_number, from->type_number);
	if (!into->lpc_data_count) {
		memcpy(into->lpc_data, from->lpc_data, sizeof into->lpc_data);
		into->lpc_data_count = from->lpc_data_count;
	}
	maybe_fill(&into->server_thread, from->server_thread);
	if (!into->type)
		into->type = from->type;
	if (!into->lpc_state)
		into->lpc_state = from->lpc_state;
	if (into->queue == QUEUE_UNKNOWN)
		into->queue = from->queue;
	for (uint32_t i = 0; i < from->origin.count && i < ORIGINS_KEPT; i++)
		origin_list_add(&into->origin, from->origin.at[i]);
	from->merged_into = into;
}

struct message *snapshot_message(struct snapshot *snapshot, enum ipc_flavor flavor,
				 maybe_u64 address, maybe_u64 id, struct origin at)
{
	struct message *by_address =
		address.known ? u64_map_get(&snapshot->message_by_address, address.value) : NULL;
	struct message *by_id = flavor == FLAVOR_LPC && id.known
					? u64_map_get(&snapshot->lpc_message_by_id, id.value)
					: NULL;
	/* One id at another known address is another message: a request and
	 * its reply carry one MessageId (ReactOS ntoskrnl/lpc/reply.c takes a
	 * reply only when its id is the waiting thread's LpcReplyMessageId),
	 * and a hostile listing can repeat one. */
	if (!by_address && by_id && address.known && by_id->address.known &&
	    by_id->address.value != address.value)
		by_id = NULL;
	struct message *message = by_address ? by_address : by_id;
	if (by_address && by_id && by_address != by_id) {
		bool compatible = !(by_address->id.known && by_address->id.value != id.value) &&
				  !(by_id->address.known);
		if (compatible)
			merge_message(by_address, by_id);
		else
			snapshot_warn(snapshot, at,
				      "message 0x%" PRIx64 " and LPC MessageId %" PRIx64
				      " disagree; kept apart",
				      address.value, id.value);
	}
	if (!message) {
		message = arena_alloc(&snapshot->arena, sizeof *message);
		message->flavor = flavor;
		ptr_vec_push(&snapshot->messages, message);
	}
	if (message->flavor == FLAVOR_UNKNOWN)
		message->flavor = flavor;
	maybe_fill(&message->address, address);
	if (flavor == FLAVOR_LPC || !message->id.known)
		maybe_fill(&message->id, id);
	origin_list_add(&message->origin, at);
	index_message(snapshot, message);
	return message;
}

struct message *snapshot_find_message(const struct snapshot *snapshot, uint64_t address)
{
	return u64_map_get(&snapshot->message_by_address, address);
}

struct message *snapshot_find_lpc_message(const struct snapshot *snapshot, uint64_t id)
{
	return u64_map_get(&snapshot->lpc_message_by_id, id);
}

struct port_connection *snapshot_add_connection(struct snapshot *snapshot, struct origin at)
{
	struct port_connection *connection = arena_alloc(&snapshot->arena, sizeof *connection);
	connection->origin = at;
	ptr_vec_push(&snapshot->connections, connection);
	return connection;
}

/* ---- RPC cells: keyed by (pid, cell) when both are known ---------------- */

static void *rpc_record(struct snapshot *snapshot, struct u64_map *map, struct ptr_vec *list,
			size_t size, maybe_u64 pid, maybe_cell cell)
{
	bool keyed = pid.known && cell.known;
	uint64_t key = keyed ? (pid.value << 32) ^ (cell.value & 0xffffffffu) : 0;
	if (keyed) {
		void *found = u64_map_get(map, key);
		if (found)
			return found;
	}
	void *record = arena_alloc(&snapshot->arena, size);
	ptr_vec_push(list, record);
	if (keyed)
		u64_map_put(map, key, record);
	return record;
}

#define RPC_FIND_OR_CREATE(type, map, list)                                                   \
	struct type *record =                                                                 \
		rpc_record(snapshot, &snapshot->map, &snapshot->list, sizeof *record, pid, cell); \
	maybe_fill(&record->pid, pid);                                                        \
	maybe_fill(&record->cell, cell);                                                      \
	if (record->origin.kind == ORIGIN_NONE)                                               \
		record->origin = at;                                                          \
	return record

struct rpc_endpoint *snapshot_rpc_endpoint(struct snapshot *snapshot, maybe_u64 pid,
					   maybe_cell cell, struct origin at)
{
	RPC_FIND_OR_CREATE(rpc_endpoint, rpc_endpoint_by_key, rpc_endpoints);
}

struct rpc_thread *snapshot_rpc_thread(struct snapshot *snapshot, maybe_u64 pid, maybe_cell cell,
				       struct origin at)
{
	RPC_FIND_OR_CREATE(rpc_thread, rpc_thread_by_key, rpc_threads);
}

struct rpc_server_call *snapshot_rpc_server_call(struct snapshot *snapshot, maybe_u64 pid,
						 maybe_cell cell, struct origin at)
{
	RPC_FIND_OR_CREATE(rpc_server_call, rpc_server_call_by_key, rpc_server_calls);
}

struct rpc_client_call *snapshot_rpc_client_call(struct snapshot *snapshot, maybe_u64 pid,
						 maybe_cell cell, struct origin at)
{
	RPC_FIND_OR_CREATE(rpc_client_call, rpc_client_call_by_key, rpc_client_calls);
}

struct rpc_connection *snapshot_rpc_connection(struct snapshot *snapshot, maybe_u64 pid,
					       maybe_cell cell, struct origin at)
{
	RPC_FIND_OR_CREATE(rpc_connection, rpc_connection_by_key, rpc_connections);
}

struct rpc_thread *snapshot_find_rpc_thread(const struct snapshot *snapshot, uint64_t pid,
					    uint64_t cell)
{
	return u64_map_get(&snapshot->rpc_thread_by_key, (pid << 32) ^ (cell & 0xffffffffu));
}

struct rpc_connection *snapshot_find_rpc_connection(const struct snapshot *snapshot,
						    uint64_t pid, uint64_t cell)
{
	return u64_map_get(&snapshot->rpc_connection_by_key, (pid << 32) ^ (cell & 0xffffffffu));
}
