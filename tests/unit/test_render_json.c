/* The JSON report: the streaming writer's escaping and layout, the
 * document checked against the schema published in docs/json.md (key
 * order included), exact values for the fixtures, hostile names, and the
 * validator's own ability to say no. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "harness.h"
#include "fixtures.h"
#include "json_schema.h"
#include "../../reports/json_writer.h"
#include "../../reports/reports.h"

/* ---- rendering and parsing -------------------------------------------- */

/* A memory stream's buffer, freed by the caller. */
struct rendered {
	char *text;
	size_t length;
};

static struct rendered render_analyses(struct analysis *const *analyses, size_t count)
{
	struct rendered out = { NULL, 0 };
	FILE *stream = open_memstream(&out.text, &out.length);
	CU_ASSERT_PTR_NOT_NULL_FATAL(stream);
	struct error *error = render_json(stream, analyses, count);
	CU_ASSERT_PTR_NULL(error);
	if (error) {
		fprintf(stderr, "render_json: %s\n", error->message);
		error_free(error);
	}
	fclose(stream);
	return out;
}

/* Strict RFC 8259 parsing of the whole text, UTF-8 checked. */
static struct json_object *parse_strictly(const char *text, size_t length)
{
	struct json_tokener *tokener = json_tokener_new();
	json_tokener_set_flags(tokener, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	struct json_object *document = json_tokener_parse_ex(tokener, text, (int)length);
	enum json_tokener_error status = json_tokener_get_error(tokener);
	if (status != json_tokener_success)
		fprintf(stderr, "json-c: %s at byte %zu\n", json_tokener_error_desc(status),
			json_tokener_get_parse_end(tokener));
	CU_ASSERT_EQUAL(status, json_tokener_success);
	/* Nothing but white space may follow the document. */
	size_t end = json_tokener_get_parse_end(tokener);
	CU_ASSERT_TRUE(end <= length && strspn(text + end, " \n") == length - end);
	json_tokener_free(tokener);
	return document;
}

struct fixture_document {
	struct snapshot *snapshot;
	struct analysis *analysis;
	struct rendered rendered;
	struct json_object *json;
};

static struct fixture_document document_of(struct snapshot *snapshot)
{
	struct fixture_document d = { snapshot, analyze(snapshot), { NULL, 0 }, NULL };
	d.rendered = render_analyses(&d.analysis, 1);
	d.json = parse_strictly(d.rendered.text, d.rendered.length);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d.json);
	return d;
}

static void document_free(struct fixture_document *d)
{
	json_object_put(d->json);
	free(d->rendered.text);
	analysis_free(d->analysis);
	snapshot_free(d->snapshot);
}

/* ---- looking into a document ------------------------------------------ */

/* The value at "inputs/0/processes/1/pid"; *found says whether the path
 * exists (a null value is found, and is returned as NULL). */
static struct json_object *value_at(struct json_object *root, const char *path, bool *found)
{
	char copy[512];
	snprintf(copy, sizeof copy, "%s", path);
	struct json_object *at = root;
	*found = true;
	for (char *step = strtok(copy, "/"); step; step = strtok(NULL, "/")) {
		if (json_object_is_type(at, json_type_array)) {
			char *end;
			unsigned long index = strtoul(step, &end, 10);
			if (*end || index >= json_object_array_length(at)) {
				*found = false;
				return NULL;
			}
			at = json_object_array_get_idx(at, index);
		} else if (!json_object_object_get_ex(at, step, &at)) {
			*found = false;
			return NULL;
		}
	}
	return at;
}

static bool report(bool ok, const char *path, const char *expected, struct json_object *actual)
{
	if (!ok)
		fprintf(stderr, "\n  %s: expected %s, found %s\n", path, expected,
			actual ? json_object_to_json_string(actual) : "null or nothing");
	return ok;
}

static bool is_uint_at(struct json_object *root, const char *path, uint64_t expected)
{
	bool found;
	struct json_object *value = value_at(root, path, &found);
	char text[32];
	snprintf(text, sizeof text, "%ju", (uintmax_t)expected);
	return report(found && json_object_is_type(value, json_type_int) &&
			      json_object_get_uint64(value) == expected,
		      path, text, value);
}

static bool is_string_at(struct json_object *root, const char *path, const char *expected)
{
	bool found;
	struct json_object *value = value_at(root, path, &found);
	return report(found && json_object_is_type(value, json_type_string) &&
			      strcmp(json_object_get_string(value), expected) == 0,
		      path, expected, value);
}

static bool is_null_at(struct json_object *root, const char *path)
{
	bool found;
	struct json_object *value = value_at(root, path, &found);
	return report(found && value == NULL, path, "null", value);
}

static bool is_bool_at(struct json_object *root, const char *path, bool expected)
{
	bool found;
	struct json_object *value = value_at(root, path, &found);
	return report(found && json_object_is_type(value, json_type_boolean) &&
			      json_object_get_boolean(value) == expected,
		      path, expected ? "true" : "false", value);
}

/* Elements of an array, or keys of an object. */
static bool has_size_at(struct json_object *root, const char *path, size_t expected)
{
	bool found;
	struct json_object *value = value_at(root, path, &found);
	size_t size = json_object_is_type(value, json_type_array) ? json_object_array_length(value)
		      : json_object_is_type(value, json_type_object)
			      ? (size_t)json_object_object_length(value)
			      : SIZE_MAX;
	char text[32];
	snprintf(text, sizeof text, "%zu elements", expected);
	return report(found && size == expected, path, text, value);
}

/* ---- the schema in docs/json.md --------------------------------------- */

static struct json_object *parsed_schema;

static struct json_object *schema(void)
{
	if (!parsed_schema) {
		char *failure = NULL;
		parsed_schema = json_schema_published(&failure);
		if (failure)
			fprintf(stderr, "\n  %s\n", failure);
		free(failure);
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(parsed_schema);
	return parsed_schema;
}

static bool conforms(struct json_object *document)
{
	char *failure = json_schema_validate(schema(), document, JSON_SCHEMA_KEY_ORDER);
	if (failure)
		fprintf(stderr, "\n  schema: %s\n", failure);
	free(failure);
	return failure == NULL;
}

/* ---- the writer --------------------------------------------------------- */

typedef void (*writer_script)(struct json_writer *w);

static char *written(writer_script script, struct error **error)
{
	char *text = NULL;
	size_t length = 0;
	FILE *stream = open_memstream(&text, &length);
	struct json_writer writer;
	json_writer_init(&writer, stream);
	script(&writer);
	*error = json_writer_finish(&writer);
	fclose(stream);
	return text;
}

static void nested_document(struct json_writer *w)
{
	json_write_begin_object(w);
	json_write_key(w, "a");
	json_write_uint(w, 1);
	json_write_key(w, "b");
	json_write_begin_array(w);
	json_write_int(w, -2);
	json_write_bool(w, true);
	json_write_null(w);
	json_write_begin_object(w);
	json_write_end_object(w);
	json_write_begin_array(w);
	json_write_end_array(w);
	json_write_end_array(w);
	json_write_key(w, "c");
	json_write_string(w, NULL);
	json_write_key(w, "d");
	json_write_uint(w, UINT64_MAX);
	json_write_end_object(w);
}

static void writer_indents_by_two_and_keeps_empty_containers_short(void)
{
	struct error *error;
	char *text = written(nested_document, &error);
	CU_ASSERT_PTR_NULL(error);
	CU_ASSERT_STRING_EQUAL(text, "{\n"
				     "  \"a\": 1,\n"
				     "  \"b\": [\n"
				     "    -2,\n"
				     "    true,\n"
				     "    null,\n"
				     "    {},\n"
				     "    []\n"
				     "  ],\n"
				     "  \"c\": null,\n"
				     "  \"d\": 18446744073709551615\n"
				     "}\n");
	free(text);
}

static const char tricky[] =
	"q\"b\\s/</script>\x01\x1f\x7f\t\n"
	"\xc2\x85|\xe2\x80\xa8|\xe2\x80\xa9|\xff|\xe2\x82|\xc3\xa9\xf0\x9f\x98\x80";

static void tricky_string(struct json_writer *w)
{
	json_write_begin_array(w);
	json_write_string_n(w, tricky, sizeof tricky - 1);
	json_write_end_array(w);
}

static void writer_escapes_for_json_and_html(void)
{
	struct error *error;
	char *text = written(tricky_string, &error);
	CU_ASSERT_PTR_NULL(error);
	CU_ASSERT_STRING_EQUAL(
		text,
		"[\n  \"q\\\"b\\\\s/<\\/script>\\u0001\\u001f\\u007f\\u0009\\u000a"
		"\\u0085|\\u2028|\\u2029|\\ufffd|\\ufffd\\ufffd|\xc3\xa9\xf0\x9f\x98\x80\"\n]\n");
	/* What json-c reads back: the input with each invalid byte as U+FFFD. */
	struct json_object *parsed = parse_strictly(text, strlen(text));
	CU_ASSERT_STRING_EQUAL(
		json_object_get_string(json_object_array_get_idx(parsed, 0)),
		"q\"b\\s/</script>\x01\x1f\x7f\t\n\xc2\x85|\xe2\x80\xa8|\xe2\x80\xa9|"
		"\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd|\xc3\xa9\xf0\x9f\x98\x80");
	json_object_put(parsed);
	free(text);
}

static void value_without_key(struct json_writer *w)
{
	json_write_begin_object(w);
	json_write_uint(w, 1);
	json_write_end_object(w);
}

static void left_open(struct json_writer *w)
{
	json_write_begin_array(w);
}

static void mismatched_end(struct json_writer *w)
{
	json_write_begin_array(w);
	json_write_end_object(w);
}

static void too_deep(struct json_writer *w)
{
	for (int i = 0; i <= JSON_WRITER_MAX_DEPTH; i++)
		json_write_begin_array(w);
	for (int i = 0; i <= JSON_WRITER_MAX_DEPTH; i++)
		json_write_end_array(w);
}

static void two_documents(struct json_writer *w)
{
	json_write_null(w);
	json_write_null(w);
}

static void writer_reports_misuse(void)
{
	writer_script scripts[] = { value_without_key, left_open, mismatched_end, too_deep,
				    two_documents };
	for (size_t i = 0; i < sizeof scripts / sizeof *scripts; i++) {
		struct error *error;
		free(written(scripts[i], &error));
		CU_ASSERT_PTR_NOT_NULL(error);
		error_free(error);
	}
}

static void write_errors_are_reported(void)
{
	FILE *full = fopen("/dev/full", "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(full);
	struct snapshot *snapshot = fixture_alpc_deadlock();
	struct analysis *analysis = analyze(snapshot);
	struct error *error = render_json(full, &analysis, 1);
	CU_ASSERT_PTR_NOT_NULL(error);
	if (error) {
		CU_ASSERT_EQUAL(error->code, ERROR_IO);
		error_free(error);
	}
	fclose(full);
	analysis_free(analysis);
	snapshot_free(snapshot);
}

/* ---- fixtures against the schema and exact values ---------------------- */

static void deadlock_document_has_exact_values(void)
{
	struct fixture_document d = document_of(fixture_alpc_deadlock());
	struct json_object *j = d.json;
	CU_ASSERT_TRUE(conforms(j));
	CU_ASSERT(is_uint_at(j, "format_version", 1));
	CU_ASSERT(is_string_at(j, "generator", "alpcgraph " PACKAGE_VERSION));
	CU_ASSERT(has_size_at(j, "inputs", 1));
	CU_ASSERT(is_string_at(j, "inputs/0/path", "fixture-deadlock.txt"));
	CU_ASSERT(is_string_at(j, "inputs/0/format", "transcript"));
	CU_ASSERT(is_uint_at(j, "inputs/0/capture/index", 1));
	CU_ASSERT(is_null_at(j, "inputs/0/capture/first_line"));
	CU_ASSERT(is_string_at(j, "inputs/0/status", "ok"));
	CU_ASSERT(has_size_at(j, "inputs/0/warnings", 0));
	CU_ASSERT(is_string_at(j, "inputs/0/system/arch", "x64"));
	CU_ASSERT(is_null_at(j, "inputs/0/system/build"));
	CU_ASSERT(is_bool_at(j, "inputs/0/system/kernel_mode", true));

	/* Cid 0100.0104 is pid 256, tid 260; unknown stays null. */
	CU_ASSERT(is_string_at(j, "inputs/0/processes/0/address", "0xffffa00000001000"));
	CU_ASSERT(is_uint_at(j, "inputs/0/processes/0/pid", 256));
	CU_ASSERT(is_string_at(j, "inputs/0/processes/0/name", "alpha.exe"));
	CU_ASSERT(is_null_at(j, "inputs/0/processes/0/parent_pid"));
	CU_ASSERT(is_null_at(j, "inputs/0/processes/0/session_id"));
	CU_ASSERT(is_bool_at(j, "inputs/0/processes/0/debuggee", false));
	CU_ASSERT(is_string_at(j, "inputs/0/processes/0/origin/0", "fixture-deadlock.txt:1"));
	CU_ASSERT(is_uint_at(j, "inputs/0/processes/1/pid", 512));

	CU_ASSERT(is_string_at(j, "inputs/0/threads/0/address", "0xffffa00000001104"));
	CU_ASSERT(is_uint_at(j, "inputs/0/threads/0/pid", 256));
	CU_ASSERT(is_uint_at(j, "inputs/0/threads/0/tid", 260));
	CU_ASSERT(is_string_at(j, "inputs/0/threads/0/process", "0xffffa00000001000"));
	CU_ASSERT(is_null_at(j, "inputs/0/threads/0/debugger_thread"));
	CU_ASSERT(is_string_at(j, "inputs/0/threads/0/wait_reason", "WrLpcReply"));
	CU_ASSERT(is_string_at(j, "inputs/0/threads/0/alpc_wait/message", "0xffffb00000000001"));
	CU_ASSERT(is_string_at(j, "inputs/0/threads/0/alpc_wait/port", "0xffffc00000002000"));
	CU_ASSERT(is_string_at(j, "inputs/0/threads/0/alpc_wait/port_owner", "0xffffa00000002000"));
	CU_ASSERT(is_null_at(j, "inputs/0/threads/0/lpc_wait"));
	CU_ASSERT(is_null_at(j, "inputs/0/threads/0/wait_ticks"));
	CU_ASSERT(has_size_at(j, "inputs/0/threads/0/frames", 0));

	/* Ports in first-seen order: BetaPort (line 20) before AlphaPort. */
	CU_ASSERT(is_string_at(j, "inputs/0/ports/0/name", "\\RPC Control\\BetaPort"));
	CU_ASSERT(is_string_at(j, "inputs/0/ports/0/flavor", "alpc"));
	CU_ASSERT(is_string_at(j, "inputs/0/ports/0/kind", "alpc_connection"));
	CU_ASSERT(is_uint_at(j, "inputs/0/ports/0/owner_pid", 512));
	CU_ASSERT(is_string_at(j, "inputs/0/ports/0/owner_name", "beta.exe"));
	CU_ASSERT(is_null_at(j, "inputs/0/ports/0/flags/closed"));
	CU_ASSERT(has_size_at(j, "inputs/0/ports/0/queues", 1));
	CU_ASSERT(is_uint_at(j, "inputs/0/ports/0/queues/pending/length", 1));
	CU_ASSERT(is_string_at(j, "inputs/0/ports/0/queues/pending/messages/0",
			       "0xffffb00000000001"));

	CU_ASSERT(is_uint_at(j, "inputs/0/messages/0/id", 0x0bfc));
	CU_ASSERT(is_string_at(j, "inputs/0/messages/0/queue", "pending"));
	CU_ASSERT(is_string_at(j, "inputs/0/messages/0/server_thread", "0xffffa00000002204"));
	CU_ASSERT(is_string_at(j, "inputs/0/messages/0/waiting_thread", "0xffffa00000001104"));
	CU_ASSERT(is_null_at(j, "inputs/0/messages/0/canceled"));
	CU_ASSERT(is_null_at(j, "inputs/0/messages/0/callback_id"));

	/* Each thread waits on the other and serves the other's wait. */
	CU_ASSERT(has_size_at(j, "inputs/0/waits", 2));
	CU_ASSERT(is_uint_at(j, "inputs/0/waits/0/index", 0));
	CU_ASSERT(is_string_at(j, "inputs/0/waits/0/via", "alpc"));
	CU_ASSERT(is_uint_at(j, "inputs/0/waits/0/client/pid", 256));
	CU_ASSERT(is_uint_at(j, "inputs/0/waits/0/client/tid", 260));
	CU_ASSERT(is_string_at(j, "inputs/0/waits/0/client/thread", "0xffffa00000001104"));
	CU_ASSERT(is_string_at(j, "inputs/0/waits/0/client/process", "0xffffa00000001000"));
	CU_ASSERT(is_string_at(j, "inputs/0/waits/0/client/name", "alpha.exe"));
	CU_ASSERT(is_uint_at(j, "inputs/0/waits/0/message/id", 0x0bfc));
	CU_ASSERT(is_string_at(j, "inputs/0/waits/0/port/name", "\\RPC Control\\BetaPort"));
	CU_ASSERT(is_null_at(j, "inputs/0/waits/0/lock"));
	CU_ASSERT(is_null_at(j, "inputs/0/waits/0/rpc"));
	CU_ASSERT(is_uint_at(j, "inputs/0/waits/0/server/pid", 512));
	CU_ASSERT(is_uint_at(j, "inputs/0/waits/0/server/tid", 516));
	CU_ASSERT(is_string_at(j, "inputs/0/waits/0/server/thread", "0xffffa00000002204"));
	CU_ASSERT(is_string_at(j, "inputs/0/waits/0/server/name", "beta.exe"));
	CU_ASSERT(is_bool_at(j, "inputs/0/waits/0/weak", false));
	CU_ASSERT(is_bool_at(j, "inputs/0/waits/0/nested", true));
	CU_ASSERT(is_uint_at(j, "inputs/0/waits/0/serving", 1));
	CU_ASSERT(is_uint_at(j, "inputs/0/waits/1/serving", 0));
	CU_ASSERT(has_size_at(j, "inputs/0/waits/0/origin", 1));

	/* One definite cycle starting at the member whose hop sorts first. */
	CU_ASSERT(has_size_at(j, "inputs/0/cycles", 1));
	CU_ASSERT(is_string_at(j, "inputs/0/cycles/0/kind", "thread"));
	CU_ASSERT(is_string_at(j, "inputs/0/cycles/0/confidence", "definite"));
	CU_ASSERT(has_size_at(j, "inputs/0/cycles/0/members", 2));
	CU_ASSERT(is_uint_at(j, "inputs/0/cycles/0/members/0/pid", 256));
	CU_ASSERT(is_uint_at(j, "inputs/0/cycles/0/members/0/tid", 260));
	CU_ASSERT(is_string_at(j, "inputs/0/cycles/0/members/0/thread", "0xffffa00000001104"));
	CU_ASSERT(is_string_at(j, "inputs/0/cycles/0/members/1/name", "beta.exe"));
	CU_ASSERT(is_uint_at(j, "inputs/0/cycles/0/waits/0", 0));
	CU_ASSERT(is_uint_at(j, "inputs/0/cycles/0/waits/1", 1));
	CU_ASSERT(is_string_at(
		j, "inputs/0/cycles/0/signature",
		"alpha.exe[\\RPC Control\\BetaPort] -> beta.exe[\\RPC Control\\AlphaPort]"));
	/* FNV-1a 64 of "thread:" and the signature: stable across runs and
	 * builds, so the folder index can group by it. */
	CU_ASSERT(is_string_at(j, "inputs/0/cycles/0/signature_id", "5f21e4918a22081a"));
	CU_ASSERT(has_size_at(j, "inputs/0/chains", 0));
	document_free(&d);
}

static void chain_document_names_the_root_blocker(void)
{
	struct fixture_document d = document_of(fixture_chain_to_critical_section(3));
	struct json_object *j = d.json;
	CU_ASSERT_TRUE(conforms(j));
	CU_ASSERT(has_size_at(j, "inputs/0/cycles", 0));
	CU_ASSERT(has_size_at(j, "inputs/0/chains", 1));
	CU_ASSERT(is_uint_at(j, "inputs/0/chains/0/length", 2));
	CU_ASSERT(is_uint_at(j, "inputs/0/chains/0/waits/0", 0));
	CU_ASSERT(is_uint_at(j, "inputs/0/chains/0/waits/1", 1));
	CU_ASSERT(is_string_at(j, "inputs/0/chains/0/root/kind", "critical_section"));
	CU_ASSERT(is_string_at(j, "inputs/0/chains/0/root/description",
			       "blocked on a critical section"));
	CU_ASSERT(is_uint_at(j, "inputs/0/chains/0/root/pid", 0x1020));
	CU_ASSERT(is_uint_at(j, "inputs/0/chains/0/root/tid", 0x1024));
	CU_ASSERT(is_string_at(j, "inputs/0/chains/0/root/thread", "0xffffa30000102000"));
	CU_ASSERT(is_string_at(j, "inputs/0/chains/0/root/process", "0xffffa20000102000"));
	CU_ASSERT(is_string_at(j, "inputs/0/chains/0/root/name", "link2.exe"));
	CU_ASSERT(is_string_at(j, "inputs/0/chains/0/root/detail",
			       "ntdll!RtlpWaitOnCriticalSection"));
	CU_ASSERT(is_null_at(j, "inputs/0/chains/0/cycle"));
	/* The root thread's own judgement, its stack and its wait object. */
	CU_ASSERT(is_string_at(j, "inputs/0/threads/2/activity/kind", "critical_section"));
	CU_ASSERT(has_size_at(j, "inputs/0/threads/2/frames", 6));
	CU_ASSERT(
		is_string_at(j, "inputs/0/threads/2/frames/3", "ntdll!RtlpWaitOnCriticalSection"));
	CU_ASSERT(
		is_string_at(j, "inputs/0/threads/2/wait_objects/0/address", "0xffffa40000000000"));
	CU_ASSERT(
		is_string_at(j, "inputs/0/threads/2/wait_objects/0/type", "SynchronizationEvent"));
	CU_ASSERT(is_null_at(j, "inputs/0/threads/2/wait_objects/0/owner_thread"));
	CU_ASSERT(is_null_at(j, "inputs/0/threads/2/alpc_wait"));
	document_free(&d);
}

static void quiet_and_ring_documents_conform(void)
{
	struct fixture_document quiet = document_of(fixture_quiet_system());
	CU_ASSERT_TRUE(conforms(quiet.json));
	CU_ASSERT(has_size_at(quiet.json, "inputs/0/waits", 0));
	CU_ASSERT(has_size_at(quiet.json, "inputs/0/cycles", 0));
	CU_ASSERT(has_size_at(quiet.json, "inputs/0/chains", 0));
	CU_ASSERT(is_uint_at(quiet.json, "inputs/0/processes/0/pid", 4));
	CU_ASSERT(has_size_at(quiet.json, "inputs/0/ports/0/queues", 0));
	document_free(&quiet);

	struct fixture_document ring = document_of(fixture_alpc_ring(4));
	CU_ASSERT_TRUE(conforms(ring.json));
	CU_ASSERT(has_size_at(ring.json, "inputs/0/cycles/0/members", 4));
	CU_ASSERT(is_string_at(ring.json, "inputs/0/cycles/0/members/0/name", "proc0.exe"));
	CU_ASSERT(is_string_at(ring.json, "inputs/0/cycles/0/members/3/name", "proc3.exe"));
	document_free(&ring);
}

static void several_inputs_make_one_document(void)
{
	struct snapshot *snapshots[2] = { fixture_alpc_deadlock(), fixture_quiet_system() };
	struct analysis *analyses[2] = { analyze(snapshots[0]), analyze(snapshots[1]) };
	struct rendered out = render_analyses(analyses, 2);
	struct json_object *j = parse_strictly(out.text, out.length);
	CU_ASSERT_TRUE(conforms(j));
	CU_ASSERT(has_size_at(j, "inputs", 2));
	CU_ASSERT(is_string_at(j, "inputs/0/path", "fixture-deadlock.txt"));
	CU_ASSERT(is_string_at(j, "inputs/1/path", "fixture-quiet.txt"));
	json_object_put(j);
	free(out.text);

	out = render_analyses(analyses, 0);
	j = parse_strictly(out.text, out.length);
	CU_ASSERT_TRUE(conforms(j));
	CU_ASSERT(has_size_at(j, "inputs", 0));
	json_object_put(j);
	free(out.text);
	for (int i = 0; i < 2; i++) {
		analysis_free(analyses[i]);
		snapshot_free(snapshots[i]);
	}
}

static void output_is_byte_identical_on_repeated_runs(void)
{
	struct snapshot *snapshot = fixture_alpc_ring(5);
	struct analysis *analysis = analyze(snapshot);
	struct rendered first = render_analyses(&analysis, 1);
	struct rendered second = render_analyses(&analysis, 1);
	CU_ASSERT_EQUAL_FATAL(first.length, second.length);
	CU_ASSERT_EQUAL(memcmp(first.text, second.text, first.length), 0);
	free(first.text);
	free(second.text);
	analysis_free(analysis);
	snapshot_free(snapshot);
}

static void sixty_four_bit_values_survive(void)
{
	struct snapshot *snapshot = fixture_alpc_deadlock();
	struct thread *thread = snapshot_find_thread(snapshot, 0xffffa00000001104ULL);
	thread->wait_ticks = known_u64(UINT64_MAX);
	thread->lpc_port = known_u64(0);
	struct process *process = snapshot_find_process(snapshot, 0xffffa00000002000ULL);
	process->session_id = known_u64(0);
	struct fixture_document d = document_of(snapshot);
	CU_ASSERT_TRUE(conforms(d.json));
	CU_ASSERT(is_uint_at(d.json, "inputs/0/threads/0/wait_ticks", UINT64_MAX));
	CU_ASSERT_PTR_NOT_NULL(strstr(d.rendered.text, "\"wait_ticks\": 18446744073709551615"));
	/* A known zero is 0 or "0x0", not null. */
	CU_ASSERT(is_string_at(d.json, "inputs/0/threads/0/lpc_wait/port", "0x0"));
	CU_ASSERT(is_null_at(d.json, "inputs/0/threads/0/lpc_wait/message_id"));
	CU_ASSERT(is_uint_at(d.json, "inputs/0/processes/1/session_id", 0));
	document_free(&d);
}

/* Two processes each waiting on the other's port, known only from the
 * threads' own wait lines: no message records, no server threads. */
static struct snapshot *probable_deadlock(void)
{
	struct snapshot *s = snapshot_new("probable.txt", "transcript");
	struct thread *threads[2];
	struct port *ports[2];
	for (uint64_t i = 0; i < 2; i++) {
		uint64_t pid = 0x100 * (i + 1);
		struct process *p = snapshot_process(s, known_u64(0x81000000 + (i << 24)),
						     known_u64(pid), origin_line(1));
		p->image = i ? "beta.exe" : "alpha.exe";
		threads[i] = snapshot_thread(s, known_u64(p->address.value + 0x100), p->pid,
					     known_u64(pid + 4), origin_line(2));
		threads[i]->process_address = p->address;
		ports[i] = snapshot_port(s, 0xe1000000 + (i << 24), origin_line(3));
		ports[i]->name = i ? "BetaPort" : "AlphaPort";
		ports[i]->owner_process = p->address;
	}
	for (uint64_t i = 0; i < 2; i++) {
		threads[i]->alpc_wait_message = known_u64(0xe3000000 + (i << 24));
		threads[i]->alpc_wait_port = ports[1 - i]->address;
		threads[i]->alpc_wait_port_owner = ports[1 - i]->owner_process;
	}
	return s;
}

static void process_cycle_is_probable_and_names_no_thread(void)
{
	struct fixture_document d = document_of(probable_deadlock());
	struct json_object *j = d.json;
	CU_ASSERT_TRUE(conforms(j));
	CU_ASSERT(has_size_at(j, "inputs/0/cycles", 1));
	CU_ASSERT(is_string_at(j, "inputs/0/cycles/0/kind", "process"));
	CU_ASSERT(is_string_at(j, "inputs/0/cycles/0/confidence", "probable"));
	CU_ASSERT(is_uint_at(j, "inputs/0/cycles/0/members/0/pid", 0x100));
	CU_ASSERT(is_string_at(j, "inputs/0/cycles/0/members/0/process", "0x81000000"));
	CU_ASSERT(is_null_at(j, "inputs/0/cycles/0/members/0/tid"));
	CU_ASSERT(is_null_at(j, "inputs/0/cycles/0/members/0/thread"));
	CU_ASSERT(is_string_at(j, "inputs/0/cycles/0/signature",
			       "alpha.exe[BetaPort] -> beta.exe[AlphaPort]"));
	/* The message is named only by the thread's wait line. */
	CU_ASSERT(is_string_at(j, "inputs/0/waits/0/message/address", "0xe3000000"));
	CU_ASSERT(is_null_at(j, "inputs/0/waits/0/message/id"));
	CU_ASSERT(is_null_at(j, "inputs/0/waits/0/message/queue"));
	CU_ASSERT(is_string_at(j, "inputs/0/waits/0/port/name", "BetaPort"));
	CU_ASSERT(is_uint_at(j, "inputs/0/waits/0/server/pid", 0x200));
	CU_ASSERT(is_null_at(j, "inputs/0/waits/0/server/tid"));
	CU_ASSERT(is_null_at(j, "inputs/0/waits/0/server/thread"));
	CU_ASSERT(is_string_at(j, "inputs/0/chains/0/root/kind", "no_server_thread"));
	CU_ASSERT(is_null_at(j, "inputs/0/chains/0/root/thread"));
	document_free(&d);
}

/* ---- a snapshot with every field known ---------------------------------- */

static struct origin at_line(uint64_t line)
{
	return origin_line(line);
}

static void fill_lpc_side(struct snapshot *s)
{
	struct process *csrss =
		snapshot_process(s, known_u64(0x84aa0140), known_u64(0x248), at_line(11));
	csrss->image = "csrss.exe";
	csrss->parent_pid = known_u64(0x1d8);
	csrss->session_id = known_u64(0);
	csrss->handle_count = known_u64(412);
	struct process *app =
		snapshot_process(s, known_u64(0x842d5020), known_u64(0x584), at_line(12));
	app->image = "AppA.exe";
	app->debuggee = true;
	origin_list_add(&app->origin, (struct origin){ .kind = ORIGIN_FILE_OFFSET, .at = 0x2000 });
	origin_list_add(&app->origin, (struct origin){ .kind = ORIGIN_VIRTUAL, .at = 0x842d5020 });
	uint32_t second = snapshot_add_source(s, "second.txt");
	origin_list_add(&app->origin,
			(struct origin){ .kind = ORIGIN_LINE, .file = second, .at = 7 });
	/* Past ORIGINS_KEPT: counted by the model, not listed. */
	origin_list_add(&app->origin, at_line(99));

	struct thread *t = snapshot_thread(s, known_u64(0x842a4db0), known_u64(0x584),
					   known_u64(0x680), at_line(20));
	t->process_address = app->address;
	t->debugger_index = known_u64(3);
	t->state = "WAIT";
	t->wait_reason = "WrLpcReply";
	t->wait_mode = "UserMode";
	thread_add_wait_object(s, t, (struct wait_object){ 0x842a4f9c, "Semaphore", UNKNOWN_U64 });
	thread_add_wait_object(s, t,
			       (struct wait_object){ 0x85e9ba00, "Mutant", known_u64(0x8861aab8) });
	t->lpc_wait_message_id = known_u64(0x2249c);
	t->lpc_port = known_u64(0xe1e7b948);
	t->lpc_serving_message_id = known_u64(0x2249a);
	t->wait_ticks = known_u64(4224);
	t->wait_time = "0:00:01:06.000";
	t->irp_count = known_u64(2);
	t->kernel_stack_not_resident = true;
	static const char *frames[] = { "nt!KiSwapContext", "nt!NtRequestWaitReplyPort" };
	thread_set_frames(s, t, frames, 2);

	struct port *api = snapshot_port(s, 0xe14ae238, at_line(30));
	api->name = "ApiPort";
	api->flavor = FLAVOR_LPC;
	api->kind = PORT_LPC_SERVER_CONNECTION;
	api->owner_process = csrss->address;
	api->connected_port = known_u64(0xe1e7b948);
	api->lpc_flags = known_u64(0x80000004);
	api->handles = known_u64(1);
	api->references = known_u64(108);
	api->queue_semaphore = known_u64(0x84a96da8);
	api->semaphore_state = known_u64(0);
	api->queues[QUEUE_LPC_MESSAGES].length = known_u64(1);
	u64_vec_push(&api->queues[QUEUE_LPC_MESSAGES].messages, 0xe20d9b80);
	api->queues[QUEUE_LPC_DATA_INFO].length = known_u64(0);

	struct message *m = snapshot_message(s, FLAVOR_LPC, known_u64(0xe20d9b80),
					     known_u64(0x2249c), at_line(31));
	m->lpc_state = "Busy";
	m->client_pid = known_u64(0x584);
	m->client_tid = known_u64(0x680);
	m->lpc_context = known_u64(0x21);
	m->type = "LPC_REQUEST";
	m->data_length = known_u64(0x7c);
	m->total_length = known_u64(0x98);
	m->queue = QUEUE_LPC_MESSAGES;
	m->queue_port = api->address;
}

static void fill_alpc_side(struct snapshot *s)
{
	struct port *port = snapshot_port(s, 0xffffc48d8895de20ULL, at_line(40));
	port->name = "SmApiPort";
	port->flavor = FLAVOR_ALPC;
	port->kind = PORT_ALPC_CONNECTION;
	port->owner_process = known_u64(0xffffc48d86b00640ULL);
	port->communication_info = known_u64(0xffffa4805c1ca610ULL);
	port->connection_port = port->address;
	port->client_port = known_u64(0);
	port->server_port = known_u64(0);
	port->sequence_number = known_u64(5);
	port->completion_port = known_u64(0xffffc48d888ee1c0ULL);
	port->completion_list = known_u64(0);
	port->connection_pending = NO;
	port->flush_on_close = YES;
	port->security = "Static";
	port->queues[QUEUE_MAIN].length = known_u64(0);
	u64_vec_push(&port->registered_threads, 0xffffc48d8895b080ULL);
	port->registered_thread_count = known_u64(1);
	u64_vec_push(&port->waiting_threads, 0xffffc48d8895b080ULL);
	port->waiting_thread_count = known_u64(1);

	struct message *m = snapshot_message(s, FLAVOR_ALPC, known_u64(0xfffff8800f4cc950ULL),
					     known_u64(0x0bfc), at_line(50));
	m->callback_id = known_u64(0x1fef27);
	m->sequence_number = known_u64(0x4d4d4);
	m->type = "LPC_REQUEST";
	m->data_length = known_u64(0x68);
	m->total_length = known_u64(0x90);
	m->canceled = NO;
	m->release = NO;
	m->reply_wait_reply = NO;
	m->continuation = YES;
	m->quota_charged = NO;
	m->owner_port = known_u64(0xfffffa8018a95e60ULL);
	m->owner_port_kind = PORT_ALPC_CLIENT_COMMUNICATION;
	m->waiting_thread = known_u64(0xfffffa801afae6f0ULL);
	m->queue = QUEUE_PENDING;
	m->queue_port = known_u64(0xfffffa8017dbb060ULL);
	m->queue_port_kind = PORT_ALPC_CONNECTION;
	m->queue_port_owner = known_u64(0xfffffa801807b8f0ULL);
	m->server_thread = known_u64(0xfffffa801aeec060ULL);
	m->cancel_queue_port = known_u64(0);
	m->cancel_sequence_port = known_u64(0);
	m->cancel_sequence_number = known_u64(0);
	m->client_context = known_u64(0x25599e0);
	m->server_context = known_u64(0);
	m->port_context = known_u64(0x30d640);
	m->cancel_port_context = known_u64(0);
	m->security_data = known_u64(0);
	m->view = known_u64(0);

	struct port_connection *c = snapshot_add_connection(s, at_line(60));
	c->connection_port = port->address;
	c->server_port = known_u64(0xffffc48d8b63bbd0ULL);
	c->client_port = known_u64(0xffffc48d8b63be20ULL);
	c->server_queued = known_u64(0);
	c->client_queued = known_u64(2);
	c->server_process = port->owner_process;
	c->client_process = known_u64(0xffffc48d869fd640ULL);
}

/* Rows from the rpcexts documentation's "Session A" (INDEX.md). */
static void fill_rpc_side(struct snapshot *s)
{
	struct rpc_endpoint *e =
		snapshot_rpc_endpoint(s, known_u64(0x278), known_u64(1), at_line(70));
	e->status = known_u64(1);
	e->protocol = "TCP";
	e->name = "1120";
	struct rpc_thread *t = snapshot_rpc_thread(s, known_u64(0x278), known_u64(2), at_line(71));
	t->status = known_u64(1);
	t->tid = known_u64(0x1a4);
	t->last_time = known_u64(0x72c09);
	struct rpc_connection *c =
		snapshot_rpc_connection(s, known_u64(0x3d4), known_u64(3), at_line(72));
	c->flags = "Exclusive";
	c->authentication_level = "Default";
	c->authentication_service = "None";
	c->endpoint_cell = known_u64(1);
	c->last_send_time = known_u64(10595565);
	c->last_receive_time = known_u64(10595565);
	c->caller_process = known_u64(0xff9df5f0);
	struct rpc_server_call *call =
		snapshot_rpc_server_call(s, known_u64(0x278), known_u64(4), at_line(73));
	call->status = known_u64(2);
	call->procedure = known_u64(0);
	call->interface_start = known_u64(0x19bb5061);
	call->thread_cell = known_u64(2);
	call->call_flags = known_u64(1);
	call->call_flag_names = "cached, LRPC";
	call->call_id = known_u64(1);
	call->last_time = known_u64(0x4caa5);
	call->party = RPC_PARTY_CONNECTION;
	call->connection_cell = known_u64(3);
	struct rpc_server_call *lrpc =
		snapshot_rpc_server_call(s, known_u64(0xc4), known_u64(0x19), at_line(74));
	lrpc->status = known_u64(1);
	lrpc->party = RPC_PARTY_CALLER;
	lrpc->caller_pid = known_u64(0xd0);
	lrpc->caller_tid = known_u64(0x1ac);
	struct rpc_client_call *client =
		snapshot_rpc_client_call(s, known_u64(0x390), known_u64(1), at_line(75));
	client->procedure = known_u64(0);
	client->interface_start = known_u64(0x19bb5061);
	client->thread_cell = known_u64(0);
	client->call_id = known_u64(1);
	client->last_time = known_u64(0x4ca9b);
	client->protocol_id = known_u64(7);
	client->client_cell = known_u64(2);
	client->endpoint = "1120";
	client->protocol = "ncacn_ip_tcp";
	client->network_address = "";
	client->debugger_thread = known_u64(1);
}

static struct snapshot *every_field_snapshot(void)
{
	struct snapshot *s = snapshot_new("every-field.txt", "transcript");
	s->capture_index = 2;
	s->capture_count = 3;
	s->first_line = 10;
	s->last_line = 900;
	s->system = (struct system_info){ .arch = "x86",
					  .build = "2600",
					  .debugger = "kd",
					  .machine = "MyServer",
					  .kernel_mode = true,
					  .rpc_time_ms = known_u64(59931126) };
	fill_lpc_side(s);
	fill_alpc_side(s);
	fill_rpc_side(s);
	snapshot_note(s, at_line(80), "skipped command %s", "!locks");
	snapshot_warn(s, at_line(81), "truncated line");
	snapshot_fail(s, error_at_line(ERROR_TRUNCATED, "every-field.txt", 900, "input ends"));
	return s;
}

static void every_field_is_written_as_documented(void)
{
	struct fixture_document d = document_of(every_field_snapshot());
	struct json_object *j = d.json;
	CU_ASSERT_TRUE(conforms(j));
	CU_ASSERT(is_uint_at(j, "inputs/0/capture/index", 2));
	CU_ASSERT(is_uint_at(j, "inputs/0/capture/count", 3));
	CU_ASSERT(is_uint_at(j, "inputs/0/capture/first_line", 10));
	CU_ASSERT(is_uint_at(j, "inputs/0/capture/last_line", 900));
	CU_ASSERT(is_string_at(j, "inputs/0/status", "error"));
	CU_ASSERT(is_string_at(j, "inputs/0/errors/0", "every-field.txt:900: input ends"));
	CU_ASSERT(is_string_at(j, "inputs/0/warnings/0", "every-field.txt:81: truncated line"));
	CU_ASSERT(
		is_string_at(j, "inputs/0/notes/0", "every-field.txt:80: skipped command !locks"));
	CU_ASSERT(is_string_at(j, "inputs/0/system/machine", "MyServer"));
	CU_ASSERT(is_uint_at(j, "inputs/0/system/rpc_time_ms", 59931126));

	CU_ASSERT(is_uint_at(j, "inputs/0/processes/0/parent_pid", 0x1d8));
	CU_ASSERT(is_uint_at(j, "inputs/0/processes/0/session_id", 0));
	CU_ASSERT(is_uint_at(j, "inputs/0/processes/0/handle_count", 412));
	CU_ASSERT(is_bool_at(j, "inputs/0/processes/1/debuggee", true));
	CU_ASSERT(is_string_at(j, "inputs/0/processes/1/origin/0", "every-field.txt:12"));
	CU_ASSERT(is_string_at(j, "inputs/0/processes/1/origin/1", "every-field.txt@0x2000"));
	CU_ASSERT(
		is_string_at(j, "inputs/0/processes/1/origin/2", "every-field.txt:va 0x842d5020"));
	CU_ASSERT(is_string_at(j, "inputs/0/processes/1/origin/3", "second.txt:7"));
	CU_ASSERT(has_size_at(j, "inputs/0/processes/1/origin", 4));

	CU_ASSERT(is_uint_at(j, "inputs/0/threads/0/debugger_thread", 3));
	CU_ASSERT(is_string_at(j, "inputs/0/threads/0/wait_objects/1/type", "Mutant"));
	CU_ASSERT(is_string_at(j, "inputs/0/threads/0/wait_objects/1/owner_thread", "0x8861aab8"));
	CU_ASSERT(is_null_at(j, "inputs/0/threads/0/alpc_wait"));
	CU_ASSERT(is_uint_at(j, "inputs/0/threads/0/lpc_wait/message_id", 0x2249c));
	CU_ASSERT(is_string_at(j, "inputs/0/threads/0/lpc_wait/port", "0xe1e7b948"));
	CU_ASSERT(is_uint_at(j, "inputs/0/threads/0/lpc_serving_message_id", 0x2249a));
	CU_ASSERT(is_uint_at(j, "inputs/0/threads/0/wait_ticks", 4224));
	CU_ASSERT(is_string_at(j, "inputs/0/threads/0/wait_time", "0:00:01:06.000"));
	CU_ASSERT(is_uint_at(j, "inputs/0/threads/0/irp_count", 2));
	CU_ASSERT(is_bool_at(j, "inputs/0/threads/0/kernel_stack_not_resident", true));

	CU_ASSERT(is_string_at(j, "inputs/0/ports/0/flavor", "lpc"));
	CU_ASSERT(is_string_at(j, "inputs/0/ports/0/kind", "lpc_server_connection"));
	CU_ASSERT(is_uint_at(j, "inputs/0/ports/0/owner_pid", 0x248));
	CU_ASSERT(is_string_at(j, "inputs/0/ports/0/owner_name", "csrss.exe"));
	CU_ASSERT(is_uint_at(j, "inputs/0/ports/0/lpc_flags", 0x80000004));
	CU_ASSERT(is_uint_at(j, "inputs/0/ports/0/references", 108));
	CU_ASSERT(is_string_at(j, "inputs/0/ports/0/queue_semaphore", "0x84a96da8"));
	CU_ASSERT(is_uint_at(j, "inputs/0/ports/0/semaphore_state", 0));
	CU_ASSERT(has_size_at(j, "inputs/0/ports/0/queues", 2));
	CU_ASSERT(is_uint_at(j, "inputs/0/ports/0/queues/lpc_message_queue/length", 1));
	CU_ASSERT(is_uint_at(j, "inputs/0/ports/0/queues/lpc_data_info/length", 0));
	CU_ASSERT(has_size_at(j, "inputs/0/ports/0/queues/lpc_data_info/messages", 0));
	CU_ASSERT(is_null_at(j, "inputs/0/ports/1/owner_pid"));
	CU_ASSERT(is_string_at(j, "inputs/0/ports/1/client_port", "0x0"));
	CU_ASSERT(is_bool_at(j, "inputs/0/ports/1/flags/flush_on_close", true));
	CU_ASSERT(is_bool_at(j, "inputs/0/ports/1/flags/connection_pending", false));
	CU_ASSERT(is_null_at(j, "inputs/0/ports/1/flags/waitable"));
	CU_ASSERT(is_uint_at(j, "inputs/0/ports/1/queues/main/length", 0));
	CU_ASSERT(is_string_at(j, "inputs/0/ports/1/registered_threads/0", "0xffffc48d8895b080"));

	CU_ASSERT(is_string_at(j, "inputs/0/messages/0/lpc_state", "Busy"));
	CU_ASSERT(is_uint_at(j, "inputs/0/messages/0/client_tid", 0x680));
	CU_ASSERT(is_string_at(j, "inputs/0/messages/0/lpc_context", "0x21"));
	CU_ASSERT(is_string_at(j, "inputs/0/messages/0/queue", "lpc_message_queue"));
	CU_ASSERT(is_uint_at(j, "inputs/0/messages/1/callback_id", 0x1fef27));
	CU_ASSERT(is_bool_at(j, "inputs/0/messages/1/continuation", true));
	CU_ASSERT(is_bool_at(j, "inputs/0/messages/1/quota_charged", false));
	CU_ASSERT(is_string_at(j, "inputs/0/messages/1/owner_port_kind",
			       "alpc_client_communication"));
	CU_ASSERT(is_string_at(j, "inputs/0/messages/1/client_context", "0x25599e0"));
	CU_ASSERT(is_string_at(j, "inputs/0/messages/1/view", "0x0"));

	CU_ASSERT(is_uint_at(j, "inputs/0/connections/0/client_queued", 2));
	CU_ASSERT(is_string_at(j, "inputs/0/connections/0/origin/0", "every-field.txt:60"));

	CU_ASSERT(is_string_at(j, "inputs/0/rpc/endpoints/0/cell", "0000.0001"));
	CU_ASSERT(is_string_at(j, "inputs/0/rpc/endpoints/0/name", "1120"));
	CU_ASSERT(is_string_at(j, "inputs/0/rpc/threads/0/status_name", "dispatched"));
	CU_ASSERT(is_uint_at(j, "inputs/0/rpc/threads/0/last_time_ms", 470025));
	CU_ASSERT(is_string_at(j, "inputs/0/rpc/connections/0/endpoint_cell", "0000.0001"));
	CU_ASSERT(is_string_at(j, "inputs/0/rpc/connections/0/caller_process", "0xff9df5f0"));
	CU_ASSERT(is_uint_at(j, "inputs/0/rpc/server_calls/0/pid", 0x278));
	CU_ASSERT(is_string_at(j, "inputs/0/rpc/server_calls/0/cell", "0000.0004"));
	CU_ASSERT(is_string_at(j, "inputs/0/rpc/server_calls/0/status_name", "dispatched"));
	CU_ASSERT(is_string_at(j, "inputs/0/rpc/server_calls/0/interface_start", "19bb5061"));
	CU_ASSERT(is_string_at(j, "inputs/0/rpc/server_calls/0/connection_cell", "0000.0003"));
	CU_ASSERT(is_null_at(j, "inputs/0/rpc/server_calls/0/caller_pid"));
	CU_ASSERT(is_string_at(j, "inputs/0/rpc/server_calls/1/cell", "0000.0019"));
	CU_ASSERT(is_string_at(j, "inputs/0/rpc/server_calls/1/status_name", "active"));
	CU_ASSERT(is_uint_at(j, "inputs/0/rpc/server_calls/1/caller_tid", 0x1ac));
	CU_ASSERT(is_null_at(j, "inputs/0/rpc/server_calls/1/interface_start"));
	CU_ASSERT(is_string_at(j, "inputs/0/rpc/client_calls/0/client_cell", "0000.0002"));
	CU_ASSERT(is_string_at(j, "inputs/0/rpc/client_calls/0/network_address", ""));
	CU_ASSERT(is_uint_at(j, "inputs/0/rpc/client_calls/0/protocol_id", 7));
	document_free(&d);
}

/* ---- hostile names ------------------------------------------------------- */

static void hostile_names_round_trip_and_never_close_a_script(void)
{
	struct fixture_document d = document_of(fixture_hostile_names());
	struct json_object *j = d.json;
	CU_ASSERT_TRUE(conforms(j));
	CU_ASSERT_PTR_NULL(strstr(d.rendered.text, "</"));
	CU_ASSERT_PTR_NOT_NULL(strstr(d.rendered.text, "<\\/script>"));
	CU_ASSERT(is_string_at(j, "inputs/0/path", "<script>alert(1)</script>.txt"));
	/* Every name reads back exactly as the snapshot holds it. */
	const struct snapshot *s = d.snapshot;
	char path[64];
	for (size_t i = 0; i < s->processes.count; i++) {
		const struct process *process = s->processes.items[i];
		snprintf(path, sizeof path, "inputs/0/processes/%zu/name", i);
		CU_ASSERT(is_string_at(j, path, process->image));
	}
	for (size_t i = 0; i < s->ports.count; i++) {
		const struct port *port = s->ports.items[i];
		snprintf(path, sizeof path, "inputs/0/ports/%zu/name", i);
		CU_ASSERT(is_string_at(j, path, port->name));
	}
	const struct diagnostic *warning = s->diagnostics.items[0];
	CU_ASSERT(is_string_at(j, "inputs/0/warnings/0", warning->text));
	CU_ASSERT(is_string_at(j, "inputs/0/processes/0/name", "<img src=x onerror=alert(1)>"));
	CU_ASSERT(is_string_at(j, "inputs/0/processes/1/name", "caf\xef\xbf\xbd-\xef\xbf\xbd.exe"));
	CU_ASSERT(is_string_at(j, "inputs/0/ports/0/name",
			       "\\RPC Control\\\"];x[label=<b>&amp;</b>]\"<script>"));
	CU_ASSERT(is_string_at(j, "inputs/0/cycles/0/members/0/name",
			       "<img src=x onerror=alert(1)>"));
	document_free(&d);
}

static void path_with_control_characters_stays_valid(void)
{
	struct snapshot *snapshot = snapshot_new("evil\x1b[31m\xff\n.txt", "transcript");
	snapshot_warn(snapshot, at_line(3), "here");
	struct fixture_document d = document_of(snapshot);
	CU_ASSERT_TRUE(conforms(d.json));
	CU_ASSERT_PTR_NOT_NULL(strstr(d.rendered.text, "\"evil\\u001b[31m\\ufffd\\u000a.txt\""));
	CU_ASSERT(is_string_at(d.json, "inputs/0/path", "evil\x1b[31m\xef\xbf\xbd\n.txt"));
	document_free(&d);
}

/* ---- the schema itself ----------------------------------------------------- */

static void docs_hold_exactly_one_json_block(void)
{
	char *doc = json_docs_text();
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	size_t start, end;
	CU_ASSERT_TRUE(json_docs_schema_block(doc, &start, &end));
	free(doc);
	CU_ASSERT(is_string_at(schema(), "$defs/address/pattern", "^0x(0|[1-9a-f][0-9a-f]*)$"));
}

/* Walks every schema object in the document, calling visit on each. */
static void each_schema(struct json_object *node, const char *where,
			void (*visit)(struct json_object *schema, const char *where, void *context),
			void *context)
{
	if (!json_object_is_type(node, json_type_object))
		return;
	visit(node, where, context);
	char inner[512];
	static const char *const containers[] = { "properties", "$defs" };
	for (size_t c = 0; c < 2; c++) {
		struct json_object *children;
		if (!json_object_object_get_ex(node, containers[c], &children))
			continue;
		json_object_object_foreach(children, name, child) {
			snprintf(inner, sizeof inner, "%s/%s/%s", where, containers[c], name);
			each_schema(child, inner, visit, context);
		}
	}
	struct json_object *items;
	if (json_object_object_get_ex(node, "items", &items)) {
		snprintf(inner, sizeof inner, "%s/items", where);
		each_schema(items, inner, visit, context);
	}
}

/* Every object schema closes its key set and requires every key, so a key
 * the renderer adds or drops fails validation — except the port queues,
 * which hold only the queues the capture mentioned. */
static void check_closed(struct json_object *node, const char *where, void *context)
{
	struct json_object *properties, *required, *additional;
	if (!json_object_object_get_ex(node, "properties", &properties))
		return;
	(*(unsigned *)context)++;
	bool closed = json_object_object_get_ex(node, "additionalProperties", &additional) &&
		      json_object_is_type(additional, json_type_boolean) &&
		      !json_object_get_boolean(additional);
	if (!closed)
		fprintf(stderr, "\n  %s: additionalProperties is not false\n", where);
	CU_ASSERT_TRUE(closed);
	if (strcmp(where, "/$defs/port_queues") == 0) {
		CU_ASSERT_FALSE(json_object_object_get_ex(node, "required", NULL));
		return;
	}
	bool listed =
		json_object_object_get_ex(node, "required", &required) &&
		json_object_array_length(required) == (size_t)json_object_object_length(properties);
	for (size_t i = 0; listed && i < json_object_array_length(required); i++)
		listed = json_object_object_get_ex(
			properties, json_object_get_string(json_object_array_get_idx(required, i)),
			NULL);
	if (!listed)
		fprintf(stderr, "\n  %s: required does not list every property\n", where);
	CU_ASSERT_TRUE(listed);
}

static void schema_objects_are_closed_and_fully_required(void)
{
	unsigned objects = 0;
	each_schema(schema(), "", check_closed, &objects);
	CU_ASSERT(objects > 30);
}

struct prose {
	const char *text;
	unsigned keys;
};

static void check_documented(struct json_object *node, const char *where, void *context)
{
	struct prose *prose = context;
	struct json_object *properties;
	if (!json_object_object_get_ex(node, "properties", &properties))
		return;
	json_object_object_foreach(properties, name, unused) {
		(void)unused;
		char quoted[128];
		snprintf(quoted, sizeof quoted, "`%s`", name);
		bool documented = strstr(prose->text, quoted) != NULL;
		if (!documented)
			fprintf(stderr, "\n  %s: key %s is not described in docs/json.md\n", where,
				quoted);
		CU_ASSERT_TRUE(documented);
		prose->keys++;
	}
}

static void every_schema_key_is_described_in_the_prose(void)
{
	char *doc = json_docs_text();
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	size_t start, end;
	CU_ASSERT_TRUE_FATAL(json_docs_schema_block(doc, &start, &end));
	doc[start] = '\0'; /* the prose is what comes before the schema */
	struct prose prose = { doc, 0 };
	each_schema(schema(), "", check_documented, &prose);
	CU_ASSERT(prose.keys > 200);
	free(doc);
}

/* ---- the validator says no --------------------------------------------- */

static char *check_against(const char *schema_text, const char *instance_text)
{
	struct json_object *small_schema = json_tokener_parse(schema_text);
	struct json_object *instance = json_tokener_parse(instance_text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(small_schema);
	char *failure = json_schema_validate(small_schema, instance, JSON_SCHEMA_KEY_ORDER);
	json_object_put(small_schema);
	json_object_put(instance);
	return failure;
}

static bool accepts(const char *schema_text, const char *instance_text)
{
	char *failure = check_against(schema_text, instance_text);
	free(failure);
	return failure == NULL;
}

/* The failure message, checked to contain the expected words. */
static bool rejects_with(const char *schema_text, const char *instance_text, const char *words)
{
	char *failure = check_against(schema_text, instance_text);
	bool ok = failure && strstr(failure, words);
	if (!ok)
		fprintf(stderr, "\n  expected a failure with \"%s\", got \"%s\"\n", words,
			failure ? failure : "(accepted)");
	free(failure);
	return ok;
}

static void validator_applies_each_keyword(void)
{
	static const char nullable[] = "{\"type\": [\"integer\", \"null\"], \"minimum\": 0}";
	CU_ASSERT(accepts(nullable, "5"));
	CU_ASSERT(accepts(nullable, "null"));
	CU_ASSERT(rejects_with(nullable, "\"5\"", "not of type"));
	CU_ASSERT(rejects_with(nullable, "1.5", "not of type"));
	CU_ASSERT(rejects_with(nullable, "-1", "minimum"));
	CU_ASSERT(accepts(nullable, "18446744073709551615"));

	static const char object[] =
		"{\"type\": \"object\", \"properties\": {\"a\": {\"const\": 1}, \"b\": {\"enum\": "
		"[\"x\", null]}}, \"required\": [\"a\", \"b\"], \"additionalProperties\": false}";
	CU_ASSERT(accepts(object, "{\"a\": 1, \"b\": null}"));
	CU_ASSERT(rejects_with(object, "{\"a\": 2, \"b\": null}", "/a: 2 is not 1"));
	CU_ASSERT(rejects_with(object, "{\"a\": 1, \"b\": \"y\"}", "/b: \"y\" is not one of"));
	CU_ASSERT(rejects_with(object, "{\"a\": 1}", "required key \"b\" is missing"));
	CU_ASSERT(
		rejects_with(object, "{\"a\": 1, \"b\": \"x\", \"c\": 0}", "\"c\" is not allowed"));
	CU_ASSERT(rejects_with(object, "{\"b\": \"x\", \"a\": 1}", "comes after"));
	CU_ASSERT(rejects_with(object, "[]", "not of type object"));

	static const char listed[] =
		"{\"$defs\": {\"hex\": {\"type\": \"string\", \"pattern\": \"^0x[0-9a-f]+$\"}}, "
		"\"type\": \"array\", \"items\": {\"$ref\": \"#/$defs/hex\"}}";
	CU_ASSERT(accepts(listed, "[\"0x1\", \"0xff\"]"));
	CU_ASSERT(rejects_with(listed, "[\"0x1\", \"0xFF\"]", "/1: \"0xFF\" does not match"));
	CU_ASSERT(rejects_with("{\"$ref\": \"#/$defs/none\"}", "1", "cannot resolve"));
	CU_ASSERT(rejects_with("{\"minItems\": 1}", "[]", "unsupported keyword \"minItems\""));
	CU_ASSERT(rejects_with("{\"pattern\": \"(\"}", "\"x\"", "bad pattern"));
}

/* Breaks one thing in a rendered document and expects the schema to say
 * where. */
static void expect_rejected(struct json_object *document, const char *words)
{
	char *failure = json_schema_validate(schema(), document, JSON_SCHEMA_KEY_ORDER);
	bool ok = failure && strstr(failure, words);
	if (!ok)
		fprintf(stderr, "\n  expected a failure with \"%s\", got \"%s\"\n", words,
			failure ? failure : "(accepted)");
	CU_ASSERT_TRUE(ok);
	free(failure);
}

static struct json_object *object_at(struct json_object *root, const char *path)
{
	bool found;
	struct json_object *value = value_at(root, path, &found);
	CU_ASSERT_TRUE_FATAL(found && value);
	return value;
}

static void schema_rejects_broken_reports(void)
{
	struct fixture_document d = document_of(fixture_alpc_deadlock());
	CU_ASSERT_TRUE_FATAL(conforms(d.json));
	struct json_object *process = object_at(d.json, "inputs/0/processes/0");
	struct json_object *thread = object_at(d.json, "inputs/0/threads/0");
	struct json_object *input = object_at(d.json, "inputs/0");

	/* A wrong type. */
	json_object_object_add(process, "pid", json_object_new_string("256"));
	expect_rejected(d.json, "/inputs/0/processes/0/pid: \"256\" is not of type");
	json_object_object_add(process, "pid", json_object_new_int64(256));
	CU_ASSERT_TRUE(conforms(d.json));

	/* A missing key. */
	json_object_object_del(input, "status");
	expect_rejected(d.json, "/inputs/0: required key \"status\" is missing");
	json_object_object_add(input, "status", json_object_new_string("ok"));
	/* Back, but now after "chains": the order is wrong. */
	expect_rejected(d.json, "/inputs/0: key \"status\" comes after");

	struct fixture_document fresh = document_of(fixture_alpc_deadlock());
	thread = object_at(fresh.json, "inputs/0/threads/0");
	/* An extra key. */
	json_object_object_add(thread, "priority", json_object_new_int(8));
	expect_rejected(fresh.json, "/inputs/0/threads/0: key \"priority\" is not allowed");
	json_object_object_del(thread, "priority");
	CU_ASSERT_TRUE(conforms(fresh.json));
	/* Addresses that break the pattern: upper case, leading zeros, no 0x. */
	static const char *const bad_addresses[] = { "0xFFFFA00000001104", "0x0000a000", "ffffa000",
						     "" };
	for (size_t i = 0; i < sizeof bad_addresses / sizeof *bad_addresses; i++) {
		json_object_object_add(thread, "address", json_object_new_string(bad_addresses[i]));
		expect_rejected(fresh.json, "/inputs/0/threads/0/address");
	}
	json_object_object_add(thread, "address", json_object_new_string("0xffffa00000001104"));
	CU_ASSERT_TRUE(conforms(fresh.json));
	/* A value outside an enumeration. */
	json_object_object_add(object_at(fresh.json, "inputs/0/waits/0"), "via",
			       json_object_new_string("pipe"));
	expect_rejected(fresh.json, "/inputs/0/waits/0/via");
	document_free(&fresh);
	document_free(&d);
}

int main(void)
{
	static const struct test_case writer[] = {
		{ "indents by two, keeps empty containers short",
		  writer_indents_by_two_and_keeps_empty_containers_short },
		{ "escapes for JSON and HTML", writer_escapes_for_json_and_html },
		{ "reports misuse", writer_reports_misuse },
		{ "write errors are reported", write_errors_are_reported },
		{ NULL, NULL },
	};
	static const struct test_case report[] = {
		{ "deadlock document has exact values", deadlock_document_has_exact_values },
		{ "chain document names the root blocker", chain_document_names_the_root_blocker },
		{ "quiet and ring documents conform", quiet_and_ring_documents_conform },
		{ "several inputs make one document", several_inputs_make_one_document },
		{ "output is byte-identical on repeated runs",
		  output_is_byte_identical_on_repeated_runs },
		{ "64-bit values survive", sixty_four_bit_values_survive },
		{ "process cycle is probable and names no thread",
		  process_cycle_is_probable_and_names_no_thread },
		{ "every field is written as documented", every_field_is_written_as_documented },
		{ "hostile names round-trip and never close a script",
		  hostile_names_round_trip_and_never_close_a_script },
		{ "path with control characters stays valid",
		  path_with_control_characters_stays_valid },
		{ NULL, NULL },
	};
	static const struct test_case contract[] = {
		{ "docs hold exactly one json block", docs_hold_exactly_one_json_block },
		{ "schema objects are closed and fully required",
		  schema_objects_are_closed_and_fully_required },
		{ "every schema key is described in the prose",
		  every_schema_key_is_described_in_the_prose },
		{ "validator applies each keyword", validator_applies_each_keyword },
		{ "schema rejects broken reports", schema_rejects_broken_reports },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = {
		{ "json writer", writer },
		{ "json report", report },
		{ "json contract", contract },
	};
	int status = run_suites("test_render_json", suites, 3);
	json_object_put(parsed_schema);
	return status;
}
