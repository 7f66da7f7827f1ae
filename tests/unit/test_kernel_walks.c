/* The kernel walks (src/kernel: kernel_open, processes, threads, wait
 * objects, object headers and types, handle tables, the profile probe)
 * over dumps the forge writes in every layout it knows, read with the
 * built-in profiles: the forge's offsets (tests/forge/forge_layouts.c)
 * and the reader's (src/kernel/profile_table.c) were transcribed
 * independently, so each scenario checks one against the other.  Every
 * process, thread, object and handle is asserted exactly; damaged lists
 * and tables end in bounded time with exact warnings and partial
 * results. */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "../forge/forge.h"
#include "../../src/kernel/kernel.h"

#define MAX_PFN 0x8000ULL   /* 128 MiB */
#define HEAP_PA 0x400000ULL /* the forged kernel heap, 4 MiB from here */
#define COOKIE 0x5c
/* A kernel base for the layouts whose symbols place the globals. */
#define KERNEL_BASE_X64 0xfffff80412000000ULL
#define ACCESS 0x1f0001u

enum { WARNINGS_KEPT = 64, KEPT = 64 };

struct warning_log {
	unsigned count;
	uint64_t address[WARNINGS_KEPT];
	char text[WARNINGS_KEPT][512];
};

static void log_warning(void *context, uint64_t address, const char *text)
{
	struct warning_log *log = context;
	if (log->count < WARNINGS_KEPT) {
		log->address[log->count] = address;
		snprintf(log->text[log->count], sizeof log->text[0], "%s", text);
	}
	log->count++;
}

static void print_warnings(const struct warning_log *log)
{
	for (unsigned i = 0; i < log->count && i < WARNINGS_KEPT; i++)
		fprintf(stderr, "\n  warning at 0x%" PRIx64 ": %s", log->address[i], log->text[i]);
}

static bool has_warning(const struct warning_log *log, uint64_t address, const char *text)
{
	for (unsigned i = 0; i < log->count && i < WARNINGS_KEPT; i++)
		if (log->address[i] == address && strcmp(log->text[i], text) == 0)
			return true;
	fprintf(stderr, "\n  no warning at 0x%" PRIx64 ": \"%s\"; %u were given:", address, text, log->count);
	print_warnings(log);
	return false;
}

static const struct kernel_profile *builtin(const char *name)
{
	for (size_t i = 0; i < builtin_profile_count; i++)
		if (strcmp(builtin_profiles[i].name, name) == 0)
			return &builtin_profiles[i];
	return NULL;
}

struct world {
	const char *column;
	enum forge_arch arch;
	struct forge *forge;
	struct forge_windows *w;
	const struct forge_layout *layout;
	bool symbols;
	struct dump *dump;
	struct physical_memory *memory;
	struct os_identity os;
	struct kernel *kernel;
	struct warning_log log;
};

struct world_options {
	bool creator_info, pool_headers, symbols;
};

static void world_new(struct world *world, const char *column, enum forge_arch arch,
		      const struct world_options *options)
{
	memset(world, 0, sizeof *world);
	world->column = column;
	world->arch = arch;
	world->layout = forge_layout_named(column);
	CU_ASSERT_PTR_NOT_NULL_FATAL(world->layout);
	world->forge = forge_new(arch, MAX_PFN);
	world->symbols = options->symbols;
	struct forge_windows_options forge_options = {
		.layout = world->layout,
		.heap_pa = HEAP_PA,
		.pool_headers = options->pool_headers,
		.creator_info = options->creator_info,
		.ob_header_cookie = COOKIE,
		.kernel_base = options->symbols ? KERNEL_BASE_X64 : 0,
	};
	world->w = forge_windows_new(world->forge, &forge_options);
}

/* Writes the dump and opens it as alpcgraph does: the header's DTB and
 * PsActiveProcessHead through identify_os.  With symbols, the kernel
 * base and PDB identity identify_os would find in a real kernel image
 * (test_kernel.c checks that part) are set as the image's. */
static bool world_open(struct world *world, const struct kernel_profile *profile)
{
	const struct forge_windows_facts *facts = forge_windows_facts(world->w);
	struct forge_header header = {
		.build = world->layout->build,
		.ps_active_process_head = facts->ps_active_process_head,
		.processors = 1,
	};
	forge_set_header(world->forge, &header);
	static unsigned serial;
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/walks-%u.dmp", test_temp_dir(), serial++);
	struct error *error = forge_write_dump(world->forge, FORGE_WINDOWS_FULL, path);
	if (!error)
		error = dump_open(path, DUMP_DETECT, &world->dump);
	if (error) {
		fprintf(stderr, "\n  %s\n", error->message);
		error_free(error);
		return false;
	}
	world->memory = physical_memory_open(world->dump);
	identify_os(world->memory, &world->os);
	if (world->symbols) {
		world->os.kernel_base = known_u64(KERNEL_BASE_X64);
		snprintf(world->os.pdb_guid, sizeof world->os.pdb_guid, "%s", profile->pdb_guid);
		world->os.pdb_age = known_u64(profile->pdb_age);
	}
	struct kernel_warnings sink = { log_warning, &world->log };
	error = kernel_open(world->memory, &world->os, profile, sink, &world->kernel);
	if (error) {
		fprintf(stderr, "\n  kernel_open: %s\n", error->message);
		error_free(error);
		return false;
	}
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

/* ---- collecting what the walks yield --------------------------------- */

struct processes {
	unsigned count;
	struct kernel_process items[KEPT];
};

static bool keep_process(void *context, const struct kernel_process *process)
{
	struct processes *list = context;
	if (list->count < KEPT)
		list->items[list->count] = *process;
	list->count++;
	return true;
}

struct threads {
	unsigned count;
	struct kernel_thread items[KEPT];
};

static bool keep_thread(void *context, const struct kernel_thread *thread)
{
	struct threads *list = context;
	if (list->count < KEPT)
		list->items[list->count] = *thread;
	list->count++;
	return true;
}

struct handles {
	unsigned count;
	struct kernel_handle items[KEPT];
};

static bool keep_handle(void *context, const struct kernel_handle *handle)
{
	struct handles *list = context;
	if (list->count < KEPT)
		list->items[list->count] = *handle;
	list->count++;
	return true;
}

static struct processes walk_processes(struct world *world)
{
	struct processes list = { 0 };
	struct error *error = kernel_walk_processes(world->kernel, keep_process, &list);
	if (error)
		fprintf(stderr, "\n  %s\n", error->message);
	CU_ASSERT_PTR_NULL(error);
	error_free(error);
	return list;
}

static struct threads walk_threads(struct world *world, const struct kernel_process *process)
{
	struct threads list = { 0 };
	struct error *error = kernel_walk_threads(world->kernel, process, keep_thread, &list);
	if (error)
		fprintf(stderr, "\n  %s\n", error->message);
	CU_ASSERT_PTR_NULL(error);
	error_free(error);
	return list;
}

static struct handles walk_handles(struct world *world, const struct kernel_process *process)
{
	struct handles list = { 0 };
	struct error *error = kernel_walk_handles(world->kernel, process, keep_handle, &list);
	if (error)
		fprintf(stderr, "\n  %s\n", error->message);
	CU_ASSERT_PTR_NULL(error);
	error_free(error);
	return list;
}

static void expect_object(struct world *world, uint64_t body, const char *type, const char *name,
			  uint64_t handles, uint64_t creator_pid)
{
	struct kernel_object object;
	struct error *error = kernel_object_at(world->kernel, body, &object);
	if (error)
		fprintf(stderr, "\n  %s\n", error->message);
	CU_ASSERT_PTR_NULL_FATAL(error);
	CU_ASSERT_EQUAL(object.body, body);
	CU_ASSERT_EQUAL(object.header, body - (world->layout->pointer_size == 8 ? 0x30 : 0x18));
	if (strcmp(object.type_name, type) != 0 || strcmp(object.name, name) != 0)
		fprintf(stderr, "\n  %s: object 0x%" PRIx64 ": type \"%s\" name \"%s\", want \"%s\" \"%s\"",
			world->column, body, object.type_name, object.name, type, name);
	CU_ASSERT_STRING_EQUAL(object.type_name, type);
	CU_ASSERT_STRING_EQUAL(object.name, name);
	CU_ASSERT_EQUAL(object.handle_count, handles);
	CU_ASSERT_EQUAL(object.pointer_count, handles + 1);
	CU_ASSERT_EQUAL(object.creator_pid, creator_pid);
}

/* ---- one scenario in every layout ------------------------------------ */

struct layout_case {
	const char *column;
	enum forge_arch arch;
};

static const struct layout_case layouts[] = {
	{ "XP x86", FORGE_X86 },        { "2003 x86", FORGE_X86_PAE }, { "2003 x64", FORGE_X64 },
	{ "Vista x64", FORGE_X64 },     { "7601.17514", FORGE_X64 },  { "7601.24540", FORGE_X64 },
	{ "9600", FORGE_X64 },          { "14393", FORGE_X64 },       { "17763", FORGE_X64 },
	{ "19041.329", FORGE_X64 },     { "19041.3570", FORGE_X64 },  { "20348", FORGE_X64 },
	{ "22000", FORGE_X64 },         { "22621", FORGE_X64 },
};

/* Three processes with handle tables of 0, 1 and 2 levels; a thread
 * waiting for a reply, one waiting on a mutant the first one owns, one
 * running; a named port under "\RPC Control" (ALPC from Vista on, LPC
 * before), a named mutant; handles in every level. */
static void walk_everything_in(const struct layout_case *c, bool creator_info, bool symbols)
{
	struct world world;
	struct world_options options = { .creator_info = creator_info, .pool_headers = true, .symbols = symbols };
	world_new(&world, c->column, c->arch, &options);
	struct forge_windows *w = world.w;
	const struct forge_layout *l = world.layout;
	uint64_t system = forge_process(w, 4, "System");
	struct forge_process_spec order_spec = { .pid = 0x1f0, .image_name = "OrderService.exe", .parent_pid = 4,
						 .create_time = 0x01da6bf1c0a3e000ULL, .handle_levels = 1 };
	uint64_t order = forge_process_ex(w, &order_spec);
	struct forge_process_spec stock_spec = { .pid = 0x2a4, .image_name = "StockSvc.exe", .parent_pid = 0x1f0,
						 .create_time = 0x01da6bf1c0b00000ULL, .handle_levels = 2 };
	uint64_t stock = forge_process_ex(w, &stock_spec);
	uint64_t order_thread = forge_thread(w, order, 0x1f4, FORGE_THREAD_WAITING, FORGE_WAIT_LPC_REPLY);
	uint64_t stock_waiter = forge_thread(w, stock, 0x2a8, FORGE_THREAD_WAITING, FORGE_WAIT_WR_MUTEX);
	uint64_t stock_runner = forge_thread(w, stock, 0x2ac, FORGE_THREAD_RUNNING, FORGE_WAIT_EXECUTIVE);
	uint64_t mutant = forge_mutant(w, order_thread, "\\BaseNamedObjects\\OrderLock");
	forge_thread_waits_on(w, stock_waiter, mutant);
	uint64_t port = l->alpc ? forge_alpc_connection_port(w, stock, "\\RPC Control\\StockSvcPort")
				: forge_lpc_connection_port(w, stock, "\\RPC Control\\StockSvcPort");
	uint32_t system_handle = forge_handle(w, system, order, 0x1fffff);
	forge_handle_at(w, order, 0x404, port, ACCESS);
	forge_handle_at(w, stock, 0x80014, mutant, 0x1f0001);
	uint32_t stock_handle = forge_handle(w, stock, port, 0x1);
	CU_ASSERT_TRUE_FATAL(world_open(&world, builtin(c->column)));

	struct processes processes = walk_processes(&world);
	CU_ASSERT_EQUAL_FATAL(processes.count, 3);
	const uint64_t bodies[3] = { system, order, stock };
	const uint64_t pids[3] = { 4, 0x1f0, 0x2a4 }, parents[3] = { 0, 4, 0x1f0 };
	const uint64_t times[3] = { 0, 0x01da6bf1c0a3e000ULL, 0x01da6bf1c0b00000ULL };
	const char *images[3] = { "System", "OrderService.ex", "StockSvc.exe" };
	for (unsigned i = 0; i < 3; i++) {
		const struct kernel_process *p = &processes.items[i];
		CU_ASSERT_EQUAL(p->address, bodies[i]);
		CU_ASSERT_EQUAL(p->pid, pids[i]);
		CU_ASSERT_EQUAL(p->parent_pid, parents[i]);
		CU_ASSERT_STRING_EQUAL(p->image, images[i]);
		CU_ASSERT_EQUAL(p->directory_table_base, forge_dtb(world.forge));
		CU_ASSERT_EQUAL(p->object_table, forge_handle_table(w, bodies[i]));
		CU_ASSERT_EQUAL(p->create_time, times[i]);
	}

	struct threads none = walk_threads(&world, &processes.items[0]);
	CU_ASSERT_EQUAL(none.count, 0);
	struct threads order_threads = walk_threads(&world, &processes.items[1]);
	CU_ASSERT_EQUAL_FATAL(order_threads.count, 1);
	const struct kernel_thread *t = &order_threads.items[0];
	CU_ASSERT_EQUAL(t->address, order_thread);
	CU_ASSERT_EQUAL(t->process, order);
	CU_ASSERT_EQUAL(t->pid, 0x1f0);
	CU_ASSERT_EQUAL(t->tid, 0x1f4);
	CU_ASSERT_EQUAL(t->state, 5);
	CU_ASSERT_EQUAL(t->wait_reason, 17);
	CU_ASSERT_EQUAL(t->wait_object_count, 0);
	struct threads stock_threads = walk_threads(&world, &processes.items[2]);
	CU_ASSERT_EQUAL_FATAL(stock_threads.count, 2);
	t = &stock_threads.items[0];
	CU_ASSERT_EQUAL(t->address, stock_waiter);
	CU_ASSERT_EQUAL(t->pid, 0x2a4);
	CU_ASSERT_EQUAL(t->tid, 0x2a8);
	CU_ASSERT_EQUAL(t->state, 5);
	CU_ASSERT_EQUAL(t->wait_reason, 29);
	CU_ASSERT_EQUAL_FATAL(t->wait_object_count, 1);
	CU_ASSERT_EQUAL(t->wait_objects[0].address, mutant);
	CU_ASSERT_EQUAL(t->wait_objects[0].type, 2);
	CU_ASSERT_EQUAL(t->wait_objects[0].owner_thread, order_thread);
	bool types_known = l->header_kind == FORGE_HEADER_TYPE_POINTER || creator_info || symbols;
	CU_ASSERT_STRING_EQUAL_OR_NULL(t->wait_objects[0].type_name, types_known ? "Mutant" : NULL);
	t = &stock_threads.items[1];
	CU_ASSERT_EQUAL(t->address, stock_runner);
	CU_ASSERT_EQUAL(t->tid, 0x2ac);
	CU_ASSERT_EQUAL(t->state, 2);
	CU_ASSERT_EQUAL(t->wait_object_count, 0);

	const char *port_type = l->alpc ? "ALPC Port" : "Port";
	expect_object(&world, port, types_known ? port_type : "", "\\RPC Control\\StockSvcPort", 2,
		      creator_info ? 0x2a4 : 0);
	expect_object(&world, mutant, types_known ? "Mutant" : "", "\\BaseNamedObjects\\OrderLock", 1, 0);
	expect_object(&world, order, types_known ? "Process" : "", "", 1, creator_info ? 4 : 0);
	expect_object(&world, forge_directory(w, "\\RPC Control"), types_known ? "Directory" : "", "\\RPC Control",
		      0, 0);

	struct handles system_handles = walk_handles(&world, &processes.items[0]);
	CU_ASSERT_EQUAL_FATAL(system_handles.count, 1);
	CU_ASSERT_EQUAL(system_handles.items[0].value, system_handle);
	CU_ASSERT_EQUAL(system_handles.items[0].object, order);
	CU_ASSERT_EQUAL(system_handles.items[0].granted_access, 0x1fffff);
	struct handles order_handles = walk_handles(&world, &processes.items[1]);
	CU_ASSERT_EQUAL_FATAL(order_handles.count, 1);
	CU_ASSERT_EQUAL(order_handles.items[0].value, 0x404);
	CU_ASSERT_EQUAL(order_handles.items[0].object, port);
	CU_ASSERT_EQUAL(order_handles.items[0].granted_access, ACCESS);
	struct handles stock_handles = walk_handles(&world, &processes.items[2]);
	CU_ASSERT_EQUAL_FATAL(stock_handles.count, 2);
	CU_ASSERT_EQUAL(stock_handles.items[0].value, stock_handle);
	CU_ASSERT_EQUAL(stock_handles.items[0].object, port);
	CU_ASSERT_EQUAL(stock_handles.items[0].granted_access, 1);
	CU_ASSERT_EQUAL(stock_handles.items[1].value, 0x80014);
	CU_ASSERT_EQUAL(stock_handles.items[1].object, mutant);
	CU_ASSERT_EQUAL(stock_handles.items[1].granted_access, 0x1f0001);

	if (types_known) {
		if (world.log.count) {
			fprintf(stderr, "\n  %s: unexpected warnings:", c->column);
			print_warnings(&world.log);
		}
		CU_ASSERT_EQUAL(world.log.count, 0);
	} else {
		/* said once, not per object */
		CU_ASSERT_EQUAL(world.log.count, 1);
		CU_ASSERT_TRUE(has_warning(&world.log, 0,
					   "object types cannot be named: no kernel symbols for ObTypeIndexTable, "
					   "and no creator info links a process to the \"Process\" type"));
	}
	world_free(&world);
}

static void every_layout_with_creator_info(void)
{
	for (size_t i = 0; i < sizeof layouts / sizeof *layouts; i++)
		walk_everything_in(&layouts[i], true, false);
}

static void every_layout_without_creator_info(void)
{
	for (size_t i = 0; i < sizeof layouts / sizeof *layouts; i++)
		walk_everything_in(&layouts[i], false, false);
}

/* The layouts whose sources carry symbol RVAs: the type table and the
 * cookie come from nt!ObTypeIndexTable and nt!ObHeaderCookie. */
static void layouts_with_symbols(void)
{
	static const struct layout_case with[] = {
		{ "7601.24540", FORGE_X64 }, { "9600", FORGE_X64 },       { "14393", FORGE_X64 },
		{ "17763", FORGE_X64 },      { "19041.329", FORGE_X64 },  { "19041.3570", FORGE_X64 },
		{ "20348", FORGE_X64 },      { "22000", FORGE_X64 },
	};
	for (size_t i = 0; i < sizeof with / sizeof *with; i++)
		walk_everything_in(&with[i], false, true);
}

static const struct test_case layout_cases[] = {
	{ "every layout, creator info on", every_layout_with_creator_info },
	{ "every layout, no creator info", every_layout_without_creator_info },
	{ "symbols place the type table and the cookie", layouts_with_symbols },
	{ NULL, NULL },
};

static const struct test_suite suites[] = {
	{ "layouts", layout_cases },
};

int main(int argc, char **argv)
{
	(void)argc;
	return run_suites(argv[0], suites, sizeof suites / sizeof *suites);
}
