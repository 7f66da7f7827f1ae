/* The saved room's reading context: the snapshot being filled, the JSON
 * file it comes from, and the JSON path of the value at hand, so every
 * problem names "file: inputs[0].threads[12].tid". */
#ifndef ALPCGRAPH_SAVED_INTERNAL_H
#define ALPCGRAPH_SAVED_INTERNAL_H

#include <json-c/json.h>

#include "saved.h"

/* Distinct files the origins of one snapshot may name. */
enum { SAVED_MAX_SOURCES = 256 };
/* Warnings and notes kept per snapshot, as the model keeps them
 * (src/model/snapshot.c DIAGNOSTICS_KEPT); the rest are counted. */
enum { SAVED_DIAGNOSTICS_KEPT = 2000 };

struct saved_reader {
	struct snapshot *snapshot;
	const char *file; /* the JSON document, as named on the command line */
	char path[192];   /* "inputs[0].threads[12]" */
	size_t path_length;
};

/* ---- the JSON path: enter a key or an index, leave to where it was ---- */
size_t saved_enter_key(struct saved_reader *reader, const char *key);
size_t saved_enter_index(struct saved_reader *reader, size_t index);
void saved_leave(struct saved_reader *reader, size_t mark);

/* "file: path: what" as a warning on the snapshot (status partial). */
void saved_problem(struct saved_reader *reader, const char *format, ...) PRINTF_LIKE(2, 3);

/* ---- typed values: a missing key or null is unknown; a value of the
 * wrong type is said (saved_problem) and is unknown too.  Keys missing
 * are tolerated: documents of format_version 1 written before a key was
 * added lack it (docs/json.md, "Versioning"). ---- */
maybe_u64 saved_uint(struct saved_reader *reader, json_object *object, const char *key);
/* An integer no larger than limit (a 32-bit field, a capture index). */
maybe_u64 saved_uint_below(struct saved_reader *reader, json_object *object, const char *key,
			   uint64_t limit);
maybe_u64 saved_address(struct saved_reader *reader, json_object *object, const char *key);
const char *saved_text(struct saved_reader *reader, json_object *object, const char *key);
bool saved_bool(struct saved_reader *reader, json_object *object, const char *key);
enum yes_no saved_yes_no(struct saved_reader *reader, json_object *object, const char *key);
/* "0000.0004" */
maybe_cell saved_cell(struct saved_reader *reader, json_object *object, const char *key);
/* IFSTART: "19bb5061" */
maybe_u64 saved_hex32(struct saved_reader *reader, json_object *object, const char *key);
/* A name from a table of printed names (port_kind_name, …); 0 when null
 * or not one of them. */
int saved_name(struct saved_reader *reader, json_object *object, const char *key,
	       const char *(*name_of)(int), int count, const char *what);
/* An array or object member, or NULL (said when present but of another type). */
json_object *saved_array(struct saved_reader *reader, json_object *object, const char *key);
json_object *saved_object(struct saved_reader *reader, json_object *object, const char *key);

/* The value itself (an array element) read as an integer or an address. */
maybe_u64 saved_uint_value(struct saved_reader *reader, json_object *value, uint64_t limit);
maybe_u64 saved_address_value(struct saved_reader *reader, json_object *value);
/* No control characters (nor NUL): a file name from the document is
 * printed as it is in text output and on stderr. */
bool saved_is_plain_text(const char *text, size_t length);
/* An origin string: "path:line", "path@0x…" or "path:va 0x…". */
bool saved_origin_value(struct saved_reader *reader, json_object *value, struct origin *origin);

/* The model's enumerations by their printed names (0: unknown). */
int saved_port_kind(struct saved_reader *reader, json_object *object, const char *key);
int saved_flavor(struct saved_reader *reader, json_object *object, const char *key);
int saved_queue_kind(struct saved_reader *reader, json_object *object, const char *key);

/* ---- the records (saved_records.c, saved_rpc.c) ---- */
void saved_read_processes(struct saved_reader *reader, json_object *input);
void saved_read_threads(struct saved_reader *reader, json_object *input);
void saved_read_ports(struct saved_reader *reader, json_object *input);
void saved_read_messages(struct saved_reader *reader, json_object *input);
void saved_read_connections(struct saved_reader *reader, json_object *input);
void saved_read_rpc(struct saved_reader *reader, json_object *input);
/* The origin list of a record: the first origin, and the rest added. */
struct origin saved_first_origin(struct saved_reader *reader, json_object *record);
void saved_add_origins(struct saved_reader *reader, json_object *record, struct origin_list *list);

/* Calls read on each element of the array at key with the path entered
 * ("threads[12]"); an element that is not an object is said and skipped. */
typedef void (*saved_record_reader)(struct saved_reader *reader, json_object *record);
void saved_each_record(struct saved_reader *reader, json_object *parent, const char *key,
		       saved_record_reader read);

#endif
