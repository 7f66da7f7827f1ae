/* Reading every input of a command at once (scan, cycles): the common
 * front of the commands that print to one stream. */
#include "cli.h"
#include "load_all.h"

void load_all(const struct cli_options *options, struct ptr_vec *analyses)
{
	struct ptr_vec files = { 0 }, snapshots = { 0 };
	expand_command_inputs(options, &files);
	if (options->same_machine)
		ptr_vec_push(&snapshots, load_as_one_machine(&files, options));
	else
		for (size_t i = 0; i < files.count; i++)
			load_input(files.items[i], options, &snapshots);
	free_inputs(&files);
	analyze_all(&snapshots, analyses);
	report_problems(analyses);
}
