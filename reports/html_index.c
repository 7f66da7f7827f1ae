/* render_index: index.html for a folder of captures.
 *
 * Support engineers open this first: which captures show a deadlock, and
 * is it the same hang everywhere?  So the captures with definite cycles
 * come first, and the cycles are grouped by signature (built from image
 * and port names only) so one hang seen in 40 dumps is one row.  Built
 * from page summaries alone, which is all a worker process hands back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/base/base.h"
#include "html_tree.h"
#include "reports.h"

struct page_entry {
	const struct page_summary *summary;
	size_t number; /* 1-based position in the input order */
	size_t definite, probable;
};

/* Definite cycles first, then probable ones, then the rest; input order
 * within each group. */
static int page_rank(const struct page_entry *entry)
{
	return entry->definite ? 0 : entry->probable ? 1 : 2;
}

static int compare_pages(const void *a, const void *b)
{
	const struct page_entry *x = a, *y = b;
	int rank = page_rank(x) - page_rank(y);
	if (rank)
		return rank;
	return (x->number > y->number) - (x->number < y->number);
}

/* One cycle of one page, sorted so a signature's cycles sit together. */
struct sighting {
	const char *key; /* signature_id, else the signature itself */
	const struct page_cycle *cycle;
	const struct page_entry *page;
};

static int compare_sightings(const void *a, const void *b)
{
	const struct sighting *x = a, *y = b;
	int order = strcmp(x->key, y->key);
	if (order)
		return order;
	return (x->page->number > y->page->number) - (x->page->number < y->page->number);
}

struct signature_group {
	const struct sighting *first;
	size_t sightings;
	size_t pages;
	bool definite;
};

static int compare_groups(const void *a, const void *b)
{
	const struct signature_group *x = a, *y = b;
	if (x->definite != y->definite)
		return x->definite ? -1 : 1;
	if (x->pages != y->pages)
		return x->pages > y->pages ? -1 : 1;
	return strcmp(x->first->key, y->first->key);
}

static bool is_hex_id(const char *text)
{
	if (!text || !*text || strlen(text) > 32)
		return false;
	return strspn(text, "0123456789abcdef") == strlen(text);
}

static struct error *check_page_href(const struct page_entry *page)
{
	const char *href = page->summary->page_href;
	if (href && !html_href_is_relative(href))
		return error_new(ERROR_USAGE, "page summary %zu: page link \"%s\" is not a relative file name",
				 page->number, href);
	return NULL;
}

/* "path/to/dump.txt (capture 2 of 3)", a link when the page exists. */
static void append_page_name(xmlNodePtr parent, const struct page_summary *summary)
{
	xmlNodePtr target = summary->page_href
				    ? html_append_link(parent, summary->page_href, NULL)
				    : html_append_element(parent, "span", NULL);
	html_append_text(target, summary->input_path ? summary->input_path : "?");
	if (summary->capture_count > 1)
		html_append_textf(target, " (capture %u of %u)", summary->capture_index,
				  summary->capture_count);
}

static void append_header_row(xmlNodePtr table, const char *const *headers, size_t count)
{
	xmlNodePtr row = html_append_element(html_append_element(table, "thead", NULL), "tr", NULL);
	for (size_t i = 0; i < count; i++)
		html_set_attribute(html_append_element(row, "th", headers[i]), "scope", "col");
}

static xmlNodePtr number_cell(xmlNodePtr row, size_t value)
{
	xmlNodePtr td = html_append_elementf(row, "td", "%zu", value);
	html_set_attribute(td, "class", "number");
	return td;
}

static void fill_signatures(xmlNodePtr table, const struct page_entry *pages, size_t count)
{
	size_t total = 0;
	for (size_t i = 0; i < count; i++)
		total += pages[i].summary->cycle_count;
	if (total == 0) {
		xmlNodePtr none = xmlNewDocNode(table->doc, NULL, BAD_CAST "p", NULL);
		html_set_attribute(none, "id", "signatures");
		html_set_attribute(none, "class", "none");
		html_append_text(none, "No capture shows a wait cycle.");
		xmlReplaceNode(table, none);
		xmlFreeNode(table);
		return;
	}
	struct sighting *sightings = checked_calloc(total, sizeof *sightings);
	size_t used = 0;
	for (size_t i = 0; i < count; i++)
		for (size_t c = 0; c < pages[i].summary->cycle_count; c++) {
			const struct page_cycle *cycle = &pages[i].summary->cycles[c];
			const char *key = cycle->signature_id ? cycle->signature_id
					  : cycle->signature  ? cycle->signature
							      : "";
			sightings[used++] = (struct sighting){ key, cycle, &pages[i] };
		}
	qsort(sightings, total, sizeof *sightings, compare_sightings);

	struct signature_group *groups = checked_calloc(total, sizeof *groups);
	size_t group_count = 0;
	for (size_t i = 0; i < total; i++) {
		if (group_count == 0 ||
		    strcmp(sightings[i].key, groups[group_count - 1].first->key) != 0)
			groups[group_count++].first = &sightings[i];
		struct signature_group *group = &groups[group_count - 1];
		if (group->sightings == 0 || sightings[i - 1].page != sightings[i].page)
			group->pages++;
		group->sightings++;
		group->definite |= sightings[i].cycle->definite;
	}
	qsort(groups, group_count, sizeof *groups, compare_groups);

	static const char *const headers[] = { "Signature", "Kind", "Captures", "Seen in" };
	append_header_row(table, headers, 4);
	xmlNodePtr body = html_append_element(table, "tbody", NULL);
	for (size_t g = 0; g < group_count; g++) {
		const struct signature_group *group = &groups[g];
		const struct page_cycle *cycle = group->first->cycle;
		xmlNodePtr row = html_append_element(body, "tr", NULL);
		if (is_hex_id(cycle->signature_id)) {
			char id[48];
			snprintf(id, sizeof id, "signature-%s", cycle->signature_id);
			html_set_attribute(row, "id", id);
		}
		html_set_attribute(row, "class", group->definite ? "has-definite" : "has-probable");
		xmlNodePtr what = html_append_element(row, "td", NULL);
		html_set_attribute(what, "class", "name");
		html_set_attribute(html_append_element(what, "code", cycle->signature ? cycle->signature
										     : "?"),
				   "class", "signature-text");
		if (cycle->members) {
			xmlNodePtr example = html_append_element(what, "div", "e.g. ");
			html_set_attribute(example, "class", "note");
			html_append_text(example, cycle->members);
		}
		html_append_textf(html_append_element(row, "td", NULL), "%s, %s",
				  cycle->kind ? cycle->kind : "?",
				  group->definite ? "definite deadlock" : "probable deadlock");
		number_cell(row, group->pages);
		xmlNodePtr list = html_append_element(html_append_element(row, "td", NULL), "ul", NULL);
		html_set_attribute(list, "class", "fields");
		for (size_t s = 0; s < group->sightings; s++) {
			const struct sighting *sighting = group->first + s;
			if (s > 0 && sighting[-1].page == sighting->page)
				continue;
			append_page_name(html_append_element(list, "li", NULL), sighting->page->summary);
		}
	}
	free(groups);
	free(sightings);
}

static void fill_pages(xmlNodePtr table, const struct page_entry *sorted, size_t count)
{
	static const char *const headers[] = {
		"Capture", "Status", "Processes", "Threads", "Waits",
		"Deadlocks", "Probable", "Longest chain",
	};
	append_header_row(table, headers, sizeof headers / sizeof *headers);
	xmlNodePtr body = html_append_element(table, "tbody", NULL);
	for (size_t i = 0; i < count; i++) {
		const struct page_entry *page = &sorted[i];
		const struct page_summary *summary = page->summary;
		xmlNodePtr row = html_append_element(body, "tr", NULL);
		char id[32];
		snprintf(id, sizeof id, "page-%zu", page->number);
		html_set_attribute(row, "id", id);
		if (page->definite || page->probable)
			html_set_attribute(row, "class", page->definite ? "has-definite" : "has-probable");
		xmlNodePtr name = html_append_element(row, "td", NULL);
		html_set_attribute(name, "class", "name");
		append_page_name(name, summary);

		xmlNodePtr status = html_append_element(row, "td", NULL);
		const char *state = summary->status ? summary->status : "?";
		xmlNodePtr badge = html_append_element(status, "span", state);
		bool known_state = !strcmp(state, "ok") || !strcmp(state, "partial") ||
				   !strcmp(state, "error");
		char classes[48];
		snprintf(classes, sizeof classes, "badge status-%s", known_state ? state : "error");
		html_set_attribute(badge, "class", classes);
		if (summary->first_problem)
			html_set_attribute(html_append_element(status, "div", summary->first_problem),
					   "class", "note");

		number_cell(row, summary->processes);
		number_cell(row, summary->threads);
		number_cell(row, summary->waits);
		number_cell(row, page->definite);
		number_cell(row, page->probable);
		xmlNodePtr chain = html_append_element(row, "td", NULL);
		if (summary->longest_chain > 0) {
			html_append_textf(chain, "%zu %s", summary->longest_chain,
					  summary->longest_chain == 1 ? "wait" : "waits");
			if (summary->longest_chain_root)
				html_append_textf(chain, ": root %s", summary->longest_chain_root);
		} else {
			html_append_text(chain, "\u2014");
		}
	}
}

static void fill_summary(xmlNodePtr summary, const struct page_entry *pages, size_t count)
{
	size_t definite = 0, probable = 0, statuses[3] = { 0 };
	for (size_t i = 0; i < count; i++) {
		definite += pages[i].definite > 0;
		probable += pages[i].definite == 0 && pages[i].probable > 0;
		const char *status = pages[i].summary->status ? pages[i].summary->status : "";
		statuses[!strcmp(status, "ok") ? 0 : !strcmp(status, "partial") ? 1 : 2]++;
	}
	if (definite) {
		xmlNodePtr banner = html_append_element(summary, "div", NULL);
		html_set_attribute(banner, "class", "banner deadlock");
		xmlNodePtr text = html_append_element(banner, "p", NULL);
		html_set_attribute(text, "class", "banner-text");
		html_append_element(text, "strong", "Deadlock:");
		html_append_textf(text, " %zu of %zu %s %s a definite deadlock.", definite, count,
				  count == 1 ? "capture" : "captures", definite == 1 ? "shows" : "show");
	}
	if (probable) {
		xmlNodePtr banner = html_append_element(summary, "div", NULL);
		html_set_attribute(banner, "class", "banner probable");
		xmlNodePtr text = html_append_element(banner, "p", NULL);
		html_set_attribute(text, "class", "banner-text");
		html_append_element(text, "strong", "Probable deadlock (process-level):");
		html_append_textf(text, " %zu %s only a probable one.", probable,
				  probable == 1 ? "capture shows" : "captures show");
	}
	if (!definite && !probable) {
		xmlNodePtr banner = html_append_element(summary, "div", NULL);
		html_set_attribute(banner, "class", "banner calm");
		html_set_attribute(html_append_elementf(banner, "p",
							"No wait cycle in %zu %s.", count,
							count == 1 ? "capture" : "captures"),
				   "class", "banner-text");
	}
	html_set_attribute(html_append_elementf(summary, "p",
						"%zu captures: %zu read completely, %zu partly, "
						"%zu not at all.",
						count, statuses[0], statuses[1], statuses[2]),
			   "class", "counts");
}

static struct error *fill_index(struct html_template *template, struct page_summary *const *summaries,
				size_t count)
{
	static const char *const ids[] = { "title", "heading", "summary", "signatures", "pages",
					   "footer" };
	xmlNodePtr at[6];
	for (size_t i = 0; i < 6; i++) {
		struct error *error = html_template_element(template, ids[i], &at[i]);
		if (error)
			return error;
	}
	struct page_entry *pages = checked_calloc(count ? count : 1, sizeof *pages);
	for (size_t i = 0; i < count; i++) {
		pages[i].summary = summaries[i];
		pages[i].number = i + 1;
		for (size_t c = 0; c < summaries[i]->cycle_count; c++) {
			if (summaries[i]->cycles[c].definite)
				pages[i].definite++;
			else
				pages[i].probable++;
		}
		struct error *error = check_page_href(&pages[i]);
		if (error) {
			free(pages);
			return error;
		}
	}
	xmlNodeSetContent(at[0], NULL);
	html_append_textf(at[0], "alpcgraph: %zu %s", count, count == 1 ? "capture" : "captures");
	html_append_textf(at[1], ": %zu %s", count, count == 1 ? "capture" : "captures");
	fill_summary(at[2], pages, count);
	fill_signatures(at[3], pages, count);
	qsort(pages, count, sizeof *pages, compare_pages);
	fill_pages(at[4], pages, count);
	html_append_text(at[5], "Made by " PACKAGE_STRING ".");
	free(pages);
	return NULL;
}

struct error *render_index(const char *path, struct page_summary *const *summaries,
			   size_t count, const struct render_options *options)
{
	const char *templates_dir = options && options->templates_dir ? options->templates_dir
								       : reports_templates_dir();
	struct html_template template;
	struct error *error = html_template_load(templates_dir, "index.html", &template);
	if (!error)
		error = fill_index(&template, summaries, count);
	if (!error)
		error = html_template_save(&template, path);
	html_template_release(&template);
	return error;
}
