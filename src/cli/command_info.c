/* alpcgraph info DUMP... [--format text|json] [--input-format raw] */
#include <string.h>

#include "cli.h"
#include "output_file.h"

int command_info(const struct cli_options *options)
{
	const char *format = options->format ? options->format : "text";
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		fprintf(stderr, "alpcgraph: info: --format must be text or json, not '%s'\n", format);
		return EXIT_USAGE;
	}
	struct ptr_vec files = { 0 }, snapshots = { 0 }, analyses = { 0 };
	expand_inputs(options->paths, options->path_count, &files);
	struct dump_read_options dump = {
		.format = options->raw_input ? DUMP_FORCE_RAW : DUMP_DETECT,
		.reading = READ_IDENTITY,
		.profile_path = options->profile_path,
	};
	for (size_t i = 0; i < files.count; i++)
		ipc_read_dump(files.items[i], &dump, &snapshots);
	free_inputs(&files);
	analyze_all(&snapshots, &analyses);
	report_problems(&analyses);
	FILE *out = open_output(options->output);
	if (!out) {
		free_analyses(&analyses);
		return EXIT_BAD_INPUT;
	}
	struct error *error = NULL;
	if (strcmp(format, "json") == 0)
		error = render_json(out, (struct analysis *const *)analyses.items, analyses.count);
	else
		for (size_t i = 0; i < analyses.count && !error; i++) {
			const struct analysis *analysis = analyses.items[i];
			if (i)
				fputc('\n', out);
			error = render_info_text(out, analysis->snapshot);
		}
	int status = finish_output(out, options->output, error, exit_status_of(&analyses));
	free_analyses(&analyses);
	return status;
}
