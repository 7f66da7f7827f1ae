/* LPC from dumps (src/kernel/lpc_*.c, src/ipc/lpc.c): ports, their
 * queues and rundown queues, messages and the threads doing LPC, decoded
 * from XP x86 (non-PAE and PAE), 2003 x86 and 2003 x64 images the forge
 * writes with real layouts (tests/forge), read back through the built-in
 * profiles; then the snapshot and the correlator's cycle.  Every value
 * asserted is one the test forged. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../src/correlate/correlate.h"
#include "../../src/ipc/ipc.h"
#include "../../src/kernel/kernel.h"
#include "../forge/forge.h"
#include "harness.h"

#define MAX_PFN 0x8000ULL   /* 128 MiB */
#define HEAP_PA 0x400000ULL
#define KEPT 64

struct warnings {
	char text[64][320];
	unsigned count;
};

static void collect_warning(void *context, uint64_t address, const char *text)
{
	(void)address;
	struct warnings *warnings = context;
	if (warnings->count < 64)
		snprintf(warnings->text[warnings->count], sizeof warnings->text[0], "%s", text);
	warnings->count++;
}

static bool warned(const struct warnings *warnings, const char *fragment)
{
	for (unsigned i = 0; i < warnings->count && i < 64; i++)
		if (strstr(warnings->text[i], fragment))
			return true;
	return false;
}

struct layout_case {
	const char *column;
	enum forge_arch arch;
};

static const struct layout_case layouts[] = {
	{ "XP x86", FORGE_X86 },
	{ "XP x86", FORGE_X86_PAE },
	{ "2003 x86", FORGE_X86_PAE },
	{ "2003 x64", FORGE_X64 },
};

struct world {
	const struct layout_case *c;
	struct forge *forge;
	struct forge_windows *w;
	const struct forge_layout *l;
	char path[PATH_MAX];
	struct dump *dump;
	struct physical_memory *memory;
	struct os_identity os;
	struct kernel *kernel;
	struct kernel_reader reader;
	struct warnings warnings;
	struct kernel_process processes[KEPT];
	size_t process_count;
	struct kernel_thread threads[KEPT];
	size_t thread_count;
};

static const struct kernel_profile *builtin(const char *name)
{
	for (size_t i = 0; i < builtin_profile_count; i++)
		if (strcmp(builtin_profiles[i].name, name) == 0)
			return &builtin_profiles[i];
	return NULL;
}

static void world_new(struct world *world, const struct layout_case *c, bool creator_info)
{
	memset(world, 0, sizeof *world);
	world->c = c;
	world->l = forge_layout_named(c->column);
	CU_ASSERT_PTR_NOT_NULL_FATAL(world->l);
	world->forge = forge_new(c->arch, MAX_PFN);
	struct forge_windows_options options = {
		.layout = world->l,
		.heap_pa = HEAP_PA,
		.pool_headers = true,
		.creator_info = creator_info,
	};
	world->w = forge_windows_new(world->forge, &options);
}

static bool keep_process(void *context, const struct kernel_process *process)
{
	struct world *world = context;
	if (world->process_count < KEPT)
		world->processes[world->process_count++] = *process;
	return true;
}

static bool keep_thread(void *context, const struct kernel_thread *thread)
{
	struct world *world = context;
	if (world->thread_count < KEPT)
		world->threads[world->thread_count++] = *thread;
	return true;
}

/* Writes the dump, opens it as alpcgraph does and walks its processes and
 * threads. */
static bool world_open(struct world *world)
{
	struct forge_header header = {
		.build = world->l->build,
		.ps_active_process_head = forge_windows_facts(world->w)->ps_active_process_head,
		.processors = 1,
	};
	forge_set_header(world->forge, &header);
	static unsigned serial;
	snprintf(world->path, sizeof world->path, "%s/lpc-%u.dmp", test_temp_dir(), serial++);
	struct error *error = forge_write_dump(world->forge, FORGE_WINDOWS_FULL, world->path);
	if (!error)
		error = dump_open(world->path, DUMP_DETECT, &world->dump);
	if (error) {
		fprintf(stderr, "\n  %s\n", error->message);
		error_free(error);
		return false;
	}
	world->memory = physical_memory_open(world->dump);
	identify_os(world->memory, &world->os);
	const struct kernel_profile *profile = builtin(world->c->column);
	struct kernel_warnings sink = { collect_warning, &world->warnings };
	error = kernel_open(world->memory, &world->os, profile, sink, &world->kernel);
	if (!error)
		error = kernel_walk_processes(world->kernel, keep_process, world);
	for (size_t i = 0; !error && i < world->process_count; i++)
		error = kernel_walk_threads(world->kernel, &world->processes[i], keep_thread, world);
	if (error) {
		fprintf(stderr, "\n  %s\n", error->message);
		error_free(error);
		return false;
	}
	world->reader = (struct kernel_reader){ kernel_address_space(world->kernel), profile, sink };
	return true;
}

static void world_free(struct world *world)
{
	kernel_close(world->kernel);
	if (world->memory)
		physical_memory_close(world->memory);
	if (world->dump)
		dump_close(world->dump);
	forge_windows_free(world->w);
	forge_free(world->forge);
}

static struct error *census_of(struct world *world, bool pool, struct kernel_lpc_census *census)
{
	struct kernel_lpc_sources sources = { .memory = pool ? world->memory : NULL };
	return kernel_lpc_census(world->kernel, &world->reader, &sources, world->processes,
				 world->process_count, world->threads, world->thread_count, census);
}

static const struct kernel_lpc_thread *lpc_thread(const struct kernel_lpc_census *census, uint64_t address)
{
	for (size_t i = 0; i < census->thread_count; i++)
		if (census->threads[i].thread == address)
			return &census->threads[i];
	return NULL;
}

/* ---- csrss's ApiPort with a request queued, its client waiting -------- */

struct api_port {
	uint64_t csrss, app, listener, caller, api_port, client_port, server_port, queued, idle_port;
	uint32_t handle;
};

static const uint32_t data_words[] = { 0x00010203, 0x44556677, 0x8899aabb, 0xccddeeff };

static void forge_api_port(struct world *world, struct api_port *a)
{
	struct forge_windows *w = world->w;
	const struct forge_layout *l = world->l;
	a->csrss = forge_process(w, 0x1e0, "csrss.exe");
	a->app = forge_process(w, 0x584, "winlogon.exe");
	a->listener = forge_thread(w, a->csrss, 0x1e8, FORGE_THREAD_WAITING, FORGE_WAIT_LPC_RECEIVE);
	a->caller = forge_thread(w, a->app, 0x680, FORGE_THREAD_WAITING, FORGE_WAIT_LPC_REPLY);
	a->api_port = forge_lpc_connection_port(w, a->csrss, "\\Windows\\ApiPort");
	a->idle_port = forge_lpc_connection_port(w, a->csrss, "\\Windows\\SbApiPort");
	forge_handle(w, a->csrss, a->api_port, 0x1f0001);
	forge_handle(w, a->csrss, a->idle_port, 0x1f0001);
	forge_lpc_connect(w, a->caller, a->api_port, &a->client_port, &a->server_port);
	a->handle = forge_handle(w, a->app, a->client_port, 0x1f0001);
	forge_handle(w, a->csrss, a->server_port, 0x1f0001);
	struct forge_lpc_message_spec spec = {
		.queue_port = a->api_port, .sender_port = a->client_port, .port_context = 0x21,
		.message_id = 0x2249c, .data_length = 0x7c, .total_length = 0x98, .type = 1,
		.client_pid = 0x584, .client_tid = 0x680,
	};
	a->queued = forge_lpc_message(w, &spec);
	for (unsigned i = 0; i < 4; i++)
		forge_kernel_write_u32(w, a->queued + l->lpc_message.request + l->port_message.size + 4 * i,
				       data_words[i]);
	forge_lpc_wait_reply(w, a->caller, a->client_port, 0x2249c);
}

static void test_api_port_in(const struct layout_case *c)
{
	struct world world;
	world_new(&world, c, false);
	struct api_port a;
	forge_api_port(&world, &a);
	CU_ASSERT_FATAL(world_open(&world));
	struct kernel_lpc_census census;
	struct error *error = census_of(&world, false, &census);
	CU_ASSERT_PTR_NULL_FATAL(error);
	CU_ASSERT_EQUAL(census.ports.count, 4);
	CU_ASSERT_EQUAL(census.messages.count, 1);
	/* csrss's handles come first; its server port names the client port
	 * before the client's own handle table is walked. */
	CU_ASSERT_EQUAL(census.found[0], 3);
	CU_ASSERT_EQUAL(census.found[2], 1);
	const struct kernel_lpc_port *api = u64_map_get(&census.port_by_address, a.api_port);
	CU_ASSERT_PTR_NOT_NULL_FATAL(api);
	CU_ASSERT_STRING_EQUAL(api->name, "\\Windows\\ApiPort");
	CU_ASSERT_STRING_EQUAL(api->type_name, "Port");
	CU_ASSERT_EQUAL(api->flags, 1);
	CU_ASSERT_EQUAL(api->kind, KERNEL_LPC_SERVER_CONNECTION_PORT);
	CU_ASSERT_EQUAL(api->connection_port, a.api_port);
	CU_ASSERT_EQUAL(api->connected_port, 0);
	CU_ASSERT_EQUAL(api->creator_pid, 0x1e0);
	CU_ASSERT_EQUAL(api->creator_tid, 0);
	CU_ASSERT_EQUAL(api->server_process, a.csrss);
	CU_ASSERT(api->counts_known);
	CU_ASSERT_EQUAL(api->handles, 1);
	/* PointerCount as the forge left it: one for the name, one for the
	 * handle. */
	CU_ASSERT_EQUAL(api->references, 2);
	CU_ASSERT_EQUAL(api->references, forge_kernel_read_pointer(world.w, forge_object_header(world.w, a.api_port) +
									  world.l->object_header.pointer_count));
	CU_ASSERT_NOT_EQUAL(api->queue_semaphore, 0);
	CU_ASSERT(api->semaphore_read);
	CU_ASSERT_EQUAL(api->semaphore_state, 0);
	CU_ASSERT_EQUAL(api->semaphore_limit, 0x7fffffff);
	CU_ASSERT(api->messages.complete);
	CU_ASSERT_EQUAL_FATAL(api->messages.entries.count, 1);
	CU_ASSERT_EQUAL(api->messages.entries.items[0], a.queued);
	CU_ASSERT(api->reply_chain.complete);
	CU_ASSERT_EQUAL(api->reply_chain.entries.count, 0);
	CU_ASSERT(api->data_info.complete);
	CU_ASSERT_EQUAL(api->data_info.entries.count, 0);
	const struct kernel_lpc_port *idle = u64_map_get(&census.port_by_address, a.idle_port);
	CU_ASSERT_PTR_NOT_NULL_FATAL(idle);
	CU_ASSERT(idle->messages.complete);
	CU_ASSERT_EQUAL(idle->messages.entries.count, 0);
	const struct kernel_lpc_port *client = u64_map_get(&census.port_by_address, a.client_port);
	CU_ASSERT_PTR_NOT_NULL_FATAL(client);
	CU_ASSERT_PTR_NULL(client->name);
	CU_ASSERT_EQUAL(client->flags, 4);
	CU_ASSERT_EQUAL(client->kind, KERNEL_LPC_CLIENT_COMMUNICATION_PORT);
	CU_ASSERT_EQUAL(client->connection_port, a.api_port);
	CU_ASSERT_EQUAL(client->connected_port, a.server_port);
	CU_ASSERT_EQUAL(client->creator_pid, 0x584);
	CU_ASSERT_EQUAL(client->creator_tid, 0x680);
	CU_ASSERT_EQUAL(client->found_by, KERNEL_LPC_FOUND_REFERENCE | KERNEL_LPC_FOUND_HANDLE);
	CU_ASSERT_EQUAL_FATAL(client->reply_chain.entries.count, 1);
	CU_ASSERT_EQUAL(client->reply_chain.entries.items[0], a.caller);
	const struct kernel_lpc_port *server = u64_map_get(&census.port_by_address, a.server_port);
	CU_ASSERT_PTR_NOT_NULL_FATAL(server);
	CU_ASSERT_EQUAL(server->kind, KERNEL_LPC_SERVER_COMMUNICATION_PORT);
	CU_ASSERT_EQUAL(server->connected_port, a.client_port);
	CU_ASSERT_EQUAL(server->server_process, a.csrss);
	const struct kernel_lpc_message *m = u64_map_get(&census.message_by_address, a.queued);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(m->message_id, 0x2249c);
	CU_ASSERT_EQUAL(m->client_pid, 0x584);
	CU_ASSERT_EQUAL(m->client_tid, 0x680);
	CU_ASSERT_EQUAL(m->port_context, 0x21);
	CU_ASSERT_EQUAL(((uint32_t)m->total_length << 16) | m->data_length, 0x0098007c);
	CU_ASSERT_EQUAL(m->type, 1);
	CU_ASSERT_STRING_EQUAL(kernel_lpc_message_type_name(m->type), "LPC_REQUEST");
	/* Six words as `!lpc` prints them: the four written, then zeros. */
	CU_ASSERT_EQUAL_FATAL(m->data_words, 6);
	for (unsigned i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(m->data[i], data_words[i]);
	CU_ASSERT_EQUAL(m->data[4], 0);
	CU_ASSERT_EQUAL(m->data[5], 0);
	uint64_t head = a.api_port + world.l->lpc_port.msg_queue + world.l->lpc_port_queue.receive_head;
	CU_ASSERT_EQUAL(m->entry_flink, head);
	CU_ASSERT_EQUAL(m->entry_blink, head);
	CU_ASSERT_EQUAL(m->server_thread, 0);
	CU_ASSERT_EQUAL(m->sender_port, a.client_port);
	CU_ASSERT_EQUAL(m->queue, KERNEL_LPC_RECEIVE_QUEUE);
	CU_ASSERT_EQUAL(m->queue_port, a.api_port);
	CU_ASSERT(m->busy);
	CU_ASSERT_EQUAL(m->waiting_thread, a.caller);
	const struct kernel_lpc_thread *caller = lpc_thread(&census, a.caller);
	CU_ASSERT_PTR_NOT_NULL_FATAL(caller);
	CU_ASSERT_EQUAL(caller->pid, 0x584);
	CU_ASSERT_EQUAL(caller->tid, 0x680);
	CU_ASSERT_EQUAL(caller->reply_message_id, 0x2249c);
	CU_ASSERT(caller->waiting_reply);
	CU_ASSERT_EQUAL(caller->waiting_on_port, a.client_port);
	CU_ASSERT_EQUAL(caller->reply_message, 0);
	CU_ASSERT_EQUAL(caller->message, a.queued);
	CU_ASSERT_EQUAL(caller->reply_chain_port, a.client_port);
	CU_ASSERT(!caller->serving);
	CU_ASSERT_EQUAL(census.thread_count, 1);
	CU_ASSERT_EQUAL(world.warnings.count, 0);
	kernel_lpc_census_release(&census);
	world_free(&world);
}

static void test_api_port(void)
{
	for (size_t i = 0; i < sizeof layouts / sizeof *layouts; i++)
		test_api_port_in(&layouts[i]);
}

/* ---- two processes, each serving the other's request while waiting ---- */

struct deadlock {
	uint64_t a, b, a_thread, b_thread, a_port, b_port, a_client, a_server, b_client, b_server;
};

/* A's thread sent 0x100 to B and waits; B's thread received it and sent
 * 0x200 to A, whose thread had received that one: the classic LPC
 * deadlock through server threads.  Both requests were taken off the
 * queues, so only the thread fields and rundown queues tell. */
static void forge_deadlock(struct world *world, struct deadlock *d)
{
	struct forge_windows *w = world->w;
	d->a = forge_process(w, 0x300, "OrderSvc.exe");
	d->b = forge_process(w, 0x400, "StockSvc.exe");
	d->a_thread = forge_thread(w, d->a, 0x304, FORGE_THREAD_WAITING, FORGE_WAIT_LPC_REPLY);
	d->b_thread = forge_thread(w, d->b, 0x404, FORGE_THREAD_WAITING, FORGE_WAIT_LPC_REPLY);
	d->a_port = forge_lpc_connection_port(w, d->a, "\\RPC Control\\OrderPort");
	d->b_port = forge_lpc_connection_port(w, d->b, "\\RPC Control\\StockPort");
	forge_handle(w, d->a, d->a_port, 0x1f0001);
	forge_handle(w, d->b, d->b_port, 0x1f0001);
	forge_lpc_connect(w, d->a_thread, d->b_port, &d->a_client, &d->b_server);
	forge_lpc_connect(w, d->b_thread, d->a_port, &d->b_client, &d->a_server);
	forge_handle(w, d->a, d->a_client, 0x1f0001);
	forge_handle(w, d->b, d->b_client, 0x1f0001);
	forge_lpc_wait_reply(w, d->a_thread, d->a_client, 0x100);
	forge_lpc_wait_reply(w, d->b_thread, d->b_client, 0x200);
	forge_lpc_received(w, d->b_thread, 0x100);
	forge_lpc_received(w, d->a_thread, 0x200);
}

static void test_deadlock_in(const struct layout_case *c)
{
	struct world world;
	world_new(&world, c, false);
	struct deadlock d;
	forge_deadlock(&world, &d);
	CU_ASSERT_FATAL(world_open(&world));
	struct kernel_lpc_census census;
	CU_ASSERT_PTR_NULL_FATAL(census_of(&world, false, &census));
	CU_ASSERT_EQUAL(census.ports.count, 6);
	CU_ASSERT_EQUAL(census.messages.count, 0);
	CU_ASSERT_EQUAL(census.thread_count, 2);
	const struct kernel_lpc_thread *a = lpc_thread(&census, d.a_thread);
	const struct kernel_lpc_thread *b = lpc_thread(&census, d.b_thread);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(a->reply_message_id, 0x100);
	CU_ASSERT(a->waiting_reply);
	CU_ASSERT_EQUAL(a->waiting_on_port, d.a_client);
	CU_ASSERT_EQUAL(a->reply_chain_port, d.a_client);
	CU_ASSERT(a->serving);
	CU_ASSERT_EQUAL(a->received_message_id, 0x200);
	CU_ASSERT_EQUAL(a->message, 0);
	CU_ASSERT_EQUAL(b->reply_message_id, 0x200);
	CU_ASSERT_EQUAL(b->reply_chain_port, d.b_client);
	CU_ASSERT(b->serving);
	CU_ASSERT_EQUAL(b->received_message_id, 0x100);
	kernel_lpc_census_release(&census);
	CU_ASSERT_EQUAL(world.warnings.count, 0);

	/* The whole path: the dump read into a snapshot, the correlator's
	 * thread-level cycle through both server threads. */
	struct ptr_vec snapshots = { 0 };
	struct dump_read_options options = { .format = DUMP_DETECT, .reading = READ_IPC_STATE };
	ipc_read_dump(world.path, &options, &snapshots);
	CU_ASSERT_EQUAL_FATAL(snapshots.count, 1);
	struct snapshot *snapshot = snapshots.items[0];
	struct thread *ta = snapshot_find_thread(snapshot, d.a_thread);
	struct thread *tb = snapshot_find_thread(snapshot, d.b_thread);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ta);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tb);
	CU_ASSERT(ta->lpc_wait_message_id.known && ta->lpc_wait_message_id.value == 0x100);
	CU_ASSERT(ta->lpc_port.known && ta->lpc_port.value == d.a_client);
	CU_ASSERT(ta->lpc_serving_message_id.known && ta->lpc_serving_message_id.value == 0x200);
	CU_ASSERT(tb->lpc_serving_message_id.known && tb->lpc_serving_message_id.value == 0x100);
	struct port *port = snapshot_find_port(snapshot, d.b_port);
	CU_ASSERT_PTR_NOT_NULL_FATAL(port);
	CU_ASSERT_EQUAL(port->flavor, FLAVOR_LPC);
	CU_ASSERT_EQUAL(port->kind, PORT_LPC_SERVER_CONNECTION);
	CU_ASSERT_STRING_EQUAL(port->name, "StockPort");
	CU_ASSERT(port->owner_process.known && port->owner_process.value == d.b);
	CU_ASSERT(port->lpc_flags.known && port->lpc_flags.value == 1);
	CU_ASSERT(port->handles.known && port->handles.value == 1);
	CU_ASSERT(port->queues[QUEUE_LPC_MESSAGES].length.known &&
		  port->queues[QUEUE_LPC_MESSAGES].length.value == 0);
	struct analysis *analysis = analyze(snapshot);
	CU_ASSERT_EQUAL(analysis_count_definite(analysis), 1);
	CU_ASSERT_EQUAL_FATAL(analysis->cycles.count, 1);
	struct cycle *cycle = analysis->cycles.items[0];
	CU_ASSERT_EQUAL(cycle->kind, CYCLE_THREAD);
	CU_ASSERT_EQUAL(cycle->members.count, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(cycle->signature, "OrderSvc.exe"));
	CU_ASSERT_PTR_NOT_NULL(strstr(cycle->signature, "StockSvc.exe"));
	analysis_free(analysis);
	for (size_t i = 0; i < snapshots.count; i++)
		snapshot_free(snapshots.items[i]);
	ptr_vec_release(&snapshots);
	world_free(&world);
}

static void test_deadlock(void)
{
	for (size_t i = 0; i < sizeof layouts / sizeof *layouts; i++)
		test_deadlock_in(&layouts[i]);
}

/* ---- +otl type lists and the pool: ports no handle names -------------- */

static void test_type_list_and_pool_in(const struct layout_case *c)
{
	struct world world;
	world_new(&world, c, true);
	struct forge_windows *w = world.w;
	uint64_t server = forge_process(w, 0x2a0, "lsass.exe");
	uint64_t client = forge_process(w, 0x3b4, "services.exe");
	uint64_t caller = forge_thread(w, client, 0x3c0, FORGE_THREAD_WAITING, FORGE_WAIT_LPC_REPLY);
	uint64_t named = forge_lpc_connection_port(w, server, "\\LsaAuthenticationPort");
	forge_handle(w, server, named, 0x1f0001);
	uint64_t unlisted = forge_lpc_connection_port(w, server, "\\SeLsaCommandPort");
	uint64_t client_port, server_port;
	forge_lpc_connect(w, caller, unlisted, &client_port, &server_port);
	struct forge_lpc_message_spec spec = { .message_id = 0x777, .data_length = 8, .type = 3,
					       .client_pid = 0x3b4, .client_tid = 0x3c0 };
	uint64_t loose = forge_lpc_message(w, &spec);
	CU_ASSERT_FATAL(world_open(&world));
	struct kernel_lpc_census census;
	CU_ASSERT_PTR_NULL_FATAL(census_of(&world, false, &census));
	/* The Port type's object list names every port. */
	CU_ASSERT_EQUAL(census.ports.count, 4);
	CU_ASSERT_EQUAL(census.found[0], 1);
	CU_ASSERT_EQUAL(census.found[1] + census.found[2], 3);
	const struct kernel_lpc_port *port = u64_map_get(&census.port_by_address, unlisted);
	CU_ASSERT_PTR_NOT_NULL_FATAL(port);
	CU_ASSERT_STRING_EQUAL(port->name, "\\SeLsaCommandPort");
	CU_ASSERT(port->found_by & KERNEL_LPC_FOUND_TYPE_LIST);
	CU_ASSERT_EQUAL(census.messages.count, 0);
	kernel_lpc_census_release(&census);
	/* The pool search finds the message no list links, and the ports. */
	CU_ASSERT_PTR_NULL_FATAL(census_of(&world, true, &census));
	CU_ASSERT_EQUAL(census.ports.count, 4);
	CU_ASSERT_EQUAL(census.messages.count, 1);
	CU_ASSERT_EQUAL(census.pool_messages, 1);
	const struct kernel_lpc_message *m = u64_map_get(&census.message_by_address, loose);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(m->message_id, 0x777);
	CU_ASSERT_EQUAL(m->type, 3);
	CU_ASSERT_STRING_EQUAL(kernel_lpc_message_type_name(m->type), "LPC_DATAGRAM");
	CU_ASSERT(!m->busy);
	CU_ASSERT_EQUAL(m->queue, KERNEL_LPC_NO_QUEUE);
	CU_ASSERT_EQUAL(m->found_by, KERNEL_LPC_FOUND_POOL);
	kernel_lpc_census_release(&census);
	world_free(&world);
}

static void test_type_list_and_pool(void)
{
	for (size_t i = 0; i < sizeof layouts / sizeof *layouts; i++)
		test_type_list_and_pool_in(&layouts[i]);
}

/* Ports only the pool holds: no handle, no type list, no reference. */
static void test_pool_only_port(void)
{
	for (size_t i = 0; i < sizeof layouts / sizeof *layouts; i++) {
		struct world world;
		world_new(&world, &layouts[i], false);
		uint64_t server = forge_process(world.w, 0x2a0, "lsass.exe");
		forge_process(world.w, 0x3b4, "services.exe");
		uint64_t hidden = forge_lpc_connection_port(world.w, server, "\\HiddenPort");
		CU_ASSERT_FATAL(world_open(&world));
		struct kernel_lpc_census census;
		CU_ASSERT_PTR_NULL_FATAL(census_of(&world, false, &census));
		CU_ASSERT_EQUAL(census.ports.count, 0);
		kernel_lpc_census_release(&census);
		world.warnings.count = 0;
		CU_ASSERT_PTR_NULL_FATAL(census_of(&world, true, &census));
		/* No Port type known from any port: the sourced "Port" tag finds
		 * it (docs/lpc.md "LPC pool tags"), said. */
		CU_ASSERT_EQUAL(census.ports.count, 1);
		CU_ASSERT_EQUAL(census.found[3], 1);
		const struct kernel_lpc_port *port = u64_map_get(&census.port_by_address, hidden);
		CU_ASSERT_PTR_NOT_NULL_FATAL(port);
		CU_ASSERT_EQUAL(port->found_by, KERNEL_LPC_FOUND_POOL);
		CU_ASSERT_STRING_EQUAL(port->name, "\\HiddenPort");
		CU_ASSERT(warned(&world.warnings, "by the tags \"Port\" and \"Wait\""));
		kernel_lpc_census_release(&census);
		world_free(&world);
	}
}

/* ---- damage: bounded, warned, partial --------------------------------- */

static void test_damage_in(const struct layout_case *c)
{
	struct world world;
	world_new(&world, c, false);
	struct forge_windows *w = world.w;
	const struct forge_layout *l = world.l;
	struct api_port a;
	forge_api_port(&world, &a);
	/* Two more requests, then the queue's third entry links back to its
	 * first; a second waiter on the client port, then that rundown
	 * queue loops too. */
	struct forge_lpc_message_spec spec = { .queue_port = a.api_port, .message_id = 0x2249e,
					       .data_length = 8, .type = 1 };
	forge_lpc_message(w, &spec);
	spec.message_id = 0x224a0;
	forge_lpc_message(w, &spec);
	uint64_t second = forge_thread(w, a.app, 0x684, FORGE_THREAD_WAITING, FORGE_WAIT_LPC_REPLY);
	forge_lpc_wait_reply(w, second, a.client_port, 0x2249e);
	forge_damage_list_loop(w, a.api_port + l->lpc_port.msg_queue + l->lpc_port_queue.receive_head, 2);
	forge_damage_list_loop(w, a.client_port + l->lpc_port.lpc_reply_chain_head, 1);
	/* The idle port's queue links one message in a page the image lacks. */
	uint64_t absent = forge_absent_kernel_page(w);
	uint64_t idle_head = a.idle_port + l->lpc_port.msg_queue + l->lpc_port_queue.receive_head;
	forge_kernel_write_pointer(w, idle_head, absent);
	forge_kernel_write_pointer(w, idle_head + l->pointer_size, absent);
	CU_ASSERT_FATAL(world_open(&world));
	struct kernel_lpc_census census;
	clock_t start = clock();
	CU_ASSERT_PTR_NULL_FATAL(census_of(&world, true, &census));
	CU_ASSERT((clock() - start) / CLOCKS_PER_SEC < 10);
	const struct kernel_lpc_port *api = u64_map_get(&census.port_by_address, a.api_port);
	CU_ASSERT_PTR_NOT_NULL_FATAL(api);
	CU_ASSERT(!api->messages.complete);
	CU_ASSERT_EQUAL(api->messages.entries.count, 3);
	const struct kernel_lpc_port *client = u64_map_get(&census.port_by_address, a.client_port);
	CU_ASSERT_PTR_NOT_NULL_FATAL(client);
	CU_ASSERT(!client->reply_chain.complete);
	CU_ASSERT_EQUAL(client->reply_chain.entries.count, 2);
	const struct kernel_lpc_port *idle = u64_map_get(&census.port_by_address, a.idle_port);
	CU_ASSERT_PTR_NOT_NULL_FATAL(idle);
	CU_ASSERT(!idle->messages.complete);
	CU_ASSERT(warned(&world.warnings, "MsgQueue.ReceiveHead: entry 3 links back"));
	CU_ASSERT(warned(&world.warnings, "LpcReplyChainHead: entry 2 links back"));
	CU_ASSERT(warned(&world.warnings, "cannot be read"));
	/* What could be read still is: the three queued messages, both waiters. */
	CU_ASSERT_EQUAL(census.messages.count, 3);
	CU_ASSERT_PTR_NOT_NULL(lpc_thread(&census, a.caller));
	CU_ASSERT_PTR_NOT_NULL(lpc_thread(&census, second));
	kernel_lpc_census_release(&census);
	world_free(&world);
}

/* Hostile ports whose queues run into another port's chain: each such
 * walk is cut where it meets the chain, so forty ports over a chain of
 * 3,001 messages cost the chain once, not forty times (and one warning a
 * port, not one per message per port). */
enum { SHARED_CHAIN_EXTRA = 3000, SHARED_CHAIN_PORTS = 40 };

static void test_shared_chain_in(const struct layout_case *c)
{
	struct world world;
	world_new(&world, c, false);
	struct forge_windows *w = world.w;
	const struct forge_layout *l = world.l;
	struct api_port a;
	forge_api_port(&world, &a);
	struct forge_lpc_message_spec spec = { .queue_port = a.api_port, .data_length = 8, .type = 1 };
	for (uint32_t i = 0; i < SHARED_CHAIN_EXTRA; i++) {
		spec.message_id = 0x30000 + 2 * i;
		forge_lpc_message(w, &spec);
	}
	uint64_t chain = a.queued + l->lpc_message.entry; /* the first message's Entry */
	uint64_t hostile[SHARED_CHAIN_PORTS];
	for (unsigned i = 0; i < SHARED_CHAIN_PORTS; i++) {
		hostile[i] = forge_lpc_connection_port(w, a.csrss, NULL);
		forge_handle(w, a.csrss, hostile[i], 0x1f0001);
		uint64_t head = hostile[i] + l->lpc_port.msg_queue + l->lpc_port_queue.receive_head;
		forge_kernel_write_pointer(w, head, chain);
	}
	CU_ASSERT_FATAL(world_open(&world));
	struct kernel_lpc_census census;
	CU_ASSERT_PTR_NULL_FATAL(census_of(&world, false, &census));
	const struct kernel_lpc_port *api = u64_map_get(&census.port_by_address, a.api_port);
	CU_ASSERT_PTR_NOT_NULL_FATAL(api);
	CU_ASSERT(api->messages.complete);
	CU_ASSERT_EQUAL(api->messages.entries.count, SHARED_CHAIN_EXTRA + 1);
	for (unsigned i = 0; i < SHARED_CHAIN_PORTS; i++) {
		const struct kernel_lpc_port *port = u64_map_get(&census.port_by_address, hostile[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(port);
		CU_ASSERT_FALSE(port->messages.complete);
		CU_ASSERT_EQUAL(port->messages.entries.count, 0);
	}
	CU_ASSERT_EQUAL(census.messages.count, SHARED_CHAIN_EXTRA + 1);
	for (size_t i = 0; i < census.messages.count; i++) {
		const struct kernel_lpc_message *m = census.messages.items[i];
		CU_ASSERT_EQUAL(m->queue_port, a.api_port);
	}
	/* one warning per hostile port, each naming the chain's owner */
	CU_ASSERT_EQUAL(world.warnings.count, SHARED_CHAIN_PORTS);
	char expected[200];
	snprintf(expected, sizeof expected,
		 "MsgQueue.ReceiveHead: entry 0 at 0x%llx lies on the list at 0x%llx too; the list is cut there",
		 (unsigned long long)chain,
		 (unsigned long long)(a.api_port + l->lpc_port.msg_queue + l->lpc_port_queue.receive_head));
	CU_ASSERT(warned(&world.warnings, expected));
	kernel_lpc_census_release(&census);
	world_free(&world);
}

static void test_shared_chain(void)
{
	for (size_t i = 0; i < sizeof layouts / sizeof *layouts; i++)
		test_shared_chain_in(&layouts[i]);
}

static void test_damage(void)
{
	for (size_t i = 0; i < sizeof layouts / sizeof *layouts; i++)
		test_damage_in(&layouts[i]);
}

int main(void)
{
	static const struct test_case census[] = {
		{ "csrss ApiPort: ports, queue, message, waiter on XP x86, XP PAE, 2003 x86, 2003 x64",
		  test_api_port },
		{ "+otl type lists and the pool search", test_type_list_and_pool },
		{ "a port only the pool holds, no Port type known: the sourced tag", test_pool_only_port },
		{ "looping queue and rundown queue, a message in an absent page", test_damage },
		{ "forty ports' queues running into one chain of 3,001 messages", test_shared_chain },
		{ NULL, NULL },
	};
	static const struct test_case snapshots[] = {
		{ "two-process LPC deadlock through server threads: census, snapshot, cycle", test_deadlock },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = {
		{ "LPC census", census },
		{ "LPC into snapshots", snapshots },
	};
	return run_suites("test_lpc_dump", suites, sizeof suites / sizeof *suites);
}
