/* Private to the HTML page (html_page.c, html_cells.c, html_tables.c).
 * html_page.c fills the page's skeleton, header, summary and graph and
 * asks html_tables.c for the tables; html_tables.c chooses which objects
 * get a row and fills the tables; html_cells.c holds the phrases, cells
 * and links both of them write with, so an object is named the same way
 * in a sentence and in a table. */
#ifndef ALPCGRAPH_HTML_PAGE_INTERNAL_H
#define ALPCGRAPH_HTML_PAGE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "../src/base/base.h"
#include "html_tree.h"
#include "reports.h"

enum { ANCHOR_SIZE = 64 };

struct page {
	const struct analysis *analysis;
	const struct snapshot *snapshot;
	bool all;
	/* (uintptr_t)object -> object, for every object that has a row */
	struct u64_map rows;
	/* the waits of each client thread: first in waits_by_client, the
	 * rest chained through next_wait (indexed by wait->index) */
	struct u64_map waits_by_client;
	struct wait **next_wait;
};

/* ---- which objects get a row (html_tables.c) --------------------------- */

struct row_counts {
	size_t ports_omitted, messages_omitted, server_calls_omitted, client_calls_omitted,
		processes_omitted;
};

bool has_row(const struct page *page, const void *object);
void plan_rows(struct page *page, struct row_counts *counts);

/* ---- phrases and cells (html_cells.c) ---------------------------------- */

const char *or_unknown(const char *text);

void append_thread(xmlNodePtr parent, const struct page *page, const struct thread *thread,
		   bool with_pid);
void append_process(xmlNodePtr parent, const struct page *page, const struct process *process,
		    bool with_pid);
void append_blocker(xmlNodePtr parent, const struct root_blocker *root);

xmlNodePtr cell_text(xmlNodePtr row, const char *text);
xmlNodePtr cell_hex(xmlNodePtr row, maybe_u64 value);
xmlNodePtr cell_decimal(xmlNodePtr row, maybe_u64 value);
xmlNodePtr cell_count(xmlNodePtr row, size_t count);
void append_rpc_cell(xmlNodePtr parent, maybe_cell value);
xmlNodePtr cell_rpc_cell(xmlNodePtr row, maybe_cell value);
void append_cid(xmlNodePtr parent, maybe_u64 pid, maybe_u64 tid);
void append_thread_link(xmlNodePtr parent, const struct page *page, const struct thread *thread);
xmlNodePtr cell_thread_at(xmlNodePtr row, const struct page *page, maybe_u64 address);
void append_process_link(xmlNodePtr parent, const struct page *page,
			 const struct process *process);
xmlNodePtr cell_process(xmlNodePtr row, const struct page *page, const struct process *process);
xmlNodePtr cell_process_at(xmlNodePtr row, const struct page *page, maybe_u64 address);
xmlNodePtr cell_process_by_pid(xmlNodePtr row, const struct page *page, maybe_u64 pid);
void append_port_link(xmlNodePtr parent, const struct page *page, const struct port *port);
xmlNodePtr cell_port_at(xmlNodePtr row, const struct page *page, maybe_u64 address);
void append_message_link(xmlNodePtr parent, const struct page *page,
			 const struct message *message);

struct table {
	xmlNodePtr table;
	xmlNodePtr body;
	size_t rows;
};

struct table table_start(xmlNodePtr table, const char *const *headers, size_t count);
xmlNodePtr table_row(struct table *table, const char *anchor);
void table_finish(struct table *table, const char *when_empty, size_t omitted,
		  const char *omitted_kind);

/* ---- the tables (html_tables.c) ---------------------------------------- */

void fill_waiting_threads(xmlNodePtr element, const struct page *page);
void fill_ports(xmlNodePtr element, const struct page *page, size_t omitted);
void fill_messages(xmlNodePtr element, const struct page *page, size_t omitted);
void fill_server_calls(xmlNodePtr element, const struct page *page, size_t omitted);
void fill_client_calls(xmlNodePtr element, const struct page *page, size_t omitted);
void fill_processes(xmlNodePtr element, const struct page *page, size_t omitted);
void fill_diagnostics(xmlNodePtr element, const struct snapshot *snapshot);

#endif
