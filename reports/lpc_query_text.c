/* `alpcgraph lpc` as text, laid out as WinDbg's `!lpc` prints it on XP and
 * 2003 so a WinDbg user reads it at once (../shared/docs/
 * debugger-output-formats.md §3.1 for the port list, the port block and
 * the message search; §3.2 for the thread lines):
 *   port         "Scanning N objects" and one line per port:
 *                "       1  Port: 0x… Connection: 0x…  Communication: 0x…  'name'";
 *   port A       the block "Server connection port A  Name: …", handles,
 *                server process, queue semaphore, the message queue with
 *                each message ("0000 A - Busy  Id=…  From: pid.tid
 *                Context=…  [flink . blink]", "Length=…  Type=…
 *                (LPC_REQUEST)", "Data: …") and the LpcDataInfoChainHead
 *                line;
 *   message ID   "Searching message ID in threads ...", "Client thread T
 *                waiting a reply from ID", "Searching thread T in port
 *                rundown queues ...", the blocks of those ports, "Done.";
 *   message      every message, as a queue entry, with its port;
 *   scan A       the list lines of A and the ports connected to it;
 *   thread A     the rundown search of thread A;
 *   thread       every thread doing LPC, with its §3.2 lines.
 * Lines the public samples do not show (a server thread working on the
 * message, the queue search, the message summary) use the same words.
 * What the input never showed prints as "?", never as 0, and a line whose
 * every value is unknown is left out. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lpc_query_internal.h"
#include "render_text_internal.h"

struct lpc_text {
	FILE *out;
	const struct snapshot *snapshot;
};

/* ---- values --------------------------------------------------------------- */

/* 8 hex digits on x86 captures, 16 on x64 (2003 x64), as WinDbg prints a
 * pointer; without a known architecture, by the value. */
static void put_pointer(const struct lpc_text *t, maybe_u64 address)
{
	if (!address.known) {
		putc('?', t->out);
		return;
	}
	const char *arch = t->snapshot->system.arch;
	bool narrow = arch ? strcmp(arch, "x86") == 0 : address.value <= 0xffffffffu;
	fprintf(t->out, "%0*" PRIx64, narrow ? 8 : 16, address.value);
}

static void put_prefixed_pointer(const struct lpc_text *t, maybe_u64 address)
{
	if (address.known)
		fputs("0x", t->out);
	put_pointer(t, address);
}

static void put_count(const struct lpc_text *t, maybe_u64 value)
{
	if (value.known)
		fprintf(t->out, "%" PRIu64, value.value);
	else
		putc('?', t->out);
}

/* "0584.0680", each half "?" when unknown */
static void put_lpc_cid(const struct lpc_text *t, maybe_u64 pid, maybe_u64 tid)
{
	put_hex(t->out, pid, 4);
	putc('.', t->out);
	put_hex(t->out, tid, 4);
}

/* A thread as the search lines name it: its ETHREAD, or its Cid when only
 * that is known (a queue entry's "From:"). */
static void put_thread_name(const struct lpc_text *t, const struct thread *thread)
{
	if (thread->address.known) {
		put_pointer(t, thread->address);
		return;
	}
	fputs("Cid ", t->out);
	put_lpc_cid(t, thread->pid, thread->tid);
}

/* ---- ports ---------------------------------------------------------------- */

static const char *heading_of(enum port_kind kind)
{
	switch (kind) {
	case PORT_LPC_SERVER_CONNECTION:
		return "Server connection port";
	case PORT_LPC_SERVER_COMMUNICATION:
		return "Server communication port";
	case PORT_LPC_CLIENT_COMMUNICATION:
		return "Client communication port";
	case PORT_LPC_UNCONNECTED_COMMUNICATION:
		return "Unconnected communication port";
	default:
		return "Port";
	}
}

/* "       1  Port: 0xe1405650 Connection: 0xe1405650  Communication: 0x00000000  'SeRmCommandPort'"
 * A connection port has no connected port, so its Communication is 0 as
 * WinDbg prints it; for any other port an unknown one is "?". */
static void put_list_line(const struct lpc_text *t, const struct port *port)
{
	if (port->lpc_flags.known)
		fprintf(t->out, "%8" PRIx64, port->lpc_flags.value);
	else
		fputs("       ?", t->out);
	fputs("  Port: ", t->out);
	put_prefixed_pointer(t, port->address);
	fputs(" Connection: ", t->out);
	maybe_u64 connection = port->connection_port;
	if (!connection.known && port->kind == PORT_LPC_SERVER_CONNECTION)
		connection = port->address;
	put_prefixed_pointer(t, connection);
	fputs("  Communication: ", t->out);
	maybe_u64 communication = port->connected_port;
	if (!communication.known && port->kind == PORT_LPC_SERVER_CONNECTION)
		communication = known_u64(0);
	put_prefixed_pointer(t, communication);
	fputs("  '", t->out);
	if (port->name) {
		put_text(t->out, port->name);
		putc('\'', t->out);
	}
	putc('\n', t->out);
}

/* " 0000 e20d9b80 - Busy  Id=0002249c  From: 0584.0680  Context=00000021  [e14ae248 . e14ae248]"
 * " Length=0098007c  Type=00000001 (LPC_REQUEST)"
 * "                   Data: 00000000 0002021e 00000584 00000680 002f0001 00000007" */
static void put_message_lines(const struct lpc_text *t, const char *indent,
			      const struct message *m)
{
	fprintf(t->out, "%s", indent);
	put_pointer(t, m->address);
	fputs(" - ", t->out);
	put_text(t->out, m->lpc_state ? m->lpc_state : "?");
	fputs("  Id=", t->out);
	put_hex(t->out, m->id, 8);
	fputs("  From: ", t->out);
	put_lpc_cid(t, m->client_pid, m->client_tid);
	fputs("  Context=", t->out);
	put_hex(t->out, m->lpc_context, 8);
	if (m->lpc_flink.known || m->lpc_blink.known) {
		fputs("  [", t->out);
		put_pointer(t, m->lpc_flink);
		fputs(" . ", t->out);
		put_pointer(t, m->lpc_blink);
		putc(']', t->out);
	}
	fputs("\n    Length=", t->out);
	if (m->data_length.known && m->total_length.known)
		fprintf(t->out, "%04" PRIx64 "%04" PRIx64, m->total_length.value,
			m->data_length.value);
	else
		putc('?', t->out);
	fputs("  Type=", t->out);
	put_hex(t->out, m->type_number, 8);
	if (m->type) {
		fputs(" (", t->out);
		put_text(t->out, m->type);
		putc(')', t->out);
	}
	putc('\n', t->out);
	if (m->lpc_data_count) {
		fputs("                   Data:", t->out);
		for (unsigned i = 0; i < m->lpc_data_count && i < MESSAGE_DATA_WORDS; i++)
			fprintf(t->out, " %08" PRIx32, m->lpc_data[i]);
		putc('\n', t->out);
	}
}

static void put_message_queue(const struct lpc_text *t, const struct port *port)
{
	size_t count = 0;
	const struct message **queued = lpc_queue_messages(t->snapshot, port, &count);
	maybe_u64 length = port->queues[QUEUE_LPC_MESSAGES].length;
	bool communication = port->kind == PORT_LPC_SERVER_COMMUNICATION ||
			     port->kind == PORT_LPC_CLIENT_COMMUNICATION ||
			     port->kind == PORT_LPC_UNCONNECTED_COMMUNICATION;
	/* `!lpc` leaves out a communication port's empty queue (§3.1). */
	if (communication && !count && (!length.known || !length.value)) {
		free(queued);
		return;
	}
	if (count) {
		fputs("        Messages in queue:\n", t->out);
		for (size_t i = 0; i < count; i++) {
			char index[32];
			snprintf(index, sizeof index, "    %04zx ", i);
			put_message_lines(t, index, queued[i]);
		}
	}
	free(queued);
	/* Two listings of one port at different times can list a message
	 * and then say the queue is empty: the count printed is never less
	 * than the messages printed above it. */
	if (count && (!length.known || length.value < count))
		length = known_u64(count);
	if (!length.known)
		return;
	if (length.value)
		fprintf(t->out, "    The message queue contains %" PRIu64 " messages\n", length.value);
	else
		fputs("    The message queue is empty\n", t->out);
}

static void put_port_block(const struct lpc_text *t, const struct port *port)
{
	fputs("\n", t->out);
	fputs(heading_of(port->kind), t->out);
	putc(' ', t->out);
	/* WinDbg prints a connection port's address bare and the others' with 0x. */
	if (port->kind == PORT_LPC_SERVER_CONNECTION)
		put_pointer(t, port->address);
	else
		put_prefixed_pointer(t, port->address);
	if (port->name) {
		fputs("  Name: ", t->out);
		put_text(t->out, port->name);
	}
	putc('\n', t->out);
	if (port->handles.known || port->references.known) {
		fputs("    Handles: ", t->out);
		put_count(t, port->handles);
		fputs("   References: ", t->out);
		put_count(t, port->references);
		putc('\n', t->out);
	}
	/* `!lpc` prints the server process and the queue semaphore of a
	 * connection port, where requests queue, and not of a communication
	 * port (§3.1: e114a3c0's block); JSON keeps them for every port. */
	bool communication = port->kind == PORT_LPC_SERVER_COMMUNICATION ||
			     port->kind == PORT_LPC_CLIENT_COMMUNICATION ||
			     port->kind == PORT_LPC_UNCONNECTED_COMMUNICATION;
	if (port->owner_process.known && !communication) {
		fputs("    Server process  : ", t->out);
		put_pointer(t, port->owner_process);
		const struct process *process =
			port->owner_process.value
				? snapshot_find_process(t->snapshot, port->owner_process.value)
				: NULL;
		if (process && process->image) {
			fputs(" (", t->out);
			put_text(t->out, process->image);
			putc(')', t->out);
		}
		putc('\n', t->out);
	}
	if (port->queue_semaphore.known && !communication) {
		fputs("    Queue semaphore : ", t->out);
		put_pointer(t, port->queue_semaphore);
		putc('\n', t->out);
	}
	if (port->semaphore_state.known && !communication)
		fprintf(t->out, "    Semaphore state %" PRIu64 " (0x%" PRIx64 ")\n",
			port->semaphore_state.value, port->semaphore_state.value);
	put_message_queue(t, port);
	maybe_u64 data_info = port->queues[QUEUE_LPC_DATA_INFO].length;
	if (data_info.known && !data_info.value)
		fputs("    The LpcDataInfoChainHead queue is empty\n", t->out);
	else if (data_info.known)
		fprintf(t->out, "    The LpcDataInfoChainHead queue contains %" PRIu64 " messages\n",
			data_info.value);
	if (port->kind != PORT_LPC_SERVER_CONNECTION &&
	    (port->connected_port.known || port->connection_port.known)) {
		fputs("        Connected port: ", t->out);
		put_prefixed_pointer(t, port->connected_port);
		fputs("      Server connection port: ", t->out);
		put_prefixed_pointer(t, port->connection_port);
		putc('\n', t->out);
	}
}

static void put_port_blocks(const struct lpc_text *t, const struct lpc_answer *a, size_t from,
			    size_t to)
{
	for (size_t i = from; i < to; i++)
		put_port_block(t, a->ports.items[i]);
}

static void put_port_list(const struct lpc_text *t, const struct lpc_answer *a)
{
	/* The port objects the census (or `!lpc` itself) went through, those
	 * that did not decode too; the lines below are the ports that did. */
	maybe_u64 scanned = t->snapshot->system.lpc_objects_scanned;
	fprintf(t->out, "Scanning %" PRIu64 " objects\n", scanned.known ? scanned.value : (uint64_t)a->ports.count);
	for (size_t i = 0; i < a->ports.count; i++)
		put_list_line(t, a->ports.items[i]);
}

/* ---- messages and threads ------------------------------------------------- */

static void put_message_id(const struct lpc_text *t, uint64_t id)
{
	fprintf(t->out, "%" PRIx64, id);
}

/* A message as one queue entry, with the port queueing it and its
 * threads when known. */
static void put_message_summary(const struct lpc_text *t, const struct message *m)
{
	put_message_lines(t, "", m);
	if (m->queue_port.known) {
		fputs("    Queued at port ", t->out);
		put_prefixed_pointer(t, m->queue_port);
		const struct port *port =
			m->queue_port.value ? snapshot_find_port(t->snapshot, m->queue_port.value)
					    : NULL;
		if (port && port->name) {
			fputs(" '", t->out);
			put_text(t->out, port->name);
			putc('\'', t->out);
		}
		putc('\n', t->out);
	}
	if (m->waiting_thread.known) {
		fputs("    Client thread ", t->out);
		put_pointer(t, m->waiting_thread);
		fputs(" waiting a reply\n", t->out);
	}
	if (m->server_thread.known) {
		fputs("    Server thread ", t->out);
		put_pointer(t, m->server_thread);
		fputs(" working on it\n", t->out);
	}
}

static bool answer_prints_port(const struct lpc_answer *a, uint64_t address)
{
	const struct port *port = snapshot_find_port(a->snapshot, address);
	return port && u64_map_get(&a->port_set, (uintptr_t)port);
}

static void put_message_search(const struct lpc_text *t, const struct lpc_answer *a,
			       uint64_t id)
{
	fputs("Searching message ", t->out);
	put_message_id(t, id);
	fputs(" in threads ...\n", t->out);
	for (size_t i = 0; i < a->client_threads.count; i++) {
		fputs("Client thread ", t->out);
		put_thread_name(t, a->client_threads.items[i]);
		fputs(" waiting a reply from ", t->out);
		put_message_id(t, id);
		putc('\n', t->out);
	}
	for (size_t i = 0; i < a->server_threads.count; i++) {
		fputs("Server thread ", t->out);
		put_thread_name(t, a->server_threads.items[i]);
		fputs(" working on message ", t->out);
		put_message_id(t, id);
		putc('\n', t->out);
	}
	for (size_t i = 0; i < a->client_threads.count; i++) {
		const struct thread *thread = a->client_threads.items[i];
		if (!thread->address.known)
			continue;
		fputs("Searching thread ", t->out);
		put_pointer(t, thread->address);
		fputs(" in port rundown queues ...\n", t->out);
	}
	put_port_blocks(t, a, 0, a->rundown_port_count);
	if (a->ports.count > a->rundown_port_count) {
		fputs("Searching message ", t->out);
		put_message_id(t, id);
		fputs(" in port queues ...\n", t->out);
		put_port_blocks(t, a, a->rundown_port_count, a->ports.count);
	}
	/* A message no printed port queues (a free one, or one only the pool
	 * search found) is shown as its own entry. */
	bool heading = false;
	for (size_t i = 0; i < a->messages.count; i++) {
		const struct message *m = a->messages.items[i];
		if (!m->address.known || (m->queue == QUEUE_LPC_MESSAGES && m->queue_port.known &&
					   answer_prints_port(a, m->queue_port.value)))
			continue;
		if (!heading) {
			fputs("Searching message ", t->out);
			put_message_id(t, id);
			fputs(" in messages ...\n", t->out);
			heading = true;
		}
		put_message_summary(t, m);
	}
	if (!a->found) {
		fputs("Message ", t->out);
		put_message_id(t, id);
		fputs(" is in no thread and no port queue of this input.\n", t->out);
	}
	fputs("Done.\n", t->out);
}

static void put_every_message(const struct lpc_text *t, const struct lpc_answer *a)
{
	fprintf(t->out, "Scanning %zu messages\n", a->messages.count);
	for (size_t i = 0; i < a->messages.count; i++)
		put_message_summary(t, a->messages.items[i]);
}

/* §3.2: "THREAD 894e13a8  Cid 02d4.0e28  WAIT: (Unknown) KernelMode" and
 * its LPC lines. */
static void put_thread_lines(const struct lpc_text *t, const struct thread *thread)
{
	fputs("THREAD ", t->out);
	put_pointer(t, thread->address);
	if (thread->pid.known || thread->tid.known) {
		fputs("  Cid ", t->out);
		put_lpc_cid(t, thread->pid, thread->tid);
	}
	if (thread->state) {
		fputs("  ", t->out);
		put_text(t->out, thread->state);
		if (thread->wait_reason)
			putc(':', t->out);
	}
	if (thread->wait_reason) {
		fputs(" (", t->out);
		put_text(t->out, thread->wait_reason);
		putc(')', t->out);
	}
	if (thread->wait_mode) {
		putc(' ', t->out);
		put_text(t->out, thread->wait_mode);
	}
	putc('\n', t->out);
	if (thread->lpc_wait_message_id.known)
		fprintf(t->out, "    Waiting for reply to LPC MessageId %08" PRIx64 ":\n",
			thread->lpc_wait_message_id.value);
	if (thread->lpc_port.known) {
		fputs("    Current LPC port ", t->out);
		put_pointer(t, thread->lpc_port);
		putc('\n', t->out);
	}
	if (thread->lpc_serving_message_id.known)
		fprintf(t->out, "    LPC Server thread working on message Id %" PRIx64 "\n",
			thread->lpc_serving_message_id.value);
}

static void put_every_thread(const struct lpc_text *t, const struct lpc_answer *a)
{
	size_t printed = 0;
	const struct ptr_vec *lists[] = { &a->client_threads, &a->server_threads };
	for (size_t l = 0; l < 2; l++)
		for (size_t i = 0; i < lists[l]->count; i++) {
			const struct thread *thread = lists[l]->items[i];
			/* a thread both waiting and serving is printed once */
			if (l == 1 && lpc_thread_is_client(thread))
				continue;
			if (printed++)
				putc('\n', t->out);
			put_thread_lines(t, thread);
		}
}

static void put_thread_search(const struct lpc_text *t, const struct lpc_answer *a,
			      const struct lpc_query *query)
{
	if (!a->found) {
		fputs("No thread ", t->out);
		put_pointer(t, query->address);
		fputs(" in this input.\n", t->out);
		return;
	}
	fputs("Searching thread ", t->out);
	put_pointer(t, query->address);
	fputs(" in port rundown queues ...\n", t->out);
	put_port_blocks(t, a, 0, a->ports.count);
	if (!a->rundown_ports.count) {
		fputs("No port's rundown queue holds thread ", t->out);
		put_pointer(t, query->address);
		fputs(" in this input.\n", t->out);
	}
	fputs("Done.\n", t->out);
}

/* ---- the answer ------------------------------------------------------------ */

static void put_heading(const struct lpc_text *t)
{
	const struct snapshot *s = t->snapshot;
	fputs("Input: ", t->out);
	put_text(t->out, s->path);
	if (s->capture_count > 1)
		fprintf(t->out, ", capture %u of %u", s->capture_index, s->capture_count);
	if (s->status != STATUS_OK)
		fprintf(t->out, " (%s)", snapshot_status_name(s->status));
	fputs("\n\n", t->out);
}

static void put_answer(const struct lpc_text *t, const struct lpc_answer *a,
		       const struct lpc_query *query)
{
	switch (query->kind) {
	case LPC_QUERY_PORT:
	case LPC_QUERY_SCAN:
		if (!a->found) {
			fputs("No LPC port", t->out);
			if (query->address.known) {
				putc(' ', t->out);
				put_pointer(t, query->address);
			}
			fputs(" in this input.\n", t->out);
		} else if (query->kind == LPC_QUERY_PORT && query->address.known) {
			put_port_blocks(t, a, 0, a->ports.count);
		} else {
			put_port_list(t, a);
		}
		break;
	case LPC_QUERY_MESSAGE:
		if (query->message_id.known && query->message_id.value)
			put_message_search(t, a, query->message_id.value);
		else if (!a->found)
			fputs("No LPC message in this input.\n", t->out);
		else
			put_every_message(t, a);
		break;
	case LPC_QUERY_THREAD:
		if (query->address.known)
			put_thread_search(t, a, query);
		else if (!a->found)
			fputs("No thread is doing LPC in this input.\n", t->out);
		else
			put_every_thread(t, a);
		break;
	}
}

struct error *render_lpc_text(FILE *out, const struct analysis *analysis,
			      const struct lpc_query *query)
{
	struct lpc_text t = { out, analysis->snapshot };
	struct lpc_answer answer;
	lpc_answer_find(&answer, analysis, query);
	put_heading(&t);
	put_answer(&t, &answer, query);
	lpc_answer_release(&answer);
	if (fflush(out) != 0 || ferror(out))
		return error_new(ERROR_IO, "cannot write the lpc answer: %s", strerror(errno));
	return NULL;
}
