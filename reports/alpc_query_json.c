/* `alpcgraph alpc --format json`: the query and, per input, what answers
 * it, in the key order of docs/json.md ("alpc queries").  Ports, messages,
 * processes and waits are written by the JSON report's own record writers
 * (json_records.c, json_analysis.c), so an object reads the same in both
 * documents; connection lines are the one record of their own. */
#include "alpc_query_internal.h"
#include "render_json_internal.h"

static void write_query(struct json_writer *w, const struct alpc_query *query)
{
	json_write_key(w, "query");
	json_write_begin_object(w);
	key_string(w, "kind", alpc_query_kind_name(query->kind));
	key_string(w, "argument", query->argument);
	json_write_end_object(w);
}

static void key_process_name(struct json_writer *w, const char *key,
			     const struct snapshot *snapshot, maybe_u64 address)
{
	const struct process *process = address.known && address.value
						? snapshot_find_process(snapshot, address.value)
						: NULL;
	key_string(w, key, process ? process->image : NULL);
}

static void write_link(struct json_writer *w, const struct snapshot *snapshot,
		       const struct alpc_link *link)
{
	json_write_begin_object(w);
	key_address(w, "connection_port", link->connection_port);
	key_string(w, "connection_port_name", alpc_port_name(snapshot, link->connection_port));
	key_address(w, "server_port", link->server_port);
	key_uint(w, "server_queued", link->server_queued);
	key_address(w, "server_process", link->server_process);
	key_process_name(w, "server_name", snapshot, link->server_process);
	key_address(w, "client_port", link->client_port);
	key_uint(w, "client_queued", link->client_queued);
	key_address(w, "client_process", link->client_process);
	key_process_name(w, "client_name", snapshot, link->client_process);
	json_write_end_object(w);
}

static void write_links(struct json_writer *w, const char *key, const struct snapshot *snapshot,
			const struct alpc_links *links)
{
	json_write_key(w, key);
	json_write_begin_array(w);
	for (size_t i = 0; links && i < links->count; i++)
		write_link(w, snapshot, &links->items[i]);
	json_write_end_array(w);
}

static void write_answer_ports(struct json_writer *w, const struct alpc_answer *a)
{
	json_write_key(w, "ports");
	json_write_begin_array(w);
	if (a->port)
		write_port(w, a->snapshot, a->port);
	for (size_t i = 0; i < a->created_count; i++)
		write_port(w, a->snapshot, a->created[i].port);
	json_write_end_array(w);
}

static void write_created_ports(struct json_writer *w, const struct alpc_answer *a)
{
	json_write_key(w, "created_ports");
	json_write_begin_array(w);
	for (size_t i = 0; i < a->created_count; i++) {
		const struct alpc_created_port *created = &a->created[i];
		json_write_begin_object(w);
		key_address(w, "address", created->port->address);
		key_string(w, "name", alpc_port_name(a->snapshot, created->port->address));
		key_uint(w, "queued", alpc_port_queued(created->port));
		write_links(w, "connections", a->snapshot, &created->links);
		json_write_end_object(w);
	}
	json_write_end_array(w);
}

static void write_answer(struct json_writer *w, const struct analysis *analysis,
			 const struct alpc_query *query)
{
	const struct snapshot *snapshot = analysis->snapshot;
	struct alpc_answer a;
	alpc_answer_find(&a, analysis, query);
	json_write_begin_object(w);
	write_input_header(w, snapshot);
	key_bool(w, "found", a.found);
	write_answer_ports(w, &a);
	write_records(w, "messages", snapshot, &a.messages, write_message);
	json_write_key(w, "processes");
	json_write_begin_array(w);
	if (a.process)
		write_process(w, snapshot, a.process);
	json_write_end_array(w);
	key_address(w, "process_address",
		    query->kind == ALPC_QUERY_PROCESS ? a.process_address : UNKNOWN_U64);
	write_created_ports(w, &a);
	write_links(w, "connected_to", snapshot, &a.connected_to);
	write_links(w, "connections", snapshot, &a.links);
	write_records(w, "waiters", snapshot, &a.waits, write_wait);
	json_write_end_object(w);
	alpc_answer_release(&a);
}

struct error *render_alpc_json(FILE *out, struct analysis *const *analyses, size_t count,
			       const struct alpc_query *query)
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
