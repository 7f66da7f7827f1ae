/* html_tree — the few libxml2 tree operations the HTML reports are made of.
 *
 * A report starts as a template from templates/: an HTML5 skeleton whose
 * empty containers are marked by id.  It is loaded into a libxml2 tree,
 * filled through these helpers and written out as UTF-8 HTML5.  Text from
 * an input only ever enters the tree as a text node or an attribute value,
 * which libxml2 escapes when it serializes; nothing here pastes markup.
 * The libxml2 2.9.14 facts this relies on are in ../shared/docs/deps.md §5. */
#ifndef ALPCGRAPH_HTML_TREE_H
#define ALPCGRAPH_HTML_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include "../src/base/error.h"

struct html_template {
	xmlDocPtr doc;
	char *path; /* the template file, named by errors about its contents */
};

/* Loads templates_dir/name and fills its <style id="style"> element with
 * templates_dir/style.css, so the page carries its own CSS. */
struct error *html_template_load(const char *templates_dir, const char *name,
				 struct html_template *template);
void html_template_release(struct html_template *template);

/* The template's element with this id, or an error naming the template
 * (a template edited by hand may have lost a container). */
struct error *html_template_element(const struct html_template *template, const char *id,
				    xmlNodePtr *element);

/* Writes the tree as HTML5 in UTF-8 to path; errors name path. */
struct error *html_template_save(const struct html_template *template, const char *path);

/* A new child element at the end of parent, holding text (NULL: empty). */
xmlNodePtr html_append_element(xmlNodePtr parent, const char *name, const char *text);
/* The same, with the text made by a printf format. */
xmlNodePtr html_append_elementf(xmlNodePtr parent, const char *name, const char *format, ...)
	PRINTF_LIKE(3, 4);
void html_append_text(xmlNodePtr parent, const char *text);
void html_append_textf(xmlNodePtr parent, const char *format, ...) PRINTF_LIKE(2, 3);
/* <a href="href">text</a> */
xmlNodePtr html_append_link(xmlNodePtr parent, const char *href, const char *text);
void html_set_attribute(xmlNodePtr element, const char *name, const char *value);

/* True for a link that stays beside the page: not empty, no scheme, not
 * absolute, no backslash.  Pages are opened from disk and attached to
 * tickets, so every link they hold must be relative. */
bool html_href_is_relative(const char *href);

/* Copies an SVG document into the page under parent.  The SVG is parsed
 * as XML without network access; its width and height are dropped so CSS
 * can scale it, its ids get an "svg-" prefix so they cannot clash with
 * the page's row anchors (its node links point at those rows), and
 * anything that could run or load something is removed: script,
 * foreignObject and similar elements, on* attributes, links that do not
 * start with '#', comments and processing instructions. */
struct error *html_append_svg(xmlNodePtr parent, const char *svg, size_t length);

#endif
