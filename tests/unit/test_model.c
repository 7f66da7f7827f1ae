/* The snapshot model: identity, merging, conflicts, unknown vs zero. */
#include <stdint.h>
#include <string.h>

#include "harness.h"
#include "../../src/model/model.h"

static struct origin line(uint64_t n)
{
	return origin_line(n);
}

static void thread_seen_by_cid_then_address_is_one_thread(void)
{
	struct snapshot *s = snapshot_new("t.txt", "transcript");
	struct thread *by_cid = snapshot_thread(s, UNKNOWN_U64, known_u64(0x278), known_u64(0x1a4), line(3));
	by_cid->wait_reason = "WrLpcReply";
	struct thread *by_address = snapshot_thread(s, known_u64(0x8861aab8), UNKNOWN_U64, UNKNOWN_U64, line(9));
	CU_ASSERT_PTR_NOT_EQUAL(by_cid, by_address);
	struct thread *both = snapshot_thread(s, known_u64(0x8861aab8), known_u64(0x278), known_u64(0x1a4), line(12));
	CU_ASSERT_PTR_EQUAL(both, by_address);
	CU_ASSERT_PTR_EQUAL(by_cid->merged_into, by_address);
	CU_ASSERT_STRING_EQUAL(both->wait_reason, "WrLpcReply");
	CU_ASSERT_PTR_EQUAL(snapshot_find_thread_by_cid(s, 0x278, 0x1a4), both);
	snapshot_finish(s);
	CU_ASSERT_EQUAL(s->threads.count, 1);
	CU_ASSERT_EQUAL(both->origin.count, 3);
	CU_ASSERT_EQUAL(both->origin.at[0].at, 9);
	CU_ASSERT_EQUAL(s->status, STATUS_OK);
	snapshot_free(s);
}

static void conflicting_identity_is_warned_and_kept_apart(void)
{
	struct snapshot *s = snapshot_new("t.txt", "transcript");
	struct thread *a = snapshot_thread(s, known_u64(0x1000), known_u64(4), known_u64(8), line(1));
	struct thread *b = snapshot_thread(s, known_u64(0x1000), known_u64(4), known_u64(12), line(2));
	CU_ASSERT_PTR_EQUAL(a, b);
	CU_ASSERT_KNOWN_EQUAL(a->tid, 8);
	CU_ASSERT_EQUAL(s->status, STATUS_PARTIAL);
	CU_ASSERT_EQUAL(snapshot_count_diagnostics(s, DIAGNOSTIC_WARNING), 1);
	const struct diagnostic *d = s->diagnostics.items[0];
	CU_ASSERT_PTR_NOT_NULL(strstr(d->text, "t.txt:2: conflicting identity for thread 0x1000"));
	snapshot_free(s);
}

static void debugger_thread_joins_its_cid(void)
{
	struct snapshot *s = snapshot_new("u.txt", "transcript");
	struct thread *t31 = snapshot_debugger_thread(s, 31, UNKNOWN_U64, UNKNOWN_U64, line(1));
	struct thread *listed = snapshot_debugger_thread(s, 31, known_u64(0x3d4), known_u64(0x3d8), line(5));
	CU_ASSERT_PTR_EQUAL(t31, listed);
	CU_ASSERT_PTR_EQUAL(snapshot_find_thread_by_cid(s, 0x3d4, 0x3d8), t31);
	snapshot_free(s);
}

static void process_by_pid_then_address_merges(void)
{
	struct snapshot *s = snapshot_new("p.txt", "transcript");
	struct process *p = snapshot_process(s, UNKNOWN_U64, known_u64(0x278), line(1));
	struct process *q = snapshot_process(s, known_u64(0x88556778), UNKNOWN_U64, line(2));
	q->image = "AppA.exe";
	struct process *r = snapshot_process(s, known_u64(0x88556778), known_u64(0x278), line(3));
	CU_ASSERT_PTR_EQUAL(r, q);
	CU_ASSERT_PTR_EQUAL(p->merged_into, q);
	snapshot_finish(s);
	CU_ASSERT_EQUAL(s->processes.count, 1);
	CU_ASSERT_PTR_EQUAL(snapshot_find_process_by_pid(s, 0x278), q);
	snapshot_free(s);
}

static void lpc_message_by_id_joins_queue_entry(void)
{
	struct snapshot *s = snapshot_new("l.txt", "transcript");
	struct message *from_wait = snapshot_message(s, FLAVOR_LPC, UNKNOWN_U64, known_u64(0x2249c), line(4));
	from_wait->waiting_thread = known_u64(0x842a4db0);
	struct message *from_queue = snapshot_message(s, FLAVOR_LPC, known_u64(0xe20d9b80), known_u64(0x2249c), line(20));
	CU_ASSERT_PTR_EQUAL(from_queue, from_wait);
	CU_ASSERT_KNOWN_EQUAL(from_wait->address, 0xe20d9b80);
	/* ALPC MessageIDs are not unique: two ALPC messages with one id stay two. */
	struct message *a = snapshot_message(s, FLAVOR_ALPC, known_u64(0x10), known_u64(5), line(30));
	struct message *b = snapshot_message(s, FLAVOR_ALPC, known_u64(0x20), known_u64(5), line(31));
	CU_ASSERT_PTR_NOT_EQUAL(a, b);
	snapshot_finish(s);
	CU_ASSERT_EQUAL(s->messages.count, 3);
	snapshot_free(s);
}

static void unknown_is_not_zero(void)
{
	struct snapshot *s = snapshot_new("z.txt", "transcript");
	struct port *port = snapshot_port(s, 0xe14ae238, line(1));
	CU_ASSERT_FALSE(port->owner_process.known);
	port->queues[QUEUE_MAIN].length = known_u64(0);
	CU_ASSERT_TRUE(port->queues[QUEUE_MAIN].length.known);
	CU_ASSERT_FALSE(port->queues[QUEUE_PENDING].length.known);
	maybe_u64 v = UNKNOWN_U64;
	maybe_fill(&v, known_u64(0));
	CU_ASSERT_TRUE(v.known);
	maybe_fill(&v, known_u64(7));
	CU_ASSERT_EQUAL(v.value, 0);
	snapshot_free(s);
}

static void rpc_cells_are_keyed_by_pid_and_cell(void)
{
	struct snapshot *s = snapshot_new("r.txt", "transcript");
	struct rpc_server_call *a = snapshot_rpc_server_call(s, known_u64(0x278), known_u64(4), line(1));
	struct rpc_server_call *b = snapshot_rpc_server_call(s, known_u64(0x278), known_u64(4), line(9));
	struct rpc_server_call *c = snapshot_rpc_server_call(s, known_u64(0x278), known_u64(5), line(10));
	struct rpc_server_call *d = snapshot_rpc_server_call(s, UNKNOWN_U64, known_u64(4), line(11));
	CU_ASSERT_PTR_EQUAL(a, b);
	CU_ASSERT_PTR_NOT_EQUAL(a, c);
	CU_ASSERT_PTR_NOT_EQUAL(a, d);
	CU_ASSERT_EQUAL(a->origin.at, 1);
	CU_ASSERT_EQUAL(s->rpc_server_calls.count, 3);
	snapshot_free(s);
}

static void names_round_trip(void)
{
	CU_ASSERT_EQUAL(port_kind_from_windbg("ALPC_CONNECTION_PORT", 20), PORT_ALPC_CONNECTION);
	CU_ASSERT_STRING_EQUAL(port_kind_name(PORT_ALPC_CLIENT_COMMUNICATION), "alpc_client_communication");
	CU_ASSERT_EQUAL(queue_kind_from_windbg("ALPC_MSGQUEUE_PENDING", 21), QUEUE_PENDING);
	CU_ASSERT_EQUAL(queue_kind_from_windbg("ALPC_MSGQUEUE_LARGE", 19), QUEUE_LARGE_MESSAGE);
	CU_ASSERT_STRING_EQUAL(queue_kind_name(QUEUE_MAIN), "main");
	CU_ASSERT_PTR_NULL(queue_kind_name(QUEUE_UNKNOWN));
	CU_ASSERT_EQUAL(port_kind_from_windbg("nonsense", 8), PORT_KIND_UNKNOWN);
}

static void text_from_input_is_valid_utf8(void)
{
	struct snapshot *s = snapshot_new("x.txt", "transcript");
	const char *name = snapshot_text(s, "ev\xffil\x1b[31m.exe", 14);
	CU_ASSERT_STRING_EQUAL(name, "ev\xef\xbf\xbdil\xef\xbf\xbd[31m.exe");
	CU_ASSERT_PTR_EQUAL(snapshot_text(s, "a.exe", 5), snapshot_text(s, "a.exe", 5));
	snapshot_free(s);
}

static void diagnostics_are_capped(void)
{
	struct snapshot *s = snapshot_new("flood.txt", "transcript");
	for (int i = 0; i < 5000; i++)
		snapshot_warn(s, line((uint64_t)i + 1), "bad line");
	snapshot_finish(s);
	CU_ASSERT_EQUAL(s->diagnostics.count, 2001);
	const struct diagnostic *last = s->diagnostics.items[2000];
	CU_ASSERT_STRING_EQUAL(last->text, "flood.txt: 3000 more diagnostics were not kept");
	snapshot_free(s);
}

int main(void)
{
	static const struct test_case cases[] = {
		{ "thread seen by Cid then address is one thread", thread_seen_by_cid_then_address_is_one_thread },
		{ "conflicting identity is warned and kept apart", conflicting_identity_is_warned_and_kept_apart },
		{ "debugger thread joins its Cid", debugger_thread_joins_its_cid },
		{ "process by pid then address merges", process_by_pid_then_address_merges },
		{ "LPC message by id joins queue entry", lpc_message_by_id_joins_queue_entry },
		{ "unknown is not zero", unknown_is_not_zero },
		{ "RPC cells are keyed by pid and cell", rpc_cells_are_keyed_by_pid_and_cell },
		{ "names round trip", names_round_trip },
		{ "text from input is valid UTF-8", text_from_input_is_valid_utf8 },
		{ "diagnostics are capped", diagnostics_are_capped },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = { { "model", cases } };
	return run_suites("test_model", suites, 1);
}
