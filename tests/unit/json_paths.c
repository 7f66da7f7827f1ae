#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_paths.h"

struct json_object *value_at(struct json_object *node, const char *path)
{
	char copy[256];
	snprintf(copy, sizeof copy, "%s", path);
	for (char *part = strtok(copy, "/"); part && node; part = strtok(NULL, "/")) {
		if (json_object_is_type(node, json_type_array))
			node = json_object_array_get_idx(node, (size_t)strtoul(part, NULL, 10));
		else if (!json_object_object_get_ex(node, part, &node))
			node = NULL;
	}
	return node;
}

bool string_at(struct json_object *document, const char *path, const char *expected)
{
	struct json_object *value = value_at(document, path);
	bool ok = value && json_object_is_type(value, json_type_string) &&
		  strcmp(json_object_get_string(value), expected) == 0;
	if (!ok)
		fprintf(stderr, "\n  %s: expected \"%s\", got %s\n", path, expected,
			value ? json_object_to_json_string(value) : "nothing");
	return ok;
}

bool count_at(struct json_object *document, const char *path, int64_t expected)
{
	struct json_object *value = value_at(document, path);
	bool ok = value && (json_object_is_type(value, json_type_int) ||
			    json_object_is_type(value, json_type_array));
	if (ok)
		ok = json_object_is_type(value, json_type_array)
			     ? (int64_t)json_object_array_length(value) == expected
			     : json_object_get_int64(value) == expected;
	if (!ok)
		fprintf(stderr, "\n  %s: expected %lld, got %s\n", path, (long long)expected,
			value ? json_object_to_json_string(value) : "nothing");
	return ok;
}

bool bool_at(struct json_object *document, const char *path, bool expected)
{
	struct json_object *value = value_at(document, path);
	return value && json_object_is_type(value, json_type_boolean) &&
	       json_object_get_boolean(value) == expected;
}

bool is_null_at(struct json_object *document, const char *path)
{
	char parent[256];
	snprintf(parent, sizeof parent, "%s", path);
	char *slash = strrchr(parent, '/');
	if (!slash)
		return false;
	*slash = '\0';
	struct json_object *holder = value_at(document, parent), *value = NULL;
	return holder && json_object_object_get_ex(holder, slash + 1, &value) && value == NULL;
}
