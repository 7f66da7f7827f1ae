/* src/saved: alpcgraph's JSON report read back (--from-json).  Every
 * sample transcript, rendered as JSON, read back and rendered again, is
 * the same document byte for byte, with the same cycles; a hand-written
 * document's every kind of value lands in the model exactly; and hostile
 * documents give exactly the errors and warnings docs/json.md "Reading it
 * back" promises, without stopping the other inputs. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "../../reports/reports.h"
#include "../../src/saved/saved.h"
#include "../../src/transcript/transcript.h"

/* ---- helpers ------------------------------------------------------------ */

static char *json_of(struct analysis **analyses, size_t count)
{
	char *text = NULL;
	size_t length = 0;
	FILE *stream = open_memstream(&text, &length);
	CU_ASSERT_PTR_NOT_NULL_FATAL(stream);
	struct error *error = render_json(stream, analyses, count);
	CU_ASSERT_PTR_NULL(error);
	error_free(error);
	fclose(stream);
	return text;
}

static void read_text(const char *name, const char *text, struct ptr_vec *snapshots)
{
	saved_read_memory(name, text, strlen(text), snapshots);
}

static void free_snapshots(struct ptr_vec *snapshots)
{
	for (size_t i = 0; i < snapshots->count; i++)
		snapshot_free(snapshots->items[i]);
	ptr_vec_release(snapshots);
}

static const struct diagnostic *diagnostic_at(const struct snapshot *snapshot, size_t index)
{
	CU_ASSERT_FATAL(index < snapshot->diagnostics.count);
	return snapshot->diagnostics.items[index];
}

/* The one diagnostic of a snapshot, its level and text. */
static void assert_only_diagnostic(const struct snapshot *snapshot, enum diagnostic_level level,
				   const char *text)
{
	CU_ASSERT_EQUAL_FATAL(snapshot->diagnostics.count, 1);
	CU_ASSERT_EQUAL(diagnostic_at(snapshot, 0)->level, level);
	CU_ASSERT_STRING_EQUAL(diagnostic_at(snapshot, 0)->text, text);
}

/* ---- round trip over the samples ---------------------------------------- */

static void round_trip_file(const char *path)
{
	struct ptr_vec captures = { 0 }, analyses = { 0 };
	struct transcript_options options = { 0 };
	transcript_read_file(path, &options, &captures);
	CU_ASSERT_FATAL(captures.count >= 1);
	for (size_t i = 0; i < captures.count; i++)
		ptr_vec_push(&analyses, analyze(captures.items[i]));
	char *first = json_of((struct analysis **)analyses.items, analyses.count);

	struct ptr_vec again = { 0 }, reanalyses = { 0 };
	read_text("first.json", first, &again);
	CU_ASSERT_EQUAL_FATAL(again.count, analyses.count);
	for (size_t i = 0; i < again.count; i++)
		ptr_vec_push(&reanalyses, analyze(again.items[i]));
	char *second = json_of((struct analysis **)reanalyses.items, reanalyses.count);
	CU_ASSERT_STRING_EQUAL(second, first);
	if (strcmp(second, first) != 0)
		fprintf(stderr, "\n%s: the JSON read back differs\n", path);
	for (size_t i = 0; i < analyses.count; i++) {
		const struct analysis *was = analyses.items[i], *now = reanalyses.items[i];
		CU_ASSERT_EQUAL_FATAL(now->cycles.count, was->cycles.count);
		for (size_t c = 0; c < was->cycles.count; c++) {
			const struct cycle *a = was->cycles.items[c], *b = now->cycles.items[c];
			CU_ASSERT_STRING_EQUAL(b->signature, a->signature);
		}
		CU_ASSERT_EQUAL(now->waits.count, was->waits.count);
		CU_ASSERT_EQUAL(now->snapshot->status, was->snapshot->status);
	}
	free(first);
	free(second);
	for (size_t r = 0; r < 2; r++) {
		struct ptr_vec *list = r ? &reanalyses : &analyses;
		for (size_t i = 0; i < list->count; i++) {
			struct analysis *analysis = list->items[i];
			struct snapshot *snapshot = analysis->snapshot;
			analysis_free(analysis);
			snapshot_free(snapshot);
		}
		ptr_vec_release(list);
	}
	ptr_vec_release(&captures);
	ptr_vec_release(&again);
}

static void samples_round_trip_byte_for_byte(void)
{
	char folder[4096];
	snprintf(folder, sizeof folder, "%s/samples", ALPCGRAPH_SOURCE_DIR);
	struct dirent **entries;
	int count = scandir(folder, &entries, NULL, alphasort);
	CU_ASSERT_FATAL(count > 0);
	int read = 0;
	for (int i = 0; i < count; i++) {
		const char *name = entries[i]->d_name;
		size_t length = strlen(name);
		if (length > 4 && strcmp(name + length - 4, ".txt") == 0) {
			char path[8192];
			snprintf(path, sizeof path, "%s/%s", folder, name);
			round_trip_file(path);
			read++;
		}
		free(entries[i]);
	}
	free(entries);
	CU_ASSERT_EQUAL(read, 5);
}

/* ---- every kind of value ------------------------------------------------ */

static const char *full_document =
	"{\"format_version\": 1, \"generator\": \"alpcgraph 9\", \"inputs\": [{"
	"\"path\": \"hang.dmp\", \"format\": \"windows-crash-dump\","
	"\"capture\": {\"index\": 2, \"count\": 3, \"first_line\": 10, \"last_line\": 20},"
	"\"status\": \"partial\", \"errors\": [], \"warnings\": [\"hang.dmp: a page is absent\"],"
	"\"notes\": [\"hang.dmp:4: skipped\"],"
	"\"system\": {\"build\": \"19041\", \"arch\": \"x64\", \"kernel_mode\": true,"
	" \"pdb_age\": 1, \"dtb\": \"0x1ad000\", \"bugcheck_code\": 226,"
	" \"bugcheck_parameters\": [\"0x1\", null, \"0xffffffffffffffff\", \"0x0\"],"
	" \"system_time\": \"2024-03-05T10:11:12Z\", \"uptime_ms\": 1234},"
	"\"processes\": [{\"address\": \"0xffffa00000001000\", \"pid\": 828, \"name\": \"svchost.exe\","
	" \"debuggee\": true, \"origin\": [\"hang.dmp:va 0xffffa00000001000\", \"hang.dmp@0x2000\"]}],"
	"\"threads\": [{\"address\": \"0xffffa00000002000\", \"pid\": 828, \"tid\": 15424,"
	" \"process\": \"0xffffa00000001000\", \"state\": \"WAIT\", \"wait_reason\": \"WrAlpcReply\","
	" \"wait_objects\": [{\"address\": \"0xffffa00000003000\", \"type\": \"Mutant\","
	"   \"owner_thread\": \"0xffffa00000004000\"}, {\"address\": \"0x10\", \"type\": null}],"
	" \"alpc_wait\": {\"message\": \"0xffffa00000005000\", \"port\": \"0xffffa00000006000\","
	"   \"port_owner\": null},"
	" \"lpc_wait\": {\"message_id\": 8192, \"port\": null}, \"wait_ticks\": 77,"
	" \"frames\": [\"nt!KiSwapContext\", \"ntdll!NtAlpcSendWaitReceivePort\"],"
	" \"activity\": {\"kind\": \"cycle\"}, \"origin\": [\"t.txt:42\"]},"
	" {\"debugger_thread\": 31, \"pid\": 4, \"tid\": 8}],"
	"\"ports\": [{\"address\": \"0xffffa00000006000\", \"name\": \"\\\\RPC Control\\\\X\","
	" \"flavor\": \"alpc\", \"kind\": \"alpc_connection\", \"owner_process\": \"0xffffa00000001000\","
	" \"owner_pid\": 999, \"flags\": {\"closed\": false, \"waitable\": true},"
	" \"queues\": {\"main\": {\"length\": 2, \"messages\": [\"0xffffa00000005000\", \"0x7\"]}},"
	" \"waiting_threads\": [\"0xffffa00000002000\"], \"handles\": 3, \"origin\": []}],"
	"\"messages\": [{\"address\": \"0xffffa00000005000\", \"id\": 4660, \"flavor\": \"alpc\","
	" \"queue\": \"main\", \"queue_port\": \"0xffffa00000006000\", \"canceled\": false,"
	" \"waiting_thread\": \"0xffffa00000002000\", \"lpc_data\": [1, 4294967295]}],"
	"\"connections\": [{\"connection_port\": \"0xffffa00000006000\", \"server_queued\": 5,"
	" \"origin\": [\"t.txt:7\"]}],"
	"\"rpc\": {\"endpoints\": [{\"pid\": 828, \"cell\": \"0000.0004\", \"protocol\": \"LRPC\"}],"
	" \"threads\": [], \"connections\": [],"
	" \"server_calls\": [{\"pid\": 828, \"cell\": \"0001.0002\", \"interface_start\": \"19bb5061\","
	"   \"caller_pid\": 1, \"caller_tid\": 2}],"
	" \"client_calls\": [{\"pid\": 5, \"cell\": \"ffff.0000\", \"endpoint\": \"epmapper\"}]},"
	"\"waits\": [{\"via\": \"made up\"}], \"cycles\": 7, \"chains\": null}]}";

static void every_kind_of_value_is_read(void)
{
	struct ptr_vec snapshots = { 0 };
	read_text("full.json", full_document, &snapshots);
	CU_ASSERT_EQUAL_FATAL(snapshots.count, 1);
	struct snapshot *s = snapshots.items[0];
	CU_ASSERT_STRING_EQUAL(s->path, "hang.dmp");
	CU_ASSERT_STRING_EQUAL(s->format, "windows-crash-dump");
	CU_ASSERT_EQUAL(s->capture_index, 2);
	CU_ASSERT_EQUAL(s->capture_count, 3);
	CU_ASSERT_EQUAL(s->first_line, 10);
	CU_ASSERT_EQUAL(s->last_line, 20);
	CU_ASSERT_EQUAL(s->status, STATUS_PARTIAL);
	CU_ASSERT_EQUAL_FATAL(s->diagnostics.count, 2);
	CU_ASSERT_EQUAL(diagnostic_at(s, 0)->level, DIAGNOSTIC_WARNING);
	CU_ASSERT_STRING_EQUAL(diagnostic_at(s, 0)->text, "hang.dmp: a page is absent");
	CU_ASSERT_EQUAL(diagnostic_at(s, 1)->level, DIAGNOSTIC_NOTE);
	CU_ASSERT_STRING_EQUAL(diagnostic_at(s, 1)->text, "hang.dmp:4: skipped");

	CU_ASSERT_STRING_EQUAL(s->system.build, "19041");
	CU_ASSERT_STRING_EQUAL(s->system.arch, "x64");
	CU_ASSERT_TRUE(s->system.kernel_mode);
	CU_ASSERT_KNOWN_EQUAL(s->system.pdb_age, 1);
	CU_ASSERT_KNOWN_EQUAL(s->system.dtb, 0x1ad000);
	CU_ASSERT_KNOWN_EQUAL(s->system.bugcheck_code, 226);
	CU_ASSERT_KNOWN_EQUAL(s->system.bugcheck_parameters[0], 1);
	CU_ASSERT_FALSE(s->system.bugcheck_parameters[1].known);
	CU_ASSERT_KNOWN_EQUAL(s->system.bugcheck_parameters[2], UINT64_MAX);
	CU_ASSERT_KNOWN_EQUAL(s->system.bugcheck_parameters[3], 0);
	/* 2024-03-05T10:11:12Z is 1709633472 s after 1970. */
	CU_ASSERT_KNOWN_EQUAL(s->system.system_time, 1709633472ULL * 10000000 + 116444736000000000ULL);
	CU_ASSERT_KNOWN_EQUAL(s->system.system_uptime, 12340000);
	CU_ASSERT_FALSE(s->system.processors.known);
	CU_ASSERT_PTR_NULL(s->system.dump_type);

	CU_ASSERT_EQUAL_FATAL(s->processes.count, 1);
	const struct process *process = s->processes.items[0];
	CU_ASSERT_KNOWN_EQUAL(process->address, 0xffffa00000001000);
	CU_ASSERT_KNOWN_EQUAL(process->pid, 828);
	CU_ASSERT_STRING_EQUAL(process->image, "svchost.exe");
	CU_ASSERT_TRUE(process->debuggee);
	CU_ASSERT_EQUAL_FATAL(process->origin.count, 2);
	CU_ASSERT_EQUAL(process->origin.at[0].kind, ORIGIN_VIRTUAL);
	CU_ASSERT_EQUAL(process->origin.at[0].at, 0xffffa00000001000);
	CU_ASSERT_STRING_EQUAL(s->sources.items[process->origin.at[0].file], "hang.dmp");
	CU_ASSERT_EQUAL(process->origin.at[1].kind, ORIGIN_FILE_OFFSET);
	CU_ASSERT_EQUAL(process->origin.at[1].at, 0x2000);

	CU_ASSERT_EQUAL_FATAL(s->threads.count, 2);
	const struct thread *thread = s->threads.items[0];
	CU_ASSERT_KNOWN_EQUAL(thread->address, 0xffffa00000002000);
	CU_ASSERT_KNOWN_EQUAL(thread->pid, 828);
	CU_ASSERT_KNOWN_EQUAL(thread->tid, 15424);
	CU_ASSERT_KNOWN_EQUAL(thread->process_address, 0xffffa00000001000);
	CU_ASSERT_STRING_EQUAL(thread->state, "WAIT");
	CU_ASSERT_STRING_EQUAL(thread->wait_reason, "WrAlpcReply");
	CU_ASSERT_PTR_NULL(thread->wait_mode);
	CU_ASSERT_EQUAL_FATAL(thread->wait_object_count, 2);
	CU_ASSERT_EQUAL(thread->wait_objects[0].address, 0xffffa00000003000);
	CU_ASSERT_STRING_EQUAL(thread->wait_objects[0].type, "Mutant");
	CU_ASSERT_KNOWN_EQUAL(thread->wait_objects[0].owner_thread, 0xffffa00000004000);
	CU_ASSERT_STRING_EQUAL(thread->wait_objects[1].type, "Unknown");
	CU_ASSERT_KNOWN_EQUAL(thread->alpc_wait_message, 0xffffa00000005000);
	CU_ASSERT_KNOWN_EQUAL(thread->alpc_wait_port, 0xffffa00000006000);
	CU_ASSERT_FALSE(thread->alpc_wait_port_owner.known);
	CU_ASSERT_KNOWN_EQUAL(thread->lpc_wait_message_id, 8192);
	CU_ASSERT_FALSE(thread->lpc_port.known);
	CU_ASSERT_KNOWN_EQUAL(thread->wait_ticks, 77);
	CU_ASSERT_EQUAL_FATAL(thread->frame_count, 2);
	CU_ASSERT_STRING_EQUAL(thread->frames[1], "ntdll!NtAlpcSendWaitReceivePort");
	CU_ASSERT_EQUAL_FATAL(thread->origin.count, 1);
	CU_ASSERT_EQUAL(thread->origin.at[0].kind, ORIGIN_LINE);
	CU_ASSERT_EQUAL(thread->origin.at[0].at, 42);
	CU_ASSERT_STRING_EQUAL(s->sources.items[thread->origin.at[0].file], "t.txt");
	const struct thread *debugged = s->threads.items[1];
	CU_ASSERT_KNOWN_EQUAL(debugged->debugger_index, 31);
	CU_ASSERT_PTR_EQUAL(snapshot_find_thread_by_cid(s, 4, 8), debugged);

	CU_ASSERT_EQUAL_FATAL(s->ports.count, 1);
	const struct port *port = s->ports.items[0];
	CU_ASSERT_STRING_EQUAL(port->name, "\\RPC Control\\X");
	CU_ASSERT_EQUAL(port->flavor, FLAVOR_ALPC);
	CU_ASSERT_EQUAL(port->kind, PORT_ALPC_CONNECTION);
	CU_ASSERT_KNOWN_EQUAL(port->owner_process, 0xffffa00000001000);
	CU_ASSERT_EQUAL(port->closed, NO);
	CU_ASSERT_EQUAL(port->waitable, YES);
	CU_ASSERT_EQUAL(port->disconnected, YES_NO_UNKNOWN);
	CU_ASSERT_KNOWN_EQUAL(port->queues[QUEUE_MAIN].length, 2);
	CU_ASSERT_EQUAL_FATAL(port->queues[QUEUE_MAIN].messages.count, 2);
	CU_ASSERT_EQUAL(port->queues[QUEUE_MAIN].messages.items[1], 7);
	CU_ASSERT_FALSE(port->queues[QUEUE_PENDING].length.known);
	CU_ASSERT_EQUAL_FATAL(port->waiting_threads.count, 1);
	CU_ASSERT_KNOWN_EQUAL(port->handles, 3);
	CU_ASSERT_EQUAL(port->origin.count, 0);

	CU_ASSERT_EQUAL_FATAL(s->messages.count, 1);
	const struct message *message = s->messages.items[0];
	CU_ASSERT_KNOWN_EQUAL(message->id, 4660);
	CU_ASSERT_EQUAL(message->flavor, FLAVOR_ALPC);
	CU_ASSERT_EQUAL(message->queue, QUEUE_MAIN);
	CU_ASSERT_EQUAL(message->canceled, NO);
	CU_ASSERT_EQUAL(message->release, YES_NO_UNKNOWN);
	CU_ASSERT_EQUAL_FATAL(message->lpc_data_count, 2);
	CU_ASSERT_EQUAL(message->lpc_data[1], 0xffffffffu);

	CU_ASSERT_EQUAL_FATAL(s->connections.count, 1);
	const struct port_connection *connection = s->connections.items[0];
	CU_ASSERT_KNOWN_EQUAL(connection->server_queued, 5);
	CU_ASSERT_EQUAL(connection->origin.at, 7);

	CU_ASSERT_EQUAL_FATAL(s->rpc_endpoints.count, 1);
	const struct rpc_endpoint *endpoint = s->rpc_endpoints.items[0];
	CU_ASSERT_KNOWN_EQUAL(endpoint->cell, 4);
	CU_ASSERT_STRING_EQUAL(endpoint->protocol, "LRPC");
	CU_ASSERT_EQUAL_FATAL(s->rpc_server_calls.count, 1);
	const struct rpc_server_call *call = s->rpc_server_calls.items[0];
	CU_ASSERT_KNOWN_EQUAL(call->cell, 0x10002);
	CU_ASSERT_KNOWN_EQUAL(call->interface_start, 0x19bb5061);
	CU_ASSERT_EQUAL(call->party, RPC_PARTY_CALLER);
	CU_ASSERT_EQUAL_FATAL(s->rpc_client_calls.count, 1);
	const struct rpc_client_call *client = s->rpc_client_calls.items[0];
	CU_ASSERT_KNOWN_EQUAL(client->cell, 0xffff0000);
	CU_ASSERT_STRING_EQUAL(client->endpoint, "epmapper");
	free_snapshots(&snapshots);
}

/* ---- hostile documents -------------------------------------------------- */

/* A document of one input whose thread (or other record) is given. */
static struct snapshot *read_one_input(const char *records, struct ptr_vec *snapshots)
{
	char text[4096];
	snprintf(text, sizeof text,
		 "{\"format_version\": 1, \"inputs\": [{\"path\": \"a.txt\", \"format\": \"transcript\","
		 " \"status\": \"ok\", %s}]}",
		 records);
	read_text("x.json", text, snapshots);
	CU_ASSERT_EQUAL_FATAL(snapshots->count, 1);
	return snapshots->items[0];
}

static void expect_warning(const char *records, const char *warning)
{
	struct ptr_vec snapshots = { 0 };
	struct snapshot *snapshot = read_one_input(records, &snapshots);
	CU_ASSERT_EQUAL(snapshot->status, STATUS_PARTIAL);
	assert_only_diagnostic(snapshot, DIAGNOSTIC_WARNING, warning);
	if (snapshot->diagnostics.count == 1 && strcmp(diagnostic_at(snapshot, 0)->text, warning))
		fprintf(stderr, "\n  got: %s\n want: %s\n", diagnostic_at(snapshot, 0)->text, warning);
	free_snapshots(&snapshots);
}

static void wrong_values_are_named_by_json_path(void)
{
	expect_warning("\"threads\": [{}, {\"tid\": \"12\"}]",
		       "x.json: inputs[0].threads[1].tid: not an integer");
	expect_warning("\"threads\": [{\"pid\": 1.5}]", "x.json: inputs[0].threads[0].pid: not an integer");
	expect_warning("\"processes\": [{\"pid\": -4}]", "x.json: inputs[0].processes[0].pid: negative (-4)");
	expect_warning("\"threads\": [{\"address\": \"0xABC\"}]",
		       "x.json: inputs[0].threads[0].address: not an address (\"0x\" and 1 to 16 "
		       "lower-case hex digits)");
	expect_warning("\"threads\": [{\"address\": \"0x10000000000000000\"}]",
		       "x.json: inputs[0].threads[0].address: not an address (\"0x\" and 1 to 16 "
		       "lower-case hex digits)");
	expect_warning("\"threads\": [{\"address\": 4096}]",
		       "x.json: inputs[0].threads[0].address: not an address (\"0x\" and 1 to 16 "
		       "lower-case hex digits)");
	expect_warning("\"threads\": [{\"state\": 3}]", "x.json: inputs[0].threads[0].state: not a string");
	expect_warning("\"threads\": [7]", "x.json: inputs[0].threads[0]: not an object");
	expect_warning("\"threads\": {}", "x.json: inputs[0].threads: not an array");
	expect_warning("\"threads\": [{\"origin\": [\"nowhere\"]}]",
		       "x.json: inputs[0].threads[0].origin[0]: not a place (\"path:line\", "
		       "\"path@0x…\" or \"path:va 0x…\")");
	expect_warning("\"ports\": [{\"address\": \"0x1\", \"kind\": \"bogus\"}]",
		       "x.json: inputs[0].ports[0].kind: not a port kind");
	expect_warning("\"ports\": [{\"name\": \"P\"}]", "x.json: inputs[0].ports[0].address: a port needs its address");
	expect_warning("\"ports\": [{\"address\": \"0x1\", \"queues\": {\"main\": {\"messages\": [\"0x1\", null]}}}]",
		       "x.json: inputs[0].ports[0].queues.main.messages[1]: null in a list of addresses");
	expect_warning("\"messages\": [{\"address\": \"0x1\", \"lpc_data\": [1, 4294967296]}]",
		       "x.json: inputs[0].messages[0].lpc_data[1]: 4294967296 is more than 4294967295");
	expect_warning("\"rpc\": {\"endpoints\": [{\"cell\": \"0000-0004\"}]}",
		       "x.json: inputs[0].rpc.endpoints[0].cell: not an RPC cell id (\"0000.0004\")");
	expect_warning("\"capture\": {\"index\": 3, \"count\": 1}",
		       "x.json: inputs[0].capture: index 3 is not from 1 to count 1");
	expect_warning("\"system\": {\"system_time\": \"yesterday\"}",
		       "x.json: inputs[0].system.system_time: not a time (\"YYYY-MM-DDTHH:MM:SSZ\", 1970 "
		       "or later)");
	expect_warning("\"format\": \"a\\tb\"", "x.json: inputs[0].format: not a format name");
	expect_warning("\"threads\": [{\"origin\": [\"a\\nb.txt:3\"]}]",
		       "x.json: inputs[0].threads[0].origin[0]: not a place (\"path:line\", "
		       "\"path@0x…\" or \"path:va 0x…\")");
	expect_warning("\"status\": \"fine\"",
		       "x.json: inputs[0].status: not a status (ok, partial or error)");
}

/* What a reader keeps of a record with a bad value: the rest of it. */
static void a_bad_value_leaves_the_rest_of_the_record(void)
{
	struct ptr_vec snapshots = { 0 };
	struct snapshot *snapshot = read_one_input(
		"\"threads\": [{\"address\": \"0x20\", \"pid\": 4, \"tid\": \"8\", \"state\": \"WAIT\"}]",
		&snapshots);
	CU_ASSERT_EQUAL_FATAL(snapshot->threads.count, 1);
	const struct thread *thread = snapshot->threads.items[0];
	CU_ASSERT_KNOWN_EQUAL(thread->address, 0x20);
	CU_ASSERT_KNOWN_EQUAL(thread->pid, 4);
	CU_ASSERT_FALSE(thread->tid.known);
	CU_ASSERT_STRING_EQUAL(thread->state, "WAIT");
	free_snapshots(&snapshots);
}

static void expect_file_error(const char *text, const char *error)
{
	struct ptr_vec snapshots = { 0 };
	read_text("x.json", text, &snapshots);
	CU_ASSERT_EQUAL_FATAL(snapshots.count, 1);
	struct snapshot *snapshot = snapshots.items[0];
	CU_ASSERT_STRING_EQUAL(snapshot->path, "x.json");
	CU_ASSERT_STRING_EQUAL(snapshot->format, "json");
	CU_ASSERT_EQUAL(snapshot->status, STATUS_ERROR);
	assert_only_diagnostic(snapshot, DIAGNOSTIC_ERROR, error);
	if (snapshot->diagnostics.count == 1 && strcmp(diagnostic_at(snapshot, 0)->text, error))
		fprintf(stderr, "\n  got: %s\n want: %s\n", diagnostic_at(snapshot, 0)->text, error);
	free_snapshots(&snapshots);
}

static void documents_not_ours_fail_as_a_whole(void)
{
	expect_file_error("{\"format_version\": 2, \"inputs\": []}",
			  "x.json: format_version 2: this alpcgraph reads format_version 1 (docs/json.md)");
	expect_file_error("{\"format_version\": \"1\", \"inputs\": []}",
			  "x.json: format_version: not an integer");
	expect_file_error("{\"inputs\": []}", "x.json: not an alpcgraph JSON report: no format_version");
	expect_file_error("[1]", "x.json: not an alpcgraph JSON report: not a JSON object");
	expect_file_error("{\"format_version\": 1, \"inputs\": {}}", "x.json: inputs: not an array");
	expect_file_error("{\"format_version\": 1, \"inputs\": [{\"path\": \"a",
			  "x.json: offset 0x2c: the JSON ends in the middle of a value");
	expect_file_error("", "x.json: offset 0x0: the JSON ends in the middle of a value");
	expect_file_error("{\"format_version\": 1} x", "x.json: offset 0x16: not JSON: unexpected character");
	expect_file_error("{\"format_version\": 1, \"inputs\": [tru]}",
			  "x.json: offset 0x24: not JSON: boolean expected");
	expect_file_error("{\"format_version\": 1, \"inputs\": [\"\xff\"]}",
			  "x.json: offset 0x22: not JSON: invalid utf-8 string");
	char deep[512];
	int length = snprintf(deep, sizeof deep, "{\"format_version\": 1, \"inputs\": [");
	for (int i = 0; i < 100; i++)
		deep[length++] = '[';
	deep[length] = '\0';
	expect_file_error(deep, "x.json: offset 0x37: JSON nested more than 24 deep: not an alpcgraph report");
}

/* One bad element of inputs fails that input only; the next is read. */
static void other_inputs_are_still_read(void)
{
	struct ptr_vec snapshots = { 0 };
	read_text("x.json",
		  "{\"format_version\": 1, \"inputs\": [7, {\"path\": 5}, {\"path\": \"\\u001b[2J\"},"
		  " {\"path\": \"b.txt\", \"status\": \"ok\", \"processes\": [{\"pid\": 4}]}]}",
		  &snapshots);
	CU_ASSERT_EQUAL_FATAL(snapshots.count, 4);
	assert_only_diagnostic(snapshots.items[0], DIAGNOSTIC_ERROR, "x.json: inputs[0]: not an object");
	assert_only_diagnostic(snapshots.items[1], DIAGNOSTIC_ERROR,
			       "x.json: inputs[1].path: not a file name");
	/* An escape sequence would reach the terminal through scan's text. */
	assert_only_diagnostic(snapshots.items[2], DIAGNOSTIC_ERROR,
			       "x.json: inputs[2].path: not a file name");
	const struct snapshot *good = snapshots.items[3];
	CU_ASSERT_STRING_EQUAL(good->path, "b.txt");
	CU_ASSERT_EQUAL(good->status, STATUS_OK);
	CU_ASSERT_EQUAL(good->diagnostics.count, 0);
	CU_ASSERT_EQUAL(good->processes.count, 1);
	free_snapshots(&snapshots);
}

static void files_past_the_cap_are_refused_unread(void)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/big.json", test_temp_dir());
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	CU_ASSERT_FATAL(fd >= 0);
	/* Sparse: no disk is used, and the reader must not read it. */
	CU_ASSERT_EQUAL(ftruncate(fd, (off_t)SAVED_MAX_FILE_BYTES + 1), 0);
	close(fd);
	struct ptr_vec snapshots = { 0 };
	saved_read_file(path, &snapshots);
	CU_ASSERT_EQUAL_FATAL(snapshots.count, 1);
	char want[4200];
	snprintf(want, sizeof want, "%s: 1073741825 bytes: more than the 1024 MiB a saved report may hold",
		 path);
	assert_only_diagnostic(snapshots.items[0], DIAGNOSTIC_ERROR, want);
	free_snapshots(&snapshots);
	unlink(path);

	/* Bare separators: a small file that would make json-c build more
	 * values than any real report holds is refused before parsing. */
	size_t length = (size_t)SAVED_MAX_VALUES + 2;
	char *commas = malloc(length + 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(commas);
	memset(commas, ',', length);
	commas[0] = '[';
	commas[length - 1] = ']';
	commas[length] = '\0';
	saved_read_memory("commas.json", commas, length, &snapshots);
	free(commas);
	CU_ASSERT_EQUAL_FATAL(snapshots.count, 1);
	assert_only_diagnostic(snapshots.items[0], DIAGNOSTIC_ERROR,
			       "commas.json: 33554433 separators: more than the 33554432 values a saved "
			       "report may hold");
	free_snapshots(&snapshots);

	snprintf(path, sizeof path, "%s/absent.json", test_temp_dir());
	saved_read_file(path, &snapshots);
	CU_ASSERT_EQUAL_FATAL(snapshots.count, 1);
	snprintf(want, sizeof want, "%s: cannot open: No such file or directory", path);
	assert_only_diagnostic(snapshots.items[0], DIAGNOSTIC_ERROR, want);
	free_snapshots(&snapshots);
}

/* ---- --same-machine ----------------------------------------------------- */

static void same_machine_merges_the_records_of_every_file(void)
{
	char first[4096], second[4096];
	snprintf(first, sizeof first, "%s/client.json", test_temp_dir());
	snprintf(second, sizeof second, "%s/server.json", test_temp_dir());
	FILE *out = fopen(first, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	fputs("{\"format_version\": 1, \"inputs\": [{\"path\": \"c.txt\", \"status\": \"ok\","
	      " \"threads\": [{\"address\": \"0x10\", \"pid\": 4}]}]}", out);
	fclose(out);
	out = fopen(second, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	fputs("{\"format_version\": 1, \"inputs\": [{\"path\": \"s.txt\", \"status\": \"partial\","
	      " \"warnings\": [\"s.txt:3: odd\"],"
	      " \"threads\": [{\"address\": \"0x10\", \"tid\": 8}, {\"address\": \"0x20\"}]}]}", out);
	fclose(out);
	struct snapshot *snapshot = snapshot_new(first, "json");
	saved_read_into(first, snapshot);
	saved_read_into(second, snapshot);
	snapshot_finish(snapshot);
	CU_ASSERT_EQUAL_FATAL(snapshot->threads.count, 2);
	const struct thread *merged = snapshot->threads.items[0];
	CU_ASSERT_KNOWN_EQUAL(merged->pid, 4);
	CU_ASSERT_KNOWN_EQUAL(merged->tid, 8);
	CU_ASSERT_EQUAL(snapshot->status, STATUS_PARTIAL);
	assert_only_diagnostic(snapshot, DIAGNOSTIC_WARNING, "s.txt:3: odd");
	snapshot_free(snapshot);
	unlink(first);
	unlink(second);
}

int main(void)
{
	static const struct test_case round_trip[] = {
		{ "samples round-trip byte for byte", samples_round_trip_byte_for_byte },
		{ "every kind of value is read", every_kind_of_value_is_read },
		{ "--same-machine merges every file's records",
		  same_machine_merges_the_records_of_every_file },
		{ NULL, NULL },
	};
	static const struct test_case hostile[] = {
		{ "wrong values are named by JSON path", wrong_values_are_named_by_json_path },
		{ "a bad value leaves the rest of the record",
		  a_bad_value_leaves_the_rest_of_the_record },
		{ "documents not ours fail as a whole", documents_not_ours_fail_as_a_whole },
		{ "other inputs are still read", other_inputs_are_still_read },
		{ "files past the cap are refused unread", files_past_the_cap_are_refused_unread },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = {
		{ "round trip", round_trip },
		{ "hostile documents", hostile },
	};
	return run_suites("test_saved", suites, 2);
}
