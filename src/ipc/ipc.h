/* ipc — fills snapshots from memory images.
 *
 * A dump becomes the same snapshot a transcript gives (../model/model.h),
 * so the correlator and the renderers need not know where facts came from.
 * First the machine's identity: format, dump type, architecture, paging,
 * build and PDB, the structure profile chosen and why, DTB, kernel base,
 * list heads, bugcheck, times (dump_snapshot.c).  Read for its IPC state,
 * a Vista+ dump then gives its processes, threads, ALPC ports, messages,
 * connections and reply waits (dump_kernel.c, processes.c, alpc.c, from
 * src/kernel's walks); an XP/2003 dump its LPC ports, queued messages,
 * reply waits and served messages (lpc.c).  What is not read (RPC cells:
 * a note) is said, never shown by looking empty. */
#ifndef ALPCGRAPH_IPC_H
#define ALPCGRAPH_IPC_H

#include "../kernel/kernel.h"
#include "../model/model.h"

enum dump_reading {
	READ_IDENTITY,  /* `alpcgraph info`: what machine this is */
	READ_IPC_STATE, /* report/scan/graph/cycles: the hang */
};

struct dump_read_options {
	enum dump_open_format format; /* DUMP_DETECT, or DUMP_FORCE_RAW */
	enum dump_reading reading;
	const char *profile_path;     /* --profile FILE: a Volatility 3 ISF file, or NULL */
	bool pool_search;             /* --pool-search: scan physical memory for pool tags too */
};

/* Appends one finished snapshot for the dump at path (status error, with
 * the reason, when it cannot be opened). */
void ipc_read_dump(const char *path, const struct dump_read_options *options,
		   struct ptr_vec *snapshots);

#endif
