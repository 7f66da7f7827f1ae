/* alpcgraph cycles PATH...: exit status 3 when a definite deadlock is found. */
#include "cli.h"
#include "load_all.h"
#include "output_file.h"

int command_cycles(const struct cli_options *options)
{
	struct ptr_vec analyses = { 0 };
	load_all(options, &analyses);
	FILE *out = open_output(options->output);
	if (!out) {
		free_analyses(&analyses);
		return EXIT_BAD_INPUT;
	}
	size_t definite = 0;
	struct error *error = NULL;
	for (size_t i = 0; i < analyses.count && !error; i++) {
		const struct analysis *analysis = analyses.items[i];
		const struct snapshot *snapshot = analysis->snapshot;
		definite += analysis_count_definite(analysis);
		/* With several inputs, say whose cycles follow. */
		if (analyses.count > 1) {
			fprintf(out, "%s%s", i ? "\n" : "", snapshot->path);
			if (snapshot->capture_count > 1)
				fprintf(out, " (capture %u of %u)", snapshot->capture_index,
					snapshot->capture_count);
			fputs(":\n", out);
		}
		error = render_cycles_text(out, analysis);
	}
	int status = finish_output(out, options->output, error, exit_status_of(&analyses));
	free_analyses(&analyses);
	return definite ? EXIT_DEADLOCK : status;
}
