/* Loading, filling and writing HTML trees with libxml2 (facts in
 * ../shared/docs/deps.md §5). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "../src/base/base.h"
#include "html_tree.h"

/* Templates and the stylesheet are a few kilobytes; anything far larger
 * is not ours. */
enum { TEMPLATE_MAX_BYTES = 4 * 1024 * 1024 };

static struct error *read_small_file(const char *path, char **text, size_t *length)
{
	FILE *file = fopen(path, "rb");
	if (!file)
		return error_in_file(ERROR_IO, path, "%s", strerror(errno));
	size_t capacity = 16384, used = 0;
	char *buffer = checked_malloc(capacity + 1);
	for (;;) {
		size_t got = fread(buffer + used, 1, capacity - used, file);
		used += got;
		if (used < capacity)
			break;
		if (capacity >= TEMPLATE_MAX_BYTES) {
			fclose(file);
			free(buffer);
			return error_in_file(ERROR_LIMIT, path, "larger than %d bytes",
					     TEMPLATE_MAX_BYTES);
		}
		capacity *= 2;
		buffer = checked_realloc(buffer, capacity + 1);
	}
	bool failed = ferror(file);
	int saved_errno = errno;
	fclose(file);
	if (failed) {
		free(buffer);
		return error_in_file(ERROR_IO, path, "%s", strerror(saved_errno));
	}
	buffer[used] = '\0';
	*text = buffer;
	*length = used;
	return NULL;
}

static char *join_path(const char *dir, const char *name)
{
	size_t length = strlen(dir) + 1 + strlen(name) + 1;
	char *path = checked_malloc(length);
	snprintf(path, length, "%s/%s", dir, name);
	return path;
}

/* The stylesheet is written raw inside <style> (the HTML serializer does
 * not escape raw-text elements), so it must not be able to end that
 * element early. */
static bool css_can_close_style(const char *css)
{
	for (const char *p = strstr(css, "</"); p; p = strstr(p + 2, "</"))
		if (strncasecmp(p + 2, "style", 5) == 0)
			return true;
	return false;
}

static struct error *inline_stylesheet(struct html_template *template, const char *templates_dir)
{
	xmlNodePtr style = NULL;
	struct error *error = html_template_element(template, "style", &style);
	if (error)
		return error;
	char *path = join_path(templates_dir, "style.css");
	char *css = NULL;
	size_t length;
	error = read_small_file(path, &css, &length);
	if (!error && (strlen(css) != length || !utf8_is_valid(css, length)))
		error = error_in_file(ERROR_FORMAT, path, "not UTF-8 text");
	if (!error && css_can_close_style(css))
		error = error_in_file(ERROR_FORMAT, path, "contains \"</style\"");
	if (!error) {
		xmlNodeSetContent(style, NULL);
		xmlAddChild(style, xmlNewDocTextLen(template->doc, BAD_CAST css, (int)length));
	}
	free(css);
	free(path);
	return error;
}

struct error *html_template_load(const char *templates_dir, const char *name,
				 struct html_template *template)
{
	template->doc = NULL;
	template->path = join_path(templates_dir, name);
	char *text;
	size_t length;
	struct error *error = read_small_file(template->path, &text, &length);
	if (error)
		return error;
	xmlInitParser();
	/* The HTML parser predates HTML5 and complains about <section> and
	 * friends, but builds them as ordinary elements: silence it. */
	template->doc = htmlReadMemory(text, (int)length, template->path, "UTF-8",
				       HTML_PARSE_NONET | HTML_PARSE_NOERROR |
					       HTML_PARSE_NOWARNING);
	free(text);
	if (!template->doc)
		return error_in_file(ERROR_FORMAT, template->path, "not an HTML document");
	return inline_stylesheet(template, templates_dir);
}

void html_template_release(struct html_template *template)
{
	if (template->doc)
		xmlFreeDoc(template->doc);
	free(template->path);
	template->doc = NULL;
	template->path = NULL;
}

struct error *html_template_element(const struct html_template *template, const char *id,
				    xmlNodePtr *element)
{
	xmlAttrPtr attribute = xmlGetID(template->doc, BAD_CAST id);
	if (!attribute || !attribute->parent)
		return error_in_file(ERROR_FORMAT, template->path, "no element with id \"%s\"", id);
	*element = attribute->parent;
	return NULL;
}

struct error *html_template_save(const struct html_template *template, const char *path)
{
	/* htmlDocContentDumpFormatOutput into a plain buffer writes UTF-8 as
	 * is; the file-saving functions would add a second charset meta. */
	xmlOutputBufferPtr buffer = xmlAllocOutputBuffer(NULL);
	if (!buffer)
		return error_in_file(ERROR_NO_MEMORY, path, "out of memory");
	htmlDocContentDumpFormatOutput(buffer, template->doc, NULL, 1);
	xmlOutputBufferFlush(buffer);
	const xmlChar *content = xmlOutputBufferGetContent(buffer);
	size_t size = xmlOutputBufferGetSize(buffer);
	struct error *error = NULL;
	FILE *file = fopen(path, "wb");
	if (!file) {
		error = error_in_file(ERROR_IO, path, "%s", strerror(errno));
	} else {
		bool written = fwrite(content, 1, size, file) == size;
		int saved_errno = errno;
		if (fclose(file) != 0 && written) {
			written = false;
			saved_errno = errno;
		}
		if (!written)
			error = error_in_file(ERROR_IO, path, "%s", strerror(saved_errno));
	}
	xmlOutputBufferClose(buffer);
	return error;
}

/* ---- building ------------------------------------------------------------ */

/* libxml2's HTML serializer copies bytes above 0x7f as they are, so text
 * that is not valid UTF-8 would make the page invalid.  Snapshot text is
 * already repaired; this covers strings that arrive by other roads (a
 * page summary read from a pipe). */
static xmlChar *clean_text(const char *text, struct arena *scratch)
{
	size_t length = strlen(text);
	bool clean = utf8_is_valid(text, length);
	for (size_t i = 0; clean && i < length; i++) {
		unsigned char c = (unsigned char)text[i];
		if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
			clean = false;
	}
	if (clean)
		return BAD_CAST text;
	bool repaired;
	return BAD_CAST utf8_sanitized_copy(scratch, text, length, &repaired);
}

void html_append_text(xmlNodePtr parent, const char *text)
{
	if (!text || !*text)
		return;
	struct arena scratch;
	arena_init(&scratch);
	xmlAddChild(parent, xmlNewDocText(parent->doc, clean_text(text, &scratch)));
	arena_release(&scratch);
}

/* Formatted text may hold input strings of any length: never truncate. */
static char *format_text(const char *format, va_list args) PRINTF_LIKE(1, 0);

static char *format_text(const char *format, va_list args)
{
	va_list copy;
	va_copy(copy, args);
	int length = vsnprintf(NULL, 0, format, copy);
	va_end(copy);
	if (length < 0)
		length = 0;
	char *text = checked_malloc((size_t)length + 1);
	vsnprintf(text, (size_t)length + 1, format, args);
	return text;
}

void html_append_textf(xmlNodePtr parent, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	char *text = format_text(format, args);
	va_end(args);
	html_append_text(parent, text);
	free(text);
}

xmlNodePtr html_append_element(xmlNodePtr parent, const char *name, const char *text)
{
	xmlNodePtr element = xmlNewDocNode(parent->doc, NULL, BAD_CAST name, NULL);
	xmlAddChild(parent, element);
	html_append_text(element, text);
	return element;
}

xmlNodePtr html_append_elementf(xmlNodePtr parent, const char *name, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	char *text = format_text(format, args);
	va_end(args);
	xmlNodePtr element = html_append_element(parent, name, text);
	free(text);
	return element;
}

void html_set_attribute(xmlNodePtr element, const char *name, const char *value)
{
	struct arena scratch;
	arena_init(&scratch);
	xmlSetProp(element, BAD_CAST name, clean_text(value, &scratch));
	arena_release(&scratch);
}

xmlNodePtr html_append_link(xmlNodePtr parent, const char *href, const char *text)
{
	xmlNodePtr link = html_append_element(parent, "a", text);
	html_set_attribute(link, "href", href);
	return link;
}

bool html_href_is_relative(const char *href)
{
	if (!href || !*href || href[0] == '/' || strchr(href, '\\'))
		return false;
	/* A scheme is letters before a colon that comes before any of / ? #. */
	size_t before = strcspn(href, ":/?#");
	return href[before] != ':';
}

/* ---- inline SVG ------------------------------------------------------------ */

/* Elements that run code, embed other documents, load resources or
 * restyle the whole page (an SVG <style> applies to the page around it);
 * the animation elements can rewrite an href after the fact.  Graphviz
 * writes none of them. */
static const char *const svg_dropped_elements[] = {
	"script", "foreignObject", "iframe", "object", "embed", "link", "meta", "base",
	"style", "set", "animate", "animateMotion", "animateTransform", "animateColor",
	"handler", "listener", "audio", "video",
};

static bool svg_element_is_dropped(const xmlChar *name)
{
	for (size_t i = 0; i < sizeof svg_dropped_elements / sizeof *svg_dropped_elements; i++)
		if (strcasecmp((const char *)name, svg_dropped_elements[i]) == 0)
			return true;
	return false;
}

static bool attribute_is_link(const xmlChar *name)
{
	/* The local name: "xlink:href" arrives as href in the xlink
	 * namespace, but a document without the declaration keeps the colon. */
	const char *local = strrchr((const char *)name, ':');
	local = local ? local + 1 : (const char *)name;
	return strcasecmp(local, "href") == 0 || strcasecmp(local, "src") == 0 ||
	       strcasecmp(local, "action") == 0 || strcasecmp(local, "formaction") == 0;
}

static void rename_svg_id(xmlAttrPtr attribute)
{
	xmlChar *value = xmlNodeListGetString(attribute->doc, attribute->children, 1);
	size_t length = value ? strlen((const char *)value) : 0;
	char *renamed = checked_malloc(length + 5);
	snprintf(renamed, length + 5, "svg-%s", value ? (const char *)value : "");
	xmlSetNsProp(attribute->parent, attribute->ns, attribute->name, BAD_CAST renamed);
	free(renamed);
	xmlFree(value);
}

/* fill="url(#l_0)" and clip-path="url(#clip1)" refer to ids inside the
 * SVG, which rename_svg_id moved. */
static void follow_renamed_ids(xmlAttrPtr attribute)
{
	xmlChar *value = xmlNodeListGetString(attribute->doc, attribute->children, 1);
	if (!value || !strstr((const char *)value, "url(#")) {
		xmlFree(value);
		return;
	}
	size_t count = 0;
	for (const char *p = strstr((const char *)value, "url(#"); p; p = strstr(p + 5, "url(#"))
		count++;
	size_t length = strlen((const char *)value) + count * 4 + 1;
	char *rewritten = checked_malloc(length);
	char *out = rewritten;
	const char *in = (const char *)value;
	for (const char *p = strstr(in, "url(#"); p; p = strstr(in, "url(#")) {
		memcpy(out, in, (size_t)(p - in) + 5);
		out += (p - in) + 5;
		memcpy(out, "svg-", 4);
		out += 4;
		in = p + 5;
	}
	strcpy(out, in);
	xmlSetNsProp(attribute->parent, attribute->ns, attribute->name, BAD_CAST rewritten);
	free(rewritten);
	xmlFree(value);
}

static void sanitize_svg_attributes(xmlNodePtr element)
{
	xmlAttrPtr attribute = element->properties;
	while (attribute) {
		xmlAttrPtr next = attribute->next;
		const char *name = (const char *)attribute->name;
		xmlChar *value = xmlNodeListGetString(attribute->doc, attribute->children, 1);
		bool drop = strncasecmp(name, "on", 2) == 0 ||
			    (attribute_is_link(attribute->name) && (!value || value[0] != '#'));
		xmlFree(value);
		if (drop)
			xmlRemoveProp(attribute);
		else if (strcmp(name, "id") == 0)
			rename_svg_id(attribute);
		else
			follow_renamed_ids(attribute);
		attribute = next;
	}
}

/* Keeps elements and text; drops what is listed above, and comments,
 * processing instructions, CDATA and entity references. */
static void sanitize_svg_children(xmlNodePtr parent)
{
	xmlNodePtr child = parent->children;
	while (child) {
		xmlNodePtr next = child->next;
		bool keep = child->type == XML_TEXT_NODE ||
			    (child->type == XML_ELEMENT_NODE && !svg_element_is_dropped(child->name));
		if (!keep) {
			xmlUnlinkNode(child);
			xmlFreeNode(child);
		} else if (child->type == XML_ELEMENT_NODE) {
			sanitize_svg_attributes(child);
			sanitize_svg_children(child);
		}
		child = next;
	}
}

struct error *html_append_svg(xmlNodePtr parent, const char *svg, size_t length)
{
	if (length > (size_t)INT32_MAX)
		return error_new(ERROR_LIMIT, "the graph's SVG is larger than 2 GiB");
	xmlInitParser();
	/* No XML_PARSE_NOENT or DTDLOAD: Graphviz's DOCTYPE names an external
	 * DTD, which must not be fetched, and entities are not expanded. */
	xmlDocPtr source = xmlReadMemory(svg, (int)length, "graph.svg", NULL,
					 XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
						 XML_PARSE_NOWARNING);
	if (!source) {
		const xmlError *last = xmlGetLastError();
		char reason[256] = "not well-formed XML";
		if (last && last->message) {
			snprintf(reason, sizeof reason, "%s", last->message);
			reason[strcspn(reason, "\n")] = '\0';
		}
		return error_new(ERROR_FORMAT, "the graph's SVG cannot be read: %s", reason);
	}
	xmlNodePtr root = xmlDocGetRootElement(source);
	if (!root || strcmp((const char *)root->name, "svg") != 0) {
		xmlFreeDoc(source);
		return error_new(ERROR_FORMAT, "the graph's SVG has no <svg> root element");
	}
	xmlNodePtr copy = xmlDocCopyNode(root, parent->doc, 1);
	xmlFreeDoc(source);
	if (!copy)
		return error_new(ERROR_NO_MEMORY, "out of memory copying the graph's SVG");
	sanitize_svg_attributes(copy);
	sanitize_svg_children(copy);
	/* Graphviz writes a fixed size in points; without it, the viewBox
	 * lets CSS scale the drawing to the page. */
	xmlAttrPtr size;
	while ((size = xmlHasProp(copy, BAD_CAST "width")) != NULL)
		xmlRemoveProp(size);
	while ((size = xmlHasProp(copy, BAD_CAST "height")) != NULL)
		xmlRemoveProp(size);
	xmlAddChild(parent, copy);
	return NULL;
}
