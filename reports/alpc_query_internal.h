/* Private to the `alpcgraph alpc` renderers (alpc_query.c finds the
 * answer, alpc_query_text.c and alpc_query_json.c write it), so text and
 * JSON always answer a query with the same objects.
 *
 * The answer is read from the snapshot model only — ports, messages,
 * connection lines, threads' wait fields — never from kernel structures,
 * so a transcript's `!alpc` listings and a dump's walk answer alike. */
#ifndef ALPCGRAPH_ALPC_QUERY_INTERNAL_H
#define ALPCGRAPH_ALPC_QUERY_INTERNAL_H

#include "reports.h"

/* One line of `!alpc /lpp` or `/lpc`: a server communication port and the
 * client communication port connected to it under a connection port,
 * merged from the snapshot's connection records and from the ports'
 * own CommunicationInfo, whichever the input had. */
struct alpc_link {
	maybe_u64 connection_port;
	maybe_u64 server_port;
	maybe_u64 client_port;
	maybe_u64 server_queued;
	maybe_u64 client_queued;
	maybe_u64 server_process;
	maybe_u64 client_process;
};

struct alpc_links {
	struct alpc_link *items;
	size_t count, capacity;
};

/* A connection port the process created, with its connection lines. */
struct alpc_created_port {
	const struct port *port;
	struct alpc_links links;
};

struct alpc_answer {
	const struct analysis *analysis;
	const struct snapshot *snapshot;
	bool found;
	/* --port: the port; --connections: the connection port asked for,
	 * or the one a communication port belongs to */
	const struct port *port;
	maybe_u64 port_address;
	/* --message: every message matching the address or id; when no
	 * record does, one stand-in per thread whose wait line names it,
	 * holding what that line says (address or LPC id, queue port, owner,
	 * the waiting thread) */
	struct ptr_vec messages; /* const struct message * */
	struct message *stand_ins;
	/* --process */
	const struct process *process;
	maybe_u64 process_address;
	struct alpc_created_port *created;
	size_t created_count;
	struct alpc_links connected_to;
	/* --connections: the lines under answer.port (or port_address) */
	struct alpc_links links;
	/* --waiters: ALPC and LPC waits with a client thread, by pid, tid */
	struct ptr_vec waits; /* const struct wait * */
};

void alpc_answer_find(struct alpc_answer *answer, const struct analysis *analysis,
		      const struct alpc_query *query);
void alpc_answer_release(struct alpc_answer *answer);

/* The messages a queue of the port holds: the ones the port lists and the
 * ones whose QueuePort and QueueType name it.  *count is their number. */
const struct message **alpc_queue_messages(const struct snapshot *snapshot,
					   const struct port *port, enum queue_kind queue,
					   size_t *count);

/* What /lpp prints beside a port: main + large message + pending queue
 * lengths, known only when all three are. */
maybe_u64 alpc_port_queued(const struct port *port);

/* The name of the connection port a port belongs to (its own name for a
 * connection port), or NULL. */
const char *alpc_port_name(const struct snapshot *snapshot, maybe_u64 port_address);

#endif
