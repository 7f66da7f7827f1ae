/* alpcgraph scan PATH... [--format text|json] [-o FILE] */
#include <string.h>

#include "cli.h"
#include "load_all.h"
#include "output_file.h"

int command_scan(const struct cli_options *options)
{
	const char *format = options->format ? options->format : "text";
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		fprintf(stderr, "alpcgraph: scan: --format must be text or json, not '%s'\n", format);
		return EXIT_USAGE;
	}
	struct ptr_vec analyses = { 0 };
	load_all(options, &analyses);
	FILE *out = open_output(options->output);
	if (!out) {
		free_analyses(&analyses);
		return EXIT_BAD_INPUT;
	}
	struct render_options render = { .all = options->all, .max_nodes = options->max_nodes };
	struct error *error = NULL;
	if (strcmp(format, "json") == 0)
		error = render_json(out, (struct analysis *const *)analyses.items, analyses.count);
	else
		for (size_t i = 0; i < analyses.count && !error; i++) {
			if (i)
				fputc('\n', out);
			error = render_text(out, analyses.items[i], &render);
		}
	int status = finish_output(out, options->output, error, exit_status_of(&analyses));
	free_analyses(&analyses);
	return status;
}
