#ifndef ALPCGRAPH_REPORT_PAGES_H
#define ALPCGRAPH_REPORT_PAGES_H

#include <stdio.h>

#include "cli.h"

/* One unit of report work: an input file (or, with --same-machine, all of
 * them) and the name its pages start with. */
struct report_item {
	char **files;
	size_t file_count;
	char page_base[128]; /* "03-hang.txt": unique per item, safe in a file name */
};

/* Writes the JSON, DOT, SVG and HTML of every capture of the item into
 * folder and one page summary per capture to summaries.  Returns 0, or
 * EXIT_BAD_INPUT when an input or a rendering had problems. */
int write_item_pages(const struct report_item *item, const char *folder,
		     const struct cli_options *options, FILE *summaries);

/* "03-hang.txt" from the item number and the input's file name. */
void name_item(struct report_item *item, size_t number, const char *path);

#endif
