/* alpcgraph scan PATH... [--format text|json] [-o FILE] */

#include "cli.h"
#include "load_all.h"
#include "output_file.h"

static struct error *scan_json(FILE *out, struct analysis *const *analyses, size_t count,
			       const void *context)
{
	(void)context;
	return render_json(out, analyses, count);
}

static struct error *scan_text(FILE *out, const struct analysis *analysis, const void *context)
{
	return render_text(out, analysis, context);
}

int command_scan(const struct cli_options *options)
{
	bool json;
	if (!listing_format("scan", options, &json))
		return EXIT_USAGE;
	struct ptr_vec analyses = { 0 };
	load_all(options, &analyses);
	struct render_options render = { .all = options->all, .max_nodes = options->max_nodes };
	struct listing listing = { scan_json, scan_text, &render };
	return write_listing(options, json, &listing, &analyses);
}
