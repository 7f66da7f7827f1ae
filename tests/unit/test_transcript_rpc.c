/* The transcript scanner on RPC run-time state: the `!rpcexts` tables
 * (endpoints, threads, server calls in both column namings, client calls)
 * with and without the "## " of the MS docs pages and their 4-space
 * indentation, getdbgcell's four cell kinds, DbgRpc's switches including a
 * remote server, rpcreadstack and rpctime (debugger-output-formats.md
 * §3.8–3.9; the RPC status codes of the corpus INDEX.md) — and what the
 * correlator makes of them.  Inputs are invented in those formats. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transcript_helpers.h"
#include "../../src/correlate/correlate.h"

static struct rpc_endpoint *endpoint_at(const struct snapshot *s, size_t index)
{
	CU_ASSERT_FATAL(index < s->rpc_endpoints.count);
	return s->rpc_endpoints.items[index];
}

static struct rpc_thread *rpc_thread_at(const struct snapshot *s, size_t index)
{
	CU_ASSERT_FATAL(index < s->rpc_threads.count);
	return s->rpc_threads.items[index];
}

static struct rpc_server_call *server_call_at(const struct snapshot *s, size_t index)
{
	CU_ASSERT_FATAL(index < s->rpc_server_calls.count);
	return s->rpc_server_calls.items[index];
}

static struct rpc_client_call *client_call_at(const struct snapshot *s, size_t index)
{
	CU_ASSERT_FATAL(index < s->rpc_client_calls.count);
	return s->rpc_client_calls.items[index];
}

static struct rpc_connection *connection_at(const struct snapshot *s, size_t index)
{
	CU_ASSERT_FATAL(index < s->rpc_connections.count);
	return s->rpc_connections.items[index];
}

/* ---- tables ------------------------------------------------------------- */

static void check_endpoints(const struct snapshot *s, uint64_t first_row)
{
	static const struct {
		uint64_t pid, cell;
		const char *protocol, *name;
	} expected[] = {
		{ 0xb4, 0x1, "NMP", "\\PIPE\\ledgerpipe" },
		{ 0xb4, 0x3, "LRPC", "LedgerLrpc" },
		{ 0x210, 0x1, "TCP", "4710" },
		{ 0x210, 0x2, "LRPC", "LRPC00000210.00000001" },
	};
	CU_ASSERT_EQUAL_FATAL(s->rpc_endpoints.count, 4);
	for (size_t i = 0; i < 4; i++) {
		const struct rpc_endpoint *e = endpoint_at(s, i);
		CU_ASSERT_KNOWN_EQUAL(e->pid, expected[i].pid);
		CU_ASSERT_KNOWN_EQUAL(e->cell, expected[i].cell);
		CU_ASSERT_KNOWN_EQUAL(e->status, 1);
		CU_ASSERT_STRING_EQUAL_OR_NULL(e->protocol, expected[i].protocol);
		CU_ASSERT_STRING_EQUAL_OR_NULL(e->name, expected[i].name);
		CU_ASSERT_EQUAL(e->origin.kind, ORIGIN_LINE);
		CU_ASSERT_EQUAL(e->origin.at, first_row + i);
	}
	/* Endpoint tables print no image names: none is invented. */
	CU_ASSERT_EQUAL(s->processes.count, 2);
	CU_ASSERT_PTR_NULL(process_with_pid(s, 0xb4)->image);
	CU_ASSERT_PTR_NULL(process_with_pid(s, 0x210)->image);
	CU_ASSERT_EQUAL(s->threads.count, 0);
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);
}

static void endpoint_table(void)
{
	struct snapshot *s = scan(
		"0:002> !rpcexts.getendpointinfo\n"                          /* 1 */
		"Searching for endpoint info ...\n"
		"   PID  CELL ID   ST PROTSEQ        ENDPOINT\n"
		"-------------------------------------------------------------\n"
		"00b4 0000.0001 01            NMP \\PIPE\\ledgerpipe\n"       /* 5 */
		"00b4 0000.0003 01           LRPC LedgerLrpc\n"
		"0210 0000.0001 01            TCP 4710\n"
		"0210 0000.0002 01           LRPC LRPC00000210.00000001\n");
	check_endpoints(s, 5);
	CU_ASSERT_STRING_EQUAL_OR_NULL(s->system.debugger, "cdb");
}

/* The MS docs pages turned the header into a Markdown heading ("## ")
 * and, from some block on, indent every line by 4 spaces. */
static void endpoint_table_with_heading_marks_and_indent(void)
{
	struct snapshot *s = scan(
		"    0:002> !rpcexts.getendpointinfo\n"
		"    Searching for endpoint info ...\n"
		"    ## PID  CELL ID   ST PROTSEQ        ENDPOINT\n"
		"    -------------------------------------------------------------\n"
		"    00b4 0000.0001 01            NMP \\PIPE\\ledgerpipe\n"
		"    00b4 0000.0003 01           LRPC LedgerLrpc\n"
		"    0210 0000.0001 01            TCP 4710\n"
		"    0210 0000.0002 01           LRPC LRPC00000210.00000001\n");
	check_endpoints(s, 5);
}

static void thread_table(void)
{
	struct snapshot *s = scan(
		"0:002> !rpcexts.getthreadinfo 210\n"
		"Searching for thread info ...\n"
		"## PID  CELL ID   ST TID      LASTTIME\n"
		"-----------------------------------\n"
		"0210 0000.0002 01 000004c8 0004caa5\n"                        /* 5 */
		"0210 0000.0005 03 00000614 0004ca9b\n");
	CU_ASSERT_EQUAL_FATAL(s->rpc_threads.count, 2);
	const struct rpc_thread *t = rpc_thread_at(s, 0);
	CU_ASSERT_KNOWN_EQUAL(t->pid, 0x210);
	CU_ASSERT_KNOWN_EQUAL(t->cell, 0x2);
	CU_ASSERT_KNOWN_EQUAL(t->status, 1);
	CU_ASSERT_KNOWN_EQUAL(t->tid, 0x4c8);
	CU_ASSERT_KNOWN_EQUAL(t->last_time, 0x4caa5);
	CU_ASSERT_EQUAL(t->origin.at, 5);
	t = rpc_thread_at(s, 1);
	CU_ASSERT_KNOWN_EQUAL(t->cell, 0x5);
	CU_ASSERT_KNOWN_EQUAL(t->status, 3);
	CU_ASSERT_KNOWN_EQUAL(t->tid, 0x614);
	CU_ASSERT_EQUAL(t->origin.at, 6);
	/* Each row names a thread of the process by Cid. */
	CU_ASSERT_EQUAL(s->threads.count, 2);
	struct thread *worker = thread_with_cid(s, 0x210, 0x4c8);
	CU_ASSERT_FALSE(worker->address.known);
	CU_ASSERT_EQUAL(worker->origin.at[0].at, 5);
	thread_with_cid(s, 0x210, 0x614);
	CU_ASSERT_PTR_EQUAL(snapshot_find_rpc_thread(s, 0x210, 0x2), rpc_thread_at(s, 0));
}

/* getcallinfo: rows in every state, LRPC callers and OSF connections. */
static const char call_table[] =
	"0:002> !rpcexts.getcallinfo\n"                                                       /* 1 */
	"Searching for call info ...\n"
	"   PID  CELL ID   ST PNO IFSTART  TIDNUMBER CALLFLAG CALLID   LASTTIME CONN/CLN\n"
	"----------------------------------------------------------------------------\n"
	"0210 0000.0004 02 003 5a7b91f9 0000.0002 00000001 00000007 0004caa5 0000.0003\n"  /* 5 */
	"00b4 0000.0006 00 009 367abb81 0000.0007 00000001 0000004a 00018b41 0000.0005\n"  /* 6 */
	"00b4 0000.0019 01 00b 82273fdc 0000.0002 00000009 00000000 00018b19 0310.0414\n"  /* 7 */
	"0310 0000.0009 01 002 e60c73e6 0000.0002 00000009 baadf00d 0004ad30 00b4.03a4\n"  /* 8 */
	"00b4 0000.001a 00 002 e60c73e6 0000.0003 00000009 00000000 0004ad30 0310.0244\n"; /* 9 */

static void server_call_table(void)
{
	struct snapshot *s = scan(call_table);
	CU_ASSERT_EQUAL_FATAL(s->rpc_server_calls.count, 5);
	const struct rpc_server_call *c = server_call_at(s, 0);
	CU_ASSERT_KNOWN_EQUAL(c->pid, 0x210);
	CU_ASSERT_KNOWN_EQUAL(c->cell, 0x4);
	CU_ASSERT_KNOWN_EQUAL(c->status, 2);
	CU_ASSERT_KNOWN_EQUAL(c->procedure, 3);
	CU_ASSERT_KNOWN_EQUAL(c->interface_start, 0x5a7b91f9);
	CU_ASSERT_KNOWN_EQUAL(c->thread_cell, 0x2);
	CU_ASSERT_KNOWN_EQUAL(c->call_flags, 1);
	CU_ASSERT_KNOWN_EQUAL(c->call_id, 7);
	CU_ASSERT_KNOWN_EQUAL(c->last_time, 0x4caa5);
	CU_ASSERT_EQUAL(c->party, RPC_PARTY_CONNECTION);
	CU_ASSERT_KNOWN_EQUAL(c->connection_cell, 0x3);
	CU_ASSERT_FALSE(c->caller_pid.known);
	CU_ASSERT_EQUAL(c->origin.at, 5);
	c = server_call_at(s, 2);
	CU_ASSERT_KNOWN_EQUAL(c->pid, 0xb4);
	CU_ASSERT_KNOWN_EQUAL(c->cell, 0x19);
	CU_ASSERT_KNOWN_EQUAL(c->status, 1);
	CU_ASSERT_KNOWN_EQUAL(c->procedure, 0xb);
	CU_ASSERT_KNOWN_EQUAL(c->call_flags, 9);
	CU_ASSERT_KNOWN_EQUAL(c->call_id, 0);
	CU_ASSERT_EQUAL(c->party, RPC_PARTY_CALLER);
	CU_ASSERT_KNOWN_EQUAL(c->caller_pid, 0x310);
	CU_ASSERT_KNOWN_EQUAL(c->caller_tid, 0x414);
	CU_ASSERT_FALSE(c->connection_cell.known);
	c = server_call_at(s, 3);
	CU_ASSERT_KNOWN_EQUAL(c->call_id, 0xbaadf00d);
	CU_ASSERT_KNOWN_EQUAL(c->caller_pid, 0xb4);
	CU_ASSERT_KNOWN_EQUAL(c->caller_tid, 0x3a4);
	c = server_call_at(s, 4);
	CU_ASSERT_KNOWN_EQUAL(c->status, 0);
	CU_ASSERT_KNOWN_EQUAL(c->caller_pid, 0x310);
	CU_ASSERT_KNOWN_EQUAL(c->caller_tid, 0x244);
	/* Live rows name threads that exist now; the cached ST 00 row's past
	 * caller is not made a thread. */
	thread_with_cid(s, 0x310, 0x414);
	thread_with_cid(s, 0xb4, 0x3a4);
	CU_ASSERT_PTR_NULL(snapshot_find_thread_by_cid(s, 0x310, 0x244));
	CU_ASSERT_EQUAL(s->threads.count, 2);
	CU_ASSERT_EQUAL(s->processes.count, 3);
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);
}

/* ST 00 rows make no wait; CALLID 0 and baadf00d make weak waits that can
 * never prove a deadlock, even when they point at each other. */
static void call_table_waits(void)
{
	struct snapshot *s = scan(call_table);
	struct analysis *a = analyze(s);
	CU_ASSERT_EQUAL_FATAL(a->waits.count, 2);
	const struct wait *w = a->waits.items[0];
	CU_ASSERT_EQUAL(w->via, VIA_RPC);
	CU_ASSERT_PTR_EQUAL(w->client, thread_with_cid(s, 0x310, 0x414));
	CU_ASSERT_PTR_EQUAL(w->client_process, process_with_pid(s, 0x310));
	CU_ASSERT_PTR_EQUAL(w->server_process, process_with_pid(s, 0xb4));
	CU_ASSERT_PTR_EQUAL(w->rpc_server_call, server_call_at(s, 2));
	CU_ASSERT_PTR_NULL(w->server_thread);
	CU_ASSERT_TRUE(w->weak);
	CU_ASSERT_STRING_EQUAL_OR_NULL(w->weak_reason, "CALLID 0 does not identify a call");
	w = a->waits.items[1];
	CU_ASSERT_PTR_EQUAL(w->client, thread_with_cid(s, 0xb4, 0x3a4));
	CU_ASSERT_PTR_EQUAL(w->server_process, process_with_pid(s, 0x310));
	CU_ASSERT_TRUE(w->weak);
	CU_ASSERT_STRING_EQUAL_OR_NULL(w->weak_reason,
				       "CALLID baadf00d is a fill pattern, not a call id");
	CU_ASSERT_EQUAL(analysis_count_definite(a), 0);
	for (size_t i = 0; i < a->cycles.count; i++) {
		const struct cycle *c = a->cycles.items[i];
		CU_ASSERT_FALSE(c->definite);
	}
	analysis_free(a);
}

/* The "identifying the caller" variant names the column THRDCELL; the
 * caller is known only by the process object getdbgcell prints. */
static void call_table_with_thrdcell_and_connection_cell(void)
{
	struct snapshot *s = scan(
		"0:001> |\n"                                                                           /* 1 */
		"  0     id: 5c8 name: quotesvr.exe\n"                                                 /* 2 */
		"\n"
		"0:001> !rpcexts.getcallinfo 0 0 FFFF 5c8\n"                                           /* 4 */
		"Searching for call info ...\n"
		"PID  CELL ID   ST PNO IFSTART  THRDCELL  CALLFLAG CALLID   LASTTIME CONN/CLN\n"
		"----------------------------------------------------------------------------\n"
		"05c8 0000.0004 02 001 7c3a2e10 0000.0002 00000001 00000002 00b1a2c3 0000.0003\n"       /* 8 */
		"\n"
		"0:001> !rpcexts.getdbgcell 5c8 0.3\n"                                                 /* 10 */
		"Getting cell info ...\n"
		"Connection\n"                                                                         /* 12 */
		"Connection flags: Exclusive\n"
		"Authentication Level: Default\n"
		"Authentication Service: None\n"
		"Last Transmit Fragment Size: 24 (0x6F56D)\n"
		"Endpoint for the connection: 0x0.1\n"
		"Last send time (in seconds since boot):11604.250 (0x2D54.FA)\n"
		"Last receive time (in seconds since boot):11604.251 (0x2D54.FB)\n"
		"Getting endpoint info ...\n"
		"Process object for caller is 0xFE3A1D68\n");                                          /* 21 */
	struct process *server = process_with_pid(s, 0x5c8);
	CU_ASSERT_STRING_EQUAL_OR_NULL(server->image, "quotesvr.exe");
	CU_ASSERT_TRUE(server->debuggee);
	const struct rpc_server_call *call = server_call_at(s, 0);
	CU_ASSERT_KNOWN_EQUAL(call->pid, 0x5c8);
	CU_ASSERT_KNOWN_EQUAL(call->thread_cell, 0x2);
	CU_ASSERT_KNOWN_EQUAL(call->connection_cell, 0x3);
	CU_ASSERT_KNOWN_EQUAL(call->status, 2);
	CU_ASSERT_KNOWN_EQUAL(call->call_id, 2);
	CU_ASSERT_EQUAL_FATAL(s->rpc_connections.count, 1);
	const struct rpc_connection *c = connection_at(s, 0);
	CU_ASSERT_KNOWN_EQUAL(c->pid, 0x5c8);
	CU_ASSERT_KNOWN_EQUAL(c->cell, 0x3);
	CU_ASSERT_STRING_EQUAL_OR_NULL(c->flags, "Exclusive");
	CU_ASSERT_STRING_EQUAL_OR_NULL(c->authentication_level, "Default");
	CU_ASSERT_STRING_EQUAL_OR_NULL(c->authentication_service, "None");
	CU_ASSERT_KNOWN_EQUAL(c->endpoint_cell, 0x1);
	CU_ASSERT_KNOWN_EQUAL(c->last_send_time, 11604250);
	CU_ASSERT_KNOWN_EQUAL(c->last_receive_time, 11604251);
	CU_ASSERT_KNOWN_EQUAL(c->caller_process, 0xfe3a1d68);
	CU_ASSERT_EQUAL(c->origin.at, 12);
	struct process *caller = process_at_address(s, 0xfe3a1d68);
	CU_ASSERT_FALSE(caller->pid.known);
	CU_ASSERT_EQUAL(caller->origin.at[0].at, 21);
	CU_ASSERT_EQUAL(s->threads.count, 0);

	struct analysis *a = analyze(s);
	CU_ASSERT_EQUAL_FATAL(a->waits.count, 1);
	const struct wait *w = a->waits.items[0];
	CU_ASSERT_EQUAL(w->via, VIA_RPC);
	CU_ASSERT_PTR_NULL(w->client);
	CU_ASSERT_PTR_EQUAL(w->client_process, caller);
	CU_ASSERT_PTR_EQUAL(w->server_process, server);
	CU_ASSERT_FALSE(w->weak);
	analysis_free(a);
}

static void client_call_table(void)
{
	struct snapshot *s = scan(
		"0:002> !rpcexts.getclientcallinfo\n"
		"Searching for call info ...\n"
		"   PID  CELL ID   PNO  IFSTART  TIDNUMBER CALLID   LASTTIME PS CLTNUMBER ENDPOINT\n"
		"------------------------------------------------------------------------------\n"
		"0388 0000.0001 0003 5a7b91f9 0000.0000 00000007 0004ca9b 07 0000.0002 4710\n"        /* 5 */
		"0388 0000.0004 0001 0b0a6584 0000.0001 00000011 0004cb10 0c 0000.0006 LedgerLrpc\n");
	CU_ASSERT_EQUAL_FATAL(s->rpc_client_calls.count, 2);
	const struct rpc_client_call *c = client_call_at(s, 0);
	CU_ASSERT_KNOWN_EQUAL(c->pid, 0x388);
	CU_ASSERT_KNOWN_EQUAL(c->cell, 0x1);
	CU_ASSERT_KNOWN_EQUAL(c->procedure, 3);
	CU_ASSERT_KNOWN_EQUAL(c->interface_start, 0x5a7b91f9);
	CU_ASSERT_KNOWN_EQUAL(c->thread_cell, 0);
	CU_ASSERT_KNOWN_EQUAL(c->call_id, 7);
	CU_ASSERT_KNOWN_EQUAL(c->last_time, 0x4ca9b);
	CU_ASSERT_KNOWN_EQUAL(c->protocol_id, 7);
	CU_ASSERT_KNOWN_EQUAL(c->client_cell, 0x2);
	CU_ASSERT_STRING_EQUAL_OR_NULL(c->endpoint, "4710");
	CU_ASSERT_PTR_NULL(c->protocol);
	CU_ASSERT_FALSE(c->debugger_thread.known);
	CU_ASSERT_EQUAL(c->origin.at, 5);
	c = client_call_at(s, 1);
	CU_ASSERT_KNOWN_EQUAL(c->cell, 0x4);
	CU_ASSERT_KNOWN_EQUAL(c->protocol_id, 0xc);
	CU_ASSERT_KNOWN_EQUAL(c->thread_cell, 0x1);
	CU_ASSERT_STRING_EQUAL_OR_NULL(c->endpoint, "LedgerLrpc");
	/* The calling thread's TID is not in the table. */
	CU_ASSERT_EQUAL(s->threads.count, 0);
	CU_ASSERT_EQUAL(s->processes.count, 1);
}

/* The four tables in the three shapes the MS docs pages give them: as
 * printed, with the header turned into a "## " heading, and indented by
 * four spaces.  Every shape reads the same. */
static const char *const four_tables[] = {
	"0:002> !rpcexts.getendpointinfo",
	"Searching for endpoint info ...",
	"#PID  CELL ID   ST PROTSEQ        ENDPOINT",
	"-------------------------------------------------------------",
	"0210 0000.0001 01            TCP 4710",
	"0:002> !rpcexts.getthreadinfo 210",
	"Searching for thread info ...",
	"#PID  CELL ID   ST TID      LASTTIME",
	"-----------------------------------",
	"0210 0000.0002 01 000004c8 0004caa5",
	"0:002> !rpcexts.getcallinfo",
	"Searching for call info ...",
	"#PID  CELL ID   ST PNO IFSTART  TIDNUMBER CALLFLAG CALLID   LASTTIME CONN/CLN",
	"----------------------------------------------------------------------------",
	"0210 0000.0004 02 003 5a7b91f9 0000.0002 00000001 00000007 0004caa5 0000.0003",
	"0:002> !rpcexts.getclientcallinfo",
	"Searching for call info ...",
	"#PID  CELL ID   PNO  IFSTART  TIDNUMBER CALLID   LASTTIME PS CLTNUMBER ENDPOINT",
	"------------------------------------------------------------------------------",
	"0388 0000.0001 0003 5a7b91f9 0000.0000 00000007 0004ca9b 07 0000.0002 4710",
};

enum table_shape { SHAPE_PRINTED, SHAPE_HEADING, SHAPE_INDENTED };

static char *tables_in_shape(enum table_shape shape)
{
	size_t size = 1;
	for (size_t i = 0; i < sizeof four_tables / sizeof *four_tables; i++)
		size += strlen(four_tables[i]) + 8;
	char *text = malloc(size);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	char *at = text;
	for (size_t i = 0; i < sizeof four_tables / sizeof *four_tables; i++) {
		const char *line = four_tables[i];
		const char *indent = shape == SHAPE_INDENTED ? "    " : "";
		if (line[0] == '#')
			at += sprintf(at, "%s%s%s\n", indent, shape == SHAPE_HEADING ? "## " : "   ", line + 1);
		else
			at += sprintf(at, "%s%s\n", indent, line);
	}
	return text;
}

static void every_table_in_every_shape(void)
{
	for (enum table_shape shape = SHAPE_PRINTED; shape <= SHAPE_INDENTED; shape++) {
		char *text = tables_in_shape(shape);
		struct snapshot *s = scan(text);
		free(text);
		CU_ASSERT_EQUAL_FATAL(s->rpc_endpoints.count, 1);
		CU_ASSERT_STRING_EQUAL_OR_NULL(endpoint_at(s, 0)->name, "4710");
		CU_ASSERT_STRING_EQUAL_OR_NULL(endpoint_at(s, 0)->protocol, "TCP");
		CU_ASSERT_EQUAL(endpoint_at(s, 0)->origin.at, 5);
		CU_ASSERT_EQUAL_FATAL(s->rpc_threads.count, 1);
		CU_ASSERT_KNOWN_EQUAL(rpc_thread_at(s, 0)->tid, 0x4c8);
		CU_ASSERT_EQUAL(rpc_thread_at(s, 0)->origin.at, 10);
		CU_ASSERT_EQUAL_FATAL(s->rpc_server_calls.count, 1);
		const struct rpc_server_call *call = server_call_at(s, 0);
		CU_ASSERT_KNOWN_EQUAL(call->thread_cell, 0x2);
		CU_ASSERT_KNOWN_EQUAL(call->connection_cell, 0x3);
		CU_ASSERT_KNOWN_EQUAL(call->call_id, 7);
		CU_ASSERT_EQUAL(call->origin.at, 15);
		CU_ASSERT_EQUAL_FATAL(s->rpc_client_calls.count, 1);
		const struct rpc_client_call *client = client_call_at(s, 0);
		CU_ASSERT_KNOWN_EQUAL(client->client_cell, 0x2);
		CU_ASSERT_STRING_EQUAL_OR_NULL(client->endpoint, "4710");
		CU_ASSERT_EQUAL(client->origin.at, 20);
		CU_ASSERT_EQUAL(s->diagnostics.count, 0);
		struct analysis *a = analyze(s);
		CU_ASSERT_EQUAL_FATAL(a->waits.count, 1);
		const struct wait *w = a->waits.items[0];
		CU_ASSERT_PTR_EQUAL(w->client_process, process_with_pid(s, 0x388));
		CU_ASSERT_PTR_EQUAL(w->server_thread, thread_with_cid(s, 0x210, 0x4c8));
		CU_ASSERT_FALSE(w->weak);
		analysis_free(a);
	}
}

/* ---- getdbgcell ------------------------------------------------------- */

static void call_cell_names_its_caller(void)
{
	struct snapshot *s = scan(
		"0:002> !rpcexts.getdbgcell b4 0.19\n"                                      /* 1 */
		"Getting cell info ...\n"
		"Call\n"                                                                    /* 3 */
		"Status: Active\n"
		"Procedure Number: 11\n"
		"Interface UUID start (first DWORD only): 82273FDC\n"
		"Call ID: 0x0 (0)\n"
		"Servicing thread identifier: 0x0.3E\n"
		"Call Flags: cached, LRPC\n"
		"Last update time (in seconds since boot):1453.459 (0x5AD.1CB)\n"
		"Caller (PID/TID) is: 310.414 (784.1044)\n");                               /* 11 */
	CU_ASSERT_EQUAL_FATAL(s->rpc_server_calls.count, 1);
	const struct rpc_server_call *c = server_call_at(s, 0);
	CU_ASSERT_KNOWN_EQUAL(c->pid, 0xb4);
	CU_ASSERT_KNOWN_EQUAL(c->cell, 0x19);
	CU_ASSERT_KNOWN_EQUAL(c->status, 1);
	CU_ASSERT_KNOWN_EQUAL(c->procedure, 11); /* decimal here: row PNO 00b */
	CU_ASSERT_KNOWN_EQUAL(c->interface_start, 0x82273fdc);
	CU_ASSERT_KNOWN_EQUAL(c->call_id, 0);
	CU_ASSERT_KNOWN_EQUAL(c->thread_cell, 0x3e);
	CU_ASSERT_STRING_EQUAL_OR_NULL(c->call_flag_names, "cached, LRPC");
	CU_ASSERT_FALSE(c->call_flags.known);
	CU_ASSERT_KNOWN_EQUAL(c->last_time, 1453459);
	CU_ASSERT_EQUAL(c->party, RPC_PARTY_CALLER);
	CU_ASSERT_KNOWN_EQUAL(c->caller_pid, 0x310);
	CU_ASSERT_KNOWN_EQUAL(c->caller_tid, 0x414);
	CU_ASSERT_EQUAL(c->origin.at, 3);
	struct thread *caller = thread_with_cid(s, 0x310, 0x414);
	CU_ASSERT_EQUAL(caller->origin.at[0].at, 11);
	process_with_pid(s, 0xb4);
	process_with_pid(s, 0x310);
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);

	struct analysis *a = analyze(s);
	CU_ASSERT_EQUAL_FATAL(a->waits.count, 1);
	const struct wait *w = a->waits.items[0];
	CU_ASSERT_PTR_EQUAL(w->client, caller);
	CU_ASSERT_PTR_EQUAL(w->server_process, process_with_pid(s, 0xb4));
	CU_ASSERT_TRUE(w->weak);
	analysis_free(a);
}

static void thread_and_endpoint_cells(void)
{
	struct snapshot *s = scan(
		"0:001> !rpcexts.getdbgcell 210 0.2\n"
		"Getting cell info ...\n"
		"Thread\n"                                                                   /* 3 */
		"Status: Dispatched\n"
		"Thread ID: 0x4C8 (1224)\n"
		"Last update time (in seconds since boot):470.25 (0x1D6.19)\n"
		"\n"
		"0:001> !rpcexts.getdbgcell 210 0.5\n"
		"Getting cell info ...\n"
		"Thread\n"
		"Status: Idle\n"
		"Thread ID: 0x614 (1556)\n"
		"0:001> !rpcexts.getdbgcell 210 0.1\n"                                       /* 13 */
		"Getting cell info ...\n"
		"Endpoint\n"                                                                 /* 15 */
		"Status: Active\n"
		"Protocol Sequence: TCP\n"
		"Endpoint name: 4710\n");
	CU_ASSERT_EQUAL_FATAL(s->rpc_threads.count, 2);
	const struct rpc_thread *t = rpc_thread_at(s, 0);
	CU_ASSERT_KNOWN_EQUAL(t->pid, 0x210);
	CU_ASSERT_KNOWN_EQUAL(t->cell, 0x2);
	CU_ASSERT_KNOWN_EQUAL(t->status, 1);
	CU_ASSERT_KNOWN_EQUAL(t->tid, 0x4c8);
	CU_ASSERT_KNOWN_EQUAL(t->last_time, 470025);
	CU_ASSERT_EQUAL(t->origin.at, 3);
	t = rpc_thread_at(s, 1);
	CU_ASSERT_KNOWN_EQUAL(t->cell, 0x5);
	CU_ASSERT_KNOWN_EQUAL(t->status, 3);
	CU_ASSERT_KNOWN_EQUAL(t->tid, 0x614);
	CU_ASSERT_FALSE(t->last_time.known);
	thread_with_cid(s, 0x210, 0x4c8);
	thread_with_cid(s, 0x210, 0x614);
	CU_ASSERT_EQUAL_FATAL(s->rpc_endpoints.count, 1);
	const struct rpc_endpoint *e = endpoint_at(s, 0);
	CU_ASSERT_KNOWN_EQUAL(e->pid, 0x210);
	CU_ASSERT_KNOWN_EQUAL(e->cell, 0x1);
	CU_ASSERT_KNOWN_EQUAL(e->status, 1);
	CU_ASSERT_STRING_EQUAL_OR_NULL(e->protocol, "TCP");
	CU_ASSERT_STRING_EQUAL_OR_NULL(e->name, "4710");
	CU_ASSERT_EQUAL(e->origin.at, 15);
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);
}

/* ---- a client call followed to its servicing thread -------------------- */

/* The stuck-call walk of the MS docs: the client's stack, rpcreadstack,
 * the endpoint, the server call, and its thread cell. */
static const char stuck_call[] =
	"0:001> ~1k\n"                                                                           /* 1 */
	"ChildEBP RetAddr\n"
	"0071fb20 77e9e8eb ntdll!ZwWaitForSingleObject+0xb\n"
	"0071fc68 4ef98d5a RPCRT4!OSF_CCONNECTION__TransSendReceive+0xcb\n"
	"0071fe08 01002850 RPCRT4!NdrSendReceive+0x4f\n"
	"0071ff40 01001f32 quoteclt+0x2850\n"
	"\n"
	"0:001> !rpcexts.rpcreadstack 71fb20\n"                                                  /* 8 */
	"    CallID: 7\n"                                                                        /* 9 */
	"    IfStart: 5a7b91f9\n"
	"    ProcNum: 3\n"
	"            Protocol Sequence:      \"ncacn_ip_tcp\"  (Address: 00732ED8)\n"
	"            NetworkAddress: \"\"      (Address: 00732F38)\n"
	"            Endpoint:       \"4710\"  (Address: 00733988)\n"
	"\n"
	"    0:001> !rpcexts.getendpointinfo 4710\n"
	"    Searching for endpoint info ...\n"
	"    PID  CELL ID   ST PROTSEQ        ENDPOINT\n"
	"    --------------------------------------------\n"
	"    0210 0000.0001 01            TCP 4710\n"
	"\n"
	"    0:001> !rpcexts.getcallinfo 7 5a7b91f9 3 210\n"
	"    Searching for call info ...\n"
	"    PID  CELL ID   ST PNO IFSTART  TIDNUMBER CALLFLAG CALLID   LASTTIME CONN/CLN\n"
	"    ----------------------------------------------------------------------------\n"
	"    0210 0000.0004 02 003 5a7b91f9 0000.0002 00000001 00000007 00072c09 0000.0003\n"   /* 26 */
	"\n"
	"    0:001> !rpcexts.getdbgcell 210 0.2\n"
	"    Getting cell info ...\n"
	"    Thread\n"
	"    Status: Dispatched\n"
	"    Thread ID: 0x4C8 (1224)\n"                                                        /* 32 */
	"    Last update time (in seconds since boot):470.25 (0x1D6.19)\n"
	"\n"
	"    0:001> !rpcexts.rpctime\n"
	"    Current time is: 6003, 422\n";                                                    /* 36 */

static void readstack_call_joined_to_servicing_thread(void)
{
	struct snapshot *s = scan(stuck_call);
	CU_ASSERT_EQUAL_FATAL(s->rpc_client_calls.count, 1);
	const struct rpc_client_call *c = client_call_at(s, 0);
	CU_ASSERT_KNOWN_EQUAL(c->call_id, 7);
	CU_ASSERT_KNOWN_EQUAL(c->interface_start, 0x5a7b91f9);
	CU_ASSERT_KNOWN_EQUAL(c->procedure, 3);
	CU_ASSERT_STRING_EQUAL_OR_NULL(c->protocol, "ncacn_ip_tcp");
	CU_ASSERT_STRING_EQUAL_OR_NULL(c->network_address, "");
	CU_ASSERT_STRING_EQUAL_OR_NULL(c->endpoint, "4710");
	CU_ASSERT_KNOWN_EQUAL(c->debugger_thread, 1);
	CU_ASSERT_FALSE(c->pid.known);
	CU_ASSERT_EQUAL(c->origin.at, 9);
	struct thread *client = u64_map_get(&s->thread_by_debugger_index, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(client);
	CU_ASSERT_EQUAL(client->frame_count, 4);
	CU_ASSERT_STRING_EQUAL(frame(client, 3), "quoteclt");
	CU_ASSERT_KNOWN_EQUAL(s->system.rpc_time_ms, 6003422);
	CU_ASSERT_EQUAL(server_call_at(s, 0)->origin.at, 26);
	struct thread *worker = thread_with_cid(s, 0x210, 0x4c8);
	CU_ASSERT_EQUAL(worker->origin.at[0].at, 32);
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);

	struct analysis *a = analyze(s);
	CU_ASSERT_EQUAL_FATAL(a->waits.count, 1);
	const struct wait *w = a->waits.items[0];
	CU_ASSERT_EQUAL(w->via, VIA_RPC);
	CU_ASSERT_PTR_EQUAL(w->client, client);
	CU_ASSERT_PTR_EQUAL(w->server_thread, worker);
	CU_ASSERT_PTR_EQUAL(w->server_process, process_with_pid(s, 0x210));
	CU_ASSERT_PTR_EQUAL(w->rpc_server_call, server_call_at(s, 0));
	CU_ASSERT_PTR_EQUAL(w->rpc_client_call, c);
	CU_ASSERT_PTR_EQUAL(w->rpc_endpoint, endpoint_at(s, 0));
	CU_ASSERT_FALSE(w->weak);
	analysis_free(a);
}

/* ---- DbgRpc --------------------------------------------------------------- */

/* -a, -e, -c and -t: the same tables as the extension, at a shell prompt;
 * the client call joins the server call through the endpoint. */
static void dbgrpc_tables_join_a_client_to_a_server_thread(void)
{
	struct snapshot *s = scan(
		"D:\\tools>dbgrpc -a\n"
		"Searching for call info ...\n"
		"PID  CELL ID   PNO  IFSTART  TIDNUMBER CALLID   LASTTIME PS CLTNUMBER ENDPOINT\n"
		"------------------------------------------------------------------------------\n"
		"0388 0000.0001 0003 5a7b91f9 0000.0000 00000007 0004ca9b 07 0000.0002 4710\n"
		"\n"
		"D:\\tools>dbgrpc -e\n"
		"Searching for endpoint info ...\n"
		"PID  CELL ID   ST PROTSEQ        ENDPOINT\n"
		"--------------------------------------------\n"
		"00b4 0000.0001 01            TCP 4711\n"
		"0210 0000.0001 01            TCP 4710\n"
		"\n"
		"D:\\tools>dbgrpc -c\n"
		"Searching for call info ...\n"
		"PID  CELL ID   ST PNO IFSTART  TIDNUMBER CALLFLAG CALLID   LASTTIME CONN/CLN\n"
		"----------------------------------------------------------------------------\n"
		"00b4 0000.0004 02 003 5a7b91f9 0000.0002 00000001 00000007 0004caa5 0000.0003\n"
		"0210 0000.0004 02 003 5a7b91f9 0000.0002 00000001 00000007 0004caa5 0000.0003\n"
		"\n"
		"D:\\tools>dbgrpc -t -P 210\n"
		"Searching for thread info ...\n"
		"PID  CELL ID   ST TID      LASTTIME\n"
		"-----------------------------------\n"
		"0210 0000.0002 01 000004c8 0004caa5\n");
	CU_ASSERT_STRING_EQUAL_OR_NULL(s->system.debugger, "dbgrpc");
	CU_ASSERT_FALSE(s->system.kernel_mode);
	CU_ASSERT_PTR_NULL(s->system.machine);
	CU_ASSERT_EQUAL(s->rpc_client_calls.count, 1);
	CU_ASSERT_EQUAL(s->rpc_endpoints.count, 2);
	CU_ASSERT_EQUAL(s->rpc_server_calls.count, 2);
	CU_ASSERT_EQUAL(s->rpc_threads.count, 1);
	struct analysis *a = analyze(s);
	CU_ASSERT_EQUAL_FATAL(a->waits.count, 1);
	const struct wait *w = a->waits.items[0];
	CU_ASSERT_EQUAL(w->via, VIA_RPC);
	CU_ASSERT_PTR_NULL(w->client);
	CU_ASSERT_PTR_EQUAL(w->client_process, process_with_pid(s, 0x388));
	CU_ASSERT_PTR_EQUAL(w->server_process, process_with_pid(s, 0x210));
	CU_ASSERT_PTR_EQUAL(w->server_thread, thread_with_cid(s, 0x210, 0x4c8));
	CU_ASSERT_PTR_EQUAL(w->rpc_server_call, server_call_at(s, 1));
	CU_ASSERT_FALSE(w->weak);
	analysis_free(a);
}

/* -l with -P and -L: the cell's pid and id come from the command line. */
static void dbgrpc_cell_from_command_line(void)
{
	struct snapshot *s = scan(
		"D:\\tools>dbgrpc -l -P 210 -L 0.2\n"
		"Getting cell info ...\n"
		"Thread\n"
		"Status: Dispatched\n"
		"Thread ID: 0x4C8 (1224)\n"
		"Last update time (in seconds since boot):470.25 (0x1D6.19)\n");
	CU_ASSERT_EQUAL_FATAL(s->rpc_threads.count, 1);
	const struct rpc_thread *t = rpc_thread_at(s, 0);
	CU_ASSERT_KNOWN_EQUAL(t->pid, 0x210);
	CU_ASSERT_KNOWN_EQUAL(t->cell, 0x2);
	CU_ASSERT_KNOWN_EQUAL(t->tid, 0x4c8);
	CU_ASSERT_KNOWN_EQUAL(t->status, 1);
	CU_ASSERT_EQUAL(t->origin.at, 3);
	thread_with_cid(s, 0x210, 0x4c8);
}

/* "-r 10" (first on the line) makes -P and -L decimal. */
static void dbgrpc_radix_applies_to_pid_and_cell(void)
{
	struct snapshot *s = scan(
		"D:\\tools>dbgrpc -r 10 -l -P 528 -L 0.12\n"
		"Getting cell info ...\n"
		"Thread\n"
		"Status: Dispatched\n"
		"Thread ID: 0x4C8 (1224)\n");
	const struct rpc_thread *t = rpc_thread_at(s, 0);
	CU_ASSERT_KNOWN_EQUAL(t->pid, 528);
	CU_ASSERT_KNOWN_EQUAL(t->cell, 12);
	thread_with_cid(s, 528, 0x4c8);
}

/* The default Debugging Tools folder has blanks in its path. */
static void dbgrpc_at_a_prompt_with_blanks(void)
{
	struct snapshot *s = scan(
		"C:\\Program Files\\Debugging Tools for Windows (x86)>dbgrpc -t -P 210\n"
		"Searching for thread info ...\n"
		"PID  CELL ID   ST TID      LASTTIME\n"
		"-----------------------------------\n"
		"0210 0000.0002 01 000004c8 0004caa5\n");
	CU_ASSERT_STRING_EQUAL_OR_NULL(s->system.debugger, "dbgrpc");
	CU_ASSERT_EQUAL(s->rpc_threads.count, 1);
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);
	/* The program run by its path. */
	s = scan(
		"D:\\>C:\\Debuggers\\DbgRpc.exe -t -P 210\n"
		"Searching for thread info ...\n"
		"PID  CELL ID   ST TID      LASTTIME\n"
		"-----------------------------------\n"
		"0210 0000.0002 01 000004c8 0004caa5\n");
	CU_ASSERT_EQUAL(s->rpc_threads.count, 1);
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);
}

/* -s asks a remote server: its cells are another machine's and make their
 * own capture; asking the local machine again makes a third. */
static void dbgrpc_remote_server_is_its_own_capture(void)
{
	size_t count = scan_all(
		"D:\\tools>dbgrpc -e\n"                                                   /* 1 */
		"Searching for endpoint info ...\n"
		"PID  CELL ID   ST PROTSEQ        ENDPOINT\n"
		"----------------------------------------\n"
		"0210 0000.0001 01            TCP 4710\n"                                  /* 5 */
		"D:\\tools>dbgrpc -s LEDGERSRV -p ncacn_ip_tcp -l -P 1e8 -L 0.1\n"       /* 6 */
		"Getting remote cell info ...\n"
		"Endpoint\n"                                                               /* 8 */
		"Status: Active\n"
		"Protocol Sequence: LRPC\n"
		"Endpoint name: OLEA7\n"                                                   /* 11 */
		"D:\\tools>dbgrpc -t -P 210\n"                                           /* 12 */
		"Searching for thread info ...\n"
		"PID  CELL ID   ST TID      LASTTIME\n"
		"-----------------------------------\n"
		"0210 0000.0002 01 000004c8 0004caa5\n");                                  /* 16 */
	CU_ASSERT_EQUAL_FATAL(count, 3);
	struct snapshot *local = capture(0), *remote = capture(1), *again = capture(2);
	CU_ASSERT_EQUAL(local->rpc_endpoints.count, 1);
	CU_ASSERT_PTR_NULL(local->system.machine);
	CU_ASSERT_EQUAL(local->first_line, 1);
	CU_ASSERT_EQUAL(local->last_line, 5);
	CU_ASSERT_EQUAL(local->capture_index, 1);
	CU_ASSERT_EQUAL(local->capture_count, 3);

	CU_ASSERT_STRING_EQUAL_OR_NULL(remote->system.machine, "LEDGERSRV");
	CU_ASSERT_EQUAL(remote->first_line, 6);
	CU_ASSERT_EQUAL(remote->last_line, 11);
	CU_ASSERT_EQUAL(remote->capture_index, 2);
	CU_ASSERT_EQUAL_FATAL(remote->rpc_endpoints.count, 1);
	const struct rpc_endpoint *e = endpoint_at(remote, 0);
	CU_ASSERT_KNOWN_EQUAL(e->pid, 0x1e8);
	CU_ASSERT_KNOWN_EQUAL(e->cell, 0x1);
	CU_ASSERT_KNOWN_EQUAL(e->status, 1);
	CU_ASSERT_STRING_EQUAL_OR_NULL(e->protocol, "LRPC");
	CU_ASSERT_STRING_EQUAL_OR_NULL(e->name, "OLEA7");
	CU_ASSERT_EQUAL(e->origin.at, 8);
	/* Nothing of the local machine crossed over. */
	CU_ASSERT_PTR_NULL(snapshot_find_process_by_pid(remote, 0x210));
	CU_ASSERT_EQUAL(remote->processes.count, 1);
	CU_ASSERT_EQUAL(diagnostics_reading(remote, DIAGNOSTIC_NOTE,
					    "t.txt:6: a new capture starts here: DbgRpc asks another machine"),
			1);

	CU_ASSERT_PTR_NULL(again->system.machine);
	CU_ASSERT_EQUAL(again->first_line, 12);
	CU_ASSERT_EQUAL(again->last_line, 16);
	CU_ASSERT_EQUAL(again->rpc_threads.count, 1);
	CU_ASSERT_EQUAL(again->rpc_endpoints.count, 0);
	CU_ASSERT_PTR_NULL(snapshot_find_process_by_pid(again, 0x1e8));
}

/* ---- rpctime ----------------------------------------------------------- */

static void rpctime_in_both_formats(void)
{
	struct snapshot *s = scan(
		"0:001> !rpcexts.rpctime\n"
		"Current time is: 6003, 422\n");
	CU_ASSERT_KNOWN_EQUAL(s->system.rpc_time_ms, 6003422);
	s = scan(
		"0:001> !rpcexts.rpctime\n"
		"Current time is: 059931.126  (0x00ea1b.07e)\n");
	CU_ASSERT_KNOWN_EQUAL(s->system.rpc_time_ms, 59931126);
	CU_ASSERT_EQUAL(s->status, STATUS_OK);
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);
}

int main(void)
{
	static const struct test_case tables[] = {
		{ "endpoint table", endpoint_table },
		{ "endpoint table with heading marks and indent", endpoint_table_with_heading_marks_and_indent },
		{ "thread table", thread_table },
		{ "server call table", server_call_table },
		{ "call table waits", call_table_waits },
		{ "call table with THRDCELL and connection cell", call_table_with_thrdcell_and_connection_cell },
		{ "client call table", client_call_table },
		{ "every table in every shape", every_table_in_every_shape },
		{ NULL, NULL },
	};
	static const struct test_case cells[] = {
		{ "call cell names its caller", call_cell_names_its_caller },
		{ "thread and endpoint cells", thread_and_endpoint_cells },
		{ "rpcreadstack call joined to servicing thread", readstack_call_joined_to_servicing_thread },
		{ "rpctime in both formats", rpctime_in_both_formats },
		{ NULL, NULL },
	};
	static const struct test_case dbgrpc[] = {
		{ "tables join a client to a server thread", dbgrpc_tables_join_a_client_to_a_server_thread },
		{ "cell from the command line", dbgrpc_cell_from_command_line },
		{ "radix applies to pid and cell", dbgrpc_radix_applies_to_pid_and_cell },
		{ "prompt with blanks", dbgrpc_at_a_prompt_with_blanks },
		{ "remote server is its own capture", dbgrpc_remote_server_is_its_own_capture },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = {
		{ "transcript: rpcexts tables", tables },
		{ "transcript: rpcexts cells", cells },
		{ "transcript: DbgRpc", dbgrpc },
	};
	int status = run_suites("test_transcript_rpc", suites, sizeof suites / sizeof *suites);
	scanned_release();
	return status;
}
