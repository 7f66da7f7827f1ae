/* `alpcgraph alpc` as text, laid out as WinDbg's `!alpc` prints it so a
 * WinDbg user reads it at once (../shared/docs/debugger-output-formats.md):
 *   --port         §3.5 "Port  A", the "Key : value" column, the thread
 *                  lists and one line per queue ("Main queue is empty.");
 *   --message      §3.4 "Message @ A" and its field list;
 *   --process      §3.6 "Ports created by the process P:" and "Ports the
 *                  process P is connected to:";
 *   --connections  §3.7 "A('name') n, m connections" and its lines;
 *   --waiters      §3.2 the `!thread` line "Waiting for reply to ALPC
 *                  Message M : queued at port P : owned by process X", one
 *                  line per waiting thread, with what else is known.
 * Numbers print as WinDbg prints them ("0x0BFC (3068)"), addresses
 * pointer-wide.  What the input never showed prints as "?", never as 0;
 * a queue nothing is known about is left out.  The layout of a non-empty
 * queue is not in any public sample: each message is one line under the
 * queue's count. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "alpc_query_internal.h"
#include "render_text_internal.h"

struct query_text {
	FILE *out;
	const struct snapshot *snapshot;
};

/* ---- values --------------------------------------------------------------- */

static void put_pointer(const struct query_text *t, maybe_u64 address)
{
	if (!address.known) {
		putc('?', t->out);
		return;
	}
	const char *arch = t->snapshot->system.arch;
	bool narrow = arch ? strcmp(arch, "x86") == 0 : address.value <= 0xffffffffu;
	fprintf(t->out, "%0*" PRIx64, narrow ? 8 : 16, address.value);
}

/* "0x0BFC (3068)" */
static void put_number(const struct query_text *t, maybe_u64 value, int digits)
{
	if (value.known)
		fprintf(t->out, "0x%0*" PRIX64 " (%" PRIu64 ")", digits, value.value, value.value);
	else
		putc('?', t->out);
}

static void put_yes_no(const struct query_text *t, enum yes_no value)
{
	fputs(value == YES ? "Yes" : value == NO ? "No" : "?", t->out);
}

static void put_count(const struct query_text *t, maybe_u64 value)
{
	if (value.known)
		fprintf(t->out, "%" PRIu64, value.value);
	else
		putc('?', t->out);
}

/* "  Type                      : " — the value column of `!alpc /p` starts
 * at the same place for fields and the indented CommunicationInfo ports. */
static void put_key(const struct query_text *t, int indent, int width, const char *key)
{
	fprintf(t->out, "%*s%-*s: ", indent, "", width, key);
}

static void port_key(const struct query_text *t, const char *key)
{
	put_key(t, 2, 26, key);
}

static void message_key(const struct query_text *t, const char *key)
{
	put_key(t, 2, 22, key);
}

static const struct process *process_at(const struct snapshot *snapshot, maybe_u64 address)
{
	return address.known && address.value ? snapshot_find_process(snapshot, address.value)
					      : NULL;
}

/* "A (image)", the image only when it is known */
static void put_process_label(const struct query_text *t, maybe_u64 address)
{
	put_pointer(t, address);
	const struct process *process = process_at(t->snapshot, address);
	if (process && process->image) {
		fputs(" (", t->out);
		put_text(t->out, process->image);
		putc(')', t->out);
	}
}

/* "A('image')", as /lpp prints a process */
static void put_quoted_process(const struct query_text *t, maybe_u64 address)
{
	put_pointer(t, address);
	const struct process *process = process_at(t->snapshot, address);
	if (process && process->image) {
		fputs("('", t->out);
		put_text(t->out, process->image);
		fputs("')", t->out);
	}
}

/* "A [ALPC_CONNECTION_PORT]" */
static void put_port_with_kind(const struct query_text *t, maybe_u64 address, enum port_kind kind)
{
	put_pointer(t, address);
	const struct port *port = address.known && address.value
					  ? snapshot_find_port(t->snapshot, address.value)
					  : NULL;
	if (!kind && port)
		kind = port->kind;
	if (kind) {
		fputs(" [", t->out);
		put_text(t->out, port_kind_windbg_name(kind));
		putc(']', t->out);
	}
}

static const struct thread *thread_at(const struct snapshot *snapshot, maybe_u64 address)
{
	return address.known && address.value ? snapshot_find_thread(snapshot, address.value)
					      : NULL;
}

/* "THREAD A  Cid 01d8.0208  WAIT", as /p lists a port's threads */
static void put_thread_line(const struct query_text *t, const char *indent, uint64_t address)
{
	const struct thread *thread = snapshot_find_thread(t->snapshot, address);
	fprintf(t->out, "%sTHREAD ", indent);
	put_pointer(t, known_u64(address));
	if (thread && (thread->pid.known || thread->tid.known)) {
		fputs("  Cid ", t->out);
		put_cid(t->out, thread->pid, thread->tid);
	}
	if (thread && thread->state) {
		fputs("  ", t->out);
		put_text(t->out, thread->state);
	}
	const char *image = thread ? thread_image(t->snapshot, thread) : NULL;
	if (image) {
		fputs("  ", t->out);
		put_text(t->out, image);
	}
	putc('\n', t->out);
}

/* ---- heading --------------------------------------------------------------- */

static void put_heading(const struct query_text *t)
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

/* ---- --port -------------------------------------------------------------- */

static void put_port_flags(const struct query_text *t, const struct port *port)
{
	static const struct {
		const char *key;
		size_t offset;
	} flags[] = {
		{ "ConnectionPending", offsetof(struct port, connection_pending) },
		{ "ConnectionRefused", offsetof(struct port, connection_refused) },
		{ "Disconnected", offsetof(struct port, disconnected) },
		{ "Closed", offsetof(struct port, closed) },
		{ "FlushOnClose", offsetof(struct port, flush_on_close) },
		{ "ReturnExtendedInfo", offsetof(struct port, return_extended_info) },
		{ "Waitable", offsetof(struct port, waitable) },
	};
	for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) {
		port_key(t, flags[i].key);
		put_yes_no(t, *(const enum yes_no *)((const char *)port + flags[i].offset));
		putc('\n', t->out);
	}
	port_key(t, "Security");
	put_text(t->out, port->security);
	putc('\n', t->out);
	port_key(t, "Wow64CompletionList");
	put_yes_no(t, port->wow64_completion_list);
	putc('\n', t->out);
}

static void put_communication_info(const struct query_text *t, const struct port *port)
{
	port_key(t, "CommunicationInfo");
	put_pointer(t, port->communication_info);
	putc('\n', t->out);
	put_key(t, 4, 24, "ConnectionPort");
	put_pointer(t, port->connection_port);
	const char *name = alpc_port_name(t->snapshot, port->connection_port);
	if (port->connection_port.known && port->connection_port.value && name) {
		fputs(" (", t->out);
		put_text(t->out, name);
		putc(')', t->out);
	}
	putc('\n', t->out);
	put_key(t, 4, 24, "ClientCommunicationPort");
	put_pointer(t, port->client_port);
	putc('\n', t->out);
	put_key(t, 4, 24, "ServerCommunicationPort");
	put_pointer(t, port->server_port);
	putc('\n', t->out);
}

static void put_thread_list(const struct query_text *t, const struct u64_vec *threads,
			    maybe_u64 count, const char *what)
{
	/* WinDbg prints no list line for a port no thread waits on. */
	if (!threads->count && (!count.known || count.value == 0))
		return;
	fprintf(t->out, "  %" PRIu64 " thread(s) %s:\n",
		count.known ? count.value : (uint64_t)threads->count, what);
	for (size_t i = 0; i < threads->count; i++)
		put_thread_line(t, "    ", threads->items[i]);
}

static void put_queued_message(const struct query_text *t, const struct message *m)
{
	fputs("    Message ", t->out);
	put_pointer(t, m->address);
	if (m->id.known) {
		fputs("  MessageID ", t->out);
		put_number(t, m->id, 4);
	}
	if (m->waiting_thread.known) {
		fputs("  WaitingThread ", t->out);
		put_pointer(t, m->waiting_thread);
	}
	if (m->server_thread.known) {
		fputs("  ServerThread ", t->out);
		put_pointer(t, m->server_thread);
	}
	putc('\n', t->out);
}

/* The queue lines in the order the Windows 10 sample prints them, then
 * the ones only some builds or LPC have. */
static const struct {
	enum queue_kind kind;
	const char *name;
} queue_lines[] = {
	{ QUEUE_MAIN, "Main queue" },
	{ QUEUE_DIRECT, "Direct message queue" },
	{ QUEUE_LARGE_MESSAGE, "Large message queue" },
	{ QUEUE_PENDING, "Pending queue" },
	{ QUEUE_CANCELED, "Canceled queue" },
	{ QUEUE_WAIT, "Wait queue" },
	{ QUEUE_LPC_MESSAGES, "LPC message queue" },
	{ QUEUE_LPC_DATA_INFO, "LPC data info queue" },
};

static void put_queues(const struct query_text *t, const struct port *port)
{
	for (size_t q = 0; q < sizeof queue_lines / sizeof *queue_lines; q++) {
		maybe_u64 length = port->queues[queue_lines[q].kind].length;
		size_t count;
		const struct message **messages =
			alpc_queue_messages(t->snapshot, port, queue_lines[q].kind, &count);
		if (length.known && length.value == 0 && !count)
			fprintf(t->out, "  %s is empty.\n", queue_lines[q].name);
		else if (length.known)
			fprintf(t->out, "  %s has %" PRIu64 " message(s):\n", queue_lines[q].name,
				length.value);
		else if (count)
			fprintf(t->out, "  %s holds at least %zu message(s) (its length is unknown):\n",
				queue_lines[q].name, count);
		for (size_t i = 0; i < count; i++)
			put_queued_message(t, messages[i]);
		free(messages);
	}
}

static void put_port(const struct query_text *t, const struct port *port)
{
	fputs("Port  ", t->out);
	put_pointer(t, port->address);
	putc('\n', t->out);
	/* /p names a port only through its ConnectionPort; a name the input
	 * gave some other way is still worth a line. */
	if (port->name && !maybe_equal(port->connection_port, port->address)) {
		port_key(t, "Name");
		put_text(t->out, port->name);
		putc('\n', t->out);
	}
	port_key(t, "Type");
	fputs(port->kind ? port_kind_windbg_name(port->kind) : "?", t->out);
	putc('\n', t->out);
	put_communication_info(t, port);
	port_key(t, "OwnerProcess");
	put_process_label(t, port->owner_process);
	putc('\n', t->out);
	port_key(t, "SequenceNo");
	put_number(t, port->sequence_number, 8);
	putc('\n', t->out);
	port_key(t, "CompletionPort");
	put_pointer(t, port->completion_port);
	putc('\n', t->out);
	port_key(t, "CompletionList");
	put_pointer(t, port->completion_list);
	putc('\n', t->out);
	put_port_flags(t, port);
	putc('\n', t->out);
	put_thread_list(t, &port->registered_threads, port->registered_thread_count,
			"are registered with port IO completion object");
	put_thread_list(t, &port->waiting_threads, port->waiting_thread_count,
			"are waiting on the port");
	put_queues(t, port);
}

/* ---- --message ----------------------------------------------------------- */

static void put_pointer_field(const struct query_text *t, const char *key, maybe_u64 value)
{
	message_key(t, key);
	put_pointer(t, value);
	putc('\n', t->out);
}

static void put_number_field(const struct query_text *t, const char *key, maybe_u64 value,
			     int digits)
{
	message_key(t, key);
	put_number(t, value, digits);
	putc('\n', t->out);
}

static void put_flag_field(const struct query_text *t, const char *key, enum yes_no value)
{
	message_key(t, key);
	put_yes_no(t, value);
	putc('\n', t->out);
}

static void put_message_fields(const struct query_text *t, const struct message *m)
{
	fputs("Message @ ", t->out);
	put_pointer(t, m->address);
	putc('\n', t->out);
	put_number_field(t, "MessageID", m->id, 4);
	put_number_field(t, "CallbackID", m->callback_id, 4);
	put_number_field(t, "SequenceNumber", m->sequence_number, 8);
	message_key(t, "Type");
	put_text(t->out, m->type);
	putc('\n', t->out);
	put_number_field(t, "DataLength", m->data_length, 4);
	put_number_field(t, "TotalLength", m->total_length, 4);
	put_flag_field(t, "Canceled", m->canceled);
	put_flag_field(t, "Release", m->release);
	put_flag_field(t, "ReplyWaitReply", m->reply_wait_reply);
	put_flag_field(t, "Continuation", m->continuation);
	message_key(t, "OwnerPort");
	put_port_with_kind(t, m->owner_port, m->owner_port_kind);
	putc('\n', t->out);
	put_pointer_field(t, "WaitingThread", m->waiting_thread);
	message_key(t, "QueueType");
	fputs(m->queue ? queue_kind_windbg_name(m->queue) : "?", t->out);
	putc('\n', t->out);
	message_key(t, "QueuePort");
	put_port_with_kind(t, m->queue_port, m->queue_port_kind);
	putc('\n', t->out);
	message_key(t, "QueuePortOwnerProcess");
	put_process_label(t, m->queue_port_owner);
	putc('\n', t->out);
	put_pointer_field(t, "ServerThread", m->server_thread);
	put_flag_field(t, "QuotaCharged", m->quota_charged);
	put_pointer_field(t, "CancelQueuePort", m->cancel_queue_port);
	put_pointer_field(t, "CancelSequencePort", m->cancel_sequence_port);
	put_number_field(t, "CancelSequenceNumber", m->cancel_sequence_number, 8);
	put_pointer_field(t, "ClientContext", m->client_context);
	put_pointer_field(t, "ServerContext", m->server_context);
	put_pointer_field(t, "PortContext", m->port_context);
	put_pointer_field(t, "CancelPortContext", m->cancel_port_context);
	put_pointer_field(t, "SecurityData", m->security_data);
	put_pointer_field(t, "View", m->view);
}

/* ---- --process and --connections ----------------------------------------- */

/* "A('name') n, m connections" */
static void put_connection_port_line(const struct query_text *t, const char *indent,
				     maybe_u64 address, const struct port *port, size_t lines)
{
	fputs(indent, t->out);
	put_pointer(t, address);
	const char *name = alpc_port_name(t->snapshot, address);
	if (name) {
		fputs("('", t->out);
		put_text(t->out, name);
		fputs("')", t->out);
	}
	putc(' ', t->out);
	put_count(t, port ? alpc_port_queued(port) : UNKNOWN_U64);
	fprintf(t->out, ", %zu connections\n", lines);
}

/* "S n -> C m P('image')" */
static void put_created_link(const struct query_text *t, const char *indent,
			     const struct alpc_link *link)
{
	fputs(indent, t->out);
	put_pointer(t, link->server_port);
	putc(' ', t->out);
	put_count(t, link->server_queued);
	fputs(" -> ", t->out);
	put_pointer(t, link->client_port);
	putc(' ', t->out);
	put_count(t, link->client_queued);
	putc(' ', t->out);
	put_quoted_process(t, link->client_process);
	putc('\n', t->out);
}

/* "C n -> A('name') m P('image')" */
static void put_connected_link(const struct query_text *t, const struct alpc_link *link)
{
	maybe_u64 target = link->connection_port.known ? link->connection_port : link->server_port;
	fputs("    ", t->out);
	put_pointer(t, link->client_port);
	putc(' ', t->out);
	put_count(t, link->client_queued);
	fputs(" -> ", t->out);
	put_pointer(t, target);
	const char *name = alpc_port_name(t->snapshot, target);
	if (name) {
		fputs("('", t->out);
		put_text(t->out, name);
		fputs("')", t->out);
	}
	putc(' ', t->out);
	put_count(t, link->server_queued);
	putc(' ', t->out);
	put_quoted_process(t, link->server_process);
	putc('\n', t->out);
}

static void put_process_ports(const struct query_text *t, const struct alpc_answer *a)
{
	fputs("Ports created by the process ", t->out);
	put_pointer(t, a->process_address);
	fputs(":\n", t->out);
	for (size_t i = 0; i < a->created_count; i++) {
		const struct alpc_created_port *created = &a->created[i];
		put_connection_port_line(t, "    ", created->port->address, created->port,
					 created->links.count);
		for (size_t j = 0; j < created->links.count; j++)
			put_created_link(t, "        ", &created->links.items[j]);
	}
	fputs("Ports the process ", t->out);
	put_pointer(t, a->process_address);
	fputs(" is connected to:\n", t->out);
	for (size_t i = 0; i < a->connected_to.count; i++)
		put_connected_link(t, &a->connected_to.items[i]);
}

static void put_connections(const struct query_text *t, const struct alpc_answer *a,
			    const struct alpc_query *query)
{
	if (!maybe_equal(a->port_address, query->address)) {
		const struct port *asked = snapshot_find_port(t->snapshot, query->address.value);
		put_pointer(t, query->address);
		fprintf(t->out, " is an %s; its connection port:\n",
			asked ? port_kind_windbg_name(asked->kind) : "?");
	}
	put_connection_port_line(t, "", a->port_address, a->port, a->links.count);
	for (size_t i = 0; i < a->links.count; i++)
		put_created_link(t, "      ", &a->links.items[i]);
}

/* ---- --waiters ----------------------------------------------------------- */

/* "A Cid 0f30.11c8 image" */
static void put_thread_party(const struct query_text *t, const struct thread *thread)
{
	put_pointer(t, thread->address);
	fputs(" Cid ", t->out);
	put_cid(t->out, thread->pid, thread->tid);
	putc(' ', t->out);
	put_text(t->out, thread_image(t->snapshot, thread));
}

static void put_waiter(const struct query_text *t, const struct wait *wait)
{
	const struct thread *client = wait->client;
	const struct message *m = wait->message;
	maybe_u64 port = wait->port ? wait->port->address : UNKNOWN_U64;
	maybe_u64 owner = wait->server_process ? wait->server_process->address : UNKNOWN_U64;
	fputs("THREAD ", t->out);
	put_thread_party(t, client);
	if (wait->via == VIA_ALPC) {
		maybe_u64 message = m ? m->address : client->alpc_wait_message;
		maybe_fill(&port, client->alpc_wait_port);
		maybe_fill(&owner, client->alpc_wait_port_owner);
		fputs(": Waiting for reply to ALPC Message ", t->out);
		put_pointer(t, message);
		fputs(" : queued at port ", t->out);
		put_pointer(t, port);
		fputs(" : owned by process ", t->out);
		put_process_label(t, owner);
		if (m && m->id.known) {
			fputs(" : MessageID ", t->out);
			put_number(t, m->id, 4);
		}
	} else {
		maybe_u64 id = m ? m->id : client->lpc_wait_message_id;
		maybe_fill(&port, client->lpc_port);
		fputs(": Waiting for reply to LPC MessageId ", t->out);
		if (id.known)
			fprintf(t->out, "%08" PRIx64, id.value);
		else
			putc('?', t->out);
		fputs(" : Current LPC port ", t->out);
		put_pointer(t, port);
		fputs(" : owned by process ", t->out);
		put_process_label(t, owner);
	}
	const struct thread *server = wait->server_thread;
	if (!server && m)
		server = thread_at(t->snapshot, m->server_thread);
	if (server) {
		fputs(" : ServerThread ", t->out);
		put_thread_party(t, server);
	}
	putc('\n', t->out);
}

/* ---- the answer ------------------------------------------------------------ */

static void put_not_found(const struct query_text *t, const struct alpc_query *query)
{
	const char *argument = query->argument ? query->argument : "?";
	switch (query->kind) {
	case ALPC_QUERY_PORT:
		fprintf(t->out, "No port %s in this input.\n", argument);
		break;
	case ALPC_QUERY_MESSAGE:
		fprintf(t->out, "No message %s in this input: no message has that address or "
				"MessageID, and no thread waits on it.\n", argument);
		break;
	case ALPC_QUERY_PROCESS:
		fprintf(t->out, "No process %s in this input.\n", argument);
		break;
	case ALPC_QUERY_CONNECTIONS:
		fprintf(t->out, "No port %s in this input, and no connection names it.\n", argument);
		break;
	case ALPC_QUERY_WAITERS:
		fputs("No thread is waiting for an ALPC or LPC reply in this input.\n", t->out);
		break;
	}
}

static void put_answer(const struct query_text *t, const struct alpc_answer *a,
		       const struct alpc_query *query)
{
	if (!a->found) {
		put_not_found(t, query);
		return;
	}
	switch (query->kind) {
	case ALPC_QUERY_PORT:
		put_port(t, a->port);
		break;
	case ALPC_QUERY_MESSAGE:
		for (size_t i = 0; i < a->messages.count; i++) {
			if (i)
				putc('\n', t->out);
			put_message_fields(t, a->messages.items[i]);
		}
		break;
	case ALPC_QUERY_PROCESS:
		put_process_ports(t, a);
		break;
	case ALPC_QUERY_CONNECTIONS:
		put_connections(t, a, query);
		break;
	case ALPC_QUERY_WAITERS:
		for (size_t i = 0; i < a->waits.count; i++)
			put_waiter(t, a->waits.items[i]);
		break;
	}
}

struct error *render_alpc_text(FILE *out, const struct analysis *analysis,
			       const struct alpc_query *query)
{
	struct query_text t = { out, analysis->snapshot };
	struct alpc_answer answer;
	alpc_answer_find(&answer, analysis, query);
	put_heading(&t);
	put_answer(&t, &answer, query);
	alpc_answer_release(&answer);
	if (fflush(out) != 0 || ferror(out))
		return error_new(ERROR_IO, "cannot write the alpc answer: %s", strerror(errno));
	return NULL;
}
