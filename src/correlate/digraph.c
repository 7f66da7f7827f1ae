#include <stdlib.h>
#include <string.h>

#include "../base/base.h"
#include "digraph.h"

static int by_source_then_label(const void *a, const void *b)
{
	const struct digraph_edge *x = a, *y = b;
	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	if (x->label != y->label)
		return x->label < y->label ? -1 : 1;
	return x->to < y->to ? -1 : x->to > y->to;
}

void digraph_build(struct digraph *graph, uint32_t node_count, const struct digraph_edge *edges,
		   uint32_t edge_count)
{
	graph->node_count = node_count;
	graph->edge_count = edge_count;
	graph->edges = checked_malloc((size_t)edge_count * sizeof *graph->edges + 1);
	memcpy(graph->edges, edges, (size_t)edge_count * sizeof *edges);
	qsort(graph->edges, edge_count, sizeof *graph->edges, by_source_then_label);
	graph->first = checked_calloc((size_t)node_count + 1, sizeof *graph->first);
	for (uint32_t e = 0; e < edge_count; e++)
		graph->first[graph->edges[e].from + 1]++;
	for (uint32_t v = 0; v < node_count; v++)
		graph->first[v + 1] += graph->first[v];
}

void digraph_release(struct digraph *graph)
{
	free(graph->first);
	free(graph->edges);
	memset(graph, 0, sizeof *graph);
}

enum { UNVISITED = UINT32_MAX };

uint32_t digraph_components(const struct digraph *graph, uint32_t *component)
{
	uint32_t n = graph->node_count;
	uint32_t *index = checked_malloc((size_t)n * sizeof *index + 1);
	uint32_t *lowlink = checked_malloc((size_t)n * sizeof *lowlink + 1);
	uint32_t *next_edge = checked_malloc((size_t)n * sizeof *next_edge + 1);
	uint32_t *stack = checked_malloc((size_t)n * sizeof *stack + 1);
	uint32_t *call = checked_malloc((size_t)n * sizeof *call + 1);
	unsigned char *on_stack = checked_calloc((size_t)n + 1, 1);
	for (uint32_t v = 0; v < n; v++)
		index[v] = UNVISITED;
	uint32_t counter = 0, stack_top = 0, components = 0;

	for (uint32_t root = 0; root < n; root++) {
		if (index[root] != UNVISITED)
			continue;
		uint32_t depth = 0;
		call[depth++] = root;
		index[root] = lowlink[root] = counter++;
		next_edge[root] = graph->first[root];
		stack[stack_top++] = root;
		on_stack[root] = 1;
		while (depth) {
			uint32_t v = call[depth - 1];
			if (next_edge[v] < graph->first[v + 1]) {
				uint32_t w = graph->edges[next_edge[v]++].to;
				if (index[w] == UNVISITED) {
					index[w] = lowlink[w] = counter++;
					next_edge[w] = graph->first[w];
					stack[stack_top++] = w;
					on_stack[w] = 1;
					call[depth++] = w;
				} else if (on_stack[w] && index[w] < lowlink[v]) {
					lowlink[v] = index[w];
				}
				continue;
			}
			/* v is finished: close its component if it is a root,
			 * then hand its lowlink back to the caller. */
			if (lowlink[v] == index[v]) {
				uint32_t w;
				do {
					w = stack[--stack_top];
					on_stack[w] = 0;
					component[w] = components;
				} while (w != v);
				components++;
			}
			depth--;
			if (depth) {
				uint32_t parent = call[depth - 1];
				if (lowlink[v] < lowlink[parent])
					lowlink[parent] = lowlink[v];
			}
		}
	}
	free(index);
	free(lowlink);
	free(next_edge);
	free(stack);
	free(call);
	free(on_stack);
	return components;
}

uint32_t digraph_shortest_cycle(const struct digraph *graph, const uint32_t *component,
				uint32_t start, uint32_t *path)
{
	uint32_t n = graph->node_count;
	/* Breadth-first from start over edges inside its component; the first
	 * edge that returns to start closes the shortest cycle. */
	uint32_t *via_edge = checked_malloc((size_t)n * sizeof *via_edge + 1);
	uint32_t *queue = checked_malloc((size_t)n * sizeof *queue + 1);
	for (uint32_t v = 0; v < n; v++)
		via_edge[v] = UNVISITED;
	uint32_t head = 0, tail = 0, closing = UNVISITED;
	queue[tail++] = start;
	while (head < tail && closing == UNVISITED) {
		uint32_t v = queue[head++];
		for (uint32_t e = graph->first[v]; e < graph->first[v + 1]; e++) {
			uint32_t w = graph->edges[e].to;
			if (component[w] != component[start])
				continue;
			if (w == start) {
				closing = e;
				break;
			}
			if (via_edge[w] == UNVISITED) {
				via_edge[w] = e;
				queue[tail++] = w;
			}
		}
	}
	uint32_t length = 0;
	if (closing != UNVISITED) {
		/* Walk back from the closing edge to start, then reverse. */
		uint32_t e = closing;
		for (;;) {
			path[length++] = e;
			uint32_t from = graph->edges[e].from;
			if (from == start)
				break;
			e = via_edge[from];
		}
		for (uint32_t i = 0; i < length / 2; i++) {
			uint32_t t = path[i];
			path[i] = path[length - 1 - i];
			path[length - 1 - i] = t;
		}
	}
	free(via_edge);
	free(queue);
	return length;
}
