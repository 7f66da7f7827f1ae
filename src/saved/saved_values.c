/* Typed access to the values of a saved document: each checks the JSON
 * type and the shape docs/json.md "Conventions" gives (integers from 0 to
 * 2^64 − 1, addresses "0x" and lower-case hex, cells "0000.0004"), and a
 * value that is not so is said with its file and JSON path and left
 * unknown — never taken as 0. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "saved_internal.h"

/* ---- the JSON path ------------------------------------------------------ */

static size_t append_to_path(struct saved_reader *reader, const char *format, ...) PRINTF_LIKE(2, 3);

static size_t append_to_path(struct saved_reader *reader, const char *format, ...)
{
	size_t mark = reader->path_length;
	size_t room = sizeof reader->path - mark;
	va_list args;
	va_start(args, format);
	int written = vsnprintf(reader->path + mark, room, format, args);
	va_end(args);
	/* Our own keys and indices only: the path cannot grow long, but a cut
	 * one stays terminated. */
	if (written > 0)
		reader->path_length = (size_t)written < room ? mark + (size_t)written : sizeof reader->path - 1;
	return mark;
}

size_t saved_enter_key(struct saved_reader *reader, const char *key)
{
	return append_to_path(reader, reader->path_length ? ".%s" : "%s", key);
}

size_t saved_enter_index(struct saved_reader *reader, size_t index)
{
	return append_to_path(reader, "[%zu]", index);
}

void saved_leave(struct saved_reader *reader, size_t mark)
{
	reader->path_length = mark;
	reader->path[mark] = '\0';
}

void saved_problem(struct saved_reader *reader, const char *format, ...)
{
	char what[256];
	va_list args;
	va_start(args, format);
	vsnprintf(what, sizeof what, format, args);
	va_end(args);
	struct origin at = { ORIGIN_NONE, snapshot_add_source(reader->snapshot, reader->file), 0 };
	snapshot_warn(reader->snapshot, at, "%s: %s", reader->path, what);
}

/* The member at key, or NULL when it is missing or null. */
static json_object *member(json_object *object, const char *key)
{
	json_object *value = NULL;
	if (!json_object_object_get_ex(object, key, &value))
		return NULL;
	return value;
}

/* Says what about the member at key. */
static void problem_at(struct saved_reader *reader, const char *key, const char *what)
{
	size_t mark = saved_enter_key(reader, key);
	saved_problem(reader, "%s", what);
	saved_leave(reader, mark);
}

/* ---- integers ----------------------------------------------------------- */

maybe_u64 saved_uint_value(struct saved_reader *reader, json_object *value, uint64_t limit)
{
	if (!value)
		return UNKNOWN_U64;
	if (!json_object_is_type(value, json_type_int)) {
		saved_problem(reader, "not an integer");
		return UNKNOWN_U64;
	}
	/* json-c keeps integers above INT64_MAX unsigned and reads them
	 * back as INT64_MAX through get_int64: only a true negative is < 0. */
	if (json_object_get_int64(value) < 0) {
		saved_problem(reader, "negative (%" PRId64 ")", json_object_get_int64(value));
		return UNKNOWN_U64;
	}
	uint64_t number = json_object_get_uint64(value);
	if (number > limit) {
		saved_problem(reader, "%" PRIu64 " is more than %" PRIu64, number, limit);
		return UNKNOWN_U64;
	}
	return known_u64(number);
}

maybe_u64 saved_uint_below(struct saved_reader *reader, json_object *object, const char *key,
			   uint64_t limit)
{
	size_t mark = saved_enter_key(reader, key);
	maybe_u64 value = saved_uint_value(reader, member(object, key), limit);
	saved_leave(reader, mark);
	return value;
}

maybe_u64 saved_uint(struct saved_reader *reader, json_object *object, const char *key)
{
	return saved_uint_below(reader, object, key, UINT64_MAX);
}

/* ---- hex strings -------------------------------------------------------- */

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* digits lower-case hex digits, from min to max of them, into *value. */
static bool parse_hex(const char *text, size_t length, size_t min, size_t max, uint64_t *value)
{
	if (length < min || length > max)
		return false;
	uint64_t number = 0;
	for (size_t i = 0; i < length; i++) {
		int digit = hex_digit(text[i]);
		if (digit < 0)
			return false;
		number = number << 4 | (uint64_t)digit;
	}
	*value = number;
	return true;
}

maybe_u64 saved_address_value(struct saved_reader *reader, json_object *value)
{
	if (!value)
		return UNKNOWN_U64;
	uint64_t address;
	if (json_object_is_type(value, json_type_string)) {
		const char *text = json_object_get_string(value);
		size_t length = (size_t)json_object_get_string_len(value);
		if (length > 2 && text[0] == '0' && text[1] == 'x' &&
		    parse_hex(text + 2, length - 2, 1, 16, &address))
			return known_u64(address);
	}
	saved_problem(reader, "not an address (\"0x\" and 1 to 16 lower-case hex digits)");
	return UNKNOWN_U64;
}

maybe_u64 saved_address(struct saved_reader *reader, json_object *object, const char *key)
{
	size_t mark = saved_enter_key(reader, key);
	maybe_u64 value = saved_address_value(reader, member(object, key));
	saved_leave(reader, mark);
	return value;
}

maybe_cell saved_cell(struct saved_reader *reader, json_object *object, const char *key)
{
	json_object *value = member(object, key);
	if (!value)
		return UNKNOWN_U64;
	uint64_t high, low;
	if (json_object_is_type(value, json_type_string) && json_object_get_string_len(value) == 9) {
		const char *text = json_object_get_string(value);
		if (text[4] == '.' && parse_hex(text, 4, 4, 4, &high) && parse_hex(text + 5, 4, 4, 4, &low))
			return known_u64(high << 16 | low);
	}
	problem_at(reader, key, "not an RPC cell id (\"0000.0004\")");
	return UNKNOWN_U64;
}

maybe_u64 saved_hex32(struct saved_reader *reader, json_object *object, const char *key)
{
	json_object *value = member(object, key);
	if (!value)
		return UNKNOWN_U64;
	uint64_t number;
	if (json_object_is_type(value, json_type_string) &&
	    parse_hex(json_object_get_string(value), (size_t)json_object_get_string_len(value), 8, 8,
		      &number))
		return known_u64(number);
	problem_at(reader, key, "not 8 lower-case hex digits");
	return UNKNOWN_U64;
}

/* ---- text, booleans, names ---------------------------------------------- */

const char *saved_text(struct saved_reader *reader, json_object *object, const char *key)
{
	json_object *value = member(object, key);
	if (!value)
		return NULL;
	if (!json_object_is_type(value, json_type_string)) {
		problem_at(reader, key, "not a string");
		return NULL;
	}
	return snapshot_text(reader->snapshot, json_object_get_string(value),
			     (size_t)json_object_get_string_len(value));
}

bool saved_bool(struct saved_reader *reader, json_object *object, const char *key)
{
	json_object *value = member(object, key);
	if (!value)
		return false;
	if (!json_object_is_type(value, json_type_boolean)) {
		problem_at(reader, key, "not true or false");
		return false;
	}
	return json_object_get_boolean(value);
}

enum yes_no saved_yes_no(struct saved_reader *reader, json_object *object, const char *key)
{
	json_object *value = member(object, key);
	if (!value)
		return YES_NO_UNKNOWN;
	if (!json_object_is_type(value, json_type_boolean)) {
		problem_at(reader, key, "not true, false or null");
		return YES_NO_UNKNOWN;
	}
	return json_object_get_boolean(value) ? YES : NO;
}

int saved_name(struct saved_reader *reader, json_object *object, const char *key,
	       const char *(*name_of)(int), int count, const char *what)
{
	json_object *value = member(object, key);
	if (!value)
		return 0;
	if (json_object_is_type(value, json_type_string)) {
		const char *text = json_object_get_string(value);
		for (int i = 0; i < count; i++) {
			const char *name = name_of(i);
			if (name && strcmp(name, text) == 0)
				return i;
		}
	}
	char problem[96];
	snprintf(problem, sizeof problem, "not a %s", what);
	problem_at(reader, key, problem);
	return 0;
}

/* ---- containers --------------------------------------------------------- */

static json_object *container(struct saved_reader *reader, json_object *object, const char *key,
			      enum json_type type, const char *what)
{
	json_object *value = member(object, key);
	if (!value)
		return NULL;
	if (!json_object_is_type(value, type)) {
		problem_at(reader, key, what);
		return NULL;
	}
	return value;
}

json_object *saved_array(struct saved_reader *reader, json_object *object, const char *key)
{
	return container(reader, object, key, json_type_array, "not an array");
}

json_object *saved_object(struct saved_reader *reader, json_object *object, const char *key)
{
	return container(reader, object, key, json_type_object, "not an object");
}

void saved_each_record(struct saved_reader *reader, json_object *parent, const char *key,
		       saved_record_reader read)
{
	json_object *array = saved_array(reader, parent, key);
	if (!array)
		return;
	size_t key_mark = saved_enter_key(reader, key);
	size_t length = json_object_array_length(array);
	for (size_t i = 0; i < length; i++) {
		size_t mark = saved_enter_index(reader, i);
		json_object *record = json_object_array_get_idx(array, i);
		if (json_object_is_type(record, json_type_object))
			read(reader, record);
		else
			saved_problem(reader, "not an object");
		saved_leave(reader, mark);
	}
	saved_leave(reader, key_mark);
}

/* ---- origins ------------------------------------------------------------ */

bool saved_is_plain_text(const char *text, size_t length)
{
	for (size_t i = 0; i < length; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c < 0x20 || c == 0x7f)
			return false;
	}
	return true;
}

/* The writer's three spellings (reports/render_json.c write_origin), read
 * from the end, since a path may itself hold ':' or '@'. */
bool saved_origin_value(struct saved_reader *reader, json_object *value, struct origin *origin)
{
	if (!json_object_is_type(value, json_type_string)) {
		saved_problem(reader, "not a string");
		return false;
	}
	const char *text = json_object_get_string(value);
	size_t length = (size_t)json_object_get_string_len(value);
	size_t end = length;
	while (end > 0 && hex_digit(text[end - 1]) >= 0)
		end--;
	size_t digits = length - end;
	uint64_t at = 0;
	enum origin_kind kind = ORIGIN_NONE;
	size_t path_end = 0;
	if (digits && end >= 6 && memcmp(text + end - 6, ":va 0x", 6) == 0 &&
	    parse_hex(text + end, digits, 1, 16, &at)) {
		kind = ORIGIN_VIRTUAL;
		path_end = end - 6;
	} else if (digits && end >= 3 && memcmp(text + end - 3, "@0x", 3) == 0 &&
		   parse_hex(text + end, digits, 1, 16, &at)) {
		kind = ORIGIN_FILE_OFFSET;
		path_end = end - 3;
	} else {
		end = length;
		while (end > 0 && text[end - 1] >= '0' && text[end - 1] <= '9')
			end--;
		digits = length - end;
		if (digits && digits <= 19 && end >= 1 && text[end - 1] == ':') {
			for (size_t i = end; i < length; i++)
				at = at * 10 + (uint64_t)(text[i] - '0');
			kind = ORIGIN_LINE;
			path_end = end - 1;
		}
	}
	if (kind == ORIGIN_NONE || path_end == 0 || !saved_is_plain_text(text, path_end)) {
		saved_problem(reader, "not a place (\"path:line\", \"path@0x…\" or \"path:va 0x…\")");
		return false;
	}
	char *path = checked_malloc(path_end + 1);
	memcpy(path, text, path_end);
	path[path_end] = '\0';
	/* A snapshot is read from a file or a few (--same-machine); the
	 * sources are searched one by one, so a document naming thousands is
	 * not one we wrote. */
	bool known = false;
	for (size_t i = 0; i < reader->snapshot->sources.count && !known; i++)
		known = strcmp(reader->snapshot->sources.items[i], path) == 0;
	bool kept = known || reader->snapshot->sources.count < SAVED_MAX_SOURCES;
	if (kept)
		*origin = (struct origin){ kind, snapshot_add_source(reader->snapshot, path), at };
	else
		saved_problem(reader, "a place in more than %d different files", SAVED_MAX_SOURCES);
	free(path);
	return kept;
}
