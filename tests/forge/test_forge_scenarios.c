/* Issue 4's scenarios are what they claim: each is laid on every required
 * layout, written as a full dump and read back through the test's own
 * page walks and hand-typed offsets (object_reader.c, independent of the
 * forge's table and of src/kernel and src/ipc), and every fact the
 * scenario promises is asserted: processes, threads and their waits,
 * ports with their names, handles, owners, communication info and queue
 * lengths, messages on their queues, expected waits and cycles.  The
 * replays are also held against the values WinDbg printed, transcribed
 * below from ../shared/docs/debugger-output-formats.md §3 and the corpus
 * transcript bnagy-alpcbuggery-win7x64-lkd-alpc-fragments.txt. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../unit/harness.h"
#include "forge_scenarios.h"
#include "object_reader.h"

/* An open scenario: the system, its dump and the test's reader. */
struct opened {
	struct forge_scenario_system system;
	struct kreader kr;
	const struct forge_windows_facts *globals;
	bool ok;
};

static bool open_scenario(struct opened *o, const char *name, const char *column,
			  enum forge_alpc_handle_table handle_table)
{
	*o = (struct opened){ .kr = { .image = { .fd = -1 } } };
	const struct forge_scenario *scenario = forge_scenario_named(name);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scenario);
	const struct forge_layout *layout = column ? forge_layout_named(column) : NULL;
	struct error *error = forge_scenario_system_new(scenario, layout, handle_table, &o->system);
	if (!error) {
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%s/%s-%s.dmp", test_temp_dir(), name, o->system.facts->layout);
		error = forge_write_dump(o->system.forge, FORGE_WINDOWS_FULL, path);
		if (!error) {
			o->globals = forge_windows_facts(o->system.windows);
			o->ok = kr_open(&o->kr, path, FORGE_X64, forge_dtb(o->system.forge),
					known_offsets(o->system.facts->layout));
			remove(path);
		}
	}
	if (error) {
		fprintf(stderr, "%s on %s: %s\n", name, column ? column : "its layout", error->message);
		error_free(error);
	}
	CU_ASSERT_TRUE(o->ok);
	return o->ok;
}

static void close_scenario(struct opened *o)
{
	kr_close(&o->kr);
	forge_scenario_system_free(&o->system);
}

/* The entries of a list (head excluded), sorted, at most max. */
static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

struct entries {
	uint64_t *items;
	size_t count;
};

static struct entries list_entries(struct kreader *kr, uint64_t head, size_t max)
{
	struct entries e = { .items = malloc((max + 1) * sizeof(uint64_t)) };
	e.count = kr_list(kr, head, e.items, max);
	CU_ASSERT_NOT_EQUAL(e.count, SIZE_MAX);
	if (e.count == SIZE_MAX)
		e.count = 0;
	qsort(e.items, e.count, sizeof *e.items, compare_u64);
	return e;
}

static bool entries_hold(const struct entries *e, uint64_t entry)
{
	return e->count && bsearch(&entry, e->items, e->count, sizeof entry, compare_u64);
}

static bool list_holds(struct kreader *kr, uint64_t head, uint64_t entry)
{
	struct entries e = list_entries(kr, head, 4096);
	bool held = entries_hold(&e, entry);
	free(e.items);
	return held;
}

static uint64_t pid_of_process(struct kreader *kr, uint64_t eprocess)
{
	return kr_ptr(kr, eprocess + kr->k->eprocess_pid);
}

static uint64_t tid_of_thread(struct kreader *kr, uint64_t ethread)
{
	return kr_ptr(kr, ethread + kr->k->ethread_cid + 8);
}

static void check_processes(struct opened *o)
{
	struct kreader *kr = &o->kr;
	const struct forge_scenario_facts *f = o->system.facts;
	struct entries e = list_entries(kr, o->globals->ps_active_process_head, f->process_count + 1);
	CU_ASSERT_EQUAL(e.count, f->process_count);
	for (size_t i = 0; i < f->process_count; i++) {
		const struct forge_scenario_process *p = &f->processes[i];
		CU_ASSERT_TRUE(entries_hold(&e, p->eprocess + kr->k->eprocess_links));
		CU_ASSERT_EQUAL(pid_of_process(kr, p->eprocess), p->pid);
		char image[16] = { 0 };
		kr_read(kr, p->eprocess + kr->k->eprocess_name, image, 15);
		CU_ASSERT_STRING_EQUAL(image, p->image);
	}
	free(e.items);
}

static void check_threads(struct opened *o)
{
	struct kreader *kr = &o->kr;
	const struct known_offsets *k = kr->k;
	const struct forge_scenario_facts *f = o->system.facts;
	for (size_t i = 0; i < f->thread_count; i++) {
		const struct forge_scenario_thread *t = &f->threads[i];
		uint64_t eprocess = 0;
		for (size_t j = 0; j < f->process_count; j++)
			if (f->processes[j].pid == t->pid)
				eprocess = f->processes[j].eprocess;
		CU_ASSERT_TRUE(list_holds(kr, eprocess + k->eprocess_threads, t->ethread + k->ethread_list_entry));
		CU_ASSERT_EQUAL(kr_ptr(kr, t->ethread + k->ethread_cid), t->pid);
		CU_ASSERT_EQUAL(tid_of_thread(kr, t->ethread), t->tid);
		CU_ASSERT_EQUAL(kr_u8(kr, t->ethread + k->kthread_state), t->state);
		CU_ASSERT_EQUAL(kr_u8(kr, t->ethread + k->kthread_wait_reason), t->wait_reason);
		switch (t->waits_for) {
		case FORGE_WAITS_FOR_ALPC_REPLY: {
			const struct forge_scenario_message *m = forge_scenario_message_at(f, t->wait_object);
			CU_ASSERT_PTR_NOT_NULL_FATAL(m);
			CU_ASSERT_EQUAL(kr_ptr(kr, t->ethread + k->alpc_message), t->wait_object);
			CU_ASSERT_EQUAL(kr_u32(kr, t->ethread + k->alpc_message_id), m->id);
			CU_ASSERT_EQUAL(m->waiting_thread, t->ethread);
			break;
		}
		case FORGE_WAITS_FOR_ALPC_RECEIVE:
			CU_ASSERT_TRUE(list_holds(kr, t->wait_object + k->port_wait_queue,
						  t->ethread + k->alpc_wait_list_entry));
			CU_ASSERT_EQUAL(t->wait_reason, FORGE_WAIT_LPC_RECEIVE);
			break;
		case FORGE_WAITS_FOR_MUTANT: {
			uint64_t block = kr_ptr(kr, t->ethread + k->kthread_wait_block_list);
			CU_ASSERT_EQUAL(kr_ptr(kr, block + k->wait_block_object), t->wait_object);
			CU_ASSERT_NOT_EQUAL(kr_ptr(kr, t->wait_object + k->mutant_owner), 0);
			break;
		}
		case FORGE_WAITS_FOR_NOTHING:
		default:
			CU_ASSERT_EQUAL(t->wait_object, 0);
			break;
		}
	}
}

/* The port's pool header: 0x10 bytes below its lowest optional header
 * (creator info, then name info below it when InfoMask bit 1 says so;
 * x64 _POOL_HEADER, PoolTag at +4; struct-offsets.md _POOL_HEADER and
 * "Object header notes"). */
static uint32_t pool_tag_of_port(struct kreader *kr, uint64_t port)
{
	const struct known_offsets *k = kr->k;
	uint64_t header = port - k->header_body;
	uint8_t mask = kr_u8(kr, header + k->header_info_mask);
	uint64_t start = header - (mask & 1 ? k->creator_info_size : 0) - (mask & 2 ? k->name_info_size : 0);
	return kr_u32(kr, start - 0x10 + 4);
}

static void check_ports(struct opened *o, size_t step)
{
	struct kreader *kr = &o->kr;
	const struct known_offsets *k = kr->k;
	const struct forge_scenario_facts *f = o->system.facts;
	struct entries listed = list_entries(kr, o->globals->alpcp_port_list, f->port_count + 1);
	size_t expected_listed = 0;
	for (size_t i = 0; i < f->port_count; i++)
		expected_listed += f->ports[i].on_port_list;
	CU_ASSERT_EQUAL(listed.count, expected_listed);
	for (size_t i = 0; i < f->port_count; i += step) {
		const struct forge_scenario_port *p = &f->ports[i];
		char text[256];
		CU_ASSERT_TRUE(kr_type_name(kr, p->address, o->globals->ob_type_index_table, FORGE_SCENARIO_COOKIE,
					    text, sizeof text));
		CU_ASSERT_STRING_EQUAL(text, "ALPC Port");
		if (p->name) {
			CU_ASSERT_TRUE(kr_object_name(kr, p->address, text, sizeof text));
			CU_ASSERT_STRING_EQUAL(text, p->name);
		} else {
			CU_ASSERT_EQUAL(kr_u8(kr, p->address - k->header_body + k->header_info_mask) & 2, 0);
		}
		CU_ASSERT_EQUAL(kr_ptr(kr, p->address + k->port_owner), p->owner_eprocess);
		CU_ASSERT_EQUAL(pid_of_process(kr, p->owner_eprocess), p->owner_pid);
		uint64_t info = kr_ptr(kr, p->address + k->port_comm_info);
		CU_ASSERT_EQUAL(info, p->communication_info);
		CU_ASSERT_EQUAL(kr_ptr(kr, info + k->comm_connection), p->connection_port);
		CU_ASSERT_EQUAL(kr_ptr(kr, info + k->comm_server), p->server_port);
		CU_ASSERT_EQUAL(kr_ptr(kr, info + k->comm_client), p->client_port);
		/* the kind, as struct-offsets.md says to tell it */
		uint64_t self = p->kind == FORGE_PORT_CONNECTION ? p->connection_port
			      : p->kind == FORGE_PORT_SERVER_COMMUNICATION ? p->server_port : p->client_port;
		CU_ASSERT_EQUAL(self, p->address);
		CU_ASSERT_EQUAL(kr_u32(kr, p->address + k->port_main_queue_length), p->main_length);
		CU_ASSERT_EQUAL(kr_u32(kr, p->address + k->port_pending_queue_length), p->pending_length);
		CU_ASSERT_EQUAL(kr_u32(kr, p->address + k->port_canceled_queue_length), p->canceled_length);
		CU_ASSERT_EQUAL(kr_u32(kr, p->address + k->port_wait_queue_length), p->wait_length);
		CU_ASSERT_EQUAL(entries_hold(&listed, p->address), p->on_port_list); /* PortListEntry at +0 */
		CU_ASSERT_EQUAL(pool_tag_of_port(kr, p->address), f->port_pool_tag);
		if (p->handle) {
			uint32_t access = 0;
			uint64_t table = kr_ptr(kr, p->owner_eprocess + k->eprocess_object_table);
			CU_ASSERT_EQUAL(kr_handle_object(kr, table, p->handle, &access), p->address);
			CU_ASSERT_EQUAL(access, 0x1f0001);
		}
		CU_ASSERT_EQUAL(p->pool_only, !p->handle && !p->on_port_list && !p->name);
	}
	free(listed.items);
}

static uint64_t queue_offset(const struct known_offsets *k, enum forge_alpc_queue queue)
{
	return queue == FORGE_QUEUE_MAIN ? k->port_main_queue
	       : queue == FORGE_QUEUE_PENDING ? k->port_pending_queue : k->port_canceled_queue;
}

static void check_messages(struct opened *o)
{
	struct kreader *kr = &o->kr;
	const struct known_offsets *k = kr->k;
	const struct forge_scenario_facts *f = o->system.facts;
	for (size_t i = 0; i < f->message_count; i++) {
		const struct forge_scenario_message *m = &f->messages[i];
		CU_ASSERT_TRUE(list_holds(kr, m->queue_port + queue_offset(k, m->queue), m->address));
		CU_ASSERT_EQUAL(kr_ptr(kr, m->address + k->msg_port_queue), m->queue_port);
		CU_ASSERT_EQUAL(kr_ptr(kr, m->address + k->msg_owner_port), m->owner_port);
		CU_ASSERT_EQUAL(kr_ptr(kr, m->address + k->msg_waiting_thread), m->waiting_thread);
		CU_ASSERT_EQUAL(kr_ptr(kr, m->address + k->msg_server_thread), m->server_thread);
		CU_ASSERT_EQUAL(kr_u32(kr, m->address + k->msg_state) >> k->msg_canceled_bit & 1, m->canceled);
		uint64_t pm = m->address + k->msg_port_message;
		CU_ASSERT_EQUAL(kr_u32(kr, pm + k->pm_message_id), m->id);
		CU_ASSERT_EQUAL(kr_u32(kr, pm + k->pm_callback_id), m->callback_id);
		CU_ASSERT_EQUAL(kr_ptr(kr, pm + k->pm_client_id), m->client_pid);
		CU_ASSERT_EQUAL(kr_ptr(kr, pm + k->pm_client_id + 8), m->client_tid);
		CU_ASSERT_EQUAL(kr_u16(kr, pm + 4), 1); /* LPC_REQUEST */
		CU_ASSERT_EQUAL(m->queue == FORGE_QUEUE_PENDING, m->server_thread != 0);
	}
}

/* Each expected wait follows from the dump: the message's queue port's
 * owner and server thread, or the mutant's owner. */
static void check_waits(struct opened *o)
{
	struct kreader *kr = &o->kr;
	const struct known_offsets *k = kr->k;
	const struct forge_scenario_facts *f = o->system.facts;
	size_t waiting = 0;
	for (size_t i = 0; i < f->thread_count; i++)
		waiting += f->threads[i].waits_for == FORGE_WAITS_FOR_ALPC_REPLY ||
			   f->threads[i].waits_for == FORGE_WAITS_FOR_MUTANT;
	CU_ASSERT_EQUAL(f->wait_count, waiting);
	for (size_t i = 0; i < f->wait_count; i++) {
		const struct forge_scenario_wait *w = &f->waits[i];
		CU_ASSERT_EQUAL(tid_of_thread(kr, w->thread), w->tid);
		uint64_t holder;
		if (w->kind == FORGE_WAITS_FOR_ALPC_REPLY) {
			CU_ASSERT_EQUAL(kr_ptr(kr, w->thread + k->alpc_message), w->object);
			CU_ASSERT_EQUAL(kr_ptr(kr, w->object + k->msg_port_queue), w->queue_port);
			uint64_t owner = kr_ptr(kr, w->queue_port + k->port_owner);
			CU_ASSERT_EQUAL(pid_of_process(kr, owner), w->target_pid);
			holder = kr_ptr(kr, w->object + k->msg_server_thread);
		} else {
			CU_ASSERT_EQUAL(w->kind, FORGE_WAITS_FOR_MUTANT);
			holder = kr_ptr(kr, w->object + k->mutant_owner);
			CU_ASSERT_EQUAL(kr_ptr(kr, holder + k->ethread_cid), w->target_pid);
		}
		CU_ASSERT_EQUAL(holder ? tid_of_thread(kr, holder) : 0, w->target_tid);
		CU_ASSERT_EQUAL(w->definite, holder != 0);
	}
}

static const struct forge_scenario_wait *wait_of_tid(const struct forge_scenario_facts *f, uint64_t pid,
						     uint64_t tid)
{
	for (size_t i = 0; i < f->wait_count; i++)
		if (f->waits[i].pid == pid && f->waits[i].tid == tid)
			return &f->waits[i];
	return NULL;
}

static void check_cycles(const struct forge_scenario_facts *f)
{
	for (size_t i = 0; i < f->cycle_count; i++) {
		const struct forge_scenario_cycle *c = &f->cycles[i];
		bool definite = true;
		for (size_t j = 0; j < c->length; j++) {
			const struct forge_scenario_wait *w = wait_of_tid(f, c->pids[j], c->tids[j]);
			CU_ASSERT_PTR_NOT_NULL_FATAL(w);
			CU_ASSERT_EQUAL(w->target_pid, c->pids[(j + 1) % c->length]);
			if (w->definite)
				CU_ASSERT_EQUAL(w->target_tid, c->tids[(j + 1) % c->length]);
			definite = definite && w->definite;
			CU_ASSERT_TRUE(c->pids[0] <= c->pids[j]);
		}
		CU_ASSERT_EQUAL(c->definite, definite);
	}
}

static void check_everything(struct opened *o, size_t port_step)
{
	check_processes(o);
	check_threads(o);
	check_ports(o, port_step);
	check_messages(o);
	check_waits(o);
	check_cycles(o->system.facts);
	CU_ASSERT_TRUE(o->kr.ok);
}

/* Every scenario on every layout issue 4 names, and 9600 and 19041.329
 * also with the other _ALPC_HANDLE_TABLE. */
static void run_on_every_layout(const char *name, size_t port_step)
{
	for (size_t i = 0; i < forge_scenario_layout_count; i++) {
		struct opened o;
		if (open_scenario(&o, name, forge_scenario_layouts[i], FORGE_ALPC_HANDLE_TABLE_AS_LAYOUT))
			check_everything(&o, port_step);
		close_scenario(&o);
	}
	struct opened o;
	if (open_scenario(&o, name, "19041.329", FORGE_ALPC_HANDLE_TABLE_FROM_2022_03))
		check_everything(&o, port_step);
	close_scenario(&o);
}

/* The exact shape each scenario promises, on one layout. */
static const struct forge_scenario_facts *shape(struct opened *o, const char *name)
{
	if (!open_scenario(o, name, "22621", FORGE_ALPC_HANDLE_TABLE_AS_LAYOUT))
		return NULL;
	return o->system.facts;
}

static size_t count_definite(const struct forge_scenario_facts *f)
{
	size_t n = 0;
	for (size_t i = 0; i < f->wait_count; i++)
		n += f->waits[i].definite;
	return n;
}

static void deadlock_2(void)
{
	run_on_every_layout("deadlock-2", 1);
	struct opened o;
	const struct forge_scenario_facts *f = shape(&o, "deadlock-2");
	if (f) {
		CU_ASSERT_EQUAL(f->process_count, 3);
		CU_ASSERT_EQUAL(f->port_count, 6);
		CU_ASSERT_EQUAL(f->message_count, 2);
		CU_ASSERT_EQUAL(f->wait_count, 2);
		CU_ASSERT_EQUAL(count_definite(f), 2);
		CU_ASSERT_EQUAL_FATAL(f->cycle_count, 1);
		CU_ASSERT_EQUAL(f->cycles[0].length, 2);
		CU_ASSERT_EQUAL(f->cycles[0].pids[0], 0x3a8);
		CU_ASSERT_EQUAL(f->cycles[0].tids[0], 0x3b0);
		CU_ASSERT_EQUAL(f->cycles[0].pids[1], 0x5c4);
		CU_ASSERT_EQUAL(f->cycles[0].tids[1], 0x5c8);
		CU_ASSERT_TRUE(f->cycles[0].definite);
		CU_ASSERT_STRING_EQUAL(f->ports[1].name, "\\RPC Control\\spoolss");
	}
	close_scenario(&o);
}

static void cycle_3(void)
{
	run_on_every_layout("cycle-3", 1);
	struct opened o;
	const struct forge_scenario_facts *f = shape(&o, "cycle-3");
	if (f) {
		CU_ASSERT_EQUAL_FATAL(f->cycle_count, 1);
		const struct forge_scenario_cycle *c = &f->cycles[0];
		CU_ASSERT_EQUAL(c->length, 3);
		CU_ASSERT_EQUAL(c->pids[0], 0x284);
		CU_ASSERT_EQUAL(c->pids[1], 0x2b4);
		CU_ASSERT_EQUAL(c->pids[2], 0x47c);
		CU_ASSERT_EQUAL(c->tids[2], 0x480);
		CU_ASSERT_FALSE(c->definite);
		CU_ASSERT_EQUAL(count_definite(f), 2);
	}
	close_scenario(&o);
}

static void chain_6_mutant(void)
{
	run_on_every_layout("chain-6-mutant", 1);
	struct opened o;
	const struct forge_scenario_facts *f = shape(&o, "chain-6-mutant");
	if (f) {
		CU_ASSERT_EQUAL(f->process_count, 7);
		CU_ASSERT_EQUAL(f->cycle_count, 0);
		CU_ASSERT_EQUAL_FATAL(f->wait_count, 6);
		for (size_t i = 0; i < 5; i++) {
			CU_ASSERT_EQUAL(f->waits[i].kind, FORGE_WAITS_FOR_ALPC_REPLY);
			CU_ASSERT_EQUAL(f->waits[i].target_pid, f->processes[i + 2].pid);
		}
		CU_ASSERT_EQUAL(f->waits[5].kind, FORGE_WAITS_FOR_MUTANT);
		CU_ASSERT_EQUAL(f->waits[5].pid, 0xf74);
		CU_ASSERT_EQUAL(f->waits[5].target_pid, 0xf74);
		CU_ASSERT_EQUAL(f->waits[5].target_tid, 0xf7c);
		CU_ASSERT_STRING_EQUAL(f->processes[6].image, "SearchIndexer.e");
	}
	close_scenario(&o);
}

static void main_queue(void)
{
	run_on_every_layout("main-queue", 1);
	struct opened o;
	const struct forge_scenario_facts *f = shape(&o, "main-queue");
	if (f) {
		CU_ASSERT_EQUAL_FATAL(f->message_count, 2);
		CU_ASSERT_EQUAL(f->messages[0].queue, FORGE_QUEUE_MAIN);
		CU_ASSERT_EQUAL(forge_scenario_port_at(f, f->messages[0].queue_port)->kind, FORGE_PORT_CONNECTION);
		CU_ASSERT_EQUAL(forge_scenario_port_at(f, f->messages[1].queue_port)->kind,
				FORGE_PORT_SERVER_COMMUNICATION);
		CU_ASSERT_EQUAL(forge_scenario_port_at(f, f->messages[0].queue_port)->wait_length, 2);
		CU_ASSERT_EQUAL(f->wait_count, 2);
		CU_ASSERT_EQUAL(count_definite(f), 0);
		CU_ASSERT_EQUAL(f->waits[0].target_pid, 0x31c);
		CU_ASSERT_EQUAL(f->waits[1].target_pid, 0x31c);
	}
	close_scenario(&o);
}

static void pending(void)
{
	run_on_every_layout("pending", 1);
	struct opened o;
	const struct forge_scenario_facts *f = shape(&o, "pending");
	if (f) {
		CU_ASSERT_EQUAL_FATAL(f->wait_count, 2);
		CU_ASSERT_EQUAL(count_definite(f), 2);
		CU_ASSERT_EQUAL(f->waits[0].target_tid, 0x2c0);
		CU_ASSERT_EQUAL(f->waits[1].target_tid, 0x2c4);
		CU_ASSERT_EQUAL(forge_scenario_port_at(f, f->messages[0].queue_port)->pending_length, 2);
	}
	close_scenario(&o);
}

static void canceled(void)
{
	run_on_every_layout("canceled", 1);
	struct opened o;
	const struct forge_scenario_facts *f = shape(&o, "canceled");
	if (f) {
		CU_ASSERT_EQUAL_FATAL(f->message_count, 3);
		CU_ASSERT_TRUE(f->messages[0].canceled);
		CU_ASSERT_EQUAL(f->messages[0].waiting_thread, 0);
		CU_ASSERT_EQUAL(f->messages[0].client_pid, 0x1234);
		CU_ASSERT_FALSE(f->messages[2].canceled);
		CU_ASSERT_EQUAL(forge_scenario_port_at(f, f->messages[0].queue_port)->canceled_length, 2);
		CU_ASSERT_EQUAL(f->wait_count, 1);
	}
	close_scenario(&o);
}

static void self_connection(void)
{
	run_on_every_layout("self-connection", 1);
	struct opened o;
	const struct forge_scenario_facts *f = shape(&o, "self-connection");
	if (f) {
		CU_ASSERT_EQUAL_FATAL(f->wait_count, 1);
		CU_ASSERT_EQUAL(f->waits[0].pid, 0x6f0);
		CU_ASSERT_EQUAL(f->waits[0].target_pid, 0x6f0);
		CU_ASSERT_EQUAL(f->waits[0].target_tid, 0x6f8);
		CU_ASSERT_EQUAL(f->cycle_count, 0);
		for (size_t i = 0; i < f->port_count; i++)
			CU_ASSERT_EQUAL(f->ports[i].owner_pid, 0x6f0);
	}
	close_scenario(&o);
}

/* The pool tag: Microsoft's pooltag.txt lists "ALPC - nt!alpc - ALPC
 * port objects" (not "AlPt"); before Windows 8 object blocks carry the
 * protected bit on the tag's last byte, as Volatility 3's pool scanner
 * expects for "Pro\xe3". */
static void pool_only(void)
{
	run_on_every_layout("pool-only", 1);
	struct opened o;
	const struct forge_scenario_facts *f = shape(&o, "pool-only");
	if (f) {
		size_t hidden = 0;
		for (size_t i = 0; i < f->port_count; i++)
			hidden += f->ports[i].pool_only;
		CU_ASSERT_EQUAL(hidden, 3);
		CU_ASSERT_EQUAL(f->port_pool_tag, 0x43504c41u); /* "ALPC" */
	}
	close_scenario(&o);
	if (open_scenario(&o, "pool-only", "7601.24540", FORGE_ALPC_HANDLE_TABLE_AS_LAYOUT))
		CU_ASSERT_EQUAL(o.system.facts->port_pool_tag, 0xc3504c41u);
	close_scenario(&o);
}

static double seconds_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* 300 x 40 ports, every 41st port read back in full (all are counted on
 * AlpcpPortList); forging one takes well under 2 s without sanitizers. */
static void many_ports(void)
{
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	struct forge_scenario_system system;
	struct error *error = forge_scenario_system_new(forge_scenario_named("many-ports"),
							forge_layout_named("19041.3570"),
							FORGE_ALPC_HANDLE_TABLE_AS_LAYOUT, &system);
	CU_ASSERT_PTR_NULL_FATAL(error);
	double forging = seconds_since(&start);
	printf("\n    many-ports forged in %.2f s\n", forging);
	CU_ASSERT_TRUE(forging < 10.0);
	const struct forge_scenario_facts *f = system.facts;
	CU_ASSERT_EQUAL(f->process_count, 301);
	CU_ASSERT_EQUAL(f->port_count, 300 * 40);
	for (size_t i = 0; i < f->process_count; i++) {
		size_t owned = 0;
		for (size_t j = 0; j < f->port_count; j++)
			owned += f->ports[j].owner_pid == f->processes[i].pid;
		CU_ASSERT_EQUAL(owned, f->processes[i].pid == 4 ? 0 : 40);
	}
	CU_ASSERT_EQUAL(f->wait_count, 150);
	CU_ASSERT_EQUAL(count_definite(f), 0);
	CU_ASSERT_EQUAL(f->cycle_count, 0);
	forge_scenario_system_free(&system);
	for (size_t i = 0; i < forge_scenario_layout_count; i++) {
		struct opened o;
		if (open_scenario(&o, "many-ports", forge_scenario_layouts[i], FORGE_ALPC_HANDLE_TABLE_AS_LAYOUT))
			check_everything(&o, 41);
		close_scenario(&o);
	}
}

/* A replay on any other layout is refused; an x86 or LPC layout too. */
static void scenarios_refuse_what_does_not_fit(void)
{
	struct forge_scenario_system system;
	struct error *error = forge_scenario_system_new(forge_scenario_named("replay-win10-smss"),
							forge_layout_named("22621"),
							FORGE_ALPC_HANDLE_TABLE_AS_LAYOUT, &system);
	CU_ASSERT_PTR_NOT_NULL(error);
	error_free(error);
	error = forge_scenario_system_new(forge_scenario_named("deadlock-2"), forge_layout_named("XP x86"),
					  FORGE_ALPC_HANDLE_TABLE_AS_LAYOUT, &system);
	CU_ASSERT_PTR_NOT_NULL(error);
	error_free(error);
	error = forge_scenario_system_new(forge_scenario_named("deadlock-2"), NULL, FORGE_ALPC_HANDLE_TABLE_AS_LAYOUT,
					  &system);
	CU_ASSERT_PTR_NOT_NULL(error);
	error_free(error);
	CU_ASSERT_PTR_NULL(forge_scenario_named("no-such-scenario"));
	CU_ASSERT_EQUAL(forge_scenario_count, 17); /* 11 ALPC, 6 LPC */
}

/* A port as `!alpc /p` shows it: the object, its communication info's
 * three ports, its owner and the owner's image. */
static void expect_port(struct kreader *kr, uint64_t port, uint64_t info, uint64_t connection, uint64_t client,
			uint64_t server, uint64_t owner, const char *image)
{
	const struct known_offsets *k = kr->k;
	CU_ASSERT_EQUAL(kr_ptr(kr, port + k->port_comm_info), info);
	CU_ASSERT_EQUAL(kr_ptr(kr, info + k->comm_connection), connection);
	CU_ASSERT_EQUAL(kr_ptr(kr, info + k->comm_client), client);
	CU_ASSERT_EQUAL(kr_ptr(kr, info + k->comm_server), server);
	CU_ASSERT_EQUAL(kr_ptr(kr, port + k->port_owner), owner);
	char text[16] = { 0 };
	kr_read(kr, owner + k->eprocess_name, text, 15);
	CU_ASSERT_STRING_EQUAL(text, image);
}

/* An `/lpp` connection line: server port -> client port, client owner. */
static void expect_connection(struct kreader *kr, uint64_t server, uint64_t client, uint64_t client_owner,
			      const char *image)
{
	uint64_t info = kr_ptr(kr, server + kr->k->port_comm_info);
	expect_port(kr, client, info, kr_ptr(kr, info + kr->k->comm_connection), client, server, client_owner, image);
	CU_ASSERT_EQUAL(kr_u32(kr, server + kr->k->port_main_queue_length), 0);
}

static void expect_name(struct kreader *kr, uint64_t body, const char *leaf)
{
	char text[256];
	CU_ASSERT_TRUE_FATAL(kr_object_name(kr, body, text, sizeof text));
	const char *last = strrchr(text, '\\');
	CU_ASSERT_STRING_EQUAL(last ? last + 1 : text, leaf);
}

/* debugger-output-formats.md §3.2, §3.4-3.6 (Windows 10). */
static void replay_windows_10_session(void)
{
	struct opened o;
	if (!open_scenario(&o, "replay-win10-smss", NULL, FORGE_ALPC_HANDLE_TABLE_AS_LAYOUT)) {
		close_scenario(&o);
		return;
	}
	check_everything(&o, 1);
	struct kreader *kr = &o.kr;
	const struct known_offsets *k = kr->k;
	CU_ASSERT_STRING_EQUAL(o.system.facts->layout, "19041.3570");
	/* !alpc /p ffffc48d8895de20 */
	const uint64_t sm_api = 0xffffc48d8895de20ULL, smss = 0xffffc48d86b00640ULL;
	expect_port(kr, sm_api, 0xffffa4805c1ca610ULL, sm_api, 0, 0, smss, "smss.exe");
	expect_name(kr, sm_api, "SmApiPort");
	CU_ASSERT_EQUAL(kr_u32(kr, sm_api + k->port_sequence_no), 5);
	CU_ASSERT_EQUAL(kr_ptr(kr, sm_api + k->port_completion_port), 0xffffc48d888ee1c0ULL);
	CU_ASSERT_EQUAL(kr_ptr(kr, 0xffffc48d8895b080ULL + k->ethread_cid), 0x1d8);
	CU_ASSERT_EQUAL(tid_of_thread(kr, 0xffffc48d8895b080ULL), 0x208);
	CU_ASSERT_EQUAL(pid_of_process(kr, smss), 0x1d8);
	CU_ASSERT_EQUAL(kr_u32(kr, sm_api + k->port_main_queue_length), 0);
	CU_ASSERT_EQUAL(kr_u32(kr, sm_api + k->port_pending_queue_length), 0);
	/* !alpc /lpp ffffc48d86b00640: created */
	expect_connection(kr, 0xffffc48d8b63bbd0ULL, 0xffffc48d8b63be20ULL, 0xffffc48d869fd640ULL, "csrss.exe");
	expect_connection(kr, 0xffffc48d8b6f9e20ULL, 0xffffc48d8b6fabb0ULL, 0xffffc48d8b679640ULL, "csrss.exe");
	expect_connection(kr, 0xffffc48d8b83bad0ULL, 0xffffc48d8b83bd20ULL, 0xffffc48d8b7fb080ULL, "svchost.exe");
	CU_ASSERT_EQUAL(kr_ptr(kr, kr_ptr(kr, 0xffffc48d8b83bad0ULL + k->port_comm_info) + k->comm_connection), sm_api);
	CU_ASSERT_EQUAL(kr_ptr(kr, 0xffffc48d8b63bbd0ULL + k->port_owner), smss);
	/* connected to */
	const struct { uint64_t client, port, owner; } to[] = {
		{ 0xffffc48d8b63ae20ULL, 0xffffc48d8b63cb70ULL, 0xffffc48d869fd640ULL },
		{ 0xffffc48d8b6f9bd0ULL, 0xffffc48d8b6fae20ULL, 0xffffc48d8b679640ULL },
	};
	for (size_t i = 0; i < 2; i++) {
		uint64_t info = kr_ptr(kr, to[i].client + k->port_comm_info);
		CU_ASSERT_EQUAL(kr_ptr(kr, info + k->comm_connection), to[i].port);
		CU_ASSERT_EQUAL(kr_ptr(kr, to[i].client + k->port_owner), smss);
		CU_ASSERT_EQUAL(kr_ptr(kr, to[i].port + k->port_owner), to[i].owner);
		expect_name(kr, to[i].port, "SbApiPort");
	}
	/* !alpc /m ffffa480730b6890 and !thread ffffc48da6de0700 */
	const uint64_t message = 0xffffa480730b6890ULL, thread = 0xffffc48da6de0700ULL;
	const uint64_t queue_port = 0xffffc48da9178090ULL, audiodg = 0xffffc48d958a1080ULL;
	uint64_t pm = message + k->msg_port_message;
	CU_ASSERT_EQUAL(kr_u32(kr, pm + k->pm_message_id), 0x59c8);
	CU_ASSERT_EQUAL(kr_u32(kr, pm + k->pm_callback_id), 0x24ae18e);
	CU_ASSERT_EQUAL(kr_u16(kr, pm), 0xa4);
	CU_ASSERT_EQUAL(kr_u16(kr, pm + 2), 0xcc);
	CU_ASSERT_EQUAL(kr_u16(kr, pm + 4), 1);
	CU_ASSERT_EQUAL(kr_u32(kr, message + 0x2c), 0x207); /* SequenceNo: struct-offsets.md _KALPC_MESSAGE, 19041.3570 */
	CU_ASSERT_EQUAL(kr_ptr(kr, message + k->msg_owner_port), 0xffffc48da7067070ULL);
	CU_ASSERT_EQUAL(kr_ptr(kr, message + k->msg_waiting_thread), thread);
	CU_ASSERT_EQUAL(kr_ptr(kr, message + k->msg_port_queue), queue_port);
	CU_ASSERT_TRUE(list_holds(kr, queue_port + k->port_main_queue, message));
	expect_port(kr, queue_port, kr_ptr(kr, queue_port + k->port_comm_info), queue_port, 0, 0, audiodg,
		    "audiodg.exe");
	uint64_t client_info = kr_ptr(kr, 0xffffc48da7067070ULL + k->port_comm_info);
	CU_ASSERT_EQUAL(kr_ptr(kr, client_info + k->comm_client), 0xffffc48da7067070ULL);
	CU_ASSERT_EQUAL(kr_ptr(kr, thread + k->ethread_cid), 0x994);
	CU_ASSERT_EQUAL(tid_of_thread(kr, thread), 0x4fcc);
	CU_ASSERT_EQUAL(kr_u8(kr, thread + k->kthread_state), 5);
	CU_ASSERT_EQUAL(kr_u8(kr, thread + k->kthread_wait_reason), 5); /* Suspended */
	CU_ASSERT_EQUAL(kr_ptr(kr, thread + k->alpc_message), message);
	CU_ASSERT_EQUAL(kr_u32(kr, thread + k->alpc_message_id), 0x59c8);
	CU_ASSERT_TRUE(kr->ok);
	close_scenario(&o);
}

/* bnagy-alpcbuggery-win7x64-lkd-alpc-fragments.txt (Windows 7). */
static void replay_windows_7_session(void)
{
	struct opened o;
	if (!open_scenario(&o, "replay-win7-alpcbuggery", NULL, FORGE_ALPC_HANDLE_TABLE_AS_LAYOUT)) {
		close_scenario(&o);
		return;
	}
	check_everything(&o, 1);
	struct kreader *kr = &o.kr;
	const struct known_offsets *k = kr->k;
	CU_ASSERT_STRING_EQUAL(o.system.facts->layout, "7601.17514");
	/* !alpc /p fffffa80321c2920 */
	const uint64_t port = 0xfffffa80321c2920ULL, dns = 0xfffffa80340e1cd0ULL;
	expect_port(kr, port, 0xfffff8a002fa3150ULL, dns, port, 0xfffffa8036210070ULL, 0xfffffa8031d4cb30ULL,
		    "iexplore.exe");
	expect_name(kr, dns, "DNSResolver");
	CU_ASSERT_EQUAL(kr_u32(kr, port + k->port_sequence_no), 0x31);
	/* !alpc /lpp fffffa80353c3060 */
	const uint64_t process = 0xfffffa80353c3060ULL, ole16 = 0xfffffa8032129590ULL;
	CU_ASSERT_EQUAL(kr_ptr(kr, ole16 + k->port_owner), process);
	expect_name(kr, ole16, "OLE16E02A5AAD974222920005479E7C");
	CU_ASSERT_EQUAL(kr_u32(kr, ole16 + k->port_main_queue_length), 0);
	expect_connection(kr, 0xfffffa8033c6fb80ULL, 0xfffffa803262f900ULL, 0xfffffa80321ac580ULL, "svchost.exe");
	CU_ASSERT_EQUAL(kr_ptr(kr, 0xfffffa8033c6fb80ULL + k->port_owner), process);
	const struct { uint64_t client, port, owner; const char *name, *image; uint32_t queued; } to[] = {
		{ 0xfffffa8035261e60ULL, 0xfffffa8032059e60ULL, 0xfffffa8032e68b30ULL, "ApiPort", "csrss.exe", 0 },
		{ 0xfffffa80353ce070ULL, 0xfffffa8033c2a6b0ULL, 0xfffffa8032fd2b30ULL, "ThemeApiPort", "svchost.exe", 0 },
		{ 0xfffffa80365bb8c0ULL, 0xfffffa803211a5a0ULL, 0xfffffa80320a3440ULL, "lsasspirpc", "lsass.exe", 0 },
		{ 0xfffffa80365b2e60ULL, 0xfffffa8032174cf0ULL, 0xfffffa803207fb30ULL, "ntsvcs", "services.exe", 19 },
	};
	for (size_t i = 0; i < 4; i++) {
		uint64_t info = kr_ptr(kr, to[i].client + k->port_comm_info);
		CU_ASSERT_EQUAL(kr_ptr(kr, info + k->comm_connection), to[i].port);
		CU_ASSERT_EQUAL(kr_ptr(kr, to[i].client + k->port_owner), process);
		expect_port(kr, to[i].port, kr_ptr(kr, to[i].port + k->port_comm_info), to[i].port, 0, 0, to[i].owner,
			    to[i].image);
		expect_name(kr, to[i].port, to[i].name);
		CU_ASSERT_EQUAL(kr_u32(kr, to[i].port + k->port_main_queue_length), to[i].queued);
		CU_ASSERT_EQUAL(kr_u32(kr, to[i].client + k->port_main_queue_length), 0);
	}
	/* !object fffffa80352ea740 3 and its directory */
	const uint64_t object = 0xfffffa80352ea740ULL, directory = 0xfffff8a000a4c450ULL;
	char text[64];
	CU_ASSERT_TRUE(kr_type_name(kr, object, o.globals->ob_type_index_table, 0, text, sizeof text));
	CU_ASSERT_STRING_EQUAL(text, "ALPC Port");
	CU_ASSERT_EQUAL(kr_u64(kr, object - 0x30 + 0x8), 1); /* HandleCount */
	CU_ASSERT_EQUAL(kr_u64(kr, object - 0x30), 4);       /* PointerCount */
	CU_ASSERT_TRUE(kr_object_name(kr, object, text, sizeof text));
	CU_ASSERT_STRING_EQUAL(text, "\\RPC Control\\OLE8F8B8C095131496BB200263FA52C");
	/* the name info's Directory (the header's optional headers: name
	 * info below creator info below the header) */
	uint64_t name_info = object - 0x30 - k->creator_info_size - k->name_info_size;
	CU_ASSERT_EQUAL(kr_ptr(kr, name_info + k->name_info_directory), directory);
	CU_ASSERT_TRUE(kr_type_name(kr, directory, o.globals->ob_type_index_table, 0, text, sizeof text));
	CU_ASSERT_STRING_EQUAL(text, "Directory");
	CU_ASSERT_TRUE(kr->ok);
	close_scenario(&o);
}

int main(void)
{
	static const struct test_case cases[] = {
		{ "2-process deadlock", deadlock_2 },
		{ "3-process cycle", cycle_3 },
		{ "chain of 6 ending on a mutant", chain_6_mutant },
		{ "queued, not received (MAIN)", main_queue },
		{ "received (PENDING)", pending },
		{ "canceled messages", canceled },
		{ "self-connection", self_connection },
		{ "ports only a pool scan finds", pool_only },
		{ "300 processes x 40 ports", many_ports },
		{ "scenarios refuse what does not fit", scenarios_refuse_what_does_not_fit },
		{ "replay: Windows 10 smss/SmApiPort/audiodg", replay_windows_10_session },
		{ "replay: Windows 7 alpcbuggery", replay_windows_7_session },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = { { "forge scenarios", cases } };
	return run_suites("test_forge_scenarios", suites, 1);
}
