/* The records of a saved input — processes, threads, ports, messages and
 * connections — made again through the model's find-or-create, with the
 * keys docs/json.md lists.  What the writer derived from other records
 * (a thread's activity, a port's owner_pid and owner_name) is not read. */
#include <string.h>

#include "saved_internal.h"

/* ---- origins -------------------------------------------------------------- */

static json_object *origin_array(struct saved_reader *reader, json_object *record)
{
	return saved_array(reader, record, "origin");
}

struct origin saved_first_origin(struct saved_reader *reader, json_object *record)
{
	struct origin origin = { ORIGIN_NONE, 0, 0 };
	json_object *origins = origin_array(reader, record);
	if (!origins || json_object_array_length(origins) == 0)
		return origin;
	size_t key = saved_enter_key(reader, "origin");
	size_t mark = saved_enter_index(reader, 0);
	if (!saved_origin_value(reader, json_object_array_get_idx(origins, 0), &origin))
		origin = (struct origin){ ORIGIN_NONE, 0, 0 };
	saved_leave(reader, mark);
	saved_leave(reader, key);
	return origin;
}

/* The first origin went in when the record was made; the others follow,
 * at most ORIGINS_KEPT being listed. */
void saved_add_origins(struct saved_reader *reader, json_object *record, struct origin_list *list)
{
	json_object *origins = origin_array(reader, record);
	if (!origins)
		return;
	size_t length = json_object_array_length(origins);
	size_t key = saved_enter_key(reader, "origin");
	for (size_t i = 1; i < length && i < ORIGINS_KEPT; i++) {
		size_t mark = saved_enter_index(reader, i);
		struct origin origin;
		if (saved_origin_value(reader, json_object_array_get_idx(origins, i), &origin))
			origin_list_add(list, origin);
		saved_leave(reader, mark);
	}
	saved_leave(reader, key);
}

/* ---- processes ------------------------------------------------------------ */

static void read_process(struct saved_reader *reader, json_object *record)
{
	maybe_u64 address = saved_address(reader, record, "address");
	maybe_u64 pid = saved_uint(reader, record, "pid");
	struct process *process =
		snapshot_process(reader->snapshot, address, pid, saved_first_origin(reader, record));
	maybe_fill(&process->parent_pid, saved_uint(reader, record, "parent_pid"));
	maybe_fill(&process->session_id, saved_uint(reader, record, "session_id"));
	if (!process->image)
		process->image = saved_text(reader, record, "name");
	maybe_fill(&process->handle_count, saved_uint(reader, record, "handle_count"));
	process->debuggee |= saved_bool(reader, record, "debuggee");
	saved_add_origins(reader, record, &process->origin);
}

void saved_read_processes(struct saved_reader *reader, json_object *input)
{
	saved_each_record(reader, input, "processes", read_process);
}

/* ---- threads -------------------------------------------------------------- */

static void read_wait_object(struct saved_reader *reader, struct thread *thread, json_object *record)
{
	maybe_u64 address = saved_address(reader, record, "address");
	if (!address.known) {
		size_t mark = saved_enter_key(reader, "address");
		saved_problem(reader, "a wait object needs its address");
		saved_leave(reader, mark);
		return;
	}
	/* Every source names a type ("Unknown" when a dump's dispatcher
	 * type is not one we know, src/ipc/processes.c) and the correlator
	 * relies on it. */
	const char *type = saved_text(reader, record, "type");
	struct wait_object object = {
		.address = address.value,
		.type = type ? type : "Unknown",
		.owner_thread = saved_address(reader, record, "owner_thread"),
	};
	thread_add_wait_object(reader->snapshot, thread, object);
}

static void read_wait_objects(struct saved_reader *reader, struct thread *thread, json_object *record)
{
	json_object *objects = saved_array(reader, record, "wait_objects");
	if (!objects)
		return;
	size_t key = saved_enter_key(reader, "wait_objects");
	size_t length = json_object_array_length(objects);
	for (size_t i = 0; i < length; i++) {
		size_t mark = saved_enter_index(reader, i);
		json_object *object = json_object_array_get_idx(objects, i);
		if (json_object_is_type(object, json_type_object))
			read_wait_object(reader, thread, object);
		else
			saved_problem(reader, "not an object");
		saved_leave(reader, mark);
	}
	saved_leave(reader, key);
}

static void read_ipc_waits(struct saved_reader *reader, struct thread *thread, json_object *record)
{
	json_object *alpc = saved_object(reader, record, "alpc_wait");
	if (alpc) {
		size_t mark = saved_enter_key(reader, "alpc_wait");
		maybe_fill(&thread->alpc_wait_message, saved_address(reader, alpc, "message"));
		maybe_fill(&thread->alpc_wait_port, saved_address(reader, alpc, "port"));
		maybe_fill(&thread->alpc_wait_port_owner, saved_address(reader, alpc, "port_owner"));
		saved_leave(reader, mark);
	}
	json_object *lpc = saved_object(reader, record, "lpc_wait");
	if (lpc) {
		size_t mark = saved_enter_key(reader, "lpc_wait");
		maybe_fill(&thread->lpc_wait_message_id, saved_uint(reader, lpc, "message_id"));
		maybe_fill(&thread->lpc_port, saved_address(reader, lpc, "port"));
		saved_leave(reader, mark);
	}
	maybe_fill(&thread->lpc_serving_message_id,
		   saved_uint(reader, record, "lpc_serving_message_id"));
}

static void read_frames(struct saved_reader *reader, struct thread *thread, json_object *record)
{
	json_object *frames = saved_array(reader, record, "frames");
	if (!frames || thread->frame_count)
		return;
	size_t length = json_object_array_length(frames);
	/* The model keeps the innermost THREAD_FRAMES_KEPT; so did the writer. */
	const char *kept[THREAD_FRAMES_KEPT];
	uint32_t count = 0;
	size_t key = saved_enter_key(reader, "frames");
	for (size_t i = 0; i < length && count < THREAD_FRAMES_KEPT; i++) {
		json_object *frame = json_object_array_get_idx(frames, i);
		if (json_object_is_type(frame, json_type_string)) {
			kept[count++] = snapshot_text(reader->snapshot, json_object_get_string(frame),
						      (size_t)json_object_get_string_len(frame));
		} else {
			size_t mark = saved_enter_index(reader, i);
			saved_problem(reader, "not a string");
			saved_leave(reader, mark);
		}
	}
	saved_leave(reader, key);
	if (count)
		thread_set_frames(reader->snapshot, thread, kept, count);
}

/* A user-mode debugger's thread is known by its number; the model indexes
 * it so, and by address and Cid when those are known too. */
static struct thread *make_thread(struct saved_reader *reader, json_object *record)
{
	maybe_u64 address = saved_address(reader, record, "address");
	maybe_u64 pid = saved_uint(reader, record, "pid");
	maybe_u64 tid = saved_uint(reader, record, "tid");
	maybe_u64 index = saved_uint(reader, record, "debugger_thread");
	struct origin at = saved_first_origin(reader, record);
	if (!index.known)
		return snapshot_thread(reader->snapshot, address, pid, tid, at);
	struct thread *thread = snapshot_debugger_thread(reader->snapshot, index.value, pid, tid, at);
	if (address.known && !thread->address.known) {
		struct thread *by_address = snapshot_find_thread(reader->snapshot, address.value);
		if (by_address && by_address != thread) {
			saved_problem(reader, "debugger thread %llu and thread 0x%llx are two records",
				      (unsigned long long)index.value, (unsigned long long)address.value);
			return thread;
		}
		thread->address = address;
		u64_map_put(&reader->snapshot->thread_by_address, address.value, thread);
	}
	return thread;
}

static void read_thread(struct saved_reader *reader, json_object *record)
{
	struct thread *thread = make_thread(reader, record);
	maybe_fill(&thread->process_address, saved_address(reader, record, "process"));
	if (!thread->state)
		thread->state = saved_text(reader, record, "state");
	if (!thread->wait_reason)
		thread->wait_reason = saved_text(reader, record, "wait_reason");
	if (!thread->wait_mode)
		thread->wait_mode = saved_text(reader, record, "wait_mode");
	read_wait_objects(reader, thread, record);
	read_ipc_waits(reader, thread, record);
	maybe_fill(&thread->wait_ticks, saved_uint(reader, record, "wait_ticks"));
	if (!thread->wait_time)
		thread->wait_time = saved_text(reader, record, "wait_time");
	maybe_fill(&thread->irp_count, saved_uint(reader, record, "irp_count"));
	thread->kernel_stack_not_resident |= saved_bool(reader, record, "kernel_stack_not_resident");
	read_frames(reader, thread, record);
	saved_add_origins(reader, record, &thread->origin);
}

void saved_read_threads(struct saved_reader *reader, json_object *input)
{
	saved_each_record(reader, input, "threads", read_thread);
}
