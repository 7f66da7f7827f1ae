/* alpcgraph graph PATH [--format dot|svg] [-o FILE] [--capture N] */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "load_all.h"
#include "output_file.h"

int command_graph(const struct cli_options *options)
{
	const char *format = options->format ? options->format : "dot";
	if (strcmp(format, "dot") != 0 && strcmp(format, "svg") != 0) {
		fprintf(stderr, "alpcgraph: graph: --format must be dot or svg, not '%s'\n", format);
		return EXIT_USAGE;
	}
	if (options->path_count != 1 && !options->same_machine) {
		fprintf(stderr, "alpcgraph: graph takes one PATH (or --same-machine)\n");
		return EXIT_USAGE;
	}
	struct ptr_vec analyses = { 0 };
	load_all(options, &analyses);
	if (options->capture > analyses.count) {
		fprintf(stderr, "alpcgraph: the input has %zu capture%s; there is no capture %u\n",
			analyses.count, analyses.count == 1 ? "" : "s", options->capture);
		free_analyses(&analyses);
		return EXIT_USAGE;
	}
	if (analyses.count > 1)
		progress(options, "the input has %zu captures; graphing capture %u (see --capture)",
			 analyses.count, options->capture);
	const struct analysis *analysis = analyses.items[options->capture - 1];
	struct render_options render = { .all = options->all, .max_nodes = options->max_nodes };
	struct graph_view *view = graph_view_build(analysis, &render);
	const char *omitted = graph_view_omission_text(view);
	if (omitted)
		progress(options, "%s", omitted);
	int status = exit_status_of(&analyses);
	FILE *out = open_output(options->output);
	struct error *error = NULL;
	if (!out) {
		status = EXIT_BAD_INPUT;
	} else if (strcmp(format, "dot") == 0) {
		error = render_dot(out, analysis, view);
	} else {
		char *svg = NULL;
		size_t length = 0;
		error = render_svg(analysis, view, &svg, &length);
		if (!error)
			fwrite(svg, 1, length, out);
		free(svg);
	}
	status = finish_output(out, options->output, error, status);
	graph_view_free(view);
	free_analyses(&analyses);
	return status;
}
