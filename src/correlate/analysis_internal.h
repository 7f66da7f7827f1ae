/* Shared between the correlator's files; not part of its public face. */
#ifndef ALPCGRAPH_ANALYSIS_INTERNAL_H
#define ALPCGRAPH_ANALYSIS_INTERNAL_H

#include "correlate.h"

struct wait *analysis_add_wait(struct analysis *analysis, enum wait_via via, struct origin at);

/* The record at a non-zero address, or NULL: WinDbg prints 0 for "none". */
struct thread *thread_at(const struct snapshot *snapshot, maybe_u64 address);
struct process *process_at(const struct snapshot *snapshot, maybe_u64 address);
struct port *port_at(const struct snapshot *snapshot, maybe_u64 address);

void add_ipc_waits(struct analysis *analysis);  /* ALPC and LPC */
void add_lock_waits(struct analysis *analysis);
void add_rpc_waits(struct analysis *analysis);
void find_cycles(struct analysis *analysis);
void find_chains(struct analysis *analysis);

#endif
