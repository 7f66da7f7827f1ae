/* Private to the graph renderers (graph_view.c, render_dot.c,
 * render_svg.c): what a graph_view holds, and the cgraph graph that both
 * the DOT and the SVG output are written from. */
#ifndef ALPCGRAPH_GRAPH_VIEW_INTERNAL_H
#define ALPCGRAPH_GRAPH_VIEW_INTERNAL_H

#include <graphviz/cgraph.h>

#include "reports.h"

/* A node of the drawing.  Threads and ports are nodes; a process is a
 * cluster, and becomes a node of its own ("stand-in") only where a wait
 * ends at a process with no known thread (an RPC caller named only by its
 * process, a call with no servicing thread, a wait on a process object)
 * or, with --all, where a process has neither threads nor ports. */
enum view_node_kind { VIEW_NODE_NONE = 0, VIEW_NODE_THREAD, VIEW_NODE_PORT, VIEW_NODE_PROCESS };

struct view_node {
	enum view_node_kind kind;
	union {
		void *object;
		struct thread *thread;
		struct port *port;
		struct process *process;
	};
};

/* The nodes one wait is drawn with: client → port → server.  Any may be
 * VIEW_NODE_NONE.  When a port is known and no server thread is, the wait
 * ends at the port: the port's cluster already names the owner. */
struct wait_ends {
	struct view_node client, port, server;
};

void wait_ends_of(const struct wait *wait, struct wait_ends *ends);

/* The process owning a port, or NULL when it is not in the capture. */
struct process *port_owner(const struct snapshot *snapshot, const struct port *port);
/* The cluster a node is drawn in, or NULL when its process is unknown. */
struct process *view_node_process(const struct snapshot *snapshot, const struct view_node *node);

/* Nodes 0 .. graph_view_node_count() - 1, in the order they were chosen. */
const struct view_node *graph_view_node(const struct graph_view *view, size_t index);
/* Index of the node for object, or -1 when it is not drawn. */
long graph_view_node_index(const struct graph_view *view, const void *object);

/* The waits drawn, in the order they were chosen. */
size_t graph_view_wait_count(const struct graph_view *view);
struct wait *graph_view_wait(const struct graph_view *view, size_t index);
/* The cycle a wait belongs to (definite cycles win), or NULL. */
const struct cycle *graph_view_cycle_of(const struct graph_view *view, const struct wait *wait);

/* A root graph whose objects get ids in the order they are made, so that
 * agwrite and dot visit clusters in that order (render_dot.c says why). */
Agraph_t *wait_graph_open(char *name);

/* The graph both renderers write: clusters, nodes and edges with all their
 * attributes.  The caller closes it with agclose(). */
Agraph_t *wait_graph_build(const struct analysis *analysis, const struct graph_view *view);

#endif
