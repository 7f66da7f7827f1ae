/* End to end over ../shared/corpus/transcripts: every file through the
 * scanner and the correlator, checked against the answers its INDEX.md
 * lists — the right edges, and the traps not over-claimed.  Skips (77)
 * when ../shared is not there. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/harness.h"
#include "../../src/correlate/correlate.h"
#include "../../src/transcript/transcript.h"

static char corpus[4096];

static struct analysis *load(const char *name)
{
	char path[8192];
	snprintf(path, sizeof path, "%s/%s", corpus, name);
	struct ptr_vec captures = { 0 };
	struct transcript_options options = { 0 };
	transcript_read_file(path, &options, &captures);
	CU_ASSERT_EQUAL_FATAL(captures.count, 1);
	struct analysis *analysis = analyze(captures.items[0]);
	ptr_vec_release(&captures);
	CU_ASSERT_EQUAL(analysis->snapshot->status, STATUS_OK);
	return analysis;
}

static void done(struct analysis *analysis)
{
	struct snapshot *snapshot = analysis->snapshot;
	analysis_free(analysis);
	snapshot_free(snapshot);
}

static const struct wait *only_wait(const struct analysis *analysis)
{
	CU_ASSERT_EQUAL_FATAL(analysis->waits.count, 1);
	return analysis->waits.items[0];
}

/* A thread-side ALPC wait: client Cid and ETHREAD, message, port, owner. */
static void check_alpc_wait(const char *file, uint64_t pid, uint64_t tid, uint64_t thread,
			    uint64_t message, uint64_t port, uint64_t owner)
{
	struct analysis *a = load(file);
	const struct wait *w = only_wait(a);
	CU_ASSERT_EQUAL(w->via, VIA_ALPC);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w->client);
	CU_ASSERT_KNOWN_EQUAL(w->client->pid, pid);
	CU_ASSERT_KNOWN_EQUAL(w->client->tid, tid);
	CU_ASSERT_KNOWN_EQUAL(w->client->address, thread);
	CU_ASSERT_STRING_EQUAL(w->client->wait_reason, "WrLpcReply");
	CU_ASSERT_PTR_NOT_NULL_FATAL(w->message);
	CU_ASSERT_KNOWN_EQUAL(w->message->address, message);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w->port);
	CU_ASSERT_KNOWN_EQUAL(w->port->address, port);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w->server_process);
	CU_ASSERT_KNOWN_EQUAL(w->server_process->address, owner);
	/* The image of the owner is not in any of these excerpts. */
	CU_ASSERT_PTR_NULL(w->server_process->image);
	CU_ASSERT_PTR_NULL(w->server_thread);
	CU_ASSERT_EQUAL(a->cycles.count, 0);
	done(a);
}

static void citrix_csrss_waits_on_alpc(void)
{
	check_alpc_wait("citrix-2012-orphan-session-csrss-alpc-wait.txt", 0x38c, 0x398,
			0xfffffa800a696700ULL, 0xfffff8a003053d00ULL, 0xfffffa800aa539e0ULL,
			0xfffffa8009d86630ULL);
}

static void part42f_wow64_process_waits(void)
{
	check_alpc_wait("dumpanalysis-2010-part42f-alpc-waitchain-processA-wow64.txt", 0x12f8, 0x1328,
			0xfffffa80110b8700ULL, 0xfffff8801c7096e0ULL, 0xfffffa8010c9d9a0ULL,
			0xfffffa80109c8c10ULL);
	struct analysis *a = load("dumpanalysis-2010-part42f-alpc-waitchain-processA-wow64.txt");
	const struct wait *w = only_wait(a);
	CU_ASSERT_KNOWN_EQUAL(w->client->wait_ticks, 62149);
	CU_ASSERT_STRING_EQUAL(w->client_process->image, "ProcessA.exe");
	CU_ASSERT_KNOWN_EQUAL(w->client_process->address, 0xfffffa80110ad510ULL);
	done(a);
}

static void missing_threads_process_waits(void)
{
	const char *file = "dumpanalysis-2009-alpc-waitchain-missing-threads-processA.txt";
	check_alpc_wait(file, 0x13c40, 0x1332c, 0xfffffa800b845bb0ULL, 0xfffff88012527770ULL,
			0xfffffa80055bca60ULL, 0xfffffa80054dfc10ULL);
	struct analysis *a = load(file);
	const struct process *p = only_wait(a)->client_process;
	CU_ASSERT_KNOWN_EQUAL(p->address, 0xfffffa800b834c10ULL);
	CU_ASSERT_KNOWN_EQUAL(p->session_id, 205);
	CU_ASSERT_KNOWN_EQUAL(p->handle_count, 58);
	CU_ASSERT_STRING_EQUAL(p->image, "ProcessA.exe");
	done(a);
}

static void blocked_queue_service_waits(void)
{
	check_alpc_wait("dumpanalysis-2010-part115a-blocked-alpc-queue-ServiceA.txt", 0x3b0, 0x2ec0,
			0xfffffa8009db7160ULL, 0xfffff8a00dbc6650ULL, 0xfffffa800577ee60ULL,
			0xfffffa80056ddb30ULL);
}

/* An LPC wait whose server the text does not show. */
static void check_lpc_wait(const char *file, uint64_t pid, uint64_t tid, uint64_t thread,
			   uint64_t id, uint64_t port, const char *mode, uint64_t irps)
{
	struct analysis *a = load(file);
	const struct wait *w = only_wait(a);
	CU_ASSERT_EQUAL(w->via, VIA_LPC);
	CU_ASSERT_KNOWN_EQUAL(w->client->pid, pid);
	CU_ASSERT_KNOWN_EQUAL(w->client->tid, tid);
	CU_ASSERT_KNOWN_EQUAL(w->client->address, thread);
	CU_ASSERT_STRING_EQUAL(w->client->wait_mode, mode);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w->message);
	CU_ASSERT_KNOWN_EQUAL(w->message->id, id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w->port);
	CU_ASSERT_KNOWN_EQUAL(w->port->address, port);
	CU_ASSERT_PTR_NULL(w->server_process);
	CU_ASSERT_PTR_NULL(w->server_thread);
	if (irps)
		CU_ASSERT_KNOWN_EQUAL(w->client->irp_count, irps);
	CU_ASSERT_EQUAL(a->cycles.count, 0);
	done(a);
}

static void lpc_wait_chain_appa(void)
{
	check_lpc_wait("dumpanalysis-2008-part42e-lpc-waitchain-AppA-process-ff.txt", 0x1f88, 0x1bd4,
		       0x8861aab8, 0x37bb2, 0xe625bbd0, "UserMode", 0);
	struct analysis *a = load("dumpanalysis-2008-part42e-lpc-waitchain-AppA-process-ff.txt");
	CU_ASSERT_STRING_EQUAL(only_wait(a)->client_process->image, "AppA.exe");
	CU_ASSERT_STRING_EQUAL(a->snapshot->system.arch, "x86");
	done(a);
}

static void lpc_kernel_mode_wait(void)
{
	check_lpc_wait("dumpanalysis-2012-comment-lpc-thread-ApplicationA-kernelmode.txt", 0x2d4, 0xe28,
		       0x894e13a8, 0x3786440d, 0xe6edd680, "KernelMode", 1);
}

static void ntdebugging_svchost_lpc_wait(void)
{
	check_lpc_wait("ntdebugging-2007-lpc-case2-svchost-ksecdd-thread.txt", 0x4b4, 0x790,
		       0xfffffade6c9f1390ULL, 0x01561d96, 0xfffffa800380cc40ULL, "KernelMode", 2);
}

/* The trap: only the prose says the mutant waiter serves the LPC message. */
static void lpc_and_mutant_stay_unconnected(void)
{
	struct analysis *a = load("dumpanalysis-2010-lpc-client-processA-server-processB-mutant.txt");
	CU_ASSERT_EQUAL_FATAL(a->waits.count, 2);
	const struct wait *lpc = a->waits.items[0], *lock = a->waits.items[1];
	CU_ASSERT_EQUAL(lpc->via, VIA_LPC);
	CU_ASSERT_KNOWN_EQUAL(lpc->client->pid, 0xb10);
	CU_ASSERT_KNOWN_EQUAL(lpc->client->tid, 0xdd8);
	CU_ASSERT_KNOWN_EQUAL(lpc->message->id, 0x7ade85);
	CU_ASSERT_KNOWN_EQUAL(lpc->port->address, 0xd676e560);
	CU_ASSERT_PTR_NULL(lpc->server_thread);
	CU_ASSERT_PTR_NULL(lpc->server_process);
	CU_ASSERT_EQUAL(lock->via, VIA_LOCK);
	CU_ASSERT_KNOWN_EQUAL(lock->client->pid, 0x1524);
	CU_ASSERT_KNOWN_EQUAL(lock->client->tid, 0x2770);
	CU_ASSERT_STRING_EQUAL(lock->lock->type, "Mutant");
	CU_ASSERT_EQUAL(lock->lock->address, 0x85e9ba00);
	CU_ASSERT_KNOWN_EQUAL(lock->server_thread->address, 0x866d63e8);
	CU_ASSERT_EQUAL(a->cycles.count, 0);
	CU_ASSERT_EQUAL(a->chains.count, 2);
	done(a);
}

/* Neither a bare stack fragment nor an event wait names an edge. */
static void rpc_over_pipe_has_no_edge(void)
{
	struct analysis *a = load("dumpanalysis-2010-part42g-rpc-over-lpc-stack-and-rpc-pipe-thread.txt");
	CU_ASSERT_EQUAL(a->waits.count, 0);
	const struct thread *t = snapshot_find_thread_by_cid(a->snapshot, 0x208, 0x220);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_KNOWN_EQUAL(t->address, 0x8a4b7320);
	CU_ASSERT_EQUAL(t->wait_object_count, 1);
	CU_ASSERT_STRING_EQUAL(t->wait_objects[0].type, "NotificationEvent");
	done(a);
}

/* A user-mode LRPC client stack: classified, but no resolvable edge. */
static void wechat_client_stack_is_a_call_without_edge(void)
{
	struct analysis *a = load("zhang-wechat-audioses-lrpc-client-stack.txt");
	CU_ASSERT_EQUAL(a->waits.count, 0);
	CU_ASSERT_EQUAL_FATAL(a->snapshot->threads.count, 1);
	struct thread *t = a->snapshot->threads.items[0];
	CU_ASSERT_KNOWN_EQUAL(t->debugger_index, 31);
	CU_ASSERT_STRING_EQUAL(t->frames[0], "ntdll!NtAlpcSendWaitReceivePort");
	CU_ASSERT_EQUAL(classify_thread(a->snapshot, t).kind, BLOCKER_WAITING_REPLY);
	done(a);
}

static struct port *port_at(struct analysis *a, uint64_t address)
{
	struct port *port = snapshot_find_port(a->snapshot, address);
	CU_ASSERT_PTR_NOT_NULL_FATAL(port);
	return port;
}

static const char *image_at(struct analysis *a, uint64_t address)
{
	struct process *process = snapshot_find_process(a->snapshot, address);
	CU_ASSERT_PTR_NOT_NULL_FATAL(process);
	return process->image ? process->image : "(null)";
}

static void bnagy_fragments(void)
{
	struct analysis *a = load("bnagy-alpcbuggery-win7x64-lkd-alpc-fragments.txt");
	struct port *client = port_at(a, 0xfffffa80321c2920ULL);
	CU_ASSERT_EQUAL(client->kind, PORT_ALPC_CLIENT_COMMUNICATION);
	CU_ASSERT_KNOWN_EQUAL(client->owner_process, 0xfffffa8031d4cb30ULL);
	CU_ASSERT_STRING_EQUAL(image_at(a, 0xfffffa8031d4cb30ULL), "iexplore.exe");
	CU_ASSERT_KNOWN_EQUAL(client->connection_port, 0xfffffa80340e1cd0ULL);
	CU_ASSERT_KNOWN_EQUAL(client->server_port, 0xfffffa8036210070ULL);
	CU_ASSERT_STRING_EQUAL(port_at(a, 0xfffffa80340e1cd0ULL)->name, "DNSResolver");
	struct port *created = port_at(a, 0xfffffa8032129590ULL);
	CU_ASSERT_STRING_EQUAL(created->name, "OLE16E02A5AAD974222920005479E7C");
	CU_ASSERT_KNOWN_EQUAL(created->owner_process, 0xfffffa80353c3060ULL);
	/* 1 connection from svchost, then the four ports it is connected to. */
	CU_ASSERT_EQUAL_FATAL(a->snapshot->connections.count, 5);
	const struct port_connection *from = a->snapshot->connections.items[0];
	CU_ASSERT_KNOWN_EQUAL(from->client_process, 0xfffffa80321ac580ULL);
	CU_ASSERT_STRING_EQUAL(image_at(a, 0xfffffa80321ac580ULL), "svchost.exe");
	static const struct {
		uint64_t port;
		const char *name;
		uint64_t server;
		const char *image;
	} connected[] = {
		{ 0xfffffa8032059e60ULL, "ApiPort", 0xfffffa8032e68b30ULL, "csrss.exe" },
		{ 0xfffffa8033c2a6b0ULL, "ThemeApiPort", 0xfffffa8032fd2b30ULL, "svchost.exe" },
		{ 0xfffffa803211a5a0ULL, "lsasspirpc", 0xfffffa80320a3440ULL, "lsass.exe" },
		{ 0xfffffa8032174cf0ULL, "ntsvcs", 0xfffffa803207fb30ULL, "services.exe" },
	};
	for (size_t i = 0; i < 4; i++) {
		const struct port_connection *c = a->snapshot->connections.items[i + 1];
		CU_ASSERT_KNOWN_EQUAL(c->client_process, 0xfffffa80353c3060ULL);
		CU_ASSERT_KNOWN_EQUAL(c->connection_port, connected[i].port);
		CU_ASSERT_KNOWN_EQUAL(c->server_process, connected[i].server);
		CU_ASSERT_STRING_EQUAL(port_at(a, connected[i].port)->name, connected[i].name);
		CU_ASSERT_STRING_EQUAL(image_at(a, connected[i].server), connected[i].image);
	}
	const struct port_connection *ntsvcs = a->snapshot->connections.items[4];
	CU_ASSERT_KNOWN_EQUAL(ntsvcs->server_queued, 19);
	CU_ASSERT_STRING_EQUAL(port_at(a, 0xfffffa80352ea740ULL)->name,
			       "\\RPC Control\\OLE8F8B8C095131496BB200263FA52C");
	CU_ASSERT_EQUAL(a->waits.count, 0);
	done(a);
}

/* ---- RPC ------------------------------------------------------------- */

static const struct rpc_server_call *server_call(struct analysis *a, uint64_t pid, uint64_t cell)
{
	for (size_t i = 0; i < a->snapshot->rpc_server_calls.count; i++) {
		const struct rpc_server_call *call = a->snapshot->rpc_server_calls.items[i];
		if (maybe_equal(call->pid, known_u64(pid)) && maybe_equal(call->cell, known_u64(cell)))
			return call;
	}
	CU_FAIL_FATAL("server call not found");
	return NULL;
}

/* 44 rows, one live: no waits and, above all, no false 2-cycles. */
static void call_table_has_no_live_lrpc_waits(void)
{
	struct analysis *a = load("msdocs-dbgrpc-c-call-table-sessionA.txt");
	CU_ASSERT_EQUAL(a->snapshot->rpc_server_calls.count, 44);
	size_t live = 0;
	for (size_t i = 0; i < a->snapshot->rpc_server_calls.count; i++) {
		const struct rpc_server_call *call = a->snapshot->rpc_server_calls.items[i];
		live += call->status.value != 0;
	}
	CU_ASSERT_EQUAL(live, 1);
	const struct rpc_server_call *call = server_call(a, 0x278, 4);
	CU_ASSERT_KNOWN_EQUAL(call->status, 2);
	CU_ASSERT_KNOWN_EQUAL(call->interface_start, 0x19bb5061);
	CU_ASSERT_KNOWN_EQUAL(call->procedure, 0);
	CU_ASSERT_KNOWN_EQUAL(call->call_flags, 1);
	CU_ASSERT_KNOWN_EQUAL(call->call_id, 1);
	CU_ASSERT_KNOWN_EQUAL(call->thread_cell, 2);
	CU_ASSERT_KNOWN_EQUAL(call->connection_cell, 3);
	CU_ASSERT_EQUAL(call->party, RPC_PARTY_CONNECTION);
	const struct rpc_server_call *stale = server_call(a, 0x170, 9);
	CU_ASSERT_KNOWN_EQUAL(stale->caller_pid, 0xec);
	CU_ASSERT_KNOWN_EQUAL(stale->caller_tid, 0x31c);
	CU_ASSERT_EQUAL(a->waits.count, 0);
	CU_ASSERT_EQUAL(a->cycles.count, 0);
	done(a);
}

static const char *endpoint_pid(struct analysis *a, const char *protocol, const char *name,
				uint64_t *pid)
{
	for (size_t i = 0; i < a->snapshot->rpc_endpoints.count; i++) {
		const struct rpc_endpoint *e = a->snapshot->rpc_endpoints.items[i];
		if (e->protocol && e->name && strcmp(e->protocol, protocol) == 0 &&
		    strcmp(e->name, name) == 0) {
			*pid = e->pid.value;
			return e->name;
		}
	}
	return NULL;
}

static void endpoint_table_maps_endpoints_to_pids(void)
{
	struct analysis *a = load("msdocs-dbgrpc-e-endpoints-sessionA.txt");
	CU_ASSERT_EQUAL(a->snapshot->rpc_endpoints.count, 36);
	static const struct {
		const char *protocol, *name;
		uint64_t pid;
	} expected[] = {
		{ "TCP", "1120", 0x278 },      { "LRPC", "epmapper", 0x170 }, { "TCP", "135", 0x170 },
		{ "LRPC", "ntsvcs", 0xc4 },    { "NMP", "\\PIPE\\lsass", 0xd0 },
		{ "LRPC", "spoolss", 0x1b8 },  { "LRPC", "OLE9", 0x370 },     { "LRPC", "OLE3", 0x2a8 },
		{ "LRPC", "LRPC0000022c.00000001", 0x22c },
	};
	for (size_t i = 0; i < sizeof expected / sizeof *expected; i++) {
		uint64_t pid = 0;
		CU_ASSERT_PTR_NOT_NULL(endpoint_pid(a, expected[i].protocol, expected[i].name, &pid));
		CU_ASSERT_EQUAL(pid, expected[i].pid);
	}
	/* No image names are printed: none is invented. */
	for (size_t i = 0; i < a->snapshot->processes.count; i++)
		CU_ASSERT_PTR_NULL(((struct process *)a->snapshot->processes.items[i])->image);
	done(a);
}

static void thread_tables(void)
{
	struct analysis *a = load("msdocs-dbgrpc-t-threads-pid278-sessionA.txt");
	CU_ASSERT_EQUAL_FATAL(a->snapshot->rpc_threads.count, 2);
	const struct rpc_thread *t0 = a->snapshot->rpc_threads.items[0], *t1 = a->snapshot->rpc_threads.items[1];
	CU_ASSERT_KNOWN_EQUAL(t0->cell, 2);
	CU_ASSERT_KNOWN_EQUAL(t0->tid, 0x1a4);
	CU_ASSERT_KNOWN_EQUAL(t0->status, 1);
	CU_ASSERT_KNOWN_EQUAL(t0->last_time, 0x72c09);
	CU_ASSERT_KNOWN_EQUAL(t1->cell, 5);
	CU_ASSERT_KNOWN_EQUAL(t1->tid, 0x31c);
	CU_ASSERT_KNOWN_EQUAL(t1->status, 3);
	done(a);
	a = load("msdocs-dbgrpc-t-threads-pidc4.txt");
	static const uint64_t tids[] = { 0x11c, 0x120, 0x18c, 0x264, 0x268, 0x26c, 0x388 };
	CU_ASSERT_EQUAL_FATAL(a->snapshot->rpc_threads.count, 7);
	for (size_t i = 0; i < 7; i++) {
		const struct rpc_thread *t = a->snapshot->rpc_threads.items[i];
		CU_ASSERT_KNOWN_EQUAL(t->pid, 0xc4);
		CU_ASSERT_KNOWN_EQUAL(t->tid, tids[i]);
		CU_ASSERT_KNOWN_EQUAL(t->status, 3);
	}
	CU_ASSERT_EQUAL(a->waits.count, 0);
	done(a);
}

static void thread_cell_of_pid_278(void)
{
	struct analysis *a = load("msdocs-dbgrpc-l-cell-pid278-sessionA.txt");
	CU_ASSERT_EQUAL_FATAL(a->snapshot->rpc_threads.count, 1);
	const struct rpc_thread *t = a->snapshot->rpc_threads.items[0];
	CU_ASSERT_KNOWN_EQUAL(t->pid, 0x278);
	CU_ASSERT_KNOWN_EQUAL(t->cell, 2);
	CU_ASSERT_KNOWN_EQUAL(t->tid, 0x1a4);
	CU_ASSERT_KNOWN_EQUAL(t->status, 1);
	CU_ASSERT_KNOWN_EQUAL(t->last_time, 470025);
	done(a);
}

static void remote_endpoint_cell(void)
{
	struct analysis *a = load("msdocs-dbgrpc-remote-endpoint-cell.txt");
	CU_ASSERT_STRING_EQUAL(a->snapshot->system.machine, "MyServer");
	CU_ASSERT_EQUAL_FATAL(a->snapshot->rpc_endpoints.count, 1);
	const struct rpc_endpoint *e = a->snapshot->rpc_endpoints.items[0];
	CU_ASSERT_KNOWN_EQUAL(e->pid, 0x1e8);
	CU_ASSERT_KNOWN_EQUAL(e->cell, 1);
	CU_ASSERT_KNOWN_EQUAL(e->status, 1);
	CU_ASSERT_STRING_EQUAL(e->protocol, "LRPC");
	CU_ASSERT_STRING_EQUAL(e->name, "OLE18");
	CU_ASSERT_EQUAL(a->waits.count, 0);
	done(a);
}

static void client_calls_of_pid_390(void)
{
	struct analysis *a = load("msdocs-dbgrpc-a-client-calls-sessionA.txt");
	CU_ASSERT_EQUAL_FATAL(a->snapshot->rpc_client_calls.count, 1);
	const struct rpc_client_call *c = a->snapshot->rpc_client_calls.items[0];
	CU_ASSERT_KNOWN_EQUAL(c->pid, 0x390);
	CU_ASSERT_KNOWN_EQUAL(c->cell, 1);
	CU_ASSERT_KNOWN_EQUAL(c->procedure, 0);
	CU_ASSERT_KNOWN_EQUAL(c->interface_start, 0x19bb5061);
	CU_ASSERT_KNOWN_EQUAL(c->call_id, 1);
	CU_ASSERT_KNOWN_EQUAL(c->protocol_id, 7);
	CU_ASSERT_KNOWN_EQUAL(c->last_time, 0x72bff);
	CU_ASSERT_KNOWN_EQUAL(c->thread_cell, 0);
	CU_ASSERT_STRING_EQUAL(c->endpoint, "1120");
	/* The endpoint table is in another capture: no wait from this alone. */
	CU_ASSERT_EQUAL(a->waits.count, 0);
	done(a);
}

static void stuck_call_reaches_thread_1a4(void)
{
	struct analysis *a = load("msdocs-rpc-stuck-call-client-to-server-sessionA.txt");
	const struct wait *w = only_wait(a);
	CU_ASSERT_EQUAL(w->via, VIA_RPC);
	CU_ASSERT_FALSE(w->weak);
	CU_ASSERT_PTR_NOT_NULL_FATAL(w->client);
	CU_ASSERT_KNOWN_EQUAL(w->client->debugger_index, 1);
	CU_ASSERT_FALSE(w->client->pid.known);
	CU_ASSERT_KNOWN_EQUAL(w->server_process->pid, 0x278);
	CU_ASSERT_KNOWN_EQUAL(w->server_thread->tid, 0x1a4);
	CU_ASSERT_STRING_EQUAL(w->rpc_endpoint->name, "1120");
	CU_ASSERT_KNOWN_EQUAL(w->rpc_client_call->call_id, 1);
	CU_ASSERT_STRING_EQUAL(w->rpc_client_call->protocol, "ncacn_ip_tcp");
	CU_ASSERT_STRING_EQUAL(w->rpc_client_call->network_address, "");
	CU_ASSERT_KNOWN_EQUAL(a->snapshot->system.rpc_time_ms, 6003422);
	CU_ASSERT_EQUAL(a->cycles.count, 0);
	done(a);
}

static void caller_known_by_process_object(void)
{
	struct analysis *a = load("msdocs-rpc-identify-caller-from-server-thread.txt");
	const struct wait *w = only_wait(a);
	CU_ASSERT_PTR_NULL(w->client);
	CU_ASSERT_KNOWN_EQUAL(w->client_process->address, 0xff9df5f0);
	CU_ASSERT_FALSE(w->client_process->pid.known);
	CU_ASSERT_KNOWN_EQUAL(w->server_process->pid, 0x3d4);
	CU_ASSERT_STRING_EQUAL(w->server_process->image, "rtsvr.exe");
	const struct rpc_server_call *call = server_call(a, 0x3d4, 4);
	CU_ASSERT_KNOWN_EQUAL(call->status, 2);
	CU_ASSERT_KNOWN_EQUAL(call->thread_cell, 2);
	CU_ASSERT_KNOWN_EQUAL(call->connection_cell, 3);
	CU_ASSERT_EQUAL_FATAL(a->snapshot->rpc_connections.count, 1);
	const struct rpc_connection *c = a->snapshot->rpc_connections.items[0];
	CU_ASSERT_STRING_EQUAL(c->flags, "Exclusive");
	CU_ASSERT_KNOWN_EQUAL(c->endpoint_cell, 1);
	done(a);
}

static void getdbgcell_lrpc_caller_is_weak(void)
{
	struct analysis *a = load("msdocs-rpcexts-getdbgcell-lrpc-caller.txt");
	const struct wait *w = only_wait(a);
	CU_ASSERT_KNOWN_EQUAL(w->client->pid, 0xd0);
	CU_ASSERT_KNOWN_EQUAL(w->client->tid, 0x1ac);
	CU_ASSERT_KNOWN_EQUAL(w->server_process->pid, 0xc4);
	CU_ASSERT_TRUE(w->weak); /* CALLID 0 */
	const struct rpc_server_call *call = server_call(a, 0xc4, 0x19);
	CU_ASSERT_KNOWN_EQUAL(call->status, 1);
	CU_ASSERT_KNOWN_EQUAL(call->procedure, 11);
	CU_ASSERT_KNOWN_EQUAL(call->interface_start, 0x82273fdc);
	CU_ASSERT_KNOWN_EQUAL(call->thread_cell, 0x3e);
	CU_ASSERT_STRING_EQUAL(call->call_flag_names, "cached, LRPC");
	CU_ASSERT_KNOWN_EQUAL(call->last_time, 1453459);
	CU_ASSERT_EQUAL(analysis_count_definite(a), 0);
	done(a);
}

/* Session A, the pages read as one machine: 0x390 -> 0x278 thread 0x1a4. */
static void session_a_joins_client_to_server_thread(void)
{
	static const char *const files[] = {
		"msdocs-rpc-stuck-call-client-to-server-sessionA.txt",
		"msdocs-dbgrpc-a-client-calls-sessionA.txt",
		"msdocs-dbgrpc-c-call-table-sessionA.txt",
		"msdocs-dbgrpc-e-endpoints-sessionA.txt",
		"msdocs-dbgrpc-t-threads-pid278-sessionA.txt",
		"msdocs-dbgrpc-l-cell-pid278-sessionA.txt",
	};
	char path[8192];
	snprintf(path, sizeof path, "%s/%s", corpus, files[0]);
	struct snapshot *s = snapshot_new(path, "transcript");
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		snprintf(path, sizeof path, "%s/%s", corpus, files[i]);
		transcript_read_into(path, s);
	}
	struct analysis *a = analyze(s);
	const struct wait *w = only_wait(a);
	CU_ASSERT_KNOWN_EQUAL(w->client_process->pid, 0x390);
	CU_ASSERT_KNOWN_EQUAL(w->client->debugger_index, 1);
	CU_ASSERT_KNOWN_EQUAL(w->server_process->pid, 0x278);
	CU_ASSERT_KNOWN_EQUAL(w->server_thread->tid, 0x1a4);
	CU_ASSERT_KNOWN_EQUAL(w->rpc_server_call->cell, 4);
	CU_ASSERT_FALSE(w->weak);
	CU_ASSERT_EQUAL(a->cycles.count, 0);
	/* Provenance names each file. */
	CU_ASSERT_EQUAL(s->sources.count, 6);
	done(a);
}

int main(void)
{
	const char *shared = shared_dir();
	if (!shared) {
		puts("test_corpus: ../shared is not here; skipped");
		return 77;
	}
	snprintf(corpus, sizeof corpus, "%s/corpus/transcripts", shared);
	static const struct test_case kernel[] = {
		{ "citrix csrss waits on ALPC", citrix_csrss_waits_on_alpc },
		{ "part 42f WOW64 process waits", part42f_wow64_process_waits },
		{ "missing-threads process waits", missing_threads_process_waits },
		{ "blocked-queue service waits", blocked_queue_service_waits },
		{ "LPC wait chain AppA", lpc_wait_chain_appa },
		{ "LPC kernel-mode wait", lpc_kernel_mode_wait },
		{ "ntdebugging svchost LPC wait", ntdebugging_svchost_lpc_wait },
		{ "LPC and mutant stay unconnected", lpc_and_mutant_stay_unconnected },
		{ "RPC over a pipe has no edge", rpc_over_pipe_has_no_edge },
		{ "WeChat client stack is a call without an edge", wechat_client_stack_is_a_call_without_edge },
		{ "bnagy !alpc fragments", bnagy_fragments },
		{ NULL, NULL },
	};
	static const struct test_case rpc[] = {
		{ "call table has no live LRPC waits", call_table_has_no_live_lrpc_waits },
		{ "endpoint table maps endpoints to pids", endpoint_table_maps_endpoints_to_pids },
		{ "thread tables", thread_tables },
		{ "thread cell of pid 278", thread_cell_of_pid_278 },
		{ "remote endpoint cell", remote_endpoint_cell },
		{ "client calls of pid 390", client_calls_of_pid_390 },
		{ "stuck call reaches thread 1a4", stuck_call_reaches_thread_1a4 },
		{ "caller known by process object", caller_known_by_process_object },
		{ "getdbgcell LRPC caller is weak", getdbgcell_lrpc_caller_is_weak },
		{ "Session A joins client to server thread", session_a_joins_client_to_server_thread },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = { { "corpus: kernel", kernel }, { "corpus: rpc", rpc } };
	return run_suites("test_corpus", suites, 2);
}
