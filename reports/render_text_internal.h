/* Private to the text report (render_text.c, text_waits.c,
 * text_tables.c): the report being written, and the words every part of
 * it is written with (render_text.c), so a thread or an address reads the
 * same in each.  render_text.c writes the header and the deadlocks, then
 * the chains and the waiting threads (text_waits.c), then the ports, the
 * RPC calls and the diagnostics (text_tables.c). */
#ifndef ALPCGRAPH_RENDER_TEXT_INTERNAL_H
#define ALPCGRAPH_RENDER_TEXT_INTERNAL_H

#include <stdbool.h>
#include <stdio.h>

#include "reports.h"

struct text_report {
	FILE *out;
	const struct analysis *analysis;
	const struct snapshot *snapshot;
	bool all;
	/* The waits sorted by client thread, and for each client thread the
	 * first of its entries, so a thread's waits are found in O(1). */
	const struct wait **waits_by_client;
	struct u64_map first_wait_of_client;
};

/* ---- words and names (render_text.c) ----------------------------------- */

void put_text(FILE *out, const char *text);
void put_hex(FILE *out, maybe_u64 value, int digits);
void put_address(const struct text_report *r, maybe_u64 address);
void put_cid(FILE *out, maybe_u64 pid, maybe_u64 tid);
void put_cell(FILE *out, maybe_cell cell);
void put_plural(FILE *out, size_t count, const char *singular, const char *plural);
void put_thread(const struct text_report *r, const struct thread *thread);
void put_party(const struct text_report *r, const struct thread *thread,
	       const struct process *process);

/* ---- waits, chains and threads (text_waits.c) -------------------------- */

void put_hop(const struct text_report *r, const struct wait *wait);
void put_chains(const struct text_report *r);
void index_waits_by_client(struct text_report *r);
void put_threads(const struct text_report *r);

/* ---- ports, RPC calls and diagnostics (text_tables.c) ------------------ */

void put_ports(const struct text_report *r);
void put_rpc_calls(const struct text_report *r);
void put_diagnostics(const struct text_report *r);

#endif
