/* The correlator: waits, cycles, chains, signatures, and the RPC traps. */
#include <string.h>

#include "harness.h"
#include "fixtures.h"
#include "../../src/correlate/correlate.h"

static struct origin at(uint64_t line)
{
	return origin_line(line);
}

static struct cycle *cycle_at(struct analysis *a, size_t i)
{
	CU_ASSERT_FATAL(i < a->cycles.count);
	return a->cycles.items[i];
}

static void two_thread_deadlock_is_definite(void)
{
	struct analysis *a = analyze(fixture_alpc_deadlock());
	CU_ASSERT_EQUAL(a->waits.count, 2);
	CU_ASSERT_EQUAL(a->cycles.count, 1);
	struct cycle *c = cycle_at(a, 0);
	CU_ASSERT_EQUAL(c->kind, CYCLE_THREAD);
	CU_ASSERT_TRUE(c->definite);
	CU_ASSERT_EQUAL(c->members.count, 2);
	CU_ASSERT_STRING_EQUAL(c->signature,
			       "alpha.exe[\\RPC Control\\BetaPort] -> beta.exe[\\RPC Control\\AlphaPort]");
	CU_ASSERT_EQUAL(strlen(c->signature_id), 16);
	const struct thread *first = c->members.items[0];
	CU_ASSERT_KNOWN_EQUAL(first->tid, 0x104);
	const struct wait *w = c->waits.items[0];
	CU_ASSERT_EQUAL(w->via, VIA_ALPC);
	CU_ASSERT_PTR_EQUAL(w->client, first);
	CU_ASSERT_KNOWN_EQUAL(w->server_thread->tid, 0x204);
	CU_ASSERT_STRING_EQUAL(w->server_process->image, "beta.exe");
	CU_ASSERT_STRING_EQUAL(w->port->name, "\\RPC Control\\BetaPort");
	/* Both waits serve each other: each is nested. */
	CU_ASSERT_PTR_NOT_NULL(w->serving);
	CU_ASSERT_EQUAL(a->chains.count, 0);
	CU_ASSERT_EQUAL(analysis_count_definite(a), 1);
	struct snapshot *s = a->snapshot;
	analysis_free(a);
	snapshot_free(s);
}

static void ring(unsigned n)
{
	struct analysis *a = analyze(fixture_alpc_ring(n));
	CU_ASSERT_EQUAL(a->waits.count, n);
	CU_ASSERT_EQUAL(a->cycles.count, 1);
	struct cycle *c = cycle_at(a, 0);
	CU_ASSERT_TRUE(c->definite);
	CU_ASSERT_EQUAL(c->members.count, n);
	/* The signature starts at the smallest hop: proc0. */
	CU_ASSERT_EQUAL(strncmp(c->signature, "proc0.exe[\\RPC Control\\Port1] -> ", 33), 0);
	struct snapshot *s = a->snapshot;
	analysis_free(a);
	snapshot_free(s);
}

static void three_thread_cycle(void)
{
	ring(3);
}

static void ten_thread_cycle(void)
{
	ring(10);
}

/* The same ring listed in another order gives the same signature. */
static void signature_does_not_depend_on_order(void)
{
	struct analysis *a = analyze(fixture_alpc_ring(4));
	struct snapshot *s = snapshot_new("other.txt", "transcript");
	char name[32];
	/* Build the ring again, processes listed from the last one. */
	for (int i = 3; i >= 0; i--) {
		uint64_t pid = 0x500 + (uint64_t)i;
		snprintf(name, sizeof name, "proc%d.exe", i);
		struct process *p = snapshot_process(s, known_u64(0x9000 + pid), known_u64(pid), at(1));
		p->image = snapshot_text(s, name, strlen(name));
		struct thread *t = snapshot_thread(s, known_u64(0x7000 + pid), known_u64(pid),
						   known_u64(pid + 0x40), at(2));
		t->process_address = known_u64(0x9000 + pid);
		t->state = "WAIT";
		snprintf(name, sizeof name, "\\RPC Control\\Port%d", i);
		struct port *port = snapshot_port(s, 0x6000 + pid, at(3));
		port->name = snapshot_text(s, name, strlen(name));
		port->owner_process = known_u64(0x9000 + pid);
	}
	for (int i = 0; i < 4; i++) {
		uint64_t pid = 0x500 + (uint64_t)i, next = 0x500 + (uint64_t)((i + 1) % 4);
		struct thread *t = snapshot_find_thread(s, 0x7000 + pid);
		t->alpc_wait_message = known_u64(0x8000 + pid);
		t->alpc_wait_port = known_u64(0x6000 + next);
		struct message *m = snapshot_message(s, FLAVOR_ALPC, known_u64(0x8000 + pid), UNKNOWN_U64, at(4));
		m->server_thread = known_u64(0x7000 + next);
	}
	struct analysis *b = analyze(s);
	CU_ASSERT_EQUAL(b->cycles.count, 1);
	CU_ASSERT_STRING_EQUAL(cycle_at(b, 0)->signature, cycle_at(a, 0)->signature);
	CU_ASSERT_STRING_EQUAL(cycle_at(b, 0)->signature_id, cycle_at(a, 0)->signature_id);
	struct snapshot *sa = a->snapshot;
	analysis_free(a);
	snapshot_free(sa);
	analysis_free(b);
	snapshot_free(s);
}

/* Two processes wait on each other's ports, but no ServerThread is known:
 * a probable process-level cycle, never a definite one. */
static void process_level_cycle_is_probable(void)
{
	struct snapshot *s = snapshot_new("p.txt", "transcript");
	for (uint64_t i = 1; i <= 2; i++) {
		struct process *p = snapshot_process(s, known_u64(0x1000 * i), known_u64(0x10 * i), at(i));
		p->image = i == 1 ? "one.exe" : "two.exe";
		struct thread *t = snapshot_thread(s, known_u64(0x100 * i), known_u64(0x10 * i), known_u64(0x10 * i + 4), at(10 + i));
		t->process_address = known_u64(0x1000 * i);
		t->state = "WAIT";
		t->wait_reason = "WrLpcReply";
		struct port *port = snapshot_port(s, 0xa000 * i, at(20 + i));
		port->owner_process = known_u64(0x1000 * i);
		port->name = i == 1 ? "OnePort" : "TwoPort";
	}
	struct thread *t1 = snapshot_find_thread(s, 0x100), *t2 = snapshot_find_thread(s, 0x200);
	t1->alpc_wait_message = known_u64(0xb1);
	t1->alpc_wait_port = known_u64(0x14000);
	t1->alpc_wait_port_owner = known_u64(0x2000);
	t2->alpc_wait_message = known_u64(0xb2);
	t2->alpc_wait_port = known_u64(0xa000);
	t2->alpc_wait_port_owner = known_u64(0x1000);
	struct analysis *a = analyze(s);
	CU_ASSERT_EQUAL(a->waits.count, 2);
	CU_ASSERT_EQUAL(a->cycles.count, 1);
	struct cycle *c = cycle_at(a, 0);
	CU_ASSERT_EQUAL(c->kind, CYCLE_PROCESS);
	CU_ASSERT_FALSE(c->definite);
	CU_ASSERT_STRING_EQUAL(c->signature, "one.exe[TwoPort] -> two.exe[OnePort]");
	CU_ASSERT_EQUAL(analysis_count_definite(a), 0);
	/* Each wait ends at a process with no known server thread. */
	CU_ASSERT_EQUAL(a->chains.count, 2);
	const struct chain *chain = a->chains.items[0];
	CU_ASSERT_EQUAL(chain->root.kind, BLOCKER_NO_SERVER_THREAD);
	analysis_free(a);
	snapshot_free(s);
}

/* A definite deadlock is reported once: the processes that only wait on
 * its members (alpha -> gamma -> beta, unreceived requests) close a ring
 * of processes through the deadlock's own waits, and that ring's
 * shortest cycle is the deadlock again — not a second, "probable" one. */
static void deadlock_is_not_reported_again_as_probable(void)
{
	struct analysis *a = analyze(fixture_alpc_deadlock_and_chain());
	CU_ASSERT_EQUAL(a->waits.count, 4);
	CU_ASSERT_EQUAL(a->cycles.count, 1);
	struct cycle *c = cycle_at(a, 0);
	CU_ASSERT_EQUAL(c->kind, CYCLE_THREAD);
	CU_ASSERT_TRUE(c->definite);
	CU_ASSERT_STRING_EQUAL(c->signature,
			       "alpha.exe[\\RPC Control\\BetaPort] -> beta.exe[\\RPC Control\\AlphaPort]");
	CU_ASSERT_EQUAL(analysis_count_definite(a), 1);
	struct snapshot *s = a->snapshot;
	analysis_free(a);
	snapshot_free(s);
}

/* A process waiting on its own port is a self-connection, not a cycle. */
static void self_connection_is_not_a_cycle(void)
{
	struct snapshot *s = snapshot_new("self.txt", "transcript");
	struct process *p = snapshot_process(s, known_u64(0x1000), known_u64(0x10), at(1));
	p->image = "self.exe";
	struct thread *t = snapshot_thread(s, known_u64(0x100), known_u64(0x10), known_u64(0x14), at(2));
	t->process_address = known_u64(0x1000);
	struct thread *server = snapshot_thread(s, known_u64(0x200), known_u64(0x10), known_u64(0x18), at(3));
	server->process_address = known_u64(0x1000);
	server->state = "WAIT";
	server->wait_reason = "WrLpcReceive";
	struct port *port = snapshot_port(s, 0xa000, at(4));
	port->owner_process = known_u64(0x1000);
	t->alpc_wait_message = known_u64(0xb1);
	t->alpc_wait_port = known_u64(0xa000);
	t->alpc_wait_port_owner = known_u64(0x1000);
	struct analysis *a = analyze(s);
	CU_ASSERT_EQUAL(a->waits.count, 1);
	CU_ASSERT_EQUAL(a->cycles.count, 0);
	const struct wait *w = a->waits.items[0];
	CU_ASSERT_PTR_EQUAL(w->server_process, p);
	analysis_free(a);
	snapshot_free(s);
}

/* A thread waiting for its own message as the server: a one-thread cycle. */
static void thread_waiting_on_itself_is_a_deadlock(void)
{
	struct snapshot *s = snapshot_new("me.txt", "transcript");
	snapshot_process(s, known_u64(0x1000), known_u64(0x10), at(1))->image = "me.exe";
	struct thread *t = snapshot_thread(s, known_u64(0x100), known_u64(0x10), known_u64(0x14), at(2));
	t->process_address = known_u64(0x1000);
	t->alpc_wait_message = known_u64(0xb1);
	struct message *m = snapshot_message(s, FLAVOR_ALPC, known_u64(0xb1), UNKNOWN_U64, at(3));
	m->server_thread = known_u64(0x100);
	struct analysis *a = analyze(s);
	CU_ASSERT_EQUAL(a->cycles.count, 1);
	CU_ASSERT_EQUAL(cycle_at(a, 0)->members.count, 1);
	CU_ASSERT_TRUE(cycle_at(a, 0)->definite);
	analysis_free(a);
	snapshot_free(s);
}

static void chain_ends_at_critical_section(void)
{
	struct analysis *a = analyze(fixture_chain_to_critical_section(6));
	CU_ASSERT_EQUAL(a->waits.count, 5);
	CU_ASSERT_EQUAL(a->cycles.count, 0);
	CU_ASSERT_EQUAL(a->chains.count, 1);
	const struct chain *chain = a->chains.items[0];
	CU_ASSERT_EQUAL(chain->waits.count, 5);
	CU_ASSERT_EQUAL(chain->root.kind, BLOCKER_CRITICAL_SECTION);
	CU_ASSERT_STRING_EQUAL(chain->root.detail, "ntdll!RtlpWaitOnCriticalSection");
	CU_ASSERT_STRING_EQUAL(thread_image(a->snapshot, chain->root.thread), "link5.exe");
	/* The middle threads serve one message while waiting on the next. */
	const struct wait *second = chain->waits.items[1];
	CU_ASSERT_PTR_EQUAL(second->serving, chain->waits.items[0]);
	const struct wait *head = chain->waits.items[0];
	CU_ASSERT_PTR_NULL(head->serving);
	struct snapshot *s = a->snapshot;
	analysis_free(a);
	snapshot_free(s);
}

static struct rpc_server_call *live_call(struct snapshot *s, uint64_t pid, uint64_t cell,
					 uint64_t status, uint64_t call_id, uint64_t caller_pid,
					 uint64_t caller_tid)
{
	struct rpc_server_call *c = snapshot_rpc_server_call(s, known_u64(pid), known_u64(cell), at(cell));
	c->status = known_u64(status);
	c->call_id = known_u64(call_id);
	c->interface_start = known_u64(0x82273fdc);
	c->party = RPC_PARTY_CALLER;
	c->caller_pid = known_u64(caller_pid);
	c->caller_tid = known_u64(caller_tid);
	snapshot_process(s, UNKNOWN_U64, known_u64(pid), at(cell));
	snapshot_process(s, UNKNOWN_U64, known_u64(caller_pid), at(cell));
	snapshot_thread(s, UNKNOWN_U64, known_u64(caller_pid), known_u64(caller_tid), at(cell));
	return c;
}

/* Cached rows (state 00) name past callers: no wait.  CALLID 0 and
 * baadf00d rows make weak waits; two processes calling each other through
 * weak rows are at most a probable cycle. */
static void rpc_traps_do_not_make_deadlocks(void)
{
	struct snapshot *s = snapshot_new("rpc.txt", "transcript");
	live_call(s, 0xec, 6, 0, 7, 0x170, 0x244);          /* state 00: nothing */
	live_call(s, 0x170, 9, 0, 7, 0xec, 0x31c);          /* state 00: nothing */
	struct rpc_server_call *a = live_call(s, 0xc4, 0x19, 1, 0, 0xd0, 0x1ac);
	struct rpc_server_call *b = live_call(s, 0xd0, 0x3, 2, 0xbaadf00d, 0xc4, 0x30);
	struct analysis *an = analyze(s);
	CU_ASSERT_EQUAL(an->waits.count, 2);
	const struct wait *w0 = an->waits.items[0], *w1 = an->waits.items[1];
	CU_ASSERT_PTR_EQUAL(w0->rpc_server_call, a);
	CU_ASSERT_TRUE(w0->weak);
	CU_ASSERT_STRING_EQUAL(w0->weak_reason, "CALLID 0 does not identify a call");
	CU_ASSERT_PTR_EQUAL(w1->rpc_server_call, b);
	CU_ASSERT_STRING_EQUAL(w1->weak_reason, "CALLID baadf00d is a fill pattern, not a call id");
	CU_ASSERT_KNOWN_EQUAL(w0->client->tid, 0x1ac);
	CU_ASSERT_KNOWN_EQUAL(w0->server_process->pid, 0xc4);
	CU_ASSERT_EQUAL(analysis_count_definite(an), 0);
	CU_ASSERT_EQUAL(an->cycles.count, 1);
	CU_ASSERT_FALSE(cycle_at(an, 0)->definite);
	analysis_free(an);
	snapshot_free(s);
}

/* The same caller in two live calls: both weak, even with good CALLIDs,
 * and even when servicing threads would close a thread cycle. */
static void repeated_caller_is_weak(void)
{
	struct snapshot *s = snapshot_new("rpc2.txt", "transcript");
	live_call(s, 0x200, 4, 2, 11, 0x100, 0x104);
	live_call(s, 0x300, 5, 2, 12, 0x100, 0x104);
	struct analysis *an = analyze(s);
	CU_ASSERT_EQUAL(an->waits.count, 2);
	for (size_t i = 0; i < 2; i++) {
		const struct wait *w = an->waits.items[i];
		CU_ASSERT_TRUE(w->weak);
		CU_ASSERT_STRING_EQUAL(w->weak_reason, "the caller thread appears in several live calls");
	}
	analysis_free(an);
	snapshot_free(s);
}

/* Client call → endpoint → server call → servicing thread. */
static void client_call_joins_server_thread(void)
{
	struct snapshot *s = snapshot_new("join.txt", "transcript");
	struct rpc_endpoint *e = snapshot_rpc_endpoint(s, known_u64(0x278), known_u64(1), at(1));
	e->protocol = "TCP";
	e->name = "1120";
	struct rpc_server_call *call = snapshot_rpc_server_call(s, known_u64(0x278), known_u64(4), at(2));
	call->status = known_u64(2);
	call->call_id = known_u64(1);
	call->interface_start = known_u64(0x19bb5061);
	call->procedure = known_u64(0);
	call->thread_cell = known_u64(2);
	call->party = RPC_PARTY_CONNECTION;
	call->connection_cell = known_u64(3);
	struct rpc_thread *cell = snapshot_rpc_thread(s, known_u64(0x278), known_u64(2), at(3));
	cell->tid = known_u64(0x1a4);
	snapshot_thread(s, UNKNOWN_U64, known_u64(0x278), known_u64(0x1a4), at(3));
	snapshot_process(s, UNKNOWN_U64, known_u64(0x278), at(1));
	snapshot_process(s, UNKNOWN_U64, known_u64(0x390), at(4));
	struct rpc_client_call *client = snapshot_rpc_client_call(s, known_u64(0x390), known_u64(1), at(4));
	client->call_id = known_u64(1);
	client->interface_start = known_u64(0x19bb5061);
	client->procedure = known_u64(0);
	client->endpoint = "1120";
	struct analysis *an = analyze(s);
	CU_ASSERT_EQUAL(an->waits.count, 1);
	const struct wait *w = an->waits.items[0];
	CU_ASSERT_EQUAL(w->via, VIA_RPC);
	CU_ASSERT_PTR_NULL(w->client);
	CU_ASSERT_KNOWN_EQUAL(w->client_process->pid, 0x390);
	CU_ASSERT_KNOWN_EQUAL(w->server_process->pid, 0x278);
	CU_ASSERT_KNOWN_EQUAL(w->server_thread->tid, 0x1a4);
	CU_ASSERT_PTR_EQUAL(w->rpc_endpoint, e);
	CU_ASSERT_FALSE(w->weak);
	analysis_free(an);
	snapshot_free(s);
}

/* A mutant owned by another thread is a lock wait to that thread. */
static void mutant_owner_is_a_wait(void)
{
	struct snapshot *s = snapshot_new("m.txt", "transcript");
	struct thread *t = snapshot_thread(s, known_u64(0x85b209d0), known_u64(0x1524), known_u64(0x2770), at(1));
	t->state = "WAIT";
	struct wait_object mutant = { 0x85e9ba00, "Mutant", known_u64(0x866d63e8) };
	thread_add_wait_object(s, t, mutant);
	snapshot_thread(s, known_u64(0x866d63e8), UNKNOWN_U64, UNKNOWN_U64, at(2));
	struct analysis *a = analyze(s);
	CU_ASSERT_EQUAL(a->waits.count, 1);
	const struct wait *w = a->waits.items[0];
	CU_ASSERT_EQUAL(w->via, VIA_LOCK);
	CU_ASSERT_KNOWN_EQUAL(w->server_thread->address, 0x866d63e8);
	CU_ASSERT_EQUAL(a->chains.count, 1);
	const struct chain *chain = a->chains.items[0];
	CU_ASSERT_EQUAL(chain->root.kind, BLOCKER_NOT_CAPTURED);
	analysis_free(a);
	snapshot_free(s);
}

static void quiet_system_has_no_waits(void)
{
	struct analysis *a = analyze(fixture_quiet_system());
	CU_ASSERT_EQUAL(a->waits.count, 0);
	CU_ASSERT_EQUAL(a->cycles.count, 0);
	CU_ASSERT_EQUAL(a->chains.count, 0);
	const struct thread *t = a->snapshot->threads.items[0];
	CU_ASSERT_FALSE(analysis_thread_involved(a, t));
	struct root_blocker b = classify_thread(a->snapshot, a->snapshot->threads.items[0]);
	CU_ASSERT_EQUAL(b.kind, BLOCKER_RECEIVING);
	struct snapshot *s = a->snapshot;
	analysis_free(a);
	snapshot_free(s);
}

int main(void)
{
	static const struct test_case cases[] = {
		{ "two-thread deadlock is definite", two_thread_deadlock_is_definite },
		{ "three-thread cycle", three_thread_cycle },
		{ "ten-thread cycle", ten_thread_cycle },
		{ "signature does not depend on order", signature_does_not_depend_on_order },
		{ "process-level cycle is probable", process_level_cycle_is_probable },
		{ "deadlock is not reported again as probable", deadlock_is_not_reported_again_as_probable },
		{ "self-connection is not a cycle", self_connection_is_not_a_cycle },
		{ "thread waiting on itself is a deadlock", thread_waiting_on_itself_is_a_deadlock },
		{ "chain ends at a critical section", chain_ends_at_critical_section },
		{ "RPC traps do not make deadlocks", rpc_traps_do_not_make_deadlocks },
		{ "repeated caller is weak", repeated_caller_is_weak },
		{ "client call joins server thread", client_call_joins_server_thread },
		{ "mutant owner is a wait", mutant_owner_is_a_wait },
		{ "quiet system has no waits", quiet_system_has_no_waits },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = { { "correlate", cases } };
	return run_suites("test_correlate", suites, 1);
}
