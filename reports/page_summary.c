/* What the folder index needs of one page, and its line-based encoding.
 *
 * `report` renders each capture in a worker process, which hands its
 * summary to the parent through a pipe.  The encoding is one
 * "key<TAB>value" line per field in a fixed order, values escaped (\\ \t
 * \n \r), a key alone on its line for a NULL string, the cycles as
 * repeated groups after their count, and an "end" line.  The reader
 * accepts exactly that and names the line of anything else. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/base/base.h"
#include "reports.h"

static const char summary_magic[] = "alpcgraph-page-summary";
static const char summary_version[] = "1";
/* Bounds a bad pipe cannot push us past. */
enum { SUMMARY_LINE_MAX = 1 << 20, SUMMARY_CYCLES_MAX = 1 << 20 };

/* ---- from an analysis ----------------------------------------------------- */

static char *copy_or_null(const char *text)
{
	return text ? checked_strdup(text) : NULL;
}

/* "alpha.exe 100.104", the form the index shows. */
static const char *thread_words(struct arena *arena, const struct snapshot *snapshot,
				const struct thread *thread)
{
	const char *image = thread_image(snapshot, thread);
	maybe_u64 pid = thread->pid;
	if (!pid.known) {
		const struct process *process = thread_process(snapshot, thread);
		if (process)
			pid = process->pid;
	}
	if (!thread->tid.known && thread->address.known)
		return arena_printf(arena, "%s thread 0x%" PRIx64, image ? image : "?",
				    thread->address.value);
	char cid[CID_TEXT_SIZE];
	format_cid(cid, sizeof cid, pid, thread->tid);
	return arena_printf(arena, "%s %s", image ? image : "?", cid);
}

static const char *process_words(struct arena *arena, const struct process *process)
{
	if (process->pid.known)
		return arena_printf(arena, "%s %" PRIx64, process->image ? process->image : "?",
				    process->pid.value);
	return arena_printf(arena, "%s ?", process->image ? process->image : "?");
}

static char *cycle_members(const struct snapshot *snapshot, const struct cycle *cycle)
{
	struct arena arena;
	arena_init(&arena);
	const char *text = "";
	for (size_t i = 0; i < cycle->members.count; i++) {
		const void *member = cycle->members.items[i];
		const char *words = cycle->kind == CYCLE_THREAD
					    ? thread_words(&arena, snapshot, member)
					    : process_words(&arena, member);
		text = arena_printf(&arena, "%s%s%s", text, i ? " -> " : "", words);
	}
	char *members = checked_strdup(text);
	arena_release(&arena);
	return members;
}

/* "blocked on a critical section in gamma.exe 300.30c" */
static char *chain_root_words(const struct snapshot *snapshot, const struct chain *chain)
{
	struct arena arena;
	arena_init(&arena);
	const struct root_blocker *root = &chain->root;
	const char *description = blocker_kind_description(root->kind);
	const char *where = root->thread    ? thread_words(&arena, snapshot, root->thread)
			    : root->process ? process_words(&arena, root->process)
					    : "?";
	char *words = checked_strdup(arena_printf(
		&arena, "%s in %s", description ? description : "blocked for an unknown reason",
		where));
	arena_release(&arena);
	return words;
}

static const char *first_problem(const struct snapshot *snapshot)
{
	for (int level = DIAGNOSTIC_ERROR; level >= DIAGNOSTIC_WARNING; level--)
		for (size_t i = 0; i < snapshot->diagnostics.count; i++) {
			const struct diagnostic *diagnostic = snapshot->diagnostics.items[i];
			if ((int)diagnostic->level == level)
				return diagnostic->text;
		}
	return NULL;
}

struct page_summary *page_summary_from_analysis(const struct analysis *analysis,
						const char *page_href)
{
	const struct snapshot *snapshot = analysis->snapshot;
	struct page_summary *summary = checked_calloc(1, sizeof *summary);
	summary->input_path = copy_or_null(snapshot->path);
	summary->capture_index = snapshot->capture_index;
	summary->capture_count = snapshot->capture_count;
	summary->page_href = copy_or_null(page_href);
	summary->status = checked_strdup(snapshot_status_name(snapshot->status));
	summary->first_problem = copy_or_null(first_problem(snapshot));
	summary->processes = snapshot->processes.count;
	summary->threads = snapshot->threads.count;
	summary->ports = snapshot->ports.count;
	summary->messages = snapshot->messages.count;
	summary->waits = analysis->waits.count;
	summary->rpc_calls = snapshot->rpc_server_calls.count + snapshot->rpc_client_calls.count;
	summary->warnings = snapshot_count_diagnostics(snapshot, DIAGNOSTIC_WARNING);
	summary->errors = snapshot_count_diagnostics(snapshot, DIAGNOSTIC_ERROR);
	if (analysis->chains.count > 0) {
		const struct chain *longest = analysis->chains.items[0];
		summary->longest_chain = longest->waits.count;
		summary->longest_chain_root = chain_root_words(snapshot, longest);
	}
	summary->cycle_count = analysis->cycles.count;
	summary->cycles = checked_calloc(summary->cycle_count ? summary->cycle_count : 1,
					 sizeof *summary->cycles);
	for (size_t i = 0; i < analysis->cycles.count; i++) {
		const struct cycle *cycle = analysis->cycles.items[i];
		struct page_cycle *out = &summary->cycles[i];
		out->definite = cycle->definite;
		out->kind = checked_strdup(cycle->kind == CYCLE_THREAD ? "thread" : "process");
		out->signature = copy_or_null(cycle->signature);
		out->signature_id = copy_or_null(cycle->signature_id);
		out->members = cycle_members(snapshot, cycle);
	}
	return summary;
}

void page_summary_free(struct page_summary *summary)
{
	if (!summary)
		return;
	free(summary->input_path);
	free(summary->page_href);
	free(summary->status);
	free(summary->first_problem);
	free(summary->longest_chain_root);
	for (size_t i = 0; i < summary->cycle_count; i++) {
		free(summary->cycles[i].kind);
		free(summary->cycles[i].signature);
		free(summary->cycles[i].signature_id);
		free(summary->cycles[i].members);
	}
	free(summary->cycles);
	free(summary);
}

/* ---- writing ---------------------------------------------------------------- */

static void write_text(FILE *out, const char *key, const char *value)
{
	fputs(key, out);
	if (!value) {
		fputc('\n', out);
		return;
	}
	fputc('\t', out);
	for (const char *p = value; *p; p++) {
		switch (*p) {
		case '\\':
			fputs("\\\\", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		default:
			fputc(*p, out);
		}
	}
	fputc('\n', out);
}

static void write_number(FILE *out, const char *key, uintmax_t value)
{
	fprintf(out, "%s\t%ju\n", key, value);
}

struct error *page_summary_write(FILE *out, const struct page_summary *summary)
{
	fprintf(out, "%s\t%s\n", summary_magic, summary_version);
	write_text(out, "input_path", summary->input_path);
	write_number(out, "capture_index", summary->capture_index);
	write_number(out, "capture_count", summary->capture_count);
	write_text(out, "page_href", summary->page_href);
	write_text(out, "status", summary->status);
	write_text(out, "first_problem", summary->first_problem);
	write_number(out, "processes", summary->processes);
	write_number(out, "threads", summary->threads);
	write_number(out, "ports", summary->ports);
	write_number(out, "messages", summary->messages);
	write_number(out, "waits", summary->waits);
	write_number(out, "rpc_calls", summary->rpc_calls);
	write_number(out, "warnings", summary->warnings);
	write_number(out, "errors", summary->errors);
	write_number(out, "longest_chain", summary->longest_chain);
	write_text(out, "longest_chain_root", summary->longest_chain_root);
	write_number(out, "cycles", summary->cycle_count);
	for (size_t i = 0; i < summary->cycle_count; i++) {
		const struct page_cycle *cycle = &summary->cycles[i];
		write_number(out, "cycle.definite", cycle->definite ? 1 : 0);
		write_text(out, "cycle.kind", cycle->kind);
		write_text(out, "cycle.signature", cycle->signature);
		write_text(out, "cycle.signature_id", cycle->signature_id);
		write_text(out, "cycle.members", cycle->members);
	}
	fputs("end\n", out);
	if (fflush(out) != 0 || ferror(out))
		return error_new(ERROR_IO, "cannot write a page summary: %s", strerror(errno));
	return NULL;
}

/* ---- reading ---------------------------------------------------------------- */

struct summary_reader {
	FILE *in;
	uint64_t line; /* 1-based, within this summary */
	char *buffer;
	size_t capacity;
	/* the current line, split */
	char *key;
	char *value; /* NULL when the line has no tab */
};

/* Bytes of a bad line quoted in an error, made printable. */
static void quote_for_error(const char *text, char *out, size_t size)
{
	size_t used = 0;
	for (const char *p = text; *p && used + 1 < size; p++)
		out[used++] = (*p >= 0x20 && *p < 0x7f) ? *p : '?';
	out[used] = '\0';
}

static struct error *reader_error(const struct summary_reader *reader, const char *what)
{
	return error_at_line(ERROR_FORMAT, "page summary", reader->line, "%s", what);
}

/* Reads the next line, never more than SUMMARY_LINE_MAX bytes of it;
 * *at_end is set at a clean end of input. */
static struct error *read_line(struct summary_reader *reader, bool *at_end)
{
	*at_end = false;
	size_t length = 0;
	bool has_nul = false;
	int c;
	while ((c = getc(reader->in)) != EOF && c != '\n') {
		if (length == SUMMARY_LINE_MAX) {
			reader->line++;
			return reader_error(reader, "line is longer than 1 MiB");
		}
		if (length + 1 >= reader->capacity) {
			reader->capacity = reader->capacity ? reader->capacity * 2 : 256;
			reader->buffer = checked_realloc(reader->buffer, reader->capacity);
		}
		has_nul |= c == '\0';
		reader->buffer[length++] = (char)c;
	}
	if (ferror(reader->in))
		return error_new(ERROR_IO, "cannot read a page summary: %s", strerror(errno));
	if (c == EOF && length == 0) {
		*at_end = true;
		return NULL;
	}
	reader->line++;
	if (c == EOF)
		return reader_error(reader, "input ends in the middle of a line");
	if (has_nul)
		return reader_error(reader, "line holds a NUL byte");
	if (!reader->buffer) /* an empty line: nothing was allocated yet */
		reader->buffer = checked_malloc(reader->capacity = 256);
	reader->buffer[length] = '\0';
	reader->key = reader->buffer;
	char *tab = strchr(reader->buffer, '\t');
	reader->value = NULL;
	if (tab) {
		*tab = '\0';
		reader->value = tab + 1;
	}
	return NULL;
}

/* The next line must have this key; the end of input is an error here. */
static struct error *expect_line(struct summary_reader *reader, const char *key)
{
	bool at_end;
	struct error *error = read_line(reader, &at_end);
	if (error)
		return error;
	if (at_end)
		return error_at_line(ERROR_TRUNCATED, "page summary", reader->line + 1,
				     "input ends before \"%s\"", key);
	if (strcmp(reader->key, key) != 0) {
		char found[48];
		quote_for_error(reader->key, found, sizeof found);
		return error_at_line(ERROR_FORMAT, "page summary", reader->line,
				     "expected \"%s\", found \"%s\"", key, found);
	}
	return NULL;
}

/* Undoes write_text's escapes in place. */
static struct error *unescape(struct summary_reader *reader, char *text)
{
	char *out = text;
	for (const char *in = text; *in; in++) {
		if (*in == '\t' || *in == '\r')
			return reader_error(reader, "value holds an unescaped control character");
		if (*in != '\\') {
			*out++ = *in;
			continue;
		}
		switch (*++in) {
		case '\\':
			*out++ = '\\';
			break;
		case 't':
			*out++ = '\t';
			break;
		case 'n':
			*out++ = '\n';
			break;
		case 'r':
			*out++ = '\r';
			break;
		default:
			return reader_error(reader, "bad escape sequence");
		}
	}
	*out = '\0';
	return NULL;
}

static struct error *read_text(struct summary_reader *reader, const char *key, char **value)
{
	*value = NULL;
	struct error *error = expect_line(reader, key);
	if (error || !reader->value)
		return error;
	error = unescape(reader, reader->value);
	if (!error)
		*value = checked_strdup(reader->value);
	return error;
}

static struct error *read_number(struct summary_reader *reader, const char *key,
				 uintmax_t limit, uintmax_t *value)
{
	struct error *error = expect_line(reader, key);
	if (error)
		return error;
	const char *text = reader->value;
	uintmax_t number = 0;
	/* Digits only, as write_number makes them: no sign, no space, no
	 * leading zero, nothing past the limit. */
	bool valid = text && *text && !(text[0] == '0' && text[1]);
	for (const char *p = text; valid && *p; p++) {
		unsigned digit = (unsigned)(*p - '0');
		if (digit > 9 || digit > limit || number > (limit - digit) / 10)
			valid = false;
		else
			number = number * 10 + digit;
	}
	if (!valid) {
		char found[48];
		quote_for_error(text ? text : "", found, sizeof found);
		return error_at_line(ERROR_FORMAT, "page summary", reader->line,
				     "\"%s\" needs a number up to %ju, found \"%s\"", key, limit,
				     found);
	}
	*value = number;
	return NULL;
}

static struct error *read_size(struct summary_reader *reader, const char *key, size_t *value)
{
	uintmax_t number;
	struct error *error = read_number(reader, key, SIZE_MAX, &number);
	if (!error)
		*value = (size_t)number;
	return error;
}

static struct error *read_unsigned(struct summary_reader *reader, const char *key,
				   unsigned *value)
{
	uintmax_t number;
	struct error *error = read_number(reader, key, UINT_MAX, &number);
	if (!error)
		*value = (unsigned)number;
	return error;
}

static struct error *read_cycle(struct summary_reader *reader, struct page_cycle *cycle)
{
	uintmax_t definite;
	struct error *error = read_number(reader, "cycle.definite", 1, &definite);
	if (error)
		return error;
	cycle->definite = definite == 1;
	if ((error = read_text(reader, "cycle.kind", &cycle->kind)) ||
	    (error = read_text(reader, "cycle.signature", &cycle->signature)) ||
	    (error = read_text(reader, "cycle.signature_id", &cycle->signature_id)) ||
	    (error = read_text(reader, "cycle.members", &cycle->members)))
		return error;
	return NULL;
}

static struct error *read_fields(struct summary_reader *reader, struct page_summary *summary)
{
	struct error *error;
	if ((error = read_text(reader, "input_path", &summary->input_path)) ||
	    (error = read_unsigned(reader, "capture_index", &summary->capture_index)) ||
	    (error = read_unsigned(reader, "capture_count", &summary->capture_count)) ||
	    (error = read_text(reader, "page_href", &summary->page_href)) ||
	    (error = read_text(reader, "status", &summary->status)) ||
	    (error = read_text(reader, "first_problem", &summary->first_problem)) ||
	    (error = read_size(reader, "processes", &summary->processes)) ||
	    (error = read_size(reader, "threads", &summary->threads)) ||
	    (error = read_size(reader, "ports", &summary->ports)) ||
	    (error = read_size(reader, "messages", &summary->messages)) ||
	    (error = read_size(reader, "waits", &summary->waits)) ||
	    (error = read_size(reader, "rpc_calls", &summary->rpc_calls)) ||
	    (error = read_size(reader, "warnings", &summary->warnings)) ||
	    (error = read_size(reader, "errors", &summary->errors)) ||
	    (error = read_size(reader, "longest_chain", &summary->longest_chain)) ||
	    (error = read_text(reader, "longest_chain_root", &summary->longest_chain_root)))
		return error;
	uintmax_t count;
	if ((error = read_number(reader, "cycles", SUMMARY_CYCLES_MAX, &count)))
		return error;
	/* Grown as the groups arrive, so a false count costs nothing. */
	size_t capacity = 0;
	while (summary->cycle_count < count) {
		if (summary->cycle_count == capacity) {
			capacity = capacity ? capacity * 2 : 4;
			summary->cycles =
				checked_realloc(summary->cycles, capacity * sizeof *summary->cycles);
		}
		struct page_cycle *cycle = &summary->cycles[summary->cycle_count++];
		memset(cycle, 0, sizeof *cycle);
		if ((error = read_cycle(reader, cycle)))
			return error;
	}
	if ((error = expect_line(reader, "end")))
		return error;
	if (reader->value)
		return reader_error(reader, "\"end\" takes no value");
	return NULL;
}

struct page_summary *page_summary_read(FILE *in, struct error **error)
{
	struct error *ignored;
	if (!error)
		error = &ignored;
	*error = NULL;
	struct summary_reader reader = { .in = in };
	bool at_end;
	*error = read_line(&reader, &at_end);
	if (*error || at_end) {
		free(reader.buffer);
		return NULL;
	}
	if (strcmp(reader.key, summary_magic) != 0 || !reader.value ||
	    strcmp(reader.value, summary_version) != 0) {
		free(reader.buffer);
		*error = error_at_line(ERROR_FORMAT, "page summary", 1,
				       "not a version %s page summary", summary_version);
		return NULL;
	}
	struct page_summary *summary = checked_calloc(1, sizeof *summary);
	*error = read_fields(&reader, summary);
	free(reader.buffer);
	if (*error) {
		page_summary_free(summary);
		summary = NULL;
	}
	if (error == &ignored && ignored)
		error_free(ignored);
	return summary;
}
