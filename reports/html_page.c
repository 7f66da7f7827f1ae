/* render_html_page: one self-contained page per capture.
 *
 * The page is templates/page.html filled in order: title and status, the
 * summary (cycles first, then the longest chains), the inline graph, and
 * one table per kind of object.  Every object with a row carries its
 * report anchor as id, so a click on a graph node lands on it, and every
 * reference to an object that has a row is a link to that row.  Unknown
 * values show as "?"; input text enters only as text nodes. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html_page_internal.h"

/* Chains listed in the summary, and hops shown of a long one. */
enum { CHAINS_LISTED = 5, CHAIN_HOPS_SHOWN = 6, CYCLE_MEMBERS_IN_SENTENCE = 4 };

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
		{ "profile", system->profile },
	};
	const char *separator = "";
	for (size_t i = 0; i < sizeof facts / sizeof *facts; i++) {
		if (!facts[i].value)
			continue;
		html_append_textf(line, "%s%s ", separator, facts[i].label);
		xmlNodePtr value = html_append_element(line, "code", facts[i].value);
		/* why this structure profile, on hover */
		if (facts[i].value == system->profile && system->profile_reason) {
			html_set_attribute(value, "title", system->profile_reason);
			/* and visibly: issue 4 wants every report to say why */
			html_set_attribute(html_append_elementf(line, "span", " (%s)",
								system->profile_reason),
					   "class", "profile-reason");
		}
		separator = " \u00b7 ";
	}
	if (!system->profile && system->profile_reason) {
		html_append_textf(line, "%sprofile none ", separator);
		html_set_attribute(html_append_elementf(line, "span", "(%s)",
							system->profile_reason),
				   "class", "profile-reason");
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

/* ---- footer ------------------------------------------------------------------ */

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
