/* The scenarios by name, and a whole x64 system to lay one into: a
 * kernel image with the layout's PDB identity, KDBG, KUSER_SHARED_DATA,
 * the globals at their RVAs, the dump header's list heads. */
#include <stdlib.h>
#include <string.h>

#include "forge_scenario_builder.h"

#define DEFAULT_MAX_PFN 0x8000ULL      /* 128 MiB */
#define DEFAULT_HEAP (4ULL << 20)
#define KERNEL_PA 0x100000ULL
#define KUSER_PA 0x80000ULL
#define HEAP_PA 0x400000ULL

#define SCENARIO(scenario_name, text, function) \
	{ .name = scenario_name, .summary = text, .make = function }

const struct forge_scenario forge_scenarios[] = {
	SCENARIO("deadlock-2", "two processes wait for each other's replies (a definite 2-cycle)",
		 forge_scenario_two_process_deadlock),
	SCENARIO("cycle-3", "three processes in a ring, one request still queued (a probable 3-cycle)",
		 forge_scenario_three_process_cycle),
	SCENARIO("chain-6-mutant", "a chain of six processes ending in a thread waiting on a mutant",
		 forge_scenario_chain_to_mutant),
	SCENARIO("main-queue", "requests queued but not received (MAIN), servers waiting for messages",
		 forge_scenario_main_queue),
	SCENARIO("pending", "requests received by server threads (PENDING, ServerThread set)",
		 forge_scenario_pending),
	SCENARIO("canceled", "canceled messages on the CanceledQueue beside a live request",
		 forge_scenario_canceled),
	SCENARIO("self-connection", "a process connected to its own port", forge_scenario_self_connection),
	{ .name = "pool-only", .summary = "ports only a pool-tag scan finds", .make = forge_scenario_pool_only,
	  .needs = { .pool_headers = true } },
	{ .name = "many-ports", .summary = "300 processes x 40 ports", .make = forge_scenario_many_ports,
	  .needs = { .heap_size = 40ULL << 20 } },
	{ .name = "replay-win10-smss",
	  .summary = "the Windows 10 smss/SmApiPort/audiodg WinDbg session, same addresses",
	  .make = forge_scenario_replay_win10_smss, .needs = { .layout = "19041.3570" } },
	{ .name = "replay-win7-alpcbuggery",
	  .summary = "the Windows 7 !alpc /p and /lpp outputs (alpcbuggery), same addresses",
	  .make = forge_scenario_replay_win7_alpcbuggery, .needs = { .layout = "7601.17514" } },
	/* Issue 5: LPC (XP, 2003), laid out by forge_lpc_scenario_system_new. */
	{ .name = "lpc-csrss-apiport", .summary = "csrss's ApiPort with a non-empty queue, SbApiPort with an empty one",
	  .make = forge_scenario_lpc_csrss_apiport, .needs = { .lpc = true } },
	{ .name = "lpc-pairs", .summary = "LPC client/server communication pairs and an unconnected port",
	  .make = forge_scenario_lpc_pairs, .needs = { .lpc = true } },
	{ .name = "lpc-received-reply-wait",
	  .summary = "a thread waits for a reply whose request a server thread already received",
	  .make = forge_scenario_lpc_received_reply_wait, .needs = { .lpc = true } },
	{ .name = "lpc-deadlock", .summary = "two processes' server threads wait for each other (a definite 2-cycle)",
	  .make = forge_scenario_lpc_deadlock, .needs = { .lpc = true } },
	{ .name = "lpc-pool-only", .summary = "an LPC message only a pool-tag (LpcM) search finds",
	  .make = forge_scenario_lpc_pool_only, .needs = { .lpc = true } },
	{ .name = "replay-xp-lpc",
	  .summary = "the XP !lpc port/message session and x86 LPC thread lines, same addresses",
	  .make = forge_scenario_replay_xp_lpc, .needs = { .lpc = true, .layout = "XP x86" } },
};
const size_t forge_scenario_count = sizeof forge_scenarios / sizeof *forge_scenarios;

const char *const forge_scenario_layouts[] = { "7601.17514", "7601.24540", "9600", "17763", "19041.329",
					       "19041.3570", "22000", "22621" };
const size_t forge_scenario_layout_count = sizeof forge_scenario_layouts / sizeof *forge_scenario_layouts;

const struct forge_scenario *forge_scenario_named(const char *name)
{
	for (size_t i = 0; i < forge_scenario_count; i++)
		if (strcmp(forge_scenarios[i].name, name) == 0)
			return &forge_scenarios[i];
	return NULL;
}

/* "606FF669409B00F7FC8C61A9C1670129" as the RSDS record stores it:
 * Data1, Data2, Data3 little-endian, Data4 as written. */
static bool parse_guid(const char *text, uint8_t guid[16])
{
	if (strlen(text) != 32)
		return false;
	uint8_t bytes[16];
	for (size_t i = 0; i < 16; i++) {
		char pair[3] = { text[2 * i], text[2 * i + 1], 0 };
		char *end;
		bytes[i] = (uint8_t)strtoul(pair, &end, 16);
		if (*end)
			return false;
	}
	static const uint8_t order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
	for (size_t i = 0; i < 16; i++)
		guid[i] = bytes[order[i]];
	return true;
}

/* NtMajorVersion and NtMinorVersion of a build (Vista+). */
static void version_of(uint32_t build, uint32_t *major, uint32_t *minor)
{
	*major = build >= 10240 ? 10 : 6;
	*minor = build >= 10240 ? 0 : build >= 9600 ? 3 : build >= 9200 ? 2 : build >= 7600 ? 1 : 0;
}

struct error *forge_scenario_system_new(const struct forge_scenario *scenario, const struct forge_layout *layout,
					enum forge_alpc_handle_table handle_table,
					struct forge_scenario_system *system)
{
	*system = (struct forge_scenario_system){ 0 };
	if (!layout && scenario->needs.layout)
		layout = forge_layout_named(scenario->needs.layout);
	if (!layout)
		return error_new(ERROR_USAGE, "scenario %s: no layout given", scenario->name);
	if (scenario->needs.layout && strcmp(scenario->needs.layout, layout->column) != 0)
		return error_new(ERROR_USAGE, "scenario %s replays a %s system, not %s", scenario->name,
				 scenario->needs.layout, layout->column);
	if (!layout->alpc || layout->pointer_size != 8)
		return error_new(ERROR_USAGE, "scenario %s needs an x64 layout with ALPC; %s is not one",
				 scenario->name, layout->column);
	uint64_t max_pfn = scenario->needs.max_pfn ? scenario->needs.max_pfn : DEFAULT_MAX_PFN;
	system->forge = forge_new(FORGE_X64, max_pfn);
	struct forge_kernel kernel = {
		.base_va = FORGE_SCENARIO_KERNEL_BASE, .base_pa = KERNEL_PA, .text_pages = 4, .data_pages = 4,
		.pdb_name = "ntkrnlmp.pdb", .pdb_age = layout->pdb_age ? layout->pdb_age : 1,
		.kdbg = true, .kdbg_offset = 0x400, .kdbg_size = 0x368,
		.kuser_pa = KUSER_PA, .nt_build_number = 0xf0000000u | layout->build,
	};
	version_of(layout->build, &kernel.nt_major, &kernel.nt_minor);
	parse_guid(layout->pdb_guid, kernel.pdb_guid);
	system->kernel = forge_kernel(system->forge, &kernel);
	struct forge_windows_options options = {
		.layout = layout,
		.heap_pa = HEAP_PA,
		.heap_size = scenario->needs.heap_size ? scenario->needs.heap_size : DEFAULT_HEAP,
		.pool_headers = true,
		.creator_info = true,
		.ob_header_cookie = FORGE_SCENARIO_COOKIE,
		.alpc_handle_table = handle_table,
		.kernel_base = FORGE_SCENARIO_KERNEL_BASE,
		.ps_active_process_head = system->kernel.process_list_va,
	};
	system->windows = forge_windows_new(system->forge, &options);
	struct forge_header header = {
		.build = layout->build,
		.ps_active_process_head = system->kernel.process_list_va,
		.ps_loaded_module_list = system->kernel.module_list_va,
		.kd_debugger_data_block = system->kernel.kdbg_va,
		.processors = 1,
	};
	forge_set_header(system->forge, &header);
	system->facts = scenario->make(system->windows);
	return NULL;
}

void forge_scenario_system_free(struct forge_scenario_system *system)
{
	forge_scenario_facts_free(system->facts);
	forge_windows_free(system->windows);
	forge_free(system->forge);
	*system = (struct forge_scenario_system){ 0 };
}
