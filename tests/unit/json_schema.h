/* A tiny JSON Schema validator over json-c, enough to hold the JSON
 * report to the schema published in docs/json.md.
 *
 * Supported (draft 2020-12 meanings): type (a name or a list of names;
 * "integer" means a JSON integer, not 1.0), properties, required,
 * additionalProperties (false, true or a schema), items (one schema for
 * every element), enum, const, pattern (POSIX extended regular expression,
 * unanchored as in JSON Schema), minimum, $defs and $ref to "#/$defs/name".
 * Annotations ($schema, $id, $comment, title, description) are ignored.
 * Any other keyword is an error, so the schema cannot quietly lean on
 * something this validator does not check.
 *
 * With JSON_SCHEMA_KEY_ORDER, the keys of every object that has
 * "properties" must also appear in the order the schema lists them: the
 * report promises a fixed key order, and the schema documents it. */
#ifndef ALPCGRAPH_TEST_JSON_SCHEMA_H
#define ALPCGRAPH_TEST_JSON_SCHEMA_H

#include <json.h>
#include <stdbool.h>
#include <stddef.h>

enum { JSON_SCHEMA_KEY_ORDER = 1 };

/* NULL when instance conforms to schema; otherwise a malloc'd message
 * naming the JSON Pointer of the first violation, e.g.
 * "/inputs/0/processes/1/pid: 'abc' is not of type integer". */
char *json_schema_validate(struct json_object *schema, struct json_object *instance,
			   unsigned flags);

/* docs/json.md, read from $(srcdir) (NULL and a message on stderr when it
 * cannot be read; the caller frees it). */
char *json_docs_text(void);
/* Its one ```json block: [*start, *end) within doc.  False when there is
 * not exactly one. */
bool json_docs_schema_block(const char *doc, size_t *start, size_t *end);
/* The schema published there, parsed strictly; NULL and a malloc'd
 * *failure when it cannot be read or parsed.  The caller puts it. */
struct json_object *json_schema_published(char **failure);
/* The published schema with its root replaced by a reference to
 * $defs/definition ("lpc_query_document"), so every $ref still resolves
 * against the same $defs; NULL and *failure as above. */
struct json_object *json_schema_published_as(const char *definition, char **failure);

#endif
