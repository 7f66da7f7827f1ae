/* A directed graph over nodes 0..n-1 in compressed adjacency form, and
 * Tarjan's strongly connected components over it — iterative, because a
 * chain through 50,000 threads would overflow the stack if recursive. */
#ifndef ALPCGRAPH_DIGRAPH_H
#define ALPCGRAPH_DIGRAPH_H

#include <stddef.h>
#include <stdint.h>

struct digraph_edge {
	uint32_t from, to;
	uint32_t label; /* the caller's edge id (a wait index) */
};

struct digraph {
	uint32_t node_count;
	uint32_t *first;             /* node_count + 1 offsets into edges */
	struct digraph_edge *edges;  /* sorted by from, then label */
	uint32_t edge_count;
};

/* Takes an unordered edge list (copied). */
void digraph_build(struct digraph *graph, uint32_t node_count,
		   const struct digraph_edge *edges, uint32_t edge_count);
void digraph_release(struct digraph *graph);

/* component[v] = id of v's strongly connected component; returns the
 * number of components.  Ids are assigned in reverse topological order. */
uint32_t digraph_components(const struct digraph *graph, uint32_t *component);

/* The shortest cycle through start that stays inside start's component,
 * as edge indices into graph->edges (start's outgoing edge first).
 * Returns its length, 0 when there is none; path must hold node_count. */
uint32_t digraph_shortest_cycle(const struct digraph *graph, const uint32_t *component,
				uint32_t start, uint32_t *path);

#endif
