/* identify_os: the order in which an image's Windows is recognised. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kernel_internal.h"

/* KUSER_SHARED_DATA's fixed address and the version fields in it (offsets
 * from the public symbol files under ../shared/symbols: NtMajorVersion
 * 0x26c and NtMinorVersion 0x270 in every build there, NtBuildNumber 0x260
 * from 14393 on). */
enum {
	KUSER_NT_BUILD_NUMBER = 0x260,
	KUSER_NT_MAJOR_VERSION = 0x26c,
	KUSER_NT_MINOR_VERSION = 0x270,
};
#define KUSER_SHARED_DATA_X64 0xfffff78000000000ULL
#define KUSER_SHARED_DATA_X86 0xffdf0000ULL

/* _LDR_DATA_TABLE_ENTRY.DllBase: 0x30 on x64 in every symbol file here. */
enum { LDR_DLL_BASE_X64 = 0x30 };

enum { KERNEL_SCAN_PAGES = 8192 }; /* 32 MiB down from an address inside ntoskrnl */

void os_note(struct os_identity *os, const char *format, ...)
{
	if (os->note_count >= OS_NOTES_KEPT)
		return;
	va_list args;
	va_start(args, format);
	vsnprintf(os->notes[os->note_count++], OS_NOTE_SIZE, format, args);
	va_end(args);
}

/* Does KUSER_SHARED_DATA translate through dtb?  (qemu elf2dmp fix_dtb) */
static bool kuser_translates_as(struct physical_memory *memory, enum paging_mode paging,
				uint64_t dtb)
{
	struct address_space *space = address_space_new(memory, paging, dtb);
	uint64_t physical;
	struct error *error = virtual_translate(
		space, paging == PAGING_X64 ? KUSER_SHARED_DATA_X64 : KUSER_SHARED_DATA_X86, &physical);
	address_space_free(space);
	error_free(error);
	return error == NULL;
}

/* A raw image names no architecture: its page tables say which.  x64's
 * low stub or self-mapped PML4 comes first when KUSER_SHARED_DATA
 * translates through it, then x86's self-mapped directory (without or
 * with PAE, dtb_search_x86.c), then an x64 candidate that does not
 * translate (as before x86 was searched). */
static bool raw_image_paging(struct physical_memory *memory, struct os_identity *os,
			     uint64_t *kernel_hint)
{
	const char *source = NULL;
	uint64_t dtb = find_x64_dtb(memory, &source, kernel_hint);
	if (!dtb || !kuser_translates_as(memory, PAGING_X64, dtb)) {
		enum paging_mode paging = PAGING_X86;
		const char *x86_source = NULL;
		uint64_t x86_dtb = find_x86_dtb(memory, kuser_translates_as, &paging, &x86_source);
		if (x86_dtb) {
			*kernel_hint = 0;
			os->paging = paging;
			os->dtb = known_u64(x86_dtb);
			os->dtb_source = x86_source;
			os_note(os, "the image names no architecture: x86 %spaging, from its page tables",
				paging == PAGING_X86_PAE ? "PAE " : "");
			return true;
		}
	}
	if (!dtb) {
		os_note(os, "the paging mode is not known: the image names no architecture and "
			    "holds no x64 low stub or self-mapped PML4, nor a self-mapped x86 page "
			    "directory");
		return false;
	}
	os->paging = PAGING_X64;
	os->dtb = known_u64(dtb);
	os->dtb_source = source;
	os_note(os, "the image names no architecture: x64 paging, from its page tables");
	return true;
}

static bool choose_paging(struct physical_memory *memory, const struct dump_facts *facts,
			  struct os_identity *os, uint64_t *kernel_hint)
{
	if (facts->arch == DUMP_ARCH_UNKNOWN && facts->cpu_count == 0) {
		if (!raw_image_paging(memory, os, kernel_hint))
			return false;
	} else if (facts->arch == DUMP_ARCH_X64) {
		os->paging = PAGING_X64;
	} else if (facts->arch == DUMP_ARCH_X86 && facts->pae >= 0) {
		os->paging = facts->pae ? PAGING_X86_PAE : PAGING_X86;
	} else if (facts->arch == DUMP_ARCH_X86 && facts->cpu_count && facts->cpus[0].cr4.known) {
		/* CR4.PAE is bit 5. */
		os->paging = facts->cpus[0].cr4.value & 0x20 ? PAGING_X86_PAE : PAGING_X86;
	} else {
		os_note(os, "the paging mode is not known: the image names no architecture");
		return false;
	}
	os->paging_known = true;
	return true;
}

static uint64_t kuser_address(const struct os_identity *os)
{
	return os->paging == PAGING_X64 ? KUSER_SHARED_DATA_X64 : KUSER_SHARED_DATA_X86;
}

static uint64_t dtb_mask(const struct os_identity *os)
{
	return os->paging == PAGING_X86_PAE ? 0xffffffe0ULL : 0x000ffffffffff000ULL;
}

static bool kuser_translates(struct physical_memory *memory, const struct os_identity *os,
			     uint64_t dtb)
{
	return kuser_translates_as(memory, os->paging, dtb);
}

static void find_dtb(struct physical_memory *memory, const struct dump_facts *facts,
		     struct os_identity *os, uint64_t *kernel_hint)
{
	if (os->dtb.known)
		return;
	if (facts->directory_table_base.known) {
		os->dtb = known_u64(facts->directory_table_base.value & dtb_mask(os));
		os->dtb_source = "the crash dump header";
		return;
	}
	/* CPU 0's CR3 if KUSER_SHARED_DATA translates through it, else a CPU
	 * that was in kernel mode (gs base with bit 63 set). */
	for (unsigned i = 0; i < facts->cpu_count; i++)
		if (facts->cpus[i].cr3.known &&
		    kuser_translates(memory, os, facts->cpus[i].cr3.value & dtb_mask(os))) {
			os->dtb = known_u64(facts->cpus[i].cr3.value & dtb_mask(os));
			os->dtb_source = "a CPU's CR3 (KUSER_SHARED_DATA translates)";
			return;
		}
	for (unsigned i = 0; i < facts->cpu_count; i++)
		if (facts->cpus[i].cr3.known && facts->cpus[i].gs_base.known &&
		    facts->cpus[i].gs_base.value >> 63) {
			os->dtb = known_u64(facts->cpus[i].cr3.value & dtb_mask(os));
			os->dtb_source = "the CR3 of a CPU in kernel mode";
			return;
		}
	if (os->paging == PAGING_X64) {
		const char *source = NULL;
		uint64_t dtb = find_x64_dtb(memory, &source, kernel_hint);
		if (dtb && (!facts->cpu_count || kuser_translates(memory, os, dtb))) {
			os->dtb = known_u64(dtb);
			os->dtb_source = source;
			return;
		}
		*kernel_hint = 0;
	}
	if (facts->cpu_count && facts->cpus[0].cr3.known) {
		os->dtb = known_u64(facts->cpus[0].cr3.value & dtb_mask(os));
		os->dtb_source = "CPU 0's CR3";
		os_note(os, "KUSER_SHARED_DATA does not translate through any CPU's CR3: "
			    "this may not be a Windows image");
		return;
	}
	os_note(os, "no DTB: no crash dump header, no CPU state, no low stub or self-mapped PML4");
}

static bool read_u64(struct address_space *space, uint64_t va, uint64_t *value)
{
	struct error *error = virtual_read(space, va, value, sizeof *value);
	error_free(error);
	return error == NULL;
}

static bool is_image_base(struct address_space *space, uint64_t va)
{
	unsigned char start[2];
	struct error *error = virtual_read(space, va, start, 2);
	error_free(error);
	return !error && start[0] == 'M' && start[1] == 'Z';
}

/* The first entry of PsLoadedModuleList is ntoskrnl. */
static void kernel_from_module_list(struct address_space *space, struct os_identity *os)
{
	uint64_t first, base;
	if (os->kernel_base.known || !os->ps_loaded_module_list.known || os->paging != PAGING_X64)
		return;
	if (read_u64(space, os->ps_loaded_module_list.value, &first) &&
	    read_u64(space, first + LDR_DLL_BASE_X64, &base) && is_image_base(space, base)) {
		os->kernel_base = known_u64(base);
		os->kernel_base_source = "the first entry of PsLoadedModuleList";
	}
}

/* Steps down a page at a time from an address inside ntoskrnl to the "MZ"
 * of its image. */
static void kernel_below(struct address_space *space, uint64_t inside, const char *source,
			 struct os_identity *os)
{
	for (uint64_t page = inside & ~0xfffULL, n = 0; n < KERNEL_SCAN_PAGES; n++, page -= 0x1000)
		if (is_image_base(space, page)) {
			os->kernel_base = known_u64(page);
			os->kernel_base_source = source;
			return;
		}
}

/* qemu elf2dmp: the IDT's first handler lies in ntoskrnl. */
static void kernel_from_idt(struct address_space *space, const struct dump_facts *facts,
			    struct os_identity *os)
{
	if (os->kernel_base.known || os->paging != PAGING_X64 || !facts->cpu_count ||
	    !facts->cpus[0].idt_base.known)
		return;
	unsigned char gate[16];
	struct error *error = virtual_read(space, facts->cpus[0].idt_base.value, gate, sizeof gate);
	if (error) {
		error_free(error);
		return;
	}
	/* x64 interrupt gate: offset bits 0-15 at +0, 16-31 at +6, 32-63 at +8. */
	uint64_t handler = (uint64_t)(gate[0] | gate[1] << 8) | (uint64_t)(gate[6] | gate[7] << 8) << 16;
	uint32_t high;
	memcpy(&high, gate + 8, 4);
	handler |= (uint64_t)high << 32;
	kernel_below(space, handler, "a scan down from the IDT's first handler", os);
}

/* MemProcFS: the low stub's LmTarget lies in ntoskrnl (dump-formats.md §8). */
static void kernel_from_low_stub(struct address_space *space, uint64_t kernel_hint,
				 struct os_identity *os)
{
	if (!os->kernel_base.known && kernel_hint)
		kernel_below(space, kernel_hint, "a scan down from the low stub's kernel entry", os);
}

static void use_kdbg(struct os_identity *os, const struct kdbg_block *block, const char *source)
{
	os->kdbg = known_u64(block->address);
	os->kdbg_state = block->state;
	os->kdbg_source = source;
	os->kdbg_key = block->key;
	if (block->kern_base && !os->kernel_base.known) {
		os->kernel_base = known_u64(block->kern_base);
		os->kernel_base_source = "KDBG KernBase";
	}
	if (block->ps_loaded_module_list)
		maybe_fill(&os->ps_loaded_module_list, known_u64(block->ps_loaded_module_list));
	if (block->ps_active_process_head)
		maybe_fill(&os->ps_active_process_head, known_u64(block->ps_active_process_head));
	if (!os->list_heads_source && (block->ps_loaded_module_list || block->ps_active_process_head))
		os->list_heads_source = "KDBG";
}

/* The header's KdDebuggerDataBlock.  An encoded block that its tag and
 * build sizes cannot decode is tried again once the kernel base — the
 * better plaintext — is known: its error is returned for that. */
static struct error *kdbg_from_header(struct address_space *space, const struct dump_facts *facts,
				      struct os_identity *os, struct kdbg_block *block)
{
	if (!facts->kd_debugger_data_block.known || !facts->kd_debugger_data_block.value)
		return NULL;
	uint64_t address = facts->kd_debugger_data_block.value;
	if (os->paging != PAGING_X64)
		address &= 0xffffffffULL;
	os->kdbg = known_u64(address);
	struct error *error = kdbg_read(space, os->paging, address, UNKNOWN_U64, block);
	if (!error) {
		use_kdbg(os, block, "the crash dump header");
		return NULL;
	}
	if (block->state == KDBG_ENCODED)
		return error;
	os_note(os, "KdDebuggerDataBlock at 0x%" PRIx64 " is not readable: %s", address,
		error_detail(error));
	error_free(error);
	return NULL;
}

static void decode_header_kdbg(struct address_space *space, struct os_identity *os,
			       struct kdbg_block *block, struct error *undecoded)
{
	if (os->kernel_base.known) {
		error_free(undecoded);
		undecoded = kdbg_read(space, os->paging, block->address, os->kernel_base, block);
	}
	if (undecoded) {
		os->kdbg_state = KDBG_ENCODED;
		os->kdbg_source = "the crash dump header";
		os_note(os, "KdDebuggerDataBlock is encoded and could not be decoded without symbols: %s",
			error_detail(undecoded));
		error_free(undecoded);
		return;
	}
	use_kdbg(os, block, "the crash dump header");
}

static void kdbg_from_data_section(struct address_space *space, struct os_identity *os)
{
	if (!os->kernel_base.known || os->kdbg_state != KDBG_NOT_FOUND)
		return;
	struct kdbg_block block;
	struct error *error = kdbg_scan_image(space, os->paging, os->kernel_base.value, &block);
	if (error) {
		os_note(os, "no KDBG block found in the kernel image: %s", error_detail(error));
		error_free(error);
		return;
	}
	use_kdbg(os, &block, "a scan of the kernel's .data section");
}

static void read_kuser(struct address_space *space, struct os_identity *os)
{
	uint32_t major, minor, build;
	uint64_t kuser = kuser_address(os);
	struct error *error = virtual_read(space, kuser + KUSER_NT_MAJOR_VERSION, &major, 4);
	if (!error)
		error = virtual_read(space, kuser + KUSER_NT_MINOR_VERSION, &minor, 4);
	if (error) {
		os_note(os, "KUSER_SHARED_DATA is not readable: %s", error_detail(error));
		error_free(error);
		return;
	}
	os->nt_major = known_u64(major);
	os->nt_minor = known_u64(minor);
	/* NtBuildNumber exists from Windows 10 (major 10) on; its low 16 bits
	 * are the build, the top nibble says free/checked. */
	if (major >= 10 && !os->build.known) {
		error = virtual_read(space, kuser + KUSER_NT_BUILD_NUMBER, &build, 4);
		if (!error) {
			os->build = known_u64(build & 0xffff);
			os->build_source = "KUSER_SHARED_DATA.NtBuildNumber";
		}
		error_free(error);
	}
}

/* The NT version of a kernel build line before Windows 10 (Microsoft
 * Learn, "Operating System Version": 5.1 Windows XP, 5.2 Server 2003 and XP
 * x64, 6.0 Vista and Server 2008, 6.1 Windows 7 and Server 2008 R2, 6.2
 * Windows 8, 6.3 Windows 8.1; their builds 2600, 3790, 6000-6002,
 * 7600-7601, 9200, 9600). */
static bool build_has_version(uint32_t build, uint64_t major, uint64_t minor)
{
	static const struct {
		uint32_t first, last;
		uint8_t major, minor;
	} lines[] = {
		{ 2600, 2600, 5, 1 }, { 3790, 3790, 5, 2 }, { 6000, 6002, 6, 0 },
		{ 7600, 7601, 6, 1 }, { 9200, 9200, 6, 2 }, { 9600, 9600, 6, 3 },
	};
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
		if (build >= lines[i].first && build <= lines[i].last)
			return lines[i].major == major && lines[i].minor == minor;
	return false;
}

/* Before Windows 10 KUSER_SHARED_DATA has the version but no build, and an
 * image without a dump header or KDBG (a QEMU core of Windows 7) names
 * none.  When the built-in profiles know exactly one build of that version
 * (6.1: 7601), that build is taken, said as an inference; the probe still
 * has to find the profile's structures where they belong. */
static void infer_build_from_version(struct os_identity *os)
{
	if (os->build.known || !os->nt_major.known || !os->nt_minor.known || os->nt_major.value >= 10)
		return;
	uint32_t pointer_size = os->paging == PAGING_X64 ? 8 : 4;
	uint32_t found = 0;
	for (size_t i = 0; i < builtin_profile_count; i++) {
		const struct kernel_profile *profile = &builtin_profiles[i];
		if (profile->pointer_size != pointer_size ||
		    !build_has_version(profile->build, os->nt_major.value, os->nt_minor.value))
			continue;
		if (found && found != profile->build)
			return; /* two builds of one version: not a guess to make */
		found = profile->build;
	}
	if (!found)
		return;
	os->build = known_u64(found);
	snprintf(os->inferred_build_source, sizeof os->inferred_build_source,
		 "inferred: KUSER_SHARED_DATA says Windows %" PRIu64 ".%" PRIu64
		 " and %" PRIu32 " is the only built-in build of it",
		 os->nt_major.value, os->nt_minor.value, found);
	os->build_source = os->inferred_build_source;
}

static void read_pdb(struct address_space *space, struct os_identity *os)
{
	if (!os->kernel_base.known) {
		os_note(os, "the kernel image was not found, so neither was its PDB GUID");
		return;
	}
	uint64_t age;
	struct error *error = pe_debug_record(space, os->kernel_base.value, os->pdb_name,
					      sizeof os->pdb_name, os->pdb_guid, &age);
	if (error) {
		os_note(os, "no CodeView record in the kernel image: %s", error_detail(error));
		error_free(error);
		os->pdb_name[0] = os->pdb_guid[0] = '\0';
		return;
	}
	os->pdb_age = known_u64(age);
}

void identify_os(struct physical_memory *memory, struct os_identity *os)
{
	memset(os, 0, sizeof *os);
	const struct dump_facts *facts = physical_memory_facts(memory);
	if (facts->minor_version.known && facts->minor_version.value) {
		os->build = known_u64(facts->minor_version.value);
		os->build_source = "the crash dump header (MinorVersion)";
	}
	/* A header field of 0 names no list: KDBG may still give it. */
	if (facts->ps_active_process_head.known && facts->ps_active_process_head.value)
		os->ps_active_process_head = facts->ps_active_process_head;
	if (facts->ps_loaded_module_list.known && facts->ps_loaded_module_list.value)
		os->ps_loaded_module_list = facts->ps_loaded_module_list;
	if (os->ps_active_process_head.known || os->ps_loaded_module_list.known)
		os->list_heads_source = "the crash dump header";
	uint64_t kernel_hint = 0;
	if (!choose_paging(memory, facts, os, &kernel_hint))
		return;
	find_dtb(memory, facts, os, &kernel_hint);
	if (!os->dtb.known)
		return;
	struct address_space *space = address_space_new(memory, os->paging, os->dtb.value);
	struct kdbg_block header_block;
	struct error *undecoded = kdbg_from_header(space, facts, os, &header_block);
	kernel_from_module_list(space, os);
	kernel_from_idt(space, facts, os);
	kernel_from_low_stub(space, kernel_hint, os);
	if (undecoded)
		decode_header_kdbg(space, os, &header_block, undecoded);
	kdbg_from_data_section(space, os);
	read_pdb(space, os);
	read_kuser(space, os);
	infer_build_from_version(os);
	address_space_free(space);
}
