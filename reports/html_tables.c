/* The tables of the HTML page and the choice of their rows: waiting
 * threads, ports, messages, RPC calls, processes and diagnostics.  Every
 * row of an object carries its report anchor as id. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "html_page_internal.h"

/* Without --all the tables show the wait subgraph in full and at most
 * this many other objects of each kind; a server dump has hundreds of
 * thousands, and the JSON file lists them all. */
enum { ROWS_BEYOND_WAIT_GRAPH = 1000 };

/* ---- which objects get a row ------------------------------------------------- */

bool has_row(const struct page *page, const void *object)
{
	return object && u64_map_get(&page->rows, (uintptr_t)object) != NULL;
}

static void give_row(struct page *page, const void *object)
{
	u64_map_put(&page->rows, (uintptr_t)object, (void *)object);
}

static bool port_has_queued_messages(const struct port *port)
{
	for (int q = 0; q < QUEUE_KIND_COUNT; q++)
		if ((port->queues[q].length.known && port->queues[q].length.value > 0) ||
		    port->queues[q].messages.count > 0)
			return true;
	return false;
}

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

void plan_rows(struct page *page, struct row_counts *counts)
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
		cell_text(row, thread->wait_time);
	else if (thread && thread->wait_ticks.known)
		html_append_elementf(row, "td", "%" PRIu64 " ticks", thread->wait_ticks.value);
	else
		cell_text(row, NULL);
}

static void append_state(xmlNodePtr row, const struct thread *thread)
{
	if (!thread || (!thread->state && !thread->wait_reason)) {
		cell_text(row, NULL);
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
		cell_text(row, NULL);
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
	cell_text(row, via);
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

void fill_waiting_threads(xmlNodePtr element, const struct page *page)
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

void fill_ports(xmlNodePtr element, const struct page *page, size_t omitted)
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
		html_set_attribute(cell_text(row, port->name), "class",
				   port->name ? "name" : "unknown");
		cell_text(row, port_kind_windbg_name(port->kind));
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
				cell_text(row, NULL);
		}
		if (port->waiting_thread_count.known)
			cell_decimal(row, port->waiting_thread_count);
		else if (port->waiting_threads.count > 0)
			cell_count(row, port->waiting_threads.count);
		else
			cell_text(row, NULL);
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
	append_hex_field(list, "Entry.Flink", m->lpc_flink);
	append_hex_field(list, "Entry.Blink", m->lpc_blink);
	if (m->lpc_data_count) {
		xmlNodePtr item = html_append_element(list, "li", NULL);
		html_set_attribute(html_append_element(item, "span", "Data"), "class", "field-name");
		for (unsigned i = 0; i < m->lpc_data_count && i < MESSAGE_DATA_WORDS; i++)
			html_append_textf(item, " %08" PRIx32, m->lpc_data[i]);
	}
	if (!list->children) {
		xmlUnlinkNode(list);
		xmlFreeNode(list);
	}
}

void fill_messages(xmlNodePtr element, const struct page *page, size_t omitted)
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
		cell_text(row, flavor_name(m->flavor));
		cell_text(row, m->type);
		cell_text(row, queue_kind_name(m->queue));
		cell_port_at(row, page, m->queue_port);
		cell_port_at(row, page, m->owner_port);
		cell_thread_at(row, page, m->waiting_thread);
		cell_thread_at(row, page, m->server_thread);
		append_message_fields(html_append_element(row, "td", NULL), m);
	}
	table_finish(&table, "No messages in this capture.", omitted, "messages");
}

/* ---- RPC --------------------------------------------------------------------- */

void fill_server_calls(xmlNodePtr element, const struct page *page, size_t omitted)
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
			const char *name = rpc_call_status_name(call->status);
			html_append_elementf(row, "td", "%02" PRIx64 "%s%s", call->status.value,
					     name ? " " : "", name ? name : "");
		} else
			cell_text(row, NULL);
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
			cell_text(row, call->call_flag_names);
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

void fill_client_calls(xmlNodePtr element, const struct page *page, size_t omitted)
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
		cell_text(row, call->protocol);
		html_set_attribute(cell_text(row, call->endpoint), "class", "name");
		html_set_attribute(cell_text(row, call->network_address), "class", "name");
		cell_decimal(row, call->debugger_thread);
		cell_decimal(row, call->last_time);
	}
	table_finish(&table, "No RPC client calls in this capture.", omitted, "client calls");
}

/* ---- processes and diagnostics -------------------------------------------------- */

void fill_processes(xmlNodePtr element, const struct page *page, size_t omitted)
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
		html_set_attribute(cell_text(row, process->image), "class",
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

void fill_diagnostics(xmlNodePtr element, const struct snapshot *snapshot)
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
			cell_text(row, level_name(diagnostic->level));
			cell_text(row, diagnostic->text);
		}
	table_finish(&table, "No errors, warnings or notes.", 0, NULL);
}
