/* `alpcgraph alpc`: the text answers laid out as WinDbg's `!alpc` prints
 * them, checked whole against snapshots built by hand from the samples in
 * ../shared/docs/debugger-output-formats.md (§3.4 the Vista `/m`, §3.5 and
 * §3.6 the Windows 10 SmApiPort `/p` and `/lpp`), the waiters of the
 * deadlock fixture, what is said when nothing matches, and the JSON
 * answer against the schema published in docs/json.md
 * ($defs/alpc_query_document), with exact values. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "harness.h"
#include "fixtures.h"
#include "json_paths.h"
#include "json_schema.h"
#include "../../reports/reports.h"

/* ---- snapshots --------------------------------------------------------------- */

static struct origin at(uint64_t line)
{
	return origin_line(line);
}

static struct process *add_process(struct snapshot *s, uint64_t address, uint64_t pid,
				   const char *image)
{
	struct process *p = snapshot_process(s, known_u64(address),
					     pid ? known_u64(pid) : UNKNOWN_U64, at(1));
	p->image = snapshot_text(s, image, strlen(image));
	return p;
}

static struct port *add_port(struct snapshot *s, uint64_t address, enum port_kind kind,
			     uint64_t owner)
{
	struct port *port = snapshot_port(s, address, at(2));
	port->flavor = FLAVOR_ALPC;
	port->kind = kind;
	port->owner_process = known_u64(owner);
	return port;
}

static void empty_queues(struct port *port)
{
	port->queues[QUEUE_MAIN].length = known_u64(0);
	port->queues[QUEUE_LARGE_MESSAGE].length = known_u64(0);
	port->queues[QUEUE_PENDING].length = known_u64(0);
}

static void add_line(struct snapshot *s, uint64_t connection, uint64_t server, uint64_t client,
		     uint64_t server_process, uint64_t client_process)
{
	struct port_connection *c = snapshot_add_connection(s, at(3));
	c->connection_port = known_u64(connection);
	c->server_port = server ? known_u64(server) : UNKNOWN_U64;
	c->client_port = known_u64(client);
	c->server_queued = known_u64(0);
	c->client_queued = known_u64(0);
	c->server_process = known_u64(server_process);
	c->client_process = known_u64(client_process);
}

static const uint64_t smss = 0xffffc48d86b00640ULL, csrss1 = 0xffffc48d869fd640ULL,
		      csrss2 = 0xffffc48d8b679640ULL, svchost = 0xffffc48d8b7fb080ULL,
		      sm_api_port = 0xffffc48d8895de20ULL;

/* The Windows 10 session of §3.5 and §3.6: smss.exe's SmApiPort with its
 * three connections, and smss connected to two csrss SbApiPorts.  The
 * lines come in every shape the model holds: /lpp connection records, a
 * client communication port's CommunicationInfo, and both for one line. */
static struct snapshot *smss_session(void)
{
	struct snapshot *s = snapshot_new("win10.txt", "transcript");
	s->system.arch = "x64";
	add_process(s, smss, 0x1d8, "smss.exe");
	add_process(s, csrss1, 0x1f4, "csrss.exe");
	add_process(s, csrss2, 0x254, "csrss.exe");
	add_process(s, svchost, 0x3a0, "svchost.exe");
	struct thread *t = snapshot_thread(s, known_u64(0xffffc48d8895b080ULL), known_u64(0x1d8),
					   known_u64(0x208), at(4));
	t->state = "WAIT";

	struct port *p = add_port(s, sm_api_port, PORT_ALPC_CONNECTION, smss);
	p->name = "SmApiPort";
	p->communication_info = known_u64(0xffffa4805c1ca610ULL);
	p->connection_port = known_u64(sm_api_port);
	p->client_port = known_u64(0);
	p->server_port = known_u64(0);
	p->sequence_number = known_u64(5);
	p->completion_port = known_u64(0xffffc48d888ee1c0ULL);
	p->completion_list = known_u64(0);
	p->connection_pending = p->connection_refused = p->disconnected = p->closed = NO;
	p->flush_on_close = YES;
	p->return_extended_info = p->waitable = p->wow64_completion_list = NO;
	p->security = "Static";
	p->registered_thread_count = known_u64(1);
	u64_vec_push(&p->registered_threads, 0xffffc48d8895b080ULL);
	empty_queues(p);
	p->queues[QUEUE_DIRECT].length = known_u64(0);

	add_line(s, sm_api_port, 0xffffc48d8b63bbd0ULL, 0xffffc48d8b63be20ULL, smss, csrss1);
	add_line(s, sm_api_port, 0xffffc48d8b6f9e20ULL, 0xffffc48d8b6fabb0ULL, smss, csrss2);
	add_line(s, sm_api_port, 0xffffc48d8b83bad0ULL, 0xffffc48d8b83bd20ULL, smss, svchost);
	/* the third line again, from its server communication port */
	struct port *server = add_port(s, 0xffffc48d8b83bad0ULL, PORT_ALPC_SERVER_COMMUNICATION, smss);
	server->connection_port = known_u64(sm_api_port);
	server->client_port = known_u64(0xffffc48d8b83bd20ULL);
	empty_queues(server);

	struct port *sb1 = add_port(s, 0xffffc48d8b63cb70ULL, PORT_ALPC_CONNECTION, csrss1);
	sb1->name = "SbApiPort";
	struct port *sb2 = add_port(s, 0xffffc48d8b6fae20ULL, PORT_ALPC_CONNECTION, csrss2);
	sb2->name = "SbApiPort";
	/* smss → csrss #1 only as smss's client port */
	struct port *client = add_port(s, 0xffffc48d8b63ae20ULL, PORT_ALPC_CLIENT_COMMUNICATION, smss);
	client->connection_port = sb1->address;
	empty_queues(client);
	sb1->queues[QUEUE_MAIN].length = known_u64(0);
	/* smss → csrss #2 only as a "connected to" line, queued counts given */
	add_line(s, sb2->address.value, 0, 0xffffc48d8b6f9bd0ULL, csrss2, smss);
	snapshot_finish(s);
	return s;
}

/* The Vista message of §3.4, every field known. */
static struct snapshot *vista_message(void)
{
	struct snapshot *s = snapshot_new("vista.txt", "transcript");
	s->system.arch = "x64";
	add_process(s, 0xfffffa801807b8f0ULL, 0x2f0, "svchost.exe");
	struct message *m = snapshot_message(s, FLAVOR_ALPC, known_u64(0xfffff8800f4cc950ULL),
					     known_u64(0x0bfc), at(5));
	m->callback_id = known_u64(0x1fef27);
	m->sequence_number = known_u64(0x4d4d4);
	m->type = "LPC_REQUEST";
	m->data_length = known_u64(0x68);
	m->total_length = known_u64(0x90);
	m->canceled = m->release = m->reply_wait_reply = NO;
	m->continuation = YES;
	m->quota_charged = NO;
	m->owner_port = known_u64(0xfffffa8018a95e60ULL);
	m->owner_port_kind = PORT_ALPC_CLIENT_COMMUNICATION;
	m->waiting_thread = known_u64(0xfffffa801afae6f0ULL);
	m->queue = QUEUE_PENDING;
	m->queue_port = known_u64(0xfffffa8017dbb060ULL);
	m->queue_port_kind = PORT_ALPC_CONNECTION;
	m->queue_port_owner = known_u64(0xfffffa801807b8f0ULL);
	m->server_thread = known_u64(0xfffffa801aeec060ULL);
	m->cancel_queue_port = m->cancel_sequence_port = known_u64(0);
	m->cancel_sequence_number = known_u64(0);
	m->client_context = known_u64(0x25599e0);
	m->server_context = known_u64(0);
	m->port_context = known_u64(0x30d640);
	m->cancel_port_context = m->security_data = m->view = known_u64(0);
	/* A thread whose wait line names a message nothing else shows. */
	struct thread *t = snapshot_thread(s, known_u64(0xfffffa8019000080ULL), known_u64(0x33c),
					   known_u64(0x3c40), at(9));
	t->alpc_wait_message = known_u64(0xfffff88012527770ULL);
	t->alpc_wait_port = known_u64(0xfffffa80055bca60ULL);
	t->alpc_wait_port_owner = known_u64(0xfffffa801807b8f0ULL);
	snapshot_finish(s);
	return s;
}

/* ---- rendering ------------------------------------------------------------- */

static struct alpc_query query_of(enum alpc_query_kind kind, const char *argument,
				  maybe_u64 address, maybe_u64 number)
{
	return (struct alpc_query){ kind, address, number, argument };
}

/* Renders the answer and frees the snapshot; the caller frees the text. */
static char *answered(struct snapshot *snapshot, struct alpc_query query)
{
	struct analysis *analysis = analyze(snapshot);
	char *text = NULL;
	size_t length = 0;
	FILE *stream = open_memstream(&text, &length);
	CU_ASSERT_PTR_NOT_NULL_FATAL(stream);
	struct error *error = render_alpc_text(stream, analysis, &query);
	CU_ASSERT_PTR_NULL(error);
	error_free(error);
	fclose(stream);
	analysis_free(analysis);
	snapshot_free(snapshot);
	return text;
}

static bool same_text(const char *actual, const char *expected)
{
	if (strcmp(actual, expected) == 0)
		return true;
	size_t line = 1, i = 0;
	for (; actual[i] && actual[i] == expected[i]; i++)
		if (actual[i] == '\n')
			line++;
	fprintf(stderr, "\n  text differs at line %zu:\n  actual:   \"%.90s\"\n  expected: \"%.90s\"\n",
		line, actual + i, expected + i);
	return false;
}

/* ---- text ------------------------------------------------------------------ */

static void port_reads_like_windbg_p(void)
{
	char *text = answered(smss_session(), query_of(ALPC_QUERY_PORT, "ffffc48d8895de20",
						       known_u64(sm_api_port), UNKNOWN_U64));
	CU_ASSERT(same_text(text,
		"Input: win10.txt\n"
		"\n"
		"Port  ffffc48d8895de20\n"
		"  Type                      : ALPC_CONNECTION_PORT\n"
		"  CommunicationInfo         : ffffa4805c1ca610\n"
		"    ConnectionPort          : ffffc48d8895de20 (SmApiPort)\n"
		"    ClientCommunicationPort : 0000000000000000\n"
		"    ServerCommunicationPort : 0000000000000000\n"
		"  OwnerProcess              : ffffc48d86b00640 (smss.exe)\n"
		"  SequenceNo                : 0x00000005 (5)\n"
		"  CompletionPort            : ffffc48d888ee1c0\n"
		"  CompletionList            : 0000000000000000\n"
		"  ConnectionPending         : No\n"
		"  ConnectionRefused         : No\n"
		"  Disconnected              : No\n"
		"  Closed                    : No\n"
		"  FlushOnClose              : Yes\n"
		"  ReturnExtendedInfo        : No\n"
		"  Waitable                  : No\n"
		"  Security                  : Static\n"
		"  Wow64CompletionList       : No\n"
		"\n"
		"  1 thread(s) are registered with port IO completion object:\n"
		"    THREAD ffffc48d8895b080  Cid 01d8.0208  WAIT  smss.exe\n"
		"  Main queue is empty.\n"
		"  Direct message queue is empty.\n"
		"  Large message queue is empty.\n"
		"  Pending queue is empty.\n"));
	free(text);
}

/* A port the input knows little about: every unknown is "?", a queue
 * nothing is known about is left out, a queued message is listed under
 * the queue that holds it even when the port's listing did not. */
static void port_unknowns_are_question_marks(void)
{
	struct snapshot *s = snapshot_new("x86.txt", "transcript");
	s->system.arch = "x86";
	struct port *p = snapshot_port(s, 0x8a0b0c00, at(1));
	p->name = "\\RPC Control\\Thin";
	struct message *m = snapshot_message(s, FLAVOR_ALPC, known_u64(0x9a000010), known_u64(0x12),
					     at(2));
	m->queue = QUEUE_MAIN;
	m->queue_port = known_u64(0x8a0b0c00);
	m->waiting_thread = known_u64(0x8c000020);
	snapshot_finish(s);
	char *text = answered(s, query_of(ALPC_QUERY_PORT, "8a0b0c00", known_u64(0x8a0b0c00),
					  UNKNOWN_U64));
	CU_ASSERT(same_text(text,
		"Input: x86.txt\n"
		"\n"
		"Port  8a0b0c00\n"
		"  Name                      : \\RPC Control\\Thin\n"
		"  Type                      : ?\n"
		"  CommunicationInfo         : ?\n"
		"    ConnectionPort          : ?\n"
		"    ClientCommunicationPort : ?\n"
		"    ServerCommunicationPort : ?\n"
		"  OwnerProcess              : ?\n"
		"  SequenceNo                : ?\n"
		"  CompletionPort            : ?\n"
		"  CompletionList            : ?\n"
		"  ConnectionPending         : ?\n"
		"  ConnectionRefused         : ?\n"
		"  Disconnected              : ?\n"
		"  Closed                    : ?\n"
		"  FlushOnClose              : ?\n"
		"  ReturnExtendedInfo        : ?\n"
		"  Waitable                  : ?\n"
		"  Security                  : ?\n"
		"  Wow64CompletionList       : ?\n"
		"\n"
		"  Main queue holds at least 1 message(s) (its length is unknown):\n"
		"    Message 9a000010  MessageID 0x0012 (18)  WaitingThread 8c000020\n"));
	free(text);
}

static void message_reads_like_windbg_m(void)
{
	char *text = answered(vista_message(),
			      query_of(ALPC_QUERY_MESSAGE, "fffff8800f4cc950",
				       known_u64(0xfffff8800f4cc950ULL), known_u64(0xfffff8800f4cc950ULL)));
	CU_ASSERT(same_text(text,
		"Input: vista.txt\n"
		"\n"
		"Message @ fffff8800f4cc950\n"
		"  MessageID             : 0x0BFC (3068)\n"
		"  CallbackID            : 0x1FEF27 (2092839)\n"
		"  SequenceNumber        : 0x0004D4D4 (316628)\n"
		"  Type                  : LPC_REQUEST\n"
		"  DataLength            : 0x0068 (104)\n"
		"  TotalLength           : 0x0090 (144)\n"
		"  Canceled              : No\n"
		"  Release               : No\n"
		"  ReplyWaitReply        : No\n"
		"  Continuation          : Yes\n"
		"  OwnerPort             : fffffa8018a95e60 [ALPC_CLIENT_COMMUNICATION_PORT]\n"
		"  WaitingThread         : fffffa801afae6f0\n"
		"  QueueType             : ALPC_MSGQUEUE_PENDING\n"
		"  QueuePort             : fffffa8017dbb060 [ALPC_CONNECTION_PORT]\n"
		"  QueuePortOwnerProcess : fffffa801807b8f0 (svchost.exe)\n"
		"  ServerThread          : fffffa801aeec060\n"
		"  QuotaCharged          : No\n"
		"  CancelQueuePort       : 0000000000000000\n"
		"  CancelSequencePort    : 0000000000000000\n"
		"  CancelSequenceNumber  : 0x00000000 (0)\n"
		"  ClientContext         : 00000000025599e0\n"
		"  ServerContext         : 0000000000000000\n"
		"  PortContext           : 000000000030d640\n"
		"  CancelPortContext     : 0000000000000000\n"
		"  SecurityData          : 0000000000000000\n"
		"  View                  : 0000000000000000\n"));
	free(text);
}

/* By MessageID (hex, as /m prints it), and a message only a thread's
 * wait line names, answered from that line. */
static void message_by_id_and_by_wait_line(void)
{
	char *text = answered(vista_message(), query_of(ALPC_QUERY_MESSAGE, "bfc", known_u64(0xbfc),
							known_u64(0xbfc)));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "Message @ fffff8800f4cc950\n  MessageID             : 0x0BFC (3068)\n"));
	free(text);
	text = answered(vista_message(), query_of(ALPC_QUERY_MESSAGE, "fffff88012527770",
						  known_u64(0xfffff88012527770ULL),
						  known_u64(0xfffff88012527770ULL)));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "Message @ fffff88012527770\n  MessageID             : ?\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "  WaitingThread         : fffffa8019000080\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "  QueuePort             : fffffa80055bca60\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "  QueuePortOwnerProcess : fffffa801807b8f0 (svchost.exe)\n"));
	free(text);
}

static void process_reads_like_windbg_lpp(void)
{
	static const char expected[] =
		"Input: win10.txt\n"
		"\n"
		"Ports created by the process ffffc48d86b00640:\n"
		"    ffffc48d8895de20('SmApiPort') 0, 3 connections\n"
		"        ffffc48d8b63bbd0 0 -> ffffc48d8b63be20 0 ffffc48d869fd640('csrss.exe')\n"
		"        ffffc48d8b6f9e20 0 -> ffffc48d8b6fabb0 0 ffffc48d8b679640('csrss.exe')\n"
		"        ffffc48d8b83bad0 0 -> ffffc48d8b83bd20 0 ffffc48d8b7fb080('svchost.exe')\n"
		"Ports the process ffffc48d86b00640 is connected to:\n"
		"    ffffc48d8b6f9bd0 0 -> ffffc48d8b6fae20('SbApiPort') 0 ffffc48d8b679640('csrss.exe')\n"
		"    ffffc48d8b63ae20 0 -> ffffc48d8b63cb70('SbApiPort') ? ffffc48d869fd640('csrss.exe')\n";
	/* by EPROCESS address, and by pid */
	char *text = answered(smss_session(), query_of(ALPC_QUERY_PROCESS, "ffffc48d86b00640",
						       known_u64(smss), UNKNOWN_U64));
	CU_ASSERT(same_text(text, expected));
	free(text);
	text = answered(smss_session(), query_of(ALPC_QUERY_PROCESS, "472", UNKNOWN_U64,
						 known_u64(0x1d8)));
	CU_ASSERT(same_text(text, expected));
	free(text);
}

static void connections_read_like_windbg_lpc(void)
{
	static const char lines[] =
		"ffffc48d8895de20('SmApiPort') 0, 3 connections\n"
		"      ffffc48d8b63bbd0 0 -> ffffc48d8b63be20 0 ffffc48d869fd640('csrss.exe')\n"
		"      ffffc48d8b6f9e20 0 -> ffffc48d8b6fabb0 0 ffffc48d8b679640('csrss.exe')\n"
		"      ffffc48d8b83bad0 0 -> ffffc48d8b83bd20 0 ffffc48d8b7fb080('svchost.exe')\n";
	char *text = answered(smss_session(), query_of(ALPC_QUERY_CONNECTIONS, "x",
						       known_u64(sm_api_port), UNKNOWN_U64));
	CU_ASSERT(same_text(text + strlen("Input: win10.txt\n\n"), lines));
	free(text);
	/* asked of a communication port: its connection port's lines */
	text = answered(smss_session(), query_of(ALPC_QUERY_CONNECTIONS, "x",
						 known_u64(0xffffc48d8b83bad0ULL), UNKNOWN_U64));
	static const char preface[] = "Input: win10.txt\n\nffffc48d8b83bad0 is an "
				      "ALPC_SERVER_COMMUNICATION_PORT; its connection port:\n";
	CU_ASSERT_EQUAL(strncmp(text, preface, strlen(preface)), 0);
	CU_ASSERT(same_text(text + strlen(preface), lines));
	free(text);
}

static void waiters_are_one_line_each_by_cid(void)
{
	char *text = answered(fixture_alpc_deadlock(),
			      query_of(ALPC_QUERY_WAITERS, NULL, UNKNOWN_U64, UNKNOWN_U64));
	CU_ASSERT(same_text(text,
		"Input: fixture-deadlock.txt\n"
		"\n"
		"THREAD ffffa00000001104 Cid 0100.0104 alpha.exe: Waiting for reply to ALPC Message "
		"ffffb00000000001 : queued at port ffffc00000002000 : owned by process "
		"ffffa00000002000 (beta.exe) : MessageID 0x0BFC (3068) : ServerThread "
		"ffffa00000002204 Cid 0200.0204 beta.exe\n"
		"THREAD ffffa00000002204 Cid 0200.0204 beta.exe: Waiting for reply to ALPC Message "
		"ffffb00000000002 : queued at port ffffc00000001000 : owned by process "
		"ffffa00000001000 (alpha.exe) : MessageID 0x0C01 (3073) : ServerThread "
		"ffffa00000001104 Cid 0100.0104 alpha.exe\n"));
	free(text);
}

static void nothing_found_is_said_in_one_line(void)
{
	const struct {
		enum alpc_query_kind kind;
		const char *said;
	} cases[] = {
		{ ALPC_QUERY_PORT, "No port 1234 in this input.\n" },
		{ ALPC_QUERY_MESSAGE, "No message 1234 in this input: no message has that address "
				      "or MessageID, and no thread waits on it.\n" },
		{ ALPC_QUERY_PROCESS, "No process 1234 in this input.\n" },
		{ ALPC_QUERY_CONNECTIONS, "No port 1234 in this input, and no connection names it.\n" },
		{ ALPC_QUERY_WAITERS, "No thread is waiting for an ALPC or LPC reply in this input.\n" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *text = answered(fixture_quiet_system(),
				      query_of(cases[i].kind, "1234", known_u64(0x1234),
					       known_u64(0x1234)));
		const char *answer = strstr(text, "\n\n");
		CU_ASSERT_PTR_NOT_NULL_FATAL(answer);
		CU_ASSERT(same_text(answer + 2, cases[i].said));
		free(text);
	}
}

/* ---- JSON ------------------------------------------------------------------ */

static struct json_object *published;

/* The published schema rooted at the query document. */
static struct json_object *query_schema(void)
{
	if (!published) {
		char *failure = NULL;
		published = json_schema_published_as("alpc_query_document", &failure);
		if (failure)
			fprintf(stderr, "\n  %s\n", failure);
		free(failure);
		CU_ASSERT_PTR_NOT_NULL_FATAL(published);
	}
	return published;
}

static struct json_object *answered_json(struct snapshot *snapshot, struct alpc_query query)
{
	struct analysis *analysis = analyze(snapshot);
	char *text = NULL;
	size_t length = 0;
	FILE *stream = open_memstream(&text, &length);
	CU_ASSERT_PTR_NOT_NULL_FATAL(stream);
	struct error *error = render_alpc_json(stream, &analysis, 1, &query);
	CU_ASSERT_PTR_NULL(error);
	error_free(error);
	fclose(stream);
	analysis_free(analysis);
	snapshot_free(snapshot);
	struct json_object *document = json_tokener_parse(text);
	free(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(document);
	char *failure = json_schema_validate(query_schema(), document, JSON_SCHEMA_KEY_ORDER);
	if (failure)
		fprintf(stderr, "\n  schema: %s\n", failure);
	CU_ASSERT_PTR_NULL(failure);
	free(failure);
	return document;
}

static void json_answers_each_query(void)
{
	struct json_object *d = answered_json(
		smss_session(),
		query_of(ALPC_QUERY_PROCESS, "ffffc48d86b00640", known_u64(smss), UNKNOWN_U64));
	CU_ASSERT(string_at(d, "query/kind", "process"));
	CU_ASSERT(string_at(d, "query/argument", "ffffc48d86b00640"));
	CU_ASSERT(json_object_get_boolean(value_at(d, "inputs/0/found")));
	CU_ASSERT(string_at(d, "inputs/0/process_address", "0xffffc48d86b00640"));
	CU_ASSERT(string_at(d, "inputs/0/processes/0/name", "smss.exe"));
	CU_ASSERT(count_at(d, "inputs/0/created_ports", 1));
	CU_ASSERT(string_at(d, "inputs/0/created_ports/0/name", "SmApiPort"));
	CU_ASSERT(count_at(d, "inputs/0/created_ports/0/queued", 0));
	CU_ASSERT(count_at(d, "inputs/0/created_ports/0/connections", 3));
	CU_ASSERT(string_at(d, "inputs/0/created_ports/0/connections/2/server_port",
			    "0xffffc48d8b83bad0"));
	CU_ASSERT(string_at(d, "inputs/0/created_ports/0/connections/2/client_name", "svchost.exe"));
	CU_ASSERT(count_at(d, "inputs/0/connected_to", 2));
	CU_ASSERT(string_at(d, "inputs/0/connected_to/1/connection_port_name", "SbApiPort"));
	CU_ASSERT(is_null_at(d, "inputs/0/connected_to/1/server_queued"));
	CU_ASSERT(string_at(d, "inputs/0/connected_to/1/server_name", "csrss.exe"));
	json_object_put(d);

	d = answered_json(vista_message(), query_of(ALPC_QUERY_MESSAGE, "bfc", known_u64(0xbfc),
						    known_u64(0xbfc)));
	CU_ASSERT(count_at(d, "inputs/0/messages", 1));
	CU_ASSERT(count_at(d, "inputs/0/messages/0/id", 0xbfc));
	CU_ASSERT(count_at(d, "inputs/0/ports", 0));
	CU_ASSERT(is_null_at(d, "inputs/0/process_address"));
	json_object_put(d);

	d = answered_json(fixture_alpc_deadlock(),
			  query_of(ALPC_QUERY_WAITERS, NULL, UNKNOWN_U64, UNKNOWN_U64));
	CU_ASSERT(is_null_at(d, "query/argument"));
	CU_ASSERT(count_at(d, "inputs/0/waiters", 2));
	CU_ASSERT(count_at(d, "inputs/0/waiters/0/client/tid", 0x104));
	CU_ASSERT(count_at(d, "inputs/0/waiters/1/server/tid", 0x104));
	json_object_put(d);

	d = answered_json(smss_session(), query_of(ALPC_QUERY_PORT, "1", known_u64(1), UNKNOWN_U64));
	CU_ASSERT_FALSE(json_object_get_boolean(value_at(d, "inputs/0/found")));
	CU_ASSERT(count_at(d, "inputs/0/ports", 0));
	json_object_put(d);

	d = answered_json(smss_session(), query_of(ALPC_QUERY_CONNECTIONS, "x",
						   known_u64(sm_api_port), UNKNOWN_U64));
	CU_ASSERT(count_at(d, "inputs/0/ports", 1));
	CU_ASSERT(count_at(d, "inputs/0/connections", 3));
	CU_ASSERT(string_at(d, "inputs/0/connections/0/connection_port", "0xffffc48d8895de20"));
	json_object_put(d);
}

/* The schema says no to an answer that breaks it, so the checks above can
 * fail. */
static void query_schema_rejects_a_wrong_answer(void)
{
	struct json_object *d = answered_json(
		smss_session(), query_of(ALPC_QUERY_PORT, "1", known_u64(1), UNKNOWN_U64));
	json_object_object_add(json_object_array_get_idx(value_at(d, "inputs"), 0), "found",
			       json_object_new_string("no"));
	char *failure = json_schema_validate(query_schema(), d, JSON_SCHEMA_KEY_ORDER);
	CU_ASSERT_PTR_NOT_NULL(failure);
	free(failure);
	json_object_put(d);
}

int main(void)
{
	static const struct test_case text[] = {
		{ "port reads like !alpc /p", port_reads_like_windbg_p },
		{ "port unknowns are question marks", port_unknowns_are_question_marks },
		{ "message reads like !alpc /m", message_reads_like_windbg_m },
		{ "message by id and by wait line", message_by_id_and_by_wait_line },
		{ "process reads like !alpc /lpp", process_reads_like_windbg_lpp },
		{ "connections read like !alpc /lpc", connections_read_like_windbg_lpc },
		{ "waiters are one line each, by Cid", waiters_are_one_line_each_by_cid },
		{ "nothing found is said in one line", nothing_found_is_said_in_one_line },
		{ NULL, NULL },
	};
	static const struct test_case json[] = {
		{ "JSON answers each query", json_answers_each_query },
		{ "query schema rejects a wrong answer", query_schema_rejects_a_wrong_answer },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = {
		{ "alpc text", text },
		{ "alpc json", json },
	};
	int status = run_suites("test_alpc_query", suites, 2);
	json_object_put(published);
	return status;
}
