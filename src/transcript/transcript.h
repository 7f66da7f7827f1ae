/* transcript — fills snapshots from kd/WinDbg/cdb and DbgRpc output.
 *
 * Reads logs with or without prompts ("0: kd>", "kd>", "lkd>", "0:000>",
 * "D:\>dbgrpc"), CRLF, lines wrapped by a book or blog layout, WordPress's
 * "0×", and author elisions.  It understands !process/!thread, !alpc,
 * !lpc, !rpcexts and DbgRpc output, !object, and the user-mode `|`, `~`
 * and `k` listings; any other command's output is skipped with a note.
 * Each debugger session in a file becomes its own snapshot (a capture),
 * so logs of two machines pasted together are never merged.  The formats
 * and their sources: ../shared/docs/debugger-output-formats.md and the
 * comments of each *_listing.c. */
#ifndef ALPCGRAPH_TRANSCRIPT_H
#define ALPCGRAPH_TRANSCRIPT_H

#include <stdbool.h>
#include <stddef.h>

#include "../model/model.h"

struct transcript_options {
	/* Treat every capture as the same machine (several DbgRpc runs, or a
	 * client and a server debugger of one hang): read into one snapshot. */
	bool same_machine;
};

/* Reads the file at path and appends one finished snapshot per capture to
 * captures.  An input that cannot be read at all still yields one
 * snapshot, with status error and the reason. */
void transcript_read_file(const char *path, const struct transcript_options *options,
			  struct ptr_vec *captures);
/* The same over a buffer; path names it in messages. */
void transcript_read_memory(const char *path, const char *data, size_t length,
			    const struct transcript_options *options, struct ptr_vec *captures);
/* Reads into an existing, unfinished snapshot (the same_machine case). */
void transcript_read_into(const char *path, struct snapshot *snapshot);

#endif
