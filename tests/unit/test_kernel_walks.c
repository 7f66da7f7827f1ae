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

/* ---- the profile probe ------------------------------------------------ */

/* Three processes, five threads: the right profile scores every process
 * and every thread (3 + 5); a Win7 SP1 layout 8 bytes off in _ETHREAD
 * reads the threads' KTHREAD.Process from the wrong place and scores
 * only the processes. */
static void probe_scores(const char *forged, const char *right, const char *wrong)
{
	struct world world;
	struct world_options options = { .creator_info = true };
	world_new(&world, forged, FORGE_X64, &options);
	struct forge_windows *w = world.w;
	uint64_t system = forge_process(w, 4, "System");
	uint64_t smss = forge_process(w, 0x1a8, "smss.exe");
	uint64_t csrss = forge_process(w, 0x214, "csrss.exe");
	forge_thread(w, system, 8, FORGE_THREAD_WAITING, FORGE_WAIT_EXECUTIVE);
	forge_thread(w, system, 0xc, FORGE_THREAD_RUNNING, FORGE_WAIT_EXECUTIVE);
	forge_thread(w, smss, 0x1ac, FORGE_THREAD_WAITING, FORGE_WAIT_LPC_RECEIVE);
	forge_thread(w, csrss, 0x218, FORGE_THREAD_WAITING, FORGE_WAIT_LPC_REPLY);
	forge_thread(w, csrss, 0x21c, FORGE_THREAD_WAITING, FORGE_WAIT_USER_REQUEST);
	CU_ASSERT_TRUE_FATAL(world_open(&world, builtin(right)));
	struct kernel_probe_context context = { world.memory, &world.os };
	int right_score = kernel_probe(builtin(right), &context);
	int wrong_score = kernel_probe(builtin(wrong), &context);
	if (right_score != 8 || wrong_score != 3)
		fprintf(stderr, "\n  %s dump: %s scores %d, %s scores %d", forged, right, right_score, wrong,
			wrong_score);
	CU_ASSERT_EQUAL(right_score, 8);
	CU_ASSERT_EQUAL(wrong_score, 3);
	/* an x86 profile cannot read an x64 image at all */
	CU_ASSERT_EQUAL(kernel_probe(builtin("2003 x86"), &context), -1);
	world_free(&world);
}

static void probe_tells_7601_24540_from_17514(void)
{
	probe_scores("7601.24540", "7601.24540", "7601.17514");
}

static void probe_tells_7601_17514_from_24540(void)
{
	probe_scores("7601.17514", "7601.17514", "7601.24540");
}

/* No process list: -1, and kernel_open says why. */
static void probe_without_a_process_list(void)
{
	struct world world;
	struct world_options options = { 0 };
	world_new(&world, "19041.3570", FORGE_X64, &options);
	forge_process(world.w, 4, "System");
	CU_ASSERT_TRUE_FATAL(world_open(&world, builtin("19041.3570")));
	struct os_identity os = world.os;
	os.ps_active_process_head = UNKNOWN_U64;
	struct kernel_probe_context context = { world.memory, &os };
	CU_ASSERT_EQUAL(kernel_probe(builtin("19041.3570"), &context), -1);
	struct kernel *kernel = NULL;
	struct kernel_warnings none = { NULL, NULL };
	struct error *error = kernel_open(world.memory, &os, builtin("19041.3570"), none, &kernel);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_PTR_NULL(kernel);
	CU_ASSERT_EQUAL(error->code, ERROR_UNSUPPORTED);
	/* nor a System process behind a pool tag: this one has no pool header */
	CU_ASSERT_STRING_EQUAL(error->message,
			       "the process list cannot be found: no PsActiveProcessHead in the dump header or "
			       "KDBG, the kernel base is not known, and no System process (pool tag Proc, "
			       "pid 4, DirectoryTableBase 0x4000000) in the image's pages");
	error_free(error);
	/* the incomplete 26100 profile is refused by name */
	error = kernel_open(world.memory, &world.os, builtin("26100"), none, &kernel);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_STRING_EQUAL(error->message,
			       "profile 26100 holds only some fields of its build; processes cannot be walked with it");
	error_free(error);
	world_free(&world);
}

/* An image with no header and no KDBG: the process list from the System
 * process found by its pool tag ("Proc", with the protected bit before
 * Windows 8), on every layout whose pool header the forge writes. */
static void process_list_from_the_system_pool_tag_in(const struct layout_case *c)
{
	struct world world;
	struct world_options options = { .pool_headers = true };
	world_new(&world, c->column, c->arch, &options);
	uint64_t system = forge_process(world.w, 4, "System");
	uint64_t smss = forge_process(world.w, 0x17c, "smss.exe");
	uint64_t csrss = forge_process(world.w, 0x1f8, "csrss.exe");
	CU_ASSERT_TRUE_FATAL(world_open(&world, builtin(c->column)));
	uint64_t head = forge_windows_facts(world.w)->ps_active_process_head;
	struct os_identity os = world.os;
	os.ps_active_process_head = UNKNOWN_U64;
	os.list_heads_source = NULL;
	struct kernel *kernel = NULL;
	struct kernel_warnings sink = { log_warning, &world.log };
	struct error *error = kernel_open(world.memory, &os, builtin(c->column), sink, &kernel);
	if (error)
		fprintf(stderr, "\n  %s: %s\n", c->column, error->message);
	CU_ASSERT_PTR_NULL_FATAL(error);
	CU_ASSERT_EQUAL(kernel_process_list_head(kernel), head);
	uint64_t physical = 0;
	error = virtual_translate(kernel_address_space(kernel), system, &physical);
	CU_ASSERT_PTR_NULL_FATAL(error);
	char expected[256];
	snprintf(expected, sizeof expected,
		 "the System process found by its pool tag Proc at physical address 0x%llx, whose "
		 "ActiveProcessLinks.Blink is the list head",
		 (unsigned long long)physical);
	CU_ASSERT_STRING_EQUAL(kernel_process_list_source(kernel), expected);
	kernel_close(world.kernel);
	world.kernel = kernel;
	struct processes processes = walk_processes(&world);
	CU_ASSERT_EQUAL_FATAL(processes.count, 3);
	const uint64_t bodies[3] = { system, smss, csrss }, pids[3] = { 4, 0x17c, 0x1f8 };
	for (unsigned i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(processes.items[i].address, bodies[i]);
		CU_ASSERT_EQUAL(processes.items[i].pid, pids[i]);
	}
	world_free(&world);
}

static void process_list_from_the_system_pool_tag(void)
{
	static const struct layout_case with[] = {
		{ "2003 x86", FORGE_X86_PAE }, { "7601.17514", FORGE_X64 }, { "7601.24540", FORGE_X64 },
		{ "9600", FORGE_X64 },         { "17763", FORGE_X64 },      { "19041.3570", FORGE_X64 },
		{ "22000", FORGE_X64 },        { "22621", FORGE_X64 },
	};
	for (size_t i = 0; i < sizeof with / sizeof *with; i++)
		process_list_from_the_system_pool_tag_in(&with[i]);
}

/* A Proc-tagged process that is not pid 4 "System" is not taken for it:
 * the list is not found, and the error says what was looked for. */
static void only_pid_4_named_system_is_taken(void)
{
	static const struct {
		uint64_t pid;
		const char *name;
	} decoys[] = { { 8, "System" }, { 4, "Systemd" }, { 4, "Idle" } };
	for (size_t i = 0; i < sizeof decoys / sizeof *decoys; i++) {
		struct world world;
		struct world_options options = { .pool_headers = true };
		world_new(&world, "19041.3570", FORGE_X64, &options);
		forge_process(world.w, decoys[i].pid, decoys[i].name);
		forge_process(world.w, 0x17c, "smss.exe");
		CU_ASSERT_TRUE_FATAL(world_open(&world, builtin("19041.3570")));
		struct os_identity os = world.os;
		os.ps_active_process_head = UNKNOWN_U64;
		struct kernel *kernel = NULL;
		struct kernel_warnings none = { NULL, NULL };
		struct error *error = kernel_open(world.memory, &os, builtin("19041.3570"), none, &kernel);
		CU_ASSERT_PTR_NOT_NULL_FATAL(error);
		CU_ASSERT_PTR_NULL(kernel);
		CU_ASSERT_PTR_NOT_NULL(strstr(error->message, ", and no System process (pool tag Proc, pid 4, "
							     "DirectoryTableBase 0x4000000) in the image's pages"));
		error_free(error);
		world_free(&world);
	}
}

/* ---- damage ------------------------------------------------------------ */

static bool has_warning_starting(const struct warning_log *log, uint64_t address, const char *start)
{
	for (unsigned i = 0; i < log->count && i < WARNINGS_KEPT; i++)
		if (log->address[i] == address && strncmp(log->text[i], start, strlen(start)) == 0)
			return true;
	fprintf(stderr, "\n  no warning at 0x%" PRIx64 " starting \"%s\"; %u were given:", address, start, log->count);
	print_warnings(log);
	return false;
}

struct damaged {
	struct world world;
	uint64_t processes[4];
	uint64_t threads[4];
};

/* Four processes; the last has four threads and a 2-level handle table
 * with two handles on different leaves. */
static void damaged_new(struct damaged *d, const char *column)
{
	struct world_options options = { .creator_info = true };
	world_new(&d->world, column, FORGE_X64, &options);
	struct forge_windows *w = d->world.w;
	static const char *names[4] = { "System", "smss.exe", "csrss.exe", "svchost.exe" };
	for (unsigned i = 0; i < 4; i++) {
		struct forge_process_spec spec = { .pid = 4 + 0x100 * i, .image_name = names[i], .handle_levels = 2 };
		d->processes[i] = forge_process_ex(w, &spec);
	}
	for (unsigned i = 0; i < 4; i++)
		d->threads[i] = forge_thread(w, d->processes[3], 0x400 + 4 * i, FORGE_THREAD_WAITING,
					     FORGE_WAIT_USER_REQUEST);
	forge_handle_at(w, d->processes[3], 0x10, d->processes[0], 0x1000);
	forge_handle_at(w, d->processes[3], 0x80014, d->processes[1], 0x1fffff);
}

static void process_list_that_loops(void)
{
	struct damaged d;
	damaged_new(&d, "19041.3570");
	const struct forge_layout *l = d.world.layout;
	uint64_t head = forge_windows_facts(d.world.w)->ps_active_process_head;
	forge_damage_list_loop(d.world.w, head, 2);
	CU_ASSERT_TRUE_FATAL(world_open(&d.world, builtin("19041.3570")));
	struct processes processes = walk_processes(&d.world);
	CU_ASSERT_EQUAL_FATAL(processes.count, 3);
	for (unsigned i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(processes.items[i].address, d.processes[i]);
	char text[512];
	snprintf(text, sizeof text,
		 "the process list (PsActiveProcessHead) at 0x%" PRIx64 ": loops: entry 0x%" PRIx64
		 " links back to 0x%" PRIx64 "; walk stopped after 3 entries",
		 head, d.processes[2] + l->process.active_process_links, d.processes[0] + l->process.active_process_links);
	CU_ASSERT_TRUE(has_warning(&d.world.log, head, text));
	CU_ASSERT_EQUAL(d.world.log.count, 1);
	world_free(&d.world);
}

static void thread_list_that_loops(void)
{
	struct damaged d;
	damaged_new(&d, "22000");
	const struct forge_layout *l = d.world.layout;
	uint64_t head = d.processes[3] + l->process.thread_list_head;
	forge_damage_list_loop(d.world.w, head, 1);
	CU_ASSERT_TRUE_FATAL(world_open(&d.world, builtin("22000")));
	struct processes processes = walk_processes(&d.world);
	CU_ASSERT_EQUAL_FATAL(processes.count, 4);
	struct threads threads = walk_threads(&d.world, &processes.items[3]);
	CU_ASSERT_EQUAL_FATAL(threads.count, 2);
	CU_ASSERT_EQUAL(threads.items[0].address, d.threads[0]);
	CU_ASSERT_EQUAL(threads.items[1].address, d.threads[1]);
	CU_ASSERT_EQUAL(threads.items[1].tid, 0x404);
	char text[512];
	snprintf(text, sizeof text,
		 "the thread list of process 0x%" PRIx64 " at 0x%" PRIx64 ": loops: entry 0x%" PRIx64
		 " links back to 0x%" PRIx64 "; walk stopped after 2 entries",
		 d.processes[3], head, d.threads[1] + l->thread.thread_list_entry, d.threads[0] + l->thread.thread_list_entry);
	CU_ASSERT_TRUE(has_warning(&d.world.log, head, text));
	CU_ASSERT_EQUAL(d.world.log.count, 1);
	world_free(&d.world);
}

/* A Flink into a page the image does not map ends the walk there, with
 * what was read before it. */
static void process_link_into_an_absent_page(void)
{
	struct damaged d;
	damaged_new(&d, "17763");
	const struct forge_layout *l = d.world.layout;
	uint64_t head = forge_windows_facts(d.world.w)->ps_active_process_head;
	uint64_t absent = forge_absent_kernel_page(d.world.w);
	forge_kernel_write_pointer(d.world.w, d.processes[1] + l->process.active_process_links, absent + 0x448);
	CU_ASSERT_TRUE_FATAL(world_open(&d.world, builtin("17763")));
	struct processes processes = walk_processes(&d.world);
	CU_ASSERT_EQUAL_FATAL(processes.count, 2);
	CU_ASSERT_EQUAL(processes.items[0].address, d.processes[0]);
	CU_ASSERT_EQUAL(processes.items[1].address, d.processes[1]);
	char text[512];
	snprintf(text, sizeof text,
		 "the process list (PsActiveProcessHead) at 0x%" PRIx64 ": entry 0x%" PRIx64 " cannot be read (",
		 head, absent + 0x448);
	CU_ASSERT_TRUE(has_warning_starting(&d.world.log, head, text));
	CU_ASSERT_EQUAL(d.world.log.count, 1);
	world_free(&d.world);
}

/* A leaf page of a 2-level handle table the image lacks: the handles on
 * the other leaves are still found. */
static void handle_page_absent(void)
{
	struct damaged d;
	damaged_new(&d, "9600");
	uint64_t entry = forge_handle_entry(d.world.w, d.processes[3], 0x80014);
	CU_ASSERT_NOT_EQUAL_FATAL(entry, 0);
	uint64_t leaf = entry & ~0xfffULL;
	forge_unmap(d.world.forge, leaf);
	CU_ASSERT_TRUE_FATAL(world_open(&d.world, builtin("9600")));
	struct processes processes = walk_processes(&d.world);
	CU_ASSERT_EQUAL_FATAL(processes.count, 4);
	struct handles handles = walk_handles(&d.world, &processes.items[3]);
	CU_ASSERT_EQUAL_FATAL(handles.count, 1);
	CU_ASSERT_EQUAL(handles.items[0].value, 0x10);
	CU_ASSERT_EQUAL(handles.items[0].object, d.processes[0]);
	CU_ASSERT_EQUAL(handles.items[0].granted_access, 0x1000);
	uint64_t table = forge_handle_table(d.world.w, d.processes[3]);
	char text[512];
	snprintf(text, sizeof text,
		 "handle table 0x%" PRIx64 " of process 772: the page 0x%" PRIx64
		 " of handles 0x80000-0x803fc cannot be read (",
		 table, leaf);
	CU_ASSERT_TRUE(has_warning_starting(&d.world.log, table, text));
	CU_ASSERT_EQUAL(d.world.log.count, 1);
	world_free(&d.world);
}

/* TableCode's level bits say 3: no such table exists; it is not walked. */
static void table_code_of_three_levels(void)
{
	struct damaged d;
	damaged_new(&d, "7601.17514");
	const struct forge_layout *l = d.world.layout;
	uint64_t table = forge_handle_table(d.world.w, d.processes[3]);
	uint64_t code = forge_kernel_read_pointer(d.world.w, table + l->handle_table.table_code);
	forge_kernel_write_pointer(d.world.w, table + l->handle_table.table_code, code | 3);
	CU_ASSERT_TRUE_FATAL(world_open(&d.world, builtin("7601.17514")));
	struct processes processes = walk_processes(&d.world);
	CU_ASSERT_EQUAL_FATAL(processes.count, 4);
	struct handles handles = walk_handles(&d.world, &processes.items[3]);
	CU_ASSERT_EQUAL(handles.count, 0);
	char text[512];
	snprintf(text, sizeof text,
		 "handle table 0x%" PRIx64 " of process 772: TableCode 0x%" PRIx64
		 " says 3 levels; at most 2 exist; not walked",
		 table, code | 3);
	CU_ASSERT_TRUE(has_warning(&d.world.log, table, text));
	CU_ASSERT_EQUAL(d.world.log.count, 1);
	/* the other processes' tables are whole */
	struct handles other = walk_handles(&d.world, &processes.items[0]);
	CU_ASSERT_EQUAL(other.count, 0);
	CU_ASSERT_EQUAL(d.world.log.count, 1);
	world_free(&d.world);
}

/* A Blink that does not point back is reported, and the walk goes on. */
static void blink_that_does_not_point_back(void)
{
	struct damaged d;
	damaged_new(&d, "14393");
	const struct forge_layout *l = d.world.layout;
	uint64_t head = forge_windows_facts(d.world.w)->ps_active_process_head;
	uint64_t links = d.processes[2] + l->process.active_process_links;
	forge_kernel_write_pointer(d.world.w, links + 8, d.processes[0] + l->process.active_process_links);
	CU_ASSERT_TRUE_FATAL(world_open(&d.world, builtin("14393")));
	struct processes processes = walk_processes(&d.world);
	CU_ASSERT_EQUAL(processes.count, 4);
	char text[512];
	snprintf(text, sizeof text,
		 "the process list (PsActiveProcessHead) at 0x%" PRIx64 ": entry 0x%" PRIx64 " has Blink 0x%" PRIx64
		 ", not the entry before it (0x%" PRIx64 ")",
		 head, links, d.processes[0] + l->process.active_process_links,
		 d.processes[1] + l->process.active_process_links);
	CU_ASSERT_TRUE(has_warning(&d.world.log, links, text));
	CU_ASSERT_EQUAL(d.world.log.count, 1);
	world_free(&d.world);
}

/* A thread list that runs into another process's: each walk would read
 * the other's threads again (processes × threads on a hostile image); a
 * thread another list linked first ends the walk, said once.  Walking
 * the same list again is no damage. */
static void thread_list_into_another_process(void)
{
	struct damaged d;
	damaged_new(&d, "19041.3570");
	const struct forge_layout *l = d.world.layout;
	uint64_t head1 = d.processes[1] + l->process.thread_list_head;
	uint64_t head3 = d.processes[3] + l->process.thread_list_head;
	uint64_t first = d.threads[0] + l->thread.thread_list_entry;
	forge_kernel_write_pointer(d.world.w, head1, first);
	CU_ASSERT_TRUE_FATAL(world_open(&d.world, builtin("19041.3570")));
	struct processes processes = walk_processes(&d.world);
	CU_ASSERT_EQUAL_FATAL(processes.count, 4);
	struct threads owner = walk_threads(&d.world, &processes.items[3]);
	CU_ASSERT_EQUAL(owner.count, 4);
	CU_ASSERT_EQUAL(d.world.log.count, 0);
	struct threads intruder = walk_threads(&d.world, &processes.items[1]);
	CU_ASSERT_EQUAL(intruder.count, 0);
	char text[512];
	snprintf(text, sizeof text,
		 "the thread list of process 0x%" PRIx64 " at 0x%" PRIx64 ": entry 0x%" PRIx64
		 " lies on the thread list at 0x%" PRIx64 " too; walk stopped",
		 d.processes[1], head1, first, head3);
	CU_ASSERT_TRUE(has_warning(&d.world.log, head1, text));
	snprintf(text, sizeof text,
		 "the thread list of process 0x%" PRIx64 " at 0x%" PRIx64 ": entry 0x%" PRIx64 " has Blink 0x%" PRIx64
		 ", not the entry before it (0x%" PRIx64 ")",
		 d.processes[1], head1, first, head3, head1);
	CU_ASSERT_TRUE(has_warning(&d.world.log, first, text));
	CU_ASSERT_EQUAL(d.world.log.count, 2);
	struct threads again = walk_threads(&d.world, &processes.items[3]);
	CU_ASSERT_EQUAL(again.count, 4);
	CU_ASSERT_EQUAL(again.items[3].address, d.threads[3]);
	CU_ASSERT_EQUAL(d.world.log.count, 2);
	world_free(&d.world);
}

/* Processes whose ObjectTable is another's: each walk would read the
 * same pages again (processes × 2^24 handles on a hostile image); a page
 * another process's table linked first is not read again. */
static void handle_table_of_another_process(void)
{
	struct damaged d;
	damaged_new(&d, "19041.3570");
	const struct forge_layout *l = d.world.layout;
	uint64_t table = forge_handle_table(d.world.w, d.processes[3]);
	uint64_t code = forge_kernel_read_pointer(d.world.w, table + l->handle_table.table_code);
	forge_kernel_write_pointer(d.world.w, d.processes[2] + l->process.object_table, table);
	CU_ASSERT_TRUE_FATAL(world_open(&d.world, builtin("19041.3570")));
	struct processes processes = walk_processes(&d.world);
	CU_ASSERT_EQUAL_FATAL(processes.count, 4);
	struct handles owner = walk_handles(&d.world, &processes.items[3]);
	CU_ASSERT_EQUAL(owner.count, 2);
	struct handles borrower = walk_handles(&d.world, &processes.items[2]);
	CU_ASSERT_EQUAL(borrower.count, 0);
	char text[512];
	snprintf(text, sizeof text,
		 "handle table 0x%" PRIx64 " of process 516: the page 0x%" PRIx64
		 " belongs to the table of process 0x%" PRIx64 "; not read again",
		 table, code & ~(uint64_t)3, d.processes[3]);
	CU_ASSERT_TRUE(has_warning(&d.world.log, table, text));
	CU_ASSERT_EQUAL(d.world.log.count, 1);
	struct handles again = walk_handles(&d.world, &processes.items[3]);
	CU_ASSERT_EQUAL(again.count, 2);
	CU_ASSERT_EQUAL(d.world.log.count, 1);
	world_free(&d.world);
}

/* A --profile file may place a field anywhere in a structure of up to
 * 1 MiB: an _EPROCESS.ImageFileName past the one block a process is read
 * in is said for each process, never copied from beyond the block. */
static void image_name_past_the_block(void)
{
	struct damaged d;
	damaged_new(&d, "19041.3570");
	struct kernel_profile far = *builtin("19041.3570");
	far.eprocess_image_file_name = 0xf0000;
	CU_ASSERT_TRUE_FATAL(world_open(&d.world, &far));
	struct processes processes = walk_processes(&d.world);
	CU_ASSERT_EQUAL(processes.count, 0);
	CU_ASSERT_EQUAL(d.world.log.count, 4);
	char text[512];
	snprintf(text, sizeof text,
		 "EPROCESS 0x%" PRIx64 " cannot be read (profile 19041.3570 places _EPROCESS fields up to "
		 "0xf0010, past the 0x1000 bytes read of one); skipped",
		 d.processes[0]);
	CU_ASSERT_TRUE(has_warning(&d.world.log, d.processes[0], text));
	world_free(&d.world);
}

/* A wait object whose _DISPATCHER_HEADER.Type is not read keeps type
 * 0xff (no _KOBJECTS value), never 0, which is NotificationEvent: once
 * for an object in a page the image lacks, once for a --profile file
 * without the Type field. */
static void wait_object_type_unread(void)
{
	for (int absent_field = 0; absent_field < 2; absent_field++) {
		struct damaged d;
		damaged_new(&d, "19041.3570");
		const struct forge_layout *l = d.world.layout;
		uint64_t mutant = forge_mutant(d.world.w, 0, "\\BaseNamedObjects\\Lock");
		uint64_t block = forge_thread_waits_on(d.world.w, d.threads[0], mutant);
		uint64_t object = mutant;
		struct kernel_profile profile = *builtin("19041.3570");
		if (absent_field) {
			profile.dispatcher_header_type = PROFILE_ABSENT;
		} else {
			object = forge_absent_kernel_page(d.world.w) + 0x40;
			forge_kernel_write_pointer(d.world.w, block + l->wait_block.object, object);
		}
		CU_ASSERT_TRUE_FATAL(world_open(&d.world, &profile));
		struct processes processes = walk_processes(&d.world);
		CU_ASSERT_EQUAL_FATAL(processes.count, 4);
		struct threads threads = walk_threads(&d.world, &processes.items[3]);
		CU_ASSERT_EQUAL_FATAL(threads.count, 4);
		const struct kernel_thread *t = &threads.items[0];
		CU_ASSERT_EQUAL_FATAL(t->wait_object_count, 1);
		CU_ASSERT_EQUAL(t->wait_objects[0].address, object);
		CU_ASSERT_EQUAL(t->wait_objects[0].type, 0xff);
		CU_ASSERT_PTR_NULL(t->wait_objects[0].type_name);
		CU_ASSERT_EQUAL(t->wait_objects[0].owner_thread, 0);
		CU_ASSERT_EQUAL(d.world.log.count, absent_field ? 0 : 1);
		world_free(&d.world);
	}
}

static const struct test_case probe_cases[] = {
	{ "7601.24540 dump: 24540 beats 17514", probe_tells_7601_24540_from_17514 },
	{ "7601.17514 dump: 17514 beats 24540", probe_tells_7601_17514_from_24540 },
	{ "no process list", probe_without_a_process_list },
	{ NULL, NULL },
};

static const struct test_case damage_cases[] = {
	{ "a process list that loops", process_list_that_loops },
	{ "a thread list that loops", thread_list_that_loops },
	{ "a Flink into an absent page", process_link_into_an_absent_page },
	{ "a handle-table page absent", handle_page_absent },
	{ "TableCode says 3 levels", table_code_of_three_levels },
	{ "a Blink that does not point back", blink_that_does_not_point_back },
	{ "a thread list into another process's", thread_list_into_another_process },
	{ "a handle table of another process's", handle_table_of_another_process },
	{ "--profile: ImageFileName past one block", image_name_past_the_block },
	{ "a wait object whose type is not read", wait_object_type_unread },
	{ NULL, NULL },
};

static const struct test_case layout_cases[] = {
	{ "every layout, creator info on", every_layout_with_creator_info },
	{ "every layout, no creator info", every_layout_without_creator_info },
	{ "symbols place the type table and the cookie", layouts_with_symbols },
	{ NULL, NULL },
};

static const struct test_case pool_tag_cases[] = {
	{ "the System process's pool tag gives the list", process_list_from_the_system_pool_tag },
	{ "only pid 4 named System is taken", only_pid_4_named_system_is_taken },
	{ NULL, NULL },
};

static const struct test_suite suites[] = {
	{ "layouts", layout_cases },
	{ "probe", probe_cases },
	{ "process list by pool tag", pool_tag_cases },
	{ "damage", damage_cases },
};

int main(int argc, char **argv)
{
	(void)argc;
	return run_suites(argv[0], suites, sizeof suites / sizeof *suites);
}
