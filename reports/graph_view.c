/* Which objects a wait graph shows, within a node budget.
 *
 * dot's running time grows much faster than the graph (deps.md §4: 300
 * unclustered nodes took 20-33 s, 1,000 did not finish in 600 s), so a
 * graph holds at most max_nodes nodes: threads, ports and process
 * stand-ins (graph_view_internal.h); process clusters cost nothing.  The
 * budget is filled in the order a reader of a hang report needs: cycles
 * (definite first), then chains (longest first), then the other waits,
 * then objects no wait reaches (the involved ones, and with --all every
 * thread, port and empty process).
 *
 * A wait is drawn whole or not at all: client, port and server all fit or
 * none is added for it.  A cycle or chain is walked from its start and
 * stops at the first wait that does not fit, so a ring bigger than the
 * budget shows as one connected red path, and the omission sentence says
 * that the cycle is drawn only in part.  An object of a wait left out is
 * not drawn alone either, since a lone node would look idle.
 *
 * Everything is iterated in snapshot or analysis order, never in hash
 * order, so the same input always gives the same view. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_view_internal.h"

struct graph_view {
	const struct analysis *analysis;
	size_t budget;
	bool all;
	struct view_node *nodes;
	size_t node_count, node_capacity;
	struct u64_map node_slot;     /* object → index + 1 */
	struct ptr_vec waits;         /* struct wait *, in the order chosen */
	struct u64_map drawn_waits;   /* wait → wait */
	struct u64_map cycle_of_wait; /* wait → struct cycle * */
	bool refused;                 /* something did not fit the budget */
	size_t candidate_nodes;       /* what an unlimited budget would draw */
	size_t cycles_partial, cycles_missing;
	char *omission_text;
};

/* ---- nodes -------------------------------------------------------------- */

static struct view_node thread_node(struct thread *thread)
{
	return (struct view_node){ .kind = VIEW_NODE_THREAD, .thread = thread };
}

static struct view_node port_node(struct port *port)
{
	return (struct view_node){ .kind = VIEW_NODE_PORT, .port = port };
}

static struct view_node process_node(struct process *process)
{
	return (struct view_node){ .kind = VIEW_NODE_PROCESS, .process = process };
}

void wait_ends_of(const struct wait *wait, struct wait_ends *ends)
{
	memset(ends, 0, sizeof *ends);
	if (wait->client)
		ends->client = thread_node(wait->client);
	else if (wait->client_process)
		ends->client = process_node(wait->client_process);
	if (wait->port)
		ends->port = port_node(wait->port);
	if (wait->server_thread)
		ends->server = thread_node(wait->server_thread);
	else if (!wait->port && wait->server_process)
		ends->server = process_node(wait->server_process);
}

struct process *port_owner(const struct snapshot *snapshot, const struct port *port)
{
	/* WinDbg prints 0 for "no owner". */
	if (port->owner_process.known && port->owner_process.value)
		return snapshot_find_process(snapshot, port->owner_process.value);
	return NULL;
}

struct process *view_node_process(const struct snapshot *snapshot, const struct view_node *node)
{
	switch (node->kind) {
	case VIEW_NODE_THREAD:
		return thread_process(snapshot, node->thread);
	case VIEW_NODE_PORT:
		return port_owner(snapshot, node->port);
	case VIEW_NODE_PROCESS:
		return node->process;
	case VIEW_NODE_NONE:
		break;
	}
	return NULL;
}

static bool node_is_drawn(const struct graph_view *view, struct view_node node)
{
	return u64_map_get(&view->node_slot, (uintptr_t)node.object) != NULL;
}

static void add_node(struct graph_view *view, struct view_node node)
{
	if (node.kind == VIEW_NODE_NONE || node_is_drawn(view, node))
		return;
	if (view->node_count == view->node_capacity) {
		view->node_capacity = view->node_capacity ? view->node_capacity * 2 : 64;
		view->nodes = checked_realloc(view->nodes, view->node_capacity * sizeof *view->nodes);
	}
	view->nodes[view->node_count++] = node;
	u64_map_put(&view->node_slot, (uintptr_t)node.object, (void *)(uintptr_t)view->node_count);
}

static bool budget_allows(struct graph_view *view, size_t more)
{
	if (more <= view->budget - view->node_count)
		return true;
	view->refused = true;
	return false;
}

/* ---- waits -------------------------------------------------------------- */

static bool wait_is_drawn(const struct graph_view *view, const struct wait *wait)
{
	return u64_map_get(&view->drawn_waits, (uintptr_t)wait) != NULL;
}

/* The ends not drawn yet, each counted once (a wait may start and end at
 * the same process stand-in). */
static size_t missing_ends(const struct graph_view *view, const struct wait_ends *ends)
{
	const struct view_node *all[] = { &ends->client, &ends->port, &ends->server };
	size_t missing = 0;
	for (size_t i = 0; i < 3; i++) {
		if (all[i]->kind == VIEW_NODE_NONE || node_is_drawn(view, *all[i]))
			continue;
		bool repeated = false;
		for (size_t j = 0; j < i; j++)
			repeated |= all[j]->object == all[i]->object;
		missing += !repeated;
	}
	return missing;
}

static bool try_add_wait(struct graph_view *view, struct wait *wait)
{
	if (wait_is_drawn(view, wait))
		return true;
	struct wait_ends ends;
	wait_ends_of(wait, &ends);
	if (!budget_allows(view, missing_ends(view, &ends)))
		return false;
	add_node(view, ends.client);
	add_node(view, ends.port);
	add_node(view, ends.server);
	ptr_vec_push(&view->waits, wait);
	u64_map_put(&view->drawn_waits, (uintptr_t)wait, wait);
	return true;
}

/* A cycle's or chain's waits from its start, up to the first that does
 * not fit, so the part drawn stays connected. */
static void add_run_of_waits(struct graph_view *view, const struct ptr_vec *waits)
{
	for (size_t i = 0; i < waits->count; i++)
		if (!try_add_wait(view, waits->items[i]))
			return;
}

static void add_cycles(struct graph_view *view)
{
	const struct ptr_vec *cycles = &view->analysis->cycles;
	for (size_t i = 0; i < cycles->count; i++) {
		const struct cycle *cycle = cycles->items[i];
		add_run_of_waits(view, &cycle->waits);
	}
}

static void add_chains(struct graph_view *view)
{
	const struct ptr_vec *chains = &view->analysis->chains;
	for (size_t i = 0; i < chains->count; i++) {
		const struct chain *chain = chains->items[i];
		add_run_of_waits(view, &chain->waits);
	}
}

static void add_other_waits(struct graph_view *view)
{
	const struct ptr_vec *waits = &view->analysis->waits;
	for (size_t i = 0; i < waits->count; i++)
		try_add_wait(view, waits->items[i]);
}

/* ---- objects no drawn wait reaches ------------------------------------- */

static void mark_end(struct u64_map *marks, struct view_node node)
{
	if (node.kind != VIEW_NODE_NONE)
		u64_map_put(marks, (uintptr_t)node.object, node.object);
}

static void mark_ends_of_waits_left_out(const struct graph_view *view, struct u64_map *marks)
{
	const struct ptr_vec *waits = &view->analysis->waits;
	for (size_t i = 0; i < waits->count; i++) {
		if (wait_is_drawn(view, waits->items[i]))
			continue;
		struct wait_ends ends;
		wait_ends_of(waits->items[i], &ends);
		mark_end(marks, ends.client);
		mark_end(marks, ends.port);
		mark_end(marks, ends.server);
	}
}

static void try_add_alone(struct graph_view *view, const struct u64_map *left_out,
			  struct view_node node)
{
	if (node_is_drawn(view, node) || u64_map_get(left_out, (uintptr_t)node.object))
		return;
	if (budget_allows(view, 1))
		add_node(view, node);
}

static void add_involved_loners(struct graph_view *view, const struct u64_map *left_out)
{
	const struct analysis *analysis = view->analysis;
	const struct snapshot *snapshot = analysis->snapshot;
	for (size_t i = 0; i < snapshot->threads.count; i++)
		if (analysis_thread_involved(analysis, snapshot->threads.items[i]))
			try_add_alone(view, left_out, thread_node(snapshot->threads.items[i]));
	for (size_t i = 0; i < snapshot->ports.count; i++)
		if (analysis_port_involved(analysis, snapshot->ports.items[i]))
			try_add_alone(view, left_out, port_node(snapshot->ports.items[i]));
}

/* Processes with neither a thread nor a port in the capture, which would
 * otherwise be empty clusters that dot does not draw. */
static void mark_processes_with_objects(const struct snapshot *snapshot, struct u64_map *marks)
{
	for (size_t i = 0; i < snapshot->threads.count; i++) {
		struct view_node node = thread_node(snapshot->threads.items[i]);
		struct process *process = view_node_process(snapshot, &node);
		if (process)
			u64_map_put(marks, (uintptr_t)process, process);
	}
	for (size_t i = 0; i < snapshot->ports.count; i++) {
		struct view_node node = port_node(snapshot->ports.items[i]);
		struct process *process = view_node_process(snapshot, &node);
		if (process)
			u64_map_put(marks, (uintptr_t)process, process);
	}
}

static void add_everything_else(struct graph_view *view, const struct u64_map *left_out)
{
	const struct snapshot *snapshot = view->analysis->snapshot;
	for (size_t i = 0; i < snapshot->threads.count; i++)
		try_add_alone(view, left_out, thread_node(snapshot->threads.items[i]));
	for (size_t i = 0; i < snapshot->ports.count; i++)
		try_add_alone(view, left_out, port_node(snapshot->ports.items[i]));
	struct u64_map owners = { 0 };
	mark_processes_with_objects(snapshot, &owners);
	for (size_t i = 0; i < snapshot->processes.count; i++) {
		struct process *process = snapshot->processes.items[i];
		if (!u64_map_get(&owners, (uintptr_t)process))
			try_add_alone(view, left_out, process_node(process));
	}
	u64_map_release(&owners);
}

static void select_objects(struct graph_view *view)
{
	add_cycles(view);
	add_chains(view);
	add_other_waits(view);
	struct u64_map left_out = { 0 };
	mark_ends_of_waits_left_out(view, &left_out);
	add_involved_loners(view, &left_out);
	if (view->all)
		add_everything_else(view, &left_out);
	u64_map_release(&left_out);
}

/* ---- what was left out --------------------------------------------------- */

static void index_cycle_waits(struct graph_view *view)
{
	const struct ptr_vec *cycles = &view->analysis->cycles;
	for (size_t i = 0; i < cycles->count; i++) {
		struct cycle *cycle = cycles->items[i];
		for (size_t w = 0; w < cycle->waits.count; w++)
			if (!u64_map_get(&view->cycle_of_wait, (uintptr_t)cycle->waits.items[w]))
				u64_map_put(&view->cycle_of_wait, (uintptr_t)cycle->waits.items[w], cycle);
	}
}

static void count_cycles_not_whole(struct graph_view *view)
{
	const struct ptr_vec *cycles = &view->analysis->cycles;
	for (size_t i = 0; i < cycles->count; i++) {
		const struct cycle *cycle = cycles->items[i];
		size_t drawn = 0;
		for (size_t w = 0; w < cycle->waits.count; w++)
			drawn += wait_is_drawn(view, cycle->waits.items[w]);
		if (drawn == 0 && cycle->waits.count > 0)
			view->cycles_missing++;
		else if (drawn < cycle->waits.count)
			view->cycles_partial++;
	}
}

static void release_selection(struct graph_view *view)
{
	free(view->nodes);
	u64_map_release(&view->node_slot);
	ptr_vec_release(&view->waits);
	u64_map_release(&view->drawn_waits);
}

/* The size the graph would have without a budget, for "shows N of M". */
static size_t count_candidate_nodes(const struct graph_view *view)
{
	if (!view->refused)
		return view->node_count;
	struct graph_view unlimited = { .analysis = view->analysis, .budget = SIZE_MAX,
					.all = view->all };
	select_objects(&unlimited);
	size_t count = unlimited.node_count;
	release_selection(&unlimited);
	return count;
}

/* "5210" → "5,210" */
static const char *grouped(size_t value, char *buffer, size_t size)
{
	char digits[32];
	int length = snprintf(digits, sizeof digits, "%zu", value);
	size_t out = 0;
	for (int i = 0; i < length && out + 2 < size; i++) {
		if (i > 0 && (length - i) % 3 == 0)
			buffer[out++] = ',';
		buffer[out++] = digits[i];
	}
	buffer[out] = '\0';
	return buffer;
}

static const char *cycles_clause(const struct graph_view *view, char *buffer, size_t size)
{
	char partial[32], missing[32];
	grouped(view->cycles_partial, partial, sizeof partial);
	grouped(view->cycles_missing, missing, sizeof missing);
	if (view->cycles_partial && view->cycles_missing)
		snprintf(buffer, size, ", and %s %s drawn only in part, %s not at all", partial,
			 view->cycles_partial == 1 ? "cycle is" : "cycles are", missing);
	else if (view->cycles_partial)
		snprintf(buffer, size, ", and %s %s drawn only in part", partial,
			 view->cycles_partial == 1 ? "cycle is" : "cycles are");
	else if (view->cycles_missing)
		snprintf(buffer, size, ", and %s %s not drawn", missing,
			 view->cycles_missing == 1 ? "cycle is" : "cycles are");
	else
		buffer[0] = '\0';
	return buffer;
}

/* One sentence, e.g. "The graph shows 49 of 600 objects: 551 objects and
 * 276 waits were left out to keep the layout fast (node budget 50,
 * --max-nodes raises it), and 1 cycle is drawn only in part." */
static char *omission_sentence(const struct graph_view *view)
{
	size_t objects = graph_view_omitted_nodes(view), waits = graph_view_omitted_waits(view);
	if (objects == 0 && waits == 0)
		return NULL;
	char shown[32], total[32], left[32], left_waits[32], budget[32], waits_part[64], cycles[128];
	grouped(view->node_count, shown, sizeof shown);
	grouped(view->candidate_nodes, total, sizeof total);
	grouped(objects, left, sizeof left);
	grouped(view->budget, budget, sizeof budget);
	if (waits)
		snprintf(waits_part, sizeof waits_part, " and %s wait%s",
			 grouped(waits, left_waits, sizeof left_waits), waits == 1 ? "" : "s");
	else
		waits_part[0] = '\0';
	const char *verb = objects == 1 && waits == 0 ? "was" : "were";
	char sentence[512];
	snprintf(sentence, sizeof sentence,
		 "The graph shows %s of %s objects: %s object%s%s %s left out to keep the layout "
		 "fast (node budget %s, --max-nodes raises it)%s.",
		 shown, total, left, objects == 1 ? "" : "s", waits_part, verb, budget,
		 cycles_clause(view, cycles, sizeof cycles));
	return checked_strdup(sentence);
}

/* ---- the public face ----------------------------------------------------- */

struct graph_view *graph_view_build(const struct analysis *analysis,
				    const struct render_options *options)
{
	struct graph_view *view = checked_calloc(1, sizeof *view);
	view->analysis = analysis;
	view->budget = options && options->max_nodes ? options->max_nodes : GRAPH_DEFAULT_MAX_NODES;
	view->all = options && options->all;
	index_cycle_waits(view);
	select_objects(view);
	view->candidate_nodes = count_candidate_nodes(view);
	count_cycles_not_whole(view);
	view->omission_text = omission_sentence(view);
	return view;
}

void graph_view_free(struct graph_view *view)
{
	if (!view)
		return;
	release_selection(view);
	u64_map_release(&view->cycle_of_wait);
	free(view->omission_text);
	free(view);
}

size_t graph_view_node_count(const struct graph_view *view)
{
	return view->node_count;
}

size_t graph_view_omitted_nodes(const struct graph_view *view)
{
	return view->candidate_nodes - view->node_count;
}

size_t graph_view_omitted_waits(const struct graph_view *view)
{
	return view->analysis->waits.count - view->waits.count;
}

const char *graph_view_omission_text(const struct graph_view *view)
{
	return view->omission_text;
}

const struct view_node *graph_view_node(const struct graph_view *view, size_t index)
{
	return &view->nodes[index];
}

long graph_view_node_index(const struct graph_view *view, const void *object)
{
	uintptr_t slot = (uintptr_t)u64_map_get(&view->node_slot, (uintptr_t)object);
	return slot ? (long)slot - 1 : -1;
}

size_t graph_view_wait_count(const struct graph_view *view)
{
	return view->waits.count;
}

struct wait *graph_view_wait(const struct graph_view *view, size_t index)
{
	return view->waits.items[index];
}

const struct cycle *graph_view_cycle_of(const struct graph_view *view, const struct wait *wait)
{
	return u64_map_get(&view->cycle_of_wait, (uintptr_t)wait);
}
