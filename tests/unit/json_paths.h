/* Reading a parsed JSON answer by slash-separated paths
 * ("inputs/0/found"; array indices are numbers), for the query tests'
 * exact assertions.  Each check says on stderr what it found instead. */
#ifndef ALPCGRAPH_TEST_JSON_PATHS_H
#define ALPCGRAPH_TEST_JSON_PATHS_H

#include <json.h>
#include <stdbool.h>
#include <stdint.h>

/* NULL when the path leads nowhere, or to a JSON null. */
struct json_object *value_at(struct json_object *node, const char *path);
bool string_at(struct json_object *document, const char *path, const char *expected);
/* An integer equal to expected, or an array of that many elements. */
bool count_at(struct json_object *document, const char *path, int64_t expected);
bool bool_at(struct json_object *document, const char *path, bool expected);
/* The key is there and its value is null (value_at cannot tell null from
 * absent). */
bool is_null_at(struct json_object *document, const char *path);

#endif
