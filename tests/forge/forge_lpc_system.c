/* A whole XP/2003 system for an LPC scenario (forge_scenarios.h): x86
 * without or with PAE, or x64, a kernel image with KDBG, the dump header's
 * list heads, pool headers, creator info (so the "Port" type's object
 * list exists, as with GFlags +otl), then the scenario.
 *
 * x86 has no forge_kernel (it is x64 only), so this file lays a small
 * PE32 image itself: Microsoft's PE format specification for the header
 * offsets (PE32: optional-header magic 0x10b, ImageBase at +28, the data
 * directories at +96), Volatility 2's _KDDEBUGGER_DATA64 for the KDBG
 * header (the same 64-bit words on x86: List, OwnerTag and Size, KernBase
 * at +0x18, PsLoadedModuleList +0x48, PsActiveProcessHead +0x50; Size
 * 0x290 for XP as vol2's xp profiles have it, 0x318 for 2003) and
 * _LDR_DATA_TABLE_ENTRY.DllBase at +0x18 on x86 (struct-offsets.md has no
 * row; ReactOS ldrtypes.h: three LIST_ENTRYs, then DllBase).  The 64-bit
 * KDBG words hold the 32-bit addresses sign-extended (dump-formats.md §6,
 * which also gives ObpRootDirectoryObject +0x98 and ObpTypeObjectType
 * +0xa0, filled in here on both architectures). */
#include <string.h>

#include "forge_internal.h"
#include "forge_scenario_builder.h"

#define DEFAULT_MAX_PFN 0x8000ULL /* 128 MiB */
#define DEFAULT_HEAP (4ULL << 20)
#define KERNEL_PA 0x100000ULL
#define HEAP_PA 0x400000ULL
#define KUSER_PA 0x80000ULL
#define X86_TABLE_PFN 0x30ULL /* 0x30000 */
#define X86_KUSER_SHARED_DATA 0xffdf0000ULL
#define X86_TEXT_RVA 0x1000u
#define X86_TEXT_PAGES 2u
#define X86_DATA_PAGES 2u
#define X86_NEW_HEADER 0x100u
#define X86_OPTIONAL_HEADER (X86_NEW_HEADER + 4 + 20)
#define X86_OPTIONAL_HEADER_SIZE 0xe0u /* PE32: 96 bytes + 16 directories */
#define X86_SECTION_TABLE (X86_OPTIONAL_HEADER + X86_OPTIONAL_HEADER_SIZE)
#define X86_RSDS_OFFSET 0x40u
#define X86_MODULE_LIST 0x0u           /* offsets in .data, as forge_kernel's */
#define X86_PROCESS_LIST 0x10u
#define X86_DEBUGGER_DATA_LIST 0x20u
#define X86_FIRST_MODULE 0x100u
#define X86_KDBG 0x400u
#define X86_LDR_DLL_BASE 0x18u
#define KDBG_OBP_ROOT_DIRECTORY_OBJECT 0x98u
#define KDBG_OBP_TYPE_OBJECT_TYPE 0xa0u

const struct forge_lpc_scenario_layout forge_lpc_scenario_layouts[] = {
	{ .column = "XP x86", .pae = false, .label = "XP x86" },
	{ .column = "XP x86", .pae = true, .label = "XP x86 PAE" },
	{ .column = "2003 x86", .pae = true, .label = "2003 x86" },
	{ .column = "2003 x64", .pae = false, .label = "2003 x64" },
};
const size_t forge_lpc_scenario_layout_count = sizeof forge_lpc_scenario_layouts / sizeof *forge_lpc_scenario_layouts;

static const struct forge_lpc_scenario_layout *lpc_layout_labelled(const char *label)
{
	for (size_t i = 0; i < forge_lpc_scenario_layout_count; i++)
		if (strcmp(forge_lpc_scenario_layouts[i].label, label) == 0)
			return &forge_lpc_scenario_layouts[i];
	return NULL;
}

static void put32(struct forge *forge, uint64_t pa, uint32_t value)
{
	uint8_t bytes[4];
	put_le32(bytes, value);
	forge_write(forge, pa, bytes, 4);
}

static void put64(struct forge *forge, uint64_t pa, uint64_t value)
{
	uint8_t bytes[8];
	put_le64(bytes, value);
	forge_write(forge, pa, bytes, 8);
}

static uint64_t sign_extended(uint64_t va)
{
	return va & 0x80000000u ? va | 0xffffffff00000000ULL : va;
}

static void put_x86_headers(struct forge *forge, uint64_t base_va, uint32_t data_rva, uint32_t image_size,
			    const char *pdb_name)
{
	uint8_t page[FORGE_PAGE_SIZE] = { 0 };
	page[0] = 'M';
	page[1] = 'Z';
	put_le32(page + 0x3c, X86_NEW_HEADER);
	memcpy(page + X86_NEW_HEADER, "PE\0\0", 4);
	uint8_t *file = page + X86_NEW_HEADER + 4;
	put_le16(file + 0, 0x14c); /* Machine: I386 */
	put_le16(file + 2, 2);     /* NumberOfSections */
	put_le16(file + 16, X86_OPTIONAL_HEADER_SIZE);
	put_le16(file + 18, 0x102); /* executable, 32-bit machine */
	uint8_t *optional = page + X86_OPTIONAL_HEADER;
	put_le16(optional + 0, 0x10b); /* PE32 */
	put_le32(optional + 28, (uint32_t)base_va);
	put_le32(optional + 32, FORGE_PAGE_SIZE);
	put_le32(optional + 36, 0x200);
	put_le32(optional + 56, image_size);
	put_le32(optional + 60, FORGE_PAGE_SIZE);
	put_le32(optional + 92, 16); /* NumberOfRvaAndSizes */
	put_le32(optional + 96 + 8 * 6, X86_TEXT_RVA); /* the debug directory */
	put_le32(optional + 96 + 8 * 6 + 4, 28);
	uint8_t *sections = page + X86_SECTION_TABLE;
	memcpy(sections, ".text", 5);
	put_le32(sections + 8, X86_TEXT_PAGES * FORGE_PAGE_SIZE);
	put_le32(sections + 12, X86_TEXT_RVA);
	put_le32(sections + 16, X86_TEXT_PAGES * FORGE_PAGE_SIZE);
	put_le32(sections + 20, X86_TEXT_RVA);
	put_le32(sections + 36, 0x60000020);
	memcpy(sections + 40, ".data", 5);
	put_le32(sections + 48, X86_DATA_PAGES * FORGE_PAGE_SIZE);
	put_le32(sections + 52, data_rva);
	put_le32(sections + 56, X86_DATA_PAGES * FORGE_PAGE_SIZE);
	put_le32(sections + 60, data_rva);
	put_le32(sections + 76, 0xc0000040);
	forge_write(forge, KERNEL_PA, page, sizeof page);
	/* One CodeView entry and its RSDS record; the vol2 profiles record no
	 * PDB GUID, so it is zero (the forge's choice) and age 1. */
	uint8_t entry[28] = { 0 }, record[24 + 16] = { 0 };
	size_t name = strlen(pdb_name);
	put_le32(entry + 12, 2);
	put_le32(entry + 16, (uint32_t)(24 + name + 1));
	put_le32(entry + 20, X86_TEXT_RVA + X86_RSDS_OFFSET);
	put_le32(entry + 24, X86_TEXT_RVA + X86_RSDS_OFFSET);
	memcpy(record, "RSDS", 4);
	put_le32(record + 20, 1);
	memcpy(record + 24, pdb_name, name < 15 ? name : 15);
	forge_write(forge, KERNEL_PA + X86_TEXT_RVA, entry, sizeof entry);
	forge_write(forge, KERNEL_PA + X86_TEXT_RVA + X86_RSDS_OFFSET, record, sizeof record);
}

/* The x86 image, its lists and KDBG; returns where they are. */
static struct forge_kernel_layout x86_kernel(struct forge *forge, uint32_t build, bool pae)
{
	struct forge_kernel_layout at = { 0 };
	uint64_t base = FORGE_LPC_SCENARIO_KERNEL_BASE;
	uint32_t data_rva = X86_TEXT_RVA + X86_TEXT_PAGES * FORGE_PAGE_SIZE;
	uint32_t image_size = data_rva + X86_DATA_PAGES * FORGE_PAGE_SIZE;
	if (!forge_map(forge, base, KERNEL_PA, image_size, FORGE_PAGE_SIZE))
		return at;
	/* ntkrnlpa: the PAE kernel's name; ntoskrnl the other's. */
	put_x86_headers(forge, base, data_rva, image_size,
			pae ? "ntkrnlpa.pdb" : "ntoskrnl.pdb");
	at.data_va = base + data_rva;
	at.data_pa = KERNEL_PA + data_rva;
	at.module_list_va = at.data_va + X86_MODULE_LIST;
	at.process_list_va = at.data_va + X86_PROCESS_LIST;
	at.kdbg_va = at.data_va + X86_KDBG;
	uint64_t first_module = at.data_va + X86_FIRST_MODULE;
	put32(forge, at.data_pa + X86_MODULE_LIST, (uint32_t)first_module);
	put32(forge, at.data_pa + X86_MODULE_LIST + 4, (uint32_t)first_module);
	put32(forge, at.data_pa + X86_PROCESS_LIST, (uint32_t)at.process_list_va);
	put32(forge, at.data_pa + X86_PROCESS_LIST + 4, (uint32_t)at.process_list_va);
	put32(forge, at.data_pa + X86_FIRST_MODULE, (uint32_t)at.module_list_va);
	put32(forge, at.data_pa + X86_FIRST_MODULE + 4, (uint32_t)at.module_list_va);
	put32(forge, at.data_pa + X86_FIRST_MODULE + X86_LDR_DLL_BASE, (uint32_t)base);
	uint64_t list = sign_extended(at.data_va + X86_DEBUGGER_DATA_LIST);
	uint32_t size = build < 3790 ? 0x290 : 0x318;
	put64(forge, at.data_pa + X86_KDBG + 0x00, list);
	put64(forge, at.data_pa + X86_KDBG + 0x08, list);
	put64(forge, at.data_pa + X86_KDBG + 0x10, (uint64_t)size << 32 | 0x4742444bu); /* "KDBG" */
	put64(forge, at.data_pa + X86_KDBG + 0x18, sign_extended(base));
	put64(forge, at.data_pa + X86_KDBG + 0x48, sign_extended(at.module_list_va));
	put64(forge, at.data_pa + X86_KDBG + 0x50, sign_extended(at.process_list_va));
	put32(forge, at.data_pa + X86_DEBUGGER_DATA_LIST, (uint32_t)at.kdbg_va);
	put32(forge, at.data_pa + X86_DEBUGGER_DATA_LIST + 4, (uint32_t)at.kdbg_va);
	/* KUSER_SHARED_DATA at 0xffdf0000 (x86): NtMajorVersion +0x26c,
	 * NtMinorVersion +0x270 (the public symbol files under
	 * ../shared/symbols, as src/kernel/os_identity.c cites them);
	 * NtBuildNumber at +0x260 only from 14393 on. */
	if (forge_map(forge, X86_KUSER_SHARED_DATA, KUSER_PA, FORGE_PAGE_SIZE, FORGE_PAGE_SIZE)) {
		put32(forge, KUSER_PA + 0x26c, 5);
		put32(forge, KUSER_PA + 0x270, build < 3790 ? 1 : 2);
	}
	return at;
}

/* A KDBG pointer word: 64 bits, sign-extended on x86 (dump-formats.md §6). */
static void put_kdbg_pointer(struct forge_windows *windows, uint64_t va, uint64_t value)
{
	uint8_t bytes[8];
	put_le64(bytes, forge_windows_layout(windows)->pointer_size == 4 ? sign_extended(value) : value);
	if (value)
		forge_kernel_write(windows, va, bytes, sizeof bytes);
}

struct error *forge_lpc_scenario_system_new(const struct forge_scenario *scenario, const char *label,
					    struct forge_scenario_system *system)
{
	*system = (struct forge_scenario_system){ 0 };
	if (!scenario->needs.lpc)
		return error_new(ERROR_USAGE, "scenario %s is not an LPC scenario", scenario->name);
	if (!label)
		label = scenario->needs.layout;
	if (!label)
		return error_new(ERROR_USAGE, "scenario %s: no layout given", scenario->name);
	const struct forge_lpc_scenario_layout *choice = lpc_layout_labelled(label);
	if (!choice)
		return error_new(ERROR_USAGE,
				 "scenario %s needs an LPC layout (\"XP x86\", \"XP x86 PAE\", \"2003 x86\", "
				 "\"2003 x64\"), not \"%s\"",
				 scenario->name, label);
	if (scenario->needs.layout && strcmp(scenario->needs.layout, choice->column) != 0)
		return error_new(ERROR_USAGE, "scenario %s replays a %s system, not %s", scenario->name,
				 scenario->needs.layout, label);
	const struct forge_layout *layout = forge_layout_named(choice->column);
	if (!layout || layout->alpc)
		return error_new(ERROR_USAGE, "layout %s has no LPC", choice->column);
	uint64_t max_pfn = scenario->needs.max_pfn ? scenario->needs.max_pfn : DEFAULT_MAX_PFN;
	bool x64 = layout->pointer_size == 8;
	system->forge = forge_new(x64 ? FORGE_X64 : choice->pae ? FORGE_X86_PAE : FORGE_X86, max_pfn);
	/* x86 page tables low, where XP/2003 keep theirs and where a raw
	 * image's search looks (Volatility 3 windows.py at 34072a00 scans
	 * 0x30000-0x1000000 for them); below KUSER_PA, which they never reach. */
	if (!x64)
		forge_set_table_area(system->forge, X86_TABLE_PFN);
	if (x64) {
		struct forge_kernel kernel = {
			.base_va = FORGE_SCENARIO_KERNEL_BASE, .base_pa = KERNEL_PA, .text_pages = 4,
			.data_pages = 4, .pdb_name = "ntkrnlmp.pdb", .pdb_age = 1, .kdbg = true,
			.kdbg_offset = 0x400, .kdbg_size = 0x318,
			.kuser_pa = KUSER_PA, .nt_major = 5, .nt_minor = 2,
		};
		system->kernel = forge_kernel(system->forge, &kernel);
	} else {
		system->kernel = x86_kernel(system->forge, layout->build, choice->pae);
	}
	struct forge_windows_options options = {
		.layout = layout,
		.heap_pa = HEAP_PA,
		.heap_size = scenario->needs.heap_size ? scenario->needs.heap_size : DEFAULT_HEAP,
		.pool_headers = true,
		.creator_info = true,
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
	const struct forge_windows_facts *globals = forge_windows_facts(system->windows);
	put_kdbg_pointer(system->windows, system->kernel.kdbg_va + KDBG_OBP_ROOT_DIRECTORY_OBJECT,
			 globals->obp_root_directory_object);
	put_kdbg_pointer(system->windows, system->kernel.kdbg_va + KDBG_OBP_TYPE_OBJECT_TYPE,
			 globals->type_pointer[FORGE_TYPE_TYPE]);
	system->facts = scenario->make(system->windows);
	/* Windows keeps its x86 page tables self-mapped: a raw image is found
	 * by them (forge_self_map). */
	if (!x64)
		forge_self_map(system->forge);
	/* The facts name the layout by its label: PAE is part of it. */
	system->facts->layout = choice->label;
	return NULL;
}
