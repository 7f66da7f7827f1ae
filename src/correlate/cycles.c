/* Cycles in the wait-for graph.
 *
 * Thread level: an edge runs from a waiting thread to the thread the
 * evidence names as its server (ALPC ServerThread, the LPC server thread
 * working on the message, the RPC servicing thread, a mutant's owner).  A
 * strongly connected component of such edges — over firm waits only — is
 * a definite deadlock.
 *
 * Process level: an edge runs from a waiting thread's process to the
 * process that should answer.  A component of two or more processes that
 * no definite thread cycle already explains is a probable deadlock: the
 * capture does not show that every thread able to serve is blocked. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis_internal.h"
#include "digraph.h"

/* Numbers records as graph nodes in first-seen order. */
struct node_numbering {
	struct u64_map index_of; /* record → index + 1 */
	struct ptr_vec records;
};

static uint32_t node_of(struct node_numbering *nodes, void *record)
{
	uintptr_t found = (uintptr_t)u64_map_get(&nodes->index_of, (uintptr_t)record);
	if (found)
		return (uint32_t)(found - 1);
	ptr_vec_push(&nodes->records, record);
	u64_map_put(&nodes->index_of, (uintptr_t)record, (void *)(uintptr_t)nodes->records.count);
	return (uint32_t)(nodes->records.count - 1);
}

static void numbering_release(struct node_numbering *nodes)
{
	u64_map_release(&nodes->index_of);
	ptr_vec_release(&nodes->records);
}

/* ---- signatures ------------------------------------------------------- */

static const char *link_name(struct analysis *analysis, const struct wait *wait)
{
	if (wait->port && wait->port->name)
		return wait->port->name;
	const char *connection = wait->port ? port_connection_name(analysis->snapshot, wait->port) : NULL;
	if (connection)
		return connection;
	switch (wait->via) {
	case VIA_RPC:
		if (wait->rpc_endpoint && wait->rpc_endpoint->name)
			return wait->rpc_endpoint->name;
		if (wait->rpc_server_call && wait->rpc_server_call->interface_start.known)
			return arena_printf(&analysis->arena, "rpc %08" PRIx64 "#%" PRIu64,
					    wait->rpc_server_call->interface_start.value,
					    wait->rpc_server_call->procedure.value);
		return "rpc";
	case VIA_LOCK:
		return wait->lock ? wait->lock->type : "lock";
	case VIA_LPC:
		return "lpc port";
	case VIA_ALPC:
		return "alpc port";
	}
	return "?";
}

static const char *member_image(const struct analysis *analysis, const struct cycle *cycle,
				size_t i)
{
	const char *image;
	if (cycle->kind == CYCLE_THREAD)
		image = thread_image(analysis->snapshot, cycle->members.items[i]);
	else
		image = ((const struct process *)cycle->members.items[i])->image;
	return image ? image : "?";
}

static uint64_t fnv1a(const char *text)
{
	uint64_t hash = 0xcbf29ce484222325ULL;
	for (; *text; text++) {
		hash ^= (unsigned char)*text;
		hash *= 0x100000001b3ULL;
	}
	return hash;
}

/* Names each hop "image[port]", then starts the cycle at the rotation
 * whose hop list sorts first, so the same hang seen from any member, in
 * any dump, reads — and hashes — the same. */
static void sign_cycle(struct analysis *analysis, struct cycle *cycle)
{
	size_t n = cycle->members.count;
	char **hops = checked_calloc(n, sizeof *hops);
	for (size_t i = 0; i < n; i++)
		hops[i] = arena_printf(&analysis->arena, "%s[%s]", member_image(analysis, cycle, i),
				       link_name(analysis, cycle->waits.items[i]));
	size_t best = 0;
	for (size_t r = 1; r < n; r++)
		for (size_t k = 0; k < n; k++) {
			int order = strcmp(hops[(r + k) % n], hops[(best + k) % n]);
			if (order < 0)
				best = r;
			if (order)
				break;
		}
	size_t length = 1;
	for (size_t i = 0; i < n; i++)
		length += strlen(hops[i]) + 4;
	char *signature = arena_alloc(&analysis->arena, length);
	void **members = checked_malloc(n * sizeof *members);
	void **waits = checked_malloc(n * sizeof *waits);
	for (size_t k = 0; k < n; k++) {
		size_t i = (best + k) % n;
		if (k)
			strcat(signature, " -> ");
		strcat(signature, hops[i]);
		members[k] = cycle->members.items[i];
		waits[k] = cycle->waits.items[i];
	}
	memcpy(cycle->members.items, members, n * sizeof *members);
	memcpy(cycle->waits.items, waits, n * sizeof *waits);
	free(members);
	free(waits);
	free(hops);
	cycle->signature = signature;
	char keyed[32];
	snprintf(keyed, sizeof keyed, "%s:", cycle->kind == CYCLE_THREAD ? "thread" : "process");
	char *text = arena_printf(&analysis->arena, "%s%s", keyed, signature);
	cycle->signature_id = arena_printf(&analysis->arena, "%016" PRIx64, fnv1a(text));
}

/* ---- components to cycles -------------------------------------------- */

static struct cycle *cycle_from_path(struct analysis *analysis, enum cycle_kind kind,
				     const struct digraph *graph, const struct node_numbering *nodes,
				     const uint32_t *path, uint32_t length)
{
	struct cycle *cycle = arena_alloc(&analysis->arena, sizeof *cycle);
	cycle->kind = kind;
	cycle->definite = kind == CYCLE_THREAD;
	for (uint32_t i = 0; i < length; i++) {
		const struct digraph_edge *edge = &graph->edges[path[i]];
		ptr_vec_push(&cycle->members, nodes->records.items[edge->from]);
		ptr_vec_push(&cycle->waits, analysis->waits.items[edge->label]);
	}
	sign_cycle(analysis, cycle);
	ptr_vec_push(&analysis->cycles, cycle);
	return cycle;
}

/* Makes a cycle of every component that holds one: two or more nodes, or
 * one node with an edge to itself.  mark_explained (optional) flags the
 * components that need no cycle of their own. */
typedef void (*explain_fn)(const struct analysis *analysis, const struct node_numbering *nodes,
			   const uint32_t *component, const uint32_t *size, unsigned char *explained);

static void cycles_of_graph(struct analysis *analysis, enum cycle_kind kind,
			    const struct node_numbering *nodes, struct digraph_edge *edges,
			    uint32_t edge_count, explain_fn mark_explained)
{
	uint32_t n = (uint32_t)nodes->records.count;
	if (!n)
		return;
	struct digraph graph;
	digraph_build(&graph, n, edges, edge_count);
	uint32_t *component = checked_malloc((size_t)n * sizeof *component);
	uint32_t components = digraph_components(&graph, component);
	uint32_t *size = checked_calloc(components, sizeof *size);
	unsigned char *looped = checked_calloc(components, 1);
	unsigned char *done = checked_calloc(components, 1);
	for (uint32_t v = 0; v < n; v++)
		size[component[v]]++;
	for (uint32_t e = 0; e < graph.edge_count; e++)
		if (graph.edges[e].from == graph.edges[e].to)
			looped[component[graph.edges[e].from]] = 1;
	if (mark_explained)
		mark_explained(analysis, nodes, component, size, done);
	uint32_t *path = checked_malloc((size_t)n * sizeof *path);
	/* Visit components through their first node in first-seen order, so
	 * cycles come out in the order the input showed them. */
	for (uint32_t v = 0; v < n; v++) {
		uint32_t c = component[v];
		if (done[c] || (size[c] < 2 && !looped[c]))
			continue;
		done[c] = 1;
		uint32_t length = digraph_shortest_cycle(&graph, component, v, path);
		if (length)
			cycle_from_path(analysis, kind, &graph, nodes, path, length);
	}
	free(path);
	free(done);
	free(looped);
	free(size);
	free(component);
	digraph_release(&graph);
}

static void thread_cycles(struct analysis *analysis)
{
	struct node_numbering nodes = { 0 };
	struct digraph_edge *edges = checked_malloc((analysis->waits.count + 1) * sizeof *edges);
	uint32_t edge_count = 0;
	for (size_t i = 0; i < analysis->waits.count; i++) {
		struct wait *wait = analysis->waits.items[i];
		if (wait->weak || !wait->client || !wait->server_thread)
			continue;
		uint32_t from = node_of(&nodes, wait->client);
		uint32_t to = node_of(&nodes, wait->server_thread);
		edges[edge_count++] = (struct digraph_edge){ from, to, (uint32_t)i };
	}
	cycles_of_graph(analysis, CYCLE_THREAD, &nodes, edges, edge_count, NULL);
	free(edges);
	numbering_release(&nodes);
}

static struct process *client_process_of(const struct analysis *analysis, const struct wait *wait)
{
	if (wait->client_process)
		return wait->client_process;
	return wait->client ? thread_process(analysis->snapshot, wait->client) : NULL;
}

/* A process component is explained when a definite thread cycle runs
 * through exactly its processes: one pass over the cycles' members. */
static void mark_thread_explained(const struct analysis *analysis,
				  const struct node_numbering *nodes, const uint32_t *component,
				  const uint32_t *size, unsigned char *explained)
{
	for (size_t i = 0; i < analysis->cycles.count; i++) {
		const struct cycle *cycle = analysis->cycles.items[i];
		if (cycle->kind != CYCLE_THREAD)
			continue;
		uint32_t which = UINT32_MAX, distinct = 0;
		bool inside = true;
		struct u64_map seen = { 0 };
		for (size_t m = 0; m < cycle->members.count && inside; m++) {
			struct process *process = thread_process(analysis->snapshot, cycle->members.items[m]);
			uintptr_t index = process ? (uintptr_t)u64_map_get(&nodes->index_of, (uintptr_t)process)
						  : 0;
			if (!index || (which != UINT32_MAX && component[index - 1] != which)) {
				inside = false;
				break;
			}
			which = component[index - 1];
			if (!u64_map_get(&seen, (uintptr_t)process)) {
				u64_map_put(&seen, (uintptr_t)process, process);
				distinct++;
			}
		}
		u64_map_release(&seen);
		if (inside && which != UINT32_MAX && distinct == size[which])
			explained[which] = 1;
	}
}

static void process_cycles(struct analysis *analysis)
{
	/* The waits of the definite thread cycles are reported there.  Left
	 * in, they close rings through every process that merely waits on a
	 * deadlocked one (A -> B -> ... -> Z -> A where only Z <-> A is a
	 * deadlock), and the shortest cycle of such a ring is the thread
	 * cycle again, reported a second time as "probable". */
	struct u64_map in_thread_cycle = { 0 };
	for (size_t i = 0; i < analysis->cycles.count; i++) {
		const struct cycle *cycle = analysis->cycles.items[i];
		if (cycle->kind == CYCLE_THREAD)
			for (size_t w = 0; w < cycle->waits.count; w++)
				u64_map_put(&in_thread_cycle, (uintptr_t)cycle->waits.items[w], (void *)1);
	}
	struct node_numbering nodes = { 0 };
	struct digraph_edge *edges = checked_malloc((analysis->waits.count + 1) * sizeof *edges);
	uint32_t edge_count = 0;
	for (size_t i = 0; i < analysis->waits.count; i++) {
		struct wait *wait = analysis->waits.items[i];
		struct process *client = client_process_of(analysis, wait);
		struct process *server = wait->server_process;
		/* A process calling itself is a self-connection, not a cycle
		 * between processes. */
		if (!client || !server || client == server || u64_map_get(&in_thread_cycle, (uintptr_t)wait))
			continue;
		uint32_t from = node_of(&nodes, client);
		uint32_t to = node_of(&nodes, server);
		edges[edge_count++] = (struct digraph_edge){ from, to, (uint32_t)i };
	}
	cycles_of_graph(analysis, CYCLE_PROCESS, &nodes, edges, edge_count, mark_thread_explained);
	free(edges);
	numbering_release(&nodes);
	u64_map_release(&in_thread_cycle);
}

void find_cycles(struct analysis *analysis)
{
	thread_cycles(analysis);
	process_cycles(analysis);
}
