#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "json_schema.h"

/* ---- the schema published in docs/json.md ------------------------------ */

char *json_docs_text(void)
{
	char path[4096];
	const char *srcdir = getenv("srcdir"); /* set by automake's test driver */
	snprintf(path, sizeof path, "%s/docs/json.md", srcdir ? srcdir : ALPCGRAPH_SOURCE_DIR);
	char *text = read_whole_file(path, NULL);
	if (!text)
		fprintf(stderr, "cannot read %s\n", path);
	return text;
}

static const char fence_open[] = "```json\n";
static const char fence_close[] = "\n```";

bool json_docs_schema_block(const char *doc, size_t *start, size_t *end)
{
	const char *open = strstr(doc, fence_open);
	if (!open || strstr(open + 1, fence_open))
		return false;
	const char *body = open + sizeof fence_open - 1;
	const char *close = strstr(body, fence_close);
	if (!close)
		return false;
	*start = (size_t)(body - doc);
	*end = (size_t)(close - doc);
	return true;
}

static char *failure_text(const char *text)
{
	char *copy = malloc(strlen(text) + 1);
	if (copy)
		strcpy(copy, text);
	return copy;
}

struct json_object *json_schema_published(char **failure)
{
	*failure = NULL;
	char *doc = json_docs_text();
	if (!doc) {
		*failure = failure_text("docs/json.md cannot be read");
		return NULL;
	}
	size_t start, end;
	struct json_object *schema = NULL;
	if (!json_docs_schema_block(doc, &start, &end)) {
		*failure = failure_text("docs/json.md does not hold exactly one ```json block");
	} else {
		struct json_tokener *tokener = json_tokener_new();
		json_tokener_set_flags(tokener, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
		schema = json_tokener_parse_ex(tokener, doc + start, (int)(end - start + 1));
		if (json_tokener_get_error(tokener) != json_tokener_success) {
			*failure = failure_text(json_tokener_error_desc(json_tokener_get_error(tokener)));
			json_object_put(schema);
			schema = NULL;
		}
		json_tokener_free(tokener);
	}
	free(doc);
	return schema;
}

/* ---- validation ---------------------------------------------------------- */

struct validation {
	struct json_object *root; /* the schema document, for $ref */
	unsigned flags;
	char pointer[2048]; /* JSON Pointer of the value being checked */
	char *failure;      /* the first violation, malloc'd */
};

static bool fail(struct validation *v, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

static bool fail(struct validation *v, const char *format, ...)
{
	if (v->failure)
		return false;
	char body[1024];
	va_list args;
	va_start(args, format);
	vsnprintf(body, sizeof body, format, args);
	va_end(args);
	size_t size = strlen(v->pointer) + strlen(body) + 4;
	v->failure = malloc(size);
	if (v->failure)
		snprintf(v->failure, size, "%s: %s", v->pointer[0] ? v->pointer : "/", body);
	return false;
}

/* A short rendering of a value for messages. */
static const char *shown(struct json_object *value)
{
	const char *text = json_object_to_json_string_ext(value, JSON_C_TO_STRING_PLAIN);
	return text ? text : "?";
}

static bool validate(struct validation *v, struct json_object *schema,
		     struct json_object *instance);

/* ---- JSON Pointer bookkeeping ------------------------------------------ */

static size_t descend(struct validation *v, const char *step)
{
	size_t mark = strlen(v->pointer);
	snprintf(v->pointer + mark, sizeof v->pointer - mark, "/%s", step);
	return mark;
}

static size_t descend_index(struct validation *v, size_t index)
{
	char step[32];
	snprintf(step, sizeof step, "%zu", index);
	return descend(v, step);
}

static void ascend(struct validation *v, size_t mark)
{
	v->pointer[mark] = '\0';
}

/* ---- keywords ---------------------------------------------------------- */

static bool type_matches(const char *name, struct json_object *instance)
{
	enum json_type type = json_object_get_type(instance);
	if (strcmp(name, "null") == 0)
		return type == json_type_null;
	if (strcmp(name, "boolean") == 0)
		return type == json_type_boolean;
	if (strcmp(name, "integer") == 0)
		return type == json_type_int;
	if (strcmp(name, "number") == 0)
		return type == json_type_int || type == json_type_double;
	if (strcmp(name, "string") == 0)
		return type == json_type_string;
	if (strcmp(name, "array") == 0)
		return type == json_type_array;
	if (strcmp(name, "object") == 0)
		return type == json_type_object;
	return false;
}

static bool check_type(struct validation *v, struct json_object *type, struct json_object *instance)
{
	if (json_object_is_type(type, json_type_string)) {
		if (type_matches(json_object_get_string(type), instance))
			return true;
		return fail(v, "%s is not of type %s", shown(instance),
			    json_object_get_string(type));
	}
	if (!json_object_is_type(type, json_type_array))
		return fail(v, "schema error: \"type\" must be a string or an array");
	for (size_t i = 0; i < json_object_array_length(type); i++) {
		struct json_object *name = json_object_array_get_idx(type, i);
		if (json_object_is_type(name, json_type_string) &&
		    type_matches(json_object_get_string(name), instance))
			return true;
	}
	return fail(v, "%s is not of type %s", shown(instance), shown(type));
}

static bool check_enum(struct validation *v, struct json_object *choices,
		       struct json_object *instance)
{
	if (!json_object_is_type(choices, json_type_array))
		return fail(v, "schema error: \"enum\" must be an array");
	for (size_t i = 0; i < json_object_array_length(choices); i++)
		if (json_object_equal(json_object_array_get_idx(choices, i), instance))
			return true;
	return fail(v, "%s is not one of %s", shown(instance), shown(choices));
}

static bool check_const(struct validation *v, struct json_object *expected,
			struct json_object *instance)
{
	if (json_object_equal(expected, instance))
		return true;
	return fail(v, "%s is not %s", shown(instance), shown(expected));
}

static bool check_pattern(struct validation *v, struct json_object *pattern,
			  struct json_object *instance)
{
	if (!json_object_is_type(pattern, json_type_string))
		return fail(v, "schema error: \"pattern\" must be a string");
	if (!json_object_is_type(instance, json_type_string))
		return true;
	regex_t regex;
	if (regcomp(&regex, json_object_get_string(pattern), REG_EXTENDED | REG_NOSUB) != 0)
		return fail(v, "schema error: bad pattern %s", shown(pattern));
	bool matched = regexec(&regex, json_object_get_string(instance), 0, NULL, 0) == 0;
	regfree(&regex);
	if (matched)
		return true;
	return fail(v, "%s does not match %s", shown(instance), shown(pattern));
}

static bool check_minimum(struct validation *v, struct json_object *minimum,
			  struct json_object *instance)
{
	if (!json_object_is_type(minimum, json_type_int) &&
	    !json_object_is_type(minimum, json_type_double))
		return fail(v, "schema error: \"minimum\" must be a number");
	enum json_type type = json_object_get_type(instance);
	if (type != json_type_int && type != json_type_double)
		return true;
	bool below;
	if (type == json_type_int && json_object_is_type(minimum, json_type_int))
		/* get_int64 saturates at INT64_MAX, which is never below. */
		below = json_object_get_int64(instance) < json_object_get_int64(minimum);
	else
		below = json_object_get_double(instance) < json_object_get_double(minimum);
	if (!below)
		return true;
	return fail(v, "%s is less than the minimum %s", shown(instance), shown(minimum));
}

static bool check_required(struct validation *v, struct json_object *required,
			   struct json_object *instance)
{
	if (!json_object_is_type(required, json_type_array))
		return fail(v, "schema error: \"required\" must be an array");
	if (!json_object_is_type(instance, json_type_object))
		return true;
	for (size_t i = 0; i < json_object_array_length(required); i++) {
		const char *key = json_object_get_string(json_object_array_get_idx(required, i));
		if (!json_object_object_get_ex(instance, key, NULL))
			return fail(v, "required key \"%s\" is missing", key);
	}
	return true;
}

static bool check_properties(struct validation *v, struct json_object *properties,
			     struct json_object *instance)
{
	if (!json_object_is_type(properties, json_type_object))
		return fail(v, "schema error: \"properties\" must be an object");
	if (!json_object_is_type(instance, json_type_object))
		return true;
	json_object_object_foreach(properties, key, subschema) {
		struct json_object *value;
		if (!json_object_object_get_ex(instance, key, &value))
			continue;
		size_t mark = descend(v, key);
		bool ok = validate(v, subschema, value);
		ascend(v, mark);
		if (!ok)
			return false;
	}
	return true;
}

static bool check_additional(struct validation *v, struct json_object *schema,
			     struct json_object *additional, struct json_object *instance)
{
	if (!json_object_is_type(instance, json_type_object))
		return true;
	struct json_object *properties = NULL;
	json_object_object_get_ex(schema, "properties", &properties);
	json_object_object_foreach(instance, key, value) {
		if (properties && json_object_object_get_ex(properties, key, NULL))
			continue;
		if (json_object_is_type(additional, json_type_boolean)) {
			if (!json_object_get_boolean(additional))
				return fail(v, "key \"%s\" is not allowed here", key);
			continue;
		}
		size_t mark = descend(v, key);
		bool ok = validate(v, additional, value);
		ascend(v, mark);
		if (!ok)
			return false;
	}
	return true;
}

static bool check_items(struct validation *v, struct json_object *items,
			struct json_object *instance)
{
	if (!json_object_is_type(instance, json_type_array))
		return true;
	for (size_t i = 0; i < json_object_array_length(instance); i++) {
		size_t mark = descend_index(v, i);
		bool ok = validate(v, items, json_object_array_get_idx(instance, i));
		ascend(v, mark);
		if (!ok)
			return false;
	}
	return true;
}

/* The position of key among the schema's properties, or -1. */
static int property_rank(struct json_object *properties, const char *key)
{
	int rank = 0;
	json_object_object_foreach(properties, name, unused) {
		(void)unused;
		if (strcmp(name, key) == 0)
			return rank;
		rank++;
	}
	return -1;
}

/* json-c keeps an object's keys in the order they were read. */
static bool check_key_order(struct validation *v, struct json_object *properties,
			    struct json_object *instance)
{
	if (!json_object_is_type(instance, json_type_object) ||
	    !json_object_is_type(properties, json_type_object))
		return true;
	int last = -1;
	const char *last_key = NULL;
	json_object_object_foreach(instance, key, unused) {
		(void)unused;
		int rank = property_rank(properties, key);
		if (rank < 0)
			continue;
		if (rank < last)
			return fail(v,
				    "key \"%s\" comes after \"%s\" but the schema lists it before",
				    key, last_key);
		last = rank;
		last_key = key;
	}
	return true;
}

static struct json_object *resolve(struct validation *v, struct json_object *reference)
{
	static const char prefix[] = "#/$defs/";
	const char *text = json_object_get_string(reference);
	struct json_object *defs, *target;
	if (!json_object_is_type(reference, json_type_string) ||
	    strncmp(text, prefix, sizeof prefix - 1) != 0 ||
	    !json_object_object_get_ex(v->root, "$defs", &defs) ||
	    !json_object_object_get_ex(defs, text + sizeof prefix - 1, &target)) {
		fail(v, "schema error: cannot resolve $ref %s", shown(reference));
		return NULL;
	}
	return target;
}

/* ---- one schema against one value -------------------------------------- */

static bool is_annotation(const char *keyword)
{
	static const char *const annotations[] = {
		"$schema", "$id", "$comment", "$defs", "title", "description",
	};
	for (size_t i = 0; i < sizeof annotations / sizeof *annotations; i++)
		if (strcmp(keyword, annotations[i]) == 0)
			return true;
	return false;
}

static bool apply_keyword(struct validation *v, struct json_object *schema, const char *keyword,
			  struct json_object *argument, struct json_object *instance)
{
	if (strcmp(keyword, "$ref") == 0) {
		struct json_object *target = resolve(v, argument);
		return target && validate(v, target, instance);
	}
	if (strcmp(keyword, "type") == 0)
		return check_type(v, argument, instance);
	if (strcmp(keyword, "enum") == 0)
		return check_enum(v, argument, instance);
	if (strcmp(keyword, "const") == 0)
		return check_const(v, argument, instance);
	if (strcmp(keyword, "pattern") == 0)
		return check_pattern(v, argument, instance);
	if (strcmp(keyword, "minimum") == 0)
		return check_minimum(v, argument, instance);
	if (strcmp(keyword, "required") == 0)
		return check_required(v, argument, instance);
	if (strcmp(keyword, "properties") == 0)
		return check_properties(v, argument, instance) &&
		       (!(v->flags & JSON_SCHEMA_KEY_ORDER) ||
			check_key_order(v, argument, instance));
	if (strcmp(keyword, "additionalProperties") == 0)
		return check_additional(v, schema, argument, instance);
	if (strcmp(keyword, "items") == 0)
		return check_items(v, argument, instance);
	if (is_annotation(keyword))
		return true;
	return fail(v, "schema error: unsupported keyword \"%s\"", keyword);
}

static bool validate(struct validation *v, struct json_object *schema, struct json_object *instance)
{
	if (json_object_is_type(schema, json_type_boolean))
		return json_object_get_boolean(schema) ||
		       fail(v, "%s is not allowed here", shown(instance));
	if (!json_object_is_type(schema, json_type_object))
		return fail(v, "schema error: a schema must be an object or a boolean");
	json_object_object_foreach(schema, keyword, argument) {
		if (!apply_keyword(v, schema, keyword, argument, instance))
			return false;
	}
	return true;
}

char *json_schema_validate(struct json_object *schema, struct json_object *instance, unsigned flags)
{
	struct validation v = { .root = schema, .flags = flags };
	if (!validate(&v, schema, instance) && !v.failure)
		v.failure = strdup("validation failed");
	return v.failure;
}

struct json_object *json_schema_published_as(const char *definition, char **failure)
{
	struct json_object *schema = json_schema_published(failure);
	if (!schema)
		return NULL;
	struct json_object *defs;
	if (!json_object_object_get_ex(schema, "$defs", &defs)) {
		json_object_put(schema);
		*failure = failure_text("docs/json.md: the schema has no $defs");
		return NULL;
	}
	char reference[128];
	snprintf(reference, sizeof reference, "#/$defs/%s", definition);
	struct json_object *rooted = json_object_new_object();
	json_object_object_add(rooted, "$ref", json_object_new_string(reference));
	json_object_object_add(rooted, "$defs", json_object_get(defs));
	json_object_put(schema);
	return rooted;
}
