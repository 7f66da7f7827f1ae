/* A saved document as a whole: the file read under its cap, parsed under
 * a nesting limit, format_version checked, and each element of "inputs"
 * made a snapshot again — its header (path, format, capture, status and
 * diagnostics as written), its system facts and its records. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "saved_internal.h"

enum { FORMAT_VERSION = 1 };

/* ---- parsing ------------------------------------------------------------ */

static struct error *parse_document(const char *name, const char *text, size_t length,
				    json_object **root)
{
	*root = NULL;
	if (length > (size_t)SAVED_MAX_FILE_BYTES)
		return error_in_file(ERROR_LIMIT, name, "%zu bytes: more than the %d MiB a saved report may hold",
				     length, SAVED_MAX_FILE_BYTES >> 20);
	/* Bound the values json-c may make before it starts: an overcount
	 * (separators inside strings count too), as the ISF reader does. */
	size_t values = 0;
	for (size_t i = 0; i < length; i++)
		values += text[i] == ':' || text[i] == ',' || text[i] == '{' || text[i] == '[';
	if (values > (size_t)SAVED_MAX_VALUES)
		return error_in_file(ERROR_LIMIT, name,
				     "%zu separators: more than the %d values a saved report may hold",
				     values, SAVED_MAX_VALUES);
	json_tokener *tokener = json_tokener_new_ex(SAVED_MAX_DEPTH);
	if (!tokener)
		return error_in_file(ERROR_NO_MEMORY, name, "out of memory parsing JSON");
	json_tokener_set_flags(tokener, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	/* json-c takes an int length; the cap keeps within it. */
	*root = json_tokener_parse_ex(tokener, text, (int)length);
	enum json_tokener_error status = json_tokener_get_error(tokener);
	size_t end = json_tokener_get_parse_end(tokener);
	json_tokener_free(tokener);
	struct error *error = NULL;
	if (status == json_tokener_continue || (!*root && status == json_tokener_success))
		error = error_at_offset(ERROR_TRUNCATED, name, length,
					"the JSON ends in the middle of a value");
	else if (status == json_tokener_error_depth)
		error = error_at_offset(ERROR_LIMIT, name, end,
					"JSON nested more than %d deep: not an alpcgraph report",
					SAVED_MAX_DEPTH);
	else if (status != json_tokener_success)
		/* Strict mode: text after the document is an error here too. */
		error = error_at_offset(ERROR_FORMAT, name, end, "not JSON: %s",
					json_tokener_error_desc(status));
	if (error) {
		json_object_put(*root);
		*root = NULL;
	}
	return error;
}

/* The document's "inputs", or why it is not a document we can read. */
static struct error *document_inputs(const char *name, json_object *root, json_object **inputs)
{
	if (!json_object_is_type(root, json_type_object))
		return error_in_file(ERROR_FORMAT, name, "not an alpcgraph JSON report: not a JSON object");
	json_object *version = NULL;
	if (!json_object_object_get_ex(root, "format_version", &version))
		return error_in_file(ERROR_FORMAT, name,
				     "not an alpcgraph JSON report: no format_version");
	if (!json_object_is_type(version, json_type_int))
		return error_in_file(ERROR_FORMAT, name, "format_version: not an integer");
	if (json_object_get_int64(version) != FORMAT_VERSION)
		return error_in_file(ERROR_UNSUPPORTED, name,
				     "format_version %s: this alpcgraph reads format_version %d "
				     "(docs/json.md)",
				     json_object_to_json_string(version), FORMAT_VERSION);
	if (!json_object_object_get_ex(root, "inputs", inputs) ||
	    !json_object_is_type(*inputs, json_type_array))
		return error_in_file(ERROR_FORMAT, name, "inputs: not an array");
	return NULL;
}

/* ---- the input header ----------------------------------------------------- */

static void read_capture(struct saved_reader *reader, json_object *input)
{
	struct snapshot *snapshot = reader->snapshot;
	json_object *capture = saved_object(reader, input, "capture");
	if (!capture)
		return;
	size_t mark = saved_enter_key(reader, "capture");
	maybe_u64 index = saved_uint_below(reader, capture, "index", UINT32_MAX);
	maybe_u64 count = saved_uint_below(reader, capture, "count", UINT32_MAX);
	if (index.known && count.known && (index.value < 1 || index.value > count.value)) {
		saved_problem(reader, "index %llu is not from 1 to count %llu",
			      (unsigned long long)index.value, (unsigned long long)count.value);
	} else {
		if (index.known)
			snapshot->capture_index = (uint32_t)index.value;
		if (count.known)
			snapshot->capture_count = (uint32_t)count.value;
	}
	maybe_u64 first = saved_uint(reader, capture, "first_line");
	maybe_u64 last = saved_uint(reader, capture, "last_line");
	snapshot->first_line = first.known ? first.value : 0;
	snapshot->last_line = last.known ? last.value : 0;
	saved_leave(reader, mark);
}

static const char *status_name(int status)
{
	return snapshot_status_name((enum snapshot_status)status);
}

/* The diagnostics as written, word for word: they already name their file
 * and line.  The model's cap holds (errors are always kept). */
static void read_diagnostics(struct saved_reader *reader, json_object *input, const char *key,
			     enum diagnostic_level level)
{
	json_object *list = saved_array(reader, input, key);
	if (!list)
		return;
	struct snapshot *snapshot = reader->snapshot;
	size_t length = json_object_array_length(list);
	size_t key_mark = saved_enter_key(reader, key);
	for (size_t i = 0; i < length; i++) {
		json_object *text = json_object_array_get_idx(list, i);
		if (!json_object_is_type(text, json_type_string)) {
			size_t mark = saved_enter_index(reader, i);
			saved_problem(reader, "not a string");
			saved_leave(reader, mark);
			continue;
		}
		if (level != DIAGNOSTIC_ERROR && snapshot->diagnostics.count >= SAVED_DIAGNOSTICS_KEPT) {
			snapshot->diagnostics_dropped++;
			continue;
		}
		struct diagnostic *diagnostic = arena_alloc(&snapshot->arena, sizeof *diagnostic);
		diagnostic->level = level;
		diagnostic->text = (char *)snapshot_text(snapshot, json_object_get_string(text),
							 (size_t)json_object_get_string_len(text));
		ptr_vec_push(&snapshot->diagnostics, diagnostic);
	}
	saved_leave(reader, key_mark);
}

/* Read into a snapshot of several inputs (--same-machine), the capture
 * is that snapshot's own. */
static void read_header(struct saved_reader *reader, json_object *input, bool with_capture)
{
	if (with_capture)
		read_capture(reader, input);
	int status = saved_name(reader, input, "status", status_name, STATUS_ERROR + 1,
				"status (ok, partial or error)");
	if ((enum snapshot_status)status > reader->snapshot->status)
		reader->snapshot->status = (enum snapshot_status)status;
	read_diagnostics(reader, input, "errors", DIAGNOSTIC_ERROR);
	read_diagnostics(reader, input, "warnings", DIAGNOSTIC_WARNING);
	read_diagnostics(reader, input, "notes", DIAGNOSTIC_NOTE);
}

/* ---- the system ----------------------------------------------------------- */

/* "2024-03-05T10:11:12Z" back to a FILETIME (100 ns since 1601; 11644473600 s
 * separate 1601 from 1970), as reports/render_json.c wrote it. */
static maybe_u64 read_system_time(struct saved_reader *reader, json_object *system)
{
	const char *text = saved_text(reader, system, "system_time");
	if (!text)
		return UNKNOWN_U64;
	struct tm utc = { 0 };
	char *end = strptime(text, "%Y-%m-%dT%H:%M:%SZ", &utc);
	time_t seconds = end && !*end ? timegm(&utc) : (time_t)-1;
	if (seconds < 0) {
		size_t mark = saved_enter_key(reader, "system_time");
		saved_problem(reader, "not a time (\"YYYY-MM-DDTHH:MM:SSZ\", 1970 or later)");
		saved_leave(reader, mark);
		return UNKNOWN_U64;
	}
	return known_u64((uint64_t)seconds * 10000000u + 116444736000000000ULL);
}

static void read_bugcheck_parameters(struct saved_reader *reader, struct system_info *info,
				     json_object *system)
{
	json_object *parameters = saved_array(reader, system, "bugcheck_parameters");
	if (!parameters)
		return;
	size_t key = saved_enter_key(reader, "bugcheck_parameters");
	size_t length = json_object_array_length(parameters);
	if (length > 4)
		saved_problem(reader, "%zu parameters: a bugcheck has 4", length);
	for (size_t i = 0; i < length && i < 4; i++) {
		size_t mark = saved_enter_index(reader, i);
		maybe_fill(&info->bugcheck_parameters[i],
			   saved_address_value(reader, json_object_array_get_idx(parameters, i)));
		saved_leave(reader, mark);
	}
	saved_leave(reader, key);
}

static void fill_text(const char **into, const char *text)
{
	if (!*into)
		*into = text;
}

static void read_system(struct saved_reader *reader, json_object *input)
{
	json_object *system = saved_object(reader, input, "system");
	if (!system)
		return;
	struct system_info *info = &reader->snapshot->system;
	size_t mark = saved_enter_key(reader, "system");
	fill_text(&info->build, saved_text(reader, system, "build"));
	fill_text(&info->arch, saved_text(reader, system, "arch"));
	fill_text(&info->dump_type, saved_text(reader, system, "dump_type"));
	fill_text(&info->debugger, saved_text(reader, system, "debugger"));
	fill_text(&info->machine, saved_text(reader, system, "machine"));
	info->kernel_mode |= saved_bool(reader, system, "kernel_mode");
	maybe_fill(&info->rpc_time_ms, saved_uint(reader, system, "rpc_time_ms"));
	fill_text(&info->paging, saved_text(reader, system, "paging"));
	fill_text(&info->build_source, saved_text(reader, system, "build_source"));
	fill_text(&info->pdb_name, saved_text(reader, system, "pdb_name"));
	fill_text(&info->pdb_guid, saved_text(reader, system, "pdb_guid"));
	maybe_fill(&info->pdb_age, saved_uint(reader, system, "pdb_age"));
	fill_text(&info->profile, saved_text(reader, system, "profile"));
	fill_text(&info->profile_reason, saved_text(reader, system, "profile_reason"));
	maybe_fill(&info->processors, saved_uint(reader, system, "processors"));
	maybe_fill(&info->present_pages, saved_uint(reader, system, "present_pages"));
	maybe_fill(&info->page_ranges, saved_uint(reader, system, "page_ranges"));
	maybe_fill(&info->dtb, saved_address(reader, system, "dtb"));
	fill_text(&info->dtb_source, saved_text(reader, system, "dtb_source"));
	maybe_fill(&info->kernel_base, saved_address(reader, system, "kernel_base"));
	fill_text(&info->kernel_base_source, saved_text(reader, system, "kernel_base_source"));
	maybe_fill(&info->ps_active_process_head,
		   saved_address(reader, system, "ps_active_process_head"));
	maybe_fill(&info->ps_loaded_module_list,
		   saved_address(reader, system, "ps_loaded_module_list"));
	fill_text(&info->list_heads_source, saved_text(reader, system, "list_heads_source"));
	maybe_fill(&info->kd_debugger_data_block,
		   saved_address(reader, system, "kd_debugger_data_block"));
	fill_text(&info->kdbg_state, saved_text(reader, system, "kdbg_state"));
	fill_text(&info->kdbg_source, saved_text(reader, system, "kdbg_source"));
	maybe_fill(&info->bugcheck_code, saved_uint(reader, system, "bugcheck_code"));
	read_bugcheck_parameters(reader, info, system);
	maybe_fill(&info->system_time, read_system_time(reader, system));
	/* uptime_ms was SystemUpTime (100 ns) / 10000. */
	maybe_u64 uptime = saved_uint_below(reader, system, "uptime_ms", UINT64_MAX / 10000);
	if (uptime.known)
		maybe_fill(&info->system_uptime, known_u64(uptime.value * 10000));
	saved_leave(reader, mark);
}

/* ---- inputs ------------------------------------------------------------- */

static void read_records(struct saved_reader *reader, json_object *input)
{
	read_system(reader, input);
	saved_read_processes(reader, input);
	saved_read_threads(reader, input);
	saved_read_ports(reader, input);
	saved_read_messages(reader, input);
	saved_read_connections(reader, input);
	saved_read_rpc(reader, input);
}

static struct snapshot *failed_document(const char *name, struct error *error)
{
	struct snapshot *snapshot = snapshot_new(name, "json");
	snapshot_fail(snapshot, error);
	snapshot_finish(snapshot);
	return snapshot;
}

/* One element of "inputs" as a snapshot of its own. */
static struct snapshot *read_input(const char *name, json_object *input, size_t index)
{
	char where[64];
	snprintf(where, sizeof where, "inputs[%zu]", index);
	if (!json_object_is_type(input, json_type_object))
		return failed_document(name, error_in_file(ERROR_FORMAT, name, "%s: not an object", where));
	json_object *path = NULL;
	if (!json_object_object_get_ex(input, "path", &path) ||
	    !json_object_is_type(path, json_type_string) || json_object_get_string_len(path) == 0 ||
	    !saved_is_plain_text(json_object_get_string(path), (size_t)json_object_get_string_len(path)))
		return failed_document(name, error_in_file(ERROR_FORMAT, name, "%s.path: not a file name",
							   where));
	json_object *format = NULL;
	json_object_object_get_ex(input, "format", &format);
	bool format_ok = !format || (json_object_is_type(format, json_type_string) &&
				     saved_is_plain_text(json_object_get_string(format),
							 (size_t)json_object_get_string_len(format)));
	struct snapshot *snapshot = snapshot_new(json_object_get_string(path),
						 format && format_ok ? json_object_get_string(format) : NULL);
	struct saved_reader reader = { .snapshot = snapshot, .file = name };
	saved_enter_key(&reader, "inputs");
	saved_enter_index(&reader, index);
	if (!format_ok) {
		size_t mark = saved_enter_key(&reader, "format");
		saved_problem(&reader, "not a format name");
		saved_leave(&reader, mark);
	}
	read_header(&reader, input, true);
	read_records(&reader, input);
	snapshot_finish(snapshot);
	return snapshot;
}

static void read_document(const char *name, const char *text, size_t length,
			  struct ptr_vec *snapshots, struct snapshot *into)
{
	json_object *root, *inputs = NULL;
	struct error *error = parse_document(name, text, length, &root);
	if (!error)
		error = document_inputs(name, root, &inputs);
	if (error) {
		if (into) {
			snapshot_warn(into, (struct origin){ ORIGIN_NONE, snapshot_add_source(into, name), 0 },
				      "%s", error_detail(error));
			error_free(error);
		} else {
			ptr_vec_push(snapshots, failed_document(name, error));
		}
		json_object_put(root);
		return;
	}
	size_t count = json_object_array_length(inputs);
	for (size_t i = 0; i < count; i++) {
		json_object *input = json_object_array_get_idx(inputs, i);
		if (!into) {
			ptr_vec_push(snapshots, read_input(name, input, i));
			continue;
		}
		struct saved_reader reader = { .snapshot = into, .file = name };
		saved_enter_key(&reader, "inputs");
		saved_enter_index(&reader, i);
		if (json_object_is_type(input, json_type_object)) {
			read_header(&reader, input, false);
			read_records(&reader, input);
		} else {
			saved_problem(&reader, "not an object");
		}
	}
	json_object_put(root);
}

/* ---- files ------------------------------------------------------------- */

static char *read_whole(const char *name, size_t *length, struct error **error)
{
	*error = NULL;
	FILE *in = fopen(name, "rb");
	if (!in) {
		*error = error_in_file(ERROR_IO, name, "cannot open: %s", strerror(errno));
		return NULL;
	}
	struct stat info;
	if (fstat(fileno(in), &info) != 0 || !S_ISREG(info.st_mode)) {
		*error = error_in_file(ERROR_IO, name, "not a regular file");
		fclose(in);
		return NULL;
	}
	if ((uint64_t)info.st_size > (uint64_t)SAVED_MAX_FILE_BYTES) {
		*error = error_in_file(ERROR_LIMIT, name,
				       "%lld bytes: more than the %d MiB a saved report may hold",
				       (long long)info.st_size, SAVED_MAX_FILE_BYTES >> 20);
		fclose(in);
		return NULL;
	}
	size_t size = (size_t)info.st_size;
	char *text = checked_malloc(size + 1);
	size_t got = fread(text, 1, size, in);
	bool failed = ferror(in) != 0;
	fclose(in);
	if (failed || got != size) {
		*error = error_in_file(ERROR_IO, name, "read %zu of %zu bytes", got, size);
		free(text);
		return NULL;
	}
	text[size] = '\0';
	*length = size;
	return text;
}

void saved_read_memory(const char *path, const char *data, size_t length, struct ptr_vec *snapshots)
{
	read_document(path, data, length, snapshots, NULL);
}

void saved_read_file(const char *path, struct ptr_vec *snapshots)
{
	size_t length = 0;
	struct error *error;
	char *text = read_whole(path, &length, &error);
	if (!text) {
		ptr_vec_push(snapshots, failed_document(path, error));
		return;
	}
	read_document(path, text, length, snapshots, NULL);
	free(text);
}

void saved_read_into(const char *path, struct snapshot *snapshot)
{
	size_t length = 0;
	struct error *error;
	char *text = read_whole(path, &length, &error);
	if (!text) {
		snapshot_warn(snapshot, (struct origin){ ORIGIN_NONE, snapshot_add_source(snapshot, path), 0 },
			      "%s", error_detail(error));
		error_free(error);
		return;
	}
	read_document(path, text, length, NULL, snapshot);
	free(text);
}
