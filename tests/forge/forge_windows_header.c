/* The Windows crash-dump header every Windows layout starts with:
 * DUMP_HEADER64 "PAGEDU64" (0x2000 bytes, dump-formats.md §1) or
 * DUMP_HEADER32 "PAGEDUMP" (0x1000 bytes, §2).  Fields the forge has no
 * value for stay zero. */
#include <string.h>

#include "forge_internal.h"

/* Machine types (dump-formats.md §1, MachineImageType). */
#define MACHINE_AMD64 0x8664
#define MACHINE_I386 0x14c
/* Windows 10 and later report MajorVersion 0xf (elf2dmp copies it from
 * DBGKD_GET_VERSION64, dump-formats.md §1). */
#define MAJOR_VERSION_NT 0xf

/* PhysicalMemoryBlock's room: a 700-byte union (dump-formats.md §1-2).
 * x64: Run[] at 0x98, 16 bytes each, up to 0x88 + 700 → 42 runs.
 * x86: Run[] at 0x6c, 8 bytes each, up to 0x64 + 700 → 86 runs. */
#define X64_MAX_RUNS 42
#define X86_MAX_RUNS 86

size_t windows_header_size(enum forge_arch arch)
{
	return arch == FORGE_X64 ? 0x2000 : 0x1000;
}

static void fill_header64(const struct windows_header_facts *facts, uint8_t *h)
{
	const struct forge_header *header = facts->header;
	memcpy(h + 0x000, "PAGEDU64", 8); /* Signature "PAGE", ValidDump "DU64" */
	put_le32(h + 0x008, MAJOR_VERSION_NT);
	put_le32(h + 0x00c, header->build);
	put_le64(h + 0x010, facts->dtb);
	put_le64(h + 0x018, header->pfn_database);
	put_le64(h + 0x020, header->ps_loaded_module_list);
	put_le64(h + 0x028, header->ps_active_process_head);
	put_le32(h + 0x030, MACHINE_AMD64);
	put_le32(h + 0x034, header->processors);
	put_le32(h + 0x038, header->bugcheck_code);
	for (int i = 0; i < 4; i++)
		put_le64(h + 0x040 + 8 * i, header->bugcheck_parameters[i]);
	put_le64(h + 0x080, header->kd_debugger_data_block);
	put_le32(h + 0x088, (uint32_t)facts->runs->count);
	put_le64(h + 0x090, pfn_ranges_pages(facts->runs));
	for (size_t i = 0; i < facts->runs->count; i++) {
		const struct pfn_range *run = &facts->runs->items[i];
		put_le64(h + 0x098 + 16 * i, run->first);
		put_le64(h + 0x098 + 16 * i + 8, run->end - run->first);
	}
	put_le32(h + 0xf98, facts->dump_type);
	put_le64(h + 0xfa0, facts->file_size);
	put_le64(h + 0xfa8, header->system_time);
	put_le64(h + 0x1030, header->system_uptime);
}

static void fill_header32(const struct windows_header_facts *facts, uint8_t *h)
{
	const struct forge_header *header = facts->header;
	memcpy(h + 0x000, "PAGEDUMP", 8); /* Signature "PAGE", ValidDump "DUMP" */
	put_le32(h + 0x008, MAJOR_VERSION_NT);
	put_le32(h + 0x00c, header->build);
	put_le32(h + 0x010, (uint32_t)facts->dtb); /* with PAE: the PDPT */
	put_le32(h + 0x014, (uint32_t)header->pfn_database);
	put_le32(h + 0x018, (uint32_t)header->ps_loaded_module_list);
	put_le32(h + 0x01c, (uint32_t)header->ps_active_process_head);
	put_le32(h + 0x020, MACHINE_I386);
	put_le32(h + 0x024, header->processors);
	put_le32(h + 0x028, header->bugcheck_code);
	for (int i = 0; i < 4; i++)
		put_le32(h + 0x02c + 4 * i, (uint32_t)header->bugcheck_parameters[i]);
	h[0x05c] = facts->arch == FORGE_X86_PAE; /* PaeEnabled */
	put_le32(h + 0x060, (uint32_t)header->kd_debugger_data_block);
	put_le32(h + 0x064, (uint32_t)facts->runs->count);
	put_le32(h + 0x068, (uint32_t)pfn_ranges_pages(facts->runs));
	for (size_t i = 0; i < facts->runs->count; i++) {
		const struct pfn_range *run = &facts->runs->items[i];
		put_le32(h + 0x06c + 8 * i, (uint32_t)run->first);
		put_le32(h + 0x06c + 8 * i + 4, (uint32_t)(run->end - run->first));
	}
	put_le32(h + 0xf88, facts->dump_type);
	put_le64(h + 0xfa0, facts->file_size);
	put_le64(h + 0xfb8, header->system_uptime);
	put_le64(h + 0xfc0, header->system_time);
}

struct error *windows_fill_header(const struct windows_header_facts *facts, uint8_t *header,
				  const char *path)
{
	bool x64 = facts->arch == FORGE_X64;
	size_t max_runs = x64 ? X64_MAX_RUNS : X86_MAX_RUNS;
	if (facts->runs->count > max_runs)
		return error_in_file(ERROR_USAGE, path,
				     "forge: %zu physical memory runs, but the header has room for %zu",
				     facts->runs->count, max_runs);
	if (!x64) {
		uint64_t last = facts->runs->count ? facts->runs->items[facts->runs->count - 1].end : 0;
		if (last > UINT32_MAX || facts->dtb > UINT32_MAX)
			return error_in_file(ERROR_USAGE, path,
					     "forge: a 32-bit header cannot hold PFN 0x%llx or DTB 0x%llx",
					     (unsigned long long)last, (unsigned long long)facts->dtb);
	}
	memset(header, 0, windows_header_size(facts->arch));
	if (x64)
		fill_header64(facts, header);
	else
		fill_header32(facts, header);
	return NULL;
}
