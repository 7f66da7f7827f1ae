/* libFuzzer target for the transcript parser and everything downstream of
 * it that runs without Graphviz: the scanner, the correlator, the graph
 * view, and the text and JSON renderers.  Any input must give snapshots
 * (possibly with status error) without a crash, a leak or undefined
 * behaviour. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../reports/reports.h"
#include "../../src/transcript/transcript.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ptr_vec captures = { 0 };
	struct transcript_options options = { 0 };
	transcript_read_memory("fuzz.txt", (const char *)data, size, &options, &captures);
	FILE *sink = fopen("/dev/null", "w");
	for (size_t i = 0; i < captures.count; i++) {
		struct analysis *analysis = analyze(captures.items[i]);
		struct render_options render = { .max_nodes = 64 };
		struct graph_view *view = graph_view_build(analysis, &render);
		graph_view_omission_text(view);
		graph_view_free(view);
		if (sink) {
			struct error *error = render_text(sink, analysis, &render);
			error_free(error);
			error = render_json(sink, &analysis, 1);
			error_free(error);
		}
		struct snapshot *snapshot = analysis->snapshot;
		analysis_free(analysis);
		snapshot_free(snapshot);
	}
	if (sink)
		fclose(sink);
	ptr_vec_release(&captures);
	return 0;
}
