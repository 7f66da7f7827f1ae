/* Finding "_KALPC_MESSAGE" "u1.s1.QueueType" in an ISF table: each name of
 * the path is a member of the type the previous one names (user_types,
 * kind "struct" or "union" by name), offsets add up, the last member may
 * be a bitfield.  A name a structure lacks is looked for inside its
 * unnamed members (see isf_internal.h), a few levels down.
 *
 * The file is not trusted: every value is type-checked, every offset must
 * lie inside its structure (0 <= offset <= size: a flexible array may sit
 * at the very end), bitfields must fit in 64 bits and in their storage
 * unit, and every walk is bounded by the path's length and
 * ISF_MAX_ANONYMOUS_DEPTH, so a type that contains itself cannot loop. */
#include <inttypes.h>
#include <string.h>

#include "isf_internal.h"

enum {
	PATH_PART_MAX = 128,
	/* Types looked into while searching one name through unnamed members:
	 * real files need a handful; a file of a thousand unnamed members
	 * each holding a thousand more must not cost 1000^4 steps. */
	SEARCH_BUDGET = 4096,
};

bool isf_integer(json_object *object, const char *key, int64_t *value)
{
	json_object *item;
	if (!json_object_object_get_ex(object, key, &item) || !json_object_is_type(item, json_type_int))
		return false;
	*value = json_object_get_int64(item);
	return true;
}

static const char *string_member(json_object *object, const char *key)
{
	json_object *item;
	if (!json_object_object_get_ex(object, key, &item) || !json_object_is_type(item, json_type_string))
		return NULL;
	return json_object_get_string(item);
}

static bool is_unnamed(const char *name)
{
	return name[0] == 0 || strncmp(name, "__unnamed", 9) == 0 ||
	       strncmp(name, "unnamed_", 8) == 0 || strncmp(name, "__anonymous", 11) == 0;
}

/* user_types[name], checked to be an object with an integer size in range
 * and an object of fields. */
static struct error *find_type(const struct isf *isf, const char *name, json_object **type,
			       int64_t *size, json_object **fields)
{
	if (!json_object_object_get_ex(isf->user_types, name, type))
		return error_in_file(ERROR_ABSENT, isf->name, "no type %s", name);
	if (!json_object_is_type(*type, json_type_object))
		return error_in_file(ERROR_FORMAT, isf->name, "user_types.%s is not an object", name);
	if (!isf_integer(*type, "size", size))
		return error_in_file(ERROR_FORMAT, isf->name, "user_types.%s has no integer size",
				     name);
	if (*size < 0 || *size > ISF_MAX_STRUCT_SIZE)
		return error_in_file(ERROR_FORMAT, isf->name,
				     "user_types.%s: size %" PRId64 " is out of range (0 to %d)", name,
				     *size, ISF_MAX_STRUCT_SIZE);
	if (!json_object_object_get_ex(*type, "fields", fields) ||
	    !json_object_is_type(*fields, json_type_object))
		return error_in_file(ERROR_FORMAT, isf->name, "user_types.%s has no fields object",
				     name);
	return NULL;
}

/* fields[name] as {offset, type}, its offset checked against the size of
 * the structure that holds it. */
static struct error *checked_field(const struct isf *isf, const char *structure, int64_t size,
				   const char *name, json_object *field, int64_t *offset,
				   json_object **type)
{
	if (!json_object_is_type(field, json_type_object) || !isf_integer(field, "offset", offset) ||
	    !json_object_object_get_ex(field, "type", type) ||
	    !json_object_is_type(*type, json_type_object))
		return error_in_file(ERROR_FORMAT, isf->name,
				     "%s.%s is not an {offset, type} object", structure, name);
	if (*offset < 0 || *offset > size)
		return error_in_file(ERROR_FORMAT, isf->name,
				     "%s.%s: offset %" PRId64 " lies outside the structure (size 0x%" PRIx64 ")",
				     structure, name, *offset, (uint64_t)size);
	return NULL;
}

static const char *aggregate_name(json_object *type)
{
	const char *kind = string_member(type, "kind");
	if (!kind || (strcmp(kind, "struct") != 0 && strcmp(kind, "union") != 0))
		return NULL;
	return string_member(type, "name");
}

/* name in the structure, directly or through its unnamed members; on
 * success *offset is from the start of structure. */
static struct error *find_field(const struct isf *isf, const char *structure, const char *name,
				unsigned depth, unsigned *budget, int64_t *offset, json_object **type)
{
	json_object *object, *fields, *field;
	int64_t size;
	if (*budget == 0)
		return error_in_file(ERROR_LIMIT, isf->name,
				     "%s: too many unnamed members to search for %s", structure, name);
	--*budget;
	struct error *error = find_type(isf, structure, &object, &size, &fields);
	if (error)
		return error;
	if (json_object_object_get_ex(fields, name, &field))
		return checked_field(isf, structure, size, name, field, offset, type);
	if (depth >= ISF_MAX_ANONYMOUS_DEPTH)
		return error_in_file(ERROR_ABSENT, isf->name, "%s has no member %s", structure, name);
	json_object_object_foreach(fields, member, value) {
		if (!is_unnamed(member))
			continue;
		int64_t member_offset, inner;
		json_object *member_type;
		error = checked_field(isf, structure, size, member, value, &member_offset, &member_type);
		if (error)
			return error;
		const char *inner_name = aggregate_name(member_type);
		if (!inner_name)
			continue;
		error = find_field(isf, inner_name, name, depth + 1, budget, &inner, type);
		if (!error) {
			*offset = member_offset + inner;
			return NULL;
		}
		if (error->code != ERROR_ABSENT)
			return error;
		error_free(error);
	}
	return error_in_file(ERROR_ABSENT, isf->name, "%s has no member %s", structure, name);
}

/* The size in bytes of a {"kind": "base", "name": …} type, or 0. */
static int64_t base_size(const struct isf *isf, json_object *type)
{
	const char *kind = string_member(type, "kind"), *name = string_member(type, "name");
	json_object *base;
	int64_t size;
	if (!kind || strcmp(kind, "base") != 0 || !name ||
	    !json_object_object_get_ex(isf->base_types, name, &base) ||
	    !isf_integer(base, "size", &size) || size < 0 || size > 16)
		return 0;
	return size;
}

static struct error *describe_last(const struct isf *isf, const char *structure, const char *path,
				   json_object *type, struct isf_member *member)
{
	const char *kind = string_member(type, "kind");
	if (!kind)
		return error_in_file(ERROR_FORMAT, isf->name, "%s.%s: a type without a kind",
				     structure, path);
	if (strcmp(kind, "bitfield") != 0) {
		member->unit_size = base_size(isf, type);
		return NULL;
	}
	int64_t position, length;
	json_object *unit;
	if (!isf_integer(type, "bit_position", &position) || !isf_integer(type, "bit_length", &length))
		return error_in_file(ERROR_FORMAT, isf->name,
				     "%s.%s: a bitfield without integer bit_position and bit_length",
				     structure, path);
	if (position < 0 || length < 1 || position > 63 || length > 64 || position + length > 64)
		return error_in_file(ERROR_FORMAT, isf->name,
				     "%s.%s: bits %" PRId64 "+%" PRId64 " do not fit in 64 bits",
				     structure, path, position, length);
	member->unit_size = json_object_object_get_ex(type, "type", &unit) ? base_size(isf, unit) : 0;
	if (member->unit_size > 0 && position + length > member->unit_size * 8)
		return error_in_file(ERROR_FORMAT, isf->name,
				     "%s.%s: bits %" PRId64 "+%" PRId64 " do not fit in its %" PRId64 "-byte unit",
				     structure, path, position, length, member->unit_size);
	member->is_bitfield = true;
	member->bit = (uint8_t)position;
	member->width = (uint8_t)length;
	return NULL;
}

struct error *isf_find_member(const struct isf *isf, const char *structure, const char *path,
			      struct isf_member *member)
{
	*member = (struct isf_member){ 0 };
	char current[PATH_PART_MAX];
	if (strlen(structure) >= sizeof current)
		return error_new(ERROR_USAGE, "structure name %s is too long", structure);
	strcpy(current, structure);
	int64_t outer_size;
	struct error *failure = isf_structure_size(isf, structure, &outer_size);
	if (failure)
		return failure;
	int64_t total = 0;
	const char *part = path;
	for (;;) {
		const char *dot = strchr(part, '.');
		size_t part_length = dot ? (size_t)(dot - part) : strlen(part);
		char name[PATH_PART_MAX];
		if (part_length == 0 || part_length >= sizeof name)
			return error_new(ERROR_USAGE, "bad path %s.%s", structure, path);
		memcpy(name, part, part_length);
		name[part_length] = 0;
		int64_t offset;
		json_object *type;
		unsigned budget = SEARCH_BUDGET;
		struct error *error = find_field(isf, current, name, 0, &budget, &offset, &type);
		if (error)
			return error;
		/* each term <= ISF_MAX_STRUCT_SIZE, a few terms: no overflow */
		total += offset;
		if (total > outer_size)
			return error_in_file(ERROR_FORMAT, isf->name,
					     "%s.%s: offset 0x%" PRIx64 " lies outside the structure (size 0x%" PRIx64 ")",
					     structure, path, (uint64_t)total, (uint64_t)outer_size);
		if (!dot) {
			member->offset = total;
			return describe_last(isf, structure, path, type, member);
		}
		const char *inner = aggregate_name(type);
		if (!inner)
			return error_in_file(ERROR_ABSENT, isf->name,
					     "%s.%s: %s is not a structure here", structure, path, name);
		if (strlen(inner) >= sizeof current)
			return error_in_file(ERROR_FORMAT, isf->name, "%s.%s: type name too long",
					     structure, path);
		strcpy(current, inner);
		part = dot + 1;
	}
}

struct error *isf_structure_size(const struct isf *isf, const char *structure, int64_t *size)
{
	json_object *object, *fields;
	return find_type(isf, structure, &object, size, &fields);
}

struct error *isf_symbol_rva(const struct isf *isf, const char *symbol, int64_t *rva)
{
	json_object *entry;
	if (!isf->symbols || !json_object_object_get_ex(isf->symbols, symbol, &entry))
		return error_in_file(ERROR_ABSENT, isf->name, "no symbol %s", symbol);
	if (!isf_integer(entry, "address", rva))
		return error_in_file(ERROR_FORMAT, isf->name,
				     "symbols.%s has no integer address", symbol);
	/* An RVA inside the kernel image: images are far below 4 GiB. */
	if (*rva < 0 || *rva > (int64_t)UINT32_MAX)
		return error_in_file(ERROR_FORMAT, isf->name,
				     "symbols.%s: address %" PRId64 " is not an RVA in an image",
				     symbol, *rva);
	return NULL;
}
