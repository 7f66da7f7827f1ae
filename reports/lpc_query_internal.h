/* Private to the `alpcgraph lpc` renderers (lpc_query.c finds the answer,
 * lpc_query_text.c and lpc_query_json.c write it), so text and JSON always
 * answer a query with the same objects.
 *
 * The answer is read from the snapshot model only — LPC ports, queued
 * messages, threads' LPC wait fields — never from kernel structures, so a
 * transcript's `!lpc` listings and an XP/2003 dump's walk answer alike. */
#ifndef ALPCGRAPH_LPC_QUERY_INTERNAL_H
#define ALPCGRAPH_LPC_QUERY_INTERNAL_H

#include "reports.h"

struct lpc_answer {
	const struct snapshot *snapshot;
	bool found;
	/* The port blocks or list lines, in the order printed: port and scan
	 * their ports; message and thread the ports of the rundown search
	 * (each rundown port, then the ports it connects) and then the ports
	 * whose message queue holds the message. */
	struct ptr_vec ports; /* const struct port * */
	struct u64_map port_set; /* the same ports, by pointer */
	/* message and thread: the ports whose rundown queue (LpcReplyChainHead)
	 * holds a waiting thread; the first of each group in ports */
	struct u64_vec rundown_ports;
	/* message ID: the messages with that id; message alone: every one */
	struct ptr_vec messages; /* const struct message * */
	/* threads waiting for an LPC reply, and threads working on an LPC
	 * message: message ID the ones of that id; thread A that thread;
	 * thread alone every thread doing LPC */
	struct ptr_vec client_threads; /* struct thread * */
	struct ptr_vec server_threads; /* struct thread * */
	struct u64_map thread_set; /* (thread pointer << 1 | in server_threads) */
	/* message ID: how many of ports came from the rundown search (the
	 * rest hold the message in their queues) */
	size_t rundown_port_count;
};

void lpc_answer_find(struct lpc_answer *answer, const struct analysis *analysis,
		     const struct lpc_query *query);
void lpc_answer_release(struct lpc_answer *answer);

bool lpc_port_is_lpc(const struct port *port);
/* A thread that waits for an LPC reply (a reply id or a Current LPC port). */
bool lpc_thread_is_client(const struct thread *thread);
/* A thread working on a received LPC message. */
bool lpc_thread_is_server(const struct thread *thread);
/* The queued messages of the port's message queue, listed ones first;
 * *count is their number; the caller frees the array. */
const struct message **lpc_queue_messages(const struct snapshot *snapshot,
					  const struct port *port, size_t *count);

#endif
