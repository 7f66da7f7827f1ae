/* `alpcgraph info`: a dump's identity read from every format the forge
 * writes (src/ipc/dump_snapshot.c over src/source and src/kernel), checked
 * field by field in the snapshot, in the text summary (exactly, line by
 * line) and in the JSON, which must also conform to docs/json.md. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "harness.h"
#include "json_schema.h"
#include "../forge/forge.h"
#include "../../src/ipc/ipc.h"
#include "../../reports/reports.h"

/* ---- the scenario -------------------------------------------------------- */

/* Small and fully known: two runs of pattern pages, KUSER_SHARED_DATA
 * (Windows 10, NtBuildNumber 19045) mapped onto the second run, and the
 * four x64 table pages (or three PAE, two x86) the mapping needs from PFN
 * 0x200 on.  Page counts below follow from that. */
enum { FIRST_RUN = 0x10, FIRST_RUN_PAGES = 0x20, SECOND_RUN = 0x100, SECOND_RUN_PAGES = 8 };
#define KUSER_X64 0xfffff78000000000ULL
#define KUSER_X86 0xffdf0000ULL
#define KUSER_PAGE (SECOND_RUN * 0x1000ULL)

/* 2024-03-01 12:00:00 UTC as a FILETIME (100 ns since 1601, 11644473600 s
 * before 1970), and 1 day 02:03:04 of uptime. */
#define SYSTEM_TIME 133537680000000000ULL
#define UPTIME (93784ULL * 10000000ULL)

/* The list heads and the last bugcheck parameter are kernel addresses,
 * 32-bit in an x86 header. */
#define PROCESS_HEAD_X64 0xfffff8015f21e0c0ULL
#define MODULE_LIST_X64 0xfffff8015f22a2d0ULL
#define PARAMETER_X64 0xffffc00112345678ULL
#define PROCESS_HEAD_X86 0x8055a1d8ULL
#define MODULE_LIST_X86 0x8055c0f0ULL
#define PARAMETER_X86 0x81234567ULL

static struct forge_header header_for(enum forge_arch arch)
{
	bool x64 = arch == FORGE_X64;
	return (struct forge_header){
		.build = 19041,
		.ps_active_process_head = x64 ? PROCESS_HEAD_X64 : PROCESS_HEAD_X86,
		.ps_loaded_module_list = x64 ? MODULE_LIST_X64 : MODULE_LIST_X86,
		.bugcheck_code = 0xe2,
		.bugcheck_parameters = { 1, 2, 3, x64 ? PARAMETER_X64 : PARAMETER_X86 },
		.system_time = SYSTEM_TIME,
		.system_uptime = UPTIME,
		.processors = 4,
	};
}

static struct forge *scenario(enum forge_arch arch)
{
	struct forge *forge = forge_new(arch, 0x400);
	forge_add_pages(forge, FIRST_RUN, FIRST_RUN_PAGES);
	forge_add_pages(forge, SECOND_RUN, SECOND_RUN_PAGES);
	forge_set_table_area(forge, 0x200);
	CU_ASSERT_TRUE(forge_map(forge, arch == FORGE_X64 ? KUSER_X64 : KUSER_X86, KUSER_PAGE,
				 0x1000, 0x1000));
	uint32_t major = 10, minor = 0, build = 0xf0004a65; /* "free" nibble, 19045 */
	forge_write(forge, KUSER_PAGE + 0x26c, &major, 4);
	forge_write(forge, KUSER_PAGE + 0x270, &minor, 4);
	forge_write(forge, KUSER_PAGE + 0x260, &build, 4);
	struct forge_header header = header_for(arch);
	forge_set_header(forge, &header);
	return forge;
}

static unsigned table_pages(enum forge_arch arch)
{
	return arch == FORGE_X64 ? 4 : arch == FORGE_X86_PAE ? 3 : 2;
}

static char *written_dump(const struct forge *forge, enum forge_format format, const char *name)
{
	char *path = NULL;
	CU_ASSERT_TRUE_FATAL(asprintf(&path, "%s/%s", test_temp_dir(), name) > 0);
	struct error *error = forge_write_dump(forge, format, path);
	if (error)
		fprintf(stderr, "\n  forge: %s\n", error->message);
	CU_ASSERT_PTR_NULL_FATAL(error);
	return path;
}

/* One snapshot, read as `info` reads it. */
static struct snapshot *identity_of(const char *path, enum dump_open_format how)
{
	struct ptr_vec snapshots = { 0 };
	ipc_read_dump(path, &(struct dump_read_options){ .format = how, .reading = READ_IDENTITY },
		      &snapshots);
	CU_ASSERT_EQUAL_FATAL(snapshots.count, 1);
	struct snapshot *snapshot = snapshots.items[0];
	ptr_vec_release(&snapshots);
	return snapshot;
}

static char *info_text(const struct snapshot *snapshot)
{
	char *text = NULL;
	size_t length = 0;
	FILE *out = open_memstream(&text, &length);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	struct error *error = render_info_text(out, snapshot);
	CU_ASSERT_PTR_NULL(error);
	error_free(error);
	fclose(out);
	return text;
}

static bool has_diagnostic(const struct snapshot *snapshot, enum diagnostic_level level,
			   const char *words)
{
	for (size_t i = 0; i < snapshot->diagnostics.count; i++) {
		const struct diagnostic *d = snapshot->diagnostics.items[i];
		if (d->level == level && strstr(d->text, words))
			return true;
	}
	return false;
}

/* ---- the fields, format by format --------------------------------------- */

/* What every Windows crash dump of the scenario says, whatever its layout. */
static void check_windows_header(const struct snapshot *s, const struct forge *forge,
				 enum forge_arch arch, const char *dump_type, uint64_t present,
				 uint64_t ranges)
{
	const struct system_info *system = &s->system;
	const struct forge_header header = header_for(arch);
	/* No structure profile reads an image without processes: partial. */
	CU_ASSERT_EQUAL(s->status, STATUS_PARTIAL);
	CU_ASSERT_PTR_NULL(system->profile);
	CU_ASSERT_TRUE(has_diagnostic(s, DIAGNOSTIC_WARNING, "no structure profile for this image: "));
	CU_ASSERT_STRING_EQUAL_OR_NULL(s->format, "Windows crash dump");
	CU_ASSERT_STRING_EQUAL_OR_NULL(system->dump_type, dump_type);
	CU_ASSERT_TRUE(system->kernel_mode);
	CU_ASSERT_KNOWN_EQUAL(system->processors, 4);
	CU_ASSERT_KNOWN_EQUAL(system->present_pages, present);
	CU_ASSERT_KNOWN_EQUAL(system->page_ranges, ranges);
	CU_ASSERT_KNOWN_EQUAL(system->dtb, forge_dtb(forge));
	CU_ASSERT_STRING_EQUAL_OR_NULL(system->dtb_source, "the crash dump header");
	/* The header's MinorVersion wins over KUSER's NtBuildNumber. */
	CU_ASSERT_STRING_EQUAL_OR_NULL(system->build, "19041");
	CU_ASSERT_STRING_EQUAL_OR_NULL(system->build_source, "the crash dump header (MinorVersion)");
	CU_ASSERT_KNOWN_EQUAL(system->ps_active_process_head, header.ps_active_process_head);
	CU_ASSERT_KNOWN_EQUAL(system->ps_loaded_module_list, header.ps_loaded_module_list);
	CU_ASSERT_STRING_EQUAL_OR_NULL(system->list_heads_source, "the crash dump header");
	/* The header has the field; 0 is what it holds, not "unknown". */
	CU_ASSERT_KNOWN_EQUAL(system->kd_debugger_data_block, 0);
	CU_ASSERT_PTR_NULL(system->kdbg_state);
	CU_ASSERT_KNOWN_EQUAL(system->bugcheck_code, 0xe2);
	CU_ASSERT_KNOWN_EQUAL(system->bugcheck_parameters[0], 1);
	CU_ASSERT_KNOWN_EQUAL(system->bugcheck_parameters[3], header.bugcheck_parameters[3]);
	CU_ASSERT_KNOWN_EQUAL(system->system_time, SYSTEM_TIME);
	CU_ASSERT_KNOWN_EQUAL(system->system_uptime, UPTIME);
	CU_ASSERT_FALSE(system->kernel_base.known);
	CU_ASSERT_PTR_NULL(system->pdb_guid);
	CU_ASSERT_TRUE(has_diagnostic(s, DIAGNOSTIC_NOTE, "the kernel image was not found"));
}

static void every_x64_windows_layout(void)
{
	static const struct {
		enum forge_format format;
		const char *dump_type;
	} layouts[] = {
		{ FORGE_WINDOWS_FULL, "FULL" },
		{ FORGE_WINDOWS_BITMAP_KERNEL, "BITMAP_KERNEL" },
		{ FORGE_WINDOWS_BITMAP_FULL, "BITMAP_FULL" },
		{ FORGE_WINDOWS_RDMP_KERNEL, "KERNEL_MEMORY" },
		{ FORGE_WINDOWS_RDMP_COMPLETE, "COMPLETE_MEMORY" },
	};
	struct forge *forge = scenario(FORGE_X64);
	for (size_t i = 0; i < sizeof layouts / sizeof *layouts; i++) {
		char name[32];
		snprintf(name, sizeof name, "x64-%zu.dmp", i);
		char *path = written_dump(forge, layouts[i].format, name);
		struct snapshot *s = identity_of(path, DUMP_DETECT);
		check_windows_header(s, forge, FORGE_X64, layouts[i].dump_type,
				     FIRST_RUN_PAGES + SECOND_RUN_PAGES + table_pages(FORGE_X64), 3);
		CU_ASSERT_STRING_EQUAL_OR_NULL(s->system.arch, "x64");
		CU_ASSERT_STRING_EQUAL_OR_NULL(s->system.paging, "x64 4-level");
		CU_ASSERT_STRING_EQUAL_OR_NULL(s->system.profile_reason,
					       "none of build 19041's built-in profiles reads it "
					       "(scores 19041.329 -1, 19041.3570 -1)");
		CU_ASSERT_EQUAL(s->diagnostics.count, 2);
		snapshot_free(s);
		free(path);
	}
	forge_free(forge);
}

static void x86_full_dumps_with_and_without_pae(void)
{
	static const struct {
		enum forge_arch arch;
		const char *paging;
	} arches[] = { { FORGE_X86_PAE, "x86 PAE" }, { FORGE_X86, "x86" } };
	for (size_t i = 0; i < 2; i++) {
		struct forge *forge = scenario(arches[i].arch);
		char *path = written_dump(forge, FORGE_WINDOWS_FULL, i ? "x86.dmp" : "pae.dmp");
		struct snapshot *s = identity_of(path, DUMP_DETECT);
		check_windows_header(s, forge, arches[i].arch, "FULL",
				     FIRST_RUN_PAGES + SECOND_RUN_PAGES + table_pages(arches[i].arch), 3);
		CU_ASSERT_STRING_EQUAL_OR_NULL(s->system.arch, "x86");
		CU_ASSERT_STRING_EQUAL_OR_NULL(s->system.paging, arches[i].paging);
		char reason[80];
		snprintf(reason, sizeof reason, "build 19041's built-in profiles are not for %s paging",
			 arches[i].paging);
		CU_ASSERT_STRING_EQUAL_OR_NULL(s->system.profile_reason, reason);
		snapshot_free(s);
		forge_free(forge);
		free(path);
	}
}

/* A QEMU ELF core has no header: the DTB is CPU 0's CR3, accepted
 * because KUSER_SHARED_DATA translates through it, and the build comes
 * from KUSER. */
static void qemu_elf_core(void)
{
	struct forge *forge = scenario(FORGE_X64);
	char *path = written_dump(forge, FORGE_ELF_QEMU, "guest.elf");
	struct snapshot *s = identity_of(path, DUMP_DETECT);
	const struct system_info *system = &s->system;
	CU_ASSERT_EQUAL(s->status, STATUS_PARTIAL); /* no profile fits */
	CU_ASSERT_STRING_EQUAL_OR_NULL(s->format, "ELF core");
	CU_ASSERT_PTR_NULL(system->profile);
	CU_ASSERT_STRING_EQUAL_OR_NULL(system->profile_reason,
				       "none of build 19045's built-in profiles reads it "
				       "(scores 19041.329 -1, 19041.3570 -1)");
	CU_ASSERT_PTR_NULL(system->dump_type);
	CU_ASSERT_STRING_EQUAL_OR_NULL(system->arch, "x64");
	CU_ASSERT_KNOWN_EQUAL(system->processors, 4);
	CU_ASSERT_KNOWN_EQUAL(system->present_pages,
			      FIRST_RUN_PAGES + SECOND_RUN_PAGES + table_pages(FORGE_X64));
	CU_ASSERT_KNOWN_EQUAL(system->dtb, forge_dtb(forge));
	CU_ASSERT_STRING_EQUAL_OR_NULL(system->dtb_source,
				       "a CPU's CR3 (KUSER_SHARED_DATA translates)");
	CU_ASSERT_STRING_EQUAL_OR_NULL(system->build, "19045");
	CU_ASSERT_STRING_EQUAL_OR_NULL(system->build_source, "KUSER_SHARED_DATA.NtBuildNumber");
	CU_ASSERT_FALSE(system->ps_active_process_head.known);
	CU_ASSERT_PTR_NULL(system->list_heads_source);
	CU_ASSERT_FALSE(system->bugcheck_code.known);
	CU_ASSERT_FALSE(system->system_time.known);
	snapshot_free(s);
	forge_free(forge);
	free(path);
}

static void raw_image_read_when_asked_for(void)
{
	struct forge *forge = scenario(FORGE_X64);
	char *path = written_dump(forge, FORGE_RAW, "memory.raw");
	struct snapshot *s = identity_of(path, DUMP_FORCE_RAW);
	/* No build, no PDB: no profile, and not a warning (nothing says Windows). */
	CU_ASSERT_EQUAL(s->status, STATUS_OK);
	CU_ASSERT_PTR_NULL(s->system.profile);
	CU_ASSERT_STRING_EQUAL_OR_NULL(s->system.profile_reason,
				       "neither the build nor the kernel's PDB is known");
	CU_ASSERT_STRING_EQUAL_OR_NULL(s->format, "raw");
	/* Every page from 0 to max_pfn, holes as zeros: one range. */
	CU_ASSERT_KNOWN_EQUAL(s->system.present_pages, 0x400);
	CU_ASSERT_KNOWN_EQUAL(s->system.page_ranges, 1);
	snapshot_free(s);
	/* Without --input-format raw it is not a dump alpcgraph recognises. */
	s = identity_of(path, DUMP_DETECT);
	CU_ASSERT_EQUAL(s->status, STATUS_ERROR);
	CU_ASSERT_TRUE(has_diagnostic(s, DIAGNOSTIC_ERROR, "not a memory dump alpcgraph reads"));
	snapshot_free(s);
	forge_free(forge);
	free(path);
}

static void triage_dump_refused_with_the_reason(void)
{
	struct forge *forge = scenario(FORGE_X64);
	char *path = written_dump(forge, FORGE_WINDOWS_TRIAGE, "mini.dmp");
	struct snapshot *s = identity_of(path, DUMP_DETECT);
	CU_ASSERT_EQUAL(s->status, STATUS_ERROR);
	CU_ASSERT_PTR_NULL(s->format);
	CU_ASSERT_TRUE(has_diagnostic(s, DIAGNOSTIC_ERROR, "offset 0xf98: DumpType 4 (triage"));
	CU_ASSERT_TRUE(has_diagnostic(s, DIAGNOSTIC_ERROR, "not the system's IPC state"));
	char *text = info_text(s);
	char *expected = NULL;
	CU_ASSERT_TRUE_FATAL(asprintf(&expected,
				      "Dump:                %s\n"
				      "Format:              ?\n"
				      "Status:              error\n"
				      "Error:               %s: offset 0xf98: DumpType 4 "
				      "(triage/kernel minidump) holds one thread and a few pages, not "
				      "the system's IPC state; take a kernel or complete dump\n",
				      path, path) > 0);
	CU_ASSERT_STRING_EQUAL(text, expected);
	free(expected);
	free(text);
	snapshot_free(s);
	forge_free(forge);
	free(path);
}

/* Reading for the hang (report, scan) must say what of a dump's IPC state
 * is not read (RPC cells, in a note), and a dump whose kernel no profile
 * fits (this one has no processes for the probe) is partial, not a
 * machine with nothing waiting. */
static void reading_for_ipc_state_is_partial(void)
{
	struct forge *forge = scenario(FORGE_X64);
	char *path = written_dump(forge, FORGE_WINDOWS_FULL, "hang.dmp");
	struct ptr_vec snapshots = { 0 };
	ipc_read_dump(path,
		      &(struct dump_read_options){ .format = DUMP_DETECT, .reading = READ_IPC_STATE },
		      &snapshots);
	CU_ASSERT_EQUAL_FATAL(snapshots.count, 1);
	struct snapshot *s = snapshots.items[0];
	CU_ASSERT_EQUAL(s->status, STATUS_PARTIAL);
	CU_ASSERT_TRUE(has_diagnostic(s, DIAGNOSTIC_NOTE, "RPC run-time state cells are not read from dumps yet"));
	CU_ASSERT_FALSE(has_diagnostic(s, DIAGNOSTIC_WARNING, "RPC run-time state cells"));
	CU_ASSERT_TRUE(has_diagnostic(s, DIAGNOSTIC_WARNING, "no structure profile: "));
	snapshot_free(s);
	ptr_vec_release(&snapshots);
	forge_free(forge);
	free(path);
}

/* A dump cut short: read as far as it goes, partial, and the warning says
 * where the file ends and how many pages lie past it.  The full dump keeps
 * the first run (PFNs 0x10-0x2f) from 0x2000, the second (0x100-0x107)
 * from 0x22000, then the four table pages: cut at 0x24064, 34 of the 44
 * pages are whole in the file. */
static void truncated_dump_is_partial(void)
{
	struct forge *forge = scenario(FORGE_X64);
	char *path = written_dump(forge, FORGE_WINDOWS_FULL, "cut.dmp");
	struct error *error = forge_damage(path, FORGE_TRUNCATE, 0x24064);
	CU_ASSERT_PTR_NULL_FATAL(error);
	struct snapshot *s = identity_of(path, DUMP_DETECT);
	CU_ASSERT_EQUAL(s->status, STATUS_PARTIAL);
	CU_ASSERT_KNOWN_EQUAL(s->system.present_pages, 34);
	char *expected = NULL;
	CU_ASSERT_TRUE_FATAL(asprintf(&expected, "%s: offset 0x24064: the file ends here, before 10 of "
				      "the dump's 44 pages, which are absent", path) > 0);
	CU_ASSERT_TRUE(has_diagnostic(s, DIAGNOSTIC_WARNING, expected));
	free(expected);
	snapshot_free(s);
	/* The whole file: no such warning (partial still: no profile fits). */
	free(written_dump(forge, FORGE_WINDOWS_FULL, "cut.dmp"));
	s = identity_of(path, DUMP_DETECT);
	CU_ASSERT_EQUAL(s->status, STATUS_PARTIAL);
	CU_ASSERT_PTR_NULL(s->system.profile);
	CU_ASSERT_FALSE(has_diagnostic(s, DIAGNOSTIC_WARNING, "the file ends here"));
	snapshot_free(s);
	forge_free(forge);
	free(path);
}

/* ---- the text summary ----------------------------------------------------- */

static void text_summary_line_by_line(void)
{
	struct forge *forge = scenario(FORGE_X64);
	char *path = written_dump(forge, FORGE_WINDOWS_BITMAP_KERNEL, "summary.dmp");
	struct snapshot *s = identity_of(path, DUMP_DETECT);
	char *text = info_text(s);
	char *expected = NULL;
	CU_ASSERT_TRUE_FATAL(
		asprintf(&expected,
			 "Dump:                %s\n"
			 "Format:              Windows crash dump, BITMAP_KERNEL\n"
			 "Status:              partial\n"
			 "Machine:             x64, 4 processors, paging x64 4-level\n"
			 "Build:               19041  from the crash dump header (MinorVersion)\n"
			 "Kernel PDB:          ?\n"
			 "Profile:             none  (none of build 19041's built-in profiles reads it "
			 "(scores 19041.329 -1, 19041.3570 -1))\n"
			 "Physical memory:     44 pages present (176 KiB) in 3 ranges\n"
			 "DTB:                 0x%" PRIx64 "  from the crash dump header\n"
			 "Kernel base:         ?\n"
			 "PsActiveProcessHead: 0xfffff8015f21e0c0  from the crash dump header\n"
			 "PsLoadedModuleList:  0xfffff8015f22a2d0  from the crash dump header\n"
			 "KdDebuggerDataBlock: 0x0\n"
			 "Bugcheck:            0xe2 (0x1, 0x2, 0x3, 0xffffc00112345678)\n"
			 "Time:                2024-03-01 12:00:00 UTC, up 1 day 02:03:04\n"
			 "Note:                %s: the kernel image was not found, so neither was "
			 "its PDB GUID\n"
			 "Warning:             %s: no structure profile for this image: none of build "
			 "19041's built-in profiles reads it (scores 19041.329 -1, 19041.3570 -1) (the "
			 "kernel's PDB GUID is unknown); give --profile FILE, a Volatility 3 ISF file for "
			 "the kernel's PDB GUID and age (Volatility 3's pdbconv.py makes one from "
			 "ntkrnlmp.pdb, JPCERTCC/Windows-Symbol-Tables publishes many)\n",
			 path, forge_dtb(forge), path, path) > 0);
	CU_ASSERT_STRING_EQUAL(text, expected);
	if (strcmp(text, expected) != 0)
		fprintf(stderr, "\n--- got:\n%s--- expected:\n%s", text, expected);
	free(expected);
	free(text);
	snapshot_free(s);
	forge_free(forge);
	free(path);
}

/* A QEMU guest with a whole Windows kernel (forge_kernel): every line of
 * the summary filled from the image itself, the KDBG block encoded as
 * Windows 8+ x64 keeps it, found by the scan of .data and decoded without
 * symbols. */
static void whole_identity_from_a_guest(void)
{
	struct forge *forge = forge_new(FORGE_X64, 0x1000);
	forge_set_table_area(forge, 0x600);
	struct forge_kernel kernel = {
		.base_va = 0xfffff80412200000ULL, .base_pa = 0x200000, .text_pages = 4, .data_pages = 4,
		.pdb_name = "ntkrnlmp.pdb", .pdb_age = 2,
		/* 606FF669-409B-00F7-FC8C-61A9C1670129, Data1..3 little-endian */
		.pdb_guid = { 0x69, 0xf6, 0x6f, 0x60, 0x9b, 0x40, 0xf7, 0x00,
			      0xfc, 0x8c, 0x61, 0xa9, 0xc1, 0x67, 0x01, 0x29 },
		.kdbg = true, .kdbg_offset = 0x800, .kdbg_size = 0x380,
		.encoded = true, .wait_never = 0x5c3a9e17d2b46f85ULL,
		.wait_always = 0x9e0d4b2a61f7c358ULL, .encoded_flag_address = 0xfffff80412d0b3c8ULL,
		.kuser_pa = 0x180000, .nt_major = 10, .nt_build_number = 0xf0004a65,
		.idt_va = 0xfffff80411000000ULL, .idt_pa = 0x190000, .handler_rva = 0x3345,
	};
	struct forge_kernel_layout layout = forge_kernel(forge, &kernel);
	struct forge_header header = { .processors = 2 };
	forge_set_header(forge, &header);
	for (unsigned cpu = 0; cpu < 2; cpu++)
		forge_set_cpu(forge, cpu, &(struct forge_cpu){ .cr3 = forge_dtb(forge),
							       .gs_base = 0xfffff80410a00000ULL,
							       .idt_base = kernel.idt_va });
	char *path = written_dump(forge, FORGE_ELF_QEMU, "windows-guest.elf");
	struct snapshot *s = identity_of(path, DUMP_DETECT);
	char *text = info_text(s);
	char *expected = NULL;
	CU_ASSERT_TRUE_FATAL(
		asprintf(&expected,
			 "Dump:                %s\n"
			 "Format:              ELF core\n"
			 "Status:              ok\n"
			 "Machine:             x64, 2 processors, paging x64 4-level\n"
			 "Build:               19045  from KUSER_SHARED_DATA.NtBuildNumber\n"
			 "Kernel PDB:          ntkrnlmp.pdb 606FF669409B00F7FC8C61A9C1670129 age 2\n"
			 /* age 2 is no built-in PDB; the probe finds no process in either layout */
			 "Profile:             19041.3570  (built-in profile 19041.3570: build 19045's "
			 "profiles score a tie (19041.329 0, 19041.3570 0), the later layout is taken)\n"
			 "Physical memory:     %" PRIu64 " pages present (%" PRIu64 " KiB) in %" PRIu64
			 " ranges\n"
			 "DTB:                 0x%" PRIx64 "  from a CPU's CR3 (KUSER_SHARED_DATA translates)\n"
			 "Kernel base:         0xfffff80412200000  from a scan down from the IDT's first handler\n"
			 "PsActiveProcessHead: 0x%" PRIx64 "  from KDBG\n"
			 "PsLoadedModuleList:  0x%" PRIx64 "  from KDBG\n"
			 "KdDebuggerDataBlock: 0x%" PRIx64 " (encoded, decoded)  from a scan of the "
			 "kernel's .data section\n"
			 "Bugcheck:            ?\n"
			 "Time:                ?\n",
			 path, s->system.present_pages.value, s->system.present_pages.value * 4,
			 s->system.page_ranges.value, forge_dtb(forge), layout.process_list_va,
			 layout.module_list_va, layout.kdbg_va) > 0);
	CU_ASSERT_STRING_EQUAL(text, expected);
	if (strcmp(text, expected) != 0)
		fprintf(stderr, "\n--- got:\n%s--- expected:\n%s", text, expected);
	CU_ASSERT_EQUAL(s->status, STATUS_OK);
	CU_ASSERT_STRING_EQUAL_OR_NULL(s->system.kdbg_state, "decoded");
	free(expected);
	free(text);
	snapshot_free(s);
	forge_free(forge);
	free(path);
}

/* What a snapshot shows as `?` really is unknown: a raw image of zeros
 * knows nothing but its size. */
static void unknowns_are_question_marks(void)
{
	struct snapshot *s = snapshot_new("blank.raw", "raw");
	s->system.kernel_mode = true;
	s->system.present_pages = known_u64(262144 + 26214);
	s->system.page_ranges = known_u64(1);
	s->system.system_uptime = known_u64(2ULL * 86400 * 10000000);
	snapshot_finish(s);
	char *text = info_text(s);
	CU_ASSERT_STRING_EQUAL(text, "Dump:                blank.raw\n"
				     "Format:              raw\n"
				     "Status:              ok\n"
				     "Machine:             ?, paging ?\n"
				     "Build:               ?\n"
				     "Kernel PDB:          ?\n"
				     "Profile:             none\n"
				     "Physical memory:     288358 pages present (1.0 GiB) in 1 range\n"
				     "DTB:                 ?\n"
				     "Kernel base:         ?\n"
				     "PsActiveProcessHead: ?\n"
				     "PsLoadedModuleList:  ?\n"
				     "KdDebuggerDataBlock: ?\n"
				     "Bugcheck:            ?\n"
				     "Time:                ?, up 2 days 00:00:00\n");
	free(text);
	snapshot_free(s);
}

static void kernel_identity_lines(void)
{
	struct snapshot *s = snapshot_new("guest.elf", "ELF core");
	struct system_info *system = &s->system;
	system->arch = "x64";
	system->paging = "x64 4-level";
	system->processors = known_u64(1);
	system->build = "22621";
	system->build_source = "KUSER_SHARED_DATA.NtBuildNumber";
	system->pdb_name = "ntkrnlmp.pdb";
	system->pdb_guid = "0CE4A95C0CD782A7596B034D8648E585";
	system->pdb_age = known_u64(1);
	system->profile = "22000";
	system->profile_reason = "ntkrnlmp.pdb 0CE4A95C0CD782A7596B034D8648E585-1 is the built-in profile 22000";
	system->kernel_base = known_u64(0xfffff80612200000ULL);
	system->kernel_base_source = "a scan down from the IDT's first handler";
	system->kd_debugger_data_block = known_u64(0xfffff80612e02190ULL);
	system->kdbg_state = "decoded";
	system->kdbg_source = "a scan of the kernel's .data section";
	snapshot_finish(s);
	char *text = info_text(s);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "Machine:             x64, 1 processor, paging x64 4-level\n"));
	CU_ASSERT_PTR_NOT_NULL(
		strstr(text, "Kernel PDB:          ntkrnlmp.pdb 0CE4A95C0CD782A7596B034D8648E585 age 1\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\nProfile:             22000  (ntkrnlmp.pdb "
					    "0CE4A95C0CD782A7596B034D8648E585-1 is the built-in profile 22000)\n"
					    "Physical memory:"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "Kernel base:         0xfffff80612200000  from a scan down "
					    "from the IDT's first handler\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "KdDebuggerDataBlock: 0xfffff80612e02190 (encoded, decoded)  from a "
					    "scan of the kernel's .data section\n"));
	free(text);
	system->kdbg_state = "encoded";
	system->kdbg_source = NULL;
	text = info_text(s);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "KdDebuggerDataBlock: 0xfffff80612e02190 (encoded, not decoded)\n"));
	free(text);
	system->kdbg_state = "plain";
	text = info_text(s);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "KdDebuggerDataBlock: 0xfffff80612e02190 (plain)\n"));
	free(text);
	snapshot_free(s);
}

/* ---- JSON ------------------------------------------------------------------ */

static const char *string_at(struct json_object *object, const char *key)
{
	struct json_object *value = NULL;
	if (!json_object_object_get_ex(object, key, &value) || !json_object_is_type(value, json_type_string))
		return NULL;
	return json_object_get_string(value);
}

static bool is_null_at(struct json_object *object, const char *key)
{
	struct json_object *value = NULL;
	return json_object_object_get_ex(object, key, &value) && value == NULL;
}

static int64_t int_at(struct json_object *object, const char *key)
{
	struct json_object *value = NULL;
	if (!json_object_object_get_ex(object, key, &value) || !json_object_is_type(value, json_type_int))
		return -1;
	return json_object_get_int64(value);
}

static void json_conforms_and_carries_the_fields(void)
{
	struct forge *forge = scenario(FORGE_X64);
	char *dump = written_dump(forge, FORGE_WINDOWS_RDMP_KERNEL, "json.dmp");
	char *elf = written_dump(forge, FORGE_ELF_QEMU, "json.elf");
	struct snapshot *snapshots[3] = { identity_of(dump, DUMP_DETECT), identity_of(elf, DUMP_DETECT),
					  identity_of("/nonexistent/dump.dmp", DUMP_DETECT) };
	struct analysis *analyses[3];
	for (int i = 0; i < 3; i++)
		analyses[i] = analyze(snapshots[i]);
	char *text = NULL;
	size_t length = 0;
	FILE *out = open_memstream(&text, &length);
	CU_ASSERT_PTR_NULL(render_json(out, analyses, 3));
	fclose(out);
	struct json_object *document = json_tokener_parse(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(document);

	char *failure = NULL;
	struct json_object *schema = json_schema_published(&failure);
	CU_ASSERT_PTR_NOT_NULL_FATAL(schema);
	char *violation = json_schema_validate(schema, document, JSON_SCHEMA_KEY_ORDER);
	if (violation)
		fprintf(stderr, "\n  schema: %s\n", violation);
	CU_ASSERT_PTR_NULL(violation);
	free(violation);

	struct json_object *inputs = NULL, *input, *system = NULL, *parameters = NULL;
	CU_ASSERT_TRUE_FATAL(json_object_object_get_ex(document, "inputs", &inputs));
	CU_ASSERT_EQUAL_FATAL(json_object_array_length(inputs), 3);
	input = json_object_array_get_idx(inputs, 0);
	CU_ASSERT_STRING_EQUAL_OR_NULL(string_at(input, "format"), "Windows crash dump");
	CU_ASSERT_STRING_EQUAL_OR_NULL(string_at(input, "status"), "partial"); /* no profile fits */
	CU_ASSERT_TRUE_FATAL(json_object_object_get_ex(input, "system", &system));
	CU_ASSERT_TRUE(is_null_at(system, "profile"));
	CU_ASSERT_STRING_EQUAL_OR_NULL(string_at(system, "profile_reason"),
				       "none of build 19041's built-in profiles reads it "
				       "(scores 19041.329 -1, 19041.3570 -1)");
	CU_ASSERT_STRING_EQUAL_OR_NULL(string_at(system, "dump_type"), "KERNEL_MEMORY");
	CU_ASSERT_STRING_EQUAL_OR_NULL(string_at(system, "paging"), "x64 4-level");
	CU_ASSERT_STRING_EQUAL_OR_NULL(string_at(system, "build"), "19041");
	CU_ASSERT_EQUAL(int_at(system, "processors"), 4);
	CU_ASSERT_EQUAL(int_at(system, "present_pages"), 44);
	CU_ASSERT_EQUAL(int_at(system, "page_ranges"), 3);
	char dtb[24];
	snprintf(dtb, sizeof dtb, "0x%" PRIx64, forge_dtb(forge));
	CU_ASSERT_STRING_EQUAL_OR_NULL(string_at(system, "dtb"), dtb);
	CU_ASSERT_STRING_EQUAL_OR_NULL(string_at(system, "ps_active_process_head"), "0xfffff8015f21e0c0");
	CU_ASSERT_STRING_EQUAL_OR_NULL(string_at(system, "list_heads_source"), "the crash dump header");
	CU_ASSERT_TRUE(is_null_at(system, "kernel_base"));
	CU_ASSERT_TRUE(is_null_at(system, "kdbg_state"));
	CU_ASSERT_EQUAL(int_at(system, "bugcheck_code"), 0xe2);
	CU_ASSERT_TRUE_FATAL(json_object_object_get_ex(system, "bugcheck_parameters", &parameters));
	CU_ASSERT_STRING_EQUAL_OR_NULL(json_object_get_string(json_object_array_get_idx(parameters, 3)),
				       "0xffffc00112345678");
	CU_ASSERT_STRING_EQUAL_OR_NULL(string_at(system, "system_time"), "2024-03-01T12:00:00Z");
	CU_ASSERT_EQUAL(int_at(system, "uptime_ms"), 93784000);

	input = json_object_array_get_idx(inputs, 1);
	CU_ASSERT_STRING_EQUAL_OR_NULL(string_at(input, "format"), "ELF core");
	CU_ASSERT_TRUE_FATAL(json_object_object_get_ex(input, "system", &system));
	CU_ASSERT_TRUE(is_null_at(system, "dump_type"));
	CU_ASSERT_STRING_EQUAL_OR_NULL(string_at(system, "build_source"), "KUSER_SHARED_DATA.NtBuildNumber");
	CU_ASSERT_TRUE(is_null_at(system, "bugcheck_code"));
	CU_ASSERT_TRUE(is_null_at(system, "system_time"));

	input = json_object_array_get_idx(inputs, 2);
	CU_ASSERT_STRING_EQUAL_OR_NULL(string_at(input, "status"), "error");

	json_object_put(schema);
	json_object_put(document);
	free(text);
	for (int i = 0; i < 3; i++) {
		analysis_free(analyses[i]);
		snapshot_free(snapshots[i]);
	}
	forge_free(forge);
	free(dump);
	free(elf);
}

int main(void)
{
	static const struct test_case reading[] = {
		{ "every x64 Windows layout", every_x64_windows_layout },
		{ "x86 full dumps with and without PAE", x86_full_dumps_with_and_without_pae },
		{ "QEMU ELF core", qemu_elf_core },
		{ "raw image read when asked for", raw_image_read_when_asked_for },
		{ "triage dump refused with the reason", triage_dump_refused_with_the_reason },
		{ "reading for IPC state is partial", reading_for_ipc_state_is_partial },
		{ "truncated dump is partial", truncated_dump_is_partial },
		{ NULL, NULL },
	};
	static const struct test_case text[] = {
		{ "summary line by line", text_summary_line_by_line },
		{ "whole identity from a guest", whole_identity_from_a_guest },
		{ "unknowns are question marks", unknowns_are_question_marks },
		{ "kernel identity lines", kernel_identity_lines },
		{ NULL, NULL },
	};
	static const struct test_case json[] = {
		{ "conforms and carries the fields", json_conforms_and_carries_the_fields },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = {
		{ "info: reading each format", reading },
		{ "info: the text summary", text },
		{ "info: JSON", json },
	};
	return run_suites("test_info", suites, sizeof suites / sizeof *suites);
}
