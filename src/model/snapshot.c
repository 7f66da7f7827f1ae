/* The snapshot's life: creation, diagnostics, and closing. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

enum { DIAGNOSTICS_KEPT = 2000 };

void origin_list_add(struct origin_list *list, struct origin origin)
{
	if (origin.kind == ORIGIN_NONE)
		return;
	uint32_t kept = list->count < ORIGINS_KEPT ? list->count : ORIGINS_KEPT;
	for (uint32_t i = 0; i < kept; i++)
		if (list->at[i].kind == origin.kind && list->at[i].file == origin.file &&
		    list->at[i].at == origin.at)
			return;
	if (list->count < ORIGINS_KEPT)
		list->at[list->count] = origin;
	list->count++;
}

struct snapshot *snapshot_new(const char *path, const char *format)
{
	struct snapshot *snapshot = checked_calloc(1, sizeof *snapshot);
	arena_init(&snapshot->arena);
	string_table_init(&snapshot->strings, &snapshot->arena);
	snapshot->path = arena_strdup(&snapshot->arena, path);
	ptr_vec_push(&snapshot->sources, (void *)snapshot->path);
	snapshot->format = format ? arena_strdup(&snapshot->arena, format) : NULL;
	snapshot->capture_index = 1;
	snapshot->capture_count = 1;
	return snapshot;
}

static void release_port_lists(struct port *port)
{
	for (int q = 0; q < QUEUE_KIND_COUNT; q++)
		u64_vec_release(&port->queues[q].messages);
	u64_vec_release(&port->waiting_threads);
	u64_vec_release(&port->registered_threads);
}

void snapshot_free(struct snapshot *snapshot)
{
	if (!snapshot)
		return;
	/* Ports are keyed by address alone and never merge, so the list
	 * holds every port that owns buffers. */
	for (size_t i = 0; i < snapshot->ports.count; i++)
		release_port_lists(snapshot->ports.items[i]);
	for (size_t i = 0; i < snapshot->threads.count; i++) {
		struct thread *thread = snapshot->threads.items[i];
		free(thread->wait_objects);
	}
	struct ptr_vec *lists[] = {
		&snapshot->processes,      &snapshot->threads,          &snapshot->ports,
		&snapshot->messages,       &snapshot->connections,      &snapshot->rpc_endpoints,
		&snapshot->rpc_threads,    &snapshot->rpc_server_calls, &snapshot->rpc_client_calls,
		&snapshot->rpc_connections, &snapshot->diagnostics,     &snapshot->sources,
	};
	for (size_t i = 0; i < sizeof lists / sizeof *lists; i++)
		ptr_vec_release(lists[i]);
	struct u64_map *maps[] = {
		&snapshot->process_by_address,     &snapshot->process_by_pid,
		&snapshot->thread_by_address,      &snapshot->thread_by_cid,
		&snapshot->thread_by_debugger_index, &snapshot->port_by_address,
		&snapshot->message_by_address,     &snapshot->lpc_message_by_id,
		&snapshot->rpc_endpoint_by_key,    &snapshot->rpc_thread_by_key,
		&snapshot->rpc_server_call_by_key, &snapshot->rpc_client_call_by_key,
		&snapshot->rpc_connection_by_key,
	};
	for (size_t i = 0; i < sizeof maps / sizeof *maps; i++)
		u64_map_release(maps[i]);
	string_table_release(&snapshot->strings);
	arena_release(&snapshot->arena);
	free(snapshot);
}

const char *snapshot_text(struct snapshot *snapshot, const char *text, size_t length)
{
	if (utf8_is_valid(text, length)) {
		bool clean = true;
		for (size_t i = 0; i < length; i++) {
			unsigned char c = (unsigned char)text[i];
			if ((c < 0x20 && c != '\t') || c == 0x7f) {
				clean = false;
				break;
			}
		}
		if (clean)
			return string_table_intern(&snapshot->strings, text, length);
	}
	bool repaired = false;
	char *copy = utf8_sanitized_copy(&snapshot->arena, text, length, &repaired);
	return string_table_intern(&snapshot->strings, copy, strlen(copy));
}

uint32_t snapshot_add_source(struct snapshot *snapshot, const char *path)
{
	for (size_t i = 0; i < snapshot->sources.count; i++)
		if (strcmp(snapshot->sources.items[i], path) == 0)
			return (uint32_t)i;
	ptr_vec_push(&snapshot->sources, arena_strdup(&snapshot->arena, path));
	return (uint32_t)(snapshot->sources.count - 1);
}

void snapshot_describe_origin(const struct snapshot *snapshot, struct origin origin,
			      char *buffer, size_t size)
{
	const char *path = origin.file < snapshot->sources.count ? snapshot->sources.items[origin.file]
								  : snapshot->path;
	switch (origin.kind) {
	case ORIGIN_LINE:
		snprintf(buffer, size, "%s:%" PRIu64, path, origin.at);
		break;
	case ORIGIN_FILE_OFFSET:
		snprintf(buffer, size, "%s@0x%" PRIx64, path, origin.at);
		break;
	case ORIGIN_VIRTUAL:
		snprintf(buffer, size, "%s:va 0x%" PRIx64, path, origin.at);
		break;
	default:
		snprintf(buffer, size, "%s", path);
		break;
	}
}

static void add_diagnostic(struct snapshot *snapshot, enum diagnostic_level level,
			   struct origin at, const char *format, va_list args) PRINTF_LIKE(4, 0);

static void add_diagnostic(struct snapshot *snapshot, enum diagnostic_level level,
			   struct origin at, const char *format, va_list args)
{
	if (level == DIAGNOSTIC_WARNING && snapshot->status < STATUS_PARTIAL)
		snapshot->status = STATUS_PARTIAL;
	if (snapshot->diagnostics.count >= DIAGNOSTICS_KEPT) {
		snapshot->diagnostics_dropped++;
		return;
	}
	/* The error idiom's wording: "path:line: text", "path: offset 0x…: text". */
	const char *path = at.file < snapshot->sources.count ? snapshot->sources.items[at.file]
							      : snapshot->path;
	char where[64] = "";
	if (at.kind == ORIGIN_LINE)
		snprintf(where, sizeof where, ":%" PRIu64, at.at);
	else if (at.kind == ORIGIN_FILE_OFFSET)
		snprintf(where, sizeof where, ": offset 0x%" PRIx64, at.at);
	else if (at.kind == ORIGIN_VIRTUAL)
		snprintf(where, sizeof where, ": at 0x%" PRIx64, at.at);
	char body[1024];
	vsnprintf(body, sizeof body, format, args);
	struct diagnostic *diagnostic = arena_alloc(&snapshot->arena, sizeof *diagnostic);
	diagnostic->level = level;
	diagnostic->text = arena_printf(&snapshot->arena, "%s%s: %s", path, where, body);
	ptr_vec_push(&snapshot->diagnostics, diagnostic);
}

void snapshot_note(struct snapshot *snapshot, struct origin at, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	add_diagnostic(snapshot, DIAGNOSTIC_NOTE, at, format, args);
	va_end(args);
}

void snapshot_warn(struct snapshot *snapshot, struct origin at, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	add_diagnostic(snapshot, DIAGNOSTIC_WARNING, at, format, args);
	va_end(args);
}

void snapshot_fail(struct snapshot *snapshot, struct error *error)
{
	snapshot->status = STATUS_ERROR;
	struct diagnostic *diagnostic = arena_alloc(&snapshot->arena, sizeof *diagnostic);
	diagnostic->level = DIAGNOSTIC_ERROR;
	diagnostic->text = arena_strdup(&snapshot->arena, error->message);
	/* An error is never dropped, whatever the cap. */
	ptr_vec_push(&snapshot->diagnostics, diagnostic);
	error_free(error);
}

size_t snapshot_count_diagnostics(const struct snapshot *snapshot, enum diagnostic_level level)
{
	size_t count = 0;
	for (size_t i = 0; i < snapshot->diagnostics.count; i++) {
		const struct diagnostic *diagnostic = snapshot->diagnostics.items[i];
		if (diagnostic->level == level)
			count++;
	}
	return count;
}

/* Keeps the records that were not merged into another, in first-seen order. */
static void compact(struct ptr_vec *list, size_t merged_offset)
{
	size_t kept = 0;
	for (size_t i = 0; i < list->count; i++) {
		void *record = list->items[i];
		void *merged_into;
		memcpy(&merged_into, (char *)record + merged_offset, sizeof merged_into);
		if (!merged_into)
			list->items[kept++] = record;
	}
	list->count = kept;
}

void snapshot_finish(struct snapshot *snapshot)
{
	if (snapshot->finished)
		return;
	snapshot->finished = true;
	compact(&snapshot->processes, offsetof(struct process, merged_into));
	compact(&snapshot->threads, offsetof(struct thread, merged_into));
	compact(&snapshot->messages, offsetof(struct message, merged_into));
	if (snapshot->diagnostics_dropped) {
		struct diagnostic *diagnostic = arena_alloc(&snapshot->arena, sizeof *diagnostic);
		diagnostic->level = DIAGNOSTIC_WARNING;
		diagnostic->text = arena_printf(&snapshot->arena,
						"%s: %u more diagnostics were not kept",
						snapshot->path, snapshot->diagnostics_dropped);
		ptr_vec_push(&snapshot->diagnostics, diagnostic);
		if (snapshot->status < STATUS_PARTIAL)
			snapshot->status = STATUS_PARTIAL;
	}
}

bool snapshot_is_empty(const struct snapshot *snapshot)
{
	return !snapshot->processes.count && !snapshot->threads.count && !snapshot->ports.count &&
	       !snapshot->messages.count && !snapshot->connections.count &&
	       !snapshot->rpc_endpoints.count && !snapshot->rpc_threads.count &&
	       !snapshot->rpc_server_calls.count && !snapshot->rpc_client_calls.count &&
	       !snapshot->rpc_connections.count;
}
