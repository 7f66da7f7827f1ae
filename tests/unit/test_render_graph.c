/* The wait graph: what graph_view chooses within its budget, the DOT that
 * render_dot writes (read back with libcgraph), and the SVG that
 * render_svg writes (read back with libxml2). */
#include <graphviz/cgraph.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "harness.h"
#include "fixtures.h"
#include "../../reports/graph_view_internal.h"

/* dot leaks in its cluster code, and pango and fontconfig keep caches
 * (deps.md §4).  ASan's fast unwinder stops at the first Graphviz frame,
 * so these leaks can only be matched by the library that allocated them
 * (libgvc's gmalloc/zmalloc, libfontconfig).  libcgraph and libcdt are not
 * excused: a graph we forget to close is still reported. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libgvc.so\n"
	       "leak:libgvplugin_\n"
	       "leak:libpango\n"
	       "leak:libfontconfig\n"
	       "leak:libcairo\n"
	       "leak:libpathplan\n";
}

/* ---- snapshots built here ------------------------------------------------ */

static struct process *add_process(struct snapshot *s, uint64_t address, uint64_t pid,
				   const char *image)
{
	struct process *p = snapshot_process(s, known_u64(address), known_u64(pid), origin_line(1));
	p->image = snapshot_text(s, image, strlen(image));
	return p;
}

static struct thread *add_thread(struct snapshot *s, uint64_t address, struct process *process,
				 uint64_t tid)
{
	struct thread *t = snapshot_thread(s, known_u64(address), process->pid, known_u64(tid),
					   origin_line(2));
	t->process_address = process->address;
	t->state = "WAIT";
	t->wait_reason = "WrLpcReply";
	return t;
}

static struct port *add_port(struct snapshot *s, uint64_t address, const char *name,
			     struct process *owner)
{
	struct port *port = snapshot_port(s, address, origin_line(3));
	port->flavor = FLAVOR_ALPC;
	port->kind = PORT_ALPC_CONNECTION;
	port->name = snapshot_text(s, name, strlen(name));
	port->owner_process = owner->address;
	return port;
}

/* The `!thread` line and the `!alpc /m` message of one ALPC wait. */
static void add_alpc_wait(struct snapshot *s, struct thread *client, uint64_t message_address,
			  uint64_t id, struct port *port, struct thread *server)
{
	client->alpc_wait_message = known_u64(message_address);
	client->alpc_wait_port = port->address;
	client->alpc_wait_port_owner = port->owner_process;
	struct message *m =
		snapshot_message(s, FLAVOR_ALPC, known_u64(message_address), known_u64(id), origin_line(4));
	m->waiting_thread = client->address;
	m->queue = QUEUE_PENDING;
	m->queue_port = port->address;
	m->queue_port_owner = port->owner_process;
	if (server)
		m->server_thread = server->address;
}

/* Two processes whose threads wait on each other's port: a definite
 * two-thread deadlock of 4 nodes.  base separates the addresses. */
static void add_deadlock(struct snapshot *s, uint64_t base, uint64_t pid, const char *a,
			 const char *b)
{
	struct process *pa = add_process(s, base + 0x1000, pid, a);
	struct process *pb = add_process(s, base + 0x2000, pid + 0x100, b);
	struct thread *ta = add_thread(s, base + 0x1100, pa, pid + 4);
	struct thread *tb = add_thread(s, base + 0x2100, pb, pid + 0x104);
	struct port *port_a = add_port(s, base + 0x1800, "\\RPC Control\\A", pa);
	struct port *port_b = add_port(s, base + 0x2800, "\\RPC Control\\B", pb);
	add_alpc_wait(s, ta, base + 0x1900, 1, port_b, tb);
	add_alpc_wait(s, tb, base + 0x2900, 2, port_a, ta);
}

/* ---- rendering and reading back ------------------------------------------ */

struct graph_case {
	struct snapshot *snapshot;
	struct analysis *analysis;
	struct graph_view *view;
	char *dot;
	Agraph_t *parsed;
};

static struct graph_case render(struct snapshot *snapshot, bool all, size_t max_nodes)
{
	struct graph_case c = { .snapshot = snapshot };
	c.analysis = analyze(snapshot);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c.analysis);
	struct render_options options = { .all = all, .max_nodes = max_nodes };
	c.view = graph_view_build(c.analysis, &options);
	size_t length = 0;
	FILE *out = open_memstream(&c.dot, &length);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	struct error *error = render_dot(out, c.analysis, c.view);
	CU_ASSERT_PTR_NULL(error);
	error_free(error);
	fclose(out);
	c.parsed = agmemread(c.dot);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c.parsed);
	return c;
}

static void release(struct graph_case *c)
{
	if (c->parsed)
		agclose(c->parsed);
	free(c->dot);
	graph_view_free(c->view);
	analysis_free(c->analysis);
	snapshot_free(c->snapshot);
}

static char *svg_of(const struct graph_case *c, size_t *length)
{
	char *svg = NULL;
	struct error *error = render_svg(c->analysis, c->view, &svg, length);
	CU_ASSERT_PTR_NULL(error);
	error_free(error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
	CU_ASSERT_EQUAL(strlen(svg), *length);
	return svg;
}

static Agnode_t *node_named(Agraph_t *g, const char *name)
{
	return agnode(g, (char *)name, 0);
}

static const char *attribute(void *object, const char *name)
{
	const char *value = agget(object, (char *)name);
	return value ? value : "";
}

static Agedge_t *edge_between(Agraph_t *g, const char *tail, const char *head)
{
	Agnode_t *t = node_named(g, tail), *h = node_named(g, head);
	return t && h ? agedge(g, t, h, NULL, 0) : NULL;
}

static size_t count_clusters(Agraph_t *g)
{
	size_t count = 0;
	for (Agraph_t *sub = agfstsubg(g); sub; sub = agnxtsubg(sub))
		count += strncmp(agnameof(sub), "cluster", 7) == 0;
	return count;
}

static Agraph_t *cluster_named(Agraph_t *g, const char *name)
{
	return agsubg(g, (char *)name, 0);
}

static size_t count_edges_where(Agraph_t *g, const char *name, const char *value)
{
	size_t count = 0;
	for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n))
		for (Agedge_t *e = agfstout(g, n); e; e = agnxtout(g, e))
			count += strcmp(attribute(e, name), value) == 0;
	return count;
}

/* What the renderer must write for a name from the input: each backslash
 * doubled (Graphviz's escapes) and each '&' as "&amp;" (Graphviz decodes
 * entities in plain labels).  Written here independently of render_dot.c. */
static char *graphviz_text(const char *name)
{
	char *out = malloc(strlen(name) * 5 + 1), *o = out;
	for (const char *c = name; *c; c++) {
		if (*c == '\\') {
			*o++ = '\\';
			*o++ = '\\';
		} else if (*c == '&') {
			memcpy(o, "&amp;", 5);
			o += 5;
		} else {
			*o++ = *c;
		}
	}
	*o = '\0';
	return out;
}

/* (harness.h's CU_ASSERT_STRING_EQUAL_OR_NULL does not compile: CUnit's
 * assertion macros are braced blocks, so its "if (…) X; else" breaks.) */
static void assert_sentence(const char *actual, const char *expected)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(actual);
	CU_ASSERT_STRING_EQUAL(actual, expected);
}

/* ---- the default view of a deadlock --------------------------------------- */

static void deadlock_is_two_clusters_of_two_nodes(void)
{
	struct graph_case c = render(fixture_alpc_deadlock(), false, 0);
	CU_ASSERT_EQUAL(graph_view_node_count(c.view), 4);
	CU_ASSERT_EQUAL(graph_view_omitted_nodes(c.view), 0);
	CU_ASSERT_EQUAL(graph_view_omitted_waits(c.view), 0);
	CU_ASSERT_PTR_NULL(graph_view_omission_text(c.view));

	CU_ASSERT_EQUAL(agnnodes(c.parsed), 4);
	CU_ASSERT_EQUAL(agnedges(c.parsed), 4);
	CU_ASSERT_EQUAL(count_clusters(c.parsed), 2);
	CU_ASSERT_STRING_EQUAL(attribute(c.parsed, "rankdir"), "LR");
	CU_ASSERT_STRING_EQUAL(attribute(c.parsed, "label"), "");
	Agraph_t *alpha = cluster_named(c.parsed, "cluster_process-ffffa00000001000");
	Agraph_t *beta = cluster_named(c.parsed, "cluster_process-ffffa00000002000");
	CU_ASSERT_PTR_NOT_NULL_FATAL(alpha);
	CU_ASSERT_PTR_NOT_NULL_FATAL(beta);
	CU_ASSERT_STRING_EQUAL(attribute(alpha, "label"), "alpha.exe (0x100)");
	CU_ASSERT_STRING_EQUAL(attribute(beta, "label"), "beta.exe (0x200)");
	CU_ASSERT_STRING_EQUAL(attribute(beta, "URL"), "#process-ffffa00000002000");

	/* Each object in its owner's cluster. */
	CU_ASSERT_EQUAL(agnnodes(alpha), 2);
	CU_ASSERT_EQUAL(agnnodes(beta), 2);
	CU_ASSERT_PTR_NOT_NULL(node_named(alpha, "thread-ffffa00000001104"));
	CU_ASSERT_PTR_NOT_NULL(node_named(alpha, "port-ffffc00000001000"));
	CU_ASSERT_PTR_NOT_NULL(node_named(beta, "thread-ffffa00000002204"));
	CU_ASSERT_PTR_NOT_NULL(node_named(beta, "port-ffffc00000002000"));

	Agnode_t *client = node_named(c.parsed, "thread-ffffa00000001104");
	CU_ASSERT_PTR_NOT_NULL_FATAL(client);
	CU_ASSERT_STRING_EQUAL(attribute(client, "label"), "0100.0104\\nWrLpcReply");
	CU_ASSERT_STRING_EQUAL(attribute(client, "URL"), "#thread-ffffa00000001104");
	CU_ASSERT_STRING_EQUAL(attribute(client, "id"), "graph-thread-ffffa00000001104");
	Agnode_t *port = node_named(c.parsed, "port-ffffc00000002000");
	CU_ASSERT_PTR_NOT_NULL_FATAL(port);
	CU_ASSERT_STRING_EQUAL(attribute(port, "label"), "\\\\RPC Control\\\\BetaPort");
	CU_ASSERT_STRING_EQUAL(attribute(port, "shape"), "cds");
	CU_ASSERT_STRING_EQUAL(attribute(port, "URL"), "#port-ffffc00000002000");

	/* client → port (message id) → server thread, all four in the cycle */
	Agedge_t *asks = edge_between(c.parsed, "thread-ffffa00000001104", "port-ffffc00000002000");
	Agedge_t *served = edge_between(c.parsed, "port-ffffc00000002000", "thread-ffffa00000002204");
	CU_ASSERT_PTR_NOT_NULL_FATAL(asks);
	CU_ASSERT_PTR_NOT_NULL_FATAL(served);
	CU_ASSERT_STRING_EQUAL(attribute(asks, "label"), "msg 0xbfc");
	CU_ASSERT_STRING_EQUAL(attribute(served, "label"), "");
	CU_ASSERT_PTR_NOT_NULL(edge_between(c.parsed, "thread-ffffa00000002204", "port-ffffc00000001000"));
	CU_ASSERT_PTR_NOT_NULL(edge_between(c.parsed, "port-ffffc00000001000", "thread-ffffa00000001104"));
	CU_ASSERT_EQUAL(count_edges_where(c.parsed, "color", "red"), 4);
	CU_ASSERT_EQUAL(count_edges_where(c.parsed, "penwidth", "2"), 4);
	CU_ASSERT_EQUAL(count_edges_where(c.parsed, "style", "bold"), 4);
	release(&c);
}

/* The deadlock plus gamma.exe, whose thread also waits on BetaPort: its
 * edge joins the cycle but is not part of it. */
static void only_cycle_edges_are_red(void)
{
	struct snapshot *s = fixture_alpc_deadlock();
	struct process *gamma = add_process(s, 0xffffa00000003000ULL, 0x300, "gamma.exe");
	struct thread *waiter = add_thread(s, 0xffffa00000003304ULL, gamma, 0x304);
	add_alpc_wait(s, waiter, 0xffffb00000000003ULL, 0x0d00, snapshot_find_port(s, 0xffffc00000002000ULL),
		      snapshot_find_thread(s, 0xffffa00000002204ULL));
	struct graph_case c = render(s, false, 0);
	CU_ASSERT_EQUAL(agnnodes(c.parsed), 5);
	/* port → server thread is one edge although two waits use it */
	CU_ASSERT_EQUAL(agnedges(c.parsed), 5);
	CU_ASSERT_EQUAL(count_clusters(c.parsed), 3);
	CU_ASSERT_EQUAL(count_edges_where(c.parsed, "color", "red"), 4);
	CU_ASSERT_EQUAL(count_edges_where(c.parsed, "penwidth", "2"), 4);
	CU_ASSERT_EQUAL(count_edges_where(c.parsed, "style", "bold"), 5);
	Agedge_t *joins = edge_between(c.parsed, "thread-ffffa00000003304", "port-ffffc00000002000");
	CU_ASSERT_PTR_NOT_NULL_FATAL(joins);
	CU_ASSERT_STRING_EQUAL(attribute(joins, "color"), "black");
	CU_ASSERT_STRING_EQUAL(attribute(joins, "label"), "msg 0xd00");
	Agedge_t *shared = edge_between(c.parsed, "port-ffffc00000002000", "thread-ffffa00000002204");
	CU_ASSERT_PTR_NOT_NULL_FATAL(shared);
	CU_ASSERT_STRING_EQUAL(attribute(shared, "color"), "red");
	release(&c);
}

static void weak_wait_is_dashed(void)
{
	struct snapshot *s = fixture_alpc_deadlock();
	struct analysis *analysis = analyze(s);
	CU_ASSERT_EQUAL_FATAL(analysis->waits.count, 2);
	struct wait *first = analysis->waits.items[0];
	CU_ASSERT_PTR_EQUAL_FATAL(first->client, snapshot_find_thread(s, 0xffffa00000001104ULL));
	/* Weak as the correlator marks a doubtful RPC row; the renderer only
	 * reads the flag. */
	first->weak = true;
	first->weak_reason = "a test says so";
	struct graph_view *view = graph_view_build(analysis, NULL);
	char *dot = NULL;
	size_t length = 0;
	FILE *out = open_memstream(&dot, &length);
	CU_ASSERT_PTR_NULL(render_dot(out, analysis, view));
	fclose(out);
	Agraph_t *g = agmemread(dot);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	CU_ASSERT_EQUAL(count_edges_where(g, "style", "bold,dashed"), 2);
	CU_ASSERT_EQUAL(count_edges_where(g, "style", "bold"), 2);
	Agedge_t *weak = edge_between(g, "thread-ffffa00000001104", "port-ffffc00000002000");
	CU_ASSERT_PTR_NOT_NULL_FATAL(weak);
	CU_ASSERT_STRING_EQUAL(attribute(weak, "style"), "bold,dashed");
	CU_ASSERT_PTR_NOT_NULL(strstr(attribute(weak, "tooltip"), "\\nweak: a test says so"));
	agclose(g);
	free(dot);
	graph_view_free(view);
	analysis_free(analysis);
	snapshot_free(s);
}

/* An LRPC server call that names its caller but no servicing thread, with
 * CALLID 0: a weak RPC wait that ends at a stand-in for the server. */
static void rpc_wait_without_server_thread_ends_at_process(void)
{
	struct snapshot *s = snapshot_new("rpc.txt", "transcript");
	struct process *client = add_process(s, 0xffffa00000007000ULL, 0x300, "client.exe");
	add_process(s, 0xffffa00000008000ULL, 0x400, "server.exe");
	struct thread *caller = add_thread(s, 0xffffa00000007304ULL, client, 0x304);
	caller->wait_reason = "UserRequest";
	struct rpc_server_call *call =
		snapshot_rpc_server_call(s, known_u64(0x400), known_u64(0x00000001), origin_line(9));
	call->status = known_u64(1);
	call->procedure = known_u64(5);
	call->party = RPC_PARTY_CALLER;
	call->caller_pid = known_u64(0x300);
	call->caller_tid = known_u64(0x304);
	call->call_id = known_u64(0);
	struct graph_case c = render(s, false, 0);
	CU_ASSERT_EQUAL(agnnodes(c.parsed), 2);
	CU_ASSERT_EQUAL(agnedges(c.parsed), 1);
	Agraph_t *server = cluster_named(c.parsed, "cluster_process-ffffa00000008000");
	CU_ASSERT_PTR_NOT_NULL_FATAL(server);
	Agnode_t *stand_in = node_named(server, "process-ffffa00000008000");
	CU_ASSERT_PTR_NOT_NULL_FATAL(stand_in);
	CU_ASSERT_STRING_EQUAL(attribute(stand_in, "label"), "no thread known");
	CU_ASSERT_STRING_EQUAL(attribute(stand_in, "URL"), "#process-ffffa00000008000");
	Agedge_t *call_edge = edge_between(c.parsed, "thread-ffffa00000007304", "process-ffffa00000008000");
	CU_ASSERT_PTR_NOT_NULL_FATAL(call_edge);
	CU_ASSERT_STRING_EQUAL(attribute(call_edge, "style"), "bold,dashed");
	CU_ASSERT_STRING_EQUAL(attribute(call_edge, "label"), "rpc proc 0x5");
	CU_ASSERT_STRING_EQUAL(attribute(call_edge, "color"), "black");
	release(&c);
}

/* ---- hostile names -------------------------------------------------------- */

static void hostile_labels_read_back_as_written(void)
{
	struct graph_case c = render(fixture_hostile_names(), false, 0);
	/* Two threads and two ports: a quote in a name made no node "x". */
	CU_ASSERT_EQUAL(agnnodes(c.parsed), 4);
	CU_ASSERT_PTR_NULL(node_named(c.parsed, "x"));
	CU_ASSERT_EQUAL(count_clusters(c.parsed), 2);
	for (size_t i = 0; i < c.snapshot->processes.count; i++) {
		const struct process *p = c.snapshot->processes.items[i];
		char name[96], *expected = graphviz_text(p->image), label[256];
		report_anchor_process(p, name, sizeof name);
		char cluster[112];
		snprintf(cluster, sizeof cluster, "cluster_%s", name);
		snprintf(label, sizeof label, "%s (0x%x)", expected, (unsigned)p->pid.value);
		Agraph_t *sub = cluster_named(c.parsed, cluster);
		CU_ASSERT_PTR_NOT_NULL_FATAL(sub);
		CU_ASSERT_STRING_EQUAL(attribute(sub, "label"), label);
		free(expected);
	}
	CU_ASSERT_EQUAL(c.snapshot->ports.count, 2);
	for (size_t i = 0; i < c.snapshot->ports.count; i++) {
		const struct port *port = c.snapshot->ports.items[i];
		char name[96], *expected = graphviz_text(port->name);
		report_anchor_port(port, name, sizeof name);
		Agnode_t *n = node_named(c.parsed, name);
		CU_ASSERT_PTR_NOT_NULL_FATAL(n);
		CU_ASSERT_STRING_EQUAL(attribute(n, "label"), expected);
		/* The tooltip starts with the name, escaped the same way. */
		CU_ASSERT_EQUAL(strncmp(attribute(n, "tooltip"), expected, strlen(expected)), 0);
		free(expected);
	}
	release(&c);
}

struct svg_findings {
	size_t elements;
	size_t scripts;         /* elements named script */
	size_t foreign;         /* img or b: markup from a name */
	size_t event_handlers;  /* attributes named on… */
	const char *wanted[4];  /* texts that must appear whole in a <text> */
	bool found[4];
	const char *wanted_title; /* must start some xlink:title */
	bool found_title;
};

static void inspect_svg_node(xmlNode *node, struct svg_findings *f)
{
	for (; node; node = node->next) {
		if (node->type != XML_ELEMENT_NODE)
			continue;
		f->elements++;
		const char *name = (const char *)node->name;
		f->scripts += strcasecmp(name, "script") == 0;
		f->foreign += strcasecmp(name, "img") == 0 || strcasecmp(name, "b") == 0;
		for (xmlAttr *a = node->properties; a; a = a->next) {
			f->event_handlers += strncasecmp((const char *)a->name, "on", 2) == 0;
			if (strcmp((const char *)a->name, "title") == 0 && f->wanted_title) {
				xmlChar *value = xmlNodeGetContent((xmlNode *)a);
				if (value && strncmp((const char *)value, f->wanted_title,
						     strlen(f->wanted_title)) == 0)
					f->found_title = true;
				xmlFree(value);
			}
		}
		if (strcmp(name, "text") == 0) {
			xmlChar *content = xmlNodeGetContent(node);
			for (size_t i = 0; i < 4 && f->wanted[i]; i++)
				if (content && strcmp((const char *)content, f->wanted[i]) == 0)
					f->found[i] = true;
			xmlFree(content);
		}
		inspect_svg_node(node->children, f);
	}
}

/* Graphviz would read "\N" as the node's name, "\n" and "\l" as line
 * breaks and "&lt;" as "<"; a name in angle brackets must not turn into
 * an HTML-like label when the DOT is read again. */
static void names_that_look_like_markup_stay_literal(void)
{
	static const char escapes[] = "\\N\\n\\lsass\\G&lt;&#39;\\";
	static const char html[] = "<B>bold</B>";
	struct snapshot *s = snapshot_new("markup.txt", "transcript");
	add_deadlock(s, 0xffffa10000000000ULL, 0x100, "a.exe", "b.exe");
	struct port *a = snapshot_find_port(s, 0xffffa10000001800ULL);
	struct port *b = snapshot_find_port(s, 0xffffa10000002800ULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	a->name = snapshot_text(s, escapes, strlen(escapes));
	b->name = snapshot_text(s, html, strlen(html));
	struct graph_case c = render(s, false, 0);
	Agnode_t *na = node_named(c.parsed, "port-ffffa10000001800");
	Agnode_t *nb = node_named(c.parsed, "port-ffffa10000002800");
	CU_ASSERT_PTR_NOT_NULL_FATAL(na);
	CU_ASSERT_PTR_NOT_NULL_FATAL(nb);
	CU_ASSERT_STRING_EQUAL(attribute(na, "label"), "\\\\N\\\\n\\\\lsass\\\\G&amp;lt;&amp;#39;\\\\");
	CU_ASSERT_STRING_EQUAL(attribute(nb, "label"), html);
	CU_ASSERT_FALSE(aghtmlstr(agget(nb, "label")));

	size_t length = 0;
	char *svg = svg_of(&c, &length);
	xmlDoc *doc = xmlReadMemory(svg, (int)length, "graph.svg", NULL, XML_PARSE_NONET);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	struct svg_findings f = { .wanted = { escapes, html } };
	inspect_svg_node(xmlDocGetRootElement(doc), &f);
	CU_ASSERT_TRUE(f.found[0]);
	CU_ASSERT_TRUE(f.found[1]);
	CU_ASSERT_EQUAL(f.foreign, 0);
	xmlFreeDoc(doc);
	free(svg);
	release(&c);
}

static void write_failure_is_an_error(void)
{
	struct snapshot *s = fixture_alpc_deadlock();
	struct analysis *analysis = analyze(s);
	struct graph_view *view = graph_view_build(analysis, NULL);
	FILE *read_only = fopen("/dev/null", "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(read_only);
	struct error *error = render_dot(read_only, analysis, view);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_EQUAL(error->code, ERROR_IO);
	CU_ASSERT_STRING_EQUAL(error->message, "cannot write the DOT graph");
	error_free(error);
	fclose(read_only);
	graph_view_free(view);
	analysis_free(analysis);
	snapshot_free(s);
}

static void hostile_names_are_only_text_in_svg(void)
{
	struct graph_case c = render(fixture_hostile_names(), false, 0);
	size_t length = 0;
	char *svg = svg_of(&c, &length);
	/* Raw bytes: every '<' of a name was escaped. */
	CU_ASSERT_PTR_NULL(strstr(svg, "<img"));
	CU_ASSERT_PTR_NULL(strstr(svg, "<script"));
	CU_ASSERT_PTR_NULL(strstr(svg, "<b>"));
	xmlDoc *doc = xmlReadMemory(svg, (int)length, "graph.svg", NULL, XML_PARSE_NONET);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	const struct port *evil = snapshot_find_port(c.snapshot, 0xe1000000);
	const struct port *amp = snapshot_find_port(c.snapshot, 0xe2000000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(evil);
	CU_ASSERT_PTR_NOT_NULL_FATAL(amp);
	struct svg_findings f = {
		.wanted = { evil->name, amp->name, "<img src=x onerror=alert(1)> (0x10)" },
		.wanted_title = evil->name,
	};
	inspect_svg_node(xmlDocGetRootElement(doc), &f);
	CU_ASSERT_STRING_EQUAL((const char *)xmlDocGetRootElement(doc)->name, "svg");
	CU_ASSERT(f.elements > 10);
	CU_ASSERT_EQUAL(f.scripts, 0);
	CU_ASSERT_EQUAL(f.foreign, 0);
	CU_ASSERT_EQUAL(f.event_handlers, 0);
	/* …and each name reads back whole, exactly as the input had it. */
	CU_ASSERT_TRUE(f.found[0]);
	CU_ASSERT_TRUE(f.found[1]);
	CU_ASSERT_TRUE(f.found[2]);
	CU_ASSERT_TRUE(f.found_title);
	xmlFreeDoc(doc);
	free(svg);
	release(&c);
}

/* ---- the budget ------------------------------------------------------------- */

static const char ring_sentence[] =
	"The graph shows 49 of 600 objects: 551 objects and 276 waits were left out to keep "
	"the layout fast (node budget 50, --max-nodes raises it), and 1 cycle is drawn only in "
	"part.";

/* 300 threads in one cycle, 50 nodes: the cycle is walked from its first
 * member while whole waits fit — 24 waits, 25 threads, 24 ports. */
static void ring_beyond_budget_is_drawn_in_part(void)
{
	struct graph_case c = render(fixture_alpc_ring(300), false, 50);
	CU_ASSERT_EQUAL(graph_view_node_count(c.view), 49);
	CU_ASSERT_EQUAL(graph_view_omitted_nodes(c.view), 551);
	CU_ASSERT_EQUAL(graph_view_omitted_waits(c.view), 276);
	assert_sentence(graph_view_omission_text(c.view), ring_sentence);
	CU_ASSERT_EQUAL(agnnodes(c.parsed), 49);
	CU_ASSERT_EQUAL(agnedges(c.parsed), 48);
	CU_ASSERT_EQUAL(count_edges_where(c.parsed, "color", "red"), 48);
	CU_ASSERT_STRING_EQUAL(attribute(c.parsed, "label"), ring_sentence);
	/* Never half a wait: every port drawn has its client and its server. */
	size_t ports = 0, threads = 0;
	for (Agnode_t *n = agfstnode(c.parsed); n; n = agnxtnode(c.parsed, n)) {
		if (strncmp(agnameof(n), "port-", 5) == 0) {
			ports++;
			CU_ASSERT_EQUAL(agdegree(c.parsed, n, 1, 0), 1);
			CU_ASSERT_EQUAL(agdegree(c.parsed, n, 0, 1), 1);
		} else {
			threads++;
		}
	}
	CU_ASSERT_EQUAL(ports, 24);
	CU_ASSERT_EQUAL(threads, 25);
	release(&c);
}

/* Two deadlocks and room for one: the second is left out whole, and the
 * sentence says so. */
static void cycle_that_does_not_fit_is_left_out_whole(void)
{
	struct snapshot *s = snapshot_new("two.txt", "transcript");
	add_deadlock(s, 0xffffa10000000000ULL, 0x100, "a.exe", "b.exe");
	add_deadlock(s, 0xffffa20000000000ULL, 0x500, "c.exe", "d.exe");
	struct graph_case c = render(s, false, 4);
	CU_ASSERT_EQUAL(agnnodes(c.parsed), 4);
	assert_sentence(
		graph_view_omission_text(c.view),
		"The graph shows 4 of 8 objects: 4 objects and 2 waits were left out to keep the "
		"layout fast (node budget 4, --max-nodes raises it), and 1 cycle is not drawn.");
	CU_ASSERT_PTR_NOT_NULL(node_named(c.parsed, "thread-ffffa10000001100"));
	CU_ASSERT_PTR_NULL(node_named(c.parsed, "thread-ffffa20000001100"));
	release(&c);

	/* With room for nothing, the graph is empty but still a graph. */
	s = snapshot_new("two.txt", "transcript");
	add_deadlock(s, 0xffffa10000000000ULL, 0x100, "a.exe", "b.exe");
	c = render(s, false, 2);
	CU_ASSERT_EQUAL(agnnodes(c.parsed), 0);
	assert_sentence(
		graph_view_omission_text(c.view),
		"The graph shows 0 of 4 objects: 4 objects and 2 waits were left out to keep the "
		"layout fast (node budget 2, --max-nodes raises it), and 1 cycle is not drawn.");
	release(&c);
}

/* Cycles come before other waits even when those come first in the input. */
static void cycles_are_chosen_before_other_waits(void)
{
	struct snapshot *s = snapshot_new("order.txt", "transcript");
	struct process *early = add_process(s, 0xffffa30000001000ULL, 0x900, "early.exe");
	struct process *late = add_process(s, 0xffffa30000002000ULL, 0xa00, "late.exe");
	struct thread *asker = add_thread(s, 0xffffa30000001904ULL, early, 0x904);
	struct thread *worker = add_thread(s, 0xffffa30000002a04ULL, late, 0xa04);
	worker->wait_reason = "UserRequest";
	struct port *port = add_port(s, 0xffffc30000002000ULL, "EarlyPort", late);
	add_alpc_wait(s, asker, 0xffffb30000000001ULL, 7, port, worker);
	add_deadlock(s, 0xffffa10000000000ULL, 0x100, "a.exe", "b.exe");
	struct graph_case c = render(s, false, 4);
	CU_ASSERT_EQUAL(agnnodes(c.parsed), 4);
	CU_ASSERT_EQUAL(count_edges_where(c.parsed, "color", "red"), 4);
	CU_ASSERT_PTR_NULL(node_named(c.parsed, "thread-ffffa30000001904"));
	assert_sentence(
		graph_view_omission_text(c.view),
		"The graph shows 4 of 7 objects: 3 objects and 1 wait were left out to keep the "
		"layout fast (node budget 4, --max-nodes raises it).");
	release(&c);
}

/* A short chain that comes first in the input and a longer one after it,
 * with room for the longer one only: chains are taken longest first. */
static void longest_chain_is_chosen_first(void)
{
	struct snapshot *s = snapshot_new("chains.txt", "transcript");
	struct process *asker_process = add_process(s, 0xffffa40000001000ULL, 0x700, "short.exe");
	struct process *idle_process = add_process(s, 0xffffa40000002000ULL, 0x800, "idle.exe");
	struct thread *asker = add_thread(s, 0xffffa40000001704ULL, asker_process, 0x704);
	struct thread *idle = add_thread(s, 0xffffa40000002804ULL, idle_process, 0x804);
	idle->wait_reason = "UserRequest";
	add_alpc_wait(s, asker, 0xffffb40000000001ULL, 1,
		      add_port(s, 0xffffc40000002000ULL, "IdlePort", idle_process), idle);
	struct thread *links[4];
	struct port *ports[4];
	for (unsigned i = 0; i < 4; i++) {
		char image[16], port[16];
		snprintf(image, sizeof image, "long%u.exe", i);
		snprintf(port, sizeof port, "Long%u", i);
		struct process *p = add_process(s, 0xffffa50000000000ULL + 0x1000 * i, 0x900 + 0x10 * i, image);
		links[i] = add_thread(s, 0xffffa50000000100ULL + 0x1000 * i, p, 0x904 + 0x10 * i);
		ports[i] = add_port(s, 0xffffc50000000000ULL + 0x1000 * i, port, p);
	}
	links[3]->wait_reason = "UserRequest";
	for (unsigned i = 0; i < 3; i++)
		add_alpc_wait(s, links[i], 0xffffb50000000000ULL + i, 0x10 + i, ports[i + 1], links[i + 1]);
	struct graph_case c = render(s, false, 7);
	CU_ASSERT_EQUAL(agnnodes(c.parsed), 7);
	CU_ASSERT_EQUAL(agnedges(c.parsed), 6);
	CU_ASSERT_PTR_NULL(node_named(c.parsed, "thread-ffffa40000001704"));
	CU_ASSERT_PTR_NOT_NULL(node_named(c.parsed, "thread-ffffa50000003100"));
	assert_sentence(graph_view_omission_text(c.view),
			"The graph shows 7 of 10 objects: 3 objects and 1 wait were left out to keep "
			"the layout fast (node budget 7, --max-nodes raises it).");
	release(&c);
}

/* A chain of 4 threads: 3 waits, 7 nodes, nothing red; its root blocker
 * (the thread in a critical section) is filled.  With 5 nodes the chain is
 * drawn from its head for two waits. */
static void chain_is_drawn_from_its_head(void)
{
	struct graph_case c = render(fixture_chain_to_critical_section(4), false, 0);
	CU_ASSERT_EQUAL(agnnodes(c.parsed), 7);
	CU_ASSERT_EQUAL(agnedges(c.parsed), 6);
	CU_ASSERT_EQUAL(count_clusters(c.parsed), 4);
	CU_ASSERT_EQUAL(count_edges_where(c.parsed, "color", "red"), 0);
	CU_ASSERT_EQUAL(count_edges_where(c.parsed, "style", "bold"), 6);
	Agnode_t *root = node_named(c.parsed, "thread-ffffa30000103000");
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	CU_ASSERT_STRING_EQUAL(attribute(root, "style"), "rounded,filled");
	CU_ASSERT_PTR_NOT_NULL(strstr(attribute(root, "tooltip"),
				      "root blocker: blocked on a critical section"));
	Agnode_t *head = node_named(c.parsed, "thread-ffffa30000100000");
	CU_ASSERT_PTR_NOT_NULL_FATAL(head);
	CU_ASSERT_STRING_EQUAL(attribute(head, "style"), "rounded");
	release(&c);

	c = render(fixture_chain_to_critical_section(4), false, 5);
	CU_ASSERT_EQUAL(agnnodes(c.parsed), 5);
	CU_ASSERT_PTR_NOT_NULL(node_named(c.parsed, "thread-ffffa30000100000"));
	CU_ASSERT_PTR_NOT_NULL(node_named(c.parsed, "thread-ffffa30000102000"));
	CU_ASSERT_PTR_NULL(node_named(c.parsed, "thread-ffffa30000103000"));
	assert_sentence(
		graph_view_omission_text(c.view),
		"The graph shows 5 of 7 objects: 2 objects and 1 wait were left out to keep the "
		"layout fast (node budget 5, --max-nodes raises it).");
	release(&c);
}

/* ---- --all and the empty graph ------------------------------------------------ */

static void quiet_system_is_empty_by_default(void)
{
	struct graph_case c = render(fixture_quiet_system(), false, 0);
	CU_ASSERT_EQUAL(graph_view_node_count(c.view), 0);
	CU_ASSERT_PTR_NULL(graph_view_omission_text(c.view));
	CU_ASSERT_EQUAL(agnnodes(c.parsed), 0);
	CU_ASSERT_EQUAL(count_clusters(c.parsed), 0);
	size_t length = 0;
	char *svg = svg_of(&c, &length);
	xmlDoc *doc = xmlReadMemory(svg, (int)length, "graph.svg", NULL, XML_PARSE_NONET);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	CU_ASSERT_STRING_EQUAL((const char *)xmlDocGetRootElement(doc)->name, "svg");
	xmlFreeDoc(doc);
	free(svg);
	release(&c);
}

static void quiet_system_with_all_shows_everything(void)
{
	struct graph_case c = render(fixture_quiet_system(), true, 0);
	/* smss.exe's idle thread and its port, and System, which owns
	 * nothing here, as a stand-in. */
	CU_ASSERT_EQUAL(agnnodes(c.parsed), 3);
	CU_ASSERT_EQUAL(agnedges(c.parsed), 0);
	CU_ASSERT_EQUAL(count_clusters(c.parsed), 2);
	Agraph_t *smss = cluster_named(c.parsed, "cluster_process-ffffa00000006000");
	Agraph_t *system = cluster_named(c.parsed, "cluster_process-ffffa00000005000");
	CU_ASSERT_PTR_NOT_NULL_FATAL(smss);
	CU_ASSERT_PTR_NOT_NULL_FATAL(system);
	CU_ASSERT_STRING_EQUAL(attribute(smss, "label"), "smss.exe (0x1d8)");
	CU_ASSERT_STRING_EQUAL(attribute(system, "label"), "System (0x4)");
	Agnode_t *thread = node_named(smss, "thread-ffffa00000006100");
	Agnode_t *port = node_named(smss, "port-ffffc48d8895de20");
	CU_ASSERT_PTR_NOT_NULL_FATAL(thread);
	CU_ASSERT_PTR_NOT_NULL_FATAL(port);
	CU_ASSERT_STRING_EQUAL(attribute(thread, "label"), "01d8.0208\\nWrAlpcReceive");
	CU_ASSERT_STRING_EQUAL(attribute(port, "label"), "SmApiPort");
	CU_ASSERT_PTR_NOT_NULL(node_named(system, "process-ffffa00000005000"));
	CU_ASSERT_PTR_NULL(graph_view_omission_text(c.view));
	release(&c);

	c = render(fixture_quiet_system(), true, 2);
	CU_ASSERT_EQUAL(agnnodes(c.parsed), 2);
	assert_sentence(
		graph_view_omission_text(c.view),
		"The graph shows 2 of 3 objects: 1 object was left out to keep the layout fast "
		"(node budget 2, --max-nodes raises it).");
	release(&c);
}

/* ---- determinism ---------------------------------------------------------------- */

/* Disturbs the heap between two renders, so that the names cgraph pools
 * land at other addresses; with cgraph's default id discipline that alone
 * reorders the clusters (render_dot.c). */
static void shuffle_heap(unsigned seed)
{
	void *blocks[256];
	for (unsigned i = 0; i < 256; i++)
		blocks[i] = malloc(16 + ((i * 7919u + seed) % 13) * 8);
	for (unsigned i = 0; i < 256; i += 1 + seed % 3)
		free(blocks[i]), blocks[i] = NULL;
	for (unsigned i = 0; i < 256; i++)
		free(blocks[i]);
}

static void same_input_gives_identical_output(void)
{
	struct graph_case first = render(fixture_alpc_ring(40), false, 0);
	size_t first_length = 0;
	char *first_svg = svg_of(&first, &first_length);
	shuffle_heap(1);
	struct graph_case second = render(fixture_alpc_ring(40), false, 0);
	size_t second_length = 0;
	char *second_svg = svg_of(&second, &second_length);
	CU_ASSERT_STRING_EQUAL(first.dot, second.dot);
	CU_ASSERT_EQUAL(first_length, second_length);
	CU_ASSERT_STRING_EQUAL(first_svg, second_svg);
	free(first_svg);
	free(second_svg);
	release(&first);
	release(&second);
}

/* Clusters are written in the order they were made, whatever the heap.
 * cgraph's default id discipline would order them by the address of each
 * pooled name: the names shrink from one to the next so that ASan's
 * allocator (one region per size class, larger classes higher) places
 * each below the one before, and the freed holes do the same for glibc's
 * malloc. */
static void clusters_keep_creation_order(void)
{
	char names[4][320];
	static const size_t lengths[] = { 300, 120, 40, 1 };
	for (unsigned i = 0; i < 4; i++) {
		memset(names[i], 'a' + (int)i, lengths[i]);
		names[i][lengths[i]] = '\0';
		memcpy(names[i], "cluster_", 8);
	}
	Agraph_t *g = wait_graph_open("order");
	for (unsigned i = 0; i < 4; i++) {
		void *holes[64];
		for (unsigned h = 0; h < 64; h++)
			holes[h] = malloc(24 + (h % 8) * 8 + lengths[i]);
		Agraph_t *sub = agsubg(g, names[i], 1);
		agnode(sub, names[i] + 7, 1);
		for (unsigned h = 0; h < 64; h++)
			free(holes[h]);
	}
	unsigned seen = 0;
	for (Agraph_t *sub = agfstsubg(g); sub; sub = agnxtsubg(sub), seen++)
		CU_ASSERT_STRING_EQUAL(agnameof(sub), names[seen < 4 ? seen : 0]);
	CU_ASSERT_EQUAL(seen, 4);
	/* and names still resolve */
	CU_ASSERT_PTR_NOT_NULL(agsubg(g, names[2], 0));
	CU_ASSERT_PTR_NOT_NULL(agnode(g, names[3] + 7, 0));
	CU_ASSERT_PTR_NULL(agnode(g, "e", 0));
	agclose(g);
}

/* ---- SVG links ------------------------------------------------------------------- */

static bool has_link(xmlNode *node, const char *href)
{
	for (; node; node = node->next) {
		if (node->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)node->name, "a") == 0) {
			xmlChar *value = xmlGetNsProp(node, (const xmlChar *)"href",
						      (const xmlChar *)"http://www.w3.org/1999/xlink");
			bool match = value && strcmp((const char *)value, href) == 0;
			xmlFree(value);
			if (match)
				return true;
		}
		if (has_link(node->children, href))
			return true;
	}
	return false;
}

static void svg_nodes_link_to_table_rows(void)
{
	struct graph_case c = render(fixture_alpc_deadlock(), false, 0);
	size_t length = 0;
	char *svg = svg_of(&c, &length);
	xmlDoc *doc = xmlReadMemory(svg, (int)length, "graph.svg", NULL, XML_PARSE_NONET);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	xmlNode *root = xmlDocGetRootElement(doc);
	CU_ASSERT_TRUE(has_link(root, "#thread-ffffa00000001104"));
	CU_ASSERT_TRUE(has_link(root, "#port-ffffc00000002000"));
	CU_ASSERT_TRUE(has_link(root, "#process-ffffa00000002000"));
	CU_ASSERT_FALSE(has_link(root, "#thread-ffffa00000009999"));
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "id=\"graph&#45;thread&#45;ffffa00000001104\""));
	xmlFreeDoc(doc);
	free(svg);
	release(&c);
}

int main(void)
{
	static const struct test_case dot_cases[] = {
		{ "deadlock is two clusters of two nodes", deadlock_is_two_clusters_of_two_nodes },
		{ "only cycle edges are red", only_cycle_edges_are_red },
		{ "weak wait is dashed", weak_wait_is_dashed },
		{ "RPC wait without server thread ends at process",
		  rpc_wait_without_server_thread_ends_at_process },
		{ "hostile labels read back as written", hostile_labels_read_back_as_written },
		{ NULL, NULL },
	};
	static const struct test_case budget_cases[] = {
		{ "ring beyond budget is drawn in part", ring_beyond_budget_is_drawn_in_part },
		{ "cycle that does not fit is left out whole", cycle_that_does_not_fit_is_left_out_whole },
		{ "cycles are chosen before other waits", cycles_are_chosen_before_other_waits },
		{ "longest chain is chosen first", longest_chain_is_chosen_first },
		{ "chain is drawn from its head", chain_is_drawn_from_its_head },
		{ "quiet system is empty by default", quiet_system_is_empty_by_default },
		{ "quiet system with --all shows everything", quiet_system_with_all_shows_everything },
		{ NULL, NULL },
	};
	static const struct test_case output_cases[] = {
		{ "hostile names are only text in SVG", hostile_names_are_only_text_in_svg },
		{ "names that look like markup stay literal", names_that_look_like_markup_stay_literal },
		{ "SVG nodes link to table rows", svg_nodes_link_to_table_rows },
		{ "write failure is an error", write_failure_is_an_error },
		{ "same input gives identical output", same_input_gives_identical_output },
		{ "clusters keep creation order", clusters_keep_creation_order },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = {
		{ "dot", dot_cases },
		{ "budget", budget_cases },
		{ "svg and determinism", output_cases },
	};
	int status = run_suites("test_render_graph", suites, 3);
	xmlCleanupParser();
	return status;
}
