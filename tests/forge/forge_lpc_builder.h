/* What the LPC scenario files share: calls that forge an LPC object with
 * forge_lpc.c and write down, in the scenario's facts, what a reader must
 * find (the contract is forge_scenarios.h, "LPC scenarios"). */
#ifndef ALPCGRAPH_FORGE_LPC_BUILDER_H
#define ALPCGRAPH_FORGE_LPC_BUILDER_H

#include "forge_scenario_builder.h"

struct lpc_scenario {
	struct scenario s;  /* processes, threads, waits, cycles */
	size_t port_room, message_room, thread_room, line_room;
	/* a replay sets its ports' semaphore_state itself; otherwise
	 * lpc_end makes it the port's message count */
	bool keep_semaphores;
};

void lpc_begin(struct lpc_scenario *l, struct forge_windows *w, const char *name);
/* Counts what the facts derive (queues, reply chains, who waits for
 * which message, handles and references, expected waits) and returns
 * them. */
struct forge_scenario_facts *lpc_end(struct lpc_scenario *l);
/* lpc_end, then the expected cycle through the waiting threads given. */
struct forge_scenario_facts *lpc_end_with_cycle(struct lpc_scenario *l, const uint64_t *threads, size_t count);

/* A server connection port (Flags 1) with a handle in owner's table. */
uint64_t lpc_listen(struct lpc_scenario *l, uint64_t owner, const char *name);
/* The same as a "WaitablePort" (Flags 0x20000001). */
uint64_t lpc_listen_waitable(struct lpc_scenario *l, uint64_t owner, const char *name);
/* client_thread connects to connection_port: a client communication port
 * (Flags 4, or flags when not 0) in the thread's process and a server
 * communication port (Flags 3) in the listener's, each with a handle. */
void lpc_pair(struct lpc_scenario *l, uint64_t client_thread, uint64_t connection_port, uint32_t flags,
	      uint64_t *client_port, uint64_t *server_port);
/* An unconnected port (Flags 2: a client port whose connection never
 * completed), with a handle in owner's table. */
uint64_t lpc_unconnected(struct lpc_scenario *l, uint64_t owner_thread);

struct lpc_request {
	uint64_t queue_port;    /* whose ReceiveHead holds it; 0: none */
	uint64_t sender_port;
	uint64_t client_pid, client_tid;
	uint32_t id;            /* 0: the scenario's next id */
	uint16_t type;          /* 0: LPC_REQUEST */
	uint32_t context;
	uint16_t data_length, total_length; /* 0: the words given, and the header */
	uint32_t data[6];
	size_t data_words;
	bool pool_only;
};
uint64_t lpc_message(struct lpc_scenario *l, const struct lpc_request *request);
/* thread sent message id through client_port and waits for the reply:
 * its LpcReplyChain on the server communication port's LpcReplyChainHead
 * (ReactOS ntoskrnl/lpc/send.c NtRequestWaitReplyPort: the thread on
 * ReplyPort's chain, LpcWaitingOnPort the port it sent through; §3.1's
 * `!lpc message` finds the thread in the server communication port's
 * rundown queue).  Made Waiting, WrLpcReply. */
void lpc_wait_reply(struct lpc_scenario *l, uint64_t thread, uint64_t client_port, uint32_t id);
/* thread (a server's) received message id. */
void lpc_received(struct lpc_scenario *l, uint64_t thread, uint32_t id);
/* The thread's facts, made on first use. */
struct forge_scenario_lpc_thread *lpc_thread_facts(struct lpc_scenario *l, uint64_t ethread);
struct forge_scenario_lpc_port *lpc_port_facts(struct lpc_scenario *l, uint64_t port);
/* Sets a port's object-header counts (!lpc's Handles and References). */
void lpc_set_counts(struct lpc_scenario *l, uint64_t port, uint32_t handles, uint32_t references);
/* A port's Flags, written and in its facts. */
void lpc_set_flags(struct lpc_scenario *l, uint64_t port, uint32_t flags);
/* The next message id. */
uint32_t lpc_next_id(struct lpc_scenario *l);

#endif
