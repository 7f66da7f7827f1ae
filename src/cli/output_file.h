#ifndef ALPCGRAPH_OUTPUT_FILE_H
#define ALPCGRAPH_OUTPUT_FILE_H

#include <stdio.h>

#include "cli.h"

/* stdout when path is NULL or "-", else the file, created. */
FILE *open_output(const char *path);
/* Flushes and closes (not stdout); false with a message on a write error. */
bool close_output(FILE *file, const char *path);
/* The end of a command that rendered into out: reports render_error (and
 * frees it), closes out, and returns status, or EXIT_BAD_INPUT when the
 * rendering or the writing failed. */
int finish_output(FILE *out, const char *path, struct error *render_error, int status);

/* --format for a command that lists its inputs: text (the default) or
 * json; false, with a message naming the command, for anything else. */
bool listing_format(const char *command, const struct cli_options *options, bool *json);

/* How a listing command renders: every analysis in one JSON document, or
 * each as text; context is the command's (its query). */
struct listing {
	struct error *(*json)(FILE *out, struct analysis *const *analyses, size_t count,
			      const void *context);
	struct error *(*text)(FILE *out, const struct analysis *analysis, const void *context);
	const void *context;
};
/* Writes the analyses to --output (stdout when none) — JSON, or text with
 * a blank line between inputs — frees them, and returns the exit status
 * (EXIT_BAD_INPUT when an input was not read cleanly or the writing
 * failed). */
int write_listing(const struct cli_options *options, bool json, const struct listing *listing,
		  struct ptr_vec *analyses);

#endif
