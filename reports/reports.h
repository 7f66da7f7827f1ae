/* reports — the renderers: text, JSON, DOT, SVG, one HTML page per
 * capture, and the folder index.  They read a snapshot and its analysis
 * and nothing else; every string that came from an input is escaped for
 * the format it is written into.  Graph layout is bounded by a node budget
 * (dot's cost explodes on big graphs, ../shared/docs/deps.md §4) and what
 * was left out is said in the output. */
#ifndef ALPCGRAPH_REPORTS_H
#define ALPCGRAPH_REPORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../src/correlate/correlate.h"

enum { GRAPH_DEFAULT_MAX_NODES = 400 };

struct render_options {
	bool all;             /* graph every object, not only the wait subgraph */
	size_t max_nodes;     /* layout budget; 0 means GRAPH_DEFAULT_MAX_NODES */
	const char *templates_dir; /* NULL: reports_templates_dir() */
};

/* ---- text (WinDbg-like) and JSON (docs/json.md, format_version 1) ----- */

struct error *render_text(FILE *out, const struct analysis *analysis,
			  const struct render_options *options);
/* Only the cycles, as the `cycles` command prints them. */
struct error *render_cycles_text(FILE *out, const struct analysis *analysis);
/* `alpcgraph info`: a memory image's identity (snapshot.system). */
struct error *render_info_text(FILE *out, const struct snapshot *snapshot);
/* One JSON document: { "format_version": 1, "inputs": [ one per analysis ] } */
struct error *render_json(FILE *out, struct analysis *const *analyses, size_t count);

/* ---- `alpcgraph alpc`: WinDbg's !alpc over a whole capture ------------ */

/* The one query a command asks of every input: --port (/p), --message
 * (/m), --process (/lpp), --connections (/lpc) or --waiters (every thread
 * waiting for an ALPC or LPC reply).  A message is matched by address or
 * by id, a process by EPROCESS address or by pid: the CLI fills whichever
 * readings its argument allows. */
enum alpc_query_kind {
	ALPC_QUERY_PORT,
	ALPC_QUERY_MESSAGE,
	ALPC_QUERY_PROCESS,
	ALPC_QUERY_CONNECTIONS,
	ALPC_QUERY_WAITERS,
};

struct alpc_query {
	enum alpc_query_kind kind;
	maybe_u64 address;    /* port, message or EPROCESS */
	maybe_u64 number;     /* message id or pid */
	const char *argument; /* as the user wrote it, or NULL (--waiters) */
};

const char *alpc_query_kind_name(enum alpc_query_kind kind); /* "port", … */
/* The answer for one capture, laid out as `!alpc` prints it, under a
 * heading naming the input; "not in this input" when nothing matches. */
struct error *render_alpc_text(FILE *out, const struct analysis *analysis,
			       const struct alpc_query *query);
/* { "format_version": 1, "generator", "query", "inputs": [ answers ] }
 * (docs/json.md, "alpc queries"). */
struct error *render_alpc_json(FILE *out, struct analysis *const *analyses, size_t count,
			       const struct alpc_query *query);

/* ---- `alpcgraph lpc`: WinDbg's !lpc (XP/2003) over a whole capture ----- */

/* The one query a command asks of every input, as `!lpc` takes it:
 * port [A] (every LPC port as `!lpc port` lists them, or port A's block),
 * message [ID] (the threads waiting for or working on message ID and the
 * ports whose rundown queues hold the waiters; none or 0: every message),
 * scan A (port A and every port connected to it) and thread [A] (the ports
 * whose rundown queues hold thread A; none: every thread doing LPC). */
enum lpc_query_kind {
	LPC_QUERY_PORT,
	LPC_QUERY_MESSAGE,
	LPC_QUERY_SCAN,
	LPC_QUERY_THREAD,
};

struct lpc_query {
	enum lpc_query_kind kind;
	maybe_u64 address;    /* port (port, scan) or ETHREAD (thread); unknown: every one */
	maybe_u64 message_id; /* message; unknown or 0: every message */
	const char *argument; /* as the user wrote it, or NULL */
};

const char *lpc_query_kind_name(enum lpc_query_kind kind); /* "port", … */
/* The answer for one capture, laid out as `!lpc` prints it, under a
 * heading naming the input; nothing found is said in a line. */
struct error *render_lpc_text(FILE *out, const struct analysis *analysis,
			      const struct lpc_query *query);
/* { "format_version": 1, "generator", "query", "inputs": [ answers ] }
 * (docs/json.md, "lpc queries"). */
struct error *render_lpc_json(FILE *out, struct analysis *const *analyses, size_t count,
			      const struct lpc_query *query);

/* ---- graphs ------------------------------------------------------------- */

/* The objects a graph shows, chosen within the node budget: cycles first,
 * then the longest chains, then the remaining waits (and with --all every
 * other object).  The counts of what did not fit are kept for the text
 * that says so. */
struct graph_view;
struct graph_view *graph_view_build(const struct analysis *analysis,
				    const struct render_options *options);
void graph_view_free(struct graph_view *view);
size_t graph_view_node_count(const struct graph_view *view);
size_t graph_view_omitted_nodes(const struct graph_view *view);
size_t graph_view_omitted_waits(const struct graph_view *view);
/* A sentence for the report, e.g. "The graph shows 400 of 5,210 objects:
 * 12 waits were left out (budget 400 nodes; use --max-nodes).", or NULL
 * when nothing was left out. */
const char *graph_view_omission_text(const struct graph_view *view);

/* DOT through libcgraph: a cluster per process, ports and threads as
 * nodes, wait edges bold, cycle edges red.  Anchors: every node's id and
 * URL attribute is the HTML anchor of its object (report_anchor_*). */
struct error *render_dot(FILE *out, const struct analysis *analysis,
			 const struct graph_view *view);
/* SVG through libgvc (dot layout).  *svg is malloc'd, NUL-terminated. */
struct error *render_svg(const struct analysis *analysis, const struct graph_view *view,
			 char **svg, size_t *length);

/* ---- HTML --------------------------------------------------------------- */

/* Anchor ids shared by the HTML tables and the graph's links. */
void report_anchor_thread(const struct thread *thread, char *buffer, size_t size);
void report_anchor_process(const struct process *process, char *buffer, size_t size);
void report_anchor_port(const struct port *port, char *buffer, size_t size);
void report_anchor_message(const struct message *message, char *buffer, size_t size);

/* Where templates/ lives: $ALPCGRAPH_TEMPLATES, else the installed
 * $(pkgdatadir)/templates, else the source tree's. */
const char *reports_templates_dir(void);

struct page_files {
	const char *index_href; /* "index.html", or NULL when there is no index */
	const char *json_href;
	const char *dot_href;
	const char *svg_href;
};

/* One self-contained page (inline CSS and SVG, nothing from the network).
 * svg may be NULL, with svg_missing_reason saying why. */
struct error *render_html_page(const char *path, const struct analysis *analysis,
			       const struct graph_view *view, const char *svg,
			       const char *svg_missing_reason, const struct page_files *files,
			       const struct render_options *options);

/* What the folder index needs of one page, small enough to pass from a
 * worker process to its parent. */
struct page_cycle {
	bool definite;
	char *kind;          /* "thread" or "process" */
	char *signature;
	char *signature_id;
	char *members;       /* "alpha.exe 100.104 -> beta.exe 200.204" */
};

struct page_summary {
	char *input_path;
	unsigned capture_index, capture_count;
	char *page_href;     /* relative to the index */
	char *status;        /* "ok", "partial", "error" */
	char *first_problem; /* the first error or warning, or NULL */
	size_t processes, threads, ports, messages, waits, rpc_calls;
	size_t warnings, errors;
	size_t longest_chain;
	char *longest_chain_root; /* "blocked on a critical section in gamma.exe 300.30c" */
	struct page_cycle *cycles;
	size_t cycle_count;
};

struct page_summary *page_summary_from_analysis(const struct analysis *analysis,
						const char *page_href);
void page_summary_free(struct page_summary *summary);
/* A line-based encoding, so a worker can hand its summary to the parent
 * through a pipe. */
struct error *page_summary_write(FILE *out, const struct page_summary *summary);
/* Returns NULL at a clean end of input; *error is set on a malformed one. */
struct page_summary *page_summary_read(FILE *in, struct error **error);

/* index.html: every page with its status and counts, and the cycles
 * grouped by signature, so one hang seen in 40 dumps is one row. */
struct error *render_index(const char *path, struct page_summary *const *summaries,
			   size_t count, const struct render_options *options);

#endif
