/* What QEMU and makedumpfile write that libkdumpfile 0.5.1 does not read
 * for us: the "QEMU" CPU-state notes (in an ELF core's PT_NOTE segment,
 * and in a kdump file's note area, offset_note/size_note of its
 * sub-header from header_version 4), and a kdump file's utsname.machine
 * when its sysname is empty (QEMU leaves it so, and libkdumpfile then
 * sets no arch.name).  Notes only; page data stays libkdumpfile's. */
#include <string.h>

#include "kdump_internal.h"

/* ---- the "QEMU" CPU notes ----------------------------------------- */

/* QEMUCPUState (dump-formats.md §7; qemu target/i386/arch_dump.c): only
 * the fields below `size` exist, so each is read only when the note's own
 * size field and the note's length both cover it. */
enum {
	QEMU_STATE_SIZE = 0x4,
	QEMU_STATE_RIP = 0x88,
	QEMU_STATE_GS_BASE = 0xf8 + 16, /* segment gs: selector, limit, flags, pad, base */
	QEMU_STATE_IDT_BASE = 0x170 + 16,
	QEMU_STATE_CR0 = 0x188,
	QEMU_STATE_CR3 = 0x1a0,
	QEMU_STATE_CR4 = 0x1a8,
	QEMU_STATE_KERNEL_GS_BASE = 0x1b0,
};

static maybe_u64 cpu_state_field(const unsigned char *state, uint64_t usable, uint64_t offset)
{
	if (offset + 8 > usable)
		return UNKNOWN_U64;
	return known_u64(dump_le(state + offset, 8));
}

static void read_qemu_cpu_state(const unsigned char *state, uint64_t length, struct dump_cpu *cpu)
{
	if (length < 8)
		return;
	uint64_t usable = dump_le(state + QEMU_STATE_SIZE, 4);
	if (usable > length)
		usable = length;
	cpu->rip = cpu_state_field(state, usable, QEMU_STATE_RIP);
	cpu->gs_base = cpu_state_field(state, usable, QEMU_STATE_GS_BASE);
	cpu->idt_base = cpu_state_field(state, usable, QEMU_STATE_IDT_BASE);
	cpu->cr0 = cpu_state_field(state, usable, QEMU_STATE_CR0);
	cpu->cr3 = cpu_state_field(state, usable, QEMU_STATE_CR3);
	cpu->cr4 = cpu_state_field(state, usable, QEMU_STATE_CR4);
	cpu->kernel_gs_base = cpu_state_field(state, usable, QEMU_STATE_KERNEL_GS_BASE);
}

/* Walks ELF notes in [offset, offset + length) of the file: each is a
 * 12-byte header, the name and the descriptor, both padded to 4 bytes
 * (dump-formats.md §7).  Every "QEMU" note is one CPU, in order. */
void read_qemu_notes(struct dump *dump, uint64_t offset, uint64_t length, uint64_t *qemu_notes)
{
	if (!dump_holds(dump, offset, 0))
		return;
	if (length > dump->size - offset)
		length = dump->size - offset;
	const unsigned char *at = dump->bytes + offset;
	uint64_t position = 0;
	/* The last descriptor's padding can take position up to 3 bytes past
	 * length (found here: a note area ending the file with a 1-byte
	 * descriptor read 12 bytes past the end of the mapping). */
	while (position <= length && length - position >= 12) {
		uint64_t name_size = dump_le(at + position, 4);
		uint64_t desc_size = dump_le(at + position + 4, 4);
		uint64_t name_at = position + 12;
		uint64_t desc_at = name_at + ((name_size + 3) & ~(uint64_t)3);
		if (desc_at > length || desc_size > length - desc_at)
			return;
		if (name_size == 5 && memcmp(at + name_at, "QEMU", 5) == 0) {
			if (*qemu_notes < DUMP_CPUS_KEPT)
				read_qemu_cpu_state(at + desc_at, desc_size,
						    &dump->facts.cpus[*qemu_notes]);
			++*qemu_notes;
		}
		position = desc_at + ((desc_size + 3) & ~(uint64_t)3);
	}
}

/* ---- kdump (diskdump) headers ------------------------------------- */

/* struct disk_dump_header_32/_64 and kdump_sub_header_32/_64 as
 * libkdumpfile 0.5.1 diskdump.c declares them (packed, little-endian
 * here).  Like libkdumpfile, the 32-bit layout is tried first and the
 * 64-bit one when its block size or bitmap size make no sense. */
enum {
	KDUMP_HEADER_VERSION = 0x8,
	KDUMP_UTSNAME_MACHINE = 0xc + 4 * 65, /* new_utsname: sysname, nodename, release, version, machine */
	KDUMP32_BLOCK_SIZE = 0x1a0,
	KDUMP64_BLOCK_SIZE = 0x1ac,
	KDUMP32_NOTE_OFFSET = 0x20,
	KDUMP64_NOTE_OFFSET = 0x30,
};

static bool kdump_header_sane(const struct dump *dump, uint64_t block_size_at)
{
	if (!dump_holds(dump, block_size_at, 16))
		return false;
	uint64_t block_size = dump_le(dump->bytes + block_size_at, 4);
	uint64_t bitmap_blocks = dump_le(dump->bytes + block_size_at + 8, 4);
	uint64_t max_mapnr = dump_le(dump->bytes + block_size_at + 12, 4);
	return block_size >= 4096 && block_size <= (1u << 18) &&
	       8 * bitmap_blocks * block_size >= max_mapnr;
}

/* Which layout the header has: false when neither makes sense. */
static bool kdump_header_layout(const struct dump *dump, bool *is64)
{
	*is64 = !kdump_header_sane(dump, KDUMP32_BLOCK_SIZE);
	return !*is64 || kdump_header_sane(dump, KDUMP64_BLOCK_SIZE);
}

bool kdump_descriptor_table(const struct dump *dump, uint64_t *block_size_at, uint64_t *block_size,
			    uint64_t *offset)
{
	bool is64;
	if (!kdump_header_layout(dump, &is64))
		return false;
	/* block_size, sub_hdr_size (signed), bitmap_blocks: checked by
	 * kdump_header_sane to lie in the file. */
	*block_size_at = is64 ? KDUMP64_BLOCK_SIZE : KDUMP32_BLOCK_SIZE;
	const unsigned char *fields = dump->bytes + *block_size_at;
	int64_t sub_header_blocks = (int32_t)dump_le(fields + 4, 4);
	if (sub_header_blocks < 0)
		return false;
	*block_size = dump_le(fields, 4);
	/* At most (1 + 2^31 + 2^32) blocks of 2^18 bytes: no overflow. */
	*offset = (1 + (uint64_t)sub_header_blocks + dump_le(fields + 8, 4)) * *block_size;
	return true;
}

void read_kdump_notes(struct dump *dump, uint64_t *qemu_notes)
{
	if (!dump_holds(dump, 0, KDUMP_UTSNAME_MACHINE + 65))
		return;
	int64_t version = (int32_t)dump_le(dump->bytes + KDUMP_HEADER_VERSION, 4);
	if (version < 4) /* offset_note exists from header_version 4 */
		return;
	bool is64;
	if (!kdump_header_layout(dump, &is64))
		return;
	uint64_t block_size = dump_le(dump->bytes + (is64 ? KDUMP64_BLOCK_SIZE : KDUMP32_BLOCK_SIZE), 4);
	uint64_t note_field = block_size + (is64 ? KDUMP64_NOTE_OFFSET : KDUMP32_NOTE_OFFSET);
	if (!dump_holds(dump, note_field, 16))
		return;
	uint64_t offset = dump_le(dump->bytes + note_field, 8);
	uint64_t size = dump_le(dump->bytes + note_field + 8, is64 ? 8 : 4);
	read_qemu_notes(dump, offset, size, qemu_notes);
}

enum dump_arch dump_arch_named(const char *machine)
{
	if (strcmp(machine, "x86_64") == 0)
		return DUMP_ARCH_X64;
	if (strcmp(machine, "ia32") == 0 || strcmp(machine, "i386") == 0 ||
	    strcmp(machine, "i686") == 0)
		return DUMP_ARCH_X86;
	return DUMP_ARCH_UNKNOWN;
}

enum dump_arch kdump_utsname_arch(const struct dump *dump)
{
	char machine[66] = { 0 };
	if (dump_holds(dump, KDUMP_UTSNAME_MACHINE, 65))
		memcpy(machine, dump->bytes + KDUMP_UTSNAME_MACHINE, 65);
	return dump_arch_named(machine);
}
