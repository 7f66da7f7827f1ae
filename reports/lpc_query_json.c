/* `alpcgraph lpc --format json`: the query and, per input, what answers
 * it, in the key order of docs/json.md ("lpc queries").  Ports, messages
 * and threads are written by the JSON report's own record writers
 * (json_records.c), so an object reads the same in both documents. */
#include "lpc_query_internal.h"
#include "render_json_internal.h"

static void write_query(struct json_writer *w, const struct lpc_query *query)
{
	json_write_key(w, "query");
	json_write_begin_object(w);
	key_string(w, "kind", lpc_query_kind_name(query->kind));
	key_string(w, "argument", query->argument);
	json_write_end_object(w);
}

static void write_threads(struct json_writer *w, const char *key, const struct snapshot *snapshot,
			  const struct ptr_vec *threads)
{
	json_write_key(w, key);
	json_write_begin_array(w);
	for (size_t i = 0; i < threads->count; i++)
		write_thread(w, snapshot, threads->items[i]);
	json_write_end_array(w);
}

static void write_answer(struct json_writer *w, const struct analysis *analysis,
			 const struct lpc_query *query)
{
	const struct snapshot *snapshot = analysis->snapshot;
	struct lpc_answer a;
	lpc_answer_find(&a, analysis, query);
	json_write_begin_object(w);
	write_input_header(w, snapshot);
	key_bool(w, "found", a.found);
	key_uint(w, "objects_scanned", snapshot->system.lpc_objects_scanned);
	write_records(w, "ports", snapshot, &a.ports, write_port);
	json_write_key(w, "rundown_ports");
	json_write_begin_array(w);
	for (size_t i = 0; i < a.rundown_ports.count; i++)
		write_address(w, a.rundown_ports.items[i]);
	json_write_end_array(w);
	write_records(w, "messages", snapshot, &a.messages, write_message);
	write_threads(w, "client_threads", snapshot, &a.client_threads);
	write_threads(w, "server_threads", snapshot, &a.server_threads);
	json_write_end_object(w);
	lpc_answer_release(&a);
}

struct error *render_lpc_json(FILE *out, struct analysis *const *analyses, size_t count,
			      const struct lpc_query *query)
{
	struct json_writer writer;
	json_writer_init(&writer, out);
	json_write_begin_object(&writer);
	key_uint(&writer, "format_version", known_u64(1));
	key_string(&writer, "generator", "alpcgraph " PACKAGE_VERSION);
	write_query(&writer, query);
	json_write_key(&writer, "inputs");
	json_write_begin_array(&writer);
	for (size_t i = 0; i < count; i++)
		write_answer(&writer, analyses[i], query);
	json_write_end_array(&writer);
	json_write_end_object(&writer);
	return json_writer_finish(&writer);
}
