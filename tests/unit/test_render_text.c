/* The text report: whole golden outputs for the deadlock and the chain
 * fixtures, the cycles-only listing, RPC call tables in rpcexts columns,
 * and that nothing an input holds can put a control character on the
 * terminal. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "fixtures.h"
#include "../../reports/reports.h"

/* ---- rendering ----------------------------------------------------------- */

enum which { WHOLE_REPORT, CYCLES_ONLY, EVERYTHING };

/* Renders and frees the snapshot; the caller frees the text. */
static char *rendered(struct snapshot *snapshot, enum which which)
{
	struct analysis *analysis = analyze(snapshot);
	char *text = NULL;
	size_t length = 0;
	FILE *stream = open_memstream(&text, &length);
	CU_ASSERT_PTR_NOT_NULL_FATAL(stream);
	struct render_options all = { .all = true };
	struct error *error = which == CYCLES_ONLY  ? render_cycles_text(stream, analysis)
			      : which == EVERYTHING ? render_text(stream, analysis, &all)
						    : render_text(stream, analysis, NULL);
	CU_ASSERT_PTR_NULL(error);
	if (error) {
		fprintf(stderr, "render: %s\n", error->message);
		error_free(error);
	}
	fclose(stream);
	analysis_free(analysis);
	snapshot_free(snapshot);
	return text;
}

/* On a mismatch, shows the first differing line: goldens are long. */
static bool same_text(const char *actual, const char *expected)
{
	if (strcmp(actual, expected) == 0)
		return true;
	size_t line = 1, i = 0;
	for (; actual[i] && actual[i] == expected[i]; i++)
		if (actual[i] == '\n')
			line++;
	fprintf(stderr,
		"\n  text differs at line %zu:\n  actual:   \"%.80s\"\n  expected: \"%.80s\"\n",
		line, actual + i, expected + i);
	return false;
}

static bool contains(const char *text, const char *part)
{
	if (strstr(text, part))
		return true;
	fprintf(stderr, "\n  missing: \"%s\"\n", part);
	return false;
}

/* ---- whole reports ----------------------------------------------------- */

static const char deadlock_report[] =
	"Input:   fixture-deadlock.txt\n"
	"Format:  transcript, capture 1 of 1\n"
	"Status:  ok (0 errors, 0 warnings)\n"
	"System:  x64, kd, kernel mode\n"
	"Found:   2 processes, 2 threads, 2 ports, 2 messages, 0 RPC calls\n"
	"Waits:   2 waits, 1 deadlock, 0 probable deadlocks, 0 blocking chains\n"
	"\n"
	"DEADLOCKS\n"
	"Deadlock (definite, 2 threads): alpha.exe 0100.0104 -> beta.exe 0200.0204 -> alpha.exe 0100.0104\n"
	"    alpha.exe 0100.0104 waits for reply to ALPC Message ffffb00000000001 (MessageID 0x0bfc) : queued at port ffffc00000002000 (\\RPC Control\\BetaPort)\n"
	"    beta.exe 0200.0204 waits for reply to ALPC Message ffffb00000000002 (MessageID 0x0c01) : queued at port ffffc00000001000 (\\RPC Control\\AlphaPort)\n"
	"    Signature 5f21e4918a22081a: alpha.exe[\\RPC Control\\BetaPort] -> beta.exe[\\RPC Control\\AlphaPort]\n"
	"\n"
	"WAITING THREADS\n"
	"PROCESS ffffa00000001000  Cid: 0100  Image: alpha.exe\n"
	"    THREAD ffffa00000001104  Cid 0100.0104  WAIT: (WrLpcReply) UserMode\n"
	"        Waiting for reply to ALPC Message ffffb00000000001 : queued at port ffffc00000002000 : owned by process ffffa00000002000\n"
	"        -> waits (alpc) for beta.exe 0200.0204\n"
	"\n"
	"PROCESS ffffa00000002000  Cid: 0200  Image: beta.exe\n"
	"    THREAD ffffa00000002204  Cid 0200.0204  WAIT: (WrLpcReply) UserMode\n"
	"        Waiting for reply to ALPC Message ffffb00000000002 : queued at port ffffc00000001000 : owned by process ffffa00000001000\n"
	"        -> waits (alpc) for alpha.exe 0100.0104\n"
	"\n"
	"PORTS WITH QUEUED MESSAGES\n"
	"Port  ffffc00000002000  \\RPC Control\\BetaPort\n"
	"  Type          : ALPC_CONNECTION_PORT\n"
	"  OwnerProcess  : ffffa00000002000 (beta.exe)\n"
	"  Pending queue: 1 message\n"
	"    ffffb00000000001  MessageID 0x0bfc  WaitingThread ffffa00000001104 (alpha.exe 0100.0104)  ServerThread ffffa00000002204 (beta.exe 0200.0204)\n"
	"\n"
	"Port  ffffc00000001000  \\RPC Control\\AlphaPort\n"
	"  Type          : ALPC_CONNECTION_PORT\n"
	"  OwnerProcess  : ffffa00000001000 (alpha.exe)\n"
	"  Pending queue: 1 message\n"
	"    ffffb00000000002  MessageID 0x0c01  WaitingThread ffffa00000002204 (beta.exe 0200.0204)  ServerThread ffffa00000001104 (alpha.exe 0100.0104)\n";

static void deadlock_report_is_exact(void)
{
	char *text = rendered(fixture_alpc_deadlock(), WHOLE_REPORT);
	CU_ASSERT_TRUE(same_text(text, deadlock_report));
	free(text);
}

static const char chain_report[] =
	"Input:   fixture-chain.txt\n"
	"Format:  transcript, capture 1 of 1\n"
	"Status:  ok (0 errors, 0 warnings)\n"
	"System:  x64, kernel mode\n"
	"Found:   3 processes, 3 threads, 3 ports, 2 messages, 0 RPC calls\n"
	"Waits:   2 waits, 0 deadlocks, 0 probable deadlocks, 1 blocking chain\n"
	"\n"
	"No deadlock cycles found.\n"
	"\n"
	"BLOCKING CHAINS\n"
	"Chain (2 waits): link0.exe 1000.1004 -> link1.exe 1010.1014 -> link2.exe 1020.1024\n"
	"    link0.exe 1000.1004 waits for reply to ALPC Message ffffb20000001000 (MessageID 0x2000) : queued at port ffffc20000101000 (\\RPC Control\\Link1)\n"
	"    link1.exe 1010.1014 waits for reply to ALPC Message ffffb20000001010 (MessageID 0x2001) : queued at port ffffc20000102000 (\\RPC Control\\Link2)\n"
	"    root: link2.exe 1020.1024 blocked on a critical section (ntdll!RtlpWaitOnCriticalSection)\n"
	"\n"
	"WAITING THREADS\n"
	"PROCESS ffffa20000100000  Cid: 1000  Image: link0.exe\n"
	"    THREAD ffffa30000100000  Cid 1000.1004  WAIT: (WrLpcReply) UserMode\n"
	"        Waiting for reply to ALPC Message ffffb20000001000 : queued at port ffffc20000101000 : owned by process ffffa20000101000\n"
	"        -> waits (alpc) for link1.exe 1010.1014\n"
	"\n"
	"PROCESS ffffa20000101000  Cid: 1010  Image: link1.exe\n"
	"    THREAD ffffa30000101000  Cid 1010.1014  WAIT: (WrLpcReply) UserMode\n"
	"        Waiting for reply to ALPC Message ffffb20000001010 : queued at port ffffc20000102000 : owned by process ffffa20000102000\n"
	"        -> waits (alpc) for link2.exe 1020.1024\n"
	"\n"
	"PROCESS ffffa20000102000  Cid: 1020  Image: link2.exe\n"
	"    THREAD ffffa30000102000  Cid 1020.1024  WAIT: (UserRequest) UserMode\n"
	"        ffffa40000000000  SynchronizationEvent\n"
	"        -> blocked on a critical section (ntdll!RtlpWaitOnCriticalSection)\n"
	"        Call Site\n"
	"        nt!KiSwapContext\n"
	"        nt!KeWaitForSingleObject\n"
	"        ntdll!NtWaitForSingleObject\n"
	"        ntdll!RtlpWaitOnCriticalSection\n"
	"        ntdll!RtlEnterCriticalSection\n"
	"        link!Worker\n"
	"\n"
	"PORTS WITH QUEUED MESSAGES\n"
	"Port  ffffc20000101000  \\RPC Control\\Link1\n"
	"  Type          : ALPC_CONNECTION_PORT\n"
	"  OwnerProcess  : ffffa20000101000 (link1.exe)\n"
	"  Pending queue: 1 message\n"
	"    ffffb20000001000  MessageID 0x2000  WaitingThread ffffa30000100000 (link0.exe 1000.1004)  ServerThread ffffa30000101000 (link1.exe 1010.1014)\n"
	"\n"
	"Port  ffffc20000102000  \\RPC Control\\Link2\n"
	"  Type          : ALPC_CONNECTION_PORT\n"
	"  OwnerProcess  : ffffa20000102000 (link2.exe)\n"
	"  Pending queue: 1 message\n"
	"    ffffb20000001010  MessageID 0x2001  WaitingThread ffffa30000101000 (link1.exe 1010.1014)  ServerThread ffffa30000102000 (link2.exe 1020.1024)\n";

static void chain_report_is_exact(void)
{
	char *text = rendered(fixture_chain_to_critical_section(3), WHOLE_REPORT);
	CU_ASSERT_TRUE(same_text(text, chain_report));
	free(text);
}

static void all_option_lists_idle_threads_and_empty_ports(void)
{
	struct snapshot *snapshot = fixture_quiet_system();
	struct port *port = snapshot_find_port(snapshot, 0xffffc48d8895de20ULL);
	port->queues[QUEUE_MAIN].length = known_u64(0);
	char *text = rendered(snapshot, EVERYTHING);
	CU_ASSERT(contains(text, "No deadlock cycles found.\n"));
	CU_ASSERT(contains(
		text, "\nTHREADS\n"
		      "PROCESS ffffa00000006000  Cid: 01d8  Image: smss.exe\n"
		      "    THREAD ffffa00000006100  Cid 01d8.0208  WAIT: (WrAlpcReceive) UserMode\n"
		      "        -> "));
	CU_ASSERT(contains(text, "\nPORTS\n"
				 "Port  ffffc48d8895de20  SmApiPort\n"
				 "  Type          : ALPC_CONNECTION_PORT\n"
				 "  OwnerProcess  : ffffa00000006000 (smss.exe)\n"
				 "  Main queue is empty.\n"));
	free(text);

	/* Without --all, a quiet system shows neither. */
	text = rendered(fixture_quiet_system(), WHOLE_REPORT);
	CU_ASSERT_PTR_NULL(strstr(text, "THREAD"));
	CU_ASSERT_PTR_NULL(strstr(text, "Port "));
	free(text);
}

/* ---- cycles only --------------------------------------------------------- */

static void cycles_listing_shows_only_cycles(void)
{
	char *text = rendered(fixture_alpc_deadlock(), CYCLES_ONLY);
	CU_ASSERT_TRUE(same_text(
		text,
		"Deadlock (definite, 2 threads): alpha.exe 0100.0104 -> beta.exe 0200.0204 -> alpha.exe 0100.0104\n"
		"    alpha.exe 0100.0104 waits for reply to ALPC Message ffffb00000000001 (MessageID 0x0bfc) : queued at port ffffc00000002000 (\\RPC Control\\BetaPort)\n"
		"    beta.exe 0200.0204 waits for reply to ALPC Message ffffb00000000002 (MessageID 0x0c01) : queued at port ffffc00000001000 (\\RPC Control\\AlphaPort)\n"
		"    Signature 5f21e4918a22081a: alpha.exe[\\RPC Control\\BetaPort] -> beta.exe[\\RPC Control\\AlphaPort]\n"));
	free(text);

	text = rendered(fixture_quiet_system(), CYCLES_ONLY);
	CU_ASSERT_TRUE(same_text(text, "No deadlock cycles found.\n"));
	free(text);

	text = rendered(fixture_chain_to_critical_section(4), CYCLES_ONLY);
	CU_ASSERT_TRUE(same_text(text, "No deadlock cycles found.\n"));
	free(text);

	text = rendered(fixture_alpc_ring(3), CYCLES_ONLY);
	CU_ASSERT(contains(text,
			   "Deadlock (definite, 3 threads): proc0.exe 0100.0104 -> "
			   "proc1.exe 0200.0204 -> proc2.exe 0300.0304 -> proc0.exe 0100.0104\n"));
	free(text);
}

/* Two processes each waiting on the other's port, with no server thread
 * named: only a process-level, probable deadlock. */
static struct snapshot *probable_deadlock(void)
{
	struct snapshot *s = snapshot_new("probable.txt", "transcript");
	s->system.arch = "x86";
	static const struct {
		uint64_t process, pid, thread, port;
		const char *image, *port_name;
	} sides[] = {
		{ 0x81000000, 0x100, 0x81000100, 0xe1000000, "alpha.exe", "AlphaPort" },
		{ 0x82000000, 0x200, 0x82000100, 0xe2000000, "beta.exe", "BetaPort" },
	};
	struct thread *threads[2];
	struct port *ports[2];
	for (int i = 0; i < 2; i++) {
		struct process *p = snapshot_process(s, known_u64(sides[i].process),
						     known_u64(sides[i].pid), origin_line(1));
		p->image = sides[i].image;
		struct thread *t = snapshot_thread(s, known_u64(sides[i].thread), p->pid,
						   known_u64(sides[i].pid + 4), origin_line(2));
		t->process_address = p->address;
		t->state = "WAIT";
		t->wait_reason = "WrLpcReply";
		t->wait_mode = "UserMode";
		struct port *port = snapshot_port(s, sides[i].port, origin_line(3));
		port->name = sides[i].port_name;
		port->flavor = FLAVOR_ALPC;
		port->kind = PORT_ALPC_CONNECTION;
		port->owner_process = p->address;
		threads[i] = t;
		ports[i] = port;
	}
	for (int i = 0; i < 2; i++) {
		struct port *other = ports[1 - i];
		threads[i]->alpc_wait_message = known_u64(0xe3000000 + 0x1000000 * (uint64_t)i);
		threads[i]->alpc_wait_port = other->address;
		threads[i]->alpc_wait_port_owner = other->owner_process;
	}
	return s;
}

static void probable_deadlock_is_labelled_so(void)
{
	char *text = rendered(probable_deadlock(), CYCLES_ONLY);
	CU_ASSERT_TRUE(same_text(
		text,
		"Probable deadlock (process-level, not proven): alpha.exe 0100 -> beta.exe 0200 -> alpha.exe 0100\n"
		"    alpha.exe 0100.0104 waits for reply to ALPC Message e3000000 : queued at port e2000000 (BetaPort)\n"
		"    beta.exe 0200.0204 waits for reply to ALPC Message e4000000 : queued at port e1000000 (AlphaPort)\n"
		"    Signature fb3dae77f5f22d83: alpha.exe[BetaPort] -> beta.exe[AlphaPort]\n"));
	CU_ASSERT_PTR_NULL(strstr(text, "Deadlock ("));
	free(text);

	text = rendered(probable_deadlock(), WHOLE_REPORT);
	CU_ASSERT(contains(text,
			   "Waits:   2 waits, 0 deadlocks, 1 probable deadlock, 2 blocking chains\n"
			   "\n"
			   "PROBABLE DEADLOCKS\n"
			   "Probable deadlock (process-level, not proven): "));
	CU_ASSERT_PTR_NULL(strstr(text, "\nDEADLOCKS\n"));
	CU_ASSERT(contains(text, "    root: beta.exe 0200 no thread known to serve the request\n"));
	free(text);
}

/* The XP `!lpc` picture (MS docs -lpc.md): AppA waits on ApiPort of csrss. */
static struct snapshot *lpc_wait(void)
{
	struct snapshot *s = snapshot_new("lpc.txt", "transcript");
	s->system.arch = "x86";
	s->system.kernel_mode = true;
	struct process *csrss =
		snapshot_process(s, known_u64(0x84aa0140), known_u64(0x248), origin_line(1));
	csrss->image = "csrss.exe";
	struct process *app =
		snapshot_process(s, known_u64(0x842d5020), known_u64(0x584), origin_line(2));
	app->image = "AppA.exe";
	struct thread *t = snapshot_thread(s, known_u64(0x842a4db0), app->pid, known_u64(0x680),
					   origin_line(3));
	t->process_address = app->address;
	t->state = "WAIT";
	t->wait_reason = "WrLpcReply";
	t->wait_mode = "UserMode";
	thread_add_wait_object(s, t, (struct wait_object){ 0x842a4f9c, "Semaphore", UNKNOWN_U64 });
	t->lpc_wait_message_id = known_u64(0x2249c);
	t->lpc_port = known_u64(0xe14ae238);
	t->wait_ticks = known_u64(4224);
	t->wait_time = "0:00:01:06.000";
	struct port *api = snapshot_port(s, 0xe14ae238, origin_line(4));
	api->name = "ApiPort";
	api->flavor = FLAVOR_LPC;
	api->kind = PORT_LPC_SERVER_CONNECTION;
	api->owner_process = csrss->address;
	api->queues[QUEUE_LPC_MESSAGES].length = known_u64(1);
	u64_vec_push(&api->queues[QUEUE_LPC_MESSAGES].messages, 0xe20d9b80);
	api->queues[QUEUE_LPC_DATA_INFO].length = known_u64(0);
	struct message *m = snapshot_message(s, FLAVOR_LPC, known_u64(0xe20d9b80),
					     known_u64(0x2249c), origin_line(5));
	m->client_pid = app->pid;
	m->client_tid = t->tid;
	m->queue = QUEUE_LPC_MESSAGES;
	m->queue_port = api->address;
	return s;
}

static void lpc_wait_reads_like_lpc_output(void)
{
	char *text = rendered(lpc_wait(), WHOLE_REPORT);
	CU_ASSERT(contains(
		text,
		"BLOCKING CHAINS\n"
		"Chain (1 wait): AppA.exe 0584.0680 -> csrss.exe 0248\n"
		"    AppA.exe 0584.0680 waits for reply to LPC MessageId 0002249c : port e14ae238 (ApiPort)\n"
		"    root: csrss.exe 0248 no thread known to serve the request\n"));
	CU_ASSERT(contains(text, "PROCESS 842d5020  Cid: 0584  Image: AppA.exe\n"
				 "    THREAD 842a4db0  Cid 0584.0680  WAIT: (WrLpcReply) UserMode\n"
				 "        842a4f9c  Semaphore\n"
				 "        Waiting for reply to LPC MessageId 0002249c:\n"
				 "        Current LPC port e14ae238\n"
				 "        Ticks: 4224 (0:00:01:06.000)\n"
				 "        -> waits (lpc) for csrss.exe 0248\n"));
	CU_ASSERT(contains(text, "Port  e14ae238  ApiPort\n"
				 "  Type          : Server connection port\n"
				 "  OwnerProcess  : 84aa0140 (csrss.exe)\n"
				 "  Message queue: 1 message\n"
				 "    e20d9b80  MessageID 0x2249c  From: 0584.0680\n"
				 "  LpcDataInfoChainHead queue is empty.\n"));
	free(text);
}

/* ---- RPC ------------------------------------------------------------------ */

/* Rows of the rpcexts documentation (debugger-output-formats.md §3.8). */
static struct snapshot *rpc_calls(void)
{
	struct snapshot *s = snapshot_new("rpc.txt", "transcript");
	struct rpc_server_call *osf =
		snapshot_rpc_server_call(s, known_u64(0x26c), known_u64(4), origin_line(1));
	osf->status = known_u64(2);
	osf->procedure = known_u64(0);
	osf->interface_start = known_u64(0x19bb5061);
	osf->thread_cell = known_u64(2);
	osf->call_flags = known_u64(1);
	osf->call_id = known_u64(1);
	osf->last_time = known_u64(0x4caa5);
	osf->party = RPC_PARTY_CONNECTION;
	osf->connection_cell = known_u64(3);
	struct rpc_server_call *lrpc =
		snapshot_rpc_server_call(s, known_u64(0xc4), known_u64(0x19), origin_line(2));
	lrpc->status = known_u64(1);
	lrpc->procedure = known_u64(0xb);
	lrpc->interface_start = known_u64(0x82273fdc);
	lrpc->thread_cell = known_u64(2);
	lrpc->call_flags = known_u64(9);
	lrpc->call_id = known_u64(0);
	lrpc->last_time = known_u64(0x18b19);
	lrpc->party = RPC_PARTY_CALLER;
	lrpc->caller_pid = known_u64(0xd0);
	lrpc->caller_tid = known_u64(0x104);
	snapshot_rpc_server_call(s, known_u64(0x170), known_u64(9), origin_line(3));
	struct rpc_client_call *client =
		snapshot_rpc_client_call(s, known_u64(0x3d4), known_u64(1), origin_line(4));
	client->procedure = known_u64(0);
	client->interface_start = known_u64(0x19bb5061);
	client->thread_cell = known_u64(0);
	client->call_id = known_u64(1);
	client->last_time = known_u64(0x4ca9b);
	client->protocol_id = known_u64(7);
	client->client_cell = known_u64(2);
	client->endpoint = "1118";
	return s;
}

static void rpc_calls_print_as_rpcexts_tables(void)
{
	char *text = rendered(rpc_calls(), WHOLE_REPORT);
	CU_ASSERT(contains(
		text,
		"\nRPC SERVER CALLS\n"
		"PID  CELL ID   ST PNO IFSTART  TIDNUMBER CALLFLAG CALLID   LASTTIME CONN/CLN\n"
		"026c 0000.0004 02 000 19bb5061 0000.0002 00000001 00000001 0004caa5 0000.0003\n"
		"00c4 0000.0019 01 00b 82273fdc 0000.0002 00000009 00000000 00018b19 00d0.0104\n"
		"0170 0000.0009 ?  ?   ?        ?         ?        ?        ?        ?\n"
		"\nRPC CLIENT CALLS\n"
		"PID  CELL ID   PNO  IFSTART  TIDNUMBER CALLID   LASTTIME PS CLTNUMBER ENDPOINT\n"
		"03d4 0000.0001 0000 19bb5061 0000.0000 00000001 0004ca9b 07 0000.0002 1118\n"));
	CU_ASSERT(contains(text,
			   "Found:   0 processes, 0 threads, 0 ports, 0 messages, 4 RPC calls\n"));
	free(text);
}

/* ---- what reaches the terminal --------------------------------------------- */

static bool has_control_characters(const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
			return true;
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0) /* C1 in UTF-8 */
			return true;
	}
	return false;
}

static void control_characters_never_reach_the_terminal(void)
{
	/* The path never goes through the model's repair; a frame and a wait
	 * reason set directly bypass it too. */
	struct snapshot *s = snapshot_new("evil\x1b]0;title\x07\xc2\x9b"
					  "31m\t.txt",
					  "transcript");
	struct thread *t =
		snapshot_thread(s, known_u64(0x1000), known_u64(4), known_u64(8), origin_line(1));
	t->state = "WAIT";
	t->wait_reason = "Wr\x1b[2J";
	t->alpc_wait_port = known_u64(0x2000);
	static const char *frames[] = { "bad\rframe\x7f" };
	thread_set_frames(s, t, frames, 1);
	struct port *port = snapshot_port(s, 0x2000, origin_line(2));
	port->name = "\x1b[31mred";
	u64_vec_push(&port->queues[QUEUE_MAIN].messages, 0x3000);
	snapshot_warn(s, origin_line(3), "bell \x07 here");
	char *text = rendered(s, EVERYTHING);
	CU_ASSERT_FALSE(has_control_characters(text));
	CU_ASSERT(contains(text, "Input:   evil?]0;title??31m?.txt\n"));
	CU_ASSERT(contains(text, "WAIT: (Wr?[2J) ?\n"));
	CU_ASSERT(contains(text, "        bad?frame?\n"));
	CU_ASSERT(contains(text, "Port  00002000  ?[31mred\n"));
	CU_ASSERT(contains(text, "warning: evil?]0;title??31m?.txt:3: bell ? here\n"));
	free(text);

	/* Names the model repaired print as they are, U+FFFD included. */
	text = rendered(fixture_hostile_names(), WHOLE_REPORT);
	CU_ASSERT_FALSE(has_control_characters(text));
	CU_ASSERT(contains(text, "caf\xef\xbf\xbd-\xef\xbf\xbd.exe 0020.0024"));
	CU_ASSERT(contains(text, "(\\RPC Control\\\"];x[label=<b>&amp;</b>]\"<script>)"));
	free(text);
}

static void unknown_values_print_as_question_marks(void)
{
	struct snapshot *s = snapshot_new("partial.txt", NULL);
	struct thread *t = snapshot_thread(s, known_u64(0x81000100), UNKNOWN_U64, known_u64(0x24),
					   origin_line(1));
	t->state = "WAIT";
	t->alpc_wait_message = known_u64(0xe3000000);
	/* Known only as a user-mode debugger's thread 1, waiting on an RPC
	 * call whose server thread the capture does not show. */
	struct thread *debugged =
		snapshot_debugger_thread(s, 1, UNKNOWN_U64, UNKNOWN_U64, origin_line(2));
	struct rpc_client_call *call =
		snapshot_rpc_client_call(s, UNKNOWN_U64, UNKNOWN_U64, origin_line(3));
	call->debugger_thread = debugged->debugger_index;
	call->endpoint = "1120";
	struct rpc_endpoint *endpoint =
		snapshot_rpc_endpoint(s, known_u64(0x278), known_u64(1), origin_line(4));
	endpoint->protocol = "TCP";
	endpoint->name = "1120";
	char *text = rendered(s, EVERYTHING);
	CU_ASSERT(contains(text, "Format:  ?, capture 1 of 1\n"));
	CU_ASSERT(contains(text, "    THREAD ?  Cid ?.?  ?  (debugger thread ~1)\n"));
	CU_ASSERT(contains(text, "System:  ?, user mode\n"));
	CU_ASSERT(contains(
		text,
		"PROCESS ?  (threads whose process is not in the capture)\n"
		"    THREAD 81000100  Cid ?.0024  WAIT: (?) ?\n"
		"        Waiting for reply to ALPC Message e3000000 : queued at port ? : owned by process ?\n"));
	free(text);
}

/* Issue 4: every report says which structure profile read a dump and why;
 * a transcript has none and no line, a dump no profile fits says so. */
static void profile_line_names_profile_and_reason(void)
{
	struct snapshot *s = fixture_alpc_deadlock();
	s->system.build = "19041";
	s->system.profile = "19041.3570";
	s->system.profile_reason = "ntkrnlmp.pdb 606FF669409B00F7FC8C61A9C1670129-1 is the "
				   "built-in profile 19041.3570";
	char *text = rendered(s, WHOLE_REPORT);
	CU_ASSERT(contains(text, "System:  x64, build 19041, kd, kernel mode\n"
				 "Profile: 19041.3570 (ntkrnlmp.pdb 606FF669409B00F7FC8C61A9C1670129-1 "
				 "is the built-in profile 19041.3570)\n"
				 "Found:   "));
	free(text);

	s = fixture_alpc_deadlock();
	s->system.profile_reason = "none of build 19041's built-in profiles reads it";
	text = rendered(s, WHOLE_REPORT);
	CU_ASSERT(contains(text, "kernel mode\nProfile: none (none of build 19041's built-in "
				 "profiles reads it)\nFound:   "));
	free(text);

	text = rendered(fixture_alpc_deadlock(), WHOLE_REPORT);
	CU_ASSERT_PTR_NULL(strstr(text, "Profile:"));
	free(text);
}

static void write_errors_are_reported(void)
{
	FILE *full = fopen("/dev/full", "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(full);
	struct snapshot *snapshot = fixture_alpc_deadlock();
	struct analysis *analysis = analyze(snapshot);
	struct error *error = render_text(full, analysis, NULL);
	CU_ASSERT_PTR_NOT_NULL(error);
	error_free(error);
	clearerr(full);
	error = render_cycles_text(full, analysis);
	CU_ASSERT_PTR_NOT_NULL(error);
	error_free(error);
	fclose(full);
	analysis_free(analysis);
	snapshot_free(snapshot);
}

int main(void)
{
	static const struct test_case report[] = {
		{ "deadlock report is exact", deadlock_report_is_exact },
		{ "chain report is exact", chain_report_is_exact },
		{ "--all lists idle threads and empty ports",
		  all_option_lists_idle_threads_and_empty_ports },
		{ "LPC wait reads like !lpc output", lpc_wait_reads_like_lpc_output },
		{ "RPC calls print as rpcexts tables", rpc_calls_print_as_rpcexts_tables },
		{ "unknown values print as question marks",
		  unknown_values_print_as_question_marks },
		{ "control characters never reach the terminal",
		  control_characters_never_reach_the_terminal },
		{ "write errors are reported", write_errors_are_reported },
		{ "profile line names the profile and why",
		  profile_line_names_profile_and_reason },
		{ NULL, NULL },
	};
	static const struct test_case cycles[] = {
		{ "cycles listing shows only cycles", cycles_listing_shows_only_cycles },
		{ "probable deadlock is labelled so", probable_deadlock_is_labelled_so },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = {
		{ "text report", report },
		{ "cycles listing", cycles },
	};
	return run_suites("test_render_text", suites, 2);
}
