/* The CodeView record of a PE image in memory: the debug directory entry
 * of type 2 (IMAGE_DEBUG_TYPE_CODEVIEW) points at an "RSDS" record — GUID,
 * age and PDB file name — which names the exact kernel build's symbols
 * (dump-formats.md §8 item 4; the PE/COFF layout is Microsoft's published
 * PE format specification: e_lfanew at 0x3c, "PE\0\0", a 20-byte file
 * header, the optional header with magic 0x10b (PE32) or 0x20b (PE32+) and
 * its data directories at +96 / +112, the debug directory being entry 6;
 * a debug directory entry is 28 bytes with Type at +12, SizeOfData at +16
 * and AddressOfRawData at +20). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "kernel.h"

enum {
	DOS_NEW_HEADER = 0x3c,
	FILE_HEADER_SIZE = 20,
	PE32_MAGIC = 0x10b,
	PE32_PLUS_MAGIC = 0x20b,
	DEBUG_DIRECTORY_INDEX = 6,
	DEBUG_ENTRY_SIZE = 28,
	DEBUG_ENTRIES_READ = 16,
	CODEVIEW = 2,
};

static uint32_t u32_at(const unsigned char *bytes)
{
	return (uint32_t)bytes[0] | (uint32_t)bytes[1] << 8 | (uint32_t)bytes[2] << 16 |
	       (uint32_t)bytes[3] << 24;
}

static uint16_t u16_at(const unsigned char *bytes)
{
	return (uint16_t)(bytes[0] | bytes[1] << 8);
}

static struct error *read_codeview(struct address_space *space, uint64_t record, char *pdb_name,
				   size_t name_size, char guid[33], uint64_t *age)
{
	unsigned char bytes[24 + 64];
	struct error *error = virtual_read(space, record, bytes, sizeof bytes);
	if (error)
		return error;
	if (memcmp(bytes, "RSDS", 4) != 0)
		return error_new(ERROR_FORMAT, "va 0x%" PRIx64 ": no RSDS CodeView record", record);
	/* GUID: Data1 (LE u32), Data2 and Data3 (LE u16), Data4 (8 bytes). */
	snprintf(guid, 33, "%08X%04X%04X%02X%02X%02X%02X%02X%02X%02X%02X", u32_at(bytes + 4),
		 u16_at(bytes + 8), u16_at(bytes + 10), bytes[12], bytes[13], bytes[14], bytes[15],
		 bytes[16], bytes[17], bytes[18], bytes[19]);
	*age = u32_at(bytes + 20);
	size_t length = 0;
	while (length < 64 && length + 1 < name_size && bytes[24 + length] >= 0x20 &&
	       bytes[24 + length] < 0x7f)
		length++;
	memcpy(pdb_name, bytes + 24, length);
	pdb_name[length] = '\0';
	return NULL;
}

struct error *pe_debug_record(struct address_space *space, uint64_t base, char *pdb_name,
			      size_t name_size, char guid[33], uint64_t *age)
{
	unsigned char header[0x40];
	struct error *error = virtual_read(space, base, header, sizeof header);
	if (error)
		return error;
	if (header[0] != 'M' || header[1] != 'Z')
		return error_new(ERROR_FORMAT, "va 0x%" PRIx64 ": no MZ image", base);
	uint32_t pe = u32_at(header + DOS_NEW_HEADER);
	if (pe > 0x1000)
		return error_new(ERROR_FORMAT, "va 0x%" PRIx64 ": e_lfanew 0x%x is not plausible", base, pe);
	unsigned char nt[4 + FILE_HEADER_SIZE + 112 + 8 * 16];
	if ((error = virtual_read(space, base + pe, nt, sizeof nt)))
		return error;
	if (memcmp(nt, "PE\0\0", 4) != 0)
		return error_new(ERROR_FORMAT, "va 0x%" PRIx64 ": no PE signature", base + pe);
	const unsigned char *optional = nt + 4 + FILE_HEADER_SIZE;
	uint16_t magic = u16_at(optional);
	size_t directories = magic == PE32_PLUS_MAGIC ? 112 : magic == PE32_MAGIC ? 96 : 0;
	if (!directories)
		return error_new(ERROR_FORMAT, "va 0x%" PRIx64 ": optional header magic 0x%x", base + pe,
				 magic);
	const unsigned char *debug = optional + directories + 8 * DEBUG_DIRECTORY_INDEX;
	uint32_t rva = u32_at(debug), size = u32_at(debug + 4);
	if (!rva || size < DEBUG_ENTRY_SIZE)
		return error_new(ERROR_ABSENT, "va 0x%" PRIx64 ": the image has no debug directory", base);
	unsigned entries = size / DEBUG_ENTRY_SIZE;
	if (entries > DEBUG_ENTRIES_READ)
		entries = DEBUG_ENTRIES_READ;
	for (unsigned i = 0; i < entries; i++) {
		unsigned char entry[DEBUG_ENTRY_SIZE];
		if ((error = virtual_read(space, base + rva + i * DEBUG_ENTRY_SIZE, entry, sizeof entry)))
			return error;
		if (u32_at(entry + 12) == CODEVIEW && u32_at(entry + 20))
			return read_codeview(space, base + u32_at(entry + 20), pdb_name, name_size, guid, age);
	}
	return error_new(ERROR_ABSENT, "va 0x%" PRIx64 ": no CodeView debug entry", base);
}
