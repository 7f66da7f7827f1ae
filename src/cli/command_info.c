/* alpcgraph info DUMP... [--format text|json] [--input-format raw] */

#include "cli.h"
#include "output_file.h"

static struct error *info_json(FILE *out, struct analysis *const *analyses, size_t count,
			       const void *context)
{
	(void)context;
	return render_json(out, analyses, count);
}

static struct error *info_text(FILE *out, const struct analysis *analysis, const void *context)
{
	(void)context;
	return render_info_text(out, analysis->snapshot);
}

int command_info(const struct cli_options *options)
{
	bool json;
	if (!listing_format("info", options, &json))
		return EXIT_USAGE;
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
	struct listing listing = { info_json, info_text, NULL };
	return write_listing(options, json, &listing, &analyses);
}
