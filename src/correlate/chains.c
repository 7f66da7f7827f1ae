/* Blocking chains: from each waiting thread that nobody waits on, follow
 * the server threads until a thread that does not wait on IPC — the root
 * blocker — or until the chain runs into a cycle or off the capture. */
#include <stdlib.h>

#include "analysis_internal.h"

static void follow(struct analysis *analysis, struct chain *chain, const struct u64_map *next_wait,
		   const struct u64_map *in_cycle)
{
	struct u64_map visited = { 0 };
	struct wait *wait = chain->waits.items[0];
	u64_map_put(&visited, (uintptr_t)wait, wait);
	for (;;) {
		struct thread *server = wait->server_thread;
		if (!server) {
			chain->root = (struct root_blocker){ BLOCKER_NO_SERVER_THREAD, NULL,
							     wait->server_process, NULL, NULL };
			break;
		}
		struct cycle *cycle = u64_map_get(in_cycle, (uintptr_t)server);
		if (cycle) {
			chain->cycle = cycle;
			chain->root = (struct root_blocker){ BLOCKER_CYCLE, server,
							     thread_process(analysis->snapshot, server),
							     cycle->signature, NULL };
			break;
		}
		struct wait *next = u64_map_get(next_wait, (uintptr_t)server);
		if (!next) {
			chain->root = classify_thread(analysis->snapshot, server);
			break;
		}
		if (u64_map_get(&visited, (uintptr_t)next)) {
			/* A loop through weak waits: not a definite cycle. */
			chain->root = (struct root_blocker){ BLOCKER_CYCLE, server,
							     thread_process(analysis->snapshot, server),
							     "a loop through weak RPC evidence", NULL };
			break;
		}
		u64_map_put(&visited, (uintptr_t)next, next);
		ptr_vec_push(&chain->waits, next);
		wait = next;
	}
	u64_map_release(&visited);
}

static int longest_first(const void *a, const void *b)
{
	const struct chain *x = *(const struct chain *const *)a, *y = *(const struct chain *const *)b;
	if (x->waits.count != y->waits.count)
		return x->waits.count > y->waits.count ? -1 : 1;
	const struct wait *wx = x->waits.items[0], *wy = y->waits.items[0];
	return wx->index < wy->index ? -1 : wx->index > wy->index;
}

void find_chains(struct analysis *analysis)
{
	/* Each thread's own wait to follow: its first firm one, else its first. */
	struct u64_map next_wait = { 0 }, waited_on = { 0 }, in_cycle = { 0 };
	for (size_t i = 0; i < analysis->waits.count; i++) {
		struct wait *wait = analysis->waits.items[i];
		if (wait->server_thread)
			u64_map_put(&waited_on, (uintptr_t)wait->server_thread, wait);
		if (!wait->client)
			continue;
		struct wait *current = u64_map_get(&next_wait, (uintptr_t)wait->client);
		if (!current || (current->weak && !wait->weak))
			u64_map_put(&next_wait, (uintptr_t)wait->client, wait);
	}
	/* Each thread of a definite cycle, to its cycle: one pass. */
	for (size_t i = 0; i < analysis->cycles.count; i++) {
		struct cycle *cycle = analysis->cycles.items[i];
		if (cycle->kind != CYCLE_THREAD)
			continue;
		for (size_t m = 0; m < cycle->members.count; m++)
			if (!u64_map_get(&in_cycle, (uintptr_t)cycle->members.items[m]))
				u64_map_put(&in_cycle, (uintptr_t)cycle->members.items[m], cycle);
	}
	for (size_t i = 0; i < analysis->waits.count; i++) {
		struct wait *wait = analysis->waits.items[i];
		if (wait->client && (u64_map_get(&waited_on, (uintptr_t)wait->client) ||
				     u64_map_get(&in_cycle, (uintptr_t)wait->client) ||
				     u64_map_get(&next_wait, (uintptr_t)wait->client) != wait))
			continue;
		struct chain *chain = arena_alloc(&analysis->arena, sizeof *chain);
		ptr_vec_push(&chain->waits, wait);
		follow(analysis, chain, &next_wait, &in_cycle);
		ptr_vec_push(&analysis->chains, chain);
	}
	if (analysis->chains.count > 1)
		qsort(analysis->chains.items, analysis->chains.count, sizeof *analysis->chains.items,
		      longest_first);
	u64_map_release(&next_wait);
	u64_map_release(&waited_on);
	u64_map_release(&in_cycle);
}
