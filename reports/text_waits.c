/* The waits in the text report: one wait as a clause (the hop lines of
 * cycles and chains), the blocking chains, and the threads of the wait
 * graph with their own IPC lines, grouped by process. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "render_text_internal.h"

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
	const char *connection = port ? port_connection_name(r->snapshot, port) : NULL;
	if (port && port->name) {
		fputs(" (", r->out);
		put_text(r->out, port->name);
		putc(')', r->out);
	} else if (connection) {
		fputs(" (connected to ", r->out);
		put_text(r->out, connection);
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
void put_hop(const struct text_report *r, const struct wait *wait)
{
	fputs("    ", r->out);
	put_party(r, wait->client, wait->client_process);
	putc(' ', r->out);
	put_wait_target(r, wait);
	putc('\n', r->out);
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

void put_chains(const struct text_report *r)
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

void index_waits_by_client(struct text_report *r)
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

void put_threads(const struct text_report *r)
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
