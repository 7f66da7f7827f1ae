/* What the scenario files share: calls that forge an object and write
 * down, in the scenario's facts, what a reader should find.  The
 * contract is forge_scenarios.h. */
#ifndef ALPCGRAPH_FORGE_SCENARIO_BUILDER_H
#define ALPCGRAPH_FORGE_SCENARIO_BUILDER_H

#include "forge_scenarios.h"

/* PORT_ALL_ACCESS: STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | PORT_CONNECT
 * (phnt ntlpcapi.h). */
#define SCENARIO_PORT_ACCESS 0x1f0001u
/* LPC_REQUEST in PORT_MESSAGE.u2.s2.Type (phnt ntlpcapi.h, LPC_TYPE). */
#define SCENARIO_LPC_REQUEST 1

struct scenario {
	struct forge_windows *w;
	struct forge_scenario_facts *facts;
	size_t process_room, thread_room, port_room, message_room, wait_room, cycle_room;
	uint32_t next_message_id;
};

void scenario_begin(struct scenario *s, struct forge_windows *w, const char *name);
struct forge_scenario_facts *scenario_end(struct scenario *s);

/* A process with a level-0 handle table (levels: forge_process_spec). */
uint64_t scenario_process(struct scenario *s, uint64_t pid, const char *image);
uint64_t scenario_process_levels(struct scenario *s, uint64_t pid, const char *image, unsigned levels);
/* A thread not waiting for anything a reader should report. */
uint64_t scenario_thread(struct scenario *s, uint64_t eprocess, uint64_t tid, unsigned state,
			 unsigned wait_reason);
/* A named (or unnamed) connection port with a handle in its owner's table. */
uint64_t scenario_listen(struct scenario *s, uint64_t eprocess, const char *name);
/* A connection: both communication ports, each with a handle in its
 * owner's table. */
void scenario_connect(struct scenario *s, uint64_t client_eprocess, uint64_t connection_port,
		      uint64_t *client_port, uint64_t *server_port);
/* thread (WrLpcReceive) waits for messages on port. */
void scenario_receive(struct scenario *s, uint64_t port, uint64_t thread);

struct scenario_request {
	uint64_t waiting_thread;       /* 0: nobody */
	uint64_t owner_port;           /* the client communication port */
	uint64_t queue_port;
	enum forge_alpc_queue queue;
	uint64_t server_thread;
	bool canceled;
	uint32_t id;                   /* 0: the next of the scenario's ids */
	uint32_t callback_id;
	int32_t sequence_no;
	uint16_t data_length, total_length;
};
/* The message; the waiting thread's wait and the expected wait edge are
 * written down (the thread must have been made Waiting by the caller). */
uint64_t scenario_request(struct scenario *s, const struct scenario_request *request);
/* waiter waits on a mutant owner owns: the mutant. */
uint64_t scenario_mutant_wait(struct scenario *s, uint64_t waiter, uint64_t owner, const char *name);
/* An expected cycle through the waiting threads given (their processes
 * in order); definite when every edge is. */
void scenario_cycle(struct scenario *s, const uint64_t *threads, size_t count);

/* Facts being written, found by address (NULL when absent). */
struct forge_scenario_port *scenario_port_facts(struct scenario *s, uint64_t port);
struct forge_scenario_thread *scenario_thread_facts(struct scenario *s, uint64_t ethread);
const struct forge_scenario_process *scenario_process_facts(struct scenario *s, uint64_t eprocess);
/* A string the facts own. */
const char *scenario_string(struct scenario *s, const char *text);

#endif
