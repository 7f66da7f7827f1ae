/* The forge's Windows kernel objects, checked without the forge's offset
 * table: each scenario is written as a dump and read back through the
 * test's own page walks and hand-typed offsets (object_reader.c), and the
 * table itself is held against ../shared/docs/struct-offsets.md, value by
 * value where that file lists the field, and literally for the values the
 * readers' issue depends on. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/harness.h"
#include "forge.h"
#include "independent_reader.h"
#include "object_reader.h"

#define MAX_PFN 0x8000ULL          /* 128 MiB of physical memory */
#define HEAP_PA 0x400000ULL        /* the kernel heap: 4 MiB from here */
#define COOKIE 0xa7
#define ALPC_PORT_INDEX 44         /* forge.h's FORGE_TYPE_ALPC_PORT */
#define ACCESS 0x1f0001u

static const char *temp_file(const char *name)
{
	static char paths[8][PATH_MAX];
	static unsigned next;
	char *path = paths[next++ % 8];
	snprintf(path, PATH_MAX, "%s/%s", test_temp_dir(), name);
	return path;
}

struct world {
	struct forge *forge;
	struct forge_windows *w;
	enum forge_arch arch;
	struct kreader kr;
};

static void world_new(struct world *world, const char *column, enum forge_arch arch, bool pool_headers,
		      bool creator_info)
{
	*world = (struct world){ .arch = arch, .kr = { .image = { .fd = -1 } } };
	world->forge = forge_new(arch, MAX_PFN);
	struct forge_windows_options options = {
		.layout = forge_layout_named(column),
		.heap_pa = HEAP_PA,
		.pool_headers = pool_headers,
		.creator_info = creator_info,
		.ob_header_cookie = COOKIE,
	};
	CU_ASSERT_PTR_NOT_NULL(options.layout);
	world->w = forge_windows_new(world->forge, &options);
}

/* Writes a full dump and opens it with the test's reader; false (with
 * the forge's complaint printed) when the scenario was misused. */
static bool world_dump(struct world *world, const char *name, const char *column)
{
	const char *path = temp_file(name);
	struct error *error = forge_write_dump(world->forge, FORGE_WINDOWS_FULL, path);
	if (error) {
		fprintf(stderr, "%s\n", error->message);
		error_free(error);
		return false;
	}
	return kr_open(&world->kr, path, world->arch, forge_dtb(world->forge), known_offsets(column));
}

static void world_free(struct world *world)
{
	kr_close(&world->kr);
	forge_windows_free(world->w);
	forge_free(world->forge);
}

static bool list_holds(struct kreader *kr, uint64_t head, uint64_t entry)
{
	uint64_t entries[64];
	size_t count = kr_list(kr, head, entries, 64);
	for (size_t i = 0; count != SIZE_MAX && i < count; i++)
		if (entries[i] == entry)
			return true;
	return false;
}

/* The README's deadlock on Windows 10 2004+: OrderSvc's thread waits for
 * StockSvc's reply and StockSvc's thread for OrderSvc's, a worker waits
 * on a mutant OrderSvc's thread owns; handle tables of 0, 1 and 2 levels;
 * pool headers, creator info and the header cookie all on. */
static void windows_10_scenario_reads_back_by_hand(void)
{
	struct world world;
	world_new(&world, "19041.3570", FORGE_X64, true, true);
	struct forge_windows *w = world.w;
	const struct forge_windows_facts *facts = forge_windows_facts(w);
	uint64_t system = forge_process(w, 4, "System");
	struct forge_process_spec order_spec = { .pid = 0xa14, .image_name = "OrderSvc.exe", .parent_pid = 0x25c,
						 .create_time = 0x01da6bf1c0a3e000ULL, .handle_levels = 1 };
	uint64_t order = forge_process_ex(w, &order_spec);
	struct forge_process_spec stock_spec = { .pid = 0xc08, .image_name = "StockSvc.exe", .parent_pid = 0x25c,
						 .handle_levels = 2 };
	uint64_t stock = forge_process_ex(w, &stock_spec);
	uint64_t order_thread = forge_thread(w, order, 0xb30, FORGE_THREAD_WAITING, FORGE_WAIT_LPC_REPLY);
	uint64_t stock_thread = forge_thread(w, stock, 0xc4c, FORGE_THREAD_WAITING, FORGE_WAIT_LPC_REPLY);
	uint64_t stock_listener = forge_thread(w, stock, 0xc50, FORGE_THREAD_WAITING, FORGE_WAIT_LPC_RECEIVE);
	uint64_t stock_worker = forge_thread(w, stock, 0xc54, FORGE_THREAD_WAITING, FORGE_WAIT_USER_REQUEST);
	uint64_t stock_port = forge_alpc_connection_port(w, stock, "\\RPC Control\\StockSvcPort");
	uint64_t order_port = forge_alpc_connection_port(w, order, "\\RPC Control\\OrderSvcPort");
	uint64_t client_a, server_a, client_b, server_b;
	forge_alpc_connect(w, order, stock_port, &client_a, &server_a);
	forge_alpc_connect(w, stock, order_port, &client_b, &server_b);
	struct forge_alpc_message_spec m1_spec = {
		.port = stock_port, .queue = FORGE_QUEUE_MAIN, .owner_port = client_a,
		.waiting_thread = order_thread, .server_thread = stock_thread, .message_id = 0x1234,
		.callback_id = 0x11, .sequence_no = 7, .queue_type = 1, .reply_wait_reply = true,
		.data_length = 0x40, .type = 0x2001, .client_context = 0xc11e, .server_context = 0x5e7e,
		.view = 0xffffb000000f0000ULL, .extension_buffer = 0xffffb000000e0000ULL, .extension_buffer_size = 0x80,
	};
	uint64_t m1 = forge_alpc_message(w, &m1_spec);
	struct forge_alpc_message_spec m2_spec = {
		.port = order_port, .queue = FORGE_QUEUE_PENDING, .owner_port = client_b,
		.waiting_thread = stock_thread, .server_thread = order_thread, .message_id = 0x5678,
	};
	uint64_t m2 = forge_alpc_message(w, &m2_spec);
	forge_alpc_wait_for_message(w, stock_port, stock_listener);
	uint64_t mutant = forge_mutant(w, order_thread, "\\BaseNamedObjects\\OrderLock");
	uint64_t wait_block = forge_thread_waits_on(w, stock_worker, mutant);
	CU_ASSERT_EQUAL(forge_handle(w, system, order, 0x1fffff), 4);
	forge_handle_at(w, order, 0x404, client_a, ACCESS);       /* leaf 1, entry 1 */
	forge_handle_at(w, stock, 0x80014, stock_port, ACCESS);   /* mid 1, leaf 0, entry 5 */
	CU_ASSERT_EQUAL(forge_handle(w, stock, mutant, 0x1f0001), 4);
	CU_ASSERT_EQUAL(forge_handle(w, stock, stock_port, 0x1), 8);
	CU_ASSERT_FATAL(world_dump(&world, "win10.dmp", "19041.3570"));
	struct kreader *kr = &world.kr;
	const struct known_offsets *k = kr->k;

	/* The process list, in creation order. */
	uint64_t links[8];
	CU_ASSERT_EQUAL_FATAL(kr_list(kr, facts->ps_active_process_head, links, 8), 3);
	CU_ASSERT_EQUAL(links[0], system + 0x448);
	CU_ASSERT_EQUAL(links[1], order + 0x448);
	CU_ASSERT_EQUAL(links[2], stock + 0x448);
	CU_ASSERT_EQUAL(kr_ptr(kr, order + k->eprocess_pid), 0xa14);
	CU_ASSERT_EQUAL(kr_ptr(kr, order + 0x540), 0x25c);            /* InheritedFromUniqueProcessId */
	CU_ASSERT_EQUAL(kr_u64(kr, order + 0x468), 0x01da6bf1c0a3e000ULL); /* CreateTime */
	CU_ASSERT_EQUAL(kr_u64(kr, order + 0x28), forge_dtb(world.forge)); /* Pcb.DirectoryTableBase */
	char text[64] = { 0 };
	CU_ASSERT_TRUE(kr_read(kr, stock + k->eprocess_name, text, 15));
	CU_ASSERT_STRING_EQUAL(text, "StockSvc.exe");

	/* Threads on their process's list, with Cid, State, WaitReason. */
	uint64_t threads[8];
	CU_ASSERT_EQUAL_FATAL(kr_list(kr, stock + k->eprocess_threads, threads, 8), 3);
	CU_ASSERT_EQUAL(threads[0], stock_thread + k->ethread_list_entry);
	CU_ASSERT_EQUAL(threads[2], stock_worker + k->ethread_list_entry);
	CU_ASSERT_EQUAL(kr_ptr(kr, order_thread + k->ethread_cid), 0xa14);
	CU_ASSERT_EQUAL(kr_ptr(kr, order_thread + k->ethread_cid + 8), 0xb30);
	CU_ASSERT_EQUAL(kr_u8(kr, order_thread + k->kthread_state), 5);
	CU_ASSERT_EQUAL(kr_u8(kr, order_thread + k->kthread_wait_reason), 17);
	CU_ASSERT_EQUAL(kr_ptr(kr, order_thread + 0xb8), order);       /* ApcState.Process */

	/* Handle tables of each level; entries decode both ways. */
	uint32_t access = 0;
	CU_ASSERT_EQUAL(kr_ptr(kr, kr_ptr(kr, system + k->eprocess_object_table) + k->table_code) & 3, 0);
	CU_ASSERT_EQUAL(kr_ptr(kr, kr_ptr(kr, order + k->eprocess_object_table) + k->table_code) & 3, 1);
	CU_ASSERT_EQUAL(kr_ptr(kr, kr_ptr(kr, stock + k->eprocess_object_table) + k->table_code) & 3, 2);
	CU_ASSERT_EQUAL(kr_handle_object(kr, kr_ptr(kr, system + k->eprocess_object_table), 4, &access), order);
	CU_ASSERT_EQUAL(access, 0x1fffff);
	CU_ASSERT_EQUAL(kr_handle_object(kr, kr_ptr(kr, order + k->eprocess_object_table), 0x404, &access),
			client_a);
	CU_ASSERT_EQUAL(access, ACCESS);
	CU_ASSERT_EQUAL(kr_handle_object(kr, kr_ptr(kr, stock + k->eprocess_object_table), 0x80014, &access),
			stock_port);
	CU_ASSERT_EQUAL(kr_handle_object(kr, kr_ptr(kr, stock + k->eprocess_object_table), 4, &access), mutant);
	CU_ASSERT_EQUAL(kr_handle_object(kr, kr_ptr(kr, stock + k->eprocess_object_table), 8, &access),
			stock_port);
	CU_ASSERT_EQUAL(access, 1);
	CU_ASSERT_EQUAL(kr_handle_object(kr, kr_ptr(kr, order + k->eprocess_object_table), 0x408, &access), 0);
	/* What the forge says it did agrees with the dump. */
	CU_ASSERT_EQUAL(forge_handle_table(w, order), kr_ptr(kr, order + k->eprocess_object_table));
	uint64_t leaf = kr_ptr(kr, (kr_ptr(kr, forge_handle_table(w, order) + k->table_code) & ~3ULL) + 8);
	CU_ASSERT_EQUAL(forge_handle_entry(w, order, 0x404), leaf + 0x10);
	CU_ASSERT_EQUAL(forge_handle_entry(w, order, 0x1004), 0); /* leaf 4 was never made */
	uint64_t pa = 0;
	CU_ASSERT_EQUAL(kr_translate(kr, stock_port, &pa), WALK_OK);
	CU_ASSERT_EQUAL(forge_kernel_physical(w, stock_port), pa);
	/* The port's header counts its two handles and three references. */
	CU_ASSERT_EQUAL(kr_u64(kr, stock_port - 0x30 + 0x8), 2);
	CU_ASSERT_EQUAL(kr_u64(kr, stock_port - 0x30), 3);

	/* Types through the cookie: the stored byte is not the index. */
	uint64_t port_header = stock_port - k->header_body;
	CU_ASSERT_EQUAL(kr_u8(kr, facts->ob_header_cookie), COOKIE);
	CU_ASSERT_EQUAL(kr_u8(kr, port_header + k->header_type_index),
			ALPC_PORT_INDEX ^ COOKIE ^ ((port_header >> 8) & 0xff));
	CU_ASSERT_EQUAL(kr_ptr(kr, facts->ob_type_index_table + 8 * ALPC_PORT_INDEX), facts->types[FORGE_TYPE_ALPC_PORT]);
	CU_ASSERT_EQUAL(kr_u8(kr, facts->types[FORGE_TYPE_ALPC_PORT] + k->type_index), ALPC_PORT_INDEX);
	const struct { uint64_t body; const char *type; } typed[] = {
		{ stock_port, "ALPC Port" }, { client_a, "ALPC Port" }, { order, "Process" },
		{ order_thread, "Thread" }, { mutant, "Mutant" }, { facts->types[FORGE_TYPE_THREAD], "Type" },
		{ facts->root_directory, "Directory" },
	};
	for (size_t i = 0; i < sizeof typed / sizeof *typed; i++) {
		CU_ASSERT_TRUE(kr_type_name(kr, typed[i].body, facts->ob_type_index_table, COOKIE, text, sizeof text));
		CU_ASSERT_STRING_EQUAL(text, typed[i].type);
	}

	/* Names, with creator info below the header and directories above. */
	CU_ASSERT_EQUAL(kr_u8(kr, port_header + k->header_info_mask), 3);
	CU_ASSERT_TRUE(kr_object_name(kr, stock_port, text, sizeof text));
	CU_ASSERT_STRING_EQUAL(text, "\\RPC Control\\StockSvcPort");
	CU_ASSERT_TRUE(kr_object_name(kr, mutant, text, sizeof text));
	CU_ASSERT_STRING_EQUAL(text, "\\BaseNamedObjects\\OrderLock");
	CU_ASSERT_TRUE(kr_object_name(kr, facts->types[FORGE_TYPE_ALPC_PORT], text, sizeof text));
	CU_ASSERT_STRING_EQUAL(text, "ALPC Port");
	CU_ASSERT_FALSE(kr_object_name(kr, client_a, text, sizeof text));
	CU_ASSERT_EQUAL(kr_ptr(kr, port_header - 0x20 + 0x10), 0xc08); /* CreatorUniqueProcess */
	/* The process's pool block: its header, then creator info, then the
	 * object header; "Proc" without the protected bit from Windows 8 on. */
	CU_ASSERT_EQUAL(kr_u32(kr, order - 0x30 - 0x20 - 0x10 + 4), 0x636f7250u);

	/* The chain: thread -> message -> port queue -> port -> owner, and back. */
	CU_ASSERT_EQUAL(kr_ptr(kr, order_thread + k->alpc_message), m1);
	CU_ASSERT_EQUAL(kr_u64(kr, order_thread + k->alpc_message_id), 0x1234);
	CU_ASSERT_EQUAL(kr_ptr(kr, m1 + k->msg_port_queue), stock_port);
	CU_ASSERT_EQUAL(kr_ptr(kr, m1 + k->msg_owner_port), client_a);
	CU_ASSERT_EQUAL(kr_ptr(kr, m1 + k->msg_waiting_thread), order_thread);
	CU_ASSERT_EQUAL(kr_ptr(kr, m1 + k->msg_server_thread), stock_thread);
	CU_ASSERT_EQUAL(kr_u32(kr, m1 + k->msg_state), 1u | 1u << 11); /* QueueType 1, ReplyWaitReply */
	CU_ASSERT_EQUAL(kr_u32(kr, m1 + 0x2c), 7);                      /* SequenceNo */
	uint64_t entries[8];
	CU_ASSERT_EQUAL_FATAL(kr_list(kr, stock_port + k->port_main_queue, entries, 8), 1);
	CU_ASSERT_EQUAL(entries[0], m1);
	CU_ASSERT_EQUAL(kr_u32(kr, stock_port + k->port_main_queue_length), 1);
	CU_ASSERT_EQUAL(kr_ptr(kr, stock_port + k->port_owner), stock);
	CU_ASSERT_EQUAL(kr_u16(kr, m1 + k->msg_port_message), 0x40);           /* DataLength */
	CU_ASSERT_EQUAL(kr_u16(kr, m1 + k->msg_port_message + 2), 0x68);       /* TotalLength */
	CU_ASSERT_EQUAL(kr_u16(kr, m1 + k->msg_port_message + 4), 0x2001);     /* Type */
	CU_ASSERT_EQUAL(kr_ptr(kr, m1 + k->msg_port_message + k->pm_client_id), 0xa14);
	CU_ASSERT_EQUAL(kr_ptr(kr, m1 + k->msg_port_message + k->pm_client_id + 8), 0xb30);
	CU_ASSERT_EQUAL(kr_u32(kr, m1 + k->msg_port_message + k->pm_message_id), 0x1234);
	CU_ASSERT_EQUAL(kr_u32(kr, m1 + k->msg_port_message + 0x20), 0x11);    /* CallbackId */
	/* MessageAttributes at 0x68: ClientContext +0, ServerContext +8,
	 * View +0x28; ExtensionBuffer 0xe0, ExtensionBufferSize 0xe8. */
	CU_ASSERT_EQUAL(kr_ptr(kr, m1 + 0x68), 0xc11e);
	CU_ASSERT_EQUAL(kr_ptr(kr, m1 + 0x68 + 0x8), 0x5e7e);
	CU_ASSERT_EQUAL(kr_ptr(kr, m1 + 0x68 + 0x28), 0xffffb000000f0000ULL);
	CU_ASSERT_EQUAL(kr_ptr(kr, m1 + 0xe0), 0xffffb000000e0000ULL);
	CU_ASSERT_EQUAL(kr_u64(kr, m1 + 0xe8), 0x80);
	CU_ASSERT_EQUAL(kr_ptr(kr, stock_thread + k->alpc_message), m2);
	CU_ASSERT_EQUAL(kr_ptr(kr, m2 + k->msg_port_queue), order_port);
	CU_ASSERT_TRUE(list_holds(kr, order_port + 0xb8, m2));                 /* PendingQueue */
	CU_ASSERT_EQUAL(kr_u32(kr, order_port + 0x1c8), 1);                    /* PendingQueueLength */

	/* Communication info names the connection's three ports. */
	uint64_t info = kr_ptr(kr, client_a + k->port_comm_info);
	CU_ASSERT_EQUAL(info, forge_alpc_communication_info(w, client_a));
	CU_ASSERT_EQUAL(kr_ptr(kr, server_a + k->port_comm_info), info);
	CU_ASSERT_EQUAL(kr_ptr(kr, info + k->comm_connection), stock_port);
	CU_ASSERT_EQUAL(kr_ptr(kr, info + k->comm_server), server_a);
	CU_ASSERT_EQUAL(kr_ptr(kr, info + k->comm_client), client_a);
	CU_ASSERT_EQUAL(kr_ptr(kr, kr_ptr(kr, stock_port + k->port_comm_info) + k->comm_connection), stock_port);
	CU_ASSERT_EQUAL(kr_ptr(kr, client_a + k->port_owner), order);
	CU_ASSERT_EQUAL(kr_ptr(kr, server_a + k->port_owner), stock);
	CU_ASSERT_TRUE(list_holds(kr, facts->alpcp_port_list, client_a));     /* PortListEntry at +0 */

	/* The listener on the WaitQueue; the worker on the mutant. */
	CU_ASSERT_TRUE(list_holds(kr, stock_port + k->port_wait_queue, stock_listener + k->alpc_wait_list_entry));
	CU_ASSERT_EQUAL(kr_u32(kr, stock_port + k->port_wait_queue_length), 1);
	CU_ASSERT_EQUAL(kr_ptr(kr, stock_worker + k->kthread_wait_block_list), wait_block);
	CU_ASSERT_EQUAL(kr_ptr(kr, wait_block + k->wait_block_object), mutant);
	CU_ASSERT_EQUAL(kr_ptr(kr, mutant + k->mutant_owner), order_thread);
	CU_ASSERT_TRUE(list_holds(kr, mutant + 8, wait_block));                /* Header.WaitListHead */
	CU_ASSERT_TRUE(kr->ok);
	world_free(&world);
}

/* Windows 7: a plain TypeIndex, handle entries that hold the header's
 * address, the message fields before 8.1 moved them. */
static void windows_7_scenario_reads_back_by_hand(void)
{
	struct world world;
	world_new(&world, "7601.24540", FORGE_X64, false, false);
	struct forge_windows *w = world.w;
	const struct forge_windows_facts *facts = forge_windows_facts(w);
	uint64_t client = forge_process(w, 0x100, "client.exe");
	uint64_t server = forge_process(w, 0x200, "server.exe");
	uint64_t thread = forge_thread(w, client, 0x104, FORGE_THREAD_WAITING, FORGE_WAIT_LPC_REPLY);
	uint64_t port = forge_alpc_connection_port(w, server, "\\RPC Control\\ServerPort");
	struct forge_alpc_message_spec spec = { .port = port, .queue = FORGE_QUEUE_MAIN, .waiting_thread = thread,
						.message_id = 0x99c, .queue_type = 2, .canceled = true };
	uint64_t message = forge_alpc_message(w, &spec);
	uint32_t handle = forge_handle(w, client, port, ACCESS);
	CU_ASSERT_EQUAL(forge_windows_layout(w)->thread.alpc_message_id, 0x460);
	CU_ASSERT_FATAL(world_dump(&world, "win7.dmp", "7601.24540"));
	struct kreader *kr = &world.kr;
	const struct known_offsets *k = kr->k;
	CU_ASSERT_EQUAL(facts->ob_header_cookie, 0);
	CU_ASSERT_EQUAL(kr_u8(kr, port - 0x30 + 0x18), ALPC_PORT_INDEX);
	char text[64];
	CU_ASSERT_TRUE(kr_type_name(kr, port, facts->ob_type_index_table, 0, text, sizeof text));
	CU_ASSERT_STRING_EQUAL(text, "ALPC Port");
	CU_ASSERT_TRUE(kr_object_name(kr, port, text, sizeof text));
	CU_ASSERT_STRING_EQUAL(text, "\\RPC Control\\ServerPort");
	CU_ASSERT_EQUAL(kr_u8(kr, port - 0x30 + k->header_info_mask), 2);
	uint64_t table = kr_ptr(kr, client + k->eprocess_object_table);
	uint64_t code = kr_ptr(kr, table + k->table_code);
	CU_ASSERT_EQUAL(code & 3, 0);
	CU_ASSERT_EQUAL(kr_u64(kr, (code & ~3ULL) + handle / 4 * 0x10), (port - 0x30) | 1); /* unlocked */
	uint32_t access = 0;
	CU_ASSERT_EQUAL(kr_handle_object(kr, table, handle, &access), port);
	CU_ASSERT_EQUAL(access, ACCESS);
	CU_ASSERT_EQUAL(kr_u64(kr, thread + 0x460), 0x99c);
	CU_ASSERT_EQUAL(kr_ptr(kr, thread + 0x468), message);
	CU_ASSERT_EQUAL(kr_ptr(kr, message + 0x68), port);
	CU_ASSERT_EQUAL(kr_ptr(kr, message + 0x58), thread);
	CU_ASSERT_EQUAL(kr_u32(kr, message + 0x2c), 2u | 1u << 6);  /* QueueType b0..1, Canceled b6 */
	CU_ASSERT_TRUE(list_holds(kr, port + 0x88, message));
	CU_ASSERT_EQUAL(kr_u32(kr, port + 0x188), 1);
	CU_ASSERT_EQUAL(kr_u32(kr, message + 0xd8 + 0x18), 0x99c);
	CU_ASSERT_TRUE(kr->ok);
	world_free(&world);
}

/* 8.1 and 1607 differ where struct-offsets.md says they do: QueueType
 * grew a bit and pushed Canceled up, a DirectQueue appeared, the header
 * cookie came with Windows 10. */
static void windows_8_1_and_1607_differ_as_documented(void)
{
	static const struct {
		const char *column;
		uint32_t state, direct;
		uint8_t stored_index_xor;
	} cases[] = { { "9600", 3u | 1u << 6, FORGE_NONE, 0 }, { "14393", 3u | 1u << 7, 0xd0, COOKIE } };
	for (size_t i = 0; i < 2; i++) {
		struct world world;
		world_new(&world, cases[i].column, FORGE_X64, true, false);
		struct forge_windows *w = world.w;
		uint64_t process = forge_process(w, 0x300, "svc.exe");
		uint64_t thread = forge_thread(w, process, 0x304, FORGE_THREAD_WAITING, FORGE_WAIT_LPC_REPLY);
		uint64_t port = forge_alpc_connection_port(w, process, "\\RPC Control\\Svc");
		struct forge_alpc_message_spec spec = { .port = port, .queue = FORGE_QUEUE_MAIN,
							.waiting_thread = thread, .message_id = 5, .queue_type = 3,
							.canceled = true };
		uint64_t message = forge_alpc_message(w, &spec);
		const struct forge_layout *layout = forge_windows_layout(w);
		CU_ASSERT_EQUAL(layout->alpc_port.direct_queue, cases[i].direct);
		if (cases[i].direct != FORGE_NONE)
			CU_ASSERT_EQUAL(forge_alpc_queue_head(w, port, FORGE_QUEUE_DIRECT), port + cases[i].direct);
		CU_ASSERT_FATAL(world_dump(&world, "win81-1607.dmp", cases[i].column));
		struct kreader *kr = &world.kr;
		const struct known_offsets *k = kr->k;
		CU_ASSERT_EQUAL(kr_u32(kr, message + k->msg_state), cases[i].state);
		CU_ASSERT_EQUAL(kr_ptr(kr, thread + k->alpc_message), message);
		CU_ASSERT_EQUAL(kr_u32(kr, message + k->msg_port_message + k->pm_message_id), 5);
		uint64_t header = port - 0x30;
		uint8_t expected = (uint8_t)(ALPC_PORT_INDEX ^ cases[i].stored_index_xor ^
					     (cases[i].stored_index_xor ? (header >> 8) & 0xff : 0));
		CU_ASSERT_EQUAL(kr_u8(kr, header + k->header_type_index), expected);
		char text[32];
		CU_ASSERT_TRUE(kr_type_name(kr, port, forge_windows_facts(w)->ob_type_index_table, COOKIE, text,
					    sizeof text));
		CU_ASSERT_STRING_EQUAL(text, "ALPC Port");
		CU_ASSERT_TRUE(kr->ok);
		world_free(&world);
	}
}

/* Vista: the header's Type pointer and NameInfoOffset. */
static void vista_headers_point_at_their_type(void)
{
	struct world world;
	world_new(&world, "Vista x64", FORGE_X64, true, true);
	struct forge_windows *w = world.w;
	const struct forge_windows_facts *facts = forge_windows_facts(w);
	CU_ASSERT_EQUAL(facts->ob_type_index_table, 0);
	uint64_t process = forge_process(w, 0x400, "app.exe");
	uint64_t thread = forge_thread(w, process, 0x404, FORGE_THREAD_WAITING, FORGE_WAIT_USER_REQUEST);
	uint64_t mutant = forge_mutant(w, 0, "\\BaseNamedObjects\\Free");
	forge_thread_waits_on(w, thread, mutant);
	uint64_t port = forge_alpc_connection_port(w, process, "\\RPC Control\\AppPort");
	struct forge_alpc_message_spec spec = { .port = port, .queue = FORGE_QUEUE_MAIN, .waiting_thread = thread,
						.message_id = 0x77 };
	uint64_t message = forge_alpc_message(w, &spec);
	CU_ASSERT_FATAL(world_dump(&world, "vista.dmp", "Vista x64"));
	struct kreader *kr = &world.kr;
	const struct known_offsets *k = kr->k;
	uint64_t header = mutant - k->header_body;
	CU_ASSERT_EQUAL(kr_ptr(kr, header + k->header_type), facts->types[FORGE_TYPE_MUTANT]);
	CU_ASSERT_EQUAL(kr_u8(kr, header + k->header_name_info_offset), 0x40); /* name + creator info */
	CU_ASSERT_EQUAL(kr_u8(kr, header + 0x1b) & 0x04, 0x04);                /* OB_FLAG_CREATOR_INFO */
	char text[64];
	CU_ASSERT_TRUE(kr_type_name(kr, mutant, 0, 0, text, sizeof text));
	CU_ASSERT_STRING_EQUAL(text, "Mutant");
	CU_ASSERT_TRUE(kr_object_name(kr, mutant, text, sizeof text));
	CU_ASSERT_STRING_EQUAL(text, "\\BaseNamedObjects\\Free");
	CU_ASSERT_EQUAL(kr_u32(kr, mutant + 4), 1);                            /* free: SignalState 1 */
	CU_ASSERT_EQUAL(kr_ptr(kr, mutant + k->mutant_owner), 0);
	CU_ASSERT_EQUAL(kr_ptr(kr, kr_ptr(kr, thread + k->kthread_wait_block_list) + k->wait_block_object), mutant);
	CU_ASSERT_TRUE(kr_type_name(kr, port, 0, 0, text, sizeof text));
	CU_ASSERT_STRING_EQUAL(text, "ALPC Port");
	CU_ASSERT_EQUAL(kr_ptr(kr, message + k->msg_port_queue), port);
	CU_ASSERT_EQUAL(kr_ptr(kr, message + k->msg_waiting_thread), thread);
	CU_ASSERT_EQUAL(kr_u32(kr, message + k->msg_port_message + k->pm_message_id), 0x77);
	CU_ASSERT_EQUAL(kr_ptr(kr, thread + k->alpc_message), message);
	/* A pre-Windows 8 process tag carries the protected bit: "Pro\xe3". */
	CU_ASSERT_EQUAL(kr_u32(kr, process - 0x30 - 0x20 - 0x10 + 4), 0xe36f7250u);
	CU_ASSERT_TRUE(kr->ok);
	world_free(&world);
}

/* XP x86 without PAE: 4-byte pointers, 8-byte handle entries, LPC. */
static void xp_lpc_scenario_reads_back_by_hand(void)
{
	struct world world;
	world_new(&world, "XP x86", FORGE_X86, true, false);
	struct forge_windows *w = world.w;
	const struct forge_windows_facts *facts = forge_windows_facts(w);
	uint64_t server = forge_process(w, 0x25c, "csrss.exe");
	struct forge_process_spec client_spec = { .pid = 0x3a0, .image_name = "a-very-long-image-name.exe",
						  .handle_levels = 1 };
	uint64_t client = forge_process_ex(w, &client_spec);
	uint64_t server_thread = forge_thread(w, server, 0x260, FORGE_THREAD_WAITING, FORGE_WAIT_LPC_RECEIVE);
	uint64_t client_thread = forge_thread(w, client, 0x3a4, FORGE_THREAD_WAITING, FORGE_WAIT_LPC_REPLY);
	uint64_t replied_thread = forge_thread(w, client, 0x3a8, FORGE_THREAD_WAITING, FORGE_WAIT_LPC_REPLY);
	uint64_t port = forge_lpc_connection_port(w, server, "\\Windows\\ApiPort");
	uint64_t client_port, server_port;
	forge_lpc_connect(w, client_thread, port, &client_port, &server_port);
	struct forge_lpc_message_spec spec = { .queue_port = port, .sender_port = client_port, .message_id = 0x42,
					       .callback_id = 0, .data_length = 0x20, .type = 1,
					       .client_pid = 0x3a0, .client_tid = 0x3a4 };
	uint64_t message = forge_lpc_message(w, &spec);
	forge_lpc_wait_reply(w, client_thread, client_port, 0x42);
	forge_lpc_received(w, server_thread, 0x41);
	forge_lpc_reply_message(w, replied_thread, message);
	forge_handle_at(w, client, 0x1004, client_port, 0x1f0001); /* leaf 2 of a 1-level table */
	CU_ASSERT_FATAL(world_dump(&world, "xp.dmp", "XP x86"));
	struct kreader *kr = &world.kr;
	const struct known_offsets *k = kr->k;
	uint64_t links[4];
	CU_ASSERT_EQUAL_FATAL(kr_list(kr, facts->ps_active_process_head, links, 4), 2);
	CU_ASSERT_EQUAL(links[1], client + k->eprocess_links);
	CU_ASSERT_EQUAL(kr_ptr(kr, client + k->eprocess_pid), 0x3a0);
	char text[64] = { 0 };
	CU_ASSERT_TRUE(kr_read(kr, client + k->eprocess_name, text, 16));
	CU_ASSERT_EQUAL(memcmp(text, "a-very-long-ima", 15), 0);  /* 15 bytes, no terminator */
	CU_ASSERT_EQUAL(text[15], 0);                               /* padding before JobLinks */
	CU_ASSERT_EQUAL(kr_ptr(kr, client_thread + k->ethread_cid), 0x3a0);
	CU_ASSERT_EQUAL(kr_ptr(kr, client_thread + k->ethread_cid + 4), 0x3a4);
	CU_ASSERT_EQUAL(kr_ptr(kr, client_thread + 0x220), client);  /* ThreadsProcess */
	uint32_t access = 0;
	CU_ASSERT_EQUAL(kr_handle_object(kr, kr_ptr(kr, client + k->eprocess_object_table), 0x1004, &access),
			client_port);
	CU_ASSERT_EQUAL(access, 0x1f0001);
	CU_ASSERT_TRUE(kr_type_name(kr, port, 0, 0, text, sizeof text));
	CU_ASSERT_STRING_EQUAL(text, "Port");
	CU_ASSERT_TRUE(kr_object_name(kr, port, text, sizeof text));
	CU_ASSERT_STRING_EQUAL(text, "\\Windows\\ApiPort");
	CU_ASSERT_EQUAL(kr_u32(kr, port + k->lpc_port_flags), 1);
	CU_ASSERT_EQUAL(kr_u32(kr, client_port + k->lpc_port_flags), 4);
	CU_ASSERT_EQUAL(kr_u32(kr, server_port + k->lpc_port_flags), 3);
	CU_ASSERT_EQUAL(kr_ptr(kr, port + k->lpc_port_connection), port);
	CU_ASSERT_EQUAL(kr_ptr(kr, client_port + k->lpc_port_connection), port);
	CU_ASSERT_EQUAL(kr_ptr(kr, client_port + k->lpc_port_connected), server_port);
	CU_ASSERT_EQUAL(kr_ptr(kr, server_port + k->lpc_port_connected), client_port);
	uint64_t entries[4];
	CU_ASSERT_EQUAL_FATAL(kr_list(kr, port + k->lpc_port_receive_head, entries, 4), 1);
	CU_ASSERT_EQUAL(entries[0], message);
	CU_ASSERT_EQUAL(kr_ptr(kr, message + k->lpc_message_sender), client_port);
	CU_ASSERT_EQUAL(kr_u32(kr, message + k->lpc_message_request + k->pm_message_id), 0x42);
	CU_ASSERT_EQUAL(kr_ptr(kr, message + k->lpc_message_request + k->pm_client_id + 4), 0x3a4);
	CU_ASSERT_EQUAL(kr_u16(kr, message + k->lpc_message_request + 2), 0x20 + 0x18); /* TotalLength */
	uint64_t waiting = kr_ptr(kr, client_thread + k->lpc_waiting_on_port);
	CU_ASSERT_EQUAL(waiting & 1, 1);
	CU_ASSERT_EQUAL(waiting & ~3ULL, client_port);
	CU_ASSERT_EQUAL(kr_u32(kr, client_thread + k->lpc_reply_message_id), 0x42);
	CU_ASSERT_TRUE(list_holds(kr, client_port + k->lpc_port_reply_chain_head, client_thread + k->lpc_reply_chain));
	CU_ASSERT_EQUAL(kr_u32(kr, server_thread + k->lpc_received_message_id), 0x41);
	CU_ASSERT_EQUAL(kr_u8(kr, server_thread + k->lpc_received_valid) & 1, 1);
	CU_ASSERT_EQUAL(kr_ptr(kr, replied_thread + k->lpc_waiting_on_port), message); /* bit 0 clear */
	CU_ASSERT_TRUE(kr->ok);
	world_free(&world);
}

/* With forge_kernel's image at kernel_base, the globals lie at their
 * symbol RVAs (struct-offsets.md "Kernel symbol RVAs", 19041.3570). */
static void globals_lie_at_their_rvas(void)
{
	const uint64_t base = 0xfffff80370000000ULL;
	struct forge *forge = forge_new(FORGE_X64, MAX_PFN);
	struct forge_kernel kernel = { .base_va = base, .base_pa = 0x1000000, .text_pages = 2, .data_pages = 2,
				       .pdb_name = "ntkrnlmp.pdb", .pdb_age = 1, .kdbg = true,
				       .kdbg_offset = 0x400, .kdbg_size = 0x368 };
	struct forge_kernel_layout image = forge_kernel(forge, &kernel);
	struct forge_windows_options options = { .layout = forge_layout_named("19041.3570"), .heap_pa = HEAP_PA,
						 .ob_header_cookie = 0x3c, .kernel_base = base,
						 .ps_active_process_head = image.process_list_va };
	struct forge_windows *w = forge_windows_new(forge, &options);
	const struct forge_windows_facts *facts = forge_windows_facts(w);
	CU_ASSERT_EQUAL(facts->ps_active_process_head, image.process_list_va);
	CU_ASSERT_EQUAL(facts->ob_type_index_table, base + 0xcfce60);
	CU_ASSERT_EQUAL(facts->ob_header_cookie, base + 0xcfc728);
	CU_ASSERT_EQUAL(facts->alpcp_port_list, base + 0xc2a8f0);
	CU_ASSERT_EQUAL(facts->obp_root_directory_object, base + 0xc25b18);
	CU_ASSERT_EQUAL(facts->type_pointer[FORGE_TYPE_ALPC_PORT], base + 0xcfc548);
	CU_ASSERT_EQUAL(facts->type_pointer[FORGE_TYPE_TYPE], base + 0xc25b10);
	uint64_t process = forge_process(w, 0x500, "svc.exe");
	uint64_t port = forge_alpc_connection_port(w, process, "\\RPC Control\\Svc");
	struct world world = { .forge = forge, .w = w, .arch = FORGE_X64, .kr = { .image = { .fd = -1 } } };
	CU_ASSERT_FATAL(world_dump(&world, "globals.dmp", "19041.3570"));
	struct kreader *kr = &world.kr;
	uint64_t links[4];
	CU_ASSERT_EQUAL_FATAL(kr_list(kr, image.process_list_va, links, 4), 1);
	CU_ASSERT_EQUAL(links[0], process + kr->k->eprocess_links);
	CU_ASSERT_EQUAL(kr_u8(kr, base + 0xcfc728), 0x3c);
	CU_ASSERT_EQUAL(kr_ptr(kr, base + 0xcfc548), facts->types[FORGE_TYPE_ALPC_PORT]);
	CU_ASSERT_EQUAL(kr_ptr(kr, base + 0xc25b18), facts->root_directory);
	char text[32];
	CU_ASSERT_TRUE(kr_type_name(kr, port, base + 0xcfce60, 0x3c, text, sizeof text));
	CU_ASSERT_STRING_EQUAL(text, "ALPC Port");
	CU_ASSERT_TRUE(list_holds(kr, base + 0xc2a8f0, port));
	CU_ASSERT_TRUE(kr->ok);
	world_free(&world);
}

/* A queue that loops without coming back to its head, and a pointer into
 * a page the dump does not map. */
static void damage_loops_a_queue_and_points_into_nothing(void)
{
	struct world world;
	world_new(&world, "22621", FORGE_X64, false, false);
	struct forge_windows *w = world.w;
	uint64_t process = forge_process(w, 0x600, "svc.exe");
	uint64_t thread = forge_thread(w, process, 0x604, FORGE_THREAD_WAITING, FORGE_WAIT_LPC_REPLY);
	uint64_t port = forge_alpc_connection_port(w, process, "\\RPC Control\\Loop");
	uint64_t messages[3];
	for (unsigned i = 0; i < 3; i++) {
		struct forge_alpc_message_spec spec = { .port = port, .queue = FORGE_QUEUE_MAIN, .message_id = i + 1 };
		messages[i] = forge_alpc_message(w, &spec);
	}
	uint64_t head = forge_alpc_queue_head(w, port, FORGE_QUEUE_MAIN);
	forge_damage_list_loop(w, head, 2);
	uint64_t nowhere = forge_absent_kernel_page(w);
	forge_kernel_write_pointer(w, messages[1] + forge_windows_layout(w)->alpc_message.waiting_thread,
				   nowhere + 0x40);
	(void)thread;
	CU_ASSERT_FATAL(world_dump(&world, "damage.dmp", "19041.3570")); /* same offsets as 22621 here */
	struct kreader *kr = &world.kr;
	uint64_t entries[16];
	CU_ASSERT_EQUAL(kr_list(kr, port + 0x90, entries, 16), SIZE_MAX);
	CU_ASSERT_EQUAL(kr_ptr(kr, messages[2]), messages[0]);
	CU_ASSERT_TRUE(kr->ok);
	uint64_t pa;
	CU_ASSERT_EQUAL(kr_translate(kr, nowhere, &pa), WALK_NOT_PRESENT);
	uint64_t waiting = kr_ptr(kr, messages[1] + 0x20);
	CU_ASSERT_EQUAL(waiting, nowhere + 0x40);
	uint8_t byte;
	CU_ASSERT_FALSE(kr_read(kr, waiting, &byte, 1));
	world_free(&world);
}

static void expect_misuse(struct forge *forge, const char *what)
{
	struct error *error = forge_write_dump(forge, FORGE_WINDOWS_FULL, temp_file("misuse.dmp"));
	CU_ASSERT_PTR_NOT_NULL(error);
	if (error) {
		CU_ASSERT_EQUAL(error->code, ERROR_USAGE);
		CU_ASSERT_PTR_NOT_NULL(strstr(error->message, what));
		error_free(error);
	}
}

static void misuse_is_reported(void)
{
	struct world world;
	world_new(&world, "9600", FORGE_X64, false, false);
	uint64_t process = forge_process(world.w, 8, "a.exe");
	uint64_t port = forge_alpc_connection_port(world.w, process, NULL);
	struct forge_alpc_message_spec spec = { .port = port, .queue = FORGE_QUEUE_DIRECT };
	CU_ASSERT_EQUAL(forge_alpc_message(world.w, &spec), 0);
	expect_misuse(world.forge, "no such queue");
	world_free(&world);

	world_new(&world, "19041.3570", FORGE_X64, false, false);
	process = forge_process(world.w, 8, "a.exe");
	forge_handle_at(world.w, process, 0x400, process, 1); /* a level-0 table has 256 entries */
	expect_misuse(world.forge, "does not fit");
	world_free(&world);

	world_new(&world, "XP x86", FORGE_X86, false, false);
	process = forge_process(world.w, 8, "a.exe");
	CU_ASSERT_EQUAL(forge_alpc_connection_port(world.w, process, "\\X"), 0);
	expect_misuse(world.forge, "has no ALPC");
	world_free(&world);

	world_new(&world, "XP x86", FORGE_X64, false, false);
	expect_misuse(world.forge, "4-byte pointers");
	world_free(&world);

	struct forge *forge = forge_new(FORGE_X64, MAX_PFN);
	struct forge_windows_options options = { .layout = forge_layout_named("7601.24540"), .heap_pa = HEAP_PA,
						 .alpc_handle_table = FORGE_ALPC_HANDLE_TABLE_FROM_2022_03 };
	struct forge_windows *w = forge_windows_new(forge, &options);
	expect_misuse(forge, "predates both");
	forge_windows_free(w);
	forge_free(forge);
}

/* The 2022-03 _ALPC_HANDLE_TABLE change, by layout and by option. */
static void alpc_handle_table_before_and_after_2022_03(void)
{
	static const struct {
		const char *column;
		enum forge_alpc_handle_table option;
		uint32_t info_size, close_message, lock, total_handles, flags;
	} cases[] = {
		{ "19041.329", FORGE_ALPC_HANDLE_TABLE_AS_LAYOUT, 0x48, 0x40, 0x10, 0x8, 0xc },
		{ "19041.3570", FORGE_ALPC_HANDLE_TABLE_AS_LAYOUT, 0x50, 0x48, 0x8, 0x10, 0x18 },
		{ "9600", FORGE_ALPC_HANDLE_TABLE_AS_LAYOUT, 0x48, 0x40, 0x10, 0x8, 0xc },
		{ "9600", FORGE_ALPC_HANDLE_TABLE_FROM_2022_03, 0x50, 0x48, 0x8, 0x10, 0x18 },
		{ "22621", FORGE_ALPC_HANDLE_TABLE_BEFORE_2022_03, 0x48, 0x40, 0x10, 0x8, 0xc },
		{ "20348", FORGE_ALPC_HANDLE_TABLE_AS_LAYOUT, 0x50, 0x48, 0x8, 0x10, 0x18 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct forge *forge = forge_new(FORGE_X64, MAX_PFN);
		struct forge_windows_options options = { .layout = forge_layout_named(cases[i].column),
							 .heap_pa = HEAP_PA, .alpc_handle_table = cases[i].option };
		struct forge_windows *w = forge_windows_new(forge, &options);
		const struct forge_layout *l = forge_windows_layout(w);
		CU_ASSERT_EQUAL(l->communication_info.size, cases[i].info_size);
		CU_ASSERT_EQUAL(l->communication_info.close_message, cases[i].close_message);
		CU_ASSERT_EQUAL(l->communication_info.handle_table, 0x28);
		CU_ASSERT_EQUAL(l->alpc_handle_table.lock, cases[i].lock);
		CU_ASSERT_EQUAL(l->alpc_handle_table.total_handles, cases[i].total_handles);
		CU_ASSERT_EQUAL(l->alpc_handle_table.flags, cases[i].flags);
		CU_ASSERT_EQUAL(options.layout->communication_info.size,
				strcmp(cases[i].column, "9600") == 0 || strcmp(cases[i].column, "19041.329") == 0
					? 0x48u : 0x50u); /* the table itself is untouched */
		struct error *error = forge_write_dump(forge, FORGE_RAW, temp_file("variant.raw"));
		CU_ASSERT_PTR_NULL(error);
		error_free(error);
		forge_windows_free(w);
		forge_free(forge);
	}
}

/* Every layout can lay a whole scenario: processes with each table
 * depth, threads, a mutant wait, and an ALPC or LPC conversation. */
static void every_layout_lays_a_whole_scenario(void)
{
	for (size_t i = 0; i < FORGE_LAYOUT_COUNT; i++) {
		const struct forge_layout *layout = &forge_layouts[i];
		enum forge_arch arch = layout->pointer_size == 8 ? FORGE_X64
				       : strcmp(layout->column, "XP x86") == 0 ? FORGE_X86 : FORGE_X86_PAE;
		struct forge *forge = forge_new(arch, MAX_PFN);
		struct forge_windows_options options = { .layout = layout, .heap_pa = HEAP_PA, .pool_headers = true,
							 .creator_info = true, .ob_header_cookie = 0x11 };
		struct forge_windows *w = forge_windows_new(forge, &options);
		uint64_t processes[3];
		for (unsigned levels = 0; levels < 3; levels++) {
			struct forge_process_spec spec = { .pid = 0x100 * (levels + 1), .image_name = "p.exe",
							   .handle_levels = levels };
			processes[levels] = forge_process_ex(w, &spec);
		}
		uint64_t a = forge_thread(w, processes[0], 0x104, FORGE_THREAD_WAITING, FORGE_WAIT_LPC_REPLY);
		uint64_t b = forge_thread(w, processes[1], 0x204, FORGE_THREAD_WAITING, FORGE_WAIT_WR_MUTEX);
		forge_thread_waits_on(w, b, forge_mutant(w, a, "\\BaseNamedObjects\\M"));
		forge_event(w, NULL);
		forge_handle_at(w, processes[2], 0x80004, a, 1);
		if (layout->alpc) {
			uint64_t listener = forge_alpc_connection_port(w, processes[1], "\\RPC Control\\P");
			uint64_t client, server;
			forge_alpc_connect(w, processes[0], listener, &client, &server);
			struct forge_alpc_message_spec spec = { .port = listener, .queue = FORGE_QUEUE_MAIN,
								.owner_port = client, .waiting_thread = a,
								.server_thread = b, .message_id = 9 };
			CU_ASSERT_NOT_EQUAL(forge_alpc_message(w, &spec), 0);
			forge_alpc_wait_for_message(w, listener, b);
			struct forge_alpc_port_settings settings = { .state = 1u << layout->alpc_port.waitable.bit,
								     .max_message_length = 0x200, .sequence_no = 3 };
			forge_alpc_port_set(w, listener, &settings);
		} else {
			uint64_t listener = forge_lpc_connection_port(w, processes[1], "\\P");
			uint64_t client, server;
			forge_lpc_connect(w, a, listener, &client, &server);
			struct forge_lpc_message_spec spec = { .queue_port = listener, .sender_port = client,
							       .message_id = 9 };
			CU_ASSERT_NOT_EQUAL(forge_lpc_message(w, &spec), 0);
			forge_lpc_wait_reply(w, a, client, 9);
			forge_lpc_received(w, b, 8);
		}
		struct error *error = forge_write_dump(forge, FORGE_WINDOWS_FULL, temp_file("every.dmp"));
		if (error)
			fprintf(stderr, "%s: %s\n", layout->column, error->message);
		CU_ASSERT_PTR_NULL(error);
		error_free(error);
		forge_windows_free(w);
		forge_free(forge);
	}
}

/* The values the dump readers' issue starts from, literally as
 * struct-offsets.md has them. */
static void layouts_hold_the_documented_values(void)
{
	const struct forge_layout *l = forge_layout_named("19041.3570");
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	CU_ASSERT_EQUAL(l->process.unique_process_id, 0x440);
	CU_ASSERT_EQUAL(l->process.active_process_links, 0x448);
	CU_ASSERT_EQUAL(l->process.object_table, 0x570);
	CU_ASSERT_EQUAL(l->thread.cid, 0x478);
	CU_ASSERT_EQUAL(l->thread.alpc_message, 0x530);
	CU_ASSERT_EQUAL(l->alpc_port.main_queue, 0x90);
	CU_ASSERT_EQUAL(l->alpc_message.state, 0x28);
	CU_ASSERT_EQUAL(l->alpc_message.queue_type.offset, 0x28);
	CU_ASSERT_EQUAL(l->alpc_message.queue_type.bit, 0);
	CU_ASSERT_EQUAL(l->alpc_message.queue_type.width, 3);
	CU_ASSERT_EQUAL(l->alpc_message.port_message, 0xf0);
	CU_ASSERT_EQUAL(l->handle_entry.object_pointer_bits.bit, 20);
	CU_ASSERT_EQUAL(l->handle_entry.object_pointer_bits.width, 44);
	CU_ASSERT_EQUAL(l->build, 19041);
	CU_ASSERT_STRING_EQUAL(l->pdb_guid, "606FF669409B00F7FC8C61A9C1670129");
	CU_ASSERT_EQUAL(l->rva.ps_active_process_head, 0xc1e090);
	CU_ASSERT_EQUAL(l->rva.ob_header_cookie, 0xcfc728);
	l = forge_layout_named("7601.24540");
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	CU_ASSERT_EQUAL(l->thread.alpc_message_id, 0x460);
	CU_ASSERT_EQUAL(l->thread.size, 0x4a8);
	CU_ASSERT_EQUAL(l->header_kind, FORGE_HEADER_TYPE_INDEX);
	CU_ASSERT_EQUAL(l->handle_encoding, FORGE_HANDLE_HEADER_POINTER);
	CU_ASSERT_EQUAL(l->rva.ob_header_cookie, 0);
	CU_ASSERT_EQUAL(forge_layout_named("7601.17514")->thread.alpc_message_id, 0x458);
	const struct forge_layout *l81 = forge_layout_named("9600"), *l1607 = forge_layout_named("14393");
	CU_ASSERT_EQUAL(l81->process.unique_process_id, 0x2e0);
	CU_ASSERT_EQUAL(l1607->process.unique_process_id, 0x2e8);
	CU_ASSERT_EQUAL(l81->alpc_message.queue_type.width, 2);
	CU_ASSERT_EQUAL(l1607->alpc_message.queue_type.width, 3);
	CU_ASSERT_EQUAL(l81->alpc_message.canceled.bit, 6);
	CU_ASSERT_EQUAL(l1607->alpc_message.canceled.bit, 7);
	CU_ASSERT_EQUAL(l81->alpc_port.direct_queue, FORGE_NONE);
	CU_ASSERT_EQUAL(l1607->alpc_port.direct_queue, 0xd0);
	CU_ASSERT_EQUAL(l81->alpc_message.port_message, 0xd8);
	CU_ASSERT_EQUAL(l1607->alpc_message.port_message, 0xe8);
	CU_ASSERT_EQUAL(l81->header_kind, FORGE_HEADER_TYPE_INDEX);
	CU_ASSERT_EQUAL(l1607->header_kind, FORGE_HEADER_TYPE_COOKIE);
	CU_ASSERT_EQUAL(l81->handle_encoding, FORGE_HANDLE_POINTER_BITS);
	l = forge_layout_named("XP x86");
	CU_ASSERT_EQUAL(l->pointer_size, 4);
	CU_ASSERT_FALSE(l->alpc);
	CU_ASSERT_EQUAL(l->thread.lpc_received_msg_id_valid.offset, 0x250);
	CU_ASSERT_EQUAL(l->thread.lpc_received_msg_id_valid.bit, 0);
	CU_ASSERT_EQUAL(l->object_header.body, 0x18);
	CU_ASSERT_EQUAL(forge_layout_named("2003 x64")->thread.lpc_reply_message, 0x388);
	CU_ASSERT_PTR_NULL(forge_layout_named("26100"));
}

/* ---- every value against struct-offsets.md ---- */

enum value_kind { OFFSET, BITS };
#define OFF(table, row, member) { table, row, OFFSET, offsetof(struct forge_layout, member) }
#define BIT(table, row, member) { table, row, BITS, offsetof(struct forge_layout, member) }
static const struct documented {
	const char *table, *row;
	enum value_kind kind;
	size_t at;
} documented[] = {
	OFF("_EPROCESS", "sizeof", process.size),
	OFF("_EPROCESS", "Pcb.DirectoryTableBase", process.directory_table_base),
	OFF("_EPROCESS", "Pcb.ThreadListHead", process.pcb_thread_list_head),
	OFF("_EPROCESS", "CreateTime", process.create_time),
	OFF("_EPROCESS", "UniqueProcessId", process.unique_process_id),
	OFF("_EPROCESS", "ActiveProcessLinks", process.active_process_links),
	OFF("_EPROCESS", "ObjectTable", process.object_table),
	OFF("_EPROCESS", "InheritedFromUniqueProcessId", process.inherited_from_unique_process_id),
	OFF("_EPROCESS", "ImageFileName", process.image_file_name),
	OFF("_EPROCESS", "ThreadListHead", process.thread_list_head),
	OFF("_EPROCESS", "ActiveThreads", process.active_threads),
	OFF("_EPROCESS", "AlpcContext", process.alpc_context),
	OFF("_KTHREAD", "sizeof", thread.kthread_size),
	OFF("_KTHREAD", "State", thread.kthread_state),
	OFF("_KTHREAD", "WaitReason", thread.wait_reason),
	OFF("_KTHREAD", "WaitMode", thread.wait_mode),
	OFF("_KTHREAD", "WaitTime", thread.wait_time),
	OFF("_KTHREAD", "ApcState.Process", thread.apc_state_process),
	OFF("_KTHREAD", "Process", thread.kthread_process),
	OFF("_KTHREAD", "WaitBlockList", thread.wait_block_list),
	OFF("_KTHREAD", "WaitBlock", thread.wait_block),
	OFF("_KTHREAD", "ThreadListEntry", thread.kthread_thread_list_entry),
	OFF("_ETHREAD", "sizeof", thread.size),
	OFF("_ETHREAD", "CreateTime", thread.create_time),
	OFF("_ETHREAD", "Cid", thread.cid),
	OFF("_ETHREAD", "StartAddress", thread.start_address),
	OFF("_ETHREAD", "Win32StartAddress", thread.win32_start_address),
	OFF("_ETHREAD", "ThreadListEntry", thread.thread_list_entry),
	OFF("_ETHREAD", "AlpcMessageId", thread.alpc_message_id),
	OFF("_ETHREAD", "AlpcMessage", thread.alpc_message),
	OFF("_ETHREAD", "AlpcWaitListEntry", thread.alpc_wait_list_entry),
	OFF("_ETHREAD", "LpcReplyChain", thread.lpc_reply_chain),
	OFF("_ETHREAD", "LpcReplySemaphore", thread.lpc_reply_semaphore),
	OFF("_ETHREAD", "LpcReplyMessage", thread.lpc_reply_message),
	OFF("_ETHREAD", "LpcWaitingOnPort", thread.lpc_waiting_on_port),
	OFF("_ETHREAD", "LpcReceivedMessageId", thread.lpc_received_message_id),
	OFF("_ETHREAD", "LpcReplyMessageId", thread.lpc_reply_message_id),
	BIT("_ETHREAD", "LpcReceivedMsgIdValid", thread.lpc_received_msg_id_valid),
	BIT("_ETHREAD", "LpcExitThreadCalled", thread.lpc_exit_thread_called),
	OFF("_OBJECT_TYPE", "sizeof", object_type.size),
	OFF("_OBJECT_TYPE", "TypeList", object_type.type_list),
	OFF("_OBJECT_TYPE", "Name", object_type.name),
	OFF("_OBJECT_TYPE", "Index", object_type.index),
	OFF("_OBJECT_TYPE", "Key", object_type.key),
	OFF("_OBJECT_TYPE", "TotalNumberOfObjects", object_type.total_number_of_objects),
	OFF("_CLIENT_ID", "sizeof", client_id.size),
	OFF("_CLIENT_ID", "UniqueThread", client_id.unique_thread),
	OFF("_OBJECT_HEADER", "sizeof", object_header.size),
	OFF("_OBJECT_HEADER", "PointerCount", object_header.pointer_count),
	OFF("_OBJECT_HEADER", "HandleCount", object_header.handle_count),
	OFF("_OBJECT_HEADER", "Type", object_header.type),
	OFF("_OBJECT_HEADER", "NameInfoOffset", object_header.name_info_offset),
	OFF("_OBJECT_HEADER", "TypeIndex", object_header.type_index),
	OFF("_OBJECT_HEADER", "InfoMask", object_header.info_mask),
	OFF("_OBJECT_HEADER", "Flags", object_header.flags),
	OFF("_OBJECT_HEADER", "Body", object_header.body),
	OFF("_OBJECT_HEADER_NAME_INFO", "sizeof", name_info.size),
	OFF("_OBJECT_HEADER_NAME_INFO", "Directory", name_info.directory),
	OFF("_OBJECT_HEADER_NAME_INFO", "Name", name_info.name),
	OFF("_OBJECT_HEADER_CREATOR_INFO", "sizeof", creator_info.size),
	OFF("_OBJECT_HEADER_CREATOR_INFO", "TypeList", creator_info.type_list),
	OFF("_OBJECT_HEADER_CREATOR_INFO", "CreatorUniqueProcess", creator_info.creator_unique_process),
	OFF("_HANDLE_TABLE", "sizeof", handle_table.size),
	OFF("_HANDLE_TABLE", "TableCode", handle_table.table_code),
	OFF("_HANDLE_TABLE", "QuotaProcess", handle_table.quota_process),
	OFF("_HANDLE_TABLE", "UniqueProcessId", handle_table.unique_process_id),
	OFF("_HANDLE_TABLE", "HandleTableList", handle_table.handle_table_list),
	OFF("_HANDLE_TABLE", "NextHandleNeedingPool", handle_table.next_handle_needing_pool),
	OFF("_HANDLE_TABLE", "HandleCount", handle_table.handle_count),
	OFF("_HANDLE_TABLE_ENTRY", "sizeof", handle_entry.size),
	OFF("_HANDLE_TABLE_ENTRY", "Object", handle_entry.object),
	OFF("_HANDLE_TABLE_ENTRY", "GrantedAccess", handle_entry.granted_access),
	BIT("_HANDLE_TABLE_ENTRY", "Unlocked", handle_entry.unlocked),
	BIT("_HANDLE_TABLE_ENTRY", "RefCnt", handle_entry.ref_cnt),
	BIT("_HANDLE_TABLE_ENTRY", "Attributes", handle_entry.attributes),
	BIT("_HANDLE_TABLE_ENTRY", "ObjectPointerBits", handle_entry.object_pointer_bits),
	BIT("_HANDLE_TABLE_ENTRY", "GrantedAccessBits", handle_entry.granted_access_bits),
	OFF("_ALPC_PORT", "sizeof", alpc_port.size),
	OFF("_ALPC_PORT", "PortListEntry", alpc_port.port_list_entry),
	OFF("_ALPC_PORT", "CommunicationInfo", alpc_port.communication_info),
	OFF("_ALPC_PORT", "OwnerProcess", alpc_port.owner_process),
	OFF("_ALPC_PORT", "CompletionPort", alpc_port.completion_port),
	OFF("_ALPC_PORT", "PortContext", alpc_port.port_context),
	OFF("_ALPC_PORT", "MainQueue", alpc_port.main_queue),
	OFF("_ALPC_PORT", "LargeMessageQueue", alpc_port.large_message_queue),
	OFF("_ALPC_PORT", "PendingQueue", alpc_port.pending_queue),
	OFF("_ALPC_PORT", "DirectQueue", alpc_port.direct_queue),
	OFF("_ALPC_PORT", "WaitQueue", alpc_port.wait_queue),
	OFF("_ALPC_PORT", "CanceledQueue", alpc_port.canceled_queue),
	OFF("_ALPC_PORT", "PortAttributes", alpc_port.port_attributes),
	OFF("_ALPC_PORT", "SequenceNo", alpc_port.sequence_no),
	OFF("_ALPC_PORT", "u1.State", alpc_port.state),
	OFF("_ALPC_PORT", "TargetQueuePort", alpc_port.target_queue_port),
	OFF("_ALPC_PORT", "TargetSequencePort", alpc_port.target_sequence_port),
	OFF("_ALPC_PORT", "MainQueueLength", alpc_port.main_queue_length),
	OFF("_ALPC_PORT", "LargeMessageQueueLength", alpc_port.large_message_queue_length),
	OFF("_ALPC_PORT", "PendingQueueLength", alpc_port.pending_queue_length),
	OFF("_ALPC_PORT", "DirectQueueLength", alpc_port.direct_queue_length),
	OFF("_ALPC_PORT", "CanceledQueueLength", alpc_port.canceled_queue_length),
	OFF("_ALPC_PORT", "WaitQueueLength", alpc_port.wait_queue_length),
	BIT("_ALPC_PORT", "u1.s1.Initialized", alpc_port.initialized),
	BIT("_ALPC_PORT", "u1.s1.Type", alpc_port.type),
	BIT("_ALPC_PORT", "u1.s1.ConnectionPending", alpc_port.connection_pending),
	BIT("_ALPC_PORT", "u1.s1.ConnectionRefused", alpc_port.connection_refused),
	BIT("_ALPC_PORT", "u1.s1.Disconnected", alpc_port.disconnected),
	BIT("_ALPC_PORT", "u1.s1.Closed", alpc_port.closed),
	BIT("_ALPC_PORT", "u1.s1.Waitable", alpc_port.waitable),
	BIT("_ALPC_PORT", "u1.s1.Lpc", alpc_port.lpc),
	OFF("_ALPC_PORT_ATTRIBUTES", "Flags", port_attributes.flags),
	OFF("_ALPC_PORT_ATTRIBUTES", "MaxMessageLength", port_attributes.max_message_length),
	OFF("_ALPC_COMMUNICATION_INFO", "sizeof", communication_info.size),
	OFF("_ALPC_COMMUNICATION_INFO", "ConnectionPort", communication_info.connection_port),
	OFF("_ALPC_COMMUNICATION_INFO", "ServerCommunicationPort", communication_info.server_communication_port),
	OFF("_ALPC_COMMUNICATION_INFO", "ClientCommunicationPort", communication_info.client_communication_port),
	OFF("_ALPC_COMMUNICATION_INFO", "CommunicationList", communication_info.communication_list),
	OFF("_ALPC_COMMUNICATION_INFO", "HandleTable", communication_info.handle_table),
	OFF("_ALPC_COMMUNICATION_INFO", "CloseMessage", communication_info.close_message),
	OFF("_ALPC_HANDLE_TABLE", "sizeof", alpc_handle_table.size),
	OFF("_ALPC_HANDLE_TABLE", "Handles", alpc_handle_table.handles),
	OFF("_ALPC_HANDLE_TABLE", "TotalHandles", alpc_handle_table.total_handles),
	OFF("_ALPC_HANDLE_TABLE", "Flags", alpc_handle_table.flags),
	OFF("_ALPC_HANDLE_TABLE", "Lock", alpc_handle_table.lock),
	OFF("_KALPC_MESSAGE", "sizeof", alpc_message.size),
	OFF("_KALPC_MESSAGE", "Entry", alpc_message.entry),
	OFF("_KALPC_MESSAGE", "ExtensionBuffer", alpc_message.extension_buffer),
	OFF("_KALPC_MESSAGE", "ExtensionBufferSize", alpc_message.extension_buffer_size),
	OFF("_KALPC_MESSAGE", "QuotaProcess", alpc_message.quota_process),
	OFF("_KALPC_MESSAGE", "SequenceNo", alpc_message.sequence_no),
	OFF("_KALPC_MESSAGE", "u1.State", alpc_message.state),
	OFF("_KALPC_MESSAGE", "CancelSequencePort", alpc_message.cancel_sequence_port),
	OFF("_KALPC_MESSAGE", "CancelQueuePort", alpc_message.cancel_queue_port),
	OFF("_KALPC_MESSAGE", "CancelSequenceNo", alpc_message.cancel_sequence_no),
	OFF("_KALPC_MESSAGE", "CancelListEntry", alpc_message.cancel_list_entry),
	OFF("_KALPC_MESSAGE", "WaitingThread", alpc_message.waiting_thread),
	OFF("_KALPC_MESSAGE", "Reserve", alpc_message.reserve),
	OFF("_KALPC_MESSAGE", "PortQueue", alpc_message.port_queue),
	OFF("_KALPC_MESSAGE", "OwnerPort", alpc_message.owner_port),
	OFF("_KALPC_MESSAGE", "MessageAttributes", alpc_message.message_attributes),
	OFF("_KALPC_MESSAGE", "DataUserVa", alpc_message.data_user_va),
	OFF("_KALPC_MESSAGE", "CommunicationInfo", alpc_message.communication_info),
	OFF("_KALPC_MESSAGE", "ConnectionPort", alpc_message.connection_port),
	OFF("_KALPC_MESSAGE", "ServerThread", alpc_message.server_thread),
	OFF("_KALPC_MESSAGE", "PortMessage", alpc_message.port_message),
	BIT("_KALPC_MESSAGE", "u1.s1.QueueType", alpc_message.queue_type),
	BIT("_KALPC_MESSAGE", "u1.s1.QueuePortType", alpc_message.queue_port_type),
	BIT("_KALPC_MESSAGE", "u1.s1.Canceled", alpc_message.canceled),
	BIT("_KALPC_MESSAGE", "u1.s1.Ready", alpc_message.ready),
	BIT("_KALPC_MESSAGE", "u1.s1.ReleaseMessage", alpc_message.release_message),
	BIT("_KALPC_MESSAGE", "u1.s1.SharedQuota", alpc_message.shared_quota),
	BIT("_KALPC_MESSAGE", "u1.s1.ReplyWaitReply", alpc_message.reply_wait_reply),
	BIT("_KALPC_MESSAGE", "u1.s1.OwnerPortReference", alpc_message.owner_port_reference),
	BIT("_KALPC_MESSAGE", "u1.s1.ReceiverReference", alpc_message.receiver_reference),
	BIT("_KALPC_MESSAGE", "u1.s1.InDispatch", alpc_message.in_dispatch),
	BIT("_KALPC_MESSAGE", "u1.s1.InCanceledQueue", alpc_message.in_canceled_queue),
	OFF("_KALPC_MESSAGE_ATTRIBUTES", "sizeof", message_attributes.size),
	OFF("_KALPC_MESSAGE_ATTRIBUTES", "ClientContext", message_attributes.client_context),
	OFF("_KALPC_MESSAGE_ATTRIBUTES", "ServerContext", message_attributes.server_context),
	OFF("_KALPC_MESSAGE_ATTRIBUTES", "PortContext", message_attributes.port_context),
	OFF("_KALPC_MESSAGE_ATTRIBUTES", "CancelPortContext", message_attributes.cancel_port_context),
	OFF("_KALPC_MESSAGE_ATTRIBUTES", "SecurityData", message_attributes.security_data),
	OFF("_KALPC_MESSAGE_ATTRIBUTES", "View", message_attributes.view),
	OFF("_KALPC_MESSAGE_ATTRIBUTES", "HandleData", message_attributes.handle_data),
	OFF("_PORT_MESSAGE", "sizeof", port_message.size),
	OFF("_PORT_MESSAGE", "u1.s1.DataLength", port_message.data_length),
	OFF("_PORT_MESSAGE", "u1.s1.TotalLength", port_message.total_length),
	OFF("_PORT_MESSAGE", "u2.s2.Type", port_message.type),
	OFF("_PORT_MESSAGE", "u2.s2.DataInfoOffset", port_message.data_info_offset),
	OFF("_PORT_MESSAGE", "ClientId", port_message.client_id),
	OFF("_PORT_MESSAGE", "MessageId", port_message.message_id),
	OFF("_PORT_MESSAGE", "CallbackId", port_message.callback_id),
	OFF("_POOL_HEADER", "sizeof", pool_header.size),
	OFF("_POOL_HEADER", "PoolTag", pool_header.pool_tag),
	BIT("_POOL_HEADER", "PreviousSize", pool_header.previous_size),
	BIT("_POOL_HEADER", "PoolIndex", pool_header.pool_index),
	BIT("_POOL_HEADER", "BlockSize", pool_header.block_size),
	BIT("_POOL_HEADER", "PoolType", pool_header.pool_type),
	OFF("_LPCP_PORT_OBJECT", "sizeof", lpc_port.size),
	OFF("_LPCP_PORT_OBJECT", "ConnectionPort", lpc_port.connection_port),
	OFF("_LPCP_PORT_OBJECT", "ConnectedPort", lpc_port.connected_port),
	OFF("_LPCP_PORT_OBJECT", "MsgQueue", lpc_port.msg_queue),
	OFF("_LPCP_PORT_OBJECT", "Creator", lpc_port.creator),
	OFF("_LPCP_PORT_OBJECT", "PortContext", lpc_port.port_context),
	OFF("_LPCP_PORT_OBJECT", "ClientThread", lpc_port.client_thread),
	OFF("_LPCP_PORT_OBJECT", "LpcReplyChainHead", lpc_port.lpc_reply_chain_head),
	OFF("_LPCP_PORT_OBJECT", "ServerProcess", lpc_port.server_process),
	OFF("_LPCP_PORT_OBJECT", "MaxMessageLength", lpc_port.max_message_length),
	OFF("_LPCP_PORT_OBJECT", "Flags", lpc_port.flags),
	OFF("_LPCP_PORT_QUEUE", "sizeof", lpc_port_queue.size),
	OFF("_LPCP_PORT_QUEUE", "NonPagedPortQueue", lpc_port_queue.non_paged_port_queue),
	OFF("_LPCP_PORT_QUEUE", "Semaphore", lpc_port_queue.semaphore),
	OFF("_LPCP_PORT_QUEUE", "ReceiveHead", lpc_port_queue.receive_head),
	OFF("_LPCP_NONPAGED_PORT_QUEUE", "sizeof", lpc_nonpaged_port_queue.size),
	OFF("_LPCP_NONPAGED_PORT_QUEUE", "Semaphore", lpc_nonpaged_port_queue.semaphore),
	OFF("_LPCP_NONPAGED_PORT_QUEUE", "BackPointer", lpc_nonpaged_port_queue.back_pointer),
	OFF("_LPCP_MESSAGE", "sizeof", lpc_message.size),
	OFF("_LPCP_MESSAGE", "Entry", lpc_message.entry),
	OFF("_LPCP_MESSAGE", "SenderPort", lpc_message.sender_port),
	OFF("_LPCP_MESSAGE", "RepliedToThread", lpc_message.replied_to_thread),
	OFF("_LPCP_MESSAGE", "PortContext", lpc_message.port_context),
	OFF("_LPCP_MESSAGE", "Request", lpc_message.request),
};

/* Splits a markdown table line "| a | b |" into trimmed cells. */
static int split_cells(const char *line, const char *end, char cells[][64], int most)
{
	int count = 0;
	const char *c = line + 1;
	while (count < most) {
		const char *bar = memchr(c, '|', (size_t)(end - c));
		if (!bar)
			break;
		while (c < bar && *c == ' ')
			c++;
		size_t length = (size_t)(bar - c);
		while (length && c[length - 1] == ' ')
			length--;
		if (length > 63)
			length = 63;
		memcpy(cells[count], c, length);
		cells[count++][length] = '\0';
		c = bar + 1;
	}
	return count;
}

/* The cell of a struct-offsets.md table ("## _NAME") for a row ("`Field`"
 * or "**sizeof**") and a column; false when the table has no such row. */
static bool markdown_cell(const char *markdown, const char *table, const char *row, const char *column,
			  char *cell, size_t size)
{
	/* "## _NAME" ends the line or goes on with " (selected fields ...)" */
	char heading[96];
	snprintf(heading, sizeof heading, "\n## %s", table);
	const char *at = markdown;
	size_t length = strlen(heading);
	while ((at = strstr(at, heading)) && at[length] != '\n' && at[length] != ' ')
		at += length;
	if (!at)
		return false;
	at += length;
	const char *section_end = strstr(at, "\n## ");
	if (!section_end)
		section_end = at + strlen(at);
	int index = -1;
	for (const char *line = at; line < section_end;) {
		const char *line_end = memchr(line, '\n', (size_t)(section_end - line));
		if (!line_end)
			line_end = section_end;
		char cells[24][64];
		int count = line[0] == '|' ? split_cells(line, line_end, cells, 24) : 0;
		line = line_end + 1;
		if (count && strcmp(cells[0], "field") == 0) {
			for (int i = 0; i < count; i++)
				if (strcmp(cells[i], column) == 0)
					index = i;
			continue;
		}
		size_t name = count ? strlen(cells[0]) : 0;
		if (name < 2 || index < 0 || index >= count)
			continue;
		size_t quote = cells[0][0] == '*' ? 2 : 1; /* **sizeof** or `Field` */
		if (name <= 2 * quote || strlen(row) != name - 2 * quote ||
		    strncmp(cells[0] + quote, row, name - 2 * quote) != 0)
			continue;
		snprintf(cell, size, "%s", cells[index]);
		return true;
	}
	return false;
}

static void table_agrees_with_struct_offsets_md(void)
{
	const char *shared = shared_dir();
	if (!shared)
		return; /* no ../shared: nothing to compare with */
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/docs/struct-offsets.md", shared);
	size_t length;
	char *markdown = read_whole_file(path, &length);
	CU_ASSERT_PTR_NOT_NULL_FATAL(markdown);
	unsigned compared = 0, disagreed = 0;
	size_t rows = sizeof documented / sizeof *documented;
	for (size_t j = 0; j < rows; j++) {
		const struct documented *d = &documented[j];
		unsigned found = 0;
		for (size_t i = 0; i < FORGE_LAYOUT_COUNT; i++) {
			const struct forge_layout *l = &forge_layouts[i];
			char cell[64], mine[64];
			if (!markdown_cell(markdown, d->table, d->row, l->column, cell, sizeof cell))
				continue;
			found++;
			/* "0x28 b20..63*": the * only marks a note */
			size_t n = strlen(cell);
			if (n && cell[n - 1] == '*')
				cell[n - 1] = '\0';
			if (d->kind == OFFSET) {
				uint32_t value;
				memcpy(&value, (const uint8_t *)l + d->at, sizeof value);
				snprintf(mine, sizeof mine, value == FORGE_NONE ? "\xe2\x80\x94" : "0x%x", value);
			} else {
				struct forge_bits bits;
				memcpy(&bits, (const uint8_t *)l + d->at, sizeof bits);
				if (bits.offset == FORGE_NONE)
					snprintf(mine, sizeof mine, "\xe2\x80\x94");
				else if (bits.width == 1)
					snprintf(mine, sizeof mine, "0x%x b%u", bits.offset, bits.bit);
				else
					snprintf(mine, sizeof mine, "0x%x b%u..%u", bits.offset, bits.bit,
						 bits.bit + bits.width - 1);
			}
			compared++;
			if (strcmp(cell, mine) != 0) {
				disagreed++;
				fprintf(stderr, "%s %s.%s: forge %s, struct-offsets.md %s\n", l->column, d->table, d->row,
					mine, cell);
			}
		}
		/* every row is in every column of the file (as a value or "—") */
		if (found != FORGE_LAYOUT_COUNT)
			fprintf(stderr, "struct-offsets.md: %s.%s found in %u columns\n", d->table, d->row, found);
		CU_ASSERT_EQUAL(found, FORGE_LAYOUT_COUNT);
	}
	CU_ASSERT_EQUAL(disagreed, 0);
	CU_ASSERT_EQUAL(compared, rows * FORGE_LAYOUT_COUNT);
	free(markdown);
}

/* The forge may use src/base only: were it to include a reader's room,
 * a wrong offset could be wrong the same way in forge and reader. */
static void forge_includes_no_reader(void)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/tests/forge", ALPCGRAPH_SOURCE_DIR);
	DIR *directory = opendir(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(directory);
	unsigned files = 0;
	for (struct dirent *entry; (entry = readdir(directory));) {
		size_t length = strlen(entry->d_name);
		const char *suffix = length > 2 ? entry->d_name + length - 2 : "";
		if (strcmp(suffix, ".c") != 0 && strcmp(suffix, ".h") != 0)
			continue;
		char file[PATH_MAX + 256];
		snprintf(file, sizeof file, "%s/%s", path, entry->d_name);
		size_t size;
		char *text = read_whole_file(file, &size);
		CU_ASSERT_PTR_NOT_NULL_FATAL(text);
		files++;
		for (char *line = text; line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
			if (strncmp(line, "#include \"", 10) != 0)
				continue;
			const char *included = line + 10;
			bool reader = strncmp(included, "../../src/", 10) == 0 &&
				      strncmp(included, "../../src/base/", 15) != 0;
			if (reader)
				fprintf(stderr, "%s includes %.40s\n", entry->d_name, included);
			CU_ASSERT_FALSE(reader);
		}
		free(text);
	}
	closedir(directory);
	CU_ASSERT_TRUE(files > 20);
}

int main(void)
{
	static const struct test_case cases[] = {
		{ "layouts hold the documented values", layouts_hold_the_documented_values },
		{ "table agrees with struct-offsets.md", table_agrees_with_struct_offsets_md },
		{ "Windows 10 scenario reads back by hand", windows_10_scenario_reads_back_by_hand },
		{ "Windows 7 scenario reads back by hand", windows_7_scenario_reads_back_by_hand },
		{ "Windows 8.1 and 1607 differ as documented", windows_8_1_and_1607_differ_as_documented },
		{ "Vista headers point at their type", vista_headers_point_at_their_type },
		{ "XP LPC scenario reads back by hand", xp_lpc_scenario_reads_back_by_hand },
		{ "globals lie at their RVAs", globals_lie_at_their_rvas },
		{ "damage loops a queue and points into nothing", damage_loops_a_queue_and_points_into_nothing },
		{ "ALPC handle table before and after 2022-03", alpc_handle_table_before_and_after_2022_03 },
		{ "every layout lays a whole scenario", every_layout_lays_a_whole_scenario },
		{ "misuse is reported", misuse_is_reported },
		{ "forge includes no reader", forge_includes_no_reader },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = { { "forge objects", cases } };
	return run_suites("test_forge_objects", suites, 1);
}
