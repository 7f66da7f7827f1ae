/* Inside the ipc room: what the dump readers share. */
#ifndef ALPCGRAPH_IPC_INTERNAL_H
#define ALPCGRAPH_IPC_INTERNAL_H

#include "ipc.h"

/* The processes and threads the walks found, kept for the ALPC census
 * (handle tables, owner checks, ETHREAD.AlpcMessage). */
struct walked_kernel {
	struct kernel_process *processes;
	size_t process_count, process_capacity;
	struct kernel_thread *threads;
	size_t thread_count, thread_capacity;
};
void walked_kernel_release(struct walked_kernel *walked);

static inline struct origin origin_virtual(uint64_t address)
{
	return (struct origin){ ORIGIN_VIRTUAL, 0, address };
}

/* A struct kernel_warnings sink whose context is the snapshot. */
void ipc_forward_warning(void *context, uint64_t address, const char *text);

/* Processes and threads (processes.c): state and wait reason names as
 * WinDbg prints them, wait objects with a mutant's owner. */
void ipc_read_processes(struct snapshot *snapshot, struct kernel *kernel, uint32_t build,
			struct walked_kernel *walked);

/* ALPC ports, messages, connections and reply waits (alpc.c). */
void ipc_read_alpc(struct snapshot *snapshot, struct kernel *kernel, const struct kernel_reader *reader,
		   const struct kernel_alpc_sources *sources, const struct walked_kernel *walked);

/* LPC ports, messages, reply waits and served messages (lpc.c; XP and
 * 2003). */
void ipc_read_lpc(struct snapshot *snapshot, struct kernel *kernel, const struct kernel_reader *reader,
		  const struct kernel_lpc_sources *sources, const struct walked_kernel *walked);

/* Everything past the identity (dump_kernel.c), through the profile
 * chosen (none: a warning with choice's reason): the walks, ALPC; what
 * cannot be read is a warning, the identity stays. */
void ipc_read_kernel_state(struct snapshot *snapshot, struct physical_memory *memory,
			   const struct os_identity *os, const struct dump_read_options *options,
			   const struct profile_choice *choice);

#endif
