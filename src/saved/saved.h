/* saved — reads alpcgraph's own JSON report back into snapshots.
 *
 * `scan --format json` (and every NN-name.json page `report` writes) is a
 * document of format_version 1 (docs/json.md); each element of its
 * "inputs" becomes one snapshot again, with the records, system facts and
 * diagnostics it was written from, so a batch of scans run on many
 * machines can be correlated and reported as one (`--from-json`).  What
 * the writer derived — waits, cycles, chains, thread activity, a port's
 * owner_pid — is not read: the correlator works it out again.
 *
 * The documents are hostile input: a size cap, a nesting limit, and every
 * value type-checked, a bad one named by its file and JSON path
 * ("x.json: inputs[0].threads[12].tid: not an integer").  Reads only the
 * model (and base). */
#ifndef ALPCGRAPH_SAVED_H
#define ALPCGRAPH_SAVED_H

#include <stddef.h>

#include "../model/model.h"

enum {
	/* Larger than the report of any dump we expect (a 64 GiB server
	 * dump's scan is a few hundred MiB), and json-c's tree of it still
	 * fits a worker process. */
	SAVED_MAX_FILE_BYTES = 1 << 30,
	/* The document nests 7 deep (inputs[].rpc.server_calls[].origin[]),
	 * chains a little deeper; anything past this is not ours. */
	SAVED_MAX_DEPTH = 24,
	/* json-c's tree costs about 120 bytes a value (a 26 MB scan of
	 * 1.47 M values peaks at 174 MB); real documents hold one value per
	 * 17-18 bytes.  2^25 values (a 560 MB document, about 4 GiB read)
	 * covers a 200,000-thread dump's scan, and a hostile file of bare
	 * commas cannot ask for more than that. */
	SAVED_MAX_VALUES = 1 << 25,
};

/* Reads the document at path and appends one finished snapshot per
 * element of its "inputs".  A file that cannot be read as a whole (absent,
 * too large, not JSON, format_version other than 1) yields one snapshot
 * with status error and the reason; a bad value inside one input is a
 * warning on that input (status partial) and is left unknown. */
void saved_read_file(const char *path, struct ptr_vec *snapshots);
/* The same over a buffer; path names it in messages. */
void saved_read_memory(const char *path, const char *data, size_t length,
		       struct ptr_vec *snapshots);
/* Reads every input of the document into one existing, unfinished
 * snapshot (--same-machine): records merge as the model merges them. */
void saved_read_into(const char *path, struct snapshot *snapshot);

#endif
