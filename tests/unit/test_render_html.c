/* The HTML page, the page summary encoding and the folder index.
 *
 * Pages are rendered from fixtures into a temporary directory and read
 * back with libxml2's HTML parser: what a browser would load and run is
 * checked on the parsed tree, hostile names are compared as text, and the
 * anchors the graph links to are looked up by id. */
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "fixtures.h"
#include "harness.h"
#include "../../src/base/utf8.h"
#include "../../reports/html_tree.h"
#include "../../reports/reports.h"

/* One test inlines a real Graphviz drawing, and Graphviz's layout and
 * font libraries keep memory to the end (deps.md §4).  Only they are
 * excused; libxml2 trees and our own allocations are still checked. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libgvc.so\n"
	       "leak:libgvplugin_\n"
	       "leak:libpango\n"
	       "leak:libfontconfig\n"
	       "leak:libcairo\n"
	       "leak:libpathplan\n";
}

/* ---- reading a page back ----------------------------------------------------- */

static const char *temp_path(const char *name)
{
	static char path[4][PATH_MAX];
	static int next;
	char *slot = path[next++ % 4];
	snprintf(slot, PATH_MAX, "%s/%s", test_temp_dir(), name);
	return slot;
}

static htmlDocPtr parse_page(const char *path)
{
	htmlDocPtr doc = htmlReadFile(path, "UTF-8",
				      HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	return doc;
}

static bool name_is(const xmlChar *name, const char *expected)
{
	return name && strcasecmp((const char *)name, expected) == 0;
}

static char *attribute(xmlNodePtr element, const char *name)
{
	return (char *)xmlGetProp(element, BAD_CAST name);
}

static bool has_class(xmlNodePtr element, const char *wanted)
{
	char *classes = attribute(element, "class");
	bool found = false;
	for (char *word = classes ? strtok(classes, " ") : NULL; word; word = strtok(NULL, " "))
		found |= strcmp(word, wanted) == 0;
	xmlFree(classes);
	return found;
}

/* Depth-first over every element below (and including) node. */
typedef void element_visitor(xmlNodePtr element, void *context);

static void visit_elements(xmlNodePtr node, element_visitor *visit, void *context)
{
	for (; node; node = node->next) {
		if (node->type == XML_ELEMENT_NODE) {
			visit(node, context);
			visit_elements(node->children, visit, context);
		}
	}
}

static void visit_document(htmlDocPtr doc, element_visitor *visit, void *context)
{
	visit_elements(xmlDocGetRootElement(doc), visit, context);
}

struct found {
	const char *wanted;   /* text, class or id */
	const char *name;     /* element name, or NULL for any */
	xmlNodePtr first;
	size_t count;
};

/* The text an element holds directly, not counting its children's. */
static char *own_text(xmlNodePtr element)
{
	size_t length = 0;
	for (xmlNodePtr child = element->children; child; child = child->next)
		if (child->type == XML_TEXT_NODE && child->content)
			length += strlen((const char *)child->content);
	char *text = calloc(1, length + 1);
	for (xmlNodePtr child = element->children; child; child = child->next)
		if (child->type == XML_TEXT_NODE && child->content)
			strcat(text, (const char *)child->content);
	return text;
}

static void match_own_text(xmlNodePtr element, void *context)
{
	struct found *found = context;
	char *text = own_text(element);
	if (strcmp(text, found->wanted) == 0 && (!found->name || name_is(element->name, found->name))) {
		if (!found->count++)
			found->first = element;
	}
	free(text);
}

/* How many elements hold exactly this text (as their own text nodes). */
static size_t count_text(htmlDocPtr doc, const char *name, const char *text)
{
	struct found found = { text, name, NULL, 0 };
	visit_document(doc, match_own_text, &found);
	return found.count;
}

static void match_class(xmlNodePtr element, void *context)
{
	struct found *found = context;
	if (has_class(element, found->wanted) && (!found->name || name_is(element->name, found->name))) {
		if (!found->count++)
			found->first = element;
	}
}

static struct found find_class(htmlDocPtr doc, const char *name, const char *class_name)
{
	struct found found = { class_name, name, NULL, 0 };
	visit_document(doc, match_class, &found);
	return found;
}

static void match_id(xmlNodePtr element, void *context)
{
	struct found *found = context;
	char *id = attribute(element, "id");
	if (id && strcmp(id, found->wanted) == 0 && !found->count++)
		found->first = element;
	xmlFree(id);
}

static struct found find_id(htmlDocPtr doc, const char *id)
{
	struct found found = { id, NULL, NULL, 0 };
	visit_document(doc, match_id, &found);
	return found;
}

static char *content_of(xmlNodePtr node)
{
	return node ? (char *)xmlNodeGetContent(node) : NULL;
}

/* The whole text of node, which must be exactly expected; frees nothing
 * the caller holds, and says what it saw when it differs. */
static void assert_content(xmlNodePtr node, const char *expected)
{
	char *text = content_of(node);
	/* The serializer may start a block with a newline, which HTML
	 * ignores; what is between is compared byte for byte. */
	if (text) {
		size_t start = strspn(text, "\n"), end = strlen(text);
		while (end > start && text[end - 1] == '\n')
			end--;
		memmove(text, text + start, end - start);
		text[end - start] = '\0';
	}
	if (!text || strcmp(text, expected) != 0)
		fprintf(stderr, "expected \"%s\"\n     got \"%s\"\n", expected, text ? text : "(none)");
	CU_ASSERT_STRING_EQUAL(text ? text : "", expected);
	xmlFree(text);
}

/* The last element child (the serializer puts newlines between them). */
static xmlNodePtr last_element(xmlNodePtr node)
{
	xmlNodePtr last = NULL;
	for (xmlNodePtr child = node ? node->children : NULL; child; child = child->next)
		if (child->type == XML_ELEMENT_NODE)
			last = child;
	return last;
}

static xmlNodePtr first_element(xmlNodePtr node)
{
	for (xmlNodePtr child = node ? node->children : NULL; child; child = child->next)
		if (child->type == XML_ELEMENT_NODE)
			return child;
	return NULL;
}

/* ---- what a page must never hold --------------------------------------------- */

struct safety {
	size_t violations;
	char **ids;
	size_t id_count;
	bool csp_seen;
};

static bool href_is_plain(const char *value)
{
	if (!value)
		return false;
	if (value[0] == '#')
		return true;
	/* a plain relative file name: no scheme, not absolute, no backslash */
	return value[0] && value[0] != '/' && !strchr(value, ':') && !strchr(value, '\\');
}

static void check_element_safety(xmlNodePtr element, void *context)
{
	struct safety *safety = context;
	static const char *const forbidden[] = { "script", "link", "iframe", "object", "embed",
						 "foreignObject", "base", "frame", "img" };
	for (size_t i = 0; i < sizeof forbidden / sizeof *forbidden; i++)
		if (name_is(element->name, forbidden[i])) {
			fprintf(stderr, "forbidden element <%s>\n", element->name);
			safety->violations++;
		}
	for (xmlAttrPtr a = element->properties; a; a = a->next) {
		const char *name = (const char *)a->name;
		char *value = (char *)xmlNodeListGetString(element->doc, a->children, 1);
		if (strncasecmp(name, "on", 2) == 0) {
			fprintf(stderr, "event attribute %s on <%s>\n", name, element->name);
			safety->violations++;
		}
		const char *local = strrchr(name, ':');
		local = local ? local + 1 : name;
		if ((!strcasecmp(local, "href") || !strcasecmp(local, "src")) && !href_is_plain(value)) {
			fprintf(stderr, "link %s=\"%s\" on <%s>\n", name, value ? value : "", element->name);
			safety->violations++;
		}
		if (!strcasecmp(name, "id")) {
			safety->ids = realloc(safety->ids, (safety->id_count + 1) * sizeof *safety->ids);
			safety->ids[safety->id_count++] = strdup(value ? value : "");
		}
		xmlFree(value);
	}
	if (name_is(element->name, "meta")) {
		char *equiv = attribute(element, "http-equiv");
		char *content = attribute(element, "content");
		if (equiv && !strcasecmp(equiv, "Content-Security-Policy") && content &&
		    !strcmp(content, "default-src 'none'; style-src 'unsafe-inline'; img-src data:"))
			safety->csp_seen = true;
		xmlFree(equiv);
		xmlFree(content);
	}
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool contains_ignoring_case(const char *text, const char *needle)
{
	size_t length = strlen(needle);
	for (; *text; text++)
		if (strncasecmp(text, needle, length) == 0)
			return true;
	return false;
}

/* Nothing that runs or loads, one CSP meta, and no id used twice (a
 * duplicate id would send a graph link to the wrong element). */
static void assert_self_contained(const char *path)
{
	size_t length;
	char *raw = read_whole_file(path, &length);
	CU_ASSERT_PTR_NOT_NULL_FATAL(raw);
	CU_ASSERT_EQUAL(strlen(raw), length);
	CU_ASSERT_EQUAL(strncmp(raw, "<!DOCTYPE html>\n", 16), 0);
	CU_ASSERT_FALSE(contains_ignoring_case(raw, "<script"));
	CU_ASSERT_FALSE(contains_ignoring_case(raw, "<img"));
	CU_ASSERT_PTR_NULL(strstr(raw, "https://"));
	CU_ASSERT_TRUE(utf8_is_valid(raw, length));
	CU_ASSERT_TRUE(length > 8 && strcmp(raw + length - 8, "</html>\n") == 0);
	free(raw);

	htmlDocPtr doc = parse_page(path);
	struct safety safety = { 0 };
	visit_document(doc, check_element_safety, &safety);
	CU_ASSERT_EQUAL(safety.violations, 0);
	CU_ASSERT_TRUE(safety.csp_seen);
	qsort(safety.ids, safety.id_count, sizeof *safety.ids, compare_strings);
	for (size_t i = 1; i < safety.id_count; i++)
		if (!strcmp(safety.ids[i - 1], safety.ids[i])) {
			fprintf(stderr, "%s: id \"%s\" used twice\n", path, safety.ids[i]);
			CU_FAIL("an id is used twice");
		}
	for (size_t i = 0; i < safety.id_count; i++)
		free(safety.ids[i]);
	free(safety.ids);
	xmlFreeDoc(doc);
}

/* ---- rendering fixtures ------------------------------------------------------ */

static const struct render_options no_options;

static struct analysis *analyzed(struct snapshot *snapshot)
{
	struct analysis *analysis = analyze(snapshot);
	CU_ASSERT_PTR_NOT_NULL_FATAL(analysis);
	return analysis;
}

static void release(struct analysis *analysis)
{
	struct snapshot *snapshot = analysis->snapshot;
	analysis_free(analysis);
	snapshot_free(snapshot);
}

static void render_page(const char *path, const struct analysis *analysis, const char *svg,
			const char *missing)
{
	static const struct page_files files = { "index.html", "capture 1.json", "capture 1.dot",
						 "capture 1.svg" };
	struct error *error =
		render_html_page(path, analysis, NULL, svg, missing, &files, &no_options);
	if (error)
		fprintf(stderr, "%s\n", error->message);
	CU_ASSERT_PTR_NULL_FATAL(error);
}

/* Every thread, port, message and process of the wait subgraph has a
 * table row whose id is its anchor. */
static void assert_wait_graph_anchored(htmlDocPtr doc, const struct analysis *analysis)
{
	const struct snapshot *snapshot = analysis->snapshot;
	char anchor[64];
	size_t checked = 0;
	for (size_t i = 0; i < snapshot->threads.count; i++) {
		const struct thread *thread = snapshot->threads.items[i];
		if (!analysis_thread_involved(analysis, thread))
			continue;
		report_anchor_thread(thread, anchor, sizeof anchor);
		struct found found = find_id(doc, anchor);
		CU_ASSERT_EQUAL(found.count, 1);
		CU_ASSERT_TRUE(found.first && name_is(found.first->name, "tr"));
		checked++;
	}
	for (size_t i = 0; i < snapshot->ports.count; i++) {
		const struct port *port = snapshot->ports.items[i];
		if (!analysis_port_involved(analysis, port))
			continue;
		report_anchor_port(port, anchor, sizeof anchor);
		struct found found = find_id(doc, anchor);
		CU_ASSERT_EQUAL(found.count, 1);
		CU_ASSERT_TRUE(found.first && name_is(found.first->name, "tr"));
		checked++;
	}
	for (size_t i = 0; i < snapshot->processes.count; i++) {
		const struct process *process = snapshot->processes.items[i];
		if (!analysis_process_involved(analysis, process))
			continue;
		report_anchor_process(process, anchor, sizeof anchor);
		CU_ASSERT_EQUAL(find_id(doc, anchor).count, 1);
		checked++;
	}
	for (size_t i = 0; i < analysis->waits.count; i++) {
		const struct wait *wait = analysis->waits.items[i];
		if (wait->message) {
			report_anchor_message(wait->message, anchor, sizeof anchor);
			struct found found = find_id(doc, anchor);
			CU_ASSERT_EQUAL(found.count, 1);
			CU_ASSERT_TRUE(found.first && name_is(found.first->name, "tr"));
			checked++;
		}
		const struct thread *ends[] = { wait->client, wait->server_thread };
		for (size_t e = 0; e < 2; e++)
			if (ends[e]) {
				report_anchor_thread(ends[e], anchor, sizeof anchor);
				CU_ASSERT_EQUAL(find_id(doc, anchor).count, 1);
			}
	}
	CU_ASSERT_TRUE(checked > 0 || analysis->waits.count == 0);
}

/* Every in-page link lands on an element with that id. */
static void check_link_target(xmlNodePtr element, void *context)
{
	htmlDocPtr doc = context;
	for (xmlAttrPtr a = element->properties; a; a = a->next) {
		const char *name = (const char *)a->name;
		const char *local = strrchr(name, ':');
		local = local ? local + 1 : name;
		if (strcasecmp(local, "href") != 0)
			continue;
		char *value = (char *)xmlNodeListGetString(doc, a->children, 1);
		if (value && value[0] == '#' && find_id(doc, value + 1).count != 1) {
			fprintf(stderr, "link %s lands nowhere\n", value);
			CU_FAIL("an in-page link lands nowhere");
		}
		xmlFree(value);
	}
}

static void assert_links_land(htmlDocPtr doc)
{
	visit_document(doc, check_link_target, doc);
}

/* ---- pages ------------------------------------------------------------------- */

static void deadlock_page_names_the_cycle_plainly(void)
{
	struct analysis *analysis = analyzed(fixture_alpc_deadlock());
	const char *path = temp_path("deadlock.html");
	render_page(path, analysis, NULL, "The graph was not drawn in this test.");
	assert_self_contained(path);

	htmlDocPtr doc = parse_page(path);
	struct found banners = find_class(doc, "div", "deadlock");
	CU_ASSERT_EQUAL(banners.count, 1);
	CU_ASSERT_EQUAL(find_class(doc, "div", "probable").count, 0);
	struct found text = find_class(doc, "p", "banner-text");
	assert_content(text.first, "Deadlock: alpha.exe (0x100) thread 0x104 waits for beta.exe (0x200) "
			       "thread 0x204, which waits for alpha.exe thread 0x104.");
	CU_ASSERT_TRUE(text.first && text.first->parent == banners.first);

	/* the title, the capture's path, and the links to the other files */
	struct found title = { 0 };
	title = find_id(doc, "title");
	assert_content(title.first, "alpcgraph: fixture-deadlock.txt");
	CU_ASSERT_EQUAL(count_text(doc, "span", "fixture-deadlock.txt"), 1);
	CU_ASSERT_EQUAL(find_class(doc, "span", "status-ok").count, 1);
	CU_ASSERT_EQUAL(count_text(doc, "a", "JSON"), 1);
	CU_ASSERT_EQUAL(count_text(doc, "a", "Back to all captures"), 1);
	CU_ASSERT_EQUAL(count_text(doc, "p", "The graph was not drawn in this test."), 1);

	/* a port name from the input, as the text of its table cell */
	CU_ASSERT_EQUAL(count_text(doc, "td", "\\RPC Control\\BetaPort"), 1);
	assert_wait_graph_anchored(doc, analysis);
	assert_links_land(doc);
	xmlFreeDoc(doc);
	release(analysis);
}

static void chain_page_names_its_root_blocker(void)
{
	struct analysis *analysis = analyzed(fixture_chain_to_critical_section(6));
	const char *path = temp_path("chain.html");
	render_page(path, analysis, NULL, NULL);
	assert_self_contained(path);

	htmlDocPtr doc = parse_page(path);
	CU_ASSERT_EQUAL(find_class(doc, "div", "deadlock").count, 0);
	CU_ASSERT_EQUAL(find_class(doc, "div", "probable").count, 0);
	struct found calm = find_class(doc, "div", "calm");
	assert_content(calm.first, "No deadlock cycle among 5 waits.");
	struct found chains = find_class(doc, "ol", "chains");
	CU_ASSERT_EQUAL_FATAL(chains.count, 1);
	assert_content(first_element(chains.first), "5 waits: link0.exe (0x1000) thread 0x1004 \u2192 "
			       "link1.exe (0x1010) thread 0x1014 \u2192 "
			       "link2.exe (0x1020) thread 0x1024 \u2192 "
			       "link3.exe (0x1030) thread 0x1034 \u2192 "
			       "link4.exe (0x1040) thread 0x1044 \u2192 "
			       "root blocker: link5.exe (0x1050) thread 0x1054 \u2014 "
			       "blocked on a critical section (ntdll!RtlpWaitOnCriticalSection).");
	CU_ASSERT_EQUAL(count_text(doc, "p", "No graph was drawn."), 1);
	assert_wait_graph_anchored(doc, analysis);
	assert_links_land(doc);
	xmlFreeDoc(doc);
	release(analysis);
}

static void hostile_names_stay_text(void)
{
	struct analysis *analysis = analyzed(fixture_hostile_names());
	const char *path = temp_path("hostile.html");
	render_page(path, analysis, NULL, "<b>not drawn</b> & \"quoted\"");
	assert_self_contained(path);

	htmlDocPtr doc = parse_page(path);
	static const char evil_image[] = "<img src=x onerror=alert(1)>";
	static const char evil_port[] = "\\RPC Control\\\"];x[label=<b>&amp;</b>]\"<script>";
	static const char plain_port[] = "a&b<c>'d'\"e\"";
	static const char repaired[] = "caf\xef\xbf\xbd-\xef\xbf\xbd.exe";
	static const char evil_path[] = "<script>alert(1)</script>.txt";
	/* each is the whole text of its table cell, read back unchanged */
	CU_ASSERT_EQUAL(count_text(doc, "td", evil_port), 1);
	CU_ASSERT_EQUAL(count_text(doc, "td", plain_port), 1);
	CU_ASSERT_TRUE(count_text(doc, "td", evil_image) >= 1);
	CU_ASSERT_TRUE(count_text(doc, "td", repaired) >= 1);
	CU_ASSERT_EQUAL(count_text(doc, "span", evil_path), 1);
	CU_ASSERT_EQUAL(count_text(doc, "p", "<b>not drawn</b> & \"quoted\""), 1);
	char diagnostic[256];
	snprintf(diagnostic, sizeof diagnostic, "%s:9: odd line: <b>&\"'</b>", evil_path);
	CU_ASSERT_EQUAL(count_text(doc, "td", diagnostic), 1);
	CU_ASSERT_EQUAL(find_class(doc, "span", "status-partial").count, 1);

	/* the banner names the processes as text too */
	struct found text = find_class(doc, "p", "banner-text");
	char *sentence = content_of(text.first);
	CU_ASSERT_TRUE(sentence && strstr(sentence, evil_image));
	CU_ASSERT_TRUE(sentence && strstr(sentence, repaired));
	xmlFree(sentence);
	assert_wait_graph_anchored(doc, analysis);
	assert_links_land(doc);
	xmlFreeDoc(doc);
	release(analysis);
}

/* one.exe and two.exe wait on each other's ports, and no server thread
 * is known: a process-level cycle, which is only probable. */
static struct snapshot *probable_snapshot(void)
{
	struct snapshot *s = snapshot_new("probable.txt", "transcript");
	for (uint64_t i = 1; i <= 2; i++) {
		struct process *p = snapshot_process(s, known_u64(0x1000 * i), known_u64(0x10 * i),
						     origin_line(i));
		p->image = i == 1 ? "one.exe" : "two.exe";
		struct thread *t = snapshot_thread(s, known_u64(0x100 * i), known_u64(0x10 * i),
						   known_u64(0x10 * i + 4), origin_line(10 + i));
		t->process_address = known_u64(0x1000 * i);
		t->state = "WAIT";
		t->wait_reason = "WrLpcReply";
		struct port *port = snapshot_port(s, 0xa000 * i, origin_line(20 + i));
		port->owner_process = known_u64(0x1000 * i);
		port->name = i == 1 ? "OnePort" : "TwoPort";
	}
	struct thread *one = snapshot_find_thread(s, 0x100), *two = snapshot_find_thread(s, 0x200);
	one->alpc_wait_message = known_u64(0xb1);
	one->alpc_wait_port = known_u64(0x14000);
	one->alpc_wait_port_owner = known_u64(0x2000);
	two->alpc_wait_message = known_u64(0xb2);
	two->alpc_wait_port = known_u64(0xa000);
	two->alpc_wait_port_owner = known_u64(0x1000);
	snapshot_finish(s);
	return s;
}

static void probable_cycle_is_never_called_a_deadlock(void)
{
	struct analysis *analysis = analyzed(probable_snapshot());
	CU_ASSERT_EQUAL_FATAL(analysis->cycles.count, 1);
	const char *path = temp_path("probable.html");
	render_page(path, analysis, NULL, NULL);
	assert_self_contained(path);

	htmlDocPtr doc = parse_page(path);
	CU_ASSERT_EQUAL(find_class(doc, "div", "deadlock").count, 0);
	struct found banner = find_class(doc, "div", "probable");
	CU_ASSERT_EQUAL(banner.count, 1);
	struct found text = find_class(doc, "p", "banner-text");
	CU_ASSERT_TRUE(text.first && text.first->parent == banner.first);
	assert_content(text.first, "Probable deadlock (process-level): one.exe (0x10) waits for "
				   "two.exe (0x20), which waits for one.exe.");
	/* the chains end at a process nobody is known to serve */
	struct found chains = find_class(doc, "ol", "chains");
	CU_ASSERT_EQUAL_FATAL(chains.count, 1);
	char *chain = content_of(first_element(chains.first));
	CU_ASSERT_TRUE(chain && strstr(chain, "no thread known to serve the request"));
	xmlFree(chain);
	assert_wait_graph_anchored(doc, analysis);
	assert_links_land(doc);
	xmlFreeDoc(doc);
	release(analysis);
}

static void quiet_page_says_nothing_waits(void)
{
	struct snapshot *snapshot = fixture_quiet_system();
	snapshot->capture_index = 2;
	snapshot->capture_count = 3;
	struct analysis *analysis = analyzed(snapshot);
	const char *path = temp_path("quiet.html");
	render_page(path, analysis, NULL, NULL);
	assert_self_contained(path);

	htmlDocPtr doc = parse_page(path);
	struct found calm = find_class(doc, "div", "calm");
	CU_ASSERT_EQUAL(calm.count, 1);
	assert_content(calm.first, "No thread waits on IPC.");
	CU_ASSERT_EQUAL(find_class(doc, NULL, "banner").count, 1);
	/* the second of three captures in one transcript says so */
	assert_content(find_id(doc, "title").first,
		       "alpcgraph: fixture-quiet.txt (capture 2 of 3)");
	assert_content(find_class(doc, "span", "capture").first, " \u2014 capture 2 of 3");
	/* the empty table became a sentence that keeps its id */
	struct found threads = find_id(doc, "waiting-threads");
	CU_ASSERT_TRUE(threads.first && name_is(threads.first->name, "p"));
	/* both processes are listed, by anchor */
	CU_ASSERT_EQUAL(find_id(doc, "process-ffffa00000005000").count, 1);
	CU_ASSERT_EQUAL(find_id(doc, "process-ffffa00000006000").count, 1);
	assert_links_land(doc);
	xmlFreeDoc(doc);
	release(analysis);
}

/* Issue 4: the page says which structure profile read the dump and why,
 * in visible text and not only on hover. */
static void system_line_says_profile_and_why(void)
{
	struct snapshot *snapshot = fixture_quiet_system();
	snapshot->system.profile = "7601.24540";
	snapshot->system.profile_reason =
		"build 7601's built-in profile 7601.24540 read it best (kernel_probe 9 to 0)";
	struct analysis *analysis = analyzed(snapshot);
	const char *path = temp_path("profile.html");
	render_page(path, analysis, NULL, NULL);
	htmlDocPtr doc = parse_page(path);
	char *line = content_of(find_id(doc, "system").first);
	CU_ASSERT_PTR_NOT_NULL_FATAL(line);
	CU_ASSERT_PTR_NOT_NULL(strstr(line, "profile 7601.24540 (build 7601's built-in profile "
					    "7601.24540 read it best (kernel_probe 9 to 0))"));
	xmlFree(line);
	assert_content(find_class(doc, "span", "profile-reason").first,
		       " (build 7601's built-in profile 7601.24540 read it best (kernel_probe 9 "
		       "to 0))");
	xmlFreeDoc(doc);
	release(analysis);

	snapshot = fixture_quiet_system();
	snapshot->system.profile_reason = "none of build 9600's built-in profiles reads it";
	analysis = analyzed(snapshot);
	render_page(path, analysis, NULL, NULL);
	doc = parse_page(path);
	line = content_of(find_id(doc, "system").first);
	CU_ASSERT_PTR_NOT_NULL_FATAL(line);
	CU_ASSERT_PTR_NOT_NULL(
		strstr(line, "profile none (none of build 9600's built-in profiles reads it)"));
	xmlFree(line);
	xmlFreeDoc(doc);
	release(analysis);
}

/* A hand-written SVG shaped like Graphviz's, with things planted that the
 * page must not carry. */
static const char planted_svg[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
	"<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\"\n"
	" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n"
	"<!-- Generated by hand -->\n"
	"<svg width=\"310pt\" height=\"116pt\" viewBox=\"0.00 0.00 310.00 116.00\" "
	"xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
	"onload=\"alert('svg')\">\n"
	"<script>alert('planted')</script>\n"
	"<!-- planted comment --><?planted instruction?>\n"
	"<g id=\"graph0\" class=\"graph\">\n"
	"<title>waits</title>\n"
	"<linearGradient id=\"l_0\"><stop offset=\"0\" stop-color=\"red\"/></linearGradient>\n"
	"<g id=\"thread-ffffa00000001104\" class=\"node\">\n"
	"<g id=\"a_thread-ffffa00000001104\"><a xlink:href=\"#thread-ffffa00000001104\" "
	"xlink:title=\"alpha.exe\">\n"
	"<polygon fill=\"url(#l_0)\" stroke=\"black\" points=\"0,0 90,0 90,36 0,36\" "
	"onclick=\"alert('click')\"/>\n"
	"<text x=\"45\" y=\"20\">alpha.exe 100.104</text>\n"
	"</a></g></g>\n"
	"<a xlink:href=\"https://evil.example/x\" href=\"javascript:alert(1)\">"
	"<text x=\"1\" y=\"1\">away</text></a>\n"
	"<foreignObject width=\"10\" height=\"10\"><div xmlns=\"http://www.w3.org/1999/xhtml\">"
	"smuggled</div></foreignObject>\n"
	"<rect width=\"4\" height=\"5\" fill=\"none\"/>\n"
	"</g>\n"
	"</svg>\n";

static void inline_svg_is_scaled_and_defused(void)
{
	struct analysis *analysis = analyzed(fixture_alpc_deadlock());
	const char *path = temp_path("svg.html");
	render_page(path, analysis, planted_svg, NULL);
	assert_self_contained(path);

	size_t length;
	char *raw = read_whole_file(path, &length);
	CU_ASSERT_PTR_NOT_NULL_FATAL(raw);
	CU_ASSERT_PTR_NULL(strstr(raw, "planted"));
	CU_ASSERT_PTR_NULL(strstr(raw, "evil.example"));
	CU_ASSERT_PTR_NULL(strstr(raw, "javascript"));
	CU_ASSERT_PTR_NULL(strstr(raw, "smuggled"));
	CU_ASSERT_PTR_NULL(strstr(raw, "<!--"));
	free(raw);

	htmlDocPtr doc = parse_page(path);
	struct found figure = find_id(doc, "graph");
	CU_ASSERT_PTR_NOT_NULL_FATAL(figure.first);
	xmlNodePtr svg = NULL;
	for (xmlNodePtr child = figure.first->children; child; child = child->next)
		if (child->type == XML_ELEMENT_NODE && name_is(child->name, "svg"))
			svg = child;
	CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
	CU_ASSERT_FALSE(xmlHasProp(svg, BAD_CAST "width") != NULL);
	CU_ASSERT_FALSE(xmlHasProp(svg, BAD_CAST "height") != NULL);
	char *view_box = attribute(svg, "viewBox");
	if (!view_box)
		view_box = attribute(svg, "viewbox");
	CU_ASSERT_STRING_EQUAL(view_box ? view_box : "", "0.00 0.00 310.00 116.00");
	xmlFree(view_box);
	/* the node link still points at the thread's row; the SVG's own ids
	 * moved aside, and a reference to one of them followed */
	struct found row = find_id(doc, "thread-ffffa00000001104");
	CU_ASSERT_EQUAL(row.count, 1);
	CU_ASSERT_TRUE(row.first && name_is(row.first->name, "tr"));
	CU_ASSERT_EQUAL(find_id(doc, "svg-thread-ffffa00000001104").count, 1);
	CU_ASSERT_EQUAL(find_id(doc, "svg-l_0").count, 1);
	CU_ASSERT_EQUAL(count_text(doc, "text", "alpha.exe 100.104"), 1);
	CU_ASSERT_EQUAL(count_text(doc, "text", "away"), 1);
	struct found polygon = { 0 };
	for (xmlNodePtr n = svg; n;) {
		if (n->type == XML_ELEMENT_NODE && name_is(n->name, "polygon")) {
			polygon.first = n;
			break;
		}
		n = n->children ? n->children : n->next ? n->next : n->parent ? n->parent->next : NULL;
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(polygon.first);
	char *fill = attribute(polygon.first, "fill");
	CU_ASSERT_STRING_EQUAL(fill ? fill : "", "url(#svg-l_0)");
	xmlFree(fill);
	/* only the outer size goes: the rect keeps its own */
	struct found rect = { "rect", NULL, NULL, 0 };
	for (xmlNodePtr g = svg->children; g; g = g->next)
		for (xmlNodePtr n = g->children; n; n = n->next)
			if (n->type == XML_ELEMENT_NODE && name_is(n->name, "rect"))
				rect.first = n;
	CU_ASSERT_PTR_NOT_NULL_FATAL(rect.first);
	char *width = attribute(rect.first, "width");
	CU_ASSERT_STRING_EQUAL(width ? width : "", "4");
	xmlFree(width);
	assert_links_land(doc);
	xmlFreeDoc(doc);
	release(analysis);
}

static void unreadable_svg_becomes_a_sentence(void)
{
	struct analysis *analysis = analyzed(fixture_alpc_deadlock());
	const char *path = temp_path("bad-svg.html");
	render_page(path, analysis, "<svg><g></svg>", NULL);
	assert_self_contained(path);
	htmlDocPtr doc = parse_page(path);
	struct found missing = find_class(doc, "p", "missing");
	CU_ASSERT_EQUAL(missing.count, 1);
	char *text = content_of(missing.first);
	CU_ASSERT_TRUE(text && strstr(text, "The graph cannot be shown: "));
	xmlFree(text);
	xmlFreeDoc(doc);
	release(analysis);
}

/* The real pipeline: graph_view + render_svg, inlined; every node link
 * must land on a table row. */
static void real_graph_links_land_on_rows(void)
{
	struct analysis *analysis = analyzed(fixture_chain_to_critical_section(4));
	struct graph_view *view = graph_view_build(analysis, &no_options);
	CU_ASSERT_PTR_NOT_NULL_FATAL(view);
	char *svg = NULL;
	size_t svg_length = 0;
	struct error *error = render_svg(analysis, view, &svg, &svg_length);
	CU_ASSERT_PTR_NULL_FATAL(error);
	const char *path = temp_path("real-graph.html");
	error = render_html_page(path, analysis, view, svg, NULL, NULL, &no_options);
	CU_ASSERT_PTR_NULL_FATAL(error);
	assert_self_contained(path);
	htmlDocPtr doc = parse_page(path);
	struct found figure = find_id(doc, "graph");
	CU_ASSERT_PTR_NOT_NULL_FATAL(figure.first);
	CU_ASSERT_TRUE(first_element(figure.first) && name_is(first_element(figure.first)->name, "svg"));
	assert_links_land(doc);
	xmlFreeDoc(doc);
	free(svg);
	graph_view_free(view);
	release(analysis);
}

static void links_must_be_relative(void)
{
	struct analysis *analysis = analyzed(fixture_quiet_system());
	static const char *const bad[] = { "https://example.com/a.json", "/etc/passwd",
					   "javascript:alert(1)", "C:\\x.json", "" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct page_files files = { NULL, bad[i], NULL, NULL };
		struct error *error = render_html_page(temp_path("never.html"), analysis, NULL, NULL,
						       NULL, &files, &no_options);
		CU_ASSERT_PTR_NOT_NULL(error);
		error_free(error);
	}
	CU_ASSERT_TRUE(html_href_is_relative("capture 1.json"));
	CU_ASSERT_TRUE(html_href_is_relative("pages/a.html"));
	CU_ASSERT_TRUE(html_href_is_relative("../index.html"));
	CU_ASSERT_FALSE(html_href_is_relative("data:text/html,x"));
	CU_ASSERT_FALSE(html_href_is_relative("//host/x"));
	release(analysis);
}

static void missing_template_is_named(void)
{
	struct analysis *analysis = analyzed(fixture_quiet_system());
	struct render_options options = { .templates_dir = test_temp_dir() };
	struct error *error = render_html_page(temp_path("never.html"), analysis, NULL, NULL, NULL,
					       NULL, &options);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	char expected[PATH_MAX + 16];
	snprintf(expected, sizeof expected, "%s/page.html: ", test_temp_dir());
	CU_ASSERT_EQUAL(strncmp(error->message, expected, strlen(expected)), 0);
	error_free(error);
	release(analysis);

	/* $ALPCGRAPH_TEMPLATES wins when set; otherwise a directory that
	 * holds the page template is found. */
	const char *saved = getenv("ALPCGRAPH_TEMPLATES");
	char *kept = saved ? strdup(saved) : NULL;
	setenv("ALPCGRAPH_TEMPLATES", "/nowhere/templates", 1);
	CU_ASSERT_STRING_EQUAL(reports_templates_dir(), "/nowhere/templates");
	setenv("ALPCGRAPH_TEMPLATES", "", 1);
	char page[PATH_MAX];
	snprintf(page, sizeof page, "%s/page.html", reports_templates_dir());
	char *found = read_whole_file(page, NULL);
	CU_ASSERT_PTR_NOT_NULL(found);
	free(found);
	if (kept)
		setenv("ALPCGRAPH_TEMPLATES", kept, 1);
	else
		unsetenv("ALPCGRAPH_TEMPLATES");
	free(kept);
}

/* ---- page summaries ---------------------------------------------------------- */

static bool same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static void assert_same_summary(const struct page_summary *a, const struct page_summary *b)
{
	CU_ASSERT_TRUE(same_text(a->input_path, b->input_path));
	CU_ASSERT_EQUAL(a->capture_index, b->capture_index);
	CU_ASSERT_EQUAL(a->capture_count, b->capture_count);
	CU_ASSERT_TRUE(same_text(a->page_href, b->page_href));
	CU_ASSERT_TRUE(same_text(a->status, b->status));
	CU_ASSERT_TRUE(same_text(a->first_problem, b->first_problem));
	CU_ASSERT_EQUAL(a->processes, b->processes);
	CU_ASSERT_EQUAL(a->threads, b->threads);
	CU_ASSERT_EQUAL(a->ports, b->ports);
	CU_ASSERT_EQUAL(a->messages, b->messages);
	CU_ASSERT_EQUAL(a->waits, b->waits);
	CU_ASSERT_EQUAL(a->rpc_calls, b->rpc_calls);
	CU_ASSERT_EQUAL(a->warnings, b->warnings);
	CU_ASSERT_EQUAL(a->errors, b->errors);
	CU_ASSERT_EQUAL(a->longest_chain, b->longest_chain);
	CU_ASSERT_TRUE(same_text(a->longest_chain_root, b->longest_chain_root));
	CU_ASSERT_EQUAL_FATAL(a->cycle_count, b->cycle_count);
	for (size_t i = 0; i < a->cycle_count; i++) {
		CU_ASSERT_EQUAL(a->cycles[i].definite, b->cycles[i].definite);
		CU_ASSERT_TRUE(same_text(a->cycles[i].kind, b->cycles[i].kind));
		CU_ASSERT_TRUE(same_text(a->cycles[i].signature, b->cycles[i].signature));
		CU_ASSERT_TRUE(same_text(a->cycles[i].signature_id, b->cycles[i].signature_id));
		CU_ASSERT_TRUE(same_text(a->cycles[i].members, b->cycles[i].members));
	}
}

/* Every field set, with every character the encoding has to escape. */
static struct page_summary *awkward_summary(void)
{
	struct page_summary *s = calloc(1, sizeof *s);
	s->input_path = strdup("dumps\\tab\there\nnew line\\n \r caf\xc3\xa9.dmp");
	s->capture_index = UINT_MAX;
	s->capture_count = UINT_MAX;
	s->page_href = strdup("");
	s->status = strdup("partial");
	s->first_problem = NULL;
	s->processes = SIZE_MAX;
	s->threads = 0;
	s->ports = 1;
	s->messages = 22;
	s->waits = 333;
	s->rpc_calls = 4444;
	s->warnings = 55555;
	s->errors = 666666;
	s->longest_chain = 7;
	s->longest_chain_root = strdup("\\\\\\");
	s->cycle_count = 2;
	s->cycles = calloc(2, sizeof *s->cycles);
	s->cycles[0] = (struct page_cycle){ true, strdup("thread"), strdup("a -> b\t\\t"),
					    strdup("0123456789abcdef"), strdup("a 1.2 -> b 3.4") };
	s->cycles[1] = (struct page_cycle){ false, strdup("process"), NULL, strdup(""), NULL };
	return s;
}

static char *encode(const struct page_summary *summary, size_t *length)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	struct error *error = page_summary_write(out, summary);
	CU_ASSERT_PTR_NULL(error);
	fclose(out);
	if (length)
		*length = size;
	return text;
}

static void summary_round_trips_exactly(void)
{
	struct analysis *deadlock = analyzed(fixture_alpc_deadlock());
	struct analysis *chain = analyzed(fixture_chain_to_critical_section(6));
	struct analysis *hostile = analyzed(fixture_hostile_names());
	struct page_summary *written[4] = {
		page_summary_from_analysis(deadlock, "pages/deadlock 1.html"),
		page_summary_from_analysis(chain, NULL),
		page_summary_from_analysis(hostile, "hostile.html"),
		awkward_summary(),
	};
	/* what the analysis gave */
	CU_ASSERT_EQUAL_FATAL(written[0]->cycle_count, 1);
	CU_ASSERT_TRUE(written[0]->cycles[0].definite);
	CU_ASSERT_STRING_EQUAL(written[0]->cycles[0].kind, "thread");
	CU_ASSERT_STRING_EQUAL(written[0]->cycles[0].members, "alpha.exe 0100.0104 -> beta.exe 0200.0204");
	CU_ASSERT_STRING_EQUAL(written[0]->status, "ok");
	CU_ASSERT_PTR_NULL(written[0]->first_problem);
	CU_ASSERT_EQUAL(written[0]->waits, 2);
	CU_ASSERT_EQUAL(written[1]->cycle_count, 0);
	CU_ASSERT_EQUAL(written[1]->longest_chain, 5);
	CU_ASSERT_STRING_EQUAL(written[1]->longest_chain_root,
			       "blocked on a critical section in link5.exe 1050.1054");
	CU_ASSERT_STRING_EQUAL(written[2]->status, "partial");
	CU_ASSERT_PTR_NOT_NULL_FATAL(written[2]->first_problem);
	CU_ASSERT_STRING_EQUAL(written[2]->first_problem,
			       "<script>alert(1)</script>.txt:9: odd line: <b>&\"'</b>");

	/* all four through one stream, as a pipe would carry them */
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	for (size_t i = 0; i < 4; i++)
		CU_ASSERT_PTR_NULL(page_summary_write(out, written[i]));
	fclose(out);
	FILE *in = fmemopen(text, size, "r");
	for (size_t i = 0; i < 4; i++) {
		struct error *error = NULL;
		struct page_summary *read = page_summary_read(in, &error);
		if (error)
			fprintf(stderr, "%s\n", error->message);
		CU_ASSERT_PTR_NULL(error);
		CU_ASSERT_PTR_NOT_NULL_FATAL(read);
		assert_same_summary(written[i], read);
		page_summary_free(read);
	}
	struct error *error = (struct error *)1;
	CU_ASSERT_PTR_NULL(page_summary_read(in, &error));
	CU_ASSERT_PTR_NULL(error);
	fclose(in);
	free(text);
	for (size_t i = 0; i < 4; i++)
		page_summary_free(written[i]);
	release(deadlock);
	release(chain);
	release(hostile);
}

/* Reads text as a summary, expecting an error that starts with prefix. */
static void assert_rejected(const char *text, const char *prefix)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	struct error *error = NULL;
	struct page_summary *summary = page_summary_read(in, &error);
	fclose(in);
	CU_ASSERT_PTR_NULL(summary);
	page_summary_free(summary);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	if (strncmp(error->message, prefix, strlen(prefix)) != 0) {
		fprintf(stderr, "expected \"%s...\", got \"%s\"\n", prefix, error->message);
		CU_FAIL("wrong error");
	}
	error_free(error);
}

/* The valid encoding with line `line` (1-based) replaced. */
static char *with_line_replaced(const char *text, unsigned line, const char *replacement)
{
	const char *start = text;
	for (unsigned i = 1; i < line; i++)
		start = strchr(start, '\n') + 1;
	const char *end = strchr(start, '\n');
	size_t length = strlen(text) - (size_t)(end - start) + strlen(replacement) + 1;
	char *out = malloc(length);
	snprintf(out, length, "%.*s%s%s", (int)(start - text), text, replacement, end);
	return out;
}

static void malformed_summaries_are_rejected_by_line(void)
{
	struct page_summary *summary = awkward_summary();
	char *valid = encode(summary, NULL);
	page_summary_free(summary);

	/* truncated after five lines, and in the middle of a line */
	char *cut = strdup(valid);
	char *p = cut;
	for (int i = 0; i < 5; i++)
		p = strchr(p, '\n') + 1;
	*p = '\0';
	assert_rejected(cut, "page summary:6: input ends before \"status\"");
	p[-3] = '\0';
	assert_rejected(cut, "page summary:5: input ends in the middle of a line");
	free(cut);
	cut = strdup(valid);
	cut[strlen(cut) - 4] = '\0'; /* "end\n" is gone */
	assert_rejected(cut, "page summary:");
	free(cut);

	struct {
		unsigned line;
		const char *replacement, *prefix;
	} cases[] = {
		{ 1, "alpcgraph-page-summary\t2", "page summary:1: not a version 1" },
		{ 1, "<html>", "page summary:1: not a version 1" },
		{ 9, "thread\t0", "page summary:9: expected \"threads\", found \"thread\"" },
		{ 9, "threads 0", "page summary:9: expected \"threads\"" },
		{ 8, "processes\t12x", "page summary:8: \"processes\" needs a number" },
		{ 8, "processes\t-1", "page summary:8: \"processes\" needs a number" },
		{ 8, "processes\t", "page summary:8: \"processes\" needs a number" },
		{ 8, "processes", "page summary:8: \"processes\" needs a number" },
		{ 8, "processes\t007", "page summary:8: \"processes\" needs a number" },
		{ 8, "processes\t99999999999999999999999", "page summary:8: \"processes\" needs a number" },
		{ 3, "capture_index\t4294967296", "page summary:3: \"capture_index\" needs a number" },
		{ 2, "input_path\tbad \\q escape", "page summary:2: bad escape sequence" },
		{ 2, "input_path\tends in \\", "page summary:2: bad escape sequence" },
		{ 2, "input_path\traw\ttab", "page summary:2: value holds an unescaped control" },
		{ 18, "cycles\t3", "page summary:" },
		{ 19, "cycle.definite\t2", "page summary:19: \"cycle.definite\" needs a number" },
		{ 20, "cycle.kin\tthread", "page summary:20: expected \"cycle.kind\"" },
		{ 18, "cycles\t99999999", "page summary:18: \"cycles\" needs a number" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *bad = with_line_replaced(valid, cases[i].line, cases[i].replacement);
		assert_rejected(bad, cases[i].prefix);
		free(bad);
	}
	/* a line past the 1 MiB bound is refused before it is all read */
	size_t huge = (1u << 20) + 64;
	char *long_line = malloc(huge + 64);
	int head = snprintf(long_line, 64, "alpcgraph-page-summary\t1\ninput_path\t");
	memset(long_line + head, 'x', huge);
	strcpy(long_line + head + huge, "\n");
	assert_rejected(long_line, "page summary:2: line is longer than 1 MiB");
	free(long_line);
	/* "end" with a value, and a NUL byte inside a line */
	size_t length = strlen(valid);
	char *end_value = malloc(length + 8);
	snprintf(end_value, length + 8, "%.*send\tx\n", (int)(length - 4), valid);
	assert_rejected(end_value, "page summary:");
	free(end_value);
	char with_nul[] = "alpcgraph-page-summary\t1\ninput_path\ta\0b\n";
	FILE *in = fmemopen(with_nul, sizeof with_nul - 1, "r");
	struct error *error = NULL;
	CU_ASSERT_PTR_NULL(page_summary_read(in, &error));
	CU_ASSERT_PTR_NOT_NULL(error);
	if (error)
		CU_ASSERT_STRING_EQUAL(error->message, "page summary:2: line holds a NUL byte");
	error_free(error);
	fclose(in);
	free(valid);

	/* empty input is a clean end, not an error */
	char empty[1] = "";
	in = fmemopen(empty, 0, "r");
	if (in) {
		error = (struct error *)1;
		CU_ASSERT_PTR_NULL(page_summary_read(in, &error));
		CU_ASSERT_PTR_NULL(error);
		fclose(in);
	}
}

/* ---- index ------------------------------------------------------------------- */

static struct page_summary *summary_of(struct snapshot *snapshot, const char *path,
				       const char *href)
{
	struct analysis *analysis = analyzed(snapshot);
	struct page_summary *summary = page_summary_from_analysis(analysis, href);
	free(summary->input_path);
	summary->input_path = strdup(path);
	release(analysis);
	return summary;
}

/* The element children of node, at most max of them; returns how many
 * there are in all. */
static size_t element_children(xmlNodePtr node, xmlNodePtr *out, size_t max)
{
	size_t count = 0;
	for (xmlNodePtr child = node ? node->children : NULL; child; child = child->next)
		if (child->type == XML_ELEMENT_NODE) {
			if (count < max)
				out[count] = child;
			count++;
		}
	return count;
}

/* The hrefs of the links in a signature row's last cell, in order. */
static size_t links_in(xmlNodePtr cell, char **hrefs, size_t max)
{
	size_t links = 0;
	xmlNodePtr items[8];
	size_t count = element_children(first_element(cell), items, 8);
	for (size_t i = 0; i < count && i < 8; i++) {
		xmlNodePtr a = first_element(items[i]);
		if (a && name_is(a->name, "a") && links < max)
			hrefs[links++] = attribute(a, "href");
	}
	return links;
}

static void index_groups_one_hang_seen_twice(void)
{
	struct page_summary *summaries[4] = {
		summary_of(fixture_quiet_system(), "dumps/qui\xff" "et.dmp", "quiet.html"),
		summary_of(fixture_alpc_deadlock(), "dumps/first.dmp", "first.html"),
		summary_of(probable_snapshot(), "dumps/probable.dmp", "probable.html"),
		summary_of(fixture_alpc_deadlock(), "dumps/<second>.dmp", "second page.html"),
	};
	/* the second page shows that hang twice: it still counts once */
	struct page_summary *twice = summaries[3];
	CU_ASSERT_EQUAL_FATAL(twice->cycle_count, 1);
	twice->cycles = realloc(twice->cycles, 2 * sizeof *twice->cycles);
	twice->cycles[1] = (struct page_cycle){
		twice->cycles[0].definite, strdup(twice->cycles[0].kind),
		strdup(twice->cycles[0].signature), strdup(twice->cycles[0].signature_id),
		strdup(twice->cycles[0].members),
	};
	twice->cycle_count = 2;
	const char *path = temp_path("index.html");
	struct error *error = render_index(path, summaries, 4, &no_options);
	if (error)
		fprintf(stderr, "%s\n", error->message);
	CU_ASSERT_PTR_NULL_FATAL(error);
	assert_self_contained(path);
	/* a path that is not UTF-8 is repaired, not copied into the page */
	size_t length;
	char *raw = read_whole_file(path, &length);
	CU_ASSERT_PTR_NOT_NULL_FATAL(raw);
	CU_ASSERT_TRUE(utf8_is_valid(raw, length));
	CU_ASSERT_PTR_NOT_NULL(strstr(raw, "dumps/qui\xef\xbf\xbd" "et.dmp"));
	free(raw);

	htmlDocPtr doc = parse_page(path);
	struct found signatures = find_id(doc, "signatures");
	CU_ASSERT_PTR_NOT_NULL_FATAL(signatures.first);
	CU_ASSERT_TRUE(name_is(signatures.first->name, "table"));
	xmlNodePtr body = last_element(signatures.first);
	CU_ASSERT_TRUE_FATAL(body && name_is(body->name, "tbody"));
	/* one row for the hang seen twice, then the probable one */
	xmlNodePtr rows[2];
	CU_ASSERT_EQUAL_FATAL(element_children(body, rows, 2), 2);
	char expected_id[64];
	snprintf(expected_id, sizeof expected_id, "signature-%s",
		 summaries[1]->cycles[0].signature_id);
	char *id = attribute(rows[0], "id");
	CU_ASSERT_STRING_EQUAL(id ? id : "", expected_id);
	xmlFree(id);
	xmlNodePtr cells[4];
	CU_ASSERT_EQUAL_FATAL(element_children(rows[0], cells, 4), 4);
	assert_content(first_element(cells[0]), summaries[1]->cycles[0].signature);
	assert_content(cells[1], "thread, definite deadlock");
	assert_content(cells[2], "2");
	char *hrefs[3] = { NULL, NULL, NULL };
	CU_ASSERT_EQUAL(links_in(cells[3], hrefs, 3), 2);
	CU_ASSERT_STRING_EQUAL(hrefs[0] ? hrefs[0] : "", "first.html");
	/* the serializer URI-escapes the space, which a browser undoes */
	CU_ASSERT_STRING_EQUAL(hrefs[1] ? hrefs[1] : "", "second%20page.html");
	for (size_t i = 0; i < 3; i++)
		xmlFree(hrefs[i]);
	CU_ASSERT_EQUAL(count_text(doc, "a", "dumps/<second>.dmp"), 2);

	CU_ASSERT_EQUAL_FATAL(element_children(rows[1], cells, 4), 4);
	assert_content(first_element(cells[0]), "one.exe[TwoPort] -> two.exe[OnePort]");
	assert_content(cells[1], "process, probable deadlock");
	assert_content(cells[2], "1");
	CU_ASSERT_TRUE(has_class(rows[1], "has-probable"));

	/* the captures table: definite deadlocks, then probable, then the rest */
	struct found pages = find_id(doc, "pages");
	CU_ASSERT_PTR_NOT_NULL_FATAL(pages.first);
	xmlNodePtr page_rows[4];
	CU_ASSERT_EQUAL_FATAL(element_children(last_element(pages.first), page_rows, 4), 4);
	const char *order[] = { "page-2", "page-4", "page-3", "page-1" };
	for (size_t i = 0; i < 4; i++) {
		char *row_id = attribute(page_rows[i], "id");
		CU_ASSERT_STRING_EQUAL(row_id ? row_id : "", order[i]);
		xmlFree(row_id);
	}
	struct found deadlock = find_class(doc, "div", "deadlock");
	CU_ASSERT_EQUAL(deadlock.count, 1);
	assert_content(first_element(deadlock.first),
		       "Deadlock: 2 of 4 captures show a definite deadlock.");
	struct found probable = find_class(doc, "div", "probable");
	CU_ASSERT_EQUAL(probable.count, 1);
	assert_content(first_element(probable.first),
		       "Probable deadlock (process-level): 1 capture shows only a probable one.");
	assert_links_land(doc);
	xmlFreeDoc(doc);
	for (size_t i = 0; i < 4; i++)
		page_summary_free(summaries[i]);
}

int main(void)
{
	static const struct test_case page_cases[] = {
		{ "deadlock page names the cycle plainly", deadlock_page_names_the_cycle_plainly },
		{ "chain page names its root blocker", chain_page_names_its_root_blocker },
		{ "hostile names stay text", hostile_names_stay_text },
		{ "probable cycle is never called a deadlock", probable_cycle_is_never_called_a_deadlock },
		{ "quiet page says nothing waits", quiet_page_says_nothing_waits },
		{ "system line says the profile and why", system_line_says_profile_and_why },
		{ "inline SVG is scaled and defused", inline_svg_is_scaled_and_defused },
		{ "unreadable SVG becomes a sentence", unreadable_svg_becomes_a_sentence },
		{ "real graph links land on rows", real_graph_links_land_on_rows },
		{ "links must be relative", links_must_be_relative },
		{ "missing template is named", missing_template_is_named },
		{ NULL, NULL },
	};
	static const struct test_case summary_cases[] = {
		{ "summary round trips exactly", summary_round_trips_exactly },
		{ "malformed summaries are rejected by line", malformed_summaries_are_rejected_by_line },
		{ NULL, NULL },
	};
	static const struct test_case index_cases[] = {
		{ "index groups one hang seen twice", index_groups_one_hang_seen_twice },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = {
		{ "html page", page_cases },
		{ "page summary", summary_cases },
		{ "index", index_cases },
	};
	return run_suites("test_render_html", suites, 3);
}
