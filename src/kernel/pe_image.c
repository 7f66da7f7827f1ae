/* A PE image in memory: its CodeView record and its section table.
 *
 * The debug directory entry of type 2 (IMAGE_DEBUG_TYPE_CODEVIEW) points
 * at an "RSDS" record — GUID, age and PDB file name — which names the
 * exact kernel build's symbols (dump-formats.md §8 item 4).  The layout is
 * Microsoft's published PE format specification: e_lfanew at 0x3c,
 * "PE\0\0", a 20-byte file header (NumberOfSections at +2,
 * SizeOfOptionalHeader at +16), the optional header with magic 0x10b
 * (PE32) or 0x20b (PE32+), SizeOfImage at +56, NumberOfRvaAndSizes at +92
 * / +108 and the data directories at +96 / +112, the debug directory
 * being entry 6; a debug directory entry is 28 bytes with Type at +12,
 * SizeOfData at +16 and AddressOfRawData at +20; the section table
 * follows the optional header, 40 bytes a section (Name[8], VirtualSize
 * at +8, VirtualAddress at +12, SizeOfRawData at +16), and "the Windows
 * loader limits the number of sections to 96". */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "kernel.h"

enum {
	DOS_NEW_HEADER = 0x3c,
	NEW_HEADER_LIMIT = 0x1000, /* e_lfanew past the first page is not a kernel's */
	FILE_HEADER_SIZE = 20,
	PE32_MAGIC = 0x10b,
	PE32_PLUS_MAGIC = 0x20b,
	SIZE_OF_IMAGE = 56,
	DEBUG_DIRECTORY_INDEX = 6,
	DEBUG_ENTRY_SIZE = 28,
	DEBUG_ENTRIES_READ = 16,
	CODEVIEW = 2,
	SECTION_HEADER_SIZE = 40,
	SECTIONS_MAX = 96,
	RSDS_FIXED = 24, /* "RSDS", GUID, age */
	PDB_NAME_READ = 64,
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

struct pe_headers {
	uint64_t nt; /* the VA of "PE\0\0" */
	uint16_t sections, optional_size;
	uint32_t image_size;
	uint32_t debug_rva, debug_size; /* 0 when the image has none */
};

static struct error *read_headers(struct address_space *space, uint64_t base, struct pe_headers *pe)
{
	unsigned char dos[0x40];
	struct error *error = virtual_read(space, base, dos, sizeof dos);
	if (error)
		return error;
	if (dos[0] != 'M' || dos[1] != 'Z')
		return error_new(ERROR_FORMAT, "va 0x%" PRIx64 ": no MZ image", base);
	uint32_t new_header = u32_at(dos + DOS_NEW_HEADER);
	if (new_header > NEW_HEADER_LIMIT)
		return error_new(ERROR_FORMAT, "va 0x%" PRIx64 ": e_lfanew 0x%x is not plausible", base,
				 new_header);
	pe->nt = base + new_header;
	unsigned char nt[4 + FILE_HEADER_SIZE + 112 + 8 * 16];
	if ((error = virtual_read(space, pe->nt, nt, sizeof nt)))
		return error;
	if (memcmp(nt, "PE\0\0", 4) != 0)
		return error_new(ERROR_FORMAT, "va 0x%" PRIx64 ": no PE signature", pe->nt);
	pe->sections = u16_at(nt + 4 + 2);
	pe->optional_size = u16_at(nt + 4 + 16);
	const unsigned char *optional = nt + 4 + FILE_HEADER_SIZE;
	uint16_t magic = u16_at(optional);
	unsigned directories = magic == PE32_PLUS_MAGIC ? 112 : magic == PE32_MAGIC ? 96 : 0;
	if (!directories)
		return error_new(ERROR_FORMAT, "va 0x%" PRIx64 ": optional header magic 0x%x", pe->nt,
				 magic);
	pe->image_size = u32_at(optional + SIZE_OF_IMAGE);
	uint32_t directory_count = u32_at(optional + directories - 4);
	const unsigned char *debug = optional + directories + 8 * DEBUG_DIRECTORY_INDEX;
	pe->debug_rva = directory_count > DEBUG_DIRECTORY_INDEX ? u32_at(debug) : 0;
	pe->debug_size = directory_count > DEBUG_DIRECTORY_INDEX ? u32_at(debug + 4) : 0;
	return NULL;
}

/* The name runs to its NUL; it is read up to the end of the record's page
 * first, so a record at a page's end reads even when the next page is
 * absent. */
static void read_pdb_name(struct address_space *space, uint64_t at, char *pdb_name,
			  size_t name_size)
{
	unsigned char bytes[PDB_NAME_READ] = { 0 };
	size_t in_page = DUMP_PAGE_SIZE - (at & (DUMP_PAGE_SIZE - 1));
	size_t first = in_page < sizeof bytes ? in_page : sizeof bytes;
	struct error *error = virtual_read(space, at, bytes, first);
	if (!error && first < sizeof bytes && !memchr(bytes, 0, first))
		error_free(virtual_read(space, at + first, bytes + first, sizeof bytes - first));
	error_free(error);
	size_t length = 0;
	while (length < sizeof bytes && length + 1 < name_size && bytes[length] >= 0x20 &&
	       bytes[length] < 0x7f)
		length++;
	memcpy(pdb_name, bytes, length);
	pdb_name[length] = '\0';
}

static struct error *read_codeview(struct address_space *space, uint64_t record, char *pdb_name,
				   size_t name_size, char guid[33], uint64_t *age)
{
	unsigned char bytes[RSDS_FIXED];
	struct error *error = virtual_read(space, record, bytes, sizeof bytes);
	if (error)
		return error;
	if (memcmp(bytes, "RSDS", 4) != 0)
		return error_new(ERROR_FORMAT, "va 0x%" PRIx64 ": no RSDS CodeView record", record);
	/* GUID: Data1 (LE u32), Data2 and Data3 (LE u16), Data4 (8 bytes),
	 * written as symbol stores name their folders: upper-case hex. */
	snprintf(guid, 33, "%08X%04X%04X%02X%02X%02X%02X%02X%02X%02X%02X", u32_at(bytes + 4),
		 u16_at(bytes + 8), u16_at(bytes + 10), bytes[12], bytes[13], bytes[14], bytes[15],
		 bytes[16], bytes[17], bytes[18], bytes[19]);
	*age = u32_at(bytes + 20);
	read_pdb_name(space, record + RSDS_FIXED, pdb_name, name_size);
	return NULL;
}

struct error *pe_debug_record(struct address_space *space, uint64_t base, char *pdb_name,
			      size_t name_size, char guid[33], uint64_t *age)
{
	struct pe_headers pe;
	struct error *error = read_headers(space, base, &pe);
	if (error)
		return error;
	if (!pe.debug_rva || pe.debug_size < DEBUG_ENTRY_SIZE)
		return error_new(ERROR_ABSENT, "va 0x%" PRIx64 ": the image has no debug directory", base);
	unsigned entries = pe.debug_size / DEBUG_ENTRY_SIZE;
	if (entries > DEBUG_ENTRIES_READ)
		entries = DEBUG_ENTRIES_READ;
	for (unsigned i = 0; i < entries; i++) {
		unsigned char entry[DEBUG_ENTRY_SIZE];
		uint64_t at = base + pe.debug_rva + (uint64_t)i * DEBUG_ENTRY_SIZE;
		if ((error = virtual_read(space, at, entry, sizeof entry)))
			return error;
		if (u32_at(entry + 12) == CODEVIEW && u32_at(entry + 20))
			return read_codeview(space, base + u32_at(entry + 20), pdb_name, name_size, guid, age);
	}
	return error_new(ERROR_ABSENT, "va 0x%" PRIx64 ": no CodeView debug entry", base);
}

struct error *pe_section(struct address_space *space, uint64_t base, const char *name,
			 uint32_t *rva, uint32_t *size)
{
	struct pe_headers pe;
	struct error *error = read_headers(space, base, &pe);
	if (error)
		return error;
	if (pe.sections > SECTIONS_MAX)
		return error_new(ERROR_FORMAT,
				 "va 0x%" PRIx64 ": NumberOfSections %u is more than the loader's %d",
				 pe.nt, pe.sections, SECTIONS_MAX);
	unsigned char table[SECTIONS_MAX * SECTION_HEADER_SIZE];
	uint64_t at = pe.nt + 4 + FILE_HEADER_SIZE + pe.optional_size;
	if ((error = virtual_read(space, at, table, (size_t)pe.sections * SECTION_HEADER_SIZE)))
		return error;
	char wanted[8] = { 0 };
	for (size_t i = 0; i < sizeof wanted && name[i]; i++)
		wanted[i] = name[i];
	for (unsigned i = 0; i < pe.sections; i++) {
		const unsigned char *section = table + i * SECTION_HEADER_SIZE;
		if (memcmp(section, wanted, sizeof wanted) != 0)
			continue;
		uint32_t start = u32_at(section + 12), length = u32_at(section + 8);
		if (!length)
			length = u32_at(section + 16);
		if (start >= pe.image_size || !length)
			return error_new(ERROR_FORMAT,
					 "va 0x%" PRIx64 ": section %.8s at RVA 0x%x (0x%x bytes) lies "
					 "outside the image (SizeOfImage 0x%x)",
					 base, name, start, length, pe.image_size);
		*rva = start;
		*size = length < pe.image_size - start ? length : pe.image_size - start;
		return NULL;
	}
	return error_new(ERROR_ABSENT, "va 0x%" PRIx64 ": the image has no %.8s section", base, name);
}
