/* The tables at the end of the text report: the ports with queued
 * messages, the RPC calls, and the diagnostics. */
#include <inttypes.h>

#include "render_text_internal.h"

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

void put_ports(const struct text_report *r)
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

void put_rpc_calls(const struct text_report *r)
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

/* ---- diagnostics ------------------------------------------------------- */

void put_diagnostics(const struct text_report *r)
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
