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

#endif
