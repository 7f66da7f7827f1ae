/* render_html_page: one self-contained page per capture.
 *
 * The page is templates/page.html filled in order: title and status, the
 * summary (cycles first, then the longest chains), the inline graph, and
 * one table per kind of object.  Every object with a row carries its
 * report anchor as id, so a click on a graph node lands on it, and every
 * reference to an object that has a row is a link to that row.  Unknown
 * values show as "?"; input text enters only as text nodes. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/base/base.h"
#include "html_tree.h"
#include "reports.h"

/* Without --all the tables show the wait subgraph in full and at most
 * this many other objects of each kind; a server dump has hundreds of
 * thousands, and the JSON file lists them all. */
enum { ROWS_BEYOND_WAIT_GRAPH = 1000 };
/* Chains listed in the summary, and hops shown of a long one. */
enum { CHAINS_LISTED = 5, CHAIN_HOPS_SHOWN = 6, CYCLE_MEMBERS_IN_SENTENCE = 4 };
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

static bool has_row(const struct page *page, const void *object)
{
	return object && u64_map_get(&page->rows, (uintptr_t)object) != NULL;
}

static void give_row(struct page *page, const void *object)
{
	u64_map_put(&page->rows, (uintptr_t)object, (void *)object);
}

static const char *or_unknown(const char *text)
{
	return text && *text ? text : "?";
}

/* ---- phrases --------------------------------------------------------------- */

static maybe_u64 thread_pid(const struct page *page, const struct thread *thread)
{
	if (thread->pid.known)
		return thread->pid;
	const struct process *process = thread_process(page->snapshot, thread);
	return process ? process->pid : UNKNOWN_U64;
}

/* "alpha.exe (0x100) thread 0x104"; without the process id when the
 * sentence has named that process before. */
static void append_thread_phrase(xmlNodePtr parent, const struct page *page,
				 const struct thread *thread, bool with_pid)
{
	const char *image = thread_image(page->snapshot, thread);
	maybe_u64 pid = thread_pid(page, thread);
	if (image && with_pid && pid.known)
		html_append_textf(parent, "%s (0x%" PRIx64 ") ", image, pid.value);
	else if (image)
		html_append_textf(parent, "%s ", image);
	else if (pid.known)
		html_append_textf(parent, "process 0x%" PRIx64 " ", pid.value);
	if (thread->tid.known)
		html_append_textf(parent, "thread 0x%" PRIx64, thread->tid.value);
	else if (thread->address.known)
		html_append_textf(parent, "thread at 0x%" PRIx64, thread->address.value);
	else
		html_append_text(parent, "an unidentified thread");
}

static void append_process_phrase(xmlNodePtr parent, const struct process *process,
				  bool with_pid)
{
	if (process->image && with_pid && process->pid.known)
		html_append_textf(parent, "%s (0x%" PRIx64 ")", process->image, process->pid.value);
	else if (process->image)
		html_append_text(parent, process->image);
	else if (process->pid.known)
		html_append_textf(parent, "process 0x%" PRIx64, process->pid.value);
	else if (process->address.known)
		html_append_textf(parent, "process at 0x%" PRIx64, process->address.value);
	else
		html_append_text(parent, "an unidentified process");
}

/* A link to the object's row when it has one, else plain text. */
static xmlNodePtr append_reference(xmlNodePtr parent, const struct page *page,
				   const void *object, const char *anchor)
{
	if (!has_row(page, object))
		return html_append_element(parent, "span", NULL);
	char href[ANCHOR_SIZE + 1];
	snprintf(href, sizeof href, "#%s", anchor);
	return html_append_link(parent, href, NULL);
}

static void append_thread(xmlNodePtr parent, const struct page *page,
			  const struct thread *thread, bool with_pid)
{
	char anchor[ANCHOR_SIZE];
	report_anchor_thread(thread, anchor, sizeof anchor);
	append_thread_phrase(append_reference(parent, page, thread, anchor), page, thread,
			     with_pid);
}

static void append_process(xmlNodePtr parent, const struct page *page,
			   const struct process *process, bool with_pid)
{
	char anchor[ANCHOR_SIZE];
	report_anchor_process(process, anchor, sizeof anchor);
	append_process_phrase(append_reference(parent, page, process, anchor), process,
			      with_pid);
}

/* "blocked on a critical section (ntdll!RtlpWaitOnCriticalSection)" */
static void append_blocker(xmlNodePtr parent, const struct root_blocker *root)
{
	const char *description = blocker_kind_description(root->kind);
	html_append_text(parent, description ? description : "blocked for an unknown reason");
	if (root->detail)
		html_append_textf(parent, " (%s)", root->detail);
}

/* ---- cells ----------------------------------------------------------------- */

static xmlNodePtr cell(xmlNodePtr row, const char *text)
{
	xmlNodePtr td = html_append_element(row, "td", or_unknown(text));
	if (!text || !*text)
		html_set_attribute(td, "class", "unknown");
	return td;
}

static xmlNodePtr cell_hex(xmlNodePtr row, maybe_u64 value)
{
	if (!value.known)
		return cell(row, NULL);
	xmlNodePtr td = html_append_elementf(row, "td", "0x%" PRIx64, value.value);
	html_set_attribute(td, "class", "address");
	return td;
}

static xmlNodePtr cell_decimal(xmlNodePtr row, maybe_u64 value)
{
	if (!value.known)
		return cell(row, NULL);
	xmlNodePtr td = html_append_elementf(row, "td", "%" PRIu64, value.value);
	html_set_attribute(td, "class", "number");
	return td;
}

static xmlNodePtr cell_count(xmlNodePtr row, size_t count)
{
	return cell_decimal(row, known_u64(count));
}

/* An RPC cell id "0000.0004": two 16-bit numbers, as rpcexts prints it. */
static void append_rpc_cell(xmlNodePtr parent, maybe_cell value)
{
	if (value.known)
		html_append_textf(parent, "%04" PRIx64 ".%04" PRIx64, value.value >> 16,
				  value.value & 0xffff);
	else
		html_append_text(parent, "?");
}

static xmlNodePtr cell_rpc_cell(xmlNodePtr row, maybe_cell value)
{
	if (!value.known)
		return cell(row, NULL);
	xmlNodePtr td = html_append_element(row, "td", NULL);
	html_set_attribute(td, "class", "address");
	append_rpc_cell(td, value);
	return td;
}

static void append_cid(xmlNodePtr parent, maybe_u64 pid, maybe_u64 tid)
{
	char cid[CID_TEXT_SIZE];
	format_cid(cid, sizeof cid, pid, tid);
	html_append_textf(parent, "%s", cid);
}

/* A short label for a thread in a table: its Cid, else its address. */
static void append_thread_label(xmlNodePtr parent, const struct thread *thread)
{
	if (thread->pid.known || thread->tid.known)
		append_cid(parent, thread->pid, thread->tid);
	else if (thread->address.known)
		html_append_textf(parent, "0x%" PRIx64, thread->address.value);
	else if (thread->debugger_index.known)
		html_append_textf(parent, "debugger thread %" PRIu64, thread->debugger_index.value);
	else
		html_append_text(parent, "?");
}

static void append_thread_link(xmlNodePtr parent, const struct page *page,
			       const struct thread *thread)
{
	char anchor[ANCHOR_SIZE];
	report_anchor_thread(thread, anchor, sizeof anchor);
	append_thread_label(append_reference(parent, page, thread, anchor), thread);
}

/* A thread named by address in the snapshot: a link when it has a row. */
static xmlNodePtr cell_thread_at(xmlNodePtr row, const struct page *page, maybe_u64 address)
{
	if (!address.known)
		return cell(row, NULL);
	const struct thread *thread = snapshot_find_thread(page->snapshot, address.value);
	if (!thread)
		return cell_hex(row, address);
	xmlNodePtr td = html_append_element(row, "td", NULL);
	append_thread_link(td, page, thread);
	return td;
}

static void append_process_link(xmlNodePtr parent, const struct page *page,
				const struct process *process)
{
	append_process(parent, page, process, true);
}

static xmlNodePtr cell_process(xmlNodePtr row, const struct page *page,
			       const struct process *process)
{
	if (!process)
		return cell(row, NULL);
	xmlNodePtr td = html_append_element(row, "td", NULL);
	html_set_attribute(td, "class", "name");
	append_process_link(td, page, process);
	return td;
}

static xmlNodePtr cell_process_at(xmlNodePtr row, const struct page *page, maybe_u64 address)
{
	if (!address.known)
		return cell(row, NULL);
	const struct process *process = snapshot_find_process(page->snapshot, address.value);
	return process ? cell_process(row, page, process) : cell_hex(row, address);
}

static xmlNodePtr cell_process_by_pid(xmlNodePtr row, const struct page *page, maybe_u64 pid)
{
	if (!pid.known)
		return cell(row, NULL);
	const struct process *process = snapshot_find_process_by_pid(page->snapshot, pid.value);
	return process ? cell_process(row, page, process) : cell_hex(row, pid);
}

static void append_port_link(xmlNodePtr parent, const struct page *page, const struct port *port)
{
	char anchor[ANCHOR_SIZE];
	report_anchor_port(port, anchor, sizeof anchor);
	xmlNodePtr target = append_reference(parent, page, port, anchor);
	if (port->name)
		html_append_text(target, port->name);
	else
		html_append_textf(target, "port 0x%" PRIx64, port->address.value);
}

static xmlNodePtr cell_port_at(xmlNodePtr row, const struct page *page, maybe_u64 address)
{
	if (!address.known)
		return cell(row, NULL);
	const struct port *port = snapshot_find_port(page->snapshot, address.value);
	if (!port)
		return cell_hex(row, address);
	xmlNodePtr td = html_append_element(row, "td", NULL);
	html_set_attribute(td, "class", "name");
	append_port_link(td, page, port);
	return td;
}

static void append_message_link(xmlNodePtr parent, const struct page *page,
				const struct message *message)
{
	char anchor[ANCHOR_SIZE];
	report_anchor_message(message, anchor, sizeof anchor);
	xmlNodePtr target = append_reference(parent, page, message, anchor);
	if (message->address.known)
		html_append_textf(target, "0x%" PRIx64, message->address.value);
	else if (message->id.known)
		html_append_textf(target, "id 0x%" PRIx64, message->id.value);
	else
		html_append_text(target, "?");
}

static xmlNodePtr row_with_anchor(xmlNodePtr tbody, const char *anchor)
{
	xmlNodePtr row = html_append_element(tbody, "tr", NULL);
	if (anchor)
		html_set_attribute(row, "id", anchor);
	return row;
}

/* ---- tables ---------------------------------------------------------------- */

struct table {
	xmlNodePtr table;
	xmlNodePtr body;
	size_t rows;
};

static struct table table_start(xmlNodePtr table, const char *const *headers, size_t count)
{
	xmlNodePtr head_row = html_append_element(html_append_element(table, "thead", NULL), "tr",
						  NULL);
	for (size_t i = 0; i < count; i++)
		html_set_attribute(html_append_element(head_row, "th", headers[i]), "scope", "col");
	return (struct table){ table, html_append_element(table, "tbody", NULL), 0 };
}

static xmlNodePtr table_row(struct table *table, const char *anchor)
{
	table->rows++;
	return row_with_anchor(table->body, anchor);
}

/* An empty table says so in a sentence instead, keeping the id. */
static void table_finish(struct table *table, const char *when_empty, size_t omitted,
			 const char *omitted_kind)
{
	xmlNodePtr after = table->table;
	if (table->rows == 0) {
		xmlNodePtr note = xmlNewDocNode(table->table->doc, NULL, BAD_CAST "p", NULL);
		html_append_text(note, when_empty);
		html_set_attribute(note, "class", "none");
		xmlChar *id = xmlGetProp(table->table, BAD_CAST "id");
		xmlReplaceNode(table->table, note);
		xmlFreeNode(table->table);
		if (id)
			html_set_attribute(note, "id", (const char *)id);
		xmlFree(id);
		after = note;
	}
	if (omitted > 0) {
		xmlNodePtr note = xmlNewDocNode(after->doc, NULL, BAD_CAST "p", NULL);
		html_set_attribute(note, "class", "note");
		html_append_textf(note,
				  "%zu more %s are not listed here; the JSON file has them all, "
				  "and --all lists them on this page.",
				  omitted, omitted_kind);
		xmlAddNextSibling(after, note);
	}
}

/* ---- which objects get a row ------------------------------------------------- */

static bool port_has_queued_messages(const struct port *port)
{
	for (int q = 0; q < QUEUE_KIND_COUNT; q++)
		if ((port->queues[q].length.known && port->queues[q].length.value > 0) ||
		    port->queues[q].messages.count > 0)
			return true;
	return false;
}

struct row_counts {
	size_t ports_omitted, messages_omitted, server_calls_omitted, client_calls_omitted,
		processes_omitted;
};

/* Objects of the wait subgraph always get a row; others up to the limit,
 * or all of them with --all.  Returns how many were left out. */
static size_t choose_rows(struct page *page, const struct ptr_vec *objects,
			  bool (*in_wait_graph)(const struct page *, const void *),
			  bool (*worth_listing)(const void *))
{
	size_t others = 0, omitted = 0;
	for (size_t i = 0; i < objects->count; i++) {
		const void *object = objects->items[i];
		if (in_wait_graph && in_wait_graph(page, object))
			give_row(page, object);
		else if (worth_listing && !worth_listing(object))
			continue;
		else if (page->all || others < ROWS_BEYOND_WAIT_GRAPH) {
			give_row(page, object);
			others++;
		} else
			omitted++;
	}
	return omitted;
}

static bool port_in_wait_graph(const struct page *page, const void *port)
{
	return analysis_port_involved(page->analysis, port);
}

static bool port_worth_listing(const void *port)
{
	return port_has_queued_messages(port);
}

static bool process_in_wait_graph(const struct page *page, const void *process)
{
	return analysis_process_involved(page->analysis, process);
}

static void plan_rows(struct page *page, struct row_counts *counts)
{
	const struct snapshot *snapshot = page->snapshot;
	size_t wait_count = page->analysis->waits.count;
	page->next_wait = checked_calloc(wait_count ? wait_count : 1, sizeof *page->next_wait);
	/* Walk backwards so each client's list ends up in wait order. */
	for (size_t i = wait_count; i-- > 0;) {
		struct wait *wait = page->analysis->waits.items[i];
		if (wait->message)
			give_row(page, wait->message);
		if (!wait->client)
			continue;
		struct wait *first = u64_map_get(&page->waits_by_client, (uintptr_t)wait->client);
		if (wait->index < wait_count)
			page->next_wait[wait->index] = first;
		u64_map_put(&page->waits_by_client, (uintptr_t)wait->client, wait);
	}
	for (size_t i = 0; i < snapshot->threads.count; i++) {
		const struct thread *thread = snapshot->threads.items[i];
		if (page->all || analysis_thread_involved(page->analysis, thread) ||
		    u64_map_get(&page->waits_by_client, (uintptr_t)thread))
			give_row(page, thread);
	}
	counts->processes_omitted =
		choose_rows(page, &snapshot->processes, process_in_wait_graph, NULL);
	counts->ports_omitted =
		choose_rows(page, &snapshot->ports, port_in_wait_graph, port_worth_listing);
	/* Messages of the waits already have rows; choose_rows adds the rest. */
	size_t others = 0;
	counts->messages_omitted = 0;
	for (size_t i = 0; i < snapshot->messages.count; i++) {
		const void *message = snapshot->messages.items[i];
		if (has_row(page, message))
			continue;
		if (page->all || others < ROWS_BEYOND_WAIT_GRAPH) {
			give_row(page, message);
			others++;
		} else
			counts->messages_omitted++;
	}
	counts->server_calls_omitted = choose_rows(page, &snapshot->rpc_server_calls, NULL, NULL);
	counts->client_calls_omitted = choose_rows(page, &snapshot->rpc_client_calls, NULL, NULL);
}

static struct wait *next_wait_of_client(const struct page *page, const struct wait *wait)
{
	return wait->index < page->analysis->waits.count ? page->next_wait[wait->index] : NULL;
}

/* ---- header ------------------------------------------------------------------ */

static struct error *check_href(const char *href)
{
	if (href && !html_href_is_relative(href))
		return error_new(ERROR_USAGE, "report link \"%s\" is not a relative file name", href);
	return NULL;
}

static struct error *fill_links(xmlNodePtr nav, const struct page_files *files)
{
	if (!files)
		return NULL;
	const struct {
		const char *href, *text;
	} links[] = {
		{ files->index_href, "\u2190 All captures" },
		{ files->json_href, "JSON" },
		{ files->dot_href, "DOT" },
		{ files->svg_href, "SVG" },
	};
	for (size_t i = 0; i < sizeof links / sizeof *links; i++) {
		struct error *error = check_href(links[i].href);
		if (error)
			return error;
		if (links[i].href)
			html_append_link(nav, links[i].href, links[i].text);
	}
	return NULL;
}

static void fill_title(xmlNodePtr title, xmlNodePtr heading, const struct snapshot *snapshot)
{
	const char *path = or_unknown(snapshot->path);
	xmlNodeSetContent(title, NULL);
	if (snapshot->capture_count > 1)
		html_append_textf(title, "alpcgraph: %s (capture %u of %u)", path,
				  snapshot->capture_index, snapshot->capture_count);
	else
		html_append_textf(title, "alpcgraph: %s", path);

	html_set_attribute(html_append_element(heading, "span", path), "class", "input-path");
	if (snapshot->capture_count > 1)
		html_set_attribute(html_append_elementf(heading, "span", " \u2014 capture %u of %u",
							snapshot->capture_index,
							snapshot->capture_count),
				   "class", "capture");
	const char *status = snapshot_status_name(snapshot->status);
	html_append_text(heading, " ");
	xmlNodePtr badge = html_append_element(heading, "span", status);
	char classes[64];
	snprintf(classes, sizeof classes, "badge status-%s", status);
	html_set_attribute(badge, "class", classes);
}

static void fill_system(xmlNodePtr line, const struct snapshot *snapshot)
{
	const struct system_info *system = &snapshot->system;
	const struct {
		const char *label, *value;
	} facts[] = {
		{ "format", snapshot->format }, { "arch", system->arch },
		{ "build", system->build },     { "dump type", system->dump_type },
		{ "debugger", system->debugger }, { "machine", system->machine },
	};
	const char *separator = "";
	for (size_t i = 0; i < sizeof facts / sizeof *facts; i++) {
		if (!facts[i].value)
			continue;
		html_append_textf(line, "%s%s ", separator, facts[i].label);
		html_append_element(line, "code", facts[i].value);
		separator = " \u00b7 ";
	}
	if (snapshot->last_line > 0)
		html_append_textf(line, "%slines %" PRIu64 "\u2013%" PRIu64, separator,
				  snapshot->first_line, snapshot->last_line);
}

/* ---- summary ----------------------------------------------------------------- */

static const char *cycle_label(const struct cycle *cycle)
{
	if (cycle->definite)
		return "Deadlock:";
	return cycle->kind == CYCLE_PROCESS ? "Probable deadlock (process-level):"
					    : "Probable deadlock (thread-level):";
}

static void append_member(xmlNodePtr parent, const struct page *page,
			  const struct cycle *cycle, size_t i, bool with_pid)
{
	const void *member = cycle->members.items[i];
	if (cycle->kind == CYCLE_THREAD)
		append_thread(parent, page, member, with_pid);
	else
		append_process(parent, page, member, with_pid);
}

/* "Deadlock: alpha.exe (0x100) thread 0x104 waits for beta.exe (0x200)
 * thread 0x204, which waits for alpha.exe thread 0x104."  A long cycle
 * becomes a hop list. */
static void append_cycle_sentence(xmlNodePtr parent, const struct page *page,
				  const struct cycle *cycle)
{
	size_t count = cycle->members.count;
	html_append_element(parent, "strong", cycle_label(cycle));
	html_append_text(parent, " ");
	if (count == 0) {
		html_append_text(parent, "members unknown.");
		return;
	}
	if (count <= CYCLE_MEMBERS_IN_SENTENCE) {
		for (size_t i = 0; i < count; i++) {
			if (i == 1)
				html_append_text(parent, " waits for ");
			else if (i > 1)
				html_append_text(parent, ", which waits for ");
			append_member(parent, page, cycle, i, true);
		}
		html_append_text(parent, count == 1 ? " waits for " : ", which waits for ");
		append_member(parent, page, cycle, 0, false);
		html_append_text(parent, ".");
		return;
	}
	html_append_textf(parent, "%zu %s wait in a circle: ", count,
			  cycle->kind == CYCLE_THREAD ? "threads" : "processes");
	for (size_t i = 0; i < count; i++) {
		append_member(parent, page, cycle, i, true);
		html_append_text(parent, " \u2192 ");
	}
	append_member(parent, page, cycle, 0, false);
	html_append_text(parent, ".");
}

/* One line per hop: who waits, through what, on which port. */
static void append_wait_hop(xmlNodePtr parent, const struct page *page, const struct wait *wait)
{
	if (wait->client)
		append_thread(parent, page, wait->client, false);
	else if (wait->client_process)
		append_process(parent, page, wait->client_process, false);
	else
		html_append_text(parent, "?");
	const char *via = wait_via_name(wait->via);
	html_append_textf(parent, " waits via %s", via ? via : "?");
	if (wait->message) {
		html_append_text(parent, " on message ");
		append_message_link(parent, page, wait->message);
	}
	if (wait->port) {
		html_append_text(parent, " at port ");
		append_port_link(parent, page, wait->port);
	}
	if (wait->weak)
		html_append_textf(parent, " (weak evidence: %s)", or_unknown(wait->weak_reason));
}

static void append_cycle(xmlNodePtr summary, const struct page *page,
			 const struct cycle *cycle, size_t number)
{
	xmlNodePtr banner = html_append_element(summary, "div", NULL);
	html_set_attribute(banner, "class", cycle->definite ? "banner deadlock" : "banner probable");
	char id[32];
	snprintf(id, sizeof id, "cycle-%zu", number);
	html_set_attribute(banner, "id", id);
	xmlNodePtr sentence = html_append_element(banner, "p", NULL);
	html_set_attribute(sentence, "class", "banner-text");
	append_cycle_sentence(sentence, page, cycle);
	if (cycle->waits.count > 0) {
		xmlNodePtr hops = html_append_element(banner, "ul", NULL);
		html_set_attribute(hops, "class", "hops");
		for (size_t i = 0; i < cycle->waits.count; i++)
			append_wait_hop(html_append_element(hops, "li", NULL), page,
					cycle->waits.items[i]);
	}
	if (cycle->signature) {
		xmlNodePtr signature = html_append_element(banner, "p", "Signature ");
		html_set_attribute(signature, "class", "signature");
		html_set_attribute(html_append_element(signature, "code", cycle->signature), "class",
				   "signature-text");
		if (cycle->signature_id) {
			html_append_text(signature, " \u00b7 id ");
			html_append_element(signature, "code", cycle->signature_id);
		}
	}
}

/* The thread (or process) at a chain's end, and what it is doing. */
static void append_root(xmlNodePtr parent, const struct page *page, const struct chain *chain)
{
	const struct root_blocker *root = &chain->root;
	xmlNodePtr who = html_append_element(parent, "span", NULL);
	html_set_attribute(who, "class", "root");
	if (root->thread)
		append_thread(who, page, root->thread, true);
	else if (root->process)
		append_process(who, page, root->process, true);
	else
		html_append_text(who, "?");
	html_append_text(parent, " \u2014 ");
	append_blocker(parent, root);
	if (root->kind == BLOCKER_CYCLE && chain->cycle) {
		for (size_t i = 0; i < page->analysis->cycles.count; i++)
			if (page->analysis->cycles.items[i] == chain->cycle) {
				char href[32];
				snprintf(href, sizeof href, "#cycle-%zu", i + 1);
				html_append_text(parent, " (");
				html_append_link(parent, href, "see the cycle above");
				html_append_text(parent, ")");
			}
	}
	html_append_text(parent, ".");
}

static void append_chain_member(xmlNodePtr parent, const struct page *page,
				const struct wait *wait)
{
	if (wait->client)
		append_thread(parent, page, wait->client, true);
	else if (wait->client_process)
		append_process(parent, page, wait->client_process, true);
	else
		html_append_text(parent, "?");
	html_append_text(parent, " \u2192 ");
}

static void append_chain(xmlNodePtr list, const struct page *page, const struct chain *chain)
{
	xmlNodePtr item = html_append_element(list, "li", NULL);
	size_t hops = chain->waits.count;
	html_append_elementf(item, "strong", "%zu %s:", hops, hops == 1 ? "wait" : "waits");
	html_append_text(item, " ");
	for (size_t i = 0; i < hops; i++) {
		/* A long chain keeps its head and its end; the middle is counted. */
		if (hops > CHAIN_HOPS_SHOWN && i == CHAIN_HOPS_SHOWN / 2) {
			size_t skipped = hops - CHAIN_HOPS_SHOWN;
			html_append_textf(item, "\u2026 %zu more \u2026 \u2192 ", skipped);
			i += skipped - 1;
			continue;
		}
		append_chain_member(item, page, chain->waits.items[i]);
	}
	html_append_text(item, "root blocker: ");
	append_root(item, page, chain);
}

static void fill_summary(xmlNodePtr summary, const struct page *page)
{
	const struct analysis *analysis = page->analysis;
	const struct snapshot *snapshot = page->snapshot;
	for (size_t i = 0; i < analysis->cycles.count; i++)
		append_cycle(summary, page, analysis->cycles.items[i], i + 1);

	if (analysis->waits.count == 0) {
		xmlNodePtr calm = html_append_element(summary, "div", NULL);
		html_set_attribute(calm, "class", "banner calm");
		html_set_attribute(html_append_element(calm, "p", "No thread waits on IPC."), "class",
				   "banner-text");
	} else if (analysis->cycles.count == 0) {
		xmlNodePtr calm = html_append_element(summary, "div", NULL);
		html_set_attribute(calm, "class", "banner calm");
		html_set_attribute(html_append_elementf(calm, "p",
							"No deadlock cycle among %zu %s.",
							analysis->waits.count,
							analysis->waits.count == 1 ? "wait"
										   : "waits"),
				   "class", "banner-text");
	}

	if (analysis->chains.count > 0) {
		html_append_element(summary, "h3",
				    analysis->chains.count == 1 ? "Longest chain" : "Longest chains");
		xmlNodePtr list = html_append_element(summary, "ol", NULL);
		html_set_attribute(list, "class", "chains");
		for (size_t i = 0; i < analysis->chains.count && i < CHAINS_LISTED; i++)
			append_chain(list, page, analysis->chains.items[i]);
		if (analysis->chains.count > CHAINS_LISTED)
			html_set_attribute(html_append_elementf(summary, "p",
								"%zu shorter chains are not listed.",
								analysis->chains.count -
									CHAINS_LISTED),
					   "class", "note");
	}

	const struct {
		size_t count;
		const char *one, *many;
	} counted[] = {
		{ snapshot->processes.count, "process", "processes" },
		{ snapshot->threads.count, "thread", "threads" },
		{ snapshot->ports.count, "port", "ports" },
		{ snapshot->messages.count, "message", "messages" },
		{ snapshot->rpc_server_calls.count + snapshot->rpc_client_calls.count, "RPC call",
		  "RPC calls" },
		{ analysis->waits.count, "wait", "waits" },
		{ snapshot_count_diagnostics(snapshot, DIAGNOSTIC_ERROR), "error", "errors" },
		{ snapshot_count_diagnostics(snapshot, DIAGNOSTIC_WARNING), "warning", "warnings" },
	};
	xmlNodePtr counts = html_append_element(summary, "p", NULL);
	html_set_attribute(counts, "class", "counts");
	for (size_t i = 0; i < sizeof counted / sizeof *counted; i++)
		html_append_textf(counts, "%s%zu %s", i ? " \u00b7 " : "", counted[i].count,
				  counted[i].count == 1 ? counted[i].one : counted[i].many);
}

/* ---- graph ------------------------------------------------------------------- */

static void fill_graph(xmlNodePtr figure, const struct graph_view *view, const char *svg,
		       const char *svg_missing_reason)
{
	if (svg) {
		struct error *error = html_append_svg(figure, svg, strlen(svg));
		if (error) {
			html_set_attribute(html_append_elementf(figure, "p",
								"The graph cannot be shown: %s",
								error->message),
					   "class", "missing");
			error_free(error);
		}
	} else {
		html_set_attribute(html_append_element(figure, "p",
						       svg_missing_reason ? svg_missing_reason
									  : "No graph was drawn."),
				   "class", "missing");
	}
	const char *omission = view ? graph_view_omission_text(view) : NULL;
	if (omission)
		html_append_element(figure, "figcaption", omission);
}

/* ---- waiting threads ----------------------------------------------------------- */

static void append_waits_on(xmlNodePtr td, const struct page *page, const struct wait *wait)
{
	if (wait->message) {
		html_append_text(td, "message ");
		append_message_link(td, page, wait->message);
		if (wait->message->id.known)
			html_append_textf(td, " (id 0x%" PRIx64 ")", wait->message->id.value);
	} else if (wait->rpc_server_call) {
		html_append_text(td, "server call ");
		append_rpc_cell(td, wait->rpc_server_call->cell);
		if (wait->rpc_server_call->call_id.known)
			html_append_textf(td, " (call id 0x%" PRIx64 ")",
					  wait->rpc_server_call->call_id.value);
	} else if (wait->rpc_client_call) {
		html_append_text(td, "client call ");
		append_rpc_cell(td, wait->rpc_client_call->cell);
	} else if (wait->lock) {
		html_append_textf(td, "%s 0x%" PRIx64, or_unknown(wait->lock->type),
				  wait->lock->address);
	} else {
		html_append_text(td, "?");
	}
}

static void append_wait_port(xmlNodePtr td, const struct page *page, const struct wait *wait)
{
	if (wait->port)
		append_port_link(td, page, wait->port);
	else if (wait->rpc_endpoint)
		html_append_textf(td, "%s %s", or_unknown(wait->rpc_endpoint->protocol),
				  or_unknown(wait->rpc_endpoint->name));
	else if (wait->rpc_client_call && wait->rpc_client_call->endpoint)
		html_append_text(td, wait->rpc_client_call->endpoint);
	else
		html_append_text(td, "?");
}

static void append_wait_server(xmlNodePtr td, const struct page *page, const struct wait *wait)
{
	if (wait->server_thread)
		append_thread(td, page, wait->server_thread, true);
	else if (wait->server_process) {
		append_process(td, page, wait->server_process, true);
		html_append_text(td, ", no thread known");
	} else
		html_append_text(td, "?");
}

static void append_wait_time(xmlNodePtr row, const struct thread *thread)
{
	if (thread && thread->wait_time)
		cell(row, thread->wait_time);
	else if (thread && thread->wait_ticks.known)
		html_append_elementf(row, "td", "%" PRIu64 " ticks", thread->wait_ticks.value);
	else
		cell(row, NULL);
}

static void append_state(xmlNodePtr row, const struct thread *thread)
{
	if (!thread || (!thread->state && !thread->wait_reason)) {
		cell(row, NULL);
		return;
	}
	xmlNodePtr td = html_append_element(row, "td", or_unknown(thread->state));
	if (thread->wait_reason)
		html_append_textf(td, " (%s)", thread->wait_reason);
}

static void append_wait_flags(xmlNodePtr td, const struct page *page, const struct wait *wait)
{
	if (wait->weak) {
		xmlNodePtr flag = html_append_elementf(td, "span", "weak: %s",
						       or_unknown(wait->weak_reason));
		html_set_attribute(flag, "class", "flag weak");
	}
	if (wait->serving) {
		xmlNodePtr flag = html_append_element(td, "span", "nested: serves ");
		html_set_attribute(flag, "class", "flag nested");
		if (wait->serving->client)
			append_thread_link(flag, page, wait->serving->client);
		else if (wait->serving->client_process)
			append_process_link(flag, page, wait->serving->client_process);
		else
			html_append_text(flag, "?");
	}
}

/* The columns a thread row starts with, whether it waits or not. */
static void append_thread_cells(xmlNodePtr row, const struct page *page,
				const struct thread *thread, const struct process *process)
{
	if (thread && (thread->pid.known || thread->tid.known)) {
		xmlNodePtr td = html_append_element(row, "td", NULL);
		html_set_attribute(td, "class", "cid");
		append_cid(td, thread->pid, thread->tid);
	} else {
		cell(row, NULL);
	}
	if (!process && thread)
		process = thread_process(page->snapshot, thread);
	cell_process(row, page, process);
	cell_hex(row, thread ? thread->address : UNKNOWN_U64);
	append_state(row, thread);
}

static void append_wait_row(struct table *table, const struct page *page,
			    const struct wait *wait, const char *anchor)
{
	xmlNodePtr row = table_row(table, anchor);
	append_thread_cells(row, page, wait->client, wait->client_process);
	const char *via = wait_via_name(wait->via);
	cell(row, via);
	append_waits_on(html_append_element(row, "td", NULL), page, wait);
	xmlNodePtr port = html_append_element(row, "td", NULL);
	html_set_attribute(port, "class", "name");
	append_wait_port(port, page, wait);
	append_wait_server(html_append_element(row, "td", NULL), page, wait);
	append_wait_time(row, wait->client);
	append_wait_flags(html_append_element(row, "td", NULL), page, wait);
}

/* A thread of the wait graph that does not itself wait on IPC: a server
 * at the end of a chain, busy or blocked on something else. */
static void append_idle_row(struct table *table, const struct page *page,
			    struct thread *thread, const char *anchor)
{
	xmlNodePtr row = table_row(table, anchor);
	append_thread_cells(row, page, thread, NULL);
	xmlNodePtr doing = html_append_element(row, "td", "not waiting on IPC: ");
	html_set_attribute(doing, "colspan", "4");
	struct root_blocker root = classify_thread(page->snapshot, thread);
	append_blocker(doing, &root);
	append_wait_time(row, thread);
	html_append_element(row, "td", NULL);
}

static void fill_waiting_threads(xmlNodePtr element, const struct page *page)
{
	static const char *const headers[] = {
		"Thread (Cid)", "Process", "Address", "State", "Via",
		"Waits on",     "Port",    "Server",  "Wait time", "Flags",
	};
	struct table table = table_start(element, headers, sizeof headers / sizeof *headers);
	const struct snapshot *snapshot = page->snapshot;
	for (size_t i = 0; i < snapshot->threads.count; i++) {
		struct thread *thread = snapshot->threads.items[i];
		if (!has_row(page, thread))
			continue;
		char anchor[ANCHOR_SIZE];
		report_anchor_thread(thread, anchor, sizeof anchor);
		struct wait *wait = u64_map_get(&page->waits_by_client, (uintptr_t)thread);
		if (!wait) {
			append_idle_row(&table, page, thread, anchor);
			continue;
		}
		for (bool first = true; wait; wait = next_wait_of_client(page, wait), first = false)
			append_wait_row(&table, page, wait, first ? anchor : NULL);
	}
	/* RPC callers known only by their process */
	for (size_t i = 0; i < page->analysis->waits.count; i++) {
		const struct wait *wait = page->analysis->waits.items[i];
		if (!wait->client)
			append_wait_row(&table, page, wait, NULL);
	}
	table_finish(&table, "No thread waits on IPC.", 0, NULL);
}

/* ---- ports ------------------------------------------------------------------- */

static void fill_ports(xmlNodePtr element, const struct page *page, size_t omitted)
{
	const struct snapshot *snapshot = page->snapshot;
	/* Only the queues some listed port reports get a column. */
	bool shown[QUEUE_KIND_COUNT] = { false };
	for (size_t i = 0; i < snapshot->ports.count; i++) {
		const struct port *port = snapshot->ports.items[i];
		if (!has_row(page, port))
			continue;
		for (int q = 1; q < QUEUE_KIND_COUNT; q++)
			if (port->queues[q].length.known || port->queues[q].messages.count > 0)
				shown[q] = true;
	}
	const char *headers[6 + QUEUE_KIND_COUNT] = { "Port", "Name", "Kind", "Owner" };
	size_t columns = 4;
	char queue_headers[QUEUE_KIND_COUNT][48];
	for (int q = 1; q < QUEUE_KIND_COUNT; q++)
		if (shown[q]) {
			const char *name = queue_kind_name((enum queue_kind)q);
			snprintf(queue_headers[q], sizeof queue_headers[q], "Queue: %s",
				 name ? name : "?");
			headers[columns++] = queue_headers[q];
		}
	headers[columns++] = "Waiting threads";
	struct table table = table_start(element, headers, columns);
	for (size_t i = 0; i < snapshot->ports.count; i++) {
		const struct port *port = snapshot->ports.items[i];
		if (!has_row(page, port))
			continue;
		char anchor[ANCHOR_SIZE];
		report_anchor_port(port, anchor, sizeof anchor);
		xmlNodePtr row = table_row(&table, anchor);
		cell_hex(row, port->address);
		html_set_attribute(cell(row, port->name), "class", port->name ? "name" : "unknown");
		cell(row, port_kind_windbg_name(port->kind));
		cell_process_at(row, page, port->owner_process);
		for (int q = 1; q < QUEUE_KIND_COUNT; q++) {
			if (!shown[q])
				continue;
			const struct port_queue *queue = &port->queues[q];
			if (queue->length.known)
				cell_decimal(row, queue->length);
			else if (queue->messages.count > 0)
				cell_count(row, queue->messages.count);
			else
				cell(row, NULL);
		}
		if (port->waiting_thread_count.known)
			cell_decimal(row, port->waiting_thread_count);
		else if (port->waiting_threads.count > 0)
			cell_count(row, port->waiting_threads.count);
		else
			cell(row, NULL);
	}
	table_finish(&table, "No port has queued messages.", omitted, "ports");
}

/* ---- messages ---------------------------------------------------------------- */

static void append_field(xmlNodePtr list, const char *name, const char *format, ...)
	PRINTF_LIKE(3, 4);

static void append_field(xmlNodePtr list, const char *name, const char *format, ...)
{
	char value[256];
	va_list args;
	va_start(args, format);
	vsnprintf(value, sizeof value, format, args);
	va_end(args);
	xmlNodePtr item = html_append_element(list, "li", NULL);
	html_set_attribute(html_append_element(item, "span", name), "class", "field-name");
	html_append_textf(item, " %s", value);
}

static void append_hex_field(xmlNodePtr list, const char *name, maybe_u64 value)
{
	if (value.known)
		append_field(list, name, "0x%" PRIx64, value.value);
}

static void append_decimal_field(xmlNodePtr list, const char *name, maybe_u64 value)
{
	if (value.known)
		append_field(list, name, "%" PRIu64, value.value);
}

static void append_yes_no_field(xmlNodePtr list, const char *name, enum yes_no value)
{
	if (value != YES_NO_UNKNOWN)
		append_field(list, name, "%s", value == YES ? "yes" : "no");
}

/* The fields of `!alpc /m` (and `!lpc message`) that have no column of
 * their own, named as the debugger names them; only known ones appear. */
static void append_message_fields(xmlNodePtr td, const struct message *m)
{
	xmlNodePtr list = html_append_element(td, "ul", NULL);
	html_set_attribute(list, "class", "fields");
	append_hex_field(list, "CallbackID", m->callback_id);
	append_hex_field(list, "SequenceNumber", m->sequence_number);
	append_decimal_field(list, "DataLength", m->data_length);
	append_decimal_field(list, "TotalLength", m->total_length);
	append_yes_no_field(list, "Canceled", m->canceled);
	append_yes_no_field(list, "Release", m->release);
	append_yes_no_field(list, "ReplyWaitReply", m->reply_wait_reply);
	append_yes_no_field(list, "Continuation", m->continuation);
	append_yes_no_field(list, "QuotaCharged", m->quota_charged);
	if (m->owner_port_kind != PORT_KIND_UNKNOWN)
		append_field(list, "OwnerPortKind", "%s", port_kind_windbg_name(m->owner_port_kind));
	if (m->queue_port_kind != PORT_KIND_UNKNOWN)
		append_field(list, "QueuePortKind", "%s", port_kind_windbg_name(m->queue_port_kind));
	append_hex_field(list, "QueuePortOwnerProcess", m->queue_port_owner);
	append_hex_field(list, "CancelQueuePort", m->cancel_queue_port);
	append_hex_field(list, "CancelSequencePort", m->cancel_sequence_port);
	append_hex_field(list, "CancelSequenceNumber", m->cancel_sequence_number);
	append_hex_field(list, "ClientContext", m->client_context);
	append_hex_field(list, "ServerContext", m->server_context);
	append_hex_field(list, "PortContext", m->port_context);
	append_hex_field(list, "CancelPortContext", m->cancel_port_context);
	append_hex_field(list, "SecurityData", m->security_data);
	append_hex_field(list, "View", m->view);
	if (m->lpc_state) {
		xmlNodePtr item = html_append_element(list, "li", NULL);
		html_set_attribute(html_append_element(item, "span", "State"), "class", "field-name");
		html_append_textf(item, " %s", m->lpc_state);
	}
	if (m->client_pid.known || m->client_tid.known) {
		xmlNodePtr item = html_append_element(list, "li", NULL);
		html_set_attribute(html_append_element(item, "span", "From"), "class", "field-name");
		html_append_text(item, " ");
		append_cid(item, m->client_pid, m->client_tid);
	}
	append_hex_field(list, "Context", m->lpc_context);
	if (!list->children) {
		xmlUnlinkNode(list);
		xmlFreeNode(list);
	}
}

static void fill_messages(xmlNodePtr element, const struct page *page, size_t omitted)
{
	static const char *const headers[] = {
		"Message", "ID", "Flavor", "Type", "Queue", "Queue port", "Owner port",
		"Waiting thread", "Server thread", "Other fields",
	};
	struct table table = table_start(element, headers, sizeof headers / sizeof *headers);
	const struct snapshot *snapshot = page->snapshot;
	for (size_t i = 0; i < snapshot->messages.count; i++) {
		const struct message *m = snapshot->messages.items[i];
		if (!has_row(page, m))
			continue;
		char anchor[ANCHOR_SIZE];
		report_anchor_message(m, anchor, sizeof anchor);
		xmlNodePtr row = table_row(&table, anchor);
		cell_hex(row, m->address);
		cell_hex(row, m->id);
		cell(row, flavor_name(m->flavor));
		cell(row, m->type);
		cell(row, queue_kind_name(m->queue));
		cell_port_at(row, page, m->queue_port);
		cell_port_at(row, page, m->owner_port);
		cell_thread_at(row, page, m->waiting_thread);
		cell_thread_at(row, page, m->server_thread);
		append_message_fields(html_append_element(row, "td", NULL), m);
	}
	table_finish(&table, "No messages in this capture.", omitted, "messages");
}

/* ---- RPC --------------------------------------------------------------------- */

static const char *server_call_status_name(maybe_u64 status)
{
	if (!status.known)
		return NULL;
	switch (status.value) {
	case 0:
		return "allocated";
	case 1:
		return "active";
	case 2:
		return "dispatched";
	default:
		return NULL;
	}
}

static void fill_server_calls(xmlNodePtr element, const struct page *page, size_t omitted)
{
	static const char *const headers[] = {
		"Process", "Cell", "Status", "Procedure", "Interface", "Thread cell",
		"Call ID", "Flags", "Caller", "Last time (ms)",
	};
	struct table table = table_start(element, headers, sizeof headers / sizeof *headers);
	const struct snapshot *snapshot = page->snapshot;
	for (size_t i = 0; i < snapshot->rpc_server_calls.count; i++) {
		const struct rpc_server_call *call = snapshot->rpc_server_calls.items[i];
		if (!has_row(page, call))
			continue;
		xmlNodePtr row = table_row(&table, NULL);
		cell_process_by_pid(row, page, call->pid);
		cell_rpc_cell(row, call->cell);
		if (call->status.known) {
			const char *name = server_call_status_name(call->status);
			html_append_elementf(row, "td", "%02" PRIx64 "%s%s", call->status.value,
					     name ? " " : "", name ? name : "");
		} else
			cell(row, NULL);
		cell_hex(row, call->procedure);
		cell_hex(row, call->interface_start);
		cell_rpc_cell(row, call->thread_cell);
		cell_hex(row, call->call_id);
		if (call->call_flags.known) {
			xmlNodePtr td = html_append_elementf(row, "td", "0x%" PRIx64,
							     call->call_flags.value);
			if (call->call_flag_names)
				html_append_textf(td, " (%s)", call->call_flag_names);
		} else
			cell(row, call->call_flag_names);
		xmlNodePtr caller = html_append_element(row, "td", NULL);
		if (call->party == RPC_PARTY_CALLER) {
			const struct thread *thread =
				call->caller_pid.known && call->caller_tid.known
					? snapshot_find_thread_by_cid(snapshot, call->caller_pid.value,
								      call->caller_tid.value)
					: NULL;
			if (thread)
				append_thread_link(caller, page, thread);
			else
				append_cid(caller, call->caller_pid, call->caller_tid);
		} else if (call->party == RPC_PARTY_CONNECTION) {
			html_append_text(caller, "connection ");
			append_rpc_cell(caller, call->connection_cell);
		} else
			html_append_text(caller, "?");
		cell_decimal(row, call->last_time);
	}
	table_finish(&table, "No RPC server calls in this capture.", omitted, "server calls");
}

static void fill_client_calls(xmlNodePtr element, const struct page *page, size_t omitted)
{
	static const char *const headers[] = {
		"Process", "Cell", "Procedure", "Interface", "Thread cell", "Call ID",
		"Protocol", "Endpoint", "Network address", "Debugger thread", "Last time (ms)",
	};
	struct table table = table_start(element, headers, sizeof headers / sizeof *headers);
	const struct snapshot *snapshot = page->snapshot;
	for (size_t i = 0; i < snapshot->rpc_client_calls.count; i++) {
		const struct rpc_client_call *call = snapshot->rpc_client_calls.items[i];
		if (!has_row(page, call))
			continue;
		xmlNodePtr row = table_row(&table, NULL);
		cell_process_by_pid(row, page, call->pid);
		cell_rpc_cell(row, call->cell);
		cell_hex(row, call->procedure);
		cell_hex(row, call->interface_start);
		cell_rpc_cell(row, call->thread_cell);
		cell_hex(row, call->call_id);
		cell(row, call->protocol);
		html_set_attribute(cell(row, call->endpoint), "class", "name");
		html_set_attribute(cell(row, call->network_address), "class", "name");
		cell_decimal(row, call->debugger_thread);
		cell_decimal(row, call->last_time);
	}
	table_finish(&table, "No RPC client calls in this capture.", omitted, "client calls");
}

/* ---- processes and diagnostics -------------------------------------------------- */

static void fill_processes(xmlNodePtr element, const struct page *page, size_t omitted)
{
	static const char *const headers[] = {
		"Process", "PID", "Image", "Parent PID", "Session", "Handles", "Notes",
	};
	struct table table = table_start(element, headers, sizeof headers / sizeof *headers);
	const struct snapshot *snapshot = page->snapshot;
	for (size_t i = 0; i < snapshot->processes.count; i++) {
		const struct process *process = snapshot->processes.items[i];
		if (!has_row(page, process))
			continue;
		char anchor[ANCHOR_SIZE];
		report_anchor_process(process, anchor, sizeof anchor);
		xmlNodePtr row = table_row(&table, anchor);
		cell_hex(row, process->address);
		cell_hex(row, process->pid);
		html_set_attribute(cell(row, process->image), "class",
				   process->image ? "name" : "unknown");
		cell_hex(row, process->parent_pid);
		cell_decimal(row, process->session_id);
		cell_decimal(row, process->handle_count);
		xmlNodePtr notes = html_append_element(row, "td", NULL);
		if (analysis_process_involved(page->analysis, process))
			html_set_attribute(html_append_element(notes, "span", "in the wait graph"),
					   "class", "flag");
		if (process->debuggee)
			html_set_attribute(html_append_element(notes, "span", "debuggee"), "class",
					   "flag");
	}
	table_finish(&table, "No processes in this capture.", omitted, "processes");
}

static const char *level_name(enum diagnostic_level level)
{
	switch (level) {
	case DIAGNOSTIC_ERROR:
		return "error";
	case DIAGNOSTIC_WARNING:
		return "warning";
	default:
		return "note";
	}
}

static void fill_diagnostics(xmlNodePtr element, const struct snapshot *snapshot)
{
	static const char *const headers[] = { "Level", "Message" };
	struct table table = table_start(element, headers, 2);
	/* Errors first, then warnings, then notes: the first row is the one
	 * that explains a partial or failed capture. */
	for (int level = DIAGNOSTIC_ERROR; level >= DIAGNOSTIC_NOTE; level--)
		for (size_t i = 0; i < snapshot->diagnostics.count; i++) {
			const struct diagnostic *diagnostic = snapshot->diagnostics.items[i];
			if ((int)diagnostic->level != level)
				continue;
			xmlNodePtr row = table_row(&table, NULL);
			char classes[32];
			snprintf(classes, sizeof classes, "level-%s", level_name(diagnostic->level));
			html_set_attribute(row, "class", classes);
			cell(row, level_name(diagnostic->level));
			cell(row, diagnostic->text);
		}
	table_finish(&table, "No errors, warnings or notes.", 0, NULL);
}

static struct error *fill_footer(xmlNodePtr footer, const struct page_files *files)
{
	html_append_text(footer, "Made by " PACKAGE_STRING " from a Windows capture. ");
	if (files && files->index_href) {
		struct error *error = check_href(files->index_href);
		if (error)
			return error;
		html_append_link(footer, files->index_href, "Back to all captures");
	}
	return NULL;
}

/* ---- the page ------------------------------------------------------------------ */

static struct error *fill_page(struct html_template *template, struct page *page,
			       const struct graph_view *view, const char *svg,
			       const char *svg_missing_reason, const struct page_files *files)
{
	static const char *const ids[] = {
		"title",    "heading",  "links",            "system",           "summary",
		"graph",    "waiting-threads", "ports",     "messages",         "rpc-server-calls",
		"rpc-client-calls", "processes", "diagnostics", "footer",
	};
	enum { TITLE, HEADING, LINKS, SYSTEM, SUMMARY, GRAPH, THREADS, PORTS, MESSAGES,
	       SERVER_CALLS, CLIENT_CALLS, PROCESSES, DIAGNOSTICS, FOOTER, ID_COUNT };
	_Static_assert(ID_COUNT == sizeof ids / sizeof *ids, "one id per container");
	xmlNodePtr at[ID_COUNT];
	for (size_t i = 0; i < ID_COUNT; i++) {
		struct error *error = html_template_element(template, ids[i], &at[i]);
		if (error)
			return error;
	}
	struct error *error = fill_links(at[LINKS], files);
	if (error)
		return error;
	struct row_counts omitted;
	plan_rows(page, &omitted);
	fill_title(at[TITLE], at[HEADING], page->snapshot);
	fill_system(at[SYSTEM], page->snapshot);
	fill_summary(at[SUMMARY], page);
	fill_graph(at[GRAPH], view, svg, svg_missing_reason);
	fill_waiting_threads(at[THREADS], page);
	fill_ports(at[PORTS], page, omitted.ports_omitted);
	fill_messages(at[MESSAGES], page, omitted.messages_omitted);
	fill_server_calls(at[SERVER_CALLS], page, omitted.server_calls_omitted);
	fill_client_calls(at[CLIENT_CALLS], page, omitted.client_calls_omitted);
	fill_processes(at[PROCESSES], page, omitted.processes_omitted);
	fill_diagnostics(at[DIAGNOSTICS], page->snapshot);
	return fill_footer(at[FOOTER], files);
}

struct error *render_html_page(const char *path, const struct analysis *analysis,
			       const struct graph_view *view, const char *svg,
			       const char *svg_missing_reason, const struct page_files *files,
			       const struct render_options *options)
{
	const char *templates_dir = options && options->templates_dir ? options->templates_dir
								       : reports_templates_dir();
	struct html_template template;
	struct error *error = html_template_load(templates_dir, "page.html", &template);
	if (!error) {
		struct page page = {
			.analysis = analysis,
			.snapshot = analysis->snapshot,
			.all = options && options->all,
		};
		error = fill_page(&template, &page, view, svg, svg_missing_reason, files);
		u64_map_release(&page.rows);
		u64_map_release(&page.waits_by_client);
		free(page.next_wait);
	}
	if (!error)
		error = html_template_save(&template, path);
	html_template_release(&template);
	return error;
}
