/* libFuzzer target for `--from-json`: the saved-report reader (src/saved)
 * over any bytes, then what report does with its snapshots without
 * Graphviz — correlate them again, build the graph view, render text and
 * JSON.  Any input must give snapshots (status error for a document that
 * is not ours) without a crash, a leak, a hang or undefined behaviour;
 * the records it makes are type-checked but may still describe an
 * impossible machine, which is what the correlator must survive. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../../reports/reports.h"
#include "../../src/saved/saved.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ptr_vec snapshots = { 0 };
	saved_read_memory("fuzz.json", (const char *)data, size, &snapshots);
	FILE *sink = fopen("/dev/null", "w");
	for (size_t i = 0; i < snapshots.count; i++) {
		struct analysis *analysis = analyze(snapshots.items[i]);
		struct render_options render = { .max_nodes = 64 };
		struct graph_view *view = graph_view_build(analysis, &render);
		graph_view_omission_text(view);
		graph_view_free(view);
		if (sink) {
			error_free(render_text(sink, analysis, &render));
			error_free(render_json(sink, &analysis, 1));
		}
		struct snapshot *snapshot = analysis->snapshot;
		analysis_free(analysis);
		snapshot_free(snapshot);
	}
	if (sink)
		fclose(sink);
	ptr_vec_release(&snapshots);
	return 0;
}
