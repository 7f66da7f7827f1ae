/* analyze(): the order of the correlator's work, and what it shares. */
#include <stdlib.h>

#include "analysis_internal.h"

struct wait *analysis_add_wait(struct analysis *analysis, enum wait_via via, struct origin at)
{
	struct wait *wait = arena_alloc(&analysis->arena, sizeof *wait);
	wait->via = via;
	wait->origin = at;
	wait->index = (uint32_t)analysis->waits.count;
	ptr_vec_push(&analysis->waits, wait);
	return wait;
}

/* A thread that serves one message while it waits on another is nested:
 * its wait is a link in the middle of a chain. */
static void mark_nested_waits(struct analysis *analysis)
{
	struct u64_map served_by = { 0 };
	for (size_t i = 0; i < analysis->waits.count; i++) {
		struct wait *wait = analysis->waits.items[i];
		if (wait->server_thread && !u64_map_get(&served_by, (uintptr_t)wait->server_thread))
			u64_map_put(&served_by, (uintptr_t)wait->server_thread, wait);
	}
	for (size_t i = 0; i < analysis->waits.count; i++) {
		struct wait *wait = analysis->waits.items[i];
		if (wait->client)
			wait->serving = u64_map_get(&served_by, (uintptr_t)wait->client);
	}
	u64_map_release(&served_by);
}

static void involve(struct u64_map *map, void *record)
{
	if (record)
		u64_map_put(map, (uintptr_t)record, record);
}

static void collect_involved(struct analysis *analysis)
{
	const struct snapshot *snapshot = analysis->snapshot;
	for (size_t i = 0; i < analysis->waits.count; i++) {
		struct wait *wait = analysis->waits.items[i];
		involve(&analysis->involved_threads, wait->client);
		involve(&analysis->involved_threads, wait->server_thread);
		involve(&analysis->involved_processes, wait->client_process);
		involve(&analysis->involved_processes, wait->server_process);
		if (wait->client)
			involve(&analysis->involved_processes, thread_process(snapshot, wait->client));
		if (wait->server_thread)
			involve(&analysis->involved_processes,
				thread_process(snapshot, wait->server_thread));
		if (wait->port) {
			involve(&analysis->involved_ports, wait->port);
			involve(&analysis->involved_processes,
				process_at(snapshot, wait->port->owner_process));
		}
	}
}

struct analysis *analyze(struct snapshot *snapshot)
{
	snapshot_finish(snapshot);
	struct analysis *analysis = checked_calloc(1, sizeof *analysis);
	analysis->snapshot = snapshot;
	arena_init(&analysis->arena);
	add_ipc_waits(analysis);
	add_lock_waits(analysis);
	add_rpc_waits(analysis);
	mark_nested_waits(analysis);
	collect_involved(analysis);
	find_cycles(analysis);
	find_chains(analysis);
	return analysis;
}

void analysis_free(struct analysis *analysis)
{
	if (!analysis)
		return;
	for (size_t i = 0; i < analysis->cycles.count; i++) {
		struct cycle *cycle = analysis->cycles.items[i];
		ptr_vec_release(&cycle->members);
		ptr_vec_release(&cycle->waits);
	}
	for (size_t i = 0; i < analysis->chains.count; i++) {
		struct chain *chain = analysis->chains.items[i];
		ptr_vec_release(&chain->waits);
	}
	ptr_vec_release(&analysis->waits);
	ptr_vec_release(&analysis->cycles);
	ptr_vec_release(&analysis->chains);
	u64_map_release(&analysis->involved_threads);
	u64_map_release(&analysis->involved_processes);
	u64_map_release(&analysis->involved_ports);
	arena_release(&analysis->arena);
	free(analysis);
}

size_t analysis_count_definite(const struct analysis *analysis)
{
	size_t count = 0;
	for (size_t i = 0; i < analysis->cycles.count; i++) {
		const struct cycle *cycle = analysis->cycles.items[i];
		count += cycle->definite;
	}
	return count;
}

bool analysis_thread_involved(const struct analysis *analysis, const struct thread *thread)
{
	return u64_map_get(&analysis->involved_threads, (uintptr_t)thread) != NULL;
}

bool analysis_process_involved(const struct analysis *analysis, const struct process *process)
{
	return u64_map_get(&analysis->involved_processes, (uintptr_t)process) != NULL;
}

bool analysis_port_involved(const struct analysis *analysis, const struct port *port)
{
	return u64_map_get(&analysis->involved_ports, (uintptr_t)port) != NULL;
}
