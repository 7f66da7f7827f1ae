/* Private to the JSON report (render_json.c, json_records.c,
 * json_analysis.c).  render_json.c writes the document and each input's
 * header, and keeps the writers of one key and its value that all three
 * share, so a value is written the same way wherever it appears;
 * json_records.c writes the records of the snapshot and json_analysis.c
 * what the analysis found.  docs/json.md is the contract. */
#ifndef ALPCGRAPH_RENDER_JSON_INTERNAL_H
#define ALPCGRAPH_RENDER_JSON_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "json_writer.h"
#include "reports.h"

/* ---- values and provenance (render_json.c) ----------------------------- */

void key_string(struct json_writer *w, const char *key, const char *text);
void key_bool(struct json_writer *w, const char *key, bool value);
void key_uint(struct json_writer *w, const char *key, maybe_u64 value);
void write_address(struct json_writer *w, uint64_t address);
void key_address(struct json_writer *w, const char *key, maybe_u64 address);
void key_yes_no(struct json_writer *w, const char *key, enum yes_no value);
void key_cell(struct json_writer *w, const char *key, maybe_cell cell);
void key_index(struct json_writer *w, const char *key, const struct wait *wait);
void key_origin_list(struct json_writer *w, const struct snapshot *snapshot,
		     const struct origin_list *list);
void key_origin(struct json_writer *w, const struct snapshot *snapshot, struct origin origin);
/* The keys every input object opens with, in the report and in the
 * query answers alike: path, format, capture, status, errors, warnings,
 * notes. */
void write_input_header(struct json_writer *w, const struct snapshot *snapshot);

/* ---- the records of the snapshot (json_records.c) ---------------------- */

typedef void (*record_writer)(struct json_writer *w, const struct snapshot *snapshot,
			      const void *record);

void write_records(struct json_writer *w, const char *key, const struct snapshot *snapshot,
		   const struct ptr_vec *records, record_writer write_record);
void write_process(struct json_writer *w, const struct snapshot *snapshot, const void *record);
void write_thread(struct json_writer *w, const struct snapshot *snapshot, struct thread *thread);
void write_port(struct json_writer *w, const struct snapshot *snapshot, const void *record);
void write_message(struct json_writer *w, const struct snapshot *snapshot, const void *record);
void write_connection(struct json_writer *w, const struct snapshot *snapshot, const void *record);
void write_rpc(struct json_writer *w, const struct snapshot *snapshot);

/* ---- what the analysis found (json_analysis.c) ------------------------- */

void write_wait(struct json_writer *w, const struct snapshot *snapshot, const void *record);
void write_cycle(struct json_writer *w, const struct snapshot *snapshot,
		 const struct cycle *cycle);
void write_chain(struct json_writer *w, const struct analysis *analysis,
		 const struct chain *chain);

#endif
