/* An ELF core's program headers: which physical pages its PT_LOADs hold.
 *
 * Which pages exist is taken from the PT_LOAD headers (p_paddr, p_filesz:
 * what qemu's elf2dmp uses, dump-formats.md §7), cut to the bytes the
 * file really holds; kdump_file.c checks them before every read, since
 * libkdumpfile 0.5.1 answers zeros for some missing pages (see there).
 * Field offsets: the ELF-64 and ELF-32 headers and program headers of the
 * System V gABI (elf(5)). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kdump_internal.h"

enum {
	ELF_TYPE_CORE = 4,          /* e_type ET_CORE */
	ELF_MACHINE_386 = 3,        /* EM_386 */
	ELF_MACHINE_X86_64 = 62,    /* EM_X86_64 */
	ELF_SEGMENT_LOAD = 1,       /* PT_LOAD */
	ELF_SEGMENT_NOTE = 4,       /* PT_NOTE */
	ELF_MANY_SEGMENTS = 0xffff, /* PN_XNUM: the count is in section 0's sh_info */
};

bool is_elf_core(const unsigned char *head, size_t length)
{
	return length >= 52 && memcmp(head, "\177ELF", 4) == 0 && (head[4] == 1 || head[4] == 2) &&
	       head[5] == 1 /* little-endian */ && dump_le(head + 16, 2) == ELF_TYPE_CORE;
}

static struct error *read_elf_header(const struct dump *dump, struct elf_layout *elf)
{
	const unsigned char *b = dump->bytes;
	elf->is64 = b[4] == 2;
	uint64_t section_table, section_size, sections;
	if (elf->is64) {
		if (!dump_holds(dump, 0, 64))
			return error_at_offset(ERROR_TRUNCATED, dump->path, 0, "the ELF header is cut off");
		elf->segment_table = dump_le(b + 0x20, 8);
		section_table = dump_le(b + 0x28, 8);
		elf->segment_size = dump_le(b + 0x36, 2);
		elf->segments = dump_le(b + 0x38, 2);
		section_size = dump_le(b + 0x3a, 2);
		sections = dump_le(b + 0x3c, 2);
	} else {
		elf->segment_table = dump_le(b + 0x1c, 4);
		section_table = dump_le(b + 0x20, 4);
		elf->segment_size = dump_le(b + 0x2a, 2);
		elf->segments = dump_le(b + 0x2c, 2);
		section_size = dump_le(b + 0x2e, 2);
		sections = dump_le(b + 0x30, 2);
	}
	if (elf->segments == ELF_MANY_SEGMENTS) {
		/* PN_XNUM: QEMU writes one section header holding the count
		 * (dump-formats.md §7, have_section). */
		uint64_t info_at = section_table + (elf->is64 ? 0x2c : 0x1c);
		if (sections < 1 || section_size < (elf->is64 ? 64u : 40u) ||
		    !dump_holds(dump, info_at, 4))
			return error_at_offset(ERROR_FORMAT, dump->path, elf->is64 ? 0x38 : 0x2c,
					       "e_phnum is PN_XNUM but there is no section header with the count");
		elf->segments = dump_le(b + info_at, 4);
	}
	uint64_t minimum = elf->is64 ? 56 : 32;
	if (elf->segment_size < minimum)
		return error_at_offset(ERROR_FORMAT, dump->path, elf->is64 ? 0x36 : 0x2a,
				       "e_phentsize %" PRIu64 " is smaller than a program header",
				       elf->segment_size);
	if (elf->segments > dump->size / elf->segment_size ||
	    !dump_holds(dump, elf->segment_table, elf->segments * elf->segment_size))
		return error_at_offset(ERROR_TRUNCATED, dump->path, elf->segment_table,
				       "%" PRIu64 " program headers do not fit in the file",
				       elf->segments);
	return NULL;
}

struct elf_segment {
	uint64_t type, offset, virtual, physical, file_size;
};

static struct elf_segment elf_segment(const struct dump *dump, const struct elf_layout *elf,
				      uint64_t i)
{
	const unsigned char *h = dump->bytes + elf->segment_table + i * elf->segment_size;
	struct elf_segment s;
	s.type = dump_le(h, 4);
	if (elf->is64) {
		s.offset = dump_le(h + 8, 8);
		s.virtual = dump_le(h + 16, 8);
		s.physical = dump_le(h + 24, 8);
		s.file_size = dump_le(h + 32, 8);
	} else {
		s.offset = dump_le(h + 4, 4);
		s.virtual = dump_le(h + 8, 4);
		s.physical = dump_le(h + 12, 4);
		s.file_size = dump_le(h + 16, 4);
	}
	return s;
}

static int compare_ranges(const void *a, const void *b)
{
	const struct pfn_range *x = a, *y = b;
	return x->first < y->first ? -1 : x->first > y->first;
}

static size_t merge_ranges(struct pfn_range *ranges, size_t n)
{
	qsort(ranges, n, sizeof *ranges, compare_ranges);
	size_t merged = 0;
	for (size_t i = 0; i < n; i++) {
		if (merged && ranges[i].first <= ranges[merged - 1].end) {
			if (ranges[i].end > ranges[merged - 1].end)
				ranges[merged - 1].end = ranges[i].end;
		} else {
			ranges[merged++] = ranges[i];
		}
	}
	return merged;
}

void elf_load_ranges(const struct dump *dump, const struct elf_layout *elf,
			    struct pfn_range **claimed, size_t *claimed_count,
			    struct pfn_range **held, size_t *held_count)
{
	size_t room = (size_t)(elf->segments ? elf->segments : 1);
	*claimed = checked_malloc(room * sizeof **claimed);
	*held = checked_malloc(room * sizeof **held);
	size_t c = 0, h = 0;
	for (uint64_t i = 0; i < elf->segments; i++) {
		struct elf_segment s = elf_segment(dump, elf, i);
		if (s.type != ELF_SEGMENT_LOAD || s.file_size == 0)
			continue;
		uint64_t in_file = s.offset < dump->size ? dump->size - s.offset : 0;
		if (in_file > s.file_size)
			in_file = s.file_size;
		/* Pages wholly inside [p_paddr, p_paddr + size); both are
		 * bounded first, so the sums cannot wrap. */
		uint64_t limit = DUMP_PFN_LIMIT << DUMP_PAGE_SHIFT;
		if (s.physical >= limit)
			continue;
		uint64_t size = s.file_size < limit - s.physical ? s.file_size : limit - s.physical;
		if (in_file > size)
			in_file = size;
		uint64_t first = (s.physical + DUMP_PAGE_SIZE - 1) >> DUMP_PAGE_SHIFT;
		uint64_t claimed_end = (s.physical + size) >> DUMP_PAGE_SHIFT;
		uint64_t held_end = (s.physical + in_file) >> DUMP_PAGE_SHIFT;
		if (claimed_end > first)
			(*claimed)[c++] = (struct pfn_range){ first, claimed_end };
		if (held_end > first)
			(*held)[h++] = (struct pfn_range){ first, held_end };
	}
	*claimed_count = merge_ranges(*claimed, c);
	*held_count = merge_ranges(*held, h);
}

size_t range_at_or_after(const struct pfn_range *ranges, size_t count, uint64_t pfn)
{
	size_t low = 0, high = count;
	while (low < high) {
		size_t middle = low + (high - low) / 2;
		if (ranges[middle].end <= pfn)
			low = middle + 1;
		else
			high = middle;
	}
	return low;
}

bool ranges_hold(const struct pfn_range *ranges, size_t count, uint64_t pfn)
{
	size_t i = range_at_or_after(ranges, count, pfn);
	return i < count && ranges[i].first <= pfn;
}

/* A process core (what gdb or the kernel write for a crashed program)
 * has virtual addresses only: every PT_LOAD's p_paddr is 0.  A machine's
 * dump has physical ones (QEMU: p_paddr, dump-formats.md §7). */
static bool is_process_core(const struct dump *dump, const struct elf_layout *elf)
{
	uint64_t loads = 0, virtual_only = 0;
	for (uint64_t i = 0; i < elf->segments; i++) {
		struct elf_segment s = elf_segment(dump, elf, i);
		if (s.type != ELF_SEGMENT_LOAD)
			continue;
		loads++;
		virtual_only += s.physical == 0 && s.virtual != 0;
	}
	return loads > 1 && virtual_only == loads;
}

struct error *read_elf_layout(const struct dump *dump, struct elf_layout *elf)
{
	uint64_t machine = dump_le(dump->bytes + 18, 2);
	if (machine != ELF_MACHINE_X86_64 && machine != ELF_MACHINE_386)
		return error_at_offset(ERROR_UNSUPPORTED, dump->path, 18,
				       "ELF core for machine %" PRIu64 ", not x86 or x64", machine);
	struct error *error = read_elf_header(dump, elf);
	if (error)
		return error;
	if (is_process_core(dump, elf))
		return error_at_offset(ERROR_UNSUPPORTED, dump->path, elf->segment_table,
				       "the core of a process (PT_LOADs with virtual addresses only, "
				       "p_paddr 0), not a memory dump of a machine");
	/* libkdumpfile reads each note segment whole, past the end of the file
	 * as zeros: found here, a p_filesz of 0xffffffff cost 24 s and 4 GB. */
	for (uint64_t i = 0; i < elf->segments; i++) {
		struct elf_segment s = elf_segment(dump, elf, i);
		if (s.type == ELF_SEGMENT_NOTE && !dump_holds(dump, s.offset, s.file_size))
			return error_at_offset(ERROR_TRUNCATED, dump->path,
					       elf->segment_table + i * elf->segment_size,
					       "PT_NOTE (p_offset 0x%" PRIx64 ", p_filesz 0x%" PRIx64
					       ") runs past the end of the file (0x%" PRIx64 " bytes)",
					       s.offset, s.file_size, dump->size);
	}
	return NULL;
}

void read_elf_notes(struct dump *dump, const struct elf_layout *elf, uint64_t *qemu_notes)
{
	for (uint64_t i = 0; i < elf->segments; i++) {
		struct elf_segment s = elf_segment(dump, elf, i);
		if (s.type == ELF_SEGMENT_NOTE)
			read_qemu_notes(dump, s.offset, s.file_size, qemu_notes);
	}
}
