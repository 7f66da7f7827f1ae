/* The wait graph as a libcgraph graph, and its DOT text.
 *
 * One cluster per process ("cluster_" + the process anchor: dot draws a
 * subgraph as a box only when its name starts with "cluster", deps.md §4),
 * threads and ports as nodes inside their process's cluster, objects whose
 * process is unknown outside every cluster.  Edges, per drawn wait:
 *   ALPC/LPC  client thread → port (label: the message id) → server thread,
 *             or only → port when no server thread is known: the port's
 *             cluster already shows the owner;
 *   lock      client thread → owning thread (label: the object type);
 *   RPC       client → servicing thread, or → a stand-in node for the
 *             server process when no thread is known to serve the call, so
 *             the wait still points somewhere a reader can click;
 * the same stand-in serves an RPC caller known only by its process, and a
 * wait on a process object.  Every wait edge is bold; edges of a cycle are
 * red with penwidth 2; edges whose every wait is weak are dashed.
 *
 * Every name comes from the input, so labels are plain (never HTML-like)
 * and escaped for the two layers Graphviz applies to them; see
 * text_put_input().  Node ids and URLs come from report_anchor_*, which
 * never contain input text. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_view_internal.h"

/* ---- object ids in creation order ------------------------------------- */

/* cgraph's default id discipline makes a named object's id the address of
 * its pooled name (lib/cgraph/id.c, 2.42), and keeps subgraphs ordered by
 * id, so agwrite and dot's cluster pass would visit clusters in heap
 * order: two renders of one snapshot could differ.  This discipline hands
 * out ids in the order names are first seen instead. */
struct ordered_names {
	Agraph_t *graph;
	struct ptr_vec names;    /* names.items[i] has id 2 * (i + 1) */
	struct u64_map index_of; /* pooled name → i + 1 */
	IDTYPE next_anonymous;   /* odd, so never equal to a named id */
};

static void *ordered_open(Agraph_t *graph, Agdisc_t *disc)
{
	(void)disc;
	struct ordered_names *names = checked_calloc(1, sizeof *names);
	names->graph = graph;
	names->next_anonymous = 1;
	return names;
}

static long ordered_map(void *state, int kind, char *name, IDTYPE *id, int create)
{
	(void)kind;
	struct ordered_names *names = state;
	if (!name) {
		if (!create)
			return 0;
		*id = names->next_anonymous;
		names->next_anonymous += 2;
		return 1;
	}
	char *pooled = agstrbind(names->graph, name);
	uintptr_t slot = pooled ? (uintptr_t)u64_map_get(&names->index_of, (uintptr_t)pooled) : 0;
	if (!slot) {
		if (!create)
			return 0;
		/* The pool reference taken here lives until agclose frees the pool. */
		pooled = agstrdup(names->graph, name);
		ptr_vec_push(&names->names, pooled);
		slot = names->names.count;
		u64_map_put(&names->index_of, (uintptr_t)pooled, (void *)slot);
	}
	*id = (IDTYPE)slot * 2;
	return 1;
}

static long ordered_alloc(void *state, int kind, IDTYPE id)
{
	(void)state, (void)kind, (void)id;
	return 0; /* like the default: ids are never chosen by the caller */
}

static void ordered_free(void *state, int kind, IDTYPE id)
{
	(void)state, (void)kind, (void)id;
}

static char *ordered_print(void *state, int kind, IDTYPE id)
{
	(void)kind;
	const struct ordered_names *names = state;
	if (id % 2 != 0 || id == 0 || id / 2 > names->names.count)
		return NULL;
	return names->names.items[id / 2 - 1];
}

static void ordered_close(void *state)
{
	struct ordered_names *names = state;
	ptr_vec_release(&names->names);
	u64_map_release(&names->index_of);
	free(names);
}

static void ordered_register(void *state, int kind, void *object)
{
	(void)state, (void)kind, (void)object;
}

static Agiddisc_t ordered_ids = { ordered_open,	 ordered_map,	ordered_alloc,	  ordered_free,
				  ordered_print, ordered_close, ordered_register };
static Agdisc_t ordered_discipline = { &AgMemDisc, &ordered_ids, &AgIoDisc };

Agraph_t *wait_graph_open(char *name)
{
	return agopen(name, Agdirected, &ordered_discipline);
}

/* ---- attribute text ------------------------------------------------------ */

struct text {
	char *chars;
	size_t length, capacity;
};

static void text_reserve(struct text *text, size_t more)
{
	if (text->length + more + 1 <= text->capacity)
		return;
	size_t capacity = text->capacity ? text->capacity : 128;
	while (capacity < text->length + more + 1)
		capacity *= 2;
	text->chars = checked_realloc(text->chars, capacity);
	text->capacity = capacity;
}

static void text_clear(struct text *text)
{
	text_reserve(text, 0);
	text->length = 0;
	text->chars[0] = '\0';
}

/* Our own text, which may hold Graphviz escapes such as "\\n". */
static void text_put(struct text *text, const char *raw)
{
	size_t length = strlen(raw);
	text_reserve(text, length);
	memcpy(text->chars + text->length, raw, length + 1);
	text->length += length;
}

static void text_printf(struct text *text, const char *format, ...) PRINTF_LIKE(2, 3);
static void text_printf(struct text *text, const char *format, ...)
{
	char buffer[256];
	va_list args;
	va_start(args, format);
	vsnprintf(buffer, sizeof buffer, format, args);
	va_end(args);
	text_put(text, buffer);
}

/* Text from the input.  Graphviz reads a plain label or tooltip twice:
 * backslash sequences (\n \l \r \N \G \E \H \T \L, and \\ for one
 * backslash) are escapes, so "\RPC Control\lsass" would lose letters and
 * break lines — each backslash is doubled; then HTML entities are decoded
 * (labels.c make_label → htmlEntityUTF8; tooltips likewise), so "&lt;"
 * would show as "<" — each '&' becomes "&amp;".  Quotes and DOT syntax
 * need nothing here: agwrite quotes every string it writes. */
static void text_put_input(struct text *text, const char *input)
{
	for (const char *c = input; *c; c++) {
		if (*c == '\\')
			text_put(text, "\\\\");
		else if (*c == '&')
			text_put(text, "&amp;");
		else {
			text_reserve(text, 1);
			text->chars[text->length++] = *c;
			text->chars[text->length] = '\0';
		}
	}
}

static void text_release(struct text *text)
{
	free(text->chars);
	*text = (struct text){ 0 };
}

/* ---- how objects are named ----------------------------------------------- */

/* WinDbg's Cid, pid.tid: "0100.0104". */
static void put_cid(struct text *text, const struct thread *thread)
{
	if (!thread->pid.known && !thread->tid.known && thread->address.known) {
		text_printf(text, "thread 0x%" PRIx64, thread->address.value);
		return;
	}
	char cid[CID_TEXT_SIZE];
	format_cid(cid, sizeof cid, thread->pid, thread->tid);
	text_put(text, cid);
}

/* "beta.exe (0x200)", with "?" for what is unknown. */
static void put_process(struct text *text, const struct process *process)
{
	text_put_input(text, process && process->image ? process->image : "?");
	if (process && process->pid.known)
		text_printf(text, " (0x%" PRIx64 ")", process->pid.value);
	else
		text_put(text, " (?)");
}

/* "alpha.exe 0100.0104" */
static void put_thread(struct text *text, const struct snapshot *snapshot,
		       const struct thread *thread)
{
	const char *image = thread_image(snapshot, thread);
	text_put_input(text, image ? image : "?");
	text_put(text, " ");
	put_cid(text, thread);
}

/* An unnamed communication port shows its connection port's name above
 * its address, so a graph of LPC waits names the servers' ports. */
static void put_port_name(struct text *text, const struct snapshot *snapshot, const struct port *port)
{
	const char *connection = port_connection_name(snapshot, port);
	if (port->name && *port->name)
		text_put_input(text, port->name);
	else if (connection && *connection) {
		text_put_input(text, connection);
		text_printf(text, "\\n0x%" PRIx64, port->address.value);
	} else
		text_printf(text, "0x%" PRIx64, port->address.value);
}

static const char *via_title(enum wait_via via)
{
	switch (via) {
	case VIA_ALPC:
		return "ALPC";
	case VIA_LPC:
		return "LPC";
	case VIA_RPC:
		return "RPC";
	case VIA_LOCK:
		return "lock";
	}
	return "?";
}

/* ---- building ------------------------------------------------------------ */

/* One edge of the drawing; several waits may share it (two clients served
 * by one thread share the port → server edge). */
struct edge_plan {
	size_t tail, head;
	const struct wait *first;  /* gives the label and the tooltip */
	bool labelled;             /* the client's edge, not port → server */
	const struct cycle *cycle; /* any cycle through it, definite preferred */
	bool every_wait_weak;
};

struct build {
	const struct analysis *analysis;
	const struct snapshot *snapshot;
	const struct graph_view *view;
	Agraph_t *graph;
	struct u64_map cluster_of; /* process → Agraph_t * */
	struct u64_map root_of;    /* thread → the first chain it is the root blocker of */
	Agnode_t **nodes;          /* by view node index */
	struct edge_plan *edges;
	size_t edge_count;
	struct u64_map edge_slot; /* tail * node count + head → index + 1 */
	struct text text;
};

static const char font[] = "Helvetica,Arial,sans-serif";

static void set(void *object, const char *name, const char *value)
{
	agsafeset(object, (char *)name, (char *)value, "");
}

static void set_text(void *object, const char *name, struct build *build)
{
	set(object, name, build->text.chars);
}

static void set_defaults(Agraph_t *graph)
{
	agattr(graph, AGRAPH, "rankdir", "LR");
	agattr(graph, AGRAPH, "fontname", (char *)font);
	agattr(graph, AGRAPH, "fontsize", "10");
	agattr(graph, AGNODE, "shape", "box");
	agattr(graph, AGNODE, "style", "rounded");
	agattr(graph, AGNODE, "fontname", (char *)font);
	agattr(graph, AGNODE, "fontsize", "10");
	agattr(graph, AGNODE, "label", "\\N");
	agattr(graph, AGEDGE, "fontname", (char *)font);
	agattr(graph, AGEDGE, "fontsize", "9");
	agattr(graph, AGEDGE, "style", "bold");
	agattr(graph, AGEDGE, "color", "black");
	agattr(graph, AGEDGE, "penwidth", "1");
}

/* id, URL: the SVG inlined in the HTML page links each node to its table
 * row.  The row itself carries the anchor as its id, so the node's own id
 * gets a prefix: two elements with one id would make "#anchor" land on
 * the drawing instead of the row. */
static void set_anchor(void *object, const char *anchor, struct build *build)
{
	text_clear(&build->text);
	text_printf(&build->text, "#%s", anchor);
	set_text(object, "URL", build);
	text_clear(&build->text);
	text_printf(&build->text, "graph-%s", anchor);
	set_text(object, "id", build);
}

static void add_cluster(struct build *build, struct process *process)
{
	char anchor[96], name[112];
	report_anchor_process(process, anchor, sizeof anchor);
	snprintf(name, sizeof name, "cluster_%s", anchor);
	Agraph_t *cluster = agsubg(build->graph, name, 1);
	text_clear(&build->text);
	put_process(&build->text, process);
	set_text(cluster, "label", build);
	set_text(cluster, "tooltip", build);
	set(cluster, "style", "rounded");
	set(cluster, "color", "gray50");
	set_anchor(cluster, anchor, build);
	u64_map_put(&build->cluster_of, (uintptr_t)process, cluster);
}

/* Clusters in snapshot order, only for processes with a node to hold. */
static void add_clusters(struct build *build)
{
	struct u64_map needed = { 0 };
	for (size_t i = 0; i < graph_view_node_count(build->view); i++) {
		struct process *process =
			view_node_process(build->snapshot, graph_view_node(build->view, i));
		if (process)
			u64_map_put(&needed, (uintptr_t)process, process);
	}
	for (size_t i = 0; i < build->snapshot->processes.count; i++) {
		struct process *process = build->snapshot->processes.items[i];
		if (u64_map_get(&needed, (uintptr_t)process))
			add_cluster(build, process);
	}
	u64_map_release(&needed);
}

static void index_root_blockers(struct build *build)
{
	const struct ptr_vec *chains = &build->analysis->chains;
	for (size_t i = 0; i < chains->count; i++) {
		struct chain *chain = chains->items[i];
		if (chain->root.thread && !u64_map_get(&build->root_of, (uintptr_t)chain->root.thread))
			u64_map_put(&build->root_of, (uintptr_t)chain->root.thread, chain);
	}
}

/* "0100.0104\nWrLpcReply" */
static void put_thread_label(struct text *text, const struct thread *thread)
{
	const char *reason = thread->wait_reason ? thread->wait_reason : thread->state;
	put_cid(text, thread);
	if (reason) {
		text_put(text, "\\n");
		text_put_input(text, reason);
	}
}

/* Who, which ETHREAD, what state for how long, and for a chain's root
 * blocker what it is blocked on. */
static void put_thread_tooltip(struct text *text, const struct snapshot *snapshot,
			       const struct thread *thread, const struct chain *rooted_here)
{
	put_thread(text, snapshot, thread);
	if (thread->address.known)
		text_printf(text, "\\nETHREAD 0x%" PRIx64, thread->address.value);
	if (thread->state || thread->wait_reason)
		text_put(text, "\\n");
	if (thread->state)
		text_put_input(text, thread->state);
	if (thread->state && thread->wait_reason)
		text_put(text, " ");
	if (thread->wait_reason)
		text_put_input(text, thread->wait_reason);
	if (thread->wait_time) {
		text_put(text, " for ");
		text_put_input(text, thread->wait_time);
	}
	if (rooted_here) {
		text_put(text, "\\nroot blocker: ");
		text_put(text, blocker_kind_description(rooted_here->root.kind));
		if (rooted_here->root.detail) {
			text_put(text, " (");
			text_put_input(text, rooted_here->root.detail);
			text_put(text, ")");
		}
	}
}

static void describe_thread(struct build *build, Agnode_t *node, const struct thread *thread)
{
	text_clear(&build->text);
	put_thread_label(&build->text, thread);
	set_text(node, "label", build);

	const struct chain *rooted_here = u64_map_get(&build->root_of, (uintptr_t)thread);
	text_clear(&build->text);
	put_thread_tooltip(&build->text, build->snapshot, thread, rooted_here);
	set_text(node, "tooltip", build);
	if (rooted_here) {
		/* A root blocker is where a reader should look first. */
		set(node, "style", "rounded,filled");
		set(node, "fillcolor", "lightgoldenrod1");
	}

	char anchor[96];
	report_anchor_thread(thread, anchor, sizeof anchor);
	set_anchor(node, anchor, build);
}

static void describe_port(struct build *build, Agnode_t *node, const struct port *port)
{
	text_clear(&build->text);
	put_port_name(&build->text, build->snapshot, port);
	set_text(node, "label", build);
	set(node, "shape", "cds");
	set(node, "style", "solid");

	/* The tooltip goes on from the name already in the buffer. */
	text_printf(&build->text, "\\n%s 0x%" PRIx64,
		    port_kind_windbg_name(port->kind) ? port_kind_windbg_name(port->kind) : "port",
		    port->address.value);
	struct process *owner = port_owner(build->snapshot, port);
	if (owner) {
		text_put(&build->text, "\\nowned by ");
		put_process(&build->text, owner);
	}
	set_text(node, "tooltip", build);

	char anchor[96];
	report_anchor_port(port, anchor, sizeof anchor);
	set_anchor(node, anchor, build);
}

static void describe_process_stand_in(struct build *build, Agnode_t *node,
				      const struct process *process)
{
	set(node, "label", "no thread known");
	set(node, "shape", "ellipse");
	set(node, "style", "dashed");
	text_clear(&build->text);
	put_process(&build->text, process);
	text_put(&build->text, ": the capture shows none of its threads here");
	set_text(node, "tooltip", build);
	char anchor[96];
	report_anchor_process(process, anchor, sizeof anchor);
	set_anchor(node, anchor, build);
}

static void node_name(const struct view_node *node, char *buffer, size_t size)
{
	switch (node->kind) {
	case VIEW_NODE_THREAD:
		report_anchor_thread(node->thread, buffer, size);
		break;
	case VIEW_NODE_PORT:
		report_anchor_port(node->port, buffer, size);
		break;
	case VIEW_NODE_PROCESS:
		report_anchor_process(node->process, buffer, size);
		break;
	case VIEW_NODE_NONE:
		snprintf(buffer, size, "none");
		break;
	}
}

static void add_nodes(struct build *build)
{
	size_t count = graph_view_node_count(build->view);
	build->nodes = checked_calloc(count ? count : 1, sizeof *build->nodes);
	for (size_t i = 0; i < count; i++) {
		const struct view_node *node = graph_view_node(build->view, i);
		struct process *process = view_node_process(build->snapshot, node);
		Agraph_t *parent = process ? u64_map_get(&build->cluster_of, (uintptr_t)process) : NULL;
		char name[96];
		node_name(node, name, sizeof name);
		Agnode_t *created = agnode(parent ? parent : build->graph, name, 1);
		build->nodes[i] = created;
		if (node->kind == VIEW_NODE_THREAD)
			describe_thread(build, created, node->thread);
		else if (node->kind == VIEW_NODE_PORT)
			describe_port(build, created, node->port);
		else
			describe_process_stand_in(build, created, node->process);
	}
}

static void plan_edge(struct build *build, long tail, long head, const struct wait *wait,
		      bool labelled)
{
	uint64_t key = (uint64_t)tail * graph_view_node_count(build->view) + (uint64_t)head;
	uintptr_t slot = (uintptr_t)u64_map_get(&build->edge_slot, key);
	const struct cycle *cycle = graph_view_cycle_of(build->view, wait);
	if (slot) {
		struct edge_plan *edge = &build->edges[slot - 1];
		if (cycle && (!edge->cycle || (cycle->definite && !edge->cycle->definite)))
			edge->cycle = cycle;
		edge->every_wait_weak &= wait->weak;
		return;
	}
	build->edges[build->edge_count] = (struct edge_plan){
		.tail = (size_t)tail, .head = (size_t)head, .first = wait,
		.labelled = labelled, .cycle = cycle, .every_wait_weak = wait->weak,
	};
	u64_map_put(&build->edge_slot, key, (void *)(uintptr_t)++build->edge_count);
}

static long end_index(const struct build *build, const struct view_node *end)
{
	return end->kind == VIEW_NODE_NONE ? -1 : graph_view_node_index(build->view, end->object);
}

static void plan_edges(struct build *build)
{
	size_t waits = graph_view_wait_count(build->view);
	build->edges = checked_calloc(2 * waits + 1, sizeof *build->edges);
	for (size_t i = 0; i < waits; i++) {
		const struct wait *wait = graph_view_wait(build->view, i);
		struct wait_ends ends;
		wait_ends_of(wait, &ends);
		long client = end_index(build, &ends.client), port = end_index(build, &ends.port),
		     server = end_index(build, &ends.server);
		if (client >= 0 && (port >= 0 || server >= 0))
			plan_edge(build, client, port >= 0 ? port : server, wait, true);
		if (port >= 0 && server >= 0)
			plan_edge(build, port, server, wait, false);
	}
}

static maybe_u64 message_id_of(const struct wait *wait)
{
	if (wait->message && wait->message->id.known)
		return wait->message->id;
	if (wait->via == VIA_LPC && wait->client)
		return wait->client->lpc_wait_message_id;
	return UNKNOWN_U64;
}

static void put_wait_label(struct text *text, const struct wait *wait)
{
	maybe_u64 procedure = UNKNOWN_U64;
	switch (wait->via) {
	case VIA_ALPC:
	case VIA_LPC:
		if (message_id_of(wait).known)
			text_printf(text, "msg 0x%" PRIx64, message_id_of(wait).value);
		break;
	case VIA_RPC:
		if (wait->rpc_server_call)
			procedure = wait->rpc_server_call->procedure;
		if (!procedure.known && wait->rpc_client_call)
			procedure = wait->rpc_client_call->procedure;
		text_put(text, "rpc");
		if (procedure.known)
			text_printf(text, " proc 0x%" PRIx64, procedure.value);
		break;
	case VIA_LOCK:
		text_put_input(text, wait->lock && wait->lock->type ? wait->lock->type : "lock");
		break;
	}
}

/* "ALPC wait: alpha.exe 0100.0104 -> beta.exe 0200.0204, message 0xbfc" */
static void put_wait_tooltip(struct build *build, const struct edge_plan *edge)
{
	const struct wait *wait = edge->first;
	struct text *text = &build->text;
	text_printf(text, "%s wait: ", via_title(wait->via));
	if (wait->client)
		put_thread(text, build->snapshot, wait->client);
	else
		put_process(text, wait->client_process);
	text_put(text, " -> ");
	if (wait->server_thread)
		put_thread(text, build->snapshot, wait->server_thread);
	else if (wait->server_process)
		put_process(text, wait->server_process);
	else if (wait->port)
		put_port_name(text, build->snapshot, wait->port);
	else
		text_put(text, "?");
	if ((wait->via == VIA_ALPC || wait->via == VIA_LPC) && message_id_of(wait).known)
		text_printf(text, ", message 0x%" PRIx64, message_id_of(wait).value);
	if (edge->every_wait_weak && wait->weak_reason) {
		text_put(text, "\\nweak: ");
		text_put_input(text, wait->weak_reason);
	}
	if (edge->cycle)
		text_put(text, edge->cycle->definite ? "\\nin a definite deadlock cycle"
						     : "\\nin a probable cycle");
}

static void add_edge(struct build *build, const struct edge_plan *plan)
{
	Agedge_t *edge = agedge(build->graph, build->nodes[plan->tail], build->nodes[plan->head],
				NULL, 1);
	set(edge, "style", plan->every_wait_weak ? "bold,dashed" : "bold");
	if (plan->cycle) {
		set(edge, "color", "red");
		set(edge, "penwidth", "2");
	}
	if (plan->labelled) {
		text_clear(&build->text);
		put_wait_label(&build->text, plan->first);
		if (build->text.length)
			set_text(edge, "label", build);
	}
	text_clear(&build->text);
	put_wait_tooltip(build, plan);
	set_text(edge, "tooltip", build);
}

Agraph_t *wait_graph_build(const struct analysis *analysis, const struct graph_view *view)
{
	struct build build = { .analysis = analysis, .snapshot = analysis->snapshot, .view = view };
	build.graph = wait_graph_open("waits");
	set_defaults(build.graph);
	index_root_blockers(&build);
	add_clusters(&build);
	add_nodes(&build);
	plan_edges(&build);
	for (size_t i = 0; i < build.edge_count; i++)
		add_edge(&build, &build.edges[i]);
	/* Set last: a graph attribute set on the root becomes the default of
	 * subgraphs made after it. */
	const char *omitted = graph_view_omission_text(view);
	if (omitted)
		set(build.graph, "label", omitted);

	u64_map_release(&build.cluster_of);
	u64_map_release(&build.root_of);
	u64_map_release(&build.edge_slot);
	free(build.nodes);
	free(build.edges);
	text_release(&build.text);
	return build.graph;
}

struct error *render_dot(FILE *out, const struct analysis *analysis,
			 const struct graph_view *view)
{
	Agraph_t *graph = wait_graph_build(analysis, view);
	int written = agwrite(graph, out);
	agclose(graph);
	if (written != 0 || fflush(out) != 0 || ferror(out))
		return error_new(ERROR_IO, "cannot write the DOT graph");
	return NULL;
}
