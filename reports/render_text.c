/* The text report, written for people who read WinDbg output all day:
 * Cids as `!process` prints them (hex, four digits at least), addresses as
 * `!thread` prints them (bare hex, 8 digits on x86, 16 on x64), the
 * "Waiting for reply to ALPC Message …" line verbatim, queue and type
 * names as `!alpc` spells them, and RPC call tables with the columns of
 * `!rpcexts.getcallinfo` (../shared/docs/debugger-output-formats.md §3).
 *
 * Order: header, definite deadlocks, probable ones, blocking chains
 * (longest first), the threads of the wait graph grouped by process, ports
 * with queued messages, RPC calls, diagnostics.  Unknown values print as
 * "?".  Every string is passed through put_text(), so even a path that
 * never went through the model's UTF-8 repair cannot put a control
 * character on the terminal. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "render_text_internal.h"

/* ---- primitive output -------------------------------------------------- */

/* Length of the valid UTF-8 character at bytes, 0 when invalid. */
static size_t character_length(const unsigned char *bytes, size_t available)
{
	size_t length = 0;
	if (bytes[0] < 0x80)
		length = 1;
	else if (bytes[0] >= 0xc2 && bytes[0] <= 0xdf)
		length = 2;
	else if (bytes[0] >= 0xe0 && bytes[0] <= 0xef)
		length = 3;
	else if (bytes[0] >= 0xf0 && bytes[0] <= 0xf4)
		length = 4;
	if (!length || length > available || !utf8_is_valid((const char *)bytes, length))
		return 0;
	return length;
}

/* Writes text with every control character (C0, DEL, C1 as UTF-8 C2 80 to
 * C2 9F) and every invalid byte shown as '?', and NULL as "?". */
void put_text(FILE *out, const char *text)
{
	if (!text) {
		putc('?', out);
		return;
	}
	const unsigned char *bytes = (const unsigned char *)text;
	size_t length = strlen(text);
	for (size_t i = 0; i < length;) {
		size_t step = character_length(bytes + i, length - i);
		bool control = step == 1 && (bytes[i] < 0x20 || bytes[i] == 0x7f);
		bool c1_control = step == 2 && bytes[i] == 0xc2 && bytes[i + 1] < 0xa0;
		if (!step || control || c1_control) {
			putc('?', out);
			i += step ? step : 1;
			continue;
		}
		fwrite(bytes + i, 1, step, out);
		i += step;
	}
}

void put_hex(FILE *out, maybe_u64 value, int digits)
{
	if (value.known)
		fprintf(out, "%0*" PRIx64, digits, value.value);
	else
		putc('?', out);
}

/* Pointer-sized, as the debugger of that architecture prints it. */
void put_address(const struct text_report *r, maybe_u64 address)
{
	if (!address.known) {
		putc('?', r->out);
		return;
	}
	const char *arch = r->snapshot->system.arch;
	bool narrow = arch ? strcmp(arch, "x86") == 0 : address.value <= 0xffffffffu;
	fprintf(r->out, "%0*" PRIx64, narrow ? 8 : 16, address.value);
}

void put_cid(FILE *out, maybe_u64 pid, maybe_u64 tid)
{
	char cid[CID_TEXT_SIZE];
	format_cid(cid, sizeof cid, pid, tid);
	fputs(cid, out);
}

void put_cell(FILE *out, maybe_cell cell)
{
	if (cell.known)
		fprintf(out, "%04" PRIx64 ".%04" PRIx64, cell.value >> 16, cell.value & 0xffff);
	else
		putc('?', out);
}

void put_plural(FILE *out, size_t count, const char *singular, const char *plural)
{
	fprintf(out, "%zu %s", count, count == 1 ? singular : plural);
}

/* ---- naming threads and processes -------------------------------------- */

/* "alpha.exe 0100.0104"; when the Cid is not known at all, the thread's
 * address stands in for it, or else the user-mode debugger's thread
 * number ("~1", as `~1k` names it). */
void put_thread(const struct text_report *r, const struct thread *thread)
{
	put_text(r->out, thread_image(r->snapshot, thread));
	putc(' ', r->out);
	bool cid_unknown = !thread->pid.known && !thread->tid.known;
	if (cid_unknown && thread->address.known) {
		fputs("THREAD ", r->out);
		put_address(r, thread->address);
	} else if (cid_unknown && thread->debugger_index.known)
		fprintf(r->out, "~%" PRIu64, thread->debugger_index.value);
	else
		put_cid(r->out, thread->pid, thread->tid);
}

/* "beta.exe 0200" */
static void put_process(const struct text_report *r, const struct process *process)
{
	put_text(r->out, process->image);
	putc(' ', r->out);
	if (!process->pid.known && process->address.known) {
		fputs("PROCESS ", r->out);
		put_address(r, process->address);
	} else
		put_hex(r->out, process->pid, 4);
}

void put_party(const struct text_report *r, const struct thread *thread,
	       const struct process *process)
{
	if (thread)
		put_thread(r, thread);
	else if (process)
		put_process(r, process);
	else
		putc('?', r->out);
}

/* ---- cycles ------------------------------------------------------------ */

static void put_cycle_member(const struct text_report *r, const struct cycle *cycle, size_t i)
{
	if (cycle->kind == CYCLE_THREAD)
		put_thread(r, cycle->members.items[i]);
	else
		put_process(r, cycle->members.items[i]);
}

static void put_cycle_heading(const struct text_report *r, const struct cycle *cycle)
{
	size_t n = cycle->members.count;
	bool threads = cycle->kind == CYCLE_THREAD;
	if (cycle->definite) {
		fputs("Deadlock (definite, ", r->out);
		put_plural(r->out, n, threads ? "thread" : "process",
			   threads ? "threads" : "processes");
		fputs("): ", r->out);
	} else
		fprintf(r->out, "Probable deadlock (%s-level, not proven): ",
			threads ? "thread" : "process");
	for (size_t i = 0; i < n; i++) {
		put_cycle_member(r, cycle, i);
		fputs(" -> ", r->out);
	}
	if (n)
		put_cycle_member(r, cycle, 0);
	putc('\n', r->out);
}

static void put_cycle(const struct text_report *r, const struct cycle *cycle)
{
	put_cycle_heading(r, cycle);
	for (size_t i = 0; i < cycle->waits.count; i++)
		put_hop(r, cycle->waits.items[i]);
	fputs("    Signature ", r->out);
	put_text(r->out, cycle->signature_id);
	fputs(": ", r->out);
	put_text(r->out, cycle->signature);
	putc('\n', r->out);
}

/* Definite cycles come first in the analysis; the flag keeps the two
 * groups apart even if that order ever changes. */
static size_t put_cycles(const struct text_report *r, bool definite, const char *heading)
{
	size_t printed = 0;
	for (size_t i = 0; i < r->analysis->cycles.count; i++) {
		const struct cycle *cycle = r->analysis->cycles.items[i];
		if (cycle->definite != definite)
			continue;
		if (printed == 0 && heading)
			fprintf(r->out, "%s\n", heading);
		else if (printed > 0)
			putc('\n', r->out);
		put_cycle(r, cycle);
		printed++;
	}
	return printed;
}

static void put_all_cycles(const struct text_report *r, bool with_headings)
{
	size_t definite = put_cycles(r, true, with_headings ? "DEADLOCKS" : NULL);
	if (definite && r->analysis->cycles.count > definite)
		putc('\n', r->out);
	size_t probable = put_cycles(r, false, with_headings ? "PROBABLE DEADLOCKS" : NULL);
	if (!definite && !probable)
		fputs("No deadlock cycles found.\n", r->out);
}

/* ---- header ------------------------------------------------------------ */

static void put_header(const struct text_report *r)
{
	const struct snapshot *s = r->snapshot;
	FILE *out = r->out;
	fputs("Input:   ", out);
	put_text(out, s->path);
	fputs("\nFormat:  ", out);
	put_text(out, s->format);
	fprintf(out, ", capture %u of %u", s->capture_index, s->capture_count);
	if (s->first_line && s->last_line)
		fprintf(out, ", lines %" PRIu64 "-%" PRIu64, s->first_line, s->last_line);
	fputs("\nStatus:  ", out);
	fputs(snapshot_status_name(s->status), out);
	fputs(" (", out);
	put_plural(out, snapshot_count_diagnostics(s, DIAGNOSTIC_ERROR), "error", "errors");
	fputs(", ", out);
	put_plural(out, snapshot_count_diagnostics(s, DIAGNOSTIC_WARNING), "warning", "warnings");
	fputs(")\nSystem:  ", out);
	put_text(out, s->system.arch);
	if (s->system.build) {
		fputs(", build ", out);
		put_text(out, s->system.build);
	}
	if (s->system.debugger) {
		fputs(", ", out);
		put_text(out, s->system.debugger);
	}
	fputs(s->system.kernel_mode ? ", kernel mode" : ", user mode", out);
	/* which structure profile read the dump, and why (issue 4: every
	 * report says so); a transcript has none and gets no line */
	if (s->system.profile || s->system.profile_reason) {
		fputs("\nProfile: ", out);
		put_text(out, s->system.profile ? s->system.profile : "none");
		if (s->system.profile_reason) {
			fputs(" (", out);
			put_text(out, s->system.profile_reason);
			putc(')', out);
		}
	}
	fputs("\nFound:   ", out);
	put_plural(out, s->processes.count, "process", "processes");
	fputs(", ", out);
	put_plural(out, s->threads.count, "thread", "threads");
	fputs(", ", out);
	put_plural(out, s->ports.count, "port", "ports");
	fputs(", ", out);
	put_plural(out, s->messages.count, "message", "messages");
	fputs(", ", out);
	put_plural(out, s->rpc_server_calls.count + s->rpc_client_calls.count, "RPC call",
		   "RPC calls");
	fputs("\nWaits:   ", out);
	put_plural(out, r->analysis->waits.count, "wait", "waits");
	fputs(", ", out);
	size_t definite = analysis_count_definite(r->analysis);
	put_plural(out, definite, "deadlock", "deadlocks");
	fputs(", ", out);
	put_plural(out, r->analysis->cycles.count - definite, "probable deadlock",
		   "probable deadlocks");
	fputs(", ", out);
	put_plural(out, r->analysis->chains.count, "blocking chain", "blocking chains");
	fputs("\n\n", out);
}

/* ---- entry points ------------------------------------------------------ */

static struct error *finish_output(FILE *out, const char *what)
{
	if (fflush(out) != 0 || ferror(out))
		return error_new(ERROR_IO, "cannot write the %s: %s", what, strerror(errno));
	return NULL;
}

struct error *render_text(FILE *out, const struct analysis *analysis,
			  const struct render_options *options)
{
	struct text_report report = {
		.out = out,
		.analysis = analysis,
		.snapshot = analysis->snapshot,
		.all = options && options->all,
	};
	index_waits_by_client(&report);
	put_header(&report);
	put_all_cycles(&report, true);
	put_chains(&report);
	put_threads(&report);
	put_ports(&report);
	put_rpc_calls(&report);
	put_diagnostics(&report);
	free(report.waits_by_client);
	u64_map_release(&report.first_wait_of_client);
	return finish_output(out, "text report");
}

struct error *render_cycles_text(FILE *out, const struct analysis *analysis)
{
	struct text_report report = {
		.out = out,
		.analysis = analysis,
		.snapshot = analysis->snapshot,
	};
	put_all_cycles(&report, false);
	return finish_output(out, "cycle list");
}
