/* `--profile FILE`: a Volatility 3 ISF symbol table as a struct
 * kernel_profile.  Every entry of profile_fields.def is looked up
 * (isf_member.c); what the file lacks stays PROFILE_ABSENT, what it holds
 * malformed fails the load with a message naming the structure and
 * member.  The metadata gives the PDB GUID and age (metadata.windows.pdb,
 * as the JPCERT files and Volatility's pdbconv write it); the build is
 * left 0 (the ISF does not record it) for the caller to take from the
 * dump.  Measured behaviour of json-c and liblzma: docs/isf.md. */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "isf_internal.h"

/* AMD64 and i386 in the PE/COFF machine field (PE format specification). */
enum { MACHINE_AMD64 = 0x8664, MACHINE_I386 = 0x14c };

static json_object *object_member(json_object *object, const char *key)
{
	json_object *item;
	if (!object || !json_object_object_get_ex(object, key, &item) ||
	    !json_object_is_type(item, json_type_object))
		return NULL;
	return item;
}

static struct error *parse_json(const char *name, const char *text, size_t length,
				json_object **root)
{
	if (length > (size_t)ISF_MAX_FILE_BYTES)
		return error_in_file(ERROR_LIMIT, name, "%zu bytes of JSON: more than %d MiB",
				     length, ISF_MAX_FILE_BYTES >> 20);
	/* json-c builds the whole tree: bound the number of values it may
	 * make before it starts (an overcount: separators inside strings
	 * count too). */
	size_t values = 0, objects = 0;
	for (size_t i = 0; i < length; i++) {
		objects += text[i] == '{';
		values += text[i] == ':' || text[i] == ',' || text[i] == '{' || text[i] == '[';
	}
	if (values > ISF_MAX_VALUES || objects > ISF_MAX_OBJECTS)
		return error_in_file(ERROR_LIMIT, name,
				     "%zu JSON values in %zu objects: more than a symbol table holds "
				     "(at most %d and %d)",
				     values, objects, ISF_MAX_VALUES, ISF_MAX_OBJECTS);
	json_tokener *tokener = json_tokener_new_ex(ISF_MAX_DEPTH);
	if (!tokener)
		return error_in_file(ERROR_NO_MEMORY, name, "out of memory parsing JSON");
	*root = json_tokener_parse_ex(tokener, text, (int)length);
	enum json_tokener_error status = json_tokener_get_error(tokener);
	size_t end = json_tokener_get_parse_end(tokener);
	json_tokener_free(tokener);
	struct error *error = NULL;
	if (status == json_tokener_continue || (!*root && status == json_tokener_success))
		error = error_at_offset(ERROR_TRUNCATED, name, length,
					"the JSON ends in the middle of a value");
	else if (status != json_tokener_success)
		error = error_at_offset(ERROR_FORMAT, name, end, "not JSON: %s",
					json_tokener_error_desc(status));
	else {
		while (end < length && isspace((unsigned char)text[end]))
			end++;
		if (end < length)
			error = error_at_offset(ERROR_FORMAT, name, end,
						"text after the end of the JSON object");
	}
	if (error) {
		json_object_put(*root);
		*root = NULL;
	}
	return error;
}

static struct error *open_tables(const char *name, json_object *root, struct isf *isf)
{
	*isf = (struct isf){ .name = name, .root = root };
	if (!json_object_is_type(root, json_type_object))
		return error_in_file(ERROR_FORMAT, name, "not an ISF symbol table: the JSON is not an object");
	isf->user_types = object_member(root, "user_types");
	if (!isf->user_types)
		return error_in_file(ERROR_FORMAT, name,
				     "not an ISF symbol table: no user_types object");
	isf->base_types = object_member(root, "base_types");
	isf->metadata = object_member(root, "metadata");
	json_object *symbols;
	if (json_object_object_get_ex(root, "symbols", &symbols)) {
		if (!json_object_is_type(symbols, json_type_object))
			return error_in_file(ERROR_FORMAT, name, "symbols is not an object");
		isf->symbols = symbols;
	}
	return NULL;
}

static void set_offset(struct kernel_profile *profile, size_t member, int64_t value)
{
	int32_t narrow = (int32_t)value; /* bounded by ISF_MAX_STRUCT_SIZE */
	memcpy((char *)profile + member, &narrow, sizeof narrow);
}

static void set_bits(struct kernel_profile *profile, size_t member, struct profile_bits bits)
{
	memcpy((char *)profile + member, &bits, sizeof bits);
}

static void set_rva(struct kernel_profile *profile, size_t member, int64_t value)
{
	memcpy((char *)profile + member, &value, sizeof value);
}

static void clear_entries(struct kernel_profile *profile)
{
	for (size_t i = 0; i < profile_entry_count; i++) {
		const struct profile_entry *entry = &profile_entries[i];
		switch (entry->kind) {
		case PROFILE_SIZE_ENTRY:
		case PROFILE_FIELD_ENTRY:
			set_offset(profile, entry->member, PROFILE_ABSENT);
			break;
		case PROFILE_BITS_ENTRY:
			set_bits(profile, entry->member,
				 (struct profile_bits){ .offset = PROFILE_ABSENT });
			break;
		case PROFILE_SYMBOL_ENTRY:
			set_rva(profile, entry->member, PROFILE_ABSENT);
			break;
		}
	}
}

/* One entry from the file.  A field that turns out to be a bitfield is
 * given its storage unit's offset; a bitfield entry that is a whole
 * integer in this build is all of its bits. */
static struct error *fill_entry(const struct isf *isf, const struct profile_entry *entry,
				struct kernel_profile *profile)
{
	struct isf_member member;
	int64_t value;
	struct error *error;
	switch (entry->kind) {
	case PROFILE_SIZE_ENTRY:
		error = isf_structure_size(isf, entry->structure, &value);
		if (!error)
			set_offset(profile, entry->member, value);
		return error;
	case PROFILE_FIELD_ENTRY:
		error = isf_find_member(isf, entry->structure, entry->path, &member);
		if (!error)
			set_offset(profile, entry->member, member.offset);
		return error;
	case PROFILE_BITS_ENTRY:
		error = isf_find_member(isf, entry->structure, entry->path, &member);
		if (error)
			return error;
		if (!member.is_bitfield) {
			if (member.unit_size < 1 || member.unit_size > 8)
				return error_in_file(ERROR_ABSENT, isf->name,
						     "%s.%s is neither a bitfield nor an integer",
						     entry->structure, entry->path);
			member.bit = 0;
			member.width = (uint8_t)(member.unit_size * 8);
		}
		set_bits(profile, entry->member,
			 (struct profile_bits){ .offset = (int32_t)member.offset, .bit = member.bit,
						.width = member.width });
		return NULL;
	case PROFILE_SYMBOL_ENTRY:
		error = isf_symbol_rva(isf, entry->path, &value);
		if (!error)
			set_rva(profile, entry->member, value);
		return error;
	}
	return error_new(ERROR_USAGE, "profile entry %s of unknown kind", entry->id);
}

static struct error *fill_entries(const struct isf *isf, struct kernel_profile *profile)
{
	size_t found = 0;
	for (size_t i = 0; i < profile_entry_count; i++) {
		struct error *error = fill_entry(isf, &profile_entries[i], profile);
		if (error && error->code != ERROR_ABSENT)
			return error;
		if (error)
			error_free(error);
		else
			found++;
	}
	if (found == 0)
		return error_in_file(ERROR_FORMAT, isf->name,
				     "holds none of the Windows kernel structures alpcgraph reads");
	return NULL;
}

/* metadata.windows.pdb: GUID as 32 hex digits (upper-cased, as symbol
 * stores write it) and age.  A file without them is still usable. */
static struct error *read_pdb(const struct isf *isf, struct kernel_profile *profile,
			      int64_t *machine)
{
	json_object *pdb = object_member(object_member(isf->metadata, "windows"), "pdb");
	char guid[33] = "";
	*machine = 0;
	if (pdb) {
		json_object *item;
		if (json_object_object_get_ex(pdb, "GUID", &item)) {
			const char *text = json_object_is_type(item, json_type_string)
						   ? json_object_get_string(item) : NULL;
			if (!text || strlen(text) != 32 || strspn(text, "0123456789abcdefABCDEF") != 32)
				return error_in_file(ERROR_FORMAT, isf->name,
						     "metadata.windows.pdb.GUID is not 32 hex digits");
			for (int i = 0; i < 32; i++)
				guid[i] = (char)toupper((unsigned char)text[i]);
			guid[32] = 0;
		}
		int64_t age;
		if (json_object_object_get_ex(pdb, "age", &item)) {
			if (!isf_integer(pdb, "age", &age) || age < 0 || age > (int64_t)UINT32_MAX)
				return error_in_file(ERROR_FORMAT, isf->name,
						     "metadata.windows.pdb.age is not a 32-bit count");
			profile->pdb_age = (uint32_t)age;
		}
		if (!isf_integer(pdb, "machine_type", machine))
			*machine = 0;
	}
	profile->pdb_guid = checked_strdup(guid);
	return NULL;
}

static struct error *read_pointer_size(const struct isf *isf, struct kernel_profile *profile,
				       int64_t machine)
{
	json_object *pointer = object_member(isf->base_types, "pointer");
	int64_t size = 0;
	if (pointer && !isf_integer(pointer, "size", &size))
		return error_in_file(ERROR_FORMAT, isf->name,
				     "base_types.pointer has no integer size");
	if (!pointer)
		size = machine == MACHINE_AMD64 ? 8 : machine == MACHINE_I386 ? 4 : 0;
	if (size != 4 && size != 8)
		return error_in_file(ERROR_FORMAT, isf->name,
				     pointer ? "base_types.pointer: size %" PRId64 " is neither 4 nor 8"
					     : "no pointer size: neither base_types.pointer nor a known machine_type (%" PRId64 ")",
				     pointer ? size : machine);
	profile->pointer_size = (uint32_t)size;
	return NULL;
}

/* Struct-offsets.md "Object header notes": TypeIndex arrived with Win7;
 * Windows 10 XORs it with ObHeaderCookie.  A table without symbols still
 * shows the cookie era by _OBJECT_HEADER_EXTENDED_INFO (14393+), and a
 * build, when known, by its number.  "Handle table notes": Win8.1+ keeps
 * the object as ObjectPointerBits. */
static void choose_schemes(struct kernel_profile *profile, bool has_symbols)
{
	if (profile->object_header_type_index == PROFILE_ABSENT)
		profile->object_header_scheme = OBJECT_HEADER_TYPE_POINTER;
	else if (profile->ob_header_cookie_rva != PROFILE_ABSENT || profile->build >= 10000 ||
		 (!has_symbols && profile->object_header_extended_info_size != PROFILE_ABSENT))
		profile->object_header_scheme = OBJECT_HEADER_TYPE_COOKIE;
	else
		profile->object_header_scheme = OBJECT_HEADER_TYPE_INDEX;
	profile->handle_entry_scheme = profile->handle_table_entry_object_pointer_bits.offset != PROFILE_ABSENT
					       ? HANDLE_ENTRY_POINTER_BITS
					       : HANDLE_ENTRY_HEADER_POINTER;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

struct error *profile_parse_isf_text(const char *name, const char *source, const char *text,
				     size_t length, struct kernel_profile **result)
{
	*result = NULL;
	json_object *root = NULL;
	struct error *error = parse_json(name, text, length, &root);
	if (error)
		return error;
	struct isf isf;
	struct kernel_profile *profile = checked_calloc(1, sizeof *profile);
	profile->name = checked_strdup(base_name(name));
	profile->version = checked_strdup("");
	profile->source = checked_strdup(source);
	int64_t machine = 0;
	clear_entries(profile);
	error = open_tables(name, root, &isf);
	if (!error)
		error = fill_entries(&isf, profile);
	if (!error)
		error = read_pdb(&isf, profile, &machine);
	if (!error)
		error = read_pointer_size(&isf, profile, machine);
	bool has_symbols = isf.symbols != NULL && json_object_object_length(isf.symbols) > 0;
	json_object_put(root); /* every json-c pointer above dies here */
	if (error) {
		profile_free(profile);
		return error;
	}
	choose_schemes(profile, has_symbols);
	profile->incomplete = profile_first_missing(profile) != NULL;
	*result = profile;
	return NULL;
}

struct error *profile_load_isf(const char *path, struct kernel_profile **profile)
{
	*profile = NULL;
	char *text = NULL;
	size_t length = 0;
	struct error *error = isf_read_file(path, &text, &length);
	if (error)
		return error;
	error = profile_parse_isf_text(path, path, text, length, profile);
	free(text);
	return error;
}

/* Only for profiles the loader made: the built-in ones are static. */
void profile_free(struct kernel_profile *profile)
{
	if (!profile)
		return;
	free((char *)profile->name);
	free((char *)profile->version);
	free((char *)profile->source);
	free((char *)profile->pdb_guid);
	free(profile);
}
