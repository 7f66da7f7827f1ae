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

#include "reports.h"

struct text_report {
	FILE *out;
	const struct analysis *analysis;
	const struct snapshot *snapshot;
	bool all;
	/* The waits sorted by client thread, and for each client thread the
	 * first of its entries, so a thread's waits are found in O(1). */
	const struct wait **waits_by_client;
	struct u64_map first_wait_of_client;
};

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
static void put_text(FILE *out, const char *text)
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

static void put_hex(FILE *out, maybe_u64 value, int digits)
{
	if (value.known)
		fprintf(out, "%0*" PRIx64, digits, value.value);
	else
		putc('?', out);
}

/* Pointer-sized, as the debugger of that architecture prints it. */
static void put_address(const struct text_report *r, maybe_u64 address)
{
	if (!address.known) {
		putc('?', r->out);
		return;
	}
	const char *arch = r->snapshot->system.arch;
	bool narrow = arch ? strcmp(arch, "x86") == 0 : address.value <= 0xffffffffu;
	fprintf(r->out, "%0*" PRIx64, narrow ? 8 : 16, address.value);
}

static void put_cid(FILE *out, maybe_u64 pid, maybe_u64 tid)
{
	char cid[CID_TEXT_SIZE];
	format_cid(cid, sizeof cid, pid, tid);
	fputs(cid, out);
}

static void put_cell(FILE *out, maybe_cell cell)
{
	if (cell.known)
		fprintf(out, "%04" PRIx64 ".%04" PRIx64, cell.value >> 16, cell.value & 0xffff);
	else
		putc('?', out);
}

static void put_plural(FILE *out, size_t count, const char *singular, const char *plural)
{
	fprintf(out, "%zu %s", count, count == 1 ? singular : plural);
}

/* ---- naming threads and processes -------------------------------------- */

/* "alpha.exe 0100.0104"; when the Cid is not known at all, the thread's
 * address stands in for it, or else the user-mode debugger's thread
 * number ("~1", as `~1k` names it). */
static void put_thread(const struct text_report *r, const struct thread *thread)
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

static void put_party(const struct text_report *r, const struct thread *thread,
		      const struct process *process)
{
	if (thread)
		put_thread(r, thread);
	else if (process)
		put_process(r, process);
	else
		putc('?', r->out);
}

/* ---- one wait, as a clause --------------------------------------------- */

/* The port a wait is on: the record when the capture has it, else the
 * address the client thread's own wait line names. */
static void put_port_clause(const struct text_report *r, const char *prefix,
			    const struct port *port, maybe_u64 address_from_thread)
{
	if (!port && !address_from_thread.known)
		return;
	fputs(prefix, r->out);
	put_address(r, port ? port->address : address_from_thread);
	if (port && port->name) {
		fputs(" (", r->out);
		put_text(r->out, port->name);
		putc(')', r->out);
	}
}

/* A wait's message, from its record or else from the client thread's own
 * wait line. */
static maybe_u64 waited_message_address(const struct wait *wait)
{
	if (wait->message)
		return wait->message->address;
	return wait->client ? wait->client->alpc_wait_message : UNKNOWN_U64;
}

static maybe_u64 waited_lpc_message_id(const struct wait *wait)
{
	if (wait->message)
		return wait->message->id;
	return wait->client ? wait->client->lpc_wait_message_id : UNKNOWN_U64;
}

static void put_alpc_target(const struct text_report *r, const struct wait *wait)
{
	fputs("waits for reply to ALPC Message ", r->out);
	put_address(r, waited_message_address(wait));
	if (wait->message && wait->message->id.known)
		fprintf(r->out, " (MessageID 0x%04" PRIx64 ")", wait->message->id.value);
	put_port_clause(r, " : queued at port ", wait->port,
			wait->client ? wait->client->alpc_wait_port : UNKNOWN_U64);
}

static void put_lpc_target(const struct text_report *r, const struct wait *wait)
{
	fputs("waits for reply to LPC MessageId ", r->out);
	put_hex(r->out, waited_lpc_message_id(wait), 8);
	put_port_clause(r, " : port ", wait->port,
			wait->client ? wait->client->lpc_port : UNKNOWN_U64);
}

static void put_rpc_target(const struct text_report *r, const struct wait *wait)
{
	fputs("waits for RPC call", r->out);
	const struct rpc_server_call *call = wait->rpc_server_call;
	if (call) {
		fputs(" (server call ", r->out);
		put_hex(r->out, call->pid, 4);
		putc(' ', r->out);
		put_cell(r->out, call->cell);
		putc(')', r->out);
	}
	if (wait->rpc_endpoint) {
		fputs(" at endpoint ", r->out);
		put_text(r->out, wait->rpc_endpoint->name);
	}
	put_port_clause(r, " : port ", wait->port, UNKNOWN_U64);
}

static void put_lock_target(const struct text_report *r, const struct wait *wait)
{
	fputs("waits for ", r->out);
	if (wait->lock) {
		put_text(r->out, wait->lock->type);
		putc(' ', r->out);
		put_address(r, known_u64(wait->lock->address));
		if (wait->lock->owner_thread.known) {
			fputs(" - owning thread ", r->out);
			put_address(r, wait->lock->owner_thread);
		}
	} else
		fputs("a lock", r->out);
}

static void put_wait_target(const struct text_report *r, const struct wait *wait)
{
	switch (wait->via) {
	case VIA_ALPC:
		put_alpc_target(r, wait);
		break;
	case VIA_LPC:
		put_lpc_target(r, wait);
		break;
	case VIA_RPC:
		put_rpc_target(r, wait);
		break;
	case VIA_LOCK:
		put_lock_target(r, wait);
		break;
	}
	if (wait->weak) {
		fputs(" [weak evidence: ", r->out);
		put_text(r->out, wait->weak_reason);
		putc(']', r->out);
	}
}

/* "    alpha.exe 0100.0104 waits for reply to ALPC Message …" */
static void put_hop(const struct text_report *r, const struct wait *wait)
{
	fputs("    ", r->out);
	put_party(r, wait->client, wait->client_process);
	putc(' ', r->out);
	put_wait_target(r, wait);
	putc('\n', r->out);
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

/* ---- chains ------------------------------------------------------------ */

static void put_root(const struct text_report *r, const struct root_blocker *root)
{
	fputs("    root: ", r->out);
	put_party(r, root->thread, root->process);
	putc(' ', r->out);
	put_text(r->out, blocker_kind_description(root->kind));
	if (root->detail) {
		fputs(" (", r->out);
		put_text(r->out, root->detail);
		putc(')', r->out);
	}
	putc('\n', r->out);
}

static void put_chain(const struct text_report *r, const struct chain *chain)
{
	fputs("Chain (", r->out);
	put_plural(r->out, chain->waits.count, "wait", "waits");
	fputs("): ", r->out);
	for (size_t i = 0; i < chain->waits.count; i++) {
		const struct wait *wait = chain->waits.items[i];
		put_party(r, wait->client, wait->client_process);
		fputs(" -> ", r->out);
	}
	put_party(r, chain->root.thread, chain->root.process);
	putc('\n', r->out);
	for (size_t i = 0; i < chain->waits.count; i++)
		put_hop(r, chain->waits.items[i]);
	put_root(r, &chain->root);
}

static void put_chains(const struct text_report *r)
{
	if (!r->analysis->chains.count)
		return;
	fputs("\nBLOCKING CHAINS\n", r->out);
	for (size_t i = 0; i < r->analysis->chains.count; i++) {
		if (i)
			putc('\n', r->out);
		put_chain(r, r->analysis->chains.items[i]);
	}
}

/* ---- threads, grouped by process as `!process 0 ff` shows them --------- */

static int compare_waits_by_client(const void *a, const void *b)
{
	const struct wait *x = *(const struct wait *const *)a, *y = *(const struct wait *const *)b;
	uintptr_t cx = (uintptr_t)x->client, cy = (uintptr_t)y->client;
	if (cx != cy)
		return cx < cy ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static void index_waits_by_client(struct text_report *r)
{
	size_t n = r->analysis->waits.count;
	r->waits_by_client = checked_calloc(n ? n : 1, sizeof *r->waits_by_client);
	if (n)
		memcpy(r->waits_by_client, r->analysis->waits.items,
		       n * sizeof *r->waits_by_client);
	qsort(r->waits_by_client, n, sizeof *r->waits_by_client, compare_waits_by_client);
	for (size_t i = n; i-- > 0;)
		if (r->waits_by_client[i]->client)
			u64_map_put(&r->first_wait_of_client,
				    (uintptr_t)r->waits_by_client[i]->client,
				    &r->waits_by_client[i]);
}

static bool thread_listed(const struct text_report *r, const struct thread *thread)
{
	return r->all || analysis_thread_involved(r->analysis, thread);
}

struct listed_thread {
	size_t process_rank; /* position in snapshot->processes; count when unknown */
	size_t thread_rank;
	struct thread *thread;
	const struct process *process;
};

static int compare_listed_threads(const void *a, const void *b)
{
	const struct listed_thread *x = a, *y = b;
	if (x->process_rank != y->process_rank)
		return x->process_rank < y->process_rank ? -1 : 1;
	return x->thread_rank < y->thread_rank ? -1 : x->thread_rank > y->thread_rank;
}

/* The listed threads in process order, then in first-seen order. */
static struct listed_thread *list_threads(const struct text_report *r, size_t *count)
{
	const struct snapshot *s = r->snapshot;
	struct u64_map rank_of_process = { 0 };
	for (size_t i = 0; i < s->processes.count; i++)
		u64_map_put(&rank_of_process, (uintptr_t)s->processes.items[i],
			    &s->processes.items[i]);
	struct listed_thread *listed = checked_calloc(s->threads.count + 1, sizeof *listed);
	size_t n = 0;
	for (size_t i = 0; i < s->threads.count; i++) {
		struct thread *thread = s->threads.items[i];
		if (!thread_listed(r, thread))
			continue;
		const struct process *process = thread_process(s, thread);
		void **slot = process ? u64_map_get(&rank_of_process, (uintptr_t)process) : NULL;
		listed[n++] = (struct listed_thread){
			.process_rank =
				slot ? (size_t)(slot - s->processes.items) : s->processes.count,
			.thread_rank = i,
			.thread = thread,
			.process = slot ? process : NULL,
		};
	}
	u64_map_release(&rank_of_process);
	qsort(listed, n, sizeof *listed, compare_listed_threads);
	*count = n;
	return listed;
}

static void put_process_heading(const struct text_report *r, const struct process *process)
{
	if (!process) {
		fputs("PROCESS ?  (threads whose process is not in the capture)\n", r->out);
		return;
	}
	fputs("PROCESS ", r->out);
	put_address(r, process->address);
	fputs("  Cid: ", r->out);
	put_hex(r->out, process->pid, 4);
	fputs("  Image: ", r->out);
	put_text(r->out, process->image);
	putc('\n', r->out);
}

/* "THREAD ffffa00000001104  Cid 0100.0104  WAIT: (WrLpcReply) UserMode" */
static void put_thread_line(const struct text_report *r, const struct thread *thread)
{
	fputs("    THREAD ", r->out);
	put_address(r, thread->address);
	fputs("  Cid ", r->out);
	put_cid(r->out, thread->pid, thread->tid);
	fputs("  ", r->out);
	put_text(r->out, thread->state);
	if (thread->state && strcmp(thread->state, "WAIT") == 0) {
		fputs(": (", r->out);
		put_text(r->out, thread->wait_reason);
		fputs(") ", r->out);
		put_text(r->out, thread->wait_mode);
	}
	if (thread->debugger_index.known)
		fprintf(r->out, "  (debugger thread ~%" PRIu64 ")", thread->debugger_index.value);
	putc('\n', r->out);
}

static void put_wait_objects(const struct text_report *r, const struct thread *thread)
{
	for (uint32_t i = 0; i < thread->wait_object_count; i++) {
		const struct wait_object *object = &thread->wait_objects[i];
		fputs("        ", r->out);
		put_address(r, known_u64(object->address));
		fputs("  ", r->out);
		put_text(r->out, object->type);
		if (object->owner_thread.known) {
			fputs(" - owning thread ", r->out);
			put_address(r, object->owner_thread);
		}
		putc('\n', r->out);
	}
}

/* The thread's own IPC lines, as `!thread` prints them. */
static void put_ipc_lines(const struct text_report *r, const struct thread *thread)
{
	if (thread->alpc_wait_message.known || thread->alpc_wait_port.known) {
		fputs("        Waiting for reply to ALPC Message ", r->out);
		put_address(r, thread->alpc_wait_message);
		fputs(" : queued at port ", r->out);
		put_address(r, thread->alpc_wait_port);
		fputs(" : owned by process ", r->out);
		put_address(r, thread->alpc_wait_port_owner);
		putc('\n', r->out);
	}
	if (thread->lpc_wait_message_id.known) {
		fputs("        Waiting for reply to LPC MessageId ", r->out);
		put_hex(r->out, thread->lpc_wait_message_id, 8);
		fputs(":\n", r->out);
	}
	if (thread->lpc_port.known) {
		fputs("        Current LPC port ", r->out);
		put_address(r, thread->lpc_port);
		putc('\n', r->out);
	}
	if (thread->lpc_serving_message_id.known) {
		fputs("        LPC Server thread working on message Id ", r->out);
		put_hex(r->out, thread->lpc_serving_message_id, 0);
		putc('\n', r->out);
	}
}

static void put_wait_time(const struct text_report *r, const struct thread *thread)
{
	if (!thread->wait_ticks.known && !thread->wait_time)
		return;
	fputs("        Ticks: ", r->out);
	if (thread->wait_ticks.known)
		fprintf(r->out, "%" PRIu64, thread->wait_ticks.value);
	else
		putc('?', r->out);
	if (thread->wait_time) {
		fputs(" (", r->out);
		put_text(r->out, thread->wait_time);
		putc(')', r->out);
	}
	putc('\n', r->out);
}

/* What the analysis concluded about the thread: whom it waits for, or,
 * when it waits for nobody, what it is doing. */
static void put_conclusion(const struct text_report *r, struct thread *thread)
{
	const struct wait **first = u64_map_get(&r->first_wait_of_client, (uintptr_t)thread);
	const struct wait **end = r->waits_by_client + r->analysis->waits.count;
	for (const struct wait **at = first; at && at < end && (*at)->client == thread; at++) {
		const struct wait *wait = *at;
		fprintf(r->out, "        -> waits (%s) for ", wait_via_name(wait->via));
		put_party(r, wait->server_thread, wait->server_process);
		if (wait->weak)
			fputs(" [weak evidence]", r->out);
		putc('\n', r->out);
	}
	if (first)
		return;
	struct root_blocker activity = classify_thread(r->snapshot, thread);
	fputs("        -> ", r->out);
	put_text(r->out, blocker_kind_description(activity.kind));
	if (activity.detail) {
		fputs(" (", r->out);
		put_text(r->out, activity.detail);
		putc(')', r->out);
	}
	putc('\n', r->out);
}

static void put_frames(const struct text_report *r, const struct thread *thread)
{
	if (thread->kernel_stack_not_resident)
		fputs("        Kernel stack not resident.\n", r->out);
	if (!thread->frame_count)
		return;
	fputs("        Call Site\n", r->out);
	for (uint32_t i = 0; i < thread->frame_count; i++) {
		fputs("        ", r->out);
		put_text(r->out, thread->frames[i]);
		putc('\n', r->out);
	}
}

static void put_thread_block(const struct text_report *r, struct thread *thread)
{
	put_thread_line(r, thread);
	put_wait_objects(r, thread);
	put_ipc_lines(r, thread);
	put_wait_time(r, thread);
	put_conclusion(r, thread);
	put_frames(r, thread);
}

static void put_threads(const struct text_report *r)
{
	size_t count;
	struct listed_thread *listed = list_threads(r, &count);
	if (count)
		fprintf(r->out, "\n%s\n", r->all ? "THREADS" : "WAITING THREADS");
	for (size_t i = 0; i < count; i++) {
		bool new_process = i == 0 || listed[i].process_rank != listed[i - 1].process_rank;
		if (new_process && i)
			putc('\n', r->out);
		if (new_process)
			put_process_heading(r, listed[i].process);
		put_thread_block(r, listed[i].thread);
	}
	free(listed);
}

/* ---- ports with queued messages, in the words of `!alpc /p` ------------- */

static const char *queue_heading(enum queue_kind kind)
{
	static const char *const headings[QUEUE_KIND_COUNT] = {
		[QUEUE_MAIN] = "Main queue",
		[QUEUE_LARGE_MESSAGE] = "Large message queue",
		[QUEUE_PENDING] = "Pending queue",
		[QUEUE_CANCELED] = "Canceled queue",
		[QUEUE_DIRECT] = "Direct message queue",
		[QUEUE_WAIT] = "Wait queue",
		[QUEUE_LPC_MESSAGES] = "Message queue",
		[QUEUE_LPC_DATA_INFO] = "LpcDataInfoChainHead queue",
	};
	return (unsigned)kind < QUEUE_KIND_COUNT && headings[kind] ? headings[kind] : "Queue";
}

static bool port_has_queued_messages(const struct port *port)
{
	for (int kind = 0; kind < QUEUE_KIND_COUNT; kind++) {
		const struct port_queue *queue = &port->queues[kind];
		if (queue->messages.count || (queue->length.known && queue->length.value))
			return true;
	}
	return false;
}

static void put_thread_at(const struct text_report *r, const char *label, maybe_u64 address)
{
	if (!address.known)
		return;
	fprintf(r->out, "  %s ", label);
	put_address(r, address);
	const struct thread *thread = snapshot_find_thread(r->snapshot, address.value);
	if (thread) {
		fputs(" (", r->out);
		put_thread(r, thread);
		putc(')', r->out);
	}
}

static void put_queued_message(const struct text_report *r, uint64_t address)
{
	const struct message *message = snapshot_find_message(r->snapshot, address);
	fputs("    ", r->out);
	put_address(r, known_u64(address));
	if (message) {
		if (message->id.known)
			fprintf(r->out, "  MessageID 0x%04" PRIx64, message->id.value);
		/* An LPC queue entry's "From: pid.tid". */
		if (message->client_pid.known || message->client_tid.known) {
			fputs("  From: ", r->out);
			put_cid(r->out, message->client_pid, message->client_tid);
		}
		put_thread_at(r, "WaitingThread", message->waiting_thread);
		put_thread_at(r, "ServerThread", message->server_thread);
	}
	putc('\n', r->out);
}

static void put_queue(const struct text_report *r, const struct port_queue *queue,
		      enum queue_kind kind)
{
	if (!queue->length.known && !queue->messages.count)
		return;
	fprintf(r->out, "  %s", queue_heading(kind));
	if (queue->length.known && queue->length.value == 0 && !queue->messages.count) {
		fputs(" is empty.\n", r->out);
		return;
	}
	fputs(": ", r->out);
	if (queue->length.known)
		put_plural(r->out, queue->length.value, "message", "messages");
	else
		put_plural(r->out, queue->messages.count, "message listed", "messages listed");
	putc('\n', r->out);
	for (size_t i = 0; i < queue->messages.count; i++)
		put_queued_message(r, queue->messages.items[i]);
}

static void put_port(const struct text_report *r, const struct port *port)
{
	fputs("Port  ", r->out);
	put_address(r, port->address);
	if (port->name) {
		fputs("  ", r->out);
		put_text(r->out, port->name);
	}
	fputs("\n  Type          : ", r->out);
	put_text(r->out, port_kind_windbg_name(port->kind));
	fputs("\n  OwnerProcess  : ", r->out);
	put_address(r, port->owner_process);
	const struct process *owner =
		port->owner_process.known
			? snapshot_find_process(r->snapshot, port->owner_process.value)
			: NULL;
	if (owner) {
		fputs(" (", r->out);
		put_text(r->out, owner->image);
		putc(')', r->out);
	}
	putc('\n', r->out);
	for (int kind = QUEUE_UNKNOWN + 1; kind < QUEUE_KIND_COUNT; kind++)
		put_queue(r, &port->queues[kind], (enum queue_kind)kind);
}

static void put_ports(const struct text_report *r)
{
	size_t printed = 0;
	for (size_t i = 0; i < r->snapshot->ports.count; i++) {
		const struct port *port = r->snapshot->ports.items[i];
		if (!r->all && !port_has_queued_messages(port))
			continue;
		if (!printed)
			fprintf(r->out, "\n%s\n", r->all ? "PORTS" : "PORTS WITH QUEUED MESSAGES");
		else
			putc('\n', r->out);
		put_port(r, port);
		printed++;
	}
}

/* ---- RPC calls, as `!rpcexts.getcallinfo` tables ----------------------- */

/* A fixed-width hex column; "?" padded to the same width when unknown. */
static void put_column(FILE *out, maybe_u64 value, int digits)
{
	if (value.known)
		fprintf(out, "%0*" PRIx64, digits, value.value);
	else
		fprintf(out, "%-*s", digits, "?");
}

static void put_cell_column(FILE *out, maybe_cell cell)
{
	if (cell.known)
		put_cell(out, cell);
	else
		fprintf(out, "%-9s", "?");
}

static void put_server_call_row(const struct text_report *r, const struct rpc_server_call *call)
{
	FILE *out = r->out;
	put_column(out, call->pid, 4);
	putc(' ', out);
	put_cell_column(out, call->cell);
	putc(' ', out);
	put_column(out, call->status, 2);
	putc(' ', out);
	put_column(out, call->procedure, 3);
	putc(' ', out);
	put_column(out, call->interface_start, 8);
	putc(' ', out);
	put_cell_column(out, call->thread_cell);
	putc(' ', out);
	put_column(out, call->call_flags, 8);
	putc(' ', out);
	put_column(out, call->call_id, 8);
	putc(' ', out);
	put_column(out, call->last_time, 8);
	putc(' ', out);
	/* CONN/CLN: a connection cell, or the LRPC caller's pid.tid. */
	if (call->party == RPC_PARTY_CALLER ||
	    (!call->connection_cell.known && call->caller_pid.known))
		put_cid(out, call->caller_pid, call->caller_tid);
	else
		put_cell(out, call->connection_cell);
	putc('\n', out);
}

static void put_client_call_row(const struct text_report *r, const struct rpc_client_call *call)
{
	FILE *out = r->out;
	put_column(out, call->pid, 4);
	putc(' ', out);
	put_cell_column(out, call->cell);
	putc(' ', out);
	put_column(out, call->procedure, 4);
	putc(' ', out);
	put_column(out, call->interface_start, 8);
	putc(' ', out);
	put_cell_column(out, call->thread_cell);
	putc(' ', out);
	put_column(out, call->call_id, 8);
	putc(' ', out);
	put_column(out, call->last_time, 8);
	putc(' ', out);
	put_column(out, call->protocol_id, 2);
	putc(' ', out);
	put_cell_column(out, call->client_cell);
	putc(' ', out);
	put_text(out, call->endpoint);
	putc('\n', out);
}

static void put_rpc_calls(const struct text_report *r)
{
	const struct snapshot *s = r->snapshot;
	if (s->rpc_server_calls.count) {
		fputs("\nRPC SERVER CALLS\n"
		      "PID  CELL ID   ST PNO IFSTART  TIDNUMBER CALLFLAG CALLID   LASTTIME CONN/CLN\n",
		      r->out);
		for (size_t i = 0; i < s->rpc_server_calls.count; i++)
			put_server_call_row(r, s->rpc_server_calls.items[i]);
	}
	if (s->rpc_client_calls.count) {
		fputs("\nRPC CLIENT CALLS\n"
		      "PID  CELL ID   PNO  IFSTART  TIDNUMBER CALLID   LASTTIME PS CLTNUMBER ENDPOINT\n",
		      r->out);
		for (size_t i = 0; i < s->rpc_client_calls.count; i++)
			put_client_call_row(r, s->rpc_client_calls.items[i]);
	}
}

/* ---- header and diagnostics -------------------------------------------- */

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

static void put_diagnostics(const struct text_report *r)
{
	static const char *const labels[] = {
		[DIAGNOSTIC_NOTE] = "note",
		[DIAGNOSTIC_WARNING] = "warning",
		[DIAGNOSTIC_ERROR] = "error",
	};
	const struct ptr_vec *diagnostics = &r->snapshot->diagnostics;
	if (diagnostics->count)
		fputs("\nDIAGNOSTICS\n", r->out);
	/* Errors first: they say why the rest may be missing. */
	for (int level = DIAGNOSTIC_ERROR; level >= DIAGNOSTIC_NOTE; level--)
		for (size_t i = 0; i < diagnostics->count; i++) {
			const struct diagnostic *diagnostic = diagnostics->items[i];
			if ((int)diagnostic->level != level)
				continue;
			fprintf(r->out, "%s: ", labels[level]);
			put_text(r->out, diagnostic->text);
			putc('\n', r->out);
		}
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
