/* The words the HTML page is written with: how a thread, a process, a
 * port or a message is named in a sentence or in a table cell (a link to
 * its row when it has one), and the scaffolding of every table.  Unknown
 * values show as "?"; input text enters only as text nodes. */
#include <inttypes.h>
#include <stdio.h>

#include "html_page_internal.h"

const char *or_unknown(const char *text)
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

void append_thread(xmlNodePtr parent, const struct page *page,
		   const struct thread *thread, bool with_pid)
{
	char anchor[ANCHOR_SIZE];
	report_anchor_thread(thread, anchor, sizeof anchor);
	append_thread_phrase(append_reference(parent, page, thread, anchor), page, thread,
			     with_pid);
}

void append_process(xmlNodePtr parent, const struct page *page,
		    const struct process *process, bool with_pid)
{
	char anchor[ANCHOR_SIZE];
	report_anchor_process(process, anchor, sizeof anchor);
	append_process_phrase(append_reference(parent, page, process, anchor), process,
			      with_pid);
}

/* "blocked on a critical section (ntdll!RtlpWaitOnCriticalSection)" */
void append_blocker(xmlNodePtr parent, const struct root_blocker *root)
{
	const char *description = blocker_kind_description(root->kind);
	html_append_text(parent, description ? description : "blocked for an unknown reason");
	if (root->detail)
		html_append_textf(parent, " (%s)", root->detail);
}

/* ---- cells ----------------------------------------------------------------- */

xmlNodePtr cell_text(xmlNodePtr row, const char *text)
{
	xmlNodePtr td = html_append_element(row, "td", or_unknown(text));
	if (!text || !*text)
		html_set_attribute(td, "class", "unknown");
	return td;
}

xmlNodePtr cell_hex(xmlNodePtr row, maybe_u64 value)
{
	if (!value.known)
		return cell_text(row, NULL);
	xmlNodePtr td = html_append_elementf(row, "td", "0x%" PRIx64, value.value);
	html_set_attribute(td, "class", "address");
	return td;
}

xmlNodePtr cell_decimal(xmlNodePtr row, maybe_u64 value)
{
	if (!value.known)
		return cell_text(row, NULL);
	xmlNodePtr td = html_append_elementf(row, "td", "%" PRIu64, value.value);
	html_set_attribute(td, "class", "number");
	return td;
}

xmlNodePtr cell_count(xmlNodePtr row, size_t count)
{
	return cell_decimal(row, known_u64(count));
}

/* An RPC cell id "0000.0004": two 16-bit numbers, as rpcexts prints it. */
void append_rpc_cell(xmlNodePtr parent, maybe_cell value)
{
	if (value.known)
		html_append_textf(parent, "%04" PRIx64 ".%04" PRIx64, value.value >> 16,
				  value.value & 0xffff);
	else
		html_append_text(parent, "?");
}

xmlNodePtr cell_rpc_cell(xmlNodePtr row, maybe_cell value)
{
	if (!value.known)
		return cell_text(row, NULL);
	xmlNodePtr td = html_append_element(row, "td", NULL);
	html_set_attribute(td, "class", "address");
	append_rpc_cell(td, value);
	return td;
}

void append_cid(xmlNodePtr parent, maybe_u64 pid, maybe_u64 tid)
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

void append_thread_link(xmlNodePtr parent, const struct page *page,
			const struct thread *thread)
{
	char anchor[ANCHOR_SIZE];
	report_anchor_thread(thread, anchor, sizeof anchor);
	append_thread_label(append_reference(parent, page, thread, anchor), thread);
}

/* A thread named by address in the snapshot: a link when it has a row. */
xmlNodePtr cell_thread_at(xmlNodePtr row, const struct page *page, maybe_u64 address)
{
	if (!address.known)
		return cell_text(row, NULL);
	const struct thread *thread = snapshot_find_thread(page->snapshot, address.value);
	if (!thread)
		return cell_hex(row, address);
	xmlNodePtr td = html_append_element(row, "td", NULL);
	append_thread_link(td, page, thread);
	return td;
}

void append_process_link(xmlNodePtr parent, const struct page *page,
			 const struct process *process)
{
	append_process(parent, page, process, true);
}

xmlNodePtr cell_process(xmlNodePtr row, const struct page *page,
			const struct process *process)
{
	if (!process)
		return cell_text(row, NULL);
	xmlNodePtr td = html_append_element(row, "td", NULL);
	html_set_attribute(td, "class", "name");
	append_process_link(td, page, process);
	return td;
}

xmlNodePtr cell_process_at(xmlNodePtr row, const struct page *page, maybe_u64 address)
{
	if (!address.known)
		return cell_text(row, NULL);
	const struct process *process = snapshot_find_process(page->snapshot, address.value);
	return process ? cell_process(row, page, process) : cell_hex(row, address);
}

xmlNodePtr cell_process_by_pid(xmlNodePtr row, const struct page *page, maybe_u64 pid)
{
	if (!pid.known)
		return cell_text(row, NULL);
	const struct process *process = snapshot_find_process_by_pid(page->snapshot, pid.value);
	return process ? cell_process(row, page, process) : cell_hex(row, pid);
}

void append_port_link(xmlNodePtr parent, const struct page *page, const struct port *port)
{
	char anchor[ANCHOR_SIZE];
	report_anchor_port(port, anchor, sizeof anchor);
	xmlNodePtr target = append_reference(parent, page, port, anchor);
	if (port->name)
		html_append_text(target, port->name);
	else
		html_append_textf(target, "port 0x%" PRIx64, port->address.value);
}

xmlNodePtr cell_port_at(xmlNodePtr row, const struct page *page, maybe_u64 address)
{
	if (!address.known)
		return cell_text(row, NULL);
	const struct port *port = snapshot_find_port(page->snapshot, address.value);
	if (!port)
		return cell_hex(row, address);
	xmlNodePtr td = html_append_element(row, "td", NULL);
	html_set_attribute(td, "class", "name");
	append_port_link(td, page, port);
	return td;
}

void append_message_link(xmlNodePtr parent, const struct page *page,
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

struct table table_start(xmlNodePtr table, const char *const *headers, size_t count)
{
	xmlNodePtr head_row = html_append_element(html_append_element(table, "thead", NULL), "tr",
						  NULL);
	for (size_t i = 0; i < count; i++)
		html_set_attribute(html_append_element(head_row, "th", headers[i]), "scope", "col");
	return (struct table){ table, html_append_element(table, "tbody", NULL), 0 };
}

xmlNodePtr table_row(struct table *table, const char *anchor)
{
	table->rows++;
	return row_with_anchor(table->body, anchor);
}

/* An empty table says so in a sentence instead, keeping the id. */
void table_finish(struct table *table, const char *when_empty, size_t omitted,
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
