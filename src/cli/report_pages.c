/* The files `report` writes for one input: per capture a JSON document,
 * the graph as DOT and SVG, and a self-contained HTML page. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report_pages.h"
#include "output_file.h"

void name_item(struct report_item *item, size_t number, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	char safe[96];
	size_t length = 0;
	for (; *base && length + 1 < sizeof safe; base++) {
		char c = *base;
		bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			     c == '.' || c == '-' || c == '_';
		safe[length++] = plain ? c : '_';
	}
	safe[length] = '\0';
	if (!length || safe[0] == '.')
		snprintf(safe, sizeof safe, "input");
	snprintf(item->page_base, sizeof item->page_base, "%02zu-%s", number, safe);
}

static char *joined(const char *folder, const char *name)
{
	size_t length = strlen(folder) + strlen(name) + 2;
	char *path = checked_malloc(length);
	snprintf(path, length, "%s/%s", folder, name);
	return path;
}

/* Renders into folder/name; false (with a message) on failure. */
static bool write_file(const char *folder, const char *name,
		       struct error *(*render)(FILE *, const void *, const void *), const void *a,
		       const void *b)
{
	char *path = joined(folder, name);
	FILE *out = open_output(path);
	bool ok = out != NULL;
	if (out) {
		struct error *error = render(out, a, b);
		if (error) {
			fprintf(stderr, "alpcgraph: %s: %s\n", path, error->message);
			error_free(error);
			ok = false;
		}
		ok = close_output(out, path) && ok;
	}
	free(path);
	return ok;
}

static struct error *json_of(FILE *out, const void *analysis, const void *unused)
{
	(void)unused;
	struct analysis *one = (struct analysis *)analysis;
	return render_json(out, &one, 1);
}

static struct error *dot_of(FILE *out, const void *analysis, const void *view)
{
	return render_dot(out, analysis, view);
}

static struct error *svg_text_of(FILE *out, const void *svg, const void *length)
{
	fwrite(svg, 1, *(const size_t *)length, out);
	return NULL;
}

static int write_capture(const struct analysis *analysis, const char *base, const char *folder,
			 const struct cli_options *options, FILE *summaries)
{
	int status = analysis->snapshot->status == STATUS_OK ? 0 : EXIT_BAD_INPUT;
	struct render_options render = { .all = options->all, .max_nodes = options->max_nodes,
					 .templates_dir = options->templates };
	char json[200], dot[200], svg_name[200], html[200];
	snprintf(json, sizeof json, "%s.json", base);
	snprintf(dot, sizeof dot, "%s.dot", base);
	snprintf(svg_name, sizeof svg_name, "%s.svg", base);
	snprintf(html, sizeof html, "%s.html", base);

	struct graph_view *view = graph_view_build(analysis, &render);
	if (!write_file(folder, json, json_of, analysis, NULL))
		status = EXIT_BAD_INPUT;
	bool have_dot = write_file(folder, dot, dot_of, analysis, view);
	if (!have_dot)
		status = EXIT_BAD_INPUT;
	char *svg = NULL;
	size_t svg_length = 0;
	const char *svg_missing = NULL;
	struct error *error = NULL;
	if (options->no_svg)
		svg_missing = "The graph was not laid out (--no-svg); the DOT file beside this page has it.";
	else
		error = render_svg(analysis, view, &svg, &svg_length);
	if (error) {
		svg_missing = arena_printf(&analysis->snapshot->arena, "The graph could not be laid out: %s",
					   error->message);
		fprintf(stderr, "alpcgraph: %s\n", svg_missing);
		error_free(error);
		status = EXIT_BAD_INPUT;
	} else if (svg && !write_file(folder, svg_name, svg_text_of, svg, &svg_length)) {
		status = EXIT_BAD_INPUT;
	}
	struct page_files files = { .index_href = "index.html", .json_href = json,
				    .dot_href = have_dot ? dot : NULL,
				    .svg_href = svg ? svg_name : NULL };
	char *page = joined(folder, html);
	error = render_html_page(page, analysis, view, svg, svg_missing, &files, &render);
	if (error) {
		fprintf(stderr, "alpcgraph: %s\n", error->message);
		error_free(error);
		status = EXIT_BAD_INPUT;
	}
	free(page);
	free(svg);
	graph_view_free(view);
	struct page_summary *summary = page_summary_from_analysis(analysis, html);
	error = page_summary_write(summaries, summary);
	if (error) {
		fprintf(stderr, "alpcgraph: %s\n", error->message);
		error_free(error);
		status = EXIT_BAD_INPUT;
	}
	page_summary_free(summary);
	return status;
}

int write_item_pages(const struct report_item *item, const char *folder,
		     const struct cli_options *options, FILE *summaries)
{
	struct ptr_vec snapshots = { 0 }, analyses = { 0 };
	if (options->same_machine) {
		struct ptr_vec files = { (void **)item->files, item->file_count, item->file_count };
		ptr_vec_push(&snapshots, load_as_one_machine(&files, options));
	} else {
		load_input(item->files[0], options, &snapshots);
	}
	analyze_all(&snapshots, &analyses);
	report_problems(&analyses);
	int status = 0;
	for (size_t i = 0; i < analyses.count; i++) {
		char base[160];
		if (analyses.count > 1)
			snprintf(base, sizeof base, "%s-%zu", item->page_base, i + 1);
		else
			snprintf(base, sizeof base, "%s", item->page_base);
		int capture_status = write_capture(analyses.items[i], base, folder, options, summaries);
		if (capture_status)
			status = capture_status;
	}
	free_analyses(&analyses);
	return status;
}
