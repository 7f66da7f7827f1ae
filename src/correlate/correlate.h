/* correlate — the wait-for graph of one snapshot.
 *
 * Reads a finished snapshot (never changes it) and derives:
 *   waits:  who waits on whom — a client thread (or, for some RPC calls, a
 *           client process) through a message, port, RPC call or lock to a
 *           server process and, when the evidence names it, a server thread;
 *   cycles: thread-level strongly connected components over firm waits
 *           (definite deadlocks) and process-level ones not already
 *           explained by a thread cycle (probable, never called deadlock);
 *   chains: from each waiting thread nobody waits on, the path to its root
 *           blocker — the last thread that is not waiting on IPC.
 * Each cycle has a signature built only from image and port names, so the
 * same hang in many dumps groups into one row. */
#ifndef ALPCGRAPH_CORRELATE_H
#define ALPCGRAPH_CORRELATE_H

#include "../model/model.h"

enum wait_via {
	VIA_ALPC, /* "Waiting for reply to ALPC Message", `!alpc /m` WaitingThread */
	VIA_LPC,  /* "Waiting for reply to LPC MessageId", `!lpc message` */
	VIA_RPC,  /* an RPC call cell: caller → server call → servicing thread */
	VIA_LOCK, /* a wait object with a known owner ("Mutant - owning thread") */
};
const char *wait_via_name(enum wait_via via); /* "alpc", "lpc", "rpc", "lock" */

struct wait {
	uint32_t index; /* position in analysis.waits */
	enum wait_via via;
	/* The waiting side.  client is NULL when only a process is known (an
	 * RPC caller named by its process object); client_process is NULL
	 * when the thread's process is not known. */
	struct thread *client;
	struct process *client_process;
	/* What it waits on; any may be NULL. */
	struct message *message;
	struct port *port;
	const struct wait_object *lock;
	struct rpc_server_call *rpc_server_call;
	struct rpc_client_call *rpc_client_call;
	struct rpc_endpoint *rpc_endpoint;
	/* Who should answer; either may be NULL. */
	struct process *server_process;
	struct thread *server_thread;
	/* A weak wait is reported but can never make a definite deadlock:
	 * RPC rows with CALLID 0 or baadf00d, or a caller thread that appears
	 * in several live calls at once. */
	bool weak;
	const char *weak_reason;
	/* The client thread is itself the server of this other wait: it
	 * serves one message while waiting on another. */
	struct wait *serving;
	struct origin origin;
};

enum blocker_kind {
	BLOCKER_UNKNOWN = 0,
	BLOCKER_NOT_CAPTURED,     /* the chain ends at a thread the capture does not show */
	BLOCKER_NO_SERVER_THREAD, /* the chain ends at a process: no thread is known to serve it */
	BLOCKER_RUNNING,          /* RUNNING, READY, STANDBY: busy, not waiting */
	BLOCKER_CRITICAL_SECTION,
	BLOCKER_MUTANT,
	BLOCKER_RESOURCE,   /* executive resource / push lock */
	BLOCKER_IO,         /* pending IRP, file or device wait */
	BLOCKER_SUSPENDED,
	BLOCKER_RECEIVING,  /* waiting for work on a port: an idle server */
	BLOCKER_OBJECT,     /* waiting on an event, semaphore, timer, … */
	BLOCKER_CYCLE,      /* the chain runs into a cycle */
	BLOCKER_WAITING_REPLY, /* waits for an IPC reply: not a root, the chain goes on */
};
const char *blocker_kind_name(enum blocker_kind kind);        /* "critical_section", … */
const char *blocker_kind_description(enum blocker_kind kind); /* "blocked on a critical section" */

struct root_blocker {
	enum blocker_kind kind;
	struct thread *thread;   /* NULL when the chain ends at a process */
	struct process *process;
	const char *detail;      /* e.g. "ntdll!RtlpWaitOnCriticalSection", "WrResource" */
	const struct wait_object *object; /* the object waited on, when one is the reason */
};

struct chain {
	struct ptr_vec waits;    /* struct wait *, from the head to the root */
	struct root_blocker root;
	struct cycle *cycle;     /* the cycle the chain runs into, if any */
};

enum cycle_kind { CYCLE_THREAD, CYCLE_PROCESS };

struct cycle {
	enum cycle_kind kind;
	bool definite; /* thread cycles over firm waits only */
	/* struct thread * (thread cycles) or struct process * (process
	 * cycles), in the order the waits run, starting at the member with
	 * the smallest signature key so that output is stable. */
	struct ptr_vec members;
	struct ptr_vec waits;   /* struct wait *: waits[i] runs from members[i] */
	const char *signature;  /* "svchost.exe[\RPC Control\X] -> lsass.exe[…] -> …" */
	const char *signature_id; /* 16 hex digits of a hash of signature */
};

struct analysis {
	struct snapshot *snapshot;
	struct arena arena;
	struct ptr_vec waits;   /* struct wait * */
	struct ptr_vec cycles;  /* struct cycle *: definite first, then probable */
	struct ptr_vec chains;  /* struct chain *: longest first */
	/* threads that wait, or serve a wait: the wait subgraph */
	struct u64_map involved_threads;   /* key: (uintptr_t)thread */
	struct u64_map involved_processes; /* key: (uintptr_t)process */
	struct u64_map involved_ports;     /* key: (uintptr_t)port */
};

struct analysis *analyze(struct snapshot *snapshot);
void analysis_free(struct analysis *analysis);

size_t analysis_count_definite(const struct analysis *analysis);
bool analysis_thread_involved(const struct analysis *analysis, const struct thread *thread);
bool analysis_process_involved(const struct analysis *analysis, const struct process *process);
bool analysis_port_involved(const struct analysis *analysis, const struct port *port);

/* What a thread is doing, judged from its state, wait objects and stack:
 * the same judgement that names a chain's root blocker. */
struct root_blocker classify_thread(const struct snapshot *snapshot, struct thread *thread);

/* The image name of a thread's or process's process, or NULL. */
const char *thread_image(const struct snapshot *snapshot, const struct thread *thread);

#endif
