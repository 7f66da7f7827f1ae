/* ALPC from dumps, the kernel room's part (src/kernel/alpc_*.c): ports,
 * their queues, messages and who waits, decoded from images the forge
 * writes with real layouts (tests/forge) and read back through the
 * built-in profiles.  Every value asserted is one the test forged. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/correlate/correlate.h"
#include "../../src/ipc/ipc.h"
#include "../../src/kernel/kernel.h"
#include "../forge/forge.h"
#include "../forge/forge_scenarios.h"
#include "harness.h"

#define MAX_PFN 0x8000ULL   /* 128 MiB */
#define HEAP_PA 0x400000ULL
#define KERNEL_BASE 0xfffff80000000000ULL
#define COOKIE 0x5c

/* ---- the world: a forged image opened through the memory room -------- */

struct warnings {
	char text[64][320];
	uint64_t address[64];
	unsigned count;
};

static void collect_warning(void *context, uint64_t address, const char *text)
{
	struct warnings *warnings = context;
	if (warnings->count < 64) {
		snprintf(warnings->text[warnings->count], sizeof warnings->text[0], "%s", text);
		warnings->address[warnings->count] = address;
	}
	warnings->count++;
}

static bool warned(const struct warnings *warnings, const char *fragment)
{
	for (unsigned i = 0; i < warnings->count && i < 64; i++)
		if (strstr(warnings->text[i], fragment))
			return true;
	return false;
}

struct world {
	const char *column;
	struct forge *forge;
	struct forge_windows *w;
	struct dump *dump;
	struct physical_memory *memory;
	struct kernel_reader reader;
	struct warnings warnings;
};

static const struct kernel_profile *builtin_named(const char *name)
{
	for (size_t i = 0; i < builtin_profile_count; i++)
		if (strcmp(builtin_profiles[i].name, name) == 0)
			return &builtin_profiles[i];
	return NULL;
}

static void world_new(struct world *world, const char *column, bool pool_headers)
{
	memset(world, 0, sizeof *world);
	world->column = column;
	world->forge = forge_new(FORGE_X64, MAX_PFN);
	struct forge_windows_options options = {
		.layout = forge_layout_named(column),
		.heap_pa = HEAP_PA,
		.pool_headers = pool_headers,
		.creator_info = true,
		.ob_header_cookie = COOKIE,
		.kernel_base = KERNEL_BASE,
	};
	CU_ASSERT_PTR_NOT_NULL_FATAL(options.layout);
	world->w = forge_windows_new(world->forge, &options);
}

static bool world_open(struct world *world)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/alpc-%s.dmp", test_temp_dir(), world->column);
	struct error *error = forge_write_dump(world->forge, FORGE_WINDOWS_FULL, path);
	if (!error)
		error = dump_open(path, DUMP_DETECT, &world->dump);
	if (error) {
		fprintf(stderr, "%s\n", error->message);
		error_free(error);
		return false;
	}
	world->memory = physical_memory_open(world->dump);
	world->reader.space = address_space_new(world->memory, PAGING_X64, forge_dtb(world->forge));
	world->reader.profile = builtin_named(world->column);
	world->reader.warnings = (struct kernel_warnings){ collect_warning, &world->warnings };
	return world->reader.profile != NULL;
}

static void world_free(struct world *world)
{
	if (world->reader.space)
		address_space_free(world->reader.space);
	if (world->memory)
		physical_memory_close(world->memory);
	if (world->dump)
		dump_close(world->dump);
	forge_windows_free(world->w);
	forge_free(world->forge);
}

/* A thread as the walks report it (kernel_walk_threads). */
static struct kernel_thread walked_thread(uint64_t address, uint64_t pid, uint64_t tid, uint8_t reason,
					  uint64_t message, uint64_t message_id)
{
	return (struct kernel_thread){ .address = address, .pid = pid, .tid = tid, .state = 5,
				       .wait_reason = reason, .alpc_message = message,
				       .alpc_message_id = message_id };
}

/* ---- a connection with a message on each queue ------------------------ */

struct connection {
	uint64_t server, client, listener_port, client_port, server_port;
	uint64_t caller, worker, listener, idle;
	uint64_t queued, received, canceled;
	uint64_t completion; /* the listener port's _KQUEUE */
};

static void forge_connection(struct world *world, struct connection *c)
{
	struct forge_windows *w = world->w;
	c->server = forge_process(w, 0x2a0, "StockSvc.exe");
	c->client = forge_process(w, 0x3b4, "OrderSvc.exe");
	c->caller = forge_thread(w, c->client, 0x3c0, FORGE_THREAD_WAITING, FORGE_WAIT_LPC_REPLY);
	c->worker = forge_thread(w, c->server, 0x2b0, FORGE_THREAD_WAITING, FORGE_WAIT_USER_REQUEST);
	c->listener = forge_thread(w, c->server, 0x2b4, FORGE_THREAD_WAITING, FORGE_WAIT_LPC_RECEIVE);
	c->idle = forge_thread(w, c->client, 0x3c4, FORGE_THREAD_WAITING, FORGE_WAIT_LPC_REPLY);
	c->listener_port = forge_alpc_connection_port(w, c->server, "\\RPC Control\\StockSvcPort");
	forge_alpc_connect(w, c->client, c->listener_port, &c->client_port, &c->server_port);
	struct forge_alpc_port_settings settings = {
		.state = 1u << 9, /* Waitable: u1.s1 bit 9 on every ALPC build (struct-offsets.md) */
		.attribute_flags = 0x20000, .max_message_length = 0x200, .sequence_no = 42,
		.port_context = 0xfeed,
	};
	forge_alpc_port_set(w, c->listener_port, &settings);
	struct forge_alpc_message_spec queued = {
		.port = c->listener_port, .queue = FORGE_QUEUE_MAIN, .owner_port = c->client_port,
		.waiting_thread = c->caller, .message_id = 0xbfc, .callback_id = 0x1fef27,
		.sequence_no = 0x4d4d4, .queue_type = 1, .reply_wait_reply = true, .data_length = 0x68,
		.type = 0x2001, /* ALPC_REQUEST: LPC_REQUEST | LPC_CONTINUATION_REQUIRED (phnt) */
		.client_context = 0x25599e0, .port_context = 0x30d640,
		.view = 0xffffb000000f0000ULL, .security_data = 0xffffb000000f1000ULL,
	};
	c->queued = forge_alpc_message(w, &queued);
	struct forge_alpc_message_spec received = {
		.port = c->server_port, .queue = FORGE_QUEUE_PENDING, .owner_port = c->client_port,
		.server_thread = c->worker, .message_id = 0xc00, .callback_id = 7, .sequence_no = 3,
		.data_length = 0x10, .total_length = 0x40, .type = 2, .release_message = true,
		.server_context = 0x5e7e, .cancel_port_context = 0xcafe,
	};
	c->received = forge_alpc_message(w, &received);
	struct forge_alpc_message_spec canceled = {
		.port = c->server_port, .queue = FORGE_QUEUE_CANCELED, .canceled = true,
		.message_id = 0xc04, .cancel_queue_port = c->listener_port,
		.cancel_sequence_port = c->server_port, .cancel_sequence_no = 9,
		.quota_process = c->client,
	};
	c->canceled = forge_alpc_message(w, &canceled);
	forge_alpc_wait_for_message(w, c->listener_port, c->listener);
	/* the listener's pool: two threads on its IO completion queue */
	c->completion = forge_alpc_register_thread(w, c->listener_port, c->worker);
	forge_alpc_register_thread(w, c->listener_port, c->listener);
}

static void port_reads_back(const char *column)
{
	struct world world;
	struct connection c;
	world_new(&world, column, false);
	forge_connection(&world, &c);
	CU_ASSERT_FATAL(world_open(&world));
	struct kernel_alpc_port port;
	struct error *error = kernel_alpc_port_read(&world.reader, c.listener_port, &port);
	CU_ASSERT_PTR_NULL_FATAL(error);
	CU_ASSERT_EQUAL(port.kind, KERNEL_ALPC_CONNECTION_PORT);
	CU_ASSERT_EQUAL(port.owner_process, c.server);
	CU_ASSERT_EQUAL(port.communication_info, forge_alpc_communication_info(world.w, c.listener_port));
	CU_ASSERT_EQUAL(port.connection_port, c.listener_port);
	CU_ASSERT_EQUAL(port.server_communication_port, 0);
	CU_ASSERT_EQUAL(port.client_communication_port, 0);
	CU_ASSERT_TRUE(port.state_known);
	CU_ASSERT_TRUE(port.initialized);
	CU_ASSERT_TRUE(port.waitable);
	CU_ASSERT_FALSE(port.closed);
	CU_ASSERT_FALSE(port.disconnected);
	CU_ASSERT_EQUAL(port.attribute_flags, 0x20000);
	CU_ASSERT_EQUAL(port.max_message_length, 0x200);
	CU_ASSERT_EQUAL(port.sequence_no, 42);
	CU_ASSERT_EQUAL(port.port_context, 0xfeed);
	const struct kernel_alpc_port_queue *main_queue = &port.queues[KERNEL_ALPC_MAIN];
	CU_ASSERT_TRUE(main_queue->present && main_queue->complete && main_queue->length_known);
	CU_ASSERT_EQUAL(main_queue->stored_length, 1);
	CU_ASSERT_EQUAL_FATAL(main_queue->entries.count, 1);
	CU_ASSERT_EQUAL(main_queue->entries.items[0], c.queued);
	CU_ASSERT_EQUAL(port.queues[KERNEL_ALPC_PENDING].entries.count, 0);
	CU_ASSERT_EQUAL_FATAL(port.queues[KERNEL_ALPC_WAIT].entries.count, 1);
	CU_ASSERT_EQUAL(port.queues[KERNEL_ALPC_WAIT].entries.items[0], c.listener);
	CU_ASSERT_EQUAL(port.queues[KERNEL_ALPC_WAIT].stored_length, 1);
	CU_ASSERT_NOT_EQUAL(c.completion, 0);
	CU_ASSERT_EQUAL(port.completion_port, c.completion);
	CU_ASSERT_TRUE(port.registered_walked);
	CU_ASSERT_TRUE(port.registered_complete);
	CU_ASSERT_EQUAL_FATAL(port.registered_threads.count, 2);
	CU_ASSERT_EQUAL(port.registered_threads.items[0], c.worker);
	CU_ASSERT_EQUAL(port.registered_threads.items[1], c.listener);
	kernel_alpc_port_release(&port);

	error = kernel_alpc_port_read(&world.reader, c.server_port, &port);
	CU_ASSERT_PTR_NULL_FATAL(error);
	CU_ASSERT_EQUAL(port.kind, KERNEL_ALPC_SERVER_COMMUNICATION_PORT);
	CU_ASSERT_EQUAL(port.owner_process, c.server);
	CU_ASSERT_EQUAL(port.connection_port, c.listener_port);
	CU_ASSERT_EQUAL(port.server_communication_port, c.server_port);
	CU_ASSERT_EQUAL(port.client_communication_port, c.client_port);
	CU_ASSERT_EQUAL_FATAL(port.queues[KERNEL_ALPC_PENDING].entries.count, 1);
	CU_ASSERT_EQUAL(port.queues[KERNEL_ALPC_PENDING].entries.items[0], c.received);
	CU_ASSERT_EQUAL_FATAL(port.queues[KERNEL_ALPC_CANCELED].entries.count, 1);
	CU_ASSERT_EQUAL(port.queues[KERNEL_ALPC_CANCELED].entries.items[0], c.canceled);
	/* no completion port: nothing walked */
	CU_ASSERT_EQUAL(port.completion_port, 0);
	CU_ASSERT_FALSE(port.registered_walked);
	CU_ASSERT_EQUAL(port.registered_threads.count, 0);
	kernel_alpc_port_release(&port);

	error = kernel_alpc_port_read(&world.reader, c.client_port, &port);
	CU_ASSERT_PTR_NULL_FATAL(error);
	CU_ASSERT_EQUAL(port.kind, KERNEL_ALPC_CLIENT_COMMUNICATION_PORT);
	CU_ASSERT_EQUAL(port.owner_process, c.client);
	kernel_alpc_port_release(&port);
	CU_ASSERT_EQUAL(world.warnings.count, 0);

	/* A message: every field !alpc /m prints. */
	struct kernel_alpc_message m;
	CU_ASSERT_PTR_NULL_FATAL(kernel_alpc_message_read(&world.reader, c.queued, &m));
	CU_ASSERT_EQUAL(m.message_id, 0xbfc);
	CU_ASSERT_EQUAL(m.callback_id, 0x1fef27);
	CU_ASSERT_EQUAL(m.sequence_no, 0x4d4d4);
	CU_ASSERT_EQUAL(m.type, 0x2001);
	CU_ASSERT_EQUAL(m.data_length, 0x68);
	CU_ASSERT_EQUAL(m.total_length, 0x68 + 0x28);
	CU_ASSERT_EQUAL(m.client_pid, 0x3b4);
	CU_ASSERT_EQUAL(m.client_tid, 0x3c0);
	CU_ASSERT_EQUAL(m.queue_type_value, 1);
	CU_ASSERT_TRUE(m.reply_wait_reply);
	CU_ASSERT_FALSE(m.canceled);
	CU_ASSERT_FALSE(m.release);
	CU_ASSERT_EQUAL(m.owner_port, c.client_port);
	CU_ASSERT_EQUAL(m.port_queue, c.listener_port);
	CU_ASSERT_EQUAL(m.waiting_thread, c.caller);
	CU_ASSERT_EQUAL(m.server_thread, 0);
	CU_ASSERT_EQUAL(m.client_context, 0x25599e0);
	CU_ASSERT_EQUAL(m.server_context, 0);
	CU_ASSERT_EQUAL(m.port_context, 0x30d640);
	CU_ASSERT_EQUAL(m.view, 0xffffb000000f0000ULL);
	CU_ASSERT_EQUAL(m.security_data, 0xffffb000000f1000ULL);
	CU_ASSERT_EQUAL(m.connection_port, c.listener_port);
	CU_ASSERT_EQUAL(m.queue, KERNEL_ALPC_NO_QUEUE);
	CU_ASSERT_PTR_NULL_FATAL(kernel_alpc_message_read(&world.reader, c.received, &m));
	CU_ASSERT_EQUAL(m.message_id, 0xc00);
	CU_ASSERT_EQUAL(m.total_length, 0x40);
	CU_ASSERT_EQUAL(m.type, 2);
	CU_ASSERT_TRUE(m.release);
	CU_ASSERT_FALSE(m.reply_wait_reply);
	CU_ASSERT_EQUAL(m.server_thread, c.worker);
	CU_ASSERT_EQUAL(m.server_context, 0x5e7e);
	CU_ASSERT_EQUAL(m.cancel_port_context, 0xcafe);
	CU_ASSERT_PTR_NULL_FATAL(kernel_alpc_message_read(&world.reader, c.canceled, &m));
	CU_ASSERT_TRUE(m.canceled);
	CU_ASSERT_FALSE(m.release);
	CU_ASSERT_EQUAL(m.cancel_queue_port, c.listener_port);
	CU_ASSERT_EQUAL(m.cancel_sequence_port, c.server_port);
	CU_ASSERT_EQUAL(m.cancel_sequence_no, 9);
	CU_ASSERT_EQUAL(m.quota_process, c.client);
	world_free(&world);
}

static void port_and_messages_19041(void) { port_reads_back("19041.3570"); }
static void port_and_messages_9600(void) { port_reads_back("9600"); }   /* Canceled at bit 6 */
static void port_and_messages_7601(void) { port_reads_back("7601.24540"); }
static void port_and_messages_22621(void) { port_reads_back("22621"); }
static void port_and_messages_17763(void) { port_reads_back("17763"); }

/* ---- the census -------------------------------------------------------- */

static void census_finds_ports_messages_and_waits(void)
{
	struct world world;
	struct connection c;
	world_new(&world, "19041.3570", false);
	forge_connection(&world, &c);
	CU_ASSERT_FATAL(world_open(&world));
	struct kernel_process processes[] = { { .address = c.server, .pid = 0x2a0 },
					      { .address = c.client, .pid = 0x3b4 } };
	struct kernel_thread threads[] = {
		walked_thread(c.caller, 0x3b4, 0x3c0, 17, c.queued, 0xbfc),
		walked_thread(c.worker, 0x2a0, 0x2b0, 6, 0, 0),
		/* AlpcMessage shares storage with AlpcReceiveAttributeSet: a
		 * small number is no message. */
		walked_thread(c.listener, 0x2a0, 0x2b4, 16, 0x80000000ULL, 0),
	};
	struct kernel_alpc_sources sources = { .kernel_base = known_u64(KERNEL_BASE) };
	struct kernel_alpc_census census;
	CU_ASSERT_PTR_NULL_FATAL(kernel_alpc_census(NULL, &world.reader, &sources, processes, 2, threads, 3,
						    &census));
	CU_ASSERT_EQUAL_FATAL(census.ports.count, 3);
	struct kernel_alpc_port *first = census.ports.items[0];
	CU_ASSERT_EQUAL(first->address, c.listener_port); /* list order */
	CU_ASSERT_EQUAL(first->found_by, KERNEL_ALPC_FOUND_PORT_LIST | KERNEL_ALPC_FOUND_REFERENCE);
	CU_ASSERT_EQUAL(census.found[0], 3);
	CU_ASSERT_EQUAL(census.found[2], 0);
	CU_ASSERT_EQUAL_FATAL(census.messages.count, 3);
	struct kernel_alpc_message *queued = u64_map_get(&census.message_by_address, c.queued);
	struct kernel_alpc_message *received = u64_map_get(&census.message_by_address, c.received);
	struct kernel_alpc_message *canceled = u64_map_get(&census.message_by_address, c.canceled);
	CU_ASSERT_PTR_NOT_NULL_FATAL(queued);
	CU_ASSERT_PTR_NOT_NULL_FATAL(received);
	CU_ASSERT_PTR_NOT_NULL_FATAL(canceled);
	CU_ASSERT_EQUAL(queued->queue, KERNEL_ALPC_MAIN);
	CU_ASSERT_EQUAL(queued->queue_port, c.listener_port);
	CU_ASSERT_EQUAL(received->queue, KERNEL_ALPC_PENDING);
	CU_ASSERT_EQUAL(received->queue_port, c.server_port);
	CU_ASSERT_EQUAL(canceled->queue, KERNEL_ALPC_CANCELED);
	CU_ASSERT_EQUAL_FATAL(census.wait_count, 1);
	CU_ASSERT_EQUAL(census.waits[0].thread, c.caller);
	CU_ASSERT_EQUAL(census.waits[0].message, c.queued);
	CU_ASSERT_EQUAL(census.waits[0].message_id, 0xbfc);
	CU_ASSERT_EQUAL(world.warnings.count, 0);
	kernel_alpc_census_release(&census);

	/* Without the port list: the thread's message names its ports. */
	CU_ASSERT_PTR_NULL_FATAL(kernel_alpc_census(NULL, &world.reader, &(struct kernel_alpc_sources){ 0 },
						    processes, 2, threads, 3, &census));
	CU_ASSERT_EQUAL(census.ports.count, 3);
	CU_ASSERT_EQUAL(census.found[2], 3);
	CU_ASSERT_EQUAL(census.messages.count, 3);
	queued = u64_map_get(&census.message_by_address, c.queued);
	CU_ASSERT_PTR_NOT_NULL_FATAL(queued);
	CU_ASSERT_EQUAL(queued->queue, KERNEL_ALPC_MAIN); /* set when its port's queue was walked */
	CU_ASSERT_EQUAL(census.wait_count, 1);
	kernel_alpc_census_release(&census);
	world_free(&world);
}

static void pool_search_finds_an_unlisted_port(void)
{
	struct world world;
	world_new(&world, "19041.3570", true);
	uint64_t server = forge_process(world.w, 0x2a0, "hidden.exe");
	uint64_t hidden = forge_alpc_connection_port(world.w, server, NULL);
	uint64_t listed = forge_alpc_connection_port(world.w, server, "\\RPC Control\\Listed");
	forge_alpc_unlist_port(world.w, hidden);
	CU_ASSERT_FATAL(world_open(&world));
	struct kernel_process processes[] = { { .address = server, .pid = 0x2a0 } };
	struct kernel_alpc_sources sources = { .kernel_base = known_u64(KERNEL_BASE) };
	struct kernel_alpc_census census;
	CU_ASSERT_PTR_NULL_FATAL(kernel_alpc_census(NULL, &world.reader, &sources, processes, 1, NULL, 0, &census));
	CU_ASSERT_EQUAL_FATAL(census.ports.count, 1);
	CU_ASSERT_EQUAL(((struct kernel_alpc_port *)census.ports.items[0])->address, listed);
	kernel_alpc_census_release(&census);
	sources.memory = world.memory;
	CU_ASSERT_PTR_NULL_FATAL(kernel_alpc_census(NULL, &world.reader, &sources, processes, 1, NULL, 0, &census));
	CU_ASSERT_EQUAL_FATAL(census.ports.count, 2);
	struct kernel_alpc_port *found = u64_map_get(&census.port_by_address, hidden);
	CU_ASSERT_PTR_NOT_NULL_FATAL(found);
	CU_ASSERT_EQUAL(found->found_by, KERNEL_ALPC_FOUND_POOL);
	CU_ASSERT_EQUAL(found->kind, KERNEL_ALPC_CONNECTION_PORT);
	CU_ASSERT_EQUAL(census.found[3], 1);
	struct kernel_alpc_port *also = u64_map_get(&census.port_by_address, listed);
	CU_ASSERT_PTR_NOT_NULL_FATAL(also);
	CU_ASSERT_EQUAL(also->found_by, KERNEL_ALPC_FOUND_PORT_LIST | KERNEL_ALPC_FOUND_POOL);
	kernel_alpc_census_release(&census);
	world_free(&world);
}

/* ---- damage ------------------------------------------------------------ */

static void damaged_queue_and_pointers_are_warnings(void)
{
	struct world world;
	world_new(&world, "19041.3570", false);
	struct forge_windows *w = world.w;
	uint64_t server = forge_process(w, 0x2a0, "server.exe");
	uint64_t client = forge_process(w, 0x3b4, "client.exe");
	uint64_t caller = forge_thread(w, client, 0x3c0, FORGE_THREAD_WAITING, FORGE_WAIT_LPC_REPLY);
	uint64_t port = forge_alpc_connection_port(w, server, "\\RPC Control\\Loop");
	uint64_t messages[4];
	for (int i = 0; i < 4; i++) {
		struct forge_alpc_message_spec spec = { .port = port, .queue = FORGE_QUEUE_MAIN,
							.message_id = 0x100 + (uint32_t)i };
		messages[i] = forge_alpc_message(w, &spec);
	}
	/* The fourth entry's Flink goes back to the first. */
	forge_damage_list_loop(w, forge_alpc_queue_head(w, port, FORGE_QUEUE_MAIN), 3);
	uint64_t absent = forge_absent_kernel_page(w);
	CU_ASSERT_FATAL(world_open(&world));
	struct kernel_alpc_port decoded;
	CU_ASSERT_PTR_NULL_FATAL(kernel_alpc_port_read(&world.reader, port, &decoded));
	CU_ASSERT_FALSE(decoded.queues[KERNEL_ALPC_MAIN].complete);
	CU_ASSERT_EQUAL_FATAL(decoded.queues[KERNEL_ALPC_MAIN].entries.count, 4);
	for (int i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(decoded.queues[KERNEL_ALPC_MAIN].entries.items[i], messages[i]);
	CU_ASSERT_TRUE(warned(&world.warnings, "MainQueue: entry 4 links back to"));
	CU_ASSERT_EQUAL(world.warnings.address[0], port);
	kernel_alpc_port_release(&decoded);

	/* A port in an absent page is an error naming it; a thread whose
	 * message is there is a warning, and the census goes on. */
	struct error *error = kernel_alpc_port_read(&world.reader, absent, &decoded);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_EQUAL(error->code, ERROR_ABSENT);
	char expected[64];
	snprintf(expected, sizeof expected, "ALPC port 0x%llx", (unsigned long long)absent);
	CU_ASSERT_PTR_NOT_NULL(strstr(error->message, expected));
	error_free(error);
	kernel_alpc_port_release(&decoded);
	struct kernel_thread threads[] = { walked_thread(caller, 0x3b4, 0x3c0, 17, absent, 0x55) };
	struct kernel_process processes[] = { { .address = server }, { .address = client } };
	struct kernel_alpc_sources sources = { .kernel_base = known_u64(KERNEL_BASE) };
	struct kernel_alpc_census census;
	world.warnings.count = 0;
	CU_ASSERT_PTR_NULL_FATAL(kernel_alpc_census(NULL, &world.reader, &sources, processes, 2, threads, 1, &census));
	CU_ASSERT_EQUAL(census.ports.count, 1);
	CU_ASSERT_EQUAL(census.messages.count, 4);
	CU_ASSERT_EQUAL(census.wait_count, 0);
	snprintf(expected, sizeof expected, "ALPC message 0x%llx", (unsigned long long)absent);
	CU_ASSERT_TRUE(warned(&world.warnings, expected));
	CU_ASSERT_TRUE(warned(&world.warnings, "waits in WrLpcReply but its AlpcMessage"));
	kernel_alpc_census_release(&census);

	/* A profile of another build reads garbage: bounded, no crash. */
	world.reader.profile = builtin_named("7601.24540");
	CU_ASSERT_PTR_NULL_FATAL(kernel_alpc_census(NULL, &world.reader, &sources, processes, 2, threads, 1, &census));
	CU_ASSERT_EQUAL(census.wait_count, 0);
	kernel_alpc_census_release(&census);
	world_free(&world);
}

/* The completion queue's thread list: a loop is cut with a warning after
 * the threads it linked; a CompletionPort in an absent page is a warning
 * and no threads, the port still read. */
static void damaged_completion_queue_is_a_warning(void)
{
	struct world world;
	world_new(&world, "19041.3570", false);
	struct forge_windows *w = world.w;
	uint64_t server = forge_process(w, 0x2a0, "server.exe");
	uint64_t threads[3];
	for (int i = 0; i < 3; i++)
		threads[i] = forge_thread(w, server, 0x2b0 + 4 * (uint64_t)i, FORGE_THREAD_WAITING,
					  FORGE_WAIT_WR_QUEUE);
	uint64_t looped = forge_alpc_connection_port(w, server, "\\RPC Control\\LoopedPool");
	uint64_t queue = 0;
	for (int i = 0; i < 3; i++)
		queue = forge_alpc_register_thread(w, looped, threads[i]);
	/* the third thread's QueueListEntry.Flink goes back to the first */
	forge_damage_list_loop(w, queue + forge_windows_layout(w)->kqueue.thread_list_head, 2);
	uint64_t absent_queue = forge_alpc_connection_port(w, server, "\\RPC Control\\AbsentPool");
	uint64_t absent = forge_absent_kernel_page(w);
	forge_kernel_write_pointer(w, absent_queue + forge_windows_layout(w)->alpc_port.completion_port, absent);
	CU_ASSERT_FATAL(world_open(&world));

	struct kernel_alpc_port port;
	CU_ASSERT_PTR_NULL_FATAL(kernel_alpc_port_read(&world.reader, looped, &port));
	CU_ASSERT_EQUAL(port.completion_port, queue);
	CU_ASSERT_TRUE(port.registered_walked);
	CU_ASSERT_FALSE(port.registered_complete);
	CU_ASSERT_EQUAL_FATAL(port.registered_threads.count, 3);
	for (int i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(port.registered_threads.items[i], threads[i]);
	CU_ASSERT_TRUE(warned(&world.warnings, "ThreadListHead: entry 3 links back to"));
	CU_ASSERT_EQUAL(world.warnings.address[0], looped);
	kernel_alpc_port_release(&port);

	world.warnings.count = 0;
	CU_ASSERT_PTR_NULL_FATAL(kernel_alpc_port_read(&world.reader, absent_queue, &port));
	CU_ASSERT_EQUAL(port.completion_port, absent);
	CU_ASSERT_FALSE(port.registered_complete);
	CU_ASSERT_EQUAL(port.registered_threads.count, 0);
	CU_ASSERT_EQUAL_FATAL(world.warnings.count, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(world.warnings.text[0], "ThreadListHead: the list head at"));
	CU_ASSERT_EQUAL(world.warnings.address[0], absent_queue);
	kernel_alpc_port_release(&port);
	world_free(&world);
}

/* Ports whose queues run into another port's queue: each walk would read
 * that chain again and keep it (ports × entries in time and memory on a
 * hostile image).  An entry another list linked first cuts the list. */
static void queues_that_share_one_chain(void)
{
	struct world world;
	world_new(&world, "19041.3570", false);
	struct forge_windows *w = world.w;
	uint64_t server = forge_process(w, 0x2a0, "server.exe");
	uint64_t owner = forge_alpc_connection_port(w, server, "\\RPC Control\\Owner");
	uint64_t messages[4];
	for (int i = 0; i < 4; i++) {
		struct forge_alpc_message_spec spec = { .port = owner, .queue = FORGE_QUEUE_MAIN,
							.message_id = 0x100 + (uint32_t)i };
		messages[i] = forge_alpc_message(w, &spec);
	}
	uint64_t owner_head = forge_alpc_queue_head(w, owner, FORGE_QUEUE_MAIN);
	uint64_t first = forge_kernel_read_pointer(w, owner_head);
	uint64_t intruders[2];
	for (int i = 0; i < 2; i++) {
		intruders[i] = forge_alpc_connection_port(w, server, i ? "\\RPC Control\\B" : "\\RPC Control\\A");
		forge_kernel_write_pointer(w, forge_alpc_queue_head(w, intruders[i], FORGE_QUEUE_PENDING), first);
	}
	CU_ASSERT_FATAL(world_open(&world));
	struct kernel_process processes[] = { { .address = server, .pid = 0x2a0 } };
	struct kernel_alpc_sources sources = { .kernel_base = known_u64(KERNEL_BASE) };
	struct kernel_alpc_census census;
	CU_ASSERT_PTR_NULL_FATAL(kernel_alpc_census(NULL, &world.reader, &sources, processes, 1, NULL, 0, &census));
	CU_ASSERT_EQUAL_FATAL(census.ports.count, 3);
	struct kernel_alpc_port *kept = u64_map_get(&census.port_by_address, owner);
	CU_ASSERT_PTR_NOT_NULL_FATAL(kept);
	CU_ASSERT_TRUE(kept->queues[KERNEL_ALPC_MAIN].complete);
	CU_ASSERT_EQUAL_FATAL(kept->queues[KERNEL_ALPC_MAIN].entries.count, 4);
	for (int i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(kept->queues[KERNEL_ALPC_MAIN].entries.items[i], messages[i]);
	for (int i = 0; i < 2; i++) {
		struct kernel_alpc_port *cut = u64_map_get(&census.port_by_address, intruders[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(cut);
		CU_ASSERT_FALSE(cut->queues[KERNEL_ALPC_PENDING].complete);
		CU_ASSERT_EQUAL(cut->queues[KERNEL_ALPC_PENDING].entries.count, 0);
		char expected[200];
		snprintf(expected, sizeof expected,
			 "ALPC port 0x%llx PendingQueue: entry 0 at 0x%llx lies on the list at 0x%llx too; "
			 "the list is cut there",
			 (unsigned long long)intruders[i], (unsigned long long)first,
			 (unsigned long long)owner_head);
		CU_ASSERT_TRUE(warned(&world.warnings, expected));
	}
	CU_ASSERT_EQUAL(census.messages.count, 4);
	CU_ASSERT_EQUAL(world.warnings.count, 2);
	kernel_alpc_census_release(&census);
	world_free(&world);
}

/* ---- through the ipc room: scenarios into snapshots -------------------- */

/* Writes scenario on layout and reads it for its IPC state. */
static struct snapshot *scenario_snapshot(const char *scenario, const char *layout, bool pool_search,
					  struct forge_scenario_system *system)
{
	struct error *error = forge_scenario_system_new(forge_scenario_named(scenario),
							layout ? forge_layout_named(layout) : NULL,
							FORGE_ALPC_HANDLE_TABLE_AS_LAYOUT, system);
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s-%s.dmp", test_temp_dir(), scenario, layout ? layout : "own");
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
	ptr_vec_release(&snapshots);
	return snapshot;
}

static void print_diagnostics(const struct snapshot *snapshot)
{
	for (size_t i = 0; i < snapshot->diagnostics.count; i++) {
		const struct diagnostic *d = snapshot->diagnostics.items[i];
		if (d->level != DIAGNOSTIC_NOTE)
			fprintf(stderr, "  %s\n", d->text);
	}
}

/* Every fact the scenario made is in the snapshot: processes, threads,
 * ports with kind and owner, messages on their queues, and each expected
 * wait as the thread line gives it. */
static void check_facts(const struct snapshot *snapshot, const struct forge_scenario_facts *facts)
{
	for (size_t i = 0; i < facts->process_count; i++) {
		const struct process *process = snapshot_find_process(snapshot, facts->processes[i].eprocess);
		CU_ASSERT_PTR_NOT_NULL_FATAL(process);
		CU_ASSERT_KNOWN_EQUAL(process->pid, facts->processes[i].pid);
		CU_ASSERT_STRING_EQUAL_OR_NULL(process->image, facts->processes[i].image);
	}
	for (size_t i = 0; i < facts->thread_count; i++) {
		const struct forge_scenario_thread *t = &facts->threads[i];
		const struct thread *thread = snapshot_find_thread(snapshot, t->ethread);
		CU_ASSERT_PTR_NOT_NULL_FATAL(thread);
		CU_ASSERT_KNOWN_EQUAL(thread->tid, t->tid);
		if (t->state == 5)
			CU_ASSERT_STRING_EQUAL_OR_NULL(thread->state, "WAIT");
		if (t->waits_for == FORGE_WAITS_FOR_ALPC_REPLY) {
			CU_ASSERT_STRING_EQUAL_OR_NULL(thread->wait_reason, "WrLpcReply");
			CU_ASSERT_KNOWN_EQUAL(thread->alpc_wait_message, t->wait_object);
		} else
			CU_ASSERT_FALSE(thread->alpc_wait_message.known);
	}
	for (size_t i = 0; i < facts->port_count; i++) {
		const struct forge_scenario_port *p = &facts->ports[i];
		const struct port *port = snapshot_find_port(snapshot, p->address);
		CU_ASSERT_PTR_NOT_NULL_FATAL(port);
		static const enum port_kind kinds[] = { PORT_ALPC_CONNECTION, PORT_ALPC_SERVER_COMMUNICATION,
							PORT_ALPC_CLIENT_COMMUNICATION };
		CU_ASSERT_EQUAL(port->kind, kinds[p->kind]);
		CU_ASSERT_KNOWN_EQUAL(port->owner_process, p->owner_eprocess);
		CU_ASSERT_KNOWN_EQUAL(port->communication_info, p->communication_info);
		CU_ASSERT_KNOWN_EQUAL(port->queues[QUEUE_MAIN].length, p->main_length);
		CU_ASSERT_KNOWN_EQUAL(port->queues[QUEUE_PENDING].length, p->pending_length);
		CU_ASSERT_KNOWN_EQUAL(port->queues[QUEUE_CANCELED].length, p->canceled_length);
		CU_ASSERT_KNOWN_EQUAL(port->waiting_thread_count, p->wait_length);
		if (p->name) {
			const char *leaf = strrchr(p->name, '\\');
			CU_ASSERT_STRING_EQUAL_OR_NULL(port->name, leaf ? leaf + 1 : p->name);
		}
	}
	static const enum queue_kind queues[] = {
		[FORGE_QUEUE_NONE] = QUEUE_UNKNOWN, [FORGE_QUEUE_MAIN] = QUEUE_MAIN,
		[FORGE_QUEUE_LARGE_MESSAGE] = QUEUE_LARGE_MESSAGE, [FORGE_QUEUE_PENDING] = QUEUE_PENDING,
		[FORGE_QUEUE_CANCELED] = QUEUE_CANCELED, [FORGE_QUEUE_DIRECT] = QUEUE_DIRECT,
	};
	for (size_t i = 0; i < facts->message_count; i++) {
		const struct forge_scenario_message *f = &facts->messages[i];
		const struct message *m = snapshot_find_message(snapshot, f->address);
		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		CU_ASSERT_KNOWN_EQUAL(m->id, f->id);
		CU_ASSERT_KNOWN_EQUAL(m->callback_id, f->callback_id);
		CU_ASSERT_EQUAL(m->queue, queues[f->queue]);
		CU_ASSERT_KNOWN_EQUAL(m->queue_port, f->queue_port);
		CU_ASSERT_KNOWN_EQUAL(m->owner_port, f->owner_port);
		CU_ASSERT_KNOWN_EQUAL(m->waiting_thread, f->waiting_thread);
		CU_ASSERT_KNOWN_EQUAL(m->server_thread, f->server_thread);
		CU_ASSERT_EQUAL(m->canceled, f->canceled ? YES : NO);
	}
	size_t reply_waits = 0;
	for (size_t i = 0; i < facts->wait_count; i++) {
		const struct forge_scenario_wait *w = &facts->waits[i];
		if (w->kind != FORGE_WAITS_FOR_ALPC_REPLY)
			continue;
		reply_waits++;
		const struct thread *thread = snapshot_find_thread(snapshot, w->thread);
		CU_ASSERT_PTR_NOT_NULL_FATAL(thread);
		CU_ASSERT_KNOWN_EQUAL(thread->alpc_wait_message, w->object);
		CU_ASSERT_KNOWN_EQUAL(thread->alpc_wait_port, w->queue_port);
		const struct process *owner = snapshot_find_process_by_pid(snapshot, w->target_pid);
		CU_ASSERT_PTR_NOT_NULL_FATAL(owner);
		CU_ASSERT_TRUE(maybe_equal(thread->alpc_wait_port_owner, owner->address));
	}
	size_t threads_waiting = 0;
	for (size_t i = 0; i < snapshot->threads.count; i++)
		threads_waiting += ((const struct thread *)snapshot->threads.items[i])->alpc_wait_message.known;
	CU_ASSERT_EQUAL(threads_waiting, reply_waits);
}

/* The correlator finds the scenario's cycles, members by pid. */
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
			if (cycle->definite != expected->definite || cycle->members.count != expected->length)
				continue;
			size_t matched = 0;
			for (size_t m = 0; m < cycle->members.count; m++) {
				maybe_u64 pid = cycle->kind == CYCLE_THREAD
							? ((const struct thread *)cycle->members.items[m])->pid
							: ((const struct process *)cycle->members.items[m])->pid;
				for (size_t e = 0; e < expected->length; e++)
					matched += pid.known && pid.value == expected->pids[e];
			}
			found = matched == expected->length;
		}
		CU_ASSERT_TRUE(found);
	}
	analysis_free(analysis);
}

static void scenario_reads_whole(const char *scenario, bool pool_search)
{
	for (size_t l = 0; l < forge_scenario_layout_count; l++) {
		struct forge_scenario_system system = { 0 };
		struct snapshot *snapshot = scenario_snapshot(scenario, forge_scenario_layouts[l], pool_search, &system);
		CU_ASSERT_PTR_NOT_NULL_FATAL(snapshot);
		if (!snapshot->ports.count) {
			fprintf(stderr, "%s on %s:\n", scenario, forge_scenario_layouts[l]);
			print_diagnostics(snapshot);
		}
		check_facts(snapshot, system.facts);
		check_cycles(snapshot, system.facts);
		snapshot_free(snapshot);
		forge_scenario_system_free(&system);
	}
}

/* §3.5: "1 thread(s) are registered with port IO completion object:"
 * under SmApiPort, thread ffffc48d8895b080 (01d8.0208); no other port of
 * the replay has a completion queue. */
static void replay_registered_threads(void)
{
	struct forge_scenario_system system = { 0 };
	struct snapshot *snapshot = scenario_snapshot("replay-win10-smss", NULL, false, &system);
	CU_ASSERT_PTR_NOT_NULL_FATAL(snapshot);
	const struct port *sm_api = snapshot_find_port(snapshot, 0xffffc48d8895de20ULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(sm_api);
	CU_ASSERT_KNOWN_EQUAL(sm_api->completion_port, 0xffffc48d888ee1c0ULL);
	CU_ASSERT_KNOWN_EQUAL(sm_api->registered_thread_count, 1);
	CU_ASSERT_EQUAL_FATAL(sm_api->registered_threads.count, 1);
	CU_ASSERT_EQUAL(sm_api->registered_threads.items[0], 0xffffc48d8895b080ULL);
	size_t with_registered = 0;
	for (size_t i = 0; i < snapshot->ports.count; i++)
		with_registered += ((const struct port *)snapshot->ports.items[i])->registered_threads.count;
	CU_ASSERT_EQUAL(with_registered, 1);
	snapshot_free(snapshot);
	forge_scenario_system_free(&system);
}

/* The connection through the ipc room, in a system with a kernel image
 * the profile choice knows (forge_scenario_system_new): Continuation
 * from PORT_MESSAGE Type's LPC_CONTINUATION_REQUIRED (0x2000), unknown
 * for a Type of 0; the listener's registered threads in list order. */
static struct connection made_connection;

static struct forge_scenario_facts *make_connection(struct forge_windows *w)
{
	struct world world = { .w = w };
	forge_connection(&world, &made_connection);
	return NULL;
}

static void connection_into_snapshot(void)
{
	const struct forge_scenario scenario = { .name = "connection", .make = make_connection };
	struct forge_scenario_system system = { 0 };
	struct error *error = forge_scenario_system_new(&scenario, forge_layout_named("19041.3570"),
							FORGE_ALPC_HANDLE_TABLE_AS_LAYOUT, &system);
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/connection.dmp", test_temp_dir());
	if (!error)
		error = forge_write_dump(system.forge, FORGE_WINDOWS_FULL, path);
	CU_ASSERT_PTR_NULL_FATAL(error);
	const struct connection *c = &made_connection;
	struct ptr_vec snapshots = { 0 };
	ipc_read_dump(path, &(struct dump_read_options){ .reading = READ_IPC_STATE }, &snapshots);
	CU_ASSERT_EQUAL_FATAL(snapshots.count, 1);
	struct snapshot *snapshot = snapshots.items[0];
	const struct message *queued = snapshot_find_message(snapshot, c->queued);
	const struct message *received = snapshot_find_message(snapshot, c->received);
	const struct message *canceled = snapshot_find_message(snapshot, c->canceled);
	if (!queued)
		print_diagnostics(snapshot);
	CU_ASSERT_PTR_NOT_NULL_FATAL(queued);
	CU_ASSERT_PTR_NOT_NULL_FATAL(received);
	CU_ASSERT_PTR_NOT_NULL_FATAL(canceled);
	CU_ASSERT_STRING_EQUAL(queued->type, "LPC_REQUEST");
	CU_ASSERT_EQUAL(queued->continuation, YES);
	CU_ASSERT_EQUAL(received->continuation, NO);
	CU_ASSERT_EQUAL(canceled->continuation, YES_NO_UNKNOWN);
	CU_ASSERT_EQUAL(queued->quota_charged, YES_NO_UNKNOWN); /* no public source gives it */
	const struct port *listener = snapshot_find_port(snapshot, c->listener_port);
	CU_ASSERT_PTR_NOT_NULL_FATAL(listener);
	CU_ASSERT_KNOWN_EQUAL(listener->registered_thread_count, 2);
	CU_ASSERT_EQUAL_FATAL(listener->registered_threads.count, 2);
	CU_ASSERT_EQUAL(listener->registered_threads.items[0], c->worker);
	CU_ASSERT_EQUAL(listener->registered_threads.items[1], c->listener);
	snapshot_free(snapshot);
	ptr_vec_release(&snapshots);
	forge_scenario_system_free(&system);
}

static void deadlock_2(void) { scenario_reads_whole("deadlock-2", false); }
static void cycle_3(void) { scenario_reads_whole("cycle-3", false); }
static void chain_6_mutant(void) { scenario_reads_whole("chain-6-mutant", false); }
static void main_queue(void) { scenario_reads_whole("main-queue", false); }
static void pending(void) { scenario_reads_whole("pending", false); }
static void canceled(void) { scenario_reads_whole("canceled", false); }
static void self_connection(void) { scenario_reads_whole("self-connection", false); }
static void pool_only(void) { scenario_reads_whole("pool-only", true); }

int main(void)
{
	static const struct test_case decoding[] = {
		{ "19041.3570: ports, queues and messages", port_and_messages_19041 },
		{ "9600: ports, queues and messages", port_and_messages_9600 },
		{ "7601.24540: ports, queues and messages", port_and_messages_7601 },
		{ "17763: ports, queues and messages", port_and_messages_17763 },
		{ "22621: ports, queues and messages", port_and_messages_22621 },
		{ NULL, NULL },
	};
	static const struct test_case census[] = {
		{ "ports by list and reference, messages by queue, waits", census_finds_ports_messages_and_waits },
		{ "--pool-search finds a port nothing names", pool_search_finds_an_unlisted_port },
		{ "a looping queue, absent pages, a wrong profile", damaged_queue_and_pointers_are_warnings },
		{ "queues that share one chain", queues_that_share_one_chain },
		{ "a looping completion queue, one in an absent page", damaged_completion_queue_is_a_warning },
		{ NULL, NULL },
	};
	static const struct test_case scenarios[] = {
		{ "deadlock-2 on every layout", deadlock_2 },
		{ "cycle-3 on every layout", cycle_3 },
		{ "chain-6-mutant on every layout", chain_6_mutant },
		{ "main-queue on every layout", main_queue },
		{ "pending on every layout", pending },
		{ "canceled on every layout", canceled },
		{ "self-connection on every layout", self_connection },
		{ "pool-only with --pool-search on every layout", pool_only },
		{ "a connection into a snapshot: Continuation, registered threads", connection_into_snapshot },
		{ "replay-win10-smss: the thread registered with SmApiPort's completion queue",
		  replay_registered_threads },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = {
		{ "ALPC decoding", decoding },
		{ "ALPC census", census },
		{ "ALPC scenarios into snapshots", scenarios },
	};
	return run_suites("test_alpc_dump", suites, sizeof suites / sizeof *suites);
}
