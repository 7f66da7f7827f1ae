/* The JSON report: docs/json.md is the contract (format_version 1), and
 * keys are written in the order it lists them, so output is byte-identical
 * from run to run.  pid, tid, ids, lengths and counts are integers;
 * addresses and contexts are "0x…" strings (json-c reads 64-bit integers,
 * but many JSON readers do not, and an address is not a quantity); RPC
 * cells are "0000.0004" strings as rpcexts prints them.  Unknown is null. */
#include <inttypes.h>
#include <time.h>
#include <stdio.h>

#include "render_json_internal.h"

/* ---- values ------------------------------------------------------------ */

void key_string(struct json_writer *w, const char *key, const char *text)
{
	json_write_key(w, key);
	json_write_string(w, text);
}

void key_bool(struct json_writer *w, const char *key, bool value)
{
	json_write_key(w, key);
	json_write_bool(w, value);
}

static void write_maybe_uint(struct json_writer *w, maybe_u64 value)
{
	if (value.known)
		json_write_uint(w, value.value);
	else
		json_write_null(w);
}

void key_uint(struct json_writer *w, const char *key, maybe_u64 value)
{
	json_write_key(w, key);
	write_maybe_uint(w, value);
}

void write_address(struct json_writer *w, uint64_t address)
{
	json_write_string_printf(w, "0x%" PRIx64, address);
}

static void write_maybe_address(struct json_writer *w, maybe_u64 address)
{
	if (address.known)
		write_address(w, address.value);
	else
		json_write_null(w);
}

void key_address(struct json_writer *w, const char *key, maybe_u64 address)
{
	json_write_key(w, key);
	write_maybe_address(w, address);
}

void key_yes_no(struct json_writer *w, const char *key, enum yes_no value)
{
	json_write_key(w, key);
	if (value == YES_NO_UNKNOWN)
		json_write_null(w);
	else
		json_write_bool(w, value == YES);
}

/* A cell id is two 16-bit numbers kept as high << 16 | low. */
void key_cell(struct json_writer *w, const char *key, maybe_cell cell)
{
	json_write_key(w, key);
	if (cell.known)
		json_write_string_printf(w, "%04" PRIx64 ".%04" PRIx64, cell.value >> 16,
					 cell.value & 0xffff);
	else
		json_write_null(w);
}

void key_index(struct json_writer *w, const char *key, const struct wait *wait)
{
	json_write_key(w, key);
	if (wait)
		json_write_uint(w, wait->index);
	else
		json_write_null(w);
}

/* ---- provenance -------------------------------------------------------- */

/* The file an origin points into: the snapshot may be built from several
 * (snapshot.sources; 0 is snapshot.path). */
static const char *origin_path(const struct snapshot *snapshot, struct origin origin)
{
	return origin.file < snapshot->sources.count ? snapshot->sources.items[origin.file]
						     : snapshot->path;
}

/* Worded as snapshot_describe_origin() words it, but without its fixed
 * buffer, so a long path is never cut. */
static void write_origin(struct json_writer *w, const struct snapshot *snapshot,
			 struct origin origin)
{
	const char *path = origin_path(snapshot, origin);
	switch (origin.kind) {
	case ORIGIN_LINE:
		json_write_string_printf(w, "%s:%" PRIu64, path, origin.at);
		break;
	case ORIGIN_FILE_OFFSET:
		json_write_string_printf(w, "%s@0x%" PRIx64, path, origin.at);
		break;
	case ORIGIN_VIRTUAL:
		json_write_string_printf(w, "%s:va 0x%" PRIx64, path, origin.at);
		break;
	case ORIGIN_NONE:
		break;
	}
}

void key_origin_list(struct json_writer *w, const struct snapshot *snapshot,
		     const struct origin_list *list)
{
	json_write_key(w, "origin");
	json_write_begin_array(w);
	uint32_t kept = list->count < ORIGINS_KEPT ? list->count : ORIGINS_KEPT;
	for (uint32_t i = 0; i < kept; i++)
		write_origin(w, snapshot, list->at[i]);
	json_write_end_array(w);
}

/* Records seen once carry one origin; the key is still a list, so every
 * "origin" in the document reads the same way. */
void key_origin(struct json_writer *w, const struct snapshot *snapshot, struct origin origin)
{
	json_write_key(w, "origin");
	json_write_begin_array(w);
	write_origin(w, snapshot, origin);
	json_write_end_array(w);
}

/* ---- the input header -------------------------------------------------- */

static void key_line(struct json_writer *w, const char *key, uint64_t line)
{
	key_uint(w, key, line ? known_u64(line) : UNKNOWN_U64);
}

static void write_capture(struct json_writer *w, const struct snapshot *snapshot)
{
	json_write_key(w, "capture");
	json_write_begin_object(w);
	key_uint(w, "index", known_u64(snapshot->capture_index));
	key_uint(w, "count", known_u64(snapshot->capture_count));
	key_line(w, "first_line", snapshot->first_line);
	key_line(w, "last_line", snapshot->last_line);
	json_write_end_object(w);
}

static void write_diagnostics(struct json_writer *w, const char *key, const struct snapshot *snapshot,
			      enum diagnostic_level level)
{
	json_write_key(w, key);
	json_write_begin_array(w);
	for (size_t i = 0; i < snapshot->diagnostics.count; i++) {
		const struct diagnostic *diagnostic = snapshot->diagnostics.items[i];
		if (diagnostic->level == level)
			json_write_string(w, diagnostic->text);
	}
	json_write_end_array(w);
}

void write_input_header(struct json_writer *w, const struct snapshot *snapshot)
{
	key_string(w, "path", snapshot->path);
	key_string(w, "format", snapshot->format);
	write_capture(w, snapshot);
	key_string(w, "status", snapshot_status_name(snapshot->status));
	write_diagnostics(w, "errors", snapshot, DIAGNOSTIC_ERROR);
	write_diagnostics(w, "warnings", snapshot, DIAGNOSTIC_WARNING);
	write_diagnostics(w, "notes", snapshot, DIAGNOSTIC_NOTE);
}

/* A FILETIME (100 ns since 1601-01-01) as ISO 8601 UTC; 11644473600 s
 * separate 1601 from 1970. */
static void write_filetime(struct json_writer *w, const char *key, maybe_u64 filetime)
{
	json_write_key(w, key);
	const uint64_t unix_epoch = 116444736000000000ULL;
	if (!filetime.known || filetime.value < unix_epoch) {
		json_write_null(w);
		return;
	}
	time_t seconds = (time_t)((filetime.value - unix_epoch) / 10000000);
	struct tm utc;
	char text[32];
	if (!gmtime_r(&seconds, &utc) || !strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc)) {
		json_write_null(w);
		return;
	}
	json_write_string(w, text);
}

static void write_system(struct json_writer *w, const struct system_info *system)
{
	json_write_key(w, "system");
	json_write_begin_object(w);
	key_string(w, "build", system->build);
	key_string(w, "arch", system->arch);
	key_string(w, "dump_type", system->dump_type);
	key_string(w, "debugger", system->debugger);
	key_string(w, "machine", system->machine);
	key_bool(w, "kernel_mode", system->kernel_mode);
	key_uint(w, "rpc_time_ms", system->rpc_time_ms);
	key_string(w, "paging", system->paging);
	key_string(w, "build_source", system->build_source);
	key_string(w, "pdb_name", system->pdb_name);
	key_string(w, "pdb_guid", system->pdb_guid);
	key_uint(w, "pdb_age", system->pdb_age);
	key_string(w, "profile", system->profile);
	key_string(w, "profile_reason", system->profile_reason);
	key_uint(w, "processors", system->processors);
	key_uint(w, "present_pages", system->present_pages);
	key_uint(w, "page_ranges", system->page_ranges);
	key_address(w, "dtb", system->dtb);
	key_string(w, "dtb_source", system->dtb_source);
	key_address(w, "kernel_base", system->kernel_base);
	key_string(w, "kernel_base_source", system->kernel_base_source);
	key_address(w, "ps_active_process_head", system->ps_active_process_head);
	key_address(w, "ps_loaded_module_list", system->ps_loaded_module_list);
	key_string(w, "list_heads_source", system->list_heads_source);
	key_address(w, "kd_debugger_data_block", system->kd_debugger_data_block);
	key_string(w, "kdbg_state", system->kdbg_state);
	key_string(w, "kdbg_source", system->kdbg_source);
	key_uint(w, "bugcheck_code", system->bugcheck_code);
	json_write_key(w, "bugcheck_parameters");
	json_write_begin_array(w);
	for (int i = 0; i < 4; i++) {
		if (system->bugcheck_parameters[i].known)
			write_address(w, system->bugcheck_parameters[i].value);
		else
			json_write_null(w);
	}
	json_write_end_array(w);
	write_filetime(w, "system_time", system->system_time);
	/* SystemUpTime counts 100 ns. */
	key_uint(w, "uptime_ms", system->system_uptime.known
					  ? known_u64(system->system_uptime.value / 10000)
					  : UNKNOWN_U64);
	json_write_end_object(w);
}

/* ---- the document ------------------------------------------------------ */

static void write_threads(struct json_writer *w, const struct snapshot *snapshot)
{
	json_write_key(w, "threads");
	json_write_begin_array(w);
	for (size_t i = 0; i < snapshot->threads.count; i++)
		write_thread(w, snapshot, snapshot->threads.items[i]);
	json_write_end_array(w);
}

static void write_cycles(struct json_writer *w, const struct analysis *analysis)
{
	json_write_key(w, "cycles");
	json_write_begin_array(w);
	for (size_t i = 0; i < analysis->cycles.count; i++)
		write_cycle(w, analysis->snapshot, analysis->cycles.items[i]);
	json_write_end_array(w);
}

static void write_chains(struct json_writer *w, const struct analysis *analysis)
{
	json_write_key(w, "chains");
	json_write_begin_array(w);
	for (size_t i = 0; i < analysis->chains.count; i++)
		write_chain(w, analysis, analysis->chains.items[i]);
	json_write_end_array(w);
}

static void write_input(struct json_writer *w, const struct analysis *analysis)
{
	const struct snapshot *snapshot = analysis->snapshot;
	json_write_begin_object(w);
	write_input_header(w, snapshot);
	write_system(w, &snapshot->system);
	write_records(w, "processes", snapshot, &snapshot->processes, write_process);
	write_threads(w, snapshot);
	write_records(w, "ports", snapshot, &snapshot->ports, write_port);
	write_records(w, "messages", snapshot, &snapshot->messages, write_message);
	write_records(w, "connections", snapshot, &snapshot->connections, write_connection);
	write_rpc(w, snapshot);
	write_records(w, "waits", snapshot, &analysis->waits, write_wait);
	write_cycles(w, analysis);
	write_chains(w, analysis);
	json_write_end_object(w);
}

struct error *render_json(FILE *out, struct analysis *const *analyses, size_t count)
{
	struct json_writer writer;
	json_writer_init(&writer, out);
	json_write_begin_object(&writer);
	key_uint(&writer, "format_version", known_u64(1));
	key_string(&writer, "generator", "alpcgraph " PACKAGE_VERSION);
	json_write_key(&writer, "inputs");
	json_write_begin_array(&writer);
	for (size_t i = 0; i < count; i++)
		write_input(&writer, analyses[i]);
	json_write_end_array(&writer);
	json_write_end_object(&writer);
	return json_writer_finish(&writer);
}
