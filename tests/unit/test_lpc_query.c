/* `alpcgraph lpc`: the text answers laid out as WinDbg's `!lpc` prints
 * them on XP, checked whole against a snapshot built by hand from the
 * samples in ../shared/docs/debugger-output-formats.md §3.1 (the
 * `!lpc port` list, csrss's ApiPort block, the `!lpc message 222be`
 * search through client thread 842a4db0 and server communication port
 * e114a3c0), the thread lines of §3.2, unknowns, nothing found, a 2003
 * x64 width, and the JSON answer against the schema published in
 * docs/json.md ($defs/lpc_query_document), with exact values. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json.h>

#include "harness.h"
#include "json_paths.h"
#include "json_schema.h"
#include "../../reports/reports.h"

/* ---- the §3.1 session --------------------------------------------------------- */

static struct origin at(uint64_t line)
{
	return origin_line(line);
}

static struct port *lpc_port(struct snapshot *s, uint64_t address, enum port_kind kind,
			     uint64_t flags, const char *name)
{
	struct port *port = snapshot_port(s, address, at(2));
	port->flavor = FLAVOR_LPC;
	port->kind = kind;
	port->lpc_flags = known_u64(flags);
	if (name)
		port->name = snapshot_text(s, name, strlen(name));
	return port;
}

static void connect(struct port *port, uint64_t connection, uint64_t connected)
{
	port->connection_port = known_u64(connection);
	if (connected)
		port->connected_port = known_u64(connected);
}

static const uint64_t csrss = 0x84aa0140, api_port = 0xe14ae238, server_port = 0xe114a3c0,
		      client_port = 0xe1e7b948, client_thread = 0x842a4db0,
		      server_thread = 0x84a2c020;

/* The §3.1 samples as one XP session: the `!lpc port` list's four ports,
 * csrss's ApiPort with its queued request, and the connection whose
 * client thread 842a4db0 waits for the reply to 222be, which csrss's
 * thread 84a2c020 is working on. */
static struct snapshot *xp_session(void)
{
	struct snapshot *s = snapshot_new("xp.txt", "transcript");
	s->system.arch = "x86";
	struct process *p = snapshot_process(s, known_u64(csrss), known_u64(0x260), at(1));
	p->image = "csrss.exe";
	p = snapshot_process(s, known_u64(0x84a0d020), known_u64(0x584), at(1));
	p->image = "PosClient.exe";

	lpc_port(s, 0xe1405650, PORT_LPC_SERVER_CONNECTION, 1, "SeRmCommandPort");
	connect(lpc_port(s, 0xe141ef50, PORT_LPC_SERVER_CONNECTION, 1, "SmApiPort"), 0xe141ef50,
		0);
	connect(lpc_port(s, 0xe13d8830, PORT_LPC_SERVER_COMMUNICATION, 3, NULL), 0xe141ef50,
		0xe13d8910);
	connect(lpc_port(s, 0xe13d8910, PORT_LPC_CLIENT_COMMUNICATION, 0x80000004, NULL),
		0xe141ef50, 0xe13d8830);

	struct port *api = lpc_port(s, api_port, PORT_LPC_SERVER_CONNECTION, 1, "ApiPort");
	api->connection_port = known_u64(api_port);
	api->handles = known_u64(1);
	api->references = known_u64(108);
	api->owner_process = known_u64(csrss);
	api->queue_semaphore = known_u64(0x84a96da8);
	api->semaphore_state = known_u64(0);
	api->queues[QUEUE_LPC_MESSAGES].length = known_u64(1);
	api->queues[QUEUE_LPC_DATA_INFO].length = known_u64(0);
	u64_vec_push(&api->queues[QUEUE_LPC_MESSAGES].messages, 0xe20d9b80);
	struct message *m = snapshot_message(s, FLAVOR_LPC, known_u64(0xe20d9b80),
					     known_u64(0x2249c), at(3));
	m->lpc_state = "Busy";
	m->client_pid = known_u64(0x584);
	m->client_tid = known_u64(0x680);
	m->lpc_context = known_u64(0x21);
	m->data_length = known_u64(0x7c);
	m->total_length = known_u64(0x98);
	m->type = "LPC_REQUEST";
	m->type_number = known_u64(1);
	m->lpc_flink = known_u64(0xe14ae248);
	m->lpc_blink = known_u64(0xe14ae248);
	static const uint32_t data[] = { 0, 0x2021e, 0x584, 0x680, 0x2f0001, 7 };
	memcpy(m->lpc_data, data, sizeof data);
	m->lpc_data_count = 6;
	m->queue = QUEUE_LPC_MESSAGES;
	m->queue_port = known_u64(api_port);

	struct port *server = lpc_port(s, server_port, PORT_LPC_SERVER_COMMUNICATION, 3, NULL);
	connect(server, api_port, client_port);
	server->handles = known_u64(1);
	server->references = known_u64(1);
	server->queues[QUEUE_LPC_DATA_INFO].length = known_u64(0);
	/* known from a dump, printed only in JSON: `!lpc` leaves a
	 * communication port's server process and semaphore out */
	server->owner_process = known_u64(csrss);
	server->queue_semaphore = known_u64(0x900099a0);
	server->semaphore_state = known_u64(0);
	struct port *client =
		lpc_port(s, client_port, PORT_LPC_CLIENT_COMMUNICATION, 0x80000004, NULL);
	connect(client, api_port, server_port);
	client->handles = known_u64(1);
	client->references = known_u64(3);
	client->queues[QUEUE_LPC_DATA_INFO].length = known_u64(0);

	struct thread *t = snapshot_thread(s, known_u64(client_thread), known_u64(0x584),
					   known_u64(0x680), at(4));
	t->state = "WAIT";
	t->wait_reason = "WrLpcReply";
	t->wait_mode = "UserMode";
	t->lpc_wait_message_id = known_u64(0x222be);
	t->lpc_port = known_u64(client_port);
	t = snapshot_thread(s, known_u64(server_thread), known_u64(0x260), known_u64(0x2a8),
			    at(5));
	t->state = "WAIT";
	t->wait_reason = "Executive";
	t->wait_mode = "KernelMode";
	t->lpc_serving_message_id = known_u64(0x222be);
	snapshot_finish(s);
	return s;
}

/* ---- rendering ------------------------------------------------------------- */

static struct lpc_query query_of(enum lpc_query_kind kind, const char *argument,
				 maybe_u64 address, maybe_u64 id)
{
	return (struct lpc_query){ kind, address, id, argument };
}

/* Renders the answer and frees the snapshot; the caller frees the text. */
static char *answered(struct snapshot *snapshot, struct lpc_query query)
{
	struct analysis *analysis = analyze(snapshot);
	char *text = NULL;
	size_t length = 0;
	FILE *stream = open_memstream(&text, &length);
	CU_ASSERT_PTR_NOT_NULL_FATAL(stream);
	struct error *error = render_lpc_text(stream, analysis, &query);
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

static void check(struct snapshot *snapshot, struct lpc_query query, const char *expected)
{
	char *text = answered(snapshot, query);
	CU_ASSERT(same_text(text, expected));
	free(text);
}

/* ---- text ------------------------------------------------------------------ */

static const char api_port_block[] =
	"Server connection port e14ae238  Name: ApiPort\n"
	"    Handles: 1   References: 108\n"
	"    Server process  : 84aa0140 (csrss.exe)\n"
	"    Queue semaphore : 84a96da8\n"
	"    Semaphore state 0 (0x0)\n"
	"        Messages in queue:\n"
	"    0000 e20d9b80 - Busy  Id=0002249c  From: 0584.0680  Context=00000021  [e14ae248 . e14ae248]\n"
	"    Length=0098007c  Type=00000001 (LPC_REQUEST)\n"
	"                   Data: 00000000 0002021e 00000584 00000680 002f0001 00000007\n"
	"    The message queue contains 1 messages\n"
	"    The LpcDataInfoChainHead queue is empty\n";

static void port_list_reads_like_windbg(void)
{
	struct snapshot *s = xp_session();
	check(s, query_of(LPC_QUERY_PORT, NULL, UNKNOWN_U64, UNKNOWN_U64),
	      "Input: xp.txt\n"
	      "\n"
	      "Scanning 7 objects\n"
	      "       1  Port: 0xe1405650 Connection: 0xe1405650  Communication: 0x00000000  'SeRmCommandPort'\n"
	      "       1  Port: 0xe141ef50 Connection: 0xe141ef50  Communication: 0x00000000  'SmApiPort'\n"
	      "       3  Port: 0xe13d8830 Connection: 0xe141ef50  Communication: 0xe13d8910  '\n"
	      "80000004  Port: 0xe13d8910 Connection: 0xe141ef50  Communication: 0xe13d8830  '\n"
	      "       1  Port: 0xe14ae238 Connection: 0xe14ae238  Communication: 0x00000000  'ApiPort'\n"
	      "       3  Port: 0xe114a3c0 Connection: 0xe14ae238  Communication: 0xe1e7b948  '\n"
	      "80000004  Port: 0xe1e7b948 Connection: 0xe14ae238  Communication: 0xe114a3c0  '\n");
}

/* "Scanning N objects" is what the census (or `!lpc` itself) went
 * through, not the lines kept: §3.1 prints 225 above four lines. */
static void port_list_counts_the_objects_scanned(void)
{
	struct snapshot *s = xp_session();
	s->system.lpc_objects_scanned = known_u64(225);
	char *text = answered(s, query_of(LPC_QUERY_PORT, NULL, UNKNOWN_U64, UNKNOWN_U64));
	const char *expected = "Input: xp.txt\n\nScanning 225 objects\n       1  Port: 0xe1405650 ";
	CU_ASSERT(strncmp(text, expected, strlen(expected)) == 0);
	free(text);
}

static void port_block_reads_like_windbg(void)
{
	char expected[2048];
	snprintf(expected, sizeof expected, "Input: xp.txt\n\n\n%s", api_port_block);
	check(xp_session(), query_of(LPC_QUERY_PORT, "0xe14ae238", known_u64(api_port), UNKNOWN_U64),
	      expected);
}

static void message_search_reads_like_windbg(void)
{
	char expected[4096];
	snprintf(expected, sizeof expected,
		 "Input: xp.txt\n"
		 "\n"
		 "Searching message 222be in threads ...\n"
		 "Client thread 842a4db0 waiting a reply from 222be\n"
		 "Server thread 84a2c020 working on message 222be\n"
		 "Searching thread 842a4db0 in port rundown queues ...\n"
		 "\n"
		 "Server communication port 0xe114a3c0\n"
		 "    Handles: 1   References: 1\n"
		 "    The LpcDataInfoChainHead queue is empty\n"
		 "        Connected port: 0xe1e7b948      Server connection port: 0xe14ae238\n"
		 "\n"
		 "Client communication port 0xe1e7b948\n"
		 "    Handles: 1   References: 3\n"
		 "    The LpcDataInfoChainHead queue is empty\n"
		 "        Connected port: 0xe114a3c0      Server connection port: 0xe14ae238\n"
		 "\n"
		 "%s"
		 "Done.\n",
		 api_port_block);
	check(xp_session(), query_of(LPC_QUERY_MESSAGE, "222be", UNKNOWN_U64, known_u64(0x222be)),
	      expected);
	/* a queued message no thread names is found in its port's queue */
	snprintf(expected, sizeof expected,
		 "Input: xp.txt\n"
		 "\n"
		 "Searching message 2249c in threads ...\n"
		 "Searching message 2249c in port queues ...\n"
		 "\n"
		 "%s"
		 "Done.\n",
		 api_port_block);
	check(xp_session(), query_of(LPC_QUERY_MESSAGE, "2249c", UNKNOWN_U64, known_u64(0x2249c)),
	      expected);
}

static void every_message_is_one_entry(void)
{
	const char *expected = "Input: xp.txt\n"
			       "\n"
			       "Scanning 1 messages\n"
			       "e20d9b80 - Busy  Id=0002249c  From: 0584.0680  Context=00000021  [e14ae248 . e14ae248]\n"
			       "    Length=0098007c  Type=00000001 (LPC_REQUEST)\n"
			       "                   Data: 00000000 0002021e 00000584 00000680 002f0001 00000007\n"
			       "    Queued at port 0xe14ae238 'ApiPort'\n";
	check(xp_session(), query_of(LPC_QUERY_MESSAGE, NULL, UNKNOWN_U64, UNKNOWN_U64), expected);
	/* ID 0 is the summary, as `!lpc message 0` */
	check(xp_session(), query_of(LPC_QUERY_MESSAGE, "0", UNKNOWN_U64, known_u64(0)), expected);
}

static void scan_lists_the_connected_ports(void)
{
	check(xp_session(), query_of(LPC_QUERY_SCAN, "e114a3c0", known_u64(server_port), UNKNOWN_U64),
	      "Input: xp.txt\n"
	      "\n"
	      "Scanning 3 objects\n"
	      "       3  Port: 0xe114a3c0 Connection: 0xe14ae238  Communication: 0xe1e7b948  '\n"
	      "80000004  Port: 0xe1e7b948 Connection: 0xe14ae238  Communication: 0xe114a3c0  '\n"
	      "       1  Port: 0xe14ae238 Connection: 0xe14ae238  Communication: 0x00000000  'ApiPort'\n");
	check(xp_session(), query_of(LPC_QUERY_SCAN, "e141ef50", known_u64(0xe141ef50), UNKNOWN_U64),
	      "Input: xp.txt\n"
	      "\n"
	      "Scanning 3 objects\n"
	      "       1  Port: 0xe141ef50 Connection: 0xe141ef50  Communication: 0x00000000  'SmApiPort'\n"
	      "       3  Port: 0xe13d8830 Connection: 0xe141ef50  Communication: 0xe13d8910  '\n"
	      "80000004  Port: 0xe13d8910 Connection: 0xe141ef50  Communication: 0xe13d8830  '\n");
}

static void thread_search_and_every_thread(void)
{
	char *text = answered(xp_session(), query_of(LPC_QUERY_THREAD, "842a4db0",
						     known_u64(client_thread), UNKNOWN_U64));
	static const char head[] = "Input: xp.txt\n"
				   "\n"
				   "Searching thread 842a4db0 in port rundown queues ...\n"
				   "\n"
				   "Server communication port 0xe114a3c0\n";
	CU_ASSERT(strncmp(text, head, strlen(head)) == 0);
	CU_ASSERT(strstr(text, api_port_block) != NULL);
	CU_ASSERT(strcmp(text + strlen(text) - 6, "Done.\n") == 0);
	free(text);
	check(xp_session(), query_of(LPC_QUERY_THREAD, "84a2c020", known_u64(server_thread), UNKNOWN_U64),
	      "Input: xp.txt\n"
	      "\n"
	      "Searching thread 84a2c020 in port rundown queues ...\n"
	      "No port's rundown queue holds thread 84a2c020 in this input.\n"
	      "Done.\n");
	check(xp_session(), query_of(LPC_QUERY_THREAD, NULL, UNKNOWN_U64, UNKNOWN_U64),
	      "Input: xp.txt\n"
	      "\n"
	      "THREAD 842a4db0  Cid 0584.0680  WAIT: (WrLpcReply) UserMode\n"
	      "    Waiting for reply to LPC MessageId 000222be:\n"
	      "    Current LPC port e1e7b948\n"
	      "\n"
	      "THREAD 84a2c020  Cid 0260.02a8  WAIT: (Executive) KernelMode\n"
	      "    LPC Server thread working on message Id 222be\n");
}

static void unknowns_are_question_marks(void)
{
	struct snapshot *s = snapshot_new("bare.txt", "transcript");
	s->system.arch = "x86";
	struct port *port = snapshot_port(s, 0xe1000010, at(1));
	port->flavor = FLAVOR_LPC;
	port->queues[QUEUE_LPC_MESSAGES].length = known_u64(2);
	struct message *m = snapshot_message(s, FLAVOR_LPC, known_u64(0xe2000020),
					     UNKNOWN_U64, at(2));
	m->queue = QUEUE_LPC_MESSAGES;
	m->queue_port = known_u64(0xe1000010);
	snapshot_finish(s);
	check(s, query_of(LPC_QUERY_PORT, NULL, UNKNOWN_U64, UNKNOWN_U64),
	      "Input: bare.txt\n"
	      "\n"
	      "Scanning 1 objects\n"
	      "       ?  Port: 0xe1000010 Connection: ?  Communication: ?  '\n");
	s = snapshot_new("bare.txt", "transcript");
	s->system.arch = "x86";
	port = snapshot_port(s, 0xe1000010, at(1));
	port->flavor = FLAVOR_LPC;
	port->queues[QUEUE_LPC_MESSAGES].length = known_u64(2);
	m = snapshot_message(s, FLAVOR_LPC, known_u64(0xe2000020), UNKNOWN_U64, at(2));
	m->queue = QUEUE_LPC_MESSAGES;
	m->queue_port = known_u64(0xe1000010);
	snapshot_finish(s);
	check(s, query_of(LPC_QUERY_PORT, "e1000010", known_u64(0xe1000010), UNKNOWN_U64),
	      "Input: bare.txt\n"
	      "\n"
	      "\n"
	      "Port 0xe1000010\n"
	      "        Messages in queue:\n"
	      "    0000 e2000020 - ?  Id=?  From: ?.?  Context=?\n"
	      "    Length=?  Type=?\n"
	      "    The message queue contains 2 messages\n");
}

static void nothing_found_is_said_in_one_line(void)
{
	check(xp_session(), query_of(LPC_QUERY_PORT, "e0000000", known_u64(0xe0000000), UNKNOWN_U64),
	      "Input: xp.txt\n\nNo LPC port e0000000 in this input.\n");
	check(xp_session(), query_of(LPC_QUERY_SCAN, "e0000000", known_u64(0xe0000000), UNKNOWN_U64),
	      "Input: xp.txt\n\nNo LPC port e0000000 in this input.\n");
	check(xp_session(), query_of(LPC_QUERY_MESSAGE, "abc", UNKNOWN_U64, known_u64(0xabc)),
	      "Input: xp.txt\n\n"
	      "Searching message abc in threads ...\n"
	      "Message abc is in no thread and no port queue of this input.\n"
	      "Done.\n");
	check(xp_session(), query_of(LPC_QUERY_THREAD, "81234567", known_u64(0x81234567), UNKNOWN_U64),
	      "Input: xp.txt\n\nNo thread 81234567 in this input.\n");
	struct snapshot *empty = snapshot_new("empty.txt", "transcript");
	snapshot_finish(empty);
	check(empty, query_of(LPC_QUERY_PORT, NULL, UNKNOWN_U64, UNKNOWN_U64),
	      "Input: empty.txt\n\nNo LPC port in this input.\n");
	empty = snapshot_new("empty.txt", "transcript");
	snapshot_finish(empty);
	check(empty, query_of(LPC_QUERY_MESSAGE, NULL, UNKNOWN_U64, UNKNOWN_U64),
	      "Input: empty.txt\n\nNo LPC message in this input.\n");
	empty = snapshot_new("empty.txt", "transcript");
	snapshot_finish(empty);
	check(empty, query_of(LPC_QUERY_THREAD, NULL, UNKNOWN_U64, UNKNOWN_U64),
	      "Input: empty.txt\n\nNo thread is doing LPC in this input.\n");
}

/* A hostile input: a port connected to itself and two ports connected to
 * each other through a third; every answer names each port once. */
static struct snapshot *looped_session(void)
{
	struct snapshot *s = snapshot_new("loop.txt", "transcript");
	s->system.arch = "x86";
	struct port *self = lpc_port(s, 0xe1000000, PORT_LPC_SERVER_COMMUNICATION, 3, NULL);
	connect(self, 0xe1000000, 0xe1000000);
	connect(lpc_port(s, 0xe2000000, PORT_LPC_SERVER_COMMUNICATION, 3, NULL), 0xe4000000,
		0xe3000000);
	connect(lpc_port(s, 0xe3000000, PORT_LPC_CLIENT_COMMUNICATION, 4, NULL), 0xe4000000,
		0xe2000000);
	connect(lpc_port(s, 0xe4000000, PORT_LPC_SERVER_CONNECTION, 1, "Ring"), 0xe2000000,
		0xe3000000);
	struct thread *t = snapshot_thread(s, known_u64(0x81000000), known_u64(4), known_u64(8),
					   at(3));
	t->lpc_wait_message_id = known_u64(7);
	t->lpc_port = known_u64(0xe1000000);
	snapshot_finish(s);
	return s;
}

static void loops_name_each_port_once(void)
{
	check(looped_session(), query_of(LPC_QUERY_THREAD, "81000000", known_u64(0x81000000), UNKNOWN_U64),
	      "Input: loop.txt\n"
	      "\n"
	      "Searching thread 81000000 in port rundown queues ...\n"
	      "\n"
	      "Server communication port 0xe1000000\n"
	      "        Connected port: 0xe1000000      Server connection port: 0xe1000000\n"
	      "Done.\n");
	check(looped_session(), query_of(LPC_QUERY_SCAN, "e1000000", known_u64(0xe1000000), UNKNOWN_U64),
	      "Input: loop.txt\n"
	      "\n"
	      "Scanning 1 objects\n"
	      "       3  Port: 0xe1000000 Connection: 0xe1000000  Communication: 0xe1000000  '\n");
	check(looped_session(), query_of(LPC_QUERY_SCAN, "e4000000", known_u64(0xe4000000), UNKNOWN_U64),
	      "Input: loop.txt\n"
	      "\n"
	      "Scanning 3 objects\n"
	      "       1  Port: 0xe4000000 Connection: 0xe2000000  Communication: 0xe3000000  'Ring'\n"
	      "       4  Port: 0xe3000000 Connection: 0xe4000000  Communication: 0xe2000000  '\n"
	      "       3  Port: 0xe2000000 Connection: 0xe4000000  Communication: 0xe3000000  '\n");
}

/* A hostile input: MANY threads waiting for one id, each through its own
 * client port (or all through one), and as many server communication
 * ports connected to them.  The rundown search finds each server port
 * once and costs threads + ports, not threads x ports (at 20,000 of each
 * the per-thread scan of every port took over a minute). */
enum { MANY = 20000 };

static struct snapshot *crowded_session(bool one_client_port)
{
	struct snapshot *s = snapshot_new("crowd.txt", "transcript");
	s->system.arch = "x86";
	lpc_port(s, 0xe0000000, PORT_LPC_SERVER_CONNECTION, 1, "Crowd");
	for (uint64_t i = 0; i < MANY; i++) {
		uint64_t client = one_client_port ? 0xe4000000 : 0xe4000000 + 16 * i;
		connect(lpc_port(s, 0xe2000000 + 16 * i, PORT_LPC_SERVER_COMMUNICATION, 3, NULL),
			0xe0000000, client);
		struct thread *t = snapshot_thread(s, known_u64(0x86000000 + 0x100 * i), known_u64(0x584),
						   known_u64(4 * i), at(3));
		t->lpc_wait_message_id = known_u64(7);
		t->lpc_port = known_u64(client);
	}
	snapshot_finish(s);
	return s;
}

/* One pass (ASan's strstr measures the whole rest of the text per call). */
static size_t occurrences(const char *text, const char *what)
{
	size_t count = 0, text_length = strlen(text), what_length = strlen(what);
	for (size_t i = 0; i + what_length <= text_length; i++)
		count += memcmp(text + i, what, what_length) == 0;
	return count;
}

static void rundown_search_is_linear(void)
{
	for (int one = 0; one < 2; one++) {
		clock_t start = clock();
		char *text = answered(crowded_session(one), query_of(LPC_QUERY_MESSAGE, "7", UNKNOWN_U64,
								     known_u64(7)));
		double seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
		CU_ASSERT(seconds < 5);
		if (seconds >= 5)
			fprintf(stderr, "\n  %s client port(s): %.1f s\n", one ? "one" : "many", seconds);
		CU_ASSERT_EQUAL(occurrences(text, " waiting a reply from 7\n"), MANY);
		CU_ASSERT_EQUAL(occurrences(text, " in port rundown queues ...\n"), MANY);
		/* every server communication port once, and the connection port once */
		CU_ASSERT_EQUAL(occurrences(text, "\nServer communication port 0xe2"), MANY);
		CU_ASSERT_EQUAL(occurrences(text, "\nServer connection port e0000000  Name: Crowd\n"), 1);
		CU_ASSERT_PTR_NOT_NULL(strstr(text, "Searching thread 86000000 in port rundown queues ...\n"
						    "Searching thread 86000100 in port rundown queues ...\n"));
		CU_ASSERT_PTR_NOT_NULL(strstr(text, "\nServer communication port 0xe2000000\n"
						    "        Connected port: 0xe4000000      Server connection "
						    "port: 0xe0000000\n"
						    "\nServer connection port e0000000  Name: Crowd\n"
						    "\nServer communication port 0xe2000010\n"
						    "        Connected port: 0xe40000"));
		CU_ASSERT_PTR_NOT_NULL(strstr(text, "\nServer communication port 0xe204e1f0\n"
						    "        Connected port: "));
		free(text);
	}
}

/* A free message no port queues (a reply, or one only the pool search
 * found) is found by its id and shown as its own entry; a thread that is
 * not waiting has no colon after its state. */
static void unqueued_message_is_its_own_entry(void)
{
	struct snapshot *s = snapshot_new("pool.txt", "transcript");
	s->system.arch = "x86";
	struct message *m = snapshot_message(s, FLAVOR_LPC, known_u64(0x90007970),
					     known_u64(0x2001), at(1));
	m->lpc_state = "Free";
	m->client_pid = known_u64(0x5c4);
	m->client_tid = known_u64(0x5c8);
	m->lpc_context = known_u64(0);
	m->data_length = known_u64(8);
	m->total_length = known_u64(0x20);
	m->type = "LPC_REPLY";
	m->type_number = known_u64(2);
	struct thread *t = snapshot_thread(s, known_u64(0x900074e8), known_u64(0x3c0),
					   known_u64(0x3d0), at(2));
	t->state = "RUNNING";
	t->lpc_serving_message_id = known_u64(0x2001);
	snapshot_finish(s);
	check(s, query_of(LPC_QUERY_MESSAGE, "2001", UNKNOWN_U64, known_u64(0x2001)),
	      "Input: pool.txt\n"
	      "\n"
	      "Searching message 2001 in threads ...\n"
	      "Server thread 900074e8 working on message 2001\n"
	      "Searching message 2001 in messages ...\n"
	      "90007970 - Free  Id=00002001  From: 05c4.05c8  Context=00000000\n"
	      "    Length=00200008  Type=00000002 (LPC_REPLY)\n"
	      "Done.\n");
}

static void a_running_server_has_no_colon(void)
{
	struct snapshot *s = snapshot_new("pool.txt", "transcript");
	struct thread *t = snapshot_thread(s, known_u64(0x900074e8), known_u64(0x3c0),
					   known_u64(0x3d0), at(2));
	t->state = "RUNNING";
	t->lpc_serving_message_id = known_u64(0x2001);
	snapshot_finish(s);
	check(s, query_of(LPC_QUERY_THREAD, NULL, UNKNOWN_U64, UNKNOWN_U64),
	      "Input: pool.txt\n"
	      "\n"
	      "THREAD 900074e8  Cid 03c0.03d0  RUNNING\n"
	      "    LPC Server thread working on message Id 2001\n");
}

/* Server 2003 x64: pointers print 16 digits. */
static void x64_pointers_are_sixteen_digits(void)
{
	struct snapshot *s = snapshot_new("x64.txt", "transcript");
	s->system.arch = "x64";
	struct port *port = lpc_port(s, 0xfffffa8000123450ULL, PORT_LPC_SERVER_CONNECTION, 1,
				     "ApiPort");
	port->owner_process = known_u64(0xfffffa8000abc060ULL);
	snapshot_finish(s);
	check(s, query_of(LPC_QUERY_PORT, NULL, UNKNOWN_U64, UNKNOWN_U64),
	      "Input: x64.txt\n"
	      "\n"
	      "Scanning 1 objects\n"
	      "       1  Port: 0xfffffa8000123450 Connection: 0xfffffa8000123450  "
	      "Communication: 0x0000000000000000  'ApiPort'\n");
}

/* ---- JSON ------------------------------------------------------------------ */

static struct json_object *published;

static struct json_object *query_schema(void)
{
	if (!published) {
		char *failure = NULL;
		published = json_schema_published_as("lpc_query_document", &failure);
		if (failure)
			fprintf(stderr, "\n  %s\n", failure);
		free(failure);
		CU_ASSERT_PTR_NOT_NULL_FATAL(published);
	}
	return published;
}

static struct json_object *answered_json(struct snapshot *snapshot, struct lpc_query query)
{
	struct analysis *analysis = analyze(snapshot);
	char *text = NULL;
	size_t length = 0;
	FILE *stream = open_memstream(&text, &length);
	CU_ASSERT_PTR_NOT_NULL_FATAL(stream);
	struct error *error = render_lpc_json(stream, &analysis, 1, &query);
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

static void json_answers_the_message_search(void)
{
	struct json_object *d = answered_json(
		xp_session(), query_of(LPC_QUERY_MESSAGE, "222be", UNKNOWN_U64, known_u64(0x222be)));
	CU_ASSERT(string_at(d, "query/kind", "message"));
	CU_ASSERT(string_at(d, "query/argument", "222be"));
	CU_ASSERT(bool_at(d, "inputs/0/found", true));
	CU_ASSERT(count_at(d, "inputs/0/ports", 3));
	CU_ASSERT(string_at(d, "inputs/0/ports/0/address", "0xe114a3c0"));
	CU_ASSERT(string_at(d, "inputs/0/ports/0/kind", "lpc_server_communication"));
	CU_ASSERT(string_at(d, "inputs/0/ports/0/owner_process", "0x84aa0140"));
	CU_ASSERT(string_at(d, "inputs/0/ports/1/address", "0xe1e7b948"));
	CU_ASSERT(string_at(d, "inputs/0/ports/2/name", "ApiPort"));
	CU_ASSERT(count_at(d, "inputs/0/ports/2/references", 108));
	CU_ASSERT(count_at(d, "inputs/0/rundown_ports", 1));
	CU_ASSERT(string_at(d, "inputs/0/rundown_ports/0", "0xe114a3c0"));
	CU_ASSERT(count_at(d, "inputs/0/messages", 0));
	CU_ASSERT(count_at(d, "inputs/0/client_threads", 1));
	CU_ASSERT(string_at(d, "inputs/0/client_threads/0/address", "0x842a4db0"));
	CU_ASSERT(count_at(d, "inputs/0/server_threads", 1));
	CU_ASSERT(string_at(d, "inputs/0/server_threads/0/address", "0x84a2c020"));
	json_object_put(d);
}

static void json_answers_each_query(void)
{
	struct json_object *d = answered_json(
		xp_session(), query_of(LPC_QUERY_PORT, NULL, UNKNOWN_U64, UNKNOWN_U64));
	CU_ASSERT(string_at(d, "query/kind", "port"));
	CU_ASSERT(count_at(d, "inputs/0/ports", 7));
	CU_ASSERT(count_at(d, "inputs/0/ports/0/lpc_flags", 1));
	CU_ASSERT(count_at(d, "inputs/0/rundown_ports", 0));
	json_object_put(d);
	d = answered_json(xp_session(),
			  query_of(LPC_QUERY_MESSAGE, NULL, UNKNOWN_U64, UNKNOWN_U64));
	CU_ASSERT(count_at(d, "inputs/0/messages", 1));
	CU_ASSERT(string_at(d, "inputs/0/messages/0/address", "0xe20d9b80"));
	CU_ASSERT(string_at(d, "inputs/0/messages/0/type", "LPC_REQUEST"));
	CU_ASSERT(count_at(d, "inputs/0/messages/0/type_number", 1));
	CU_ASSERT(string_at(d, "inputs/0/messages/0/lpc_flink", "0xe14ae248"));
	CU_ASSERT(string_at(d, "inputs/0/messages/0/lpc_blink", "0xe14ae248"));
	CU_ASSERT(count_at(d, "inputs/0/messages/0/lpc_data", 6));
	CU_ASSERT(count_at(d, "inputs/0/messages/0/lpc_data/1", 0x2021e));
	CU_ASSERT(count_at(d, "inputs/0/messages/0/lpc_data/4", 0x2f0001));
	CU_ASSERT(is_null_at(d, "inputs/0/objects_scanned"));
	json_object_put(d);
	d = answered_json(xp_session(),
			  query_of(LPC_QUERY_SCAN, "e114a3c0", known_u64(server_port), UNKNOWN_U64));
	CU_ASSERT(string_at(d, "query/kind", "scan"));
	CU_ASSERT(count_at(d, "inputs/0/ports", 3));
	json_object_put(d);
	d = answered_json(xp_session(), query_of(LPC_QUERY_THREAD, NULL, UNKNOWN_U64, UNKNOWN_U64));
	CU_ASSERT(count_at(d, "inputs/0/client_threads", 1));
	CU_ASSERT(count_at(d, "inputs/0/server_threads", 1));
	json_object_put(d);
	d = answered_json(xp_session(), query_of(LPC_QUERY_PORT, "e0000000",
						 known_u64(0xe0000000), UNKNOWN_U64));
	CU_ASSERT(bool_at(d, "inputs/0/found", false));
	CU_ASSERT(count_at(d, "inputs/0/ports", 0));
	json_object_put(d);
}

static void query_schema_rejects_a_wrong_answer(void)
{
	struct json_object *d = json_tokener_parse(
		"{\"format_version\":1,\"generator\":\"alpcgraph 1\","
		"\"query\":{\"kind\":\"process\",\"argument\":null},\"inputs\":[]}");
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	char *failure = json_schema_validate(query_schema(), d, JSON_SCHEMA_KEY_ORDER);
	CU_ASSERT_PTR_NOT_NULL(failure);
	free(failure);
	json_object_put(d);
}

int main(void)
{
	static const struct test_case text[] = {
		{ "port list reads like !lpc port", port_list_reads_like_windbg },
		{ "port list counts the objects scanned", port_list_counts_the_objects_scanned },
		{ "port block reads like !lpc port A", port_block_reads_like_windbg },
		{ "message search reads like !lpc message", message_search_reads_like_windbg },
		{ "every message is one entry", every_message_is_one_entry },
		{ "scan lists the connected ports", scan_lists_the_connected_ports },
		{ "thread search and every thread", thread_search_and_every_thread },
		{ "unknowns are question marks", unknowns_are_question_marks },
		{ "nothing found is said in one line", nothing_found_is_said_in_one_line },
		{ "x64 pointers are sixteen digits", x64_pointers_are_sixteen_digits },
		{ "loops name each port once", loops_name_each_port_once },
		{ "unqueued message is its own entry", unqueued_message_is_its_own_entry },
		{ "a running server has no colon", a_running_server_has_no_colon },
		{ "rundown search is linear", rundown_search_is_linear },
		{ NULL, NULL },
	};
	static const struct test_case json[] = {
		{ "JSON answers the message search", json_answers_the_message_search },
		{ "JSON answers each query", json_answers_each_query },
		{ "query schema rejects a wrong answer", query_schema_rejects_a_wrong_answer },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = {
		{ "lpc text", text },
		{ "lpc json", json },
	};
	int status = run_suites("test_lpc_query", suites, 2);
	json_object_put(published);
	return status;
}
