/* The issue-5 LPC scenarios (tests/forge/forge_lpc_scenarios.c, by
 * lpcscen) read from their dumps into snapshots (src/kernel/lpc_*.c,
 * src/ipc/lpc.c) on every LPC layout — XP x86, XP x86 PAE, 2003 x86,
 * 2003 x64 — and checked against the facts each scenario says it made:
 * every port, message and thread doing LPC, and the cycles. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/correlate/correlate.h"
#include "../../src/ipc/ipc.h"
#include "../forge/forge.h"
#include "../forge/forge_scenarios.h"
#include "harness.h"

static struct snapshot *scenario_snapshot(const char *scenario, const char *label, bool pool_search,
					  struct forge_scenario_system *system)
{
	struct error *error = forge_lpc_scenario_system_new(forge_scenario_named(scenario), label, system);
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s-%s.dmp", test_temp_dir(), scenario, label ? label : "own");
	for (char *c = path + strlen(test_temp_dir()); *c; c++)
		if (*c == ' ')
			*c = '_';
	if (!error)
		error = forge_write_dump(system->forge, FORGE_WINDOWS_FULL, path);
	if (error) {
		fprintf(stderr, "%s\n", error->message);
		error_free(error);
		return NULL;
	}
	struct ptr_vec snapshots = { 0 };
	ipc_read_dump(path, &(struct dump_read_options){ .reading = READ_IPC_STATE, .pool_search = pool_search },
		      &snapshots);
	struct snapshot *snapshot = snapshots.count == 1 ? snapshots.items[0] : NULL;
	for (size_t i = 1; i < snapshots.count; i++)
		snapshot_free(snapshots.items[i]);
	ptr_vec_release(&snapshots);
	return snapshot;
}

static const enum port_kind kinds[] = {
	[FORGE_LPC_SERVER_CONNECTION] = PORT_LPC_SERVER_CONNECTION,
	[FORGE_LPC_UNCONNECTED] = PORT_LPC_UNCONNECTED_COMMUNICATION,
	[FORGE_LPC_SERVER_COMMUNICATION] = PORT_LPC_SERVER_COMMUNICATION,
	[FORGE_LPC_CLIENT_COMMUNICATION] = PORT_LPC_CLIENT_COMMUNICATION,
};

static void check_port(const struct snapshot *snapshot, const struct forge_scenario_lpc_port *p, bool pool_search)
{
	const struct port *port = snapshot_find_port(snapshot, p->address);
	if (p->pool_only && !pool_search) {
		CU_ASSERT_PTR_NULL(port);
		return;
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(port);
	CU_ASSERT_EQUAL(port->flavor, FLAVOR_LPC);
	CU_ASSERT_EQUAL(port->kind, kinds[p->kind]);
	CU_ASSERT_STRING_EQUAL_OR_NULL(port->name, p->name);
	CU_ASSERT_KNOWN_EQUAL(port->lpc_flags, p->flags);
	if (p->connection_port)
		CU_ASSERT_KNOWN_EQUAL(port->connection_port, p->connection_port);
	if (p->connected_port)
		CU_ASSERT_KNOWN_EQUAL(port->connected_port, p->connected_port);
	else
		CU_ASSERT_FALSE(port->connected_port.known);
	if (p->server_process)
		CU_ASSERT_KNOWN_EQUAL(port->owner_process, p->server_process);
	CU_ASSERT_KNOWN_EQUAL(port->handles, p->handle_count);
	CU_ASSERT_KNOWN_EQUAL(port->references, p->pointer_count);
	CU_ASSERT_KNOWN_EQUAL(port->queue_semaphore, p->queue_semaphore);
	CU_ASSERT_KNOWN_EQUAL(port->semaphore_state, (uint32_t)p->semaphore_state);
	CU_ASSERT_KNOWN_EQUAL(port->queues[QUEUE_LPC_MESSAGES].length, p->message_count);
	CU_ASSERT_KNOWN_EQUAL(port->queues[QUEUE_LPC_DATA_INFO].length, p->data_info_count);
	CU_ASSERT_KNOWN_EQUAL(port->waiting_thread_count, p->reply_chain_count);
}

static void check_message(const struct snapshot *snapshot, const struct forge_scenario_lpc_message *f,
			  bool pool_search)
{
	const struct message *m = snapshot_find_message(snapshot, f->address);
	if (f->pool_only && !pool_search) {
		CU_ASSERT_PTR_NULL(m);
		return;
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(m->flavor, FLAVOR_LPC);
	CU_ASSERT_KNOWN_EQUAL(m->id, f->id);
	CU_ASSERT_KNOWN_EQUAL(m->callback_id, f->callback_id);
	CU_ASSERT_KNOWN_EQUAL(m->client_pid, f->client_pid);
	CU_ASSERT_KNOWN_EQUAL(m->client_tid, f->client_tid);
	CU_ASSERT_KNOWN_EQUAL(m->lpc_context, f->port_context);
	CU_ASSERT_KNOWN_EQUAL(m->data_length, f->data_length);
	CU_ASSERT_KNOWN_EQUAL(m->total_length, f->total_length);
	CU_ASSERT_STRING_EQUAL_OR_NULL(m->type, f->type_name);
	CU_ASSERT_KNOWN_EQUAL(m->type_number, f->type);
	CU_ASSERT_STRING_EQUAL_OR_NULL(m->lpc_state, f->busy ? "Busy" : "Free");
	/* `!lpc`'s Data: the words the forge wrote, no more than DataLength holds */
	size_t words = f->data_length / 4 < MESSAGE_DATA_WORDS ? f->data_length / 4 : MESSAGE_DATA_WORDS;
	CU_ASSERT_EQUAL(m->lpc_data_count, words);
	for (size_t i = 0; i < words && i < f->data_words; i++)
		CU_ASSERT_EQUAL(m->lpc_data[i], f->data[i]);
	/* Entry's links are read for every message (their values: the
	 * replay's [e14ae248 . e14ae248] in test_lpc_cli) */
	CU_ASSERT_TRUE(m->lpc_flink.known && m->lpc_blink.known);
	if (f->queue_port) {
		CU_ASSERT_EQUAL(m->queue, QUEUE_LPC_MESSAGES);
		CU_ASSERT_KNOWN_EQUAL(m->queue_port, f->queue_port);
	} else
		CU_ASSERT_FALSE(m->queue_port.known);
	uint64_t waiting = f->waiting_thread ? f->waiting_thread : f->replied_to_thread;
	if (waiting)
		CU_ASSERT_KNOWN_EQUAL(m->waiting_thread, waiting);
	else
		CU_ASSERT_FALSE(m->waiting_thread.known);
	if (f->server_thread)
		CU_ASSERT_KNOWN_EQUAL(m->server_thread, f->server_thread);
}

static void check_thread(const struct snapshot *snapshot, const struct forge_scenario_lpc_thread *t)
{
	const struct thread *thread = snapshot_find_thread(snapshot, t->ethread);
	CU_ASSERT_PTR_NOT_NULL_FATAL(thread);
	CU_ASSERT_KNOWN_EQUAL(thread->tid, t->tid);
	if (t->reply_message_id && (t->rundown_port || !strcmp(thread->wait_reason ? thread->wait_reason : "",
								"WrLpcReply"))) {
		CU_ASSERT_KNOWN_EQUAL(thread->lpc_wait_message_id, t->reply_message_id);
		uint64_t port = t->waiting_on_port ? t->waiting_on_port : t->rundown_port;
		if (port)
			CU_ASSERT_KNOWN_EQUAL(thread->lpc_port, port);
	} else if (!t->reply_message_id)
		CU_ASSERT_FALSE(thread->lpc_wait_message_id.known);
	if (t->received_valid)
		CU_ASSERT_KNOWN_EQUAL(thread->lpc_serving_message_id, t->received_message_id);
	else
		CU_ASSERT_FALSE(thread->lpc_serving_message_id.known);
}

static void check_cycles(struct snapshot *snapshot, const struct forge_scenario_facts *facts)
{
	struct analysis *analysis = analyze(snapshot);
	size_t definite = 0;
	for (size_t i = 0; i < facts->cycle_count; i++)
		definite += facts->cycles[i].definite;
	CU_ASSERT_EQUAL(analysis_count_definite(analysis), definite);
	for (size_t i = 0; i < facts->cycle_count; i++) {
		const struct forge_scenario_cycle *expected = &facts->cycles[i];
		bool found = false;
		for (size_t c = 0; c < analysis->cycles.count && !found; c++) {
			const struct cycle *cycle = analysis->cycles.items[c];
			if (cycle->definite != expected->definite || cycle->members.count != expected->length ||
			    cycle->kind != CYCLE_THREAD)
				continue;
			size_t matched = 0;
			for (size_t m = 0; m < cycle->members.count; m++) {
				const struct thread *member = cycle->members.items[m];
				for (size_t e = 0; e < expected->length; e++)
					matched += maybe_equal(member->pid, known_u64(expected->pids[e])) &&
						   maybe_equal(member->tid, known_u64(expected->tids[e]));
			}
			found = matched == expected->length;
		}
		CU_ASSERT_TRUE(found);
	}
	analysis_free(analysis);
}

static void print_diagnostics(const struct snapshot *snapshot)
{
	for (size_t i = 0; i < snapshot->diagnostics.count; i++) {
		const struct diagnostic *d = snapshot->diagnostics.items[i];
		fprintf(stderr, "  %s\n", d->text);
	}
}

static void scenario_reads_whole(const char *scenario, bool pool_search)
{
	for (size_t l = 0; l < forge_lpc_scenario_layout_count; l++) {
		struct forge_scenario_system system = { 0 };
		const char *label = forge_lpc_scenario_layouts[l].label;
		struct snapshot *snapshot = scenario_snapshot(scenario, label, pool_search, &system);
		CU_ASSERT_PTR_NOT_NULL_FATAL(snapshot);
		const struct forge_scenario_facts *facts = system.facts;
		unsigned failures = CU_get_number_of_failures();
		for (size_t i = 0; i < facts->lpc_port_count; i++)
			check_port(snapshot, &facts->lpc_ports[i], pool_search);
		for (size_t i = 0; i < facts->lpc_message_count; i++)
			check_message(snapshot, &facts->lpc_messages[i], pool_search);
		for (size_t i = 0; i < facts->lpc_thread_count; i++)
			check_thread(snapshot, &facts->lpc_threads[i]);
		check_cycles(snapshot, facts);
		/* A scenario is read whole: no warning. */
		CU_ASSERT_EQUAL(snapshot->status, STATUS_OK);
		if (CU_get_number_of_failures() != failures) {
			fprintf(stderr, "\n%s on %s:\n", scenario, label);
			print_diagnostics(snapshot);
		}
		snapshot_free(snapshot);
		forge_scenario_system_free(&system);
	}
}

static void csrss_apiport(void) { scenario_reads_whole("lpc-csrss-apiport", false); }
static void pairs(void) { scenario_reads_whole("lpc-pairs", false); }
static void received_reply_wait(void) { scenario_reads_whole("lpc-received-reply-wait", false); }
static void deadlock(void) { scenario_reads_whole("lpc-deadlock", false); }
static void pool_only_without_search(void) { scenario_reads_whole("lpc-pool-only", false); }
static void pool_only(void) { scenario_reads_whole("lpc-pool-only", true); }

int main(void)
{
	static const struct test_case scenarios[] = {
		{ "lpc-csrss-apiport on every LPC layout", csrss_apiport },
		{ "lpc-pairs on every LPC layout", pairs },
		{ "lpc-received-reply-wait on every LPC layout", received_reply_wait },
		{ "lpc-deadlock on every LPC layout: a definite thread cycle", deadlock },
		{ "lpc-pool-only without --pool-search: the pool-only message is not there", pool_only_without_search },
		{ "lpc-pool-only with --pool-search", pool_only },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = {
		{ "LPC scenarios into snapshots", scenarios },
	};
	return run_suites("test_lpc_scenarios", suites, sizeof suites / sizeof *suites);
}
