/* forge: writes a synthetic dump for benchmarks and for people poking at
 * readers by hand.
 *
 *   forge --format FORMAT --arch x64|pae|x86 [--pages N] -o FILE
 *   forge --sparse-bitmap TOTAL PRESENT -o FILE      (sizes take K/M/G/T)
 *   forge scenario NAME [--layout COLUMN] [--format FORMAT]
 *                  [--handle-table before|after] -o FILE
 *   forge scenario --list
 *
 * The scenario form writes one of issue 4's ALPC scenarios
 * (forge_scenarios.h) on a struct-offsets.md layout column and prints
 * what it made: counts, the expected waits and cycles.
 * The first form writes a small scenario: three runs of N pattern pages
 * with gaps between them, and virtual mappings with every page size the
 * architecture has; it prints the DTB and what each VA maps to. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forge.h"
#include "forge_scenarios.h"

#define PAGE 4096ULL
#define MIB (1ULL << 20)
#define GIB (1ULL << 30)

static const struct {
	const char *name;
	enum forge_format format;
} formats[] = {
	{ "full", FORGE_WINDOWS_FULL },
	{ "bitmap-kernel", FORGE_WINDOWS_BITMAP_KERNEL },
	{ "bitmap-full", FORGE_WINDOWS_BITMAP_FULL },
	{ "rdmp-kernel", FORGE_WINDOWS_RDMP_KERNEL },
	{ "rdmp-complete", FORGE_WINDOWS_RDMP_COMPLETE },
	{ "triage", FORGE_WINDOWS_TRIAGE },
	{ "elf", FORGE_ELF_QEMU },
	{ "raw", FORGE_RAW },
};

static const struct {
	const char *name;
	enum forge_arch arch;
} arches[] = {
	{ "x64", FORGE_X64 },
	{ "pae", FORGE_X86_PAE },
	{ "x86", FORGE_X86 },
};

static int usage(const char *problem)
{
	if (problem)
		fprintf(stderr, "forge: %s\n", problem);
	fprintf(stderr,
		"usage: forge --format full|bitmap-kernel|bitmap-full|rdmp-kernel|rdmp-complete|triage|elf|raw\n"
		"             --arch x64|pae|x86 [--pages N] -o FILE\n"
		"       forge --sparse-bitmap TOTAL PRESENT -o FILE   (sizes with K, M, G or T)\n"
		"       forge scenario NAME [--layout COLUMN] [--format FORMAT] [--handle-table before|after] -o FILE\n"
		"       forge scenario --list\n");
	return 2;
}

/* "8G", "256M", "4096": binary suffixes. */
static bool parse_size(const char *text, uint64_t *size)
{
	char *end;
	errno = 0;
	unsigned long long value = strtoull(text, &end, 0);
	if (errno || end == text)
		return false;
	unsigned shift = 0;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	}
	if (*end || (shift && value > (UINT64_MAX >> shift)))
		return false;
	*size = (uint64_t)value << shift;
	return true;
}

struct mapping {
	uint64_t va, pa, size, page_size;
};

static void show_mapping(const struct mapping *m)
{
	const char *unit = m->page_size >= GIB ? "GiB" : m->page_size >= MIB ? "MiB" : "KiB";
	uint64_t amount = m->page_size >= GIB ? m->page_size / GIB
			: m->page_size >= MIB ? m->page_size / MIB : m->page_size >> 10;
	printf("va 0x%016" PRIx64 " -> pa 0x%" PRIx64 ", 0x%" PRIx64 " bytes in %" PRIu64 " %s pages\n",
	       m->va, m->pa, m->size, amount, unit);
}

/* Three runs of pattern pages with gaps, tables after them, and one
 * mapping of each page size (x64 also a 1 GiB page, PAE also a page above
 * 4 GiB).  Only 16 pages of the 1 GiB page go into the file: the rest is
 * the header's excluded range, so every format stays small. */
static struct forge *default_scenario(enum forge_arch arch, uint64_t pages, uint64_t *unmapped_va)
{
	uint64_t a_first = 0x10, a = pages / 2, b = pages / 4, c = pages - a - b;
	uint64_t b_first = a_first + a + 0x100, c_first = b_first + b + 0x100;
	/* Tables above the runs and above the large pages' targets (PA 2 or
	 * 4 MiB), so no mapped page holds a table. */
	uint64_t tables = (c_first + c > 0x800 ? c_first + c : 0x800) + 0x10;
	uint64_t max_pfn = tables + 0x1000;
	uint64_t giant_pfn = (max_pfn + 0x3ffff) / 0x40000 * 0x40000; /* 1 GiB-aligned */
	if (arch == FORGE_X64)
		max_pfn = giant_pfn + 0x40000;
	if (arch == FORGE_X86_PAE && max_pfn < 0x100010)
		max_pfn = 0x100010; /* room for a page above 4 GiB */
	if (arch != FORGE_X64 && max_pfn < 0x800)
		max_pfn = 0x800; /* the large page's target, PA 2 or 4 MiB */

	struct forge *forge = forge_new(arch, max_pfn);
	forge_add_pages(forge, a_first, a);
	forge_add_pages(forge, b_first, b);
	forge_add_pages(forge, c_first, c);
	forge_set_table_area(forge, tables);

	struct mapping maps[4];
	size_t count = 0;
	if (arch == FORGE_X64) {
		maps[count++] = (struct mapping){ 0xfffff80000000000ULL, a_first * PAGE, 16 * PAGE, PAGE };
		maps[count++] = (struct mapping){ 0xfffff80000200000ULL, 2 * MIB, 2 * MIB, 2 * MIB };
		maps[count++] = (struct mapping){ 0xffffc00000000000ULL, giant_pfn * PAGE, GIB, GIB };
		*unmapped_va = 0xfffff80000010000ULL;
	} else {
		uint64_t large = arch == FORGE_X86 ? 4 * MIB : 2 * MIB;
		maps[count++] = (struct mapping){ 0x80000000ULL, a_first * PAGE, 16 * PAGE, PAGE };
		maps[count++] = (struct mapping){ 0x80000000ULL + large, large, large, large };
		if (arch == FORGE_X86_PAE)
			maps[count++] = (struct mapping){ 0x80000000ULL + 2 * large, 0x100000000ULL, PAGE, PAGE };
		*unmapped_va = 0x80010000ULL;
	}
	for (size_t i = 0; i < count; i++)
		if (!forge_map(forge, maps[i].va, maps[i].pa, maps[i].size, maps[i].page_size))
			fprintf(stderr, "forge: cannot map VA 0x%" PRIx64 "\n", maps[i].va);

	struct forge_header header = {
		.build = 19041,
		.ps_active_process_head = arch == FORGE_X64 ? 0xfffff80000001000ULL : 0x80001000ULL,
		.ps_loaded_module_list = arch == FORGE_X64 ? 0xfffff80000002000ULL : 0x80002000ULL,
		.kd_debugger_data_block = arch == FORGE_X64 ? 0xfffff80000003000ULL : 0x80003000ULL,
		.pfn_database = arch == FORGE_X64 ? 0xfffffa8000000000ULL : 0x81000000ULL,
		.bugcheck_code = 0xe2, /* MANUALLY_INITIATED_CRASH */
		.system_time = 0x01d9a3b4c5d6e7f8ULL,
		.system_uptime = 36000000000ULL, /* an hour in 100 ns units */
		.processors = 2,
	};
	if (arch == FORGE_X64) {
		header.excluded_first_pfn = giant_pfn + 16;
		header.excluded_count = 0x40000 - 16;
	}
	forge_set_header(forge, &header);

	printf("dtb 0x%" PRIx64 "\n", forge_dtb(forge));
	for (size_t i = 0; i < count; i++)
		show_mapping(&maps[i]);
	if (arch == FORGE_X64)
		printf("only the first 16 pages of the 1 GiB page are in the file\n");
	printf("unmapped va 0x%016" PRIx64 "\n", *unmapped_va);
	return forge;
}

static int report(struct error *error)
{
	if (!error)
		return 0;
	fprintf(stderr, "%s\n", error->message); /* it names the path and "forge:" */
	int status = error->code == ERROR_USAGE ? 2 : 1;
	error_free(error);
	return status;
}

static void list_scenarios(void)
{
	for (size_t i = 0; i < forge_scenario_count; i++)
		printf("%-24s %s%s%s\n", forge_scenarios[i].name, forge_scenarios[i].summary,
		       forge_scenarios[i].needs.layout ? "; layout " : "",
		       forge_scenarios[i].needs.layout ? forge_scenarios[i].needs.layout : "");
	printf("layouts issue 4 requires:");
	for (size_t i = 0; i < forge_scenario_layout_count; i++)
		printf(" %s", forge_scenario_layouts[i]);
	printf("\n");
	printf("LPC layouts (issue 5; the lpc- and replay-xp- scenarios):");
	for (size_t i = 0; i < forge_lpc_scenario_layout_count; i++)
		printf(" \"%s\"", forge_lpc_scenario_layouts[i].label);
	printf("\n");
}

static const char *wait_kind_name(enum forge_scenario_wait_kind kind)
{
	return kind == FORGE_WAITS_FOR_ALPC_REPLY ? "ALPC reply"
	       : kind == FORGE_WAITS_FOR_MUTANT  ? "mutant"
	       : kind == FORGE_WAITS_FOR_LPC_REPLY ? "LPC reply"
						   : "?";
}

static void show_facts(const struct forge_scenario_facts *f, uint64_t dtb)
{
	printf("scenario %s on layout %s, dtb 0x%" PRIx64 "\n", f->scenario, f->layout, dtb);
	printf("%zu processes, %zu threads, %zu ports, %zu messages, %zu waits, %zu cycles\n", f->process_count,
	       f->thread_count, f->port_count, f->message_count, f->wait_count, f->cycle_count);
	if (f->lpc_port_count || f->lpc_message_count || f->lpc_thread_count)
		printf("LPC: %zu ports, %zu messages, %zu threads\n", f->lpc_port_count, f->lpc_message_count,
		       f->lpc_thread_count);
	for (size_t i = 0; i < f->wait_count && i < 32; i++) {
		const struct forge_scenario_wait *w = &f->waits[i];
		printf("wait %" PRIx64 ".%" PRIx64 " -> %s 0x%016" PRIx64 " -> %" PRIx64 ".%" PRIx64 " (%s)\n", w->pid,
		       w->tid, wait_kind_name(w->kind), w->object, w->target_pid, w->target_tid,
		       w->definite ? "definite" : "probable");
	}
	if (f->wait_count > 32)
		printf("... %zu waits in all\n", f->wait_count);
	for (size_t i = 0; i < f->cycle_count; i++) {
		const struct forge_scenario_cycle *c = &f->cycles[i];
		printf("cycle (%s):", c->definite ? "definite" : "probable");
		for (size_t j = 0; j < c->length; j++)
			printf(" %" PRIx64 ".%" PRIx64, c->pids[j], c->tids[j]);
		printf("\n");
	}
}

static int scenario_command(int argc, char **argv)
{
	const char *name = NULL, *column = NULL, *format_name = "full", *output = NULL, *table = NULL;
	for (int i = 1; i < argc; i++) {
		bool has_value = i + 1 < argc;
		if (strcmp(argv[i], "--list") == 0) {
			list_scenarios();
			return 0;
		} else if (strcmp(argv[i], "--layout") == 0 && has_value)
			column = argv[++i];
		else if (strcmp(argv[i], "--format") == 0 && has_value)
			format_name = argv[++i];
		else if (strcmp(argv[i], "--handle-table") == 0 && has_value)
			table = argv[++i];
		else if (strcmp(argv[i], "-o") == 0 && has_value)
			output = argv[++i];
		else if (argv[i][0] != '-' && !name)
			name = argv[i];
		else
			return usage("scenario: unknown option or missing value");
	}
	const struct forge_scenario *scenario = name ? forge_scenario_named(name) : NULL;
	if (!scenario)
		return usage("scenario: a NAME from `forge scenario --list` is required");
	if (!output)
		return usage("-o FILE is required");
	size_t f = 0;
	while (f < sizeof formats / sizeof *formats && strcmp(formats[f].name, format_name))
		f++;
	if (f == sizeof formats / sizeof *formats)
		return usage("--format needs one of the listed values");
	if (scenario->needs.lpc) {
		/* an LPC layout label ("XP x86 PAE"); x86 dumps are full dumps */
		struct forge_scenario_system system;
		struct error *error = forge_lpc_scenario_system_new(scenario, column ? column : "XP x86", &system);
		if (!error)
			error = forge_write_dump(system.forge, formats[f].format, output);
		if (!error)
			show_facts(system.facts, forge_dtb(system.forge));
		forge_scenario_system_free(&system);
		return report(error);
	}
	const struct forge_layout *layout = column ? forge_layout_named(column) : NULL;
	if (column && !layout)
		return usage("--layout needs a struct-offsets.md column (\"19041.3570\", \"7601.24540\", ...)");
	enum forge_alpc_handle_table handle_table = FORGE_ALPC_HANDLE_TABLE_AS_LAYOUT;
	if (table && strcmp(table, "before") == 0)
		handle_table = FORGE_ALPC_HANDLE_TABLE_BEFORE_2022_03;
	else if (table && strcmp(table, "after") == 0)
		handle_table = FORGE_ALPC_HANDLE_TABLE_FROM_2022_03;
	else if (table)
		return usage("--handle-table needs before or after");
	if (!layout && !scenario->needs.layout)
		layout = forge_layout_named("19041.3570");
	struct forge_scenario_system system;
	struct error *error = forge_scenario_system_new(scenario, layout, handle_table, &system);
	if (!error)
		error = forge_write_dump(system.forge, formats[f].format, output);
	if (!error)
		show_facts(system.facts, forge_dtb(system.forge));
	forge_scenario_system_free(&system);
	return report(error);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "scenario") == 0)
		return scenario_command(argc - 1, argv + 1);
	const char *format_name = NULL, *arch_name = NULL, *output = NULL;
	const char *total_text = NULL, *present_text = NULL;
	uint64_t pages = 4096;
	for (int i = 1; i < argc; i++) {
		const char *option = argv[i];
		bool has_value = i + 1 < argc;
		if (strcmp(option, "--format") == 0 && has_value)
			format_name = argv[++i];
		else if (strcmp(option, "--arch") == 0 && has_value)
			arch_name = argv[++i];
		else if (strcmp(option, "--pages") == 0 && has_value) {
			if (!parse_size(argv[++i], &pages) || pages < 4)
				return usage("--pages needs a count of at least 4");
		} else if (strcmp(option, "-o") == 0 && has_value)
			output = argv[++i];
		else if (strcmp(option, "--sparse-bitmap") == 0 && i + 2 < argc) {
			total_text = argv[++i];
			present_text = argv[++i];
		} else if (strcmp(option, "--help") == 0 || strcmp(option, "-h") == 0) {
			usage(NULL);
			return 0;
		} else
			return usage("unknown option or missing value");
	}
	if (!output)
		return usage("-o FILE is required");

	if (total_text) {
		uint64_t total, present;
		if (!parse_size(total_text, &total) || !parse_size(present_text, &present))
			return usage("--sparse-bitmap needs two sizes");
		return report(forge_write_sparse_bitmap(output, total, present));
	}

	size_t f = 0, a = 0;
	while (f < sizeof formats / sizeof *formats && (!format_name || strcmp(formats[f].name, format_name)))
		f++;
	while (a < sizeof arches / sizeof *arches && (!arch_name || strcmp(arches[a].name, arch_name)))
		a++;
	if (f == sizeof formats / sizeof *formats || a == sizeof arches / sizeof *arches)
		return usage("--format and --arch need one of the listed values");

	uint64_t unmapped_va;
	struct forge *forge = default_scenario(arches[a].arch, pages, &unmapped_va);
	int status = report(forge_write_dump(forge, formats[f].format, output));
	forge_free(forge);
	return status;
}
