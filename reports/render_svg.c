/* The wait graph as SVG: the same graph render_dot writes, laid out by
 * Graphviz's dot engine (it honours clusters; sfdp ignores them, deps.md
 * §4) and rendered by libgvc's SVG renderer, which escapes text and
 * attribute values itself.
 *
 * libgvc is not thread-safe, and this file keeps one libgvc context per
 * process (see process_context); the CLI renders from one thread per
 * process.
 * dot leaks about 200 KB per layout of a clustered graph (deps.md §4), so
 * a long-running caller should render in a child process. */
#include <stdlib.h>
#include <string.h>

/* gvc.h pulls in Graphviz's types.h, which defines a struct port of its
 * own that clashes with the snapshot's.  Graphviz's is renamed for this
 * file only; nothing here uses it. */
#define port graphviz_port
#include <graphviz/gvc.h>
#undef port

#include "graph_view_internal.h"

static struct error *lay_out_and_render(GVC_t *context, Agraph_t *graph, char **svg,
					size_t *length)
{
	/* gvLayout returns -1 (and prints to stderr) when the dot plugin is
	 * missing or the layout fails. */
	if (gvLayout(context, graph, "dot") != 0)
		return error_new(ERROR_UNSUPPORTED,
				 "Graphviz could not lay out the wait graph with dot "
				 "(is the Graphviz dot plugin installed?)");
	char *data = NULL;
	unsigned int size = 0;
	struct error *error = NULL;
	if (gvRenderData(context, graph, "svg", &data, &size) != 0 || !data) {
		error = error_new(ERROR_UNSUPPORTED,
				  "Graphviz could not render the wait graph as SVG "
				  "(is the Graphviz core plugin installed?)");
	} else {
		*svg = checked_malloc((size_t)size + 1);
		memcpy(*svg, data, size);
		(*svg)[size] = '\0';
		*length = size;
	}
	if (data)
		gvFreeRenderData(data);
	gvFreeLayout(context, graph);
	return error;
}

/* One context for the whole process, never freed.  Graphviz 2.42's pango
 * text-layout plugin remembers the last font name it measured as a bare
 * pointer into the context's font dictionary; after gvFreeContext, the
 * first label laid out in a new context is compared against freed memory
 * (ASan: heap-use-after-free under pango_textlayout on the second
 * gvContext of a process, reproduced with a 20-line program).  A context
 * that lives as long as the process keeps those names alive. */
static GVC_t *process_context(void)
{
	static GVC_t *context;
	if (!context)
		context = gvContext();
	return context;
}

struct error *render_svg(const struct analysis *analysis, const struct graph_view *view,
			 char **svg, size_t *length)
{
	*svg = NULL;
	*length = 0;
	GVC_t *context = process_context();
	if (!context)
		return error_new(ERROR_NO_MEMORY, "Graphviz could not start (gvContext failed)");
	Agraph_t *graph = wait_graph_build(analysis, view);
	struct error *error = lay_out_and_render(context, graph, svg, length);
	agclose(graph);
	return error;
}
