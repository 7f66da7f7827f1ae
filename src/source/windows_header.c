/* DUMP_HEADER64 / DUMP_HEADER32 into struct dump_facts, and the two rows of
 * the format table that only refuse: crash dumps of a DumpType without a
 * page layout we read, and user-mode minidumps. */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>

#include "windows_header.h"

/* §1/§2: Signature "PAGE" (mindumpdef DUMP_SIGNATURE64/32 'EGAP'), ValidDump
 * "DU64" (DUMP_VALID_DUMP64) or "DUMP" (DUMP_VALID_DUMP32). */
enum {
	HEADER64_SIZE = 0x2000,
	HEADER32_SIZE = 0x1000,
	DUMP_TYPE64_OFFSET = 0xf98,
	DUMP_TYPE32_OFFSET = 0xf88,
	COMMENT_BYTES = 128,
	COMMENT64_OFFSET = 0xfb0,
	COMMENT32_OFFSET = 0x820,
	PAE_ENABLED32_OFFSET = 0x5c,
	/* IMAGE_FILE_MACHINE_AMD64 / _I386, the MachineImageType values of §1. */
	MACHINE_AMD64 = 0x8664,
	MACHINE_I386 = 0x14c,
};

/* Windows fills header space it does not use with "PAGE"; kdmp-parser's
 * PHYSMEM_DESC::LooksGood treats NumberOfRuns 0x45474150 and NumberOfPages
 * 0x4547415045474150 as "no value".  A fact holding the fill is unknown. */
#define PAGE_FILL32 UINT64_C(0x45474150)
#define PAGE_FILL64 UINT64_C(0x4547415045474150)

bool windows_probe_header(const unsigned char *head, size_t length, bool *is64,
			  uint32_t *dump_type)
{
	if (length < 8 || !dump_tag_is(head, "PAGE"))
		return false;
	if (dump_tag_is(head + 4, "DU64"))
		*is64 = true;
	else if (dump_tag_is(head + 4, "DUMP"))
		*is64 = false;
	else
		return false;
	size_t at = *is64 ? DUMP_TYPE64_OFFSET : DUMP_TYPE32_OFFSET;
	if (length < at + 4)
		return false;
	*dump_type = (uint32_t)dump_le(head + at, 4);
	return true;
}

/* One fact of struct dump_facts and where each header keeps it. */
struct header_field {
	size_t fact; /* offsetof a maybe_u64 in struct dump_facts */
	uint16_t offset64, offset32;
	uint8_t width64, width32;
};

#define FACT(member) offsetof(struct dump_facts, member)
static const struct header_field header_fields[] = {
	/*  fact                                 x64 §1       x86 §2 */
	{ FACT(major_version),                 0x008, 0x008, 4, 4 },
	{ FACT(minor_version),                 0x00c, 0x00c, 4, 4 },
	{ FACT(directory_table_base),          0x010, 0x010, 8, 4 },
	{ FACT(pfn_database),                  0x018, 0x014, 8, 4 },
	{ FACT(ps_loaded_module_list),         0x020, 0x018, 8, 4 },
	{ FACT(ps_active_process_head),        0x028, 0x01c, 8, 4 },
	{ FACT(machine_image_type),            0x030, 0x020, 4, 4 },
	{ FACT(processors),                    0x034, 0x024, 4, 4 },
	{ FACT(bugcheck_code),                 0x038, 0x028, 4, 4 },
	{ FACT(bugcheck_parameters[0]),        0x040, 0x02c, 8, 4 },
	{ FACT(bugcheck_parameters[1]),        0x048, 0x030, 8, 4 },
	{ FACT(bugcheck_parameters[2]),        0x050, 0x034, 8, 4 },
	{ FACT(bugcheck_parameters[3]),        0x058, 0x038, 8, 4 },
	{ FACT(kd_debugger_data_block),        0x080, 0x060, 8, 4 },
	{ FACT(required_dump_space),           0xfa0, 0xfa0, 8, 8 },
	{ FACT(system_time),                   0xfa8, 0xfc0, 8, 8 },
	{ FACT(system_uptime),                 0x1030, 0xfb8, 8, 8 },
	{ FACT(attributes),                    0x1050, 0x8a0, 4, 4 },
};
#undef FACT

static maybe_u64 header_value(const struct dump *dump, uint64_t offset, unsigned width)
{
	uint64_t value = dump_le(dump->bytes + offset, width);
	if (value == (width == 4 ? PAGE_FILL32 : PAGE_FILL64))
		return UNKNOWN_U64;
	return known_u64(value);
}

static const char *const dump_type_names[] = {
	[WINDOWS_DUMP_FULL] = "FULL",
	[WINDOWS_DUMP_SUMMARY] = "SUMMARY",
	[WINDOWS_DUMP_HEADER] = "HEADER",
	[WINDOWS_DUMP_TRIAGE] = "TRIAGE",
	[WINDOWS_DUMP_BITMAP_FULL] = "BITMAP_FULL",
	[WINDOWS_DUMP_BITMAP_KERNEL] = "BITMAP_KERNEL",
	[WINDOWS_DUMP_AUTOMATIC] = "AUTOMATIC",
	[WINDOWS_DUMP_KERNEL_MEMORY] = "KERNEL_MEMORY",
	[WINDOWS_DUMP_KERNEL_AND_USER_MEMORY] = "KERNEL_AND_USER_MEMORY",
	[WINDOWS_DUMP_COMPLETE_MEMORY] = "COMPLETE_MEMORY",
};

static const char *dump_type_name(struct dump *dump, uint32_t type)
{
	if (type < sizeof dump_type_names / sizeof *dump_type_names && dump_type_names[type])
		return dump_type_names[type];
	snprintf(dump->dump_type_text, sizeof dump->dump_type_text, "unknown (0x%" PRIx32 ")", type);
	return dump->dump_type_text;
}

static enum dump_arch arch_of(const struct dump_facts *facts, bool is64)
{
	if (!facts->machine_image_type.known)
		return is64 ? DUMP_ARCH_X64 : DUMP_ARCH_X86;
	switch (facts->machine_image_type.value) {
	case MACHINE_AMD64:
		return DUMP_ARCH_X64;
	case MACHINE_I386:
		return DUMP_ARCH_X86;
	default:
		return DUMP_ARCH_UNKNOWN; /* ARM64 and others: pages readable, paging not ours */
	}
}

/* The free-text Comment, up to its NUL, printable ASCII only; the "PAGE"
 * fill reads as no comment. */
static void read_comment(const struct dump *dump, uint64_t offset, char *comment)
{
	const unsigned char *text = dump->bytes + offset;
	size_t length = 0;
	if (!dump_tag_is(text, "PAGE")) {
		while (length < COMMENT_BYTES && text[length]) {
			unsigned char c = text[length];
			comment[length] = c >= 0x20 && c < 0x7f ? (char)c : '?';
			length++;
		}
	}
	comment[length] = '\0';
}

struct error *windows_header_read(struct dump *dump, struct windows_header *header)
{
	uint32_t type = 0;
	if (!windows_probe_header(dump->bytes, dump->size, &header->is64, &type)) {
		/* Only the DumpType can be missing: the probes matched the signature. */
		header->is64 = dump->size >= 8 && dump_tag_is(dump->bytes + 4, "DU64");
	}
	header->size = header->is64 ? HEADER64_SIZE : HEADER32_SIZE;
	if (dump->size < header->size)
		return error_at_offset(ERROR_TRUNCATED, dump->path, dump->size,
				       "the file ends inside the 0x%" PRIx64 "-byte crash dump header (%s)",
				       header->size, header->is64 ? "DUMP_HEADER64" : "DUMP_HEADER32");
	header->dump_type = type;
	header->dump_type_offset = header->is64 ? DUMP_TYPE64_OFFSET : DUMP_TYPE32_OFFSET;

	struct dump_facts *facts = &dump->facts;
	facts->format_name = "Windows crash dump";
	for (size_t i = 0; i < sizeof header_fields / sizeof *header_fields; i++) {
		const struct header_field *field = &header_fields[i];
		maybe_u64 *fact = (maybe_u64 *)((char *)facts + field->fact);
		*fact = header->is64 ? header_value(dump, field->offset64, field->width64)
				     : header_value(dump, field->offset32, field->width32);
	}
	facts->dump_type = known_u64(type);
	facts->dump_type_name = dump_type_name(dump, type);
	facts->arch = arch_of(facts, header->is64);
	if (!header->is64) {
		unsigned char pae = dump->bytes[PAE_ENABLED32_OFFSET];
		facts->pae = pae <= 1 ? pae : -1;
	}
	read_comment(dump, header->is64 ? COMMENT64_OFFSET : COMMENT32_OFFSET, facts->comment);
	return NULL;
}

/* --- The rows that refuse ------------------------------------------------ */

/* "PAGE" at 0, or a damaged signature before a ValidDump of §1/§2: a crash
 * dump, even when no layout row took it, so its refusal can say why. */
static bool probe_any_crash_dump(const unsigned char *head, size_t length)
{
	if (length >= 4 && dump_tag_is(head, "PAGE"))
		return true;
	return length >= 8 && (dump_tag_is(head + 4, "DU64") || dump_tag_is(head + 4, "DUMP"));
}

/* Why a crash dump of this DumpType cannot be read (the page layouts we read
 * are in windows_runs.c, windows_bitmap.c and windows_rdmp.c). */
static struct error *open_other_dump(struct dump *dump)
{
	if (!dump_tag_is(dump->bytes, "PAGE")) {
		const unsigned char *s = dump->bytes;
		return error_at_offset(ERROR_FORMAT, dump->path, 0,
				       "crash dump Signature is %02x %02x %02x %02x, not \"PAGE\"",
				       s[0], s[1], s[2], s[3]);
	}
	if (dump->size >= 8 && !dump_tag_is(dump->bytes + 4, "DU64") &&
	    !dump_tag_is(dump->bytes + 4, "DUMP")) {
		const unsigned char *v = dump->bytes + 4;
		return error_at_offset(ERROR_FORMAT, dump->path, 4,
				       "crash dump ValidDump is %02x %02x %02x %02x, not \"DU64\" or \"DUMP\"",
				       v[0], v[1], v[2], v[3]);
	}
	struct windows_header header;
	struct error *error = windows_header_read(dump, &header);
	if (error)
		return error;
	uint64_t at = header.dump_type_offset;
	uint32_t type = header.dump_type;
	switch (type) {
	case WINDOWS_DUMP_TRIAGE:
		return error_at_offset(ERROR_UNSUPPORTED, dump->path, at,
				       "DumpType 4 (triage/kernel minidump) holds one thread and a few pages, "
				       "not the system's IPC state; take a kernel or complete dump");
	case WINDOWS_DUMP_HEADER:
		return error_at_offset(ERROR_UNSUPPORTED, dump->path, at,
				       "DumpType 3 (header only) holds no memory pages; "
				       "take a kernel or complete dump");
	case WINDOWS_DUMP_AUTOMATIC:
		return error_at_offset(ERROR_UNSUPPORTED, dump->path, at,
				       "DumpType 7 (AUTOMATIC) names a dump setting, not a page layout "
				       "alpcgraph knows");
	case WINDOWS_DUMP_KERNEL_MEMORY:
	case WINDOWS_DUMP_KERNEL_AND_USER_MEMORY:
	case WINDOWS_DUMP_COMPLETE_MEMORY:
		/* §5.3 documents the "RDMP" layout for DUMP_HEADER64 only. */
		return error_at_offset(ERROR_UNSUPPORTED, dump->path, at,
				       "DumpType 0x%" PRIx32 " (%s) in a 32-bit dump: its \"RDMP\" page layout "
				       "is known only for 64-bit dumps", type, dump->facts.dump_type_name);
	default:
		return error_at_offset(ERROR_FORMAT, dump->path, at,
				       "unknown DumpType 0x%" PRIx32 " (readable: 1 full, 2/5/6 bitmap, "
				       "8/9/0xA RDMP)", type);
	}
}

const struct dump_format_ops windows_other_dump_format = {
	.name = "Windows crash dump",
	.probe = probe_any_crash_dump,
	.open = open_other_dump,
};

/* A user-mode minidump starts with MINIDUMP_HEADER.Signature "MDMP"
 * (Windows SDK minidumpapiset.h MINIDUMP_SIGNATURE 'PMDM'). */
static bool probe_user_minidump(const unsigned char *head, size_t length)
{
	return length >= 4 && dump_tag_is(head, "MDMP");
}

const struct dump_format_ops windows_user_minidump_format = {
	.name = "Windows user-mode minidump",
	.probe = probe_user_minidump,
	.refusal = "a user-mode minidump (\"MDMP\") holds one process's memory, not the kernel's "
		   "IPC state; take a kernel or complete memory dump",
};
