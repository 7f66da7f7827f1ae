/* libFuzzer target for `alpcgraph lpc`: a transcript read from the input,
 * then every `!lpc` query asked of each capture, text and JSON, with the
 * addresses and ids the capture itself holds (its first ports, threads
 * and message ids, so the answers are not all "not found") and ones it
 * does not.  Whatever the snapshot holds — ports connected to themselves
 * or in rings, a thread whose current port is its own connected port,
 * queues listing absent messages — every answer must come back bounded,
 * without a crash, a leak or undefined behaviour. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../reports/reports.h"
#include "../../src/transcript/transcript.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { ASKED_PER_KIND = 4 };

static void ask(FILE *sink, struct analysis *analysis, enum lpc_query_kind kind,
		maybe_u64 address, maybe_u64 id)
{
	struct lpc_query query = { kind, address, id, "fuzz" };
	error_free(render_lpc_text(sink, analysis, &query));
	error_free(render_lpc_json(sink, &analysis, 1, &query));
}

static void ask_everything(FILE *sink, struct analysis *analysis)
{
	const struct snapshot *s = analysis->snapshot;
	ask(sink, analysis, LPC_QUERY_PORT, UNKNOWN_U64, UNKNOWN_U64);
	ask(sink, analysis, LPC_QUERY_MESSAGE, UNKNOWN_U64, UNKNOWN_U64);
	ask(sink, analysis, LPC_QUERY_THREAD, UNKNOWN_U64, UNKNOWN_U64);
	ask(sink, analysis, LPC_QUERY_SCAN, known_u64(0), UNKNOWN_U64);
	for (size_t i = 0; i < s->ports.count && i < ASKED_PER_KIND; i++) {
		const struct port *port = s->ports.items[i];
		ask(sink, analysis, LPC_QUERY_PORT, port->address, UNKNOWN_U64);
		ask(sink, analysis, LPC_QUERY_SCAN, port->address, UNKNOWN_U64);
	}
	for (size_t i = 0; i < s->threads.count && i < ASKED_PER_KIND; i++) {
		const struct thread *thread = s->threads.items[i];
		ask(sink, analysis, LPC_QUERY_THREAD, thread->address, UNKNOWN_U64);
		ask(sink, analysis, LPC_QUERY_MESSAGE, UNKNOWN_U64, thread->lpc_wait_message_id);
		ask(sink, analysis, LPC_QUERY_MESSAGE, UNKNOWN_U64, thread->lpc_serving_message_id);
	}
	for (size_t i = 0; i < s->messages.count && i < ASKED_PER_KIND; i++) {
		const struct message *m = s->messages.items[i];
		ask(sink, analysis, LPC_QUERY_MESSAGE, UNKNOWN_U64, m->id);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ptr_vec captures = { 0 };
	struct transcript_options options = { 0 };
	transcript_read_memory("fuzz.txt", (const char *)data, size, &options, &captures);
	FILE *sink = fopen("/dev/null", "w");
	for (size_t i = 0; i < captures.count; i++) {
		struct analysis *analysis = analyze(captures.items[i]);
		if (sink)
			ask_everything(sink, analysis);
		struct snapshot *snapshot = analysis->snapshot;
		analysis_free(analysis);
		snapshot_free(snapshot);
	}
	if (sink)
		fclose(sink);
	ptr_vec_release(&captures);
	return 0;
}
