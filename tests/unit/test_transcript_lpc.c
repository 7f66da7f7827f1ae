/* The transcript scanner on XP/2003 `!lpc` output: the port list with its
 * flags column and unnamed ports, port detail blocks with their message
 * queues, `!lpc message`, `!lpc thread` and `!lpc scan` (MS docs -lpc.md
 * as quoted in debugger-output-formats.md §3.1).  Inputs are invented in
 * those layouts. */
#include <stdint.h>
#include <string.h>

#include "transcript_helpers.h"
#include "../../src/correlate/correlate.h"

static void port_list_with_flags_and_unnamed_ports(void)
{
	struct snapshot *s = scan(
		"kd> !lpc port\n"                                                                            /* 1 */
		"Scanning 118 objects\n"                                                                     /* 2 */
		"       1  Port: 0xe1a05650 Connection: 0xe1a05650  Communication: 0x00000000  'LedgerCommandPort'\n"
		"       1  Port: 0xe1b1ef50 Connection: 0xe1b1ef50  Communication: 0x00000000  'BillingApiPort'\n"
		"       3  Port: 0xe13f8830 Connection: 0xe1b1ef50  Communication: 0xe13f8910  '\n"         /* 5 */
		"80000004  Port: 0xe13f8910 Connection: 0xe1b1ef50  Communication: 0xe13f8830  '\n"         /* 6 */
		"       2  Port: 0xe1c22a08 Connection: 0x00000000  Communication: 0x00000000  '\n"         /* 7 */
		"80000001  Port: 0\xc3\x97" "e1d4a110 Connection: 0\xc3\x97" "e1d4a110  Communication: 0\xc3\x97"
		"00000000  'Audit Port'\n");                                                                /* 8 */
	CU_ASSERT_EQUAL(s->ports.count, 6);
	struct port *command = port_at_address(s, 0xe1a05650);
	CU_ASSERT_EQUAL(command->flavor, FLAVOR_LPC);
	CU_ASSERT_EQUAL(command->kind, PORT_LPC_SERVER_CONNECTION);
	CU_ASSERT_KNOWN_EQUAL(command->lpc_flags, 1);
	CU_ASSERT_STRING_EQUAL_OR_NULL(command->name, "LedgerCommandPort");
	CU_ASSERT_KNOWN_EQUAL(command->connection_port, 0xe1a05650);
	CU_ASSERT_FALSE(command->connected_port.known);
	CU_ASSERT_EQUAL(command->origin.at[0].at, 3);

	struct port *server = port_at_address(s, 0xe13f8830);
	CU_ASSERT_EQUAL(server->kind, PORT_LPC_SERVER_COMMUNICATION);
	CU_ASSERT_KNOWN_EQUAL(server->lpc_flags, 3);
	CU_ASSERT_PTR_NULL(server->name);
	CU_ASSERT_KNOWN_EQUAL(server->connection_port, 0xe1b1ef50);
	CU_ASSERT_KNOWN_EQUAL(server->connected_port, 0xe13f8910);
	CU_ASSERT_EQUAL(server->origin.at[0].at, 5);

	struct port *client = port_at_address(s, 0xe13f8910);
	CU_ASSERT_EQUAL(client->kind, PORT_LPC_CLIENT_COMMUNICATION);
	CU_ASSERT_KNOWN_EQUAL(client->lpc_flags, 0x80000004);
	CU_ASSERT_PTR_NULL(client->name);
	CU_ASSERT_KNOWN_EQUAL(client->connection_port, 0xe1b1ef50);
	CU_ASSERT_KNOWN_EQUAL(client->connected_port, 0xe13f8830);
	CU_ASSERT_EQUAL(client->origin.at[0].at, 6);

	struct port *unconnected = port_at_address(s, 0xe1c22a08);
	CU_ASSERT_EQUAL(unconnected->kind, PORT_LPC_UNCONNECTED_COMMUNICATION);
	CU_ASSERT_FALSE(unconnected->connection_port.known);
	CU_ASSERT_FALSE(unconnected->connected_port.known);
	CU_ASSERT_PTR_NULL(unconnected->name);

	/* A WordPress copy: "0×" in every address; a name with a blank. */
	struct port *audit = port_at_address(s, 0xe1d4a110);
	CU_ASSERT_EQUAL(audit->kind, PORT_LPC_SERVER_CONNECTION);
	CU_ASSERT_KNOWN_EQUAL(audit->lpc_flags, 0x80000001);
	CU_ASSERT_STRING_EQUAL_OR_NULL(audit->name, "Audit Port");
	CU_ASSERT_EQUAL(audit->origin.at[0].at, 8);

	CU_ASSERT_STRING_EQUAL_OR_NULL(s->system.arch, "x86");
	CU_ASSERT_KNOWN_EQUAL(s->system.lpc_objects_scanned, 118);
	CU_ASSERT_EQUAL(s->processes.count, 0);
	CU_ASSERT_EQUAL(s->messages.count, 0);
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);
}

static const char server_connection_port[] =
	"kd> !lpc port 0xe1b1ef50\n"                                                                    /* 1 */
	"\n"                                                                                             /* 2 */
	"Server connection port e1b1ef50  Name: BillingApiPort\n"                                        /* 3 */
	" Handles: 1   References: 42\n"                                                                /* 4 */
	"    Server process  : 8a612d88 (ledger.exe)\n"                                                 /* 5 */
	"    Queue semaphore : 8a5f3a10\n"                                                              /* 6 */
	" Semaphore state 0 (0x0)\n"                                                                    /* 7 */
	"        Messages in queue:\n"                                                                  /* 8 */
	" 0000 e2a19b80 - Busy  Id=0004a1b2  From: 0f2c.0d10  Context=00000021  [e1b1ef60 . e1b1ef60]\n" /* 9 */
	" Length=0098007c  Type=00000001 (LPC_REQUEST)\n"                                               /* 10 */
	"                   Data: 00000000 0002021e 00000f2c 00000d10 002f0001 00000007\n"              /* 11 */
	" 0001 e2a1c2a8 - Busy  Id=0004a1c0  From: 0f2c.0d14  Context=00000021  [e2a19b80 . e1b1ef60]\n" /* 12 */
	" Length=0030000c  Type=00000003 (LPC_DATAGRAM)\n"                                              /* 13 */
	"                   Data: 00000001 00000000 00000000\n"                                         /* 14 */
	"    The message queue contains 2 messages\n"                                                   /* 15 */
	"    The LpcDataInfoChainHead queue is empty\n";                                                /* 16 */

static void port_detail_with_queued_messages(void)
{
	struct snapshot *s = scan(server_connection_port);
	struct port *p = port_at_address(s, 0xe1b1ef50);
	CU_ASSERT_EQUAL(p->flavor, FLAVOR_LPC);
	CU_ASSERT_EQUAL(p->kind, PORT_LPC_SERVER_CONNECTION);
	CU_ASSERT_STRING_EQUAL_OR_NULL(p->name, "BillingApiPort");
	CU_ASSERT_KNOWN_EQUAL(p->handles, 1);
	CU_ASSERT_KNOWN_EQUAL(p->references, 42);
	CU_ASSERT_KNOWN_EQUAL(p->owner_process, 0x8a612d88);
	CU_ASSERT_KNOWN_EQUAL(p->queue_semaphore, 0x8a5f3a10);
	CU_ASSERT_KNOWN_EQUAL(p->semaphore_state, 0);
	CU_ASSERT_KNOWN_EQUAL(p->queues[QUEUE_LPC_MESSAGES].length, 2);
	CU_ASSERT_EQUAL_FATAL(p->queues[QUEUE_LPC_MESSAGES].messages.count, 2);
	CU_ASSERT_EQUAL(p->queues[QUEUE_LPC_MESSAGES].messages.items[0], 0xe2a19b80);
	CU_ASSERT_EQUAL(p->queues[QUEUE_LPC_MESSAGES].messages.items[1], 0xe2a1c2a8);
	CU_ASSERT_KNOWN_EQUAL(p->queues[QUEUE_LPC_DATA_INFO].length, 0);
	CU_ASSERT_EQUAL(p->origin.at[0].at, 3);
	struct process *ledger = process_at_address(s, 0x8a612d88);
	CU_ASSERT_STRING_EQUAL_OR_NULL(ledger->image, "ledger.exe");
	CU_ASSERT_FALSE(ledger->pid.known);

	CU_ASSERT_EQUAL(s->messages.count, 2);
	struct message *request = message_at_address(s, 0xe2a19b80);
	CU_ASSERT_EQUAL(request->flavor, FLAVOR_LPC);
	CU_ASSERT_KNOWN_EQUAL(request->id, 0x4a1b2);
	CU_ASSERT_STRING_EQUAL_OR_NULL(request->lpc_state, "Busy");
	CU_ASSERT_KNOWN_EQUAL(request->client_pid, 0xf2c);
	CU_ASSERT_KNOWN_EQUAL(request->client_tid, 0xd10);
	CU_ASSERT_KNOWN_EQUAL(request->lpc_context, 0x21);
	/* PORT_MESSAGE u1: DataLength low word, TotalLength high word. */
	CU_ASSERT_KNOWN_EQUAL(request->data_length, 0x7c);
	CU_ASSERT_KNOWN_EQUAL(request->total_length, 0x98);
	CU_ASSERT_STRING_EQUAL_OR_NULL(request->type, "LPC_REQUEST");
	CU_ASSERT_KNOWN_EQUAL(request->type_number, 1);
	CU_ASSERT_KNOWN_EQUAL(request->lpc_flink, 0xe1b1ef60);
	CU_ASSERT_KNOWN_EQUAL(request->lpc_blink, 0xe1b1ef60);
	CU_ASSERT_EQUAL_FATAL(request->lpc_data_count, 6);
	CU_ASSERT_EQUAL(request->lpc_data[0], 0);
	CU_ASSERT_EQUAL(request->lpc_data[1], 0x2021e);
	CU_ASSERT_EQUAL(request->lpc_data[2], 0xf2c);
	CU_ASSERT_EQUAL(request->lpc_data[3], 0xd10);
	CU_ASSERT_EQUAL(request->lpc_data[4], 0x2f0001);
	CU_ASSERT_EQUAL(request->lpc_data[5], 7);
	CU_ASSERT_EQUAL(request->queue, QUEUE_LPC_MESSAGES);
	CU_ASSERT_KNOWN_EQUAL(request->queue_port, 0xe1b1ef50);
	CU_ASSERT_KNOWN_EQUAL(request->queue_port_owner, 0x8a612d88);
	CU_ASSERT_EQUAL(request->origin.at[0].at, 9);
	CU_ASSERT_PTR_EQUAL(lpc_message(s, 0x4a1b2), request);

	struct message *datagram = message_at_address(s, 0xe2a1c2a8);
	CU_ASSERT_KNOWN_EQUAL(datagram->id, 0x4a1c0);
	CU_ASSERT_STRING_EQUAL_OR_NULL(datagram->type, "LPC_DATAGRAM");
	CU_ASSERT_KNOWN_EQUAL(datagram->type_number, 3);
	CU_ASSERT_KNOWN_EQUAL(datagram->lpc_flink, 0xe2a19b80);
	CU_ASSERT_KNOWN_EQUAL(datagram->lpc_blink, 0xe1b1ef60);
	/* a Data: line of three words keeps three */
	CU_ASSERT_EQUAL_FATAL(datagram->lpc_data_count, 3);
	CU_ASSERT_EQUAL(datagram->lpc_data[0], 1);
	CU_ASSERT_EQUAL(datagram->lpc_data[2], 0);
	CU_ASSERT_KNOWN_EQUAL(datagram->data_length, 0xc);
	CU_ASSERT_KNOWN_EQUAL(datagram->total_length, 0x30);
	CU_ASSERT_KNOWN_EQUAL(datagram->client_tid, 0xd14);

	/* The sender of a request waits for its reply; a datagram's does not. */
	struct thread *sender = thread_with_cid(s, 0xf2c, 0xd10);
	CU_ASSERT_KNOWN_EQUAL(sender->lpc_wait_message_id, 0x4a1b2);
	CU_ASSERT_FALSE(sender->address.known);
	CU_ASSERT_PTR_NULL(snapshot_find_thread_by_cid(s, 0xf2c, 0xd14));
	CU_ASSERT_EQUAL(s->threads.count, 1);
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);

	struct analysis *a = analyze(s);
	CU_ASSERT_EQUAL_FATAL(a->waits.count, 1);
	const struct wait *w = a->waits.items[0];
	CU_ASSERT_EQUAL(w->via, VIA_LPC);
	CU_ASSERT_PTR_EQUAL(w->client, sender);
	CU_ASSERT_PTR_EQUAL(w->message, request);
	CU_ASSERT_PTR_EQUAL(w->port, p);
	CU_ASSERT_PTR_EQUAL(w->server_process, ledger);
	CU_ASSERT_PTR_NULL(w->server_thread);
	analysis_free(a);
}

/* Two queue entries with one id at two addresses (a request and its
 * reply carry one MessageId; a hostile listing can repeat one) are two
 * messages: each keeps its own address, sender, context and links, and
 * the id names the first. */
static const char same_id_twice[] =
	"kd> !lpc port e14ae238\n"
	"\n"
	"Server connection port e14ae238  Name: ApiPort\n"
	"        Messages in queue:\n"
	" 0000 e20d9b80 - Busy  Id=0002249c  From: 0584.0680  Context=00000021  [e20d9c80 . e14ae248]\n"
	" Length=0098007c  Type=00000001 (LPC_REQUEST)\n"
	" 0001 e20d9c80 - Free  Id=0002249c  From: 0590.0690  Context=00000022  [e14ae248 . e20d9b80]\n"
	" Length=0030000c  Type=00000002 (LPC_REPLY)\n"
	"    The message queue contains 2 messages\n";

static void one_id_at_two_addresses_is_two_messages(void)
{
	struct snapshot *s = scan(same_id_twice);
	CU_ASSERT_EQUAL_FATAL(s->messages.count, 2);
	struct message *first = message_at_address(s, 0xe20d9b80);
	struct message *second = message_at_address(s, 0xe20d9c80);
	CU_ASSERT_PTR_NOT_EQUAL(first, second);
	CU_ASSERT_KNOWN_EQUAL(first->id, 0x2249c);
	CU_ASSERT_KNOWN_EQUAL(first->address, 0xe20d9b80);
	CU_ASSERT_STRING_EQUAL_OR_NULL(first->lpc_state, "Busy");
	CU_ASSERT_KNOWN_EQUAL(first->client_pid, 0x584);
	CU_ASSERT_KNOWN_EQUAL(first->client_tid, 0x680);
	CU_ASSERT_KNOWN_EQUAL(first->lpc_context, 0x21);
	CU_ASSERT_KNOWN_EQUAL(first->lpc_flink, 0xe20d9c80);
	CU_ASSERT_KNOWN_EQUAL(first->type_number, 1);
	CU_ASSERT_KNOWN_EQUAL(first->total_length, 0x98);
	CU_ASSERT_KNOWN_EQUAL(second->id, 0x2249c);
	CU_ASSERT_KNOWN_EQUAL(second->address, 0xe20d9c80);
	CU_ASSERT_STRING_EQUAL_OR_NULL(second->lpc_state, "Free");
	CU_ASSERT_KNOWN_EQUAL(second->client_pid, 0x590);
	CU_ASSERT_KNOWN_EQUAL(second->client_tid, 0x690);
	CU_ASSERT_KNOWN_EQUAL(second->lpc_context, 0x22);
	CU_ASSERT_KNOWN_EQUAL(second->lpc_flink, 0xe14ae248);
	CU_ASSERT_KNOWN_EQUAL(second->type_number, 2);
	CU_ASSERT_STRING_EQUAL_OR_NULL(second->type, "LPC_REPLY");
	CU_ASSERT_KNOWN_EQUAL(second->total_length, 0x30);
	CU_ASSERT_PTR_EQUAL(lpc_message(s, 0x2249c), first);
	/* the request's sender waits; the reply's does not */
	CU_ASSERT_KNOWN_EQUAL(thread_with_cid(s, 0x584, 0x680)->lpc_wait_message_id, 0x2249c);
	CU_ASSERT_PTR_NULL(snapshot_find_thread_by_cid(s, 0x590, 0x690));
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);
}

static void communication_ports_and_their_links(void)
{
	struct snapshot *s = scan(
		"kd> !lpc port e13f8830\n"
		"\n"
		"Server communication port 0xe13f8830\n"                                        /* 3 */
		"    Handles: 1   References: 1\n"
		"    The LpcDataInfoChainHead queue is empty\n"
		"        Connected port: 0xe13f8910      Server connection port: 0xe1b1ef50\n"  /* 6 */
		"kd> !lpc port e13f8910\n"
		"\n"
		"Client communication port 0xe13f8910\n"                                        /* 9 */
		"    Handles: 1   References: 10\n"
		"    The LpcDataInfoChainHead queue contains 3 messages\n"
		"        Connected port: 0xe13f8830      Server connection port: 0xe1b1ef50\n");
	struct port *server = port_at_address(s, 0xe13f8830);
	CU_ASSERT_EQUAL(server->kind, PORT_LPC_SERVER_COMMUNICATION);
	CU_ASSERT_KNOWN_EQUAL(server->handles, 1);
	CU_ASSERT_KNOWN_EQUAL(server->references, 1);
	CU_ASSERT_KNOWN_EQUAL(server->queues[QUEUE_LPC_DATA_INFO].length, 0);
	CU_ASSERT_FALSE(server->queues[QUEUE_LPC_MESSAGES].length.known);
	CU_ASSERT_KNOWN_EQUAL(server->connected_port, 0xe13f8910);
	CU_ASSERT_KNOWN_EQUAL(server->connection_port, 0xe1b1ef50);
	CU_ASSERT_EQUAL(server->origin.at[0].at, 3);
	struct port *client = port_at_address(s, 0xe13f8910);
	CU_ASSERT_EQUAL(client->kind, PORT_LPC_CLIENT_COMMUNICATION);
	CU_ASSERT_KNOWN_EQUAL(client->references, 10);
	CU_ASSERT_KNOWN_EQUAL(client->queues[QUEUE_LPC_DATA_INFO].length, 3);
	CU_ASSERT_KNOWN_EQUAL(client->connected_port, 0xe13f8830);
	CU_ASSERT_KNOWN_EQUAL(client->connection_port, 0xe1b1ef50);
	CU_ASSERT_EQUAL(client->origin.at[0].at, 6);
	CU_ASSERT_EQUAL(client->origin.at[1].at, 9);
	struct port *connection = port_at_address(s, 0xe1b1ef50);
	CU_ASSERT_EQUAL(connection->kind, PORT_LPC_SERVER_CONNECTION);
	CU_ASSERT_EQUAL(connection->flavor, FLAVOR_LPC);
	CU_ASSERT_PTR_NULL(connection->name);
	CU_ASSERT_FALSE(connection->owner_process.known);
	CU_ASSERT_EQUAL(s->ports.count, 3);
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);
}

static const char message_search[] =
	"kd> !lpc message 4a1b2\n"                                                       /* 1 */
	"Searching message 4a1b2 in threads ...\n"                                      /* 2 */
	"Client thread 8a3f1020 waiting a reply from 4a1b2\n"                           /* 3 */
	"Searching thread 8a3f1020 in port rundown queues ...\n"                        /* 4 */
	"\n"
	"Server communication port 0xe13f8830\n"                                        /* 6 */
	"    Handles: 1   References: 1\n"
	"    The LpcDataInfoChainHead queue is empty\n"
	"        Connected port: 0xe13f8910      Server connection port: 0xe1b1ef50\n"
	"\n"
	"Client communication port 0xe13f8910\n"                                        /* 11 */
	"    Handles: 1   References: 10\n"
	"    The LpcDataInfoChainHead queue is empty\n"
	"\n"
	"Server connection port e1b1ef50  Name: BillingApiPort\n"                       /* 15 */
	"    Handles: 1   References: 41\n"
	"    Server process  : 8a612d88 (ledger.exe)\n"
	"    Queue semaphore : 8a5f3a10\n"
	" Semaphore state 0 (0x0)\n"
	"    The message queue is empty\n"
	"    The LpcDataInfoChainHead queue is empty\n"
	"Done.\n";                                                                       /* 22 */

static void message_search_names_client_and_server(void)
{
	struct snapshot *s = scan(message_search);
	struct thread *client = thread_at_address(s, 0x8a3f1020);
	CU_ASSERT_KNOWN_EQUAL(client->lpc_wait_message_id, 0x4a1b2);
	CU_ASSERT_FALSE(client->pid.known);
	CU_ASSERT_EQUAL(client->origin.at[0].at, 3);
	CU_ASSERT_EQUAL(s->messages.count, 1);
	struct message *m = lpc_message(s, 0x4a1b2);
	CU_ASSERT_KNOWN_EQUAL(m->waiting_thread, 0x8a3f1020);
	CU_ASSERT_KNOWN_EQUAL(m->queue_port, 0xe1b1ef50);
	CU_ASSERT_FALSE(m->address.known);
	CU_ASSERT_FALSE(m->server_thread.known);
	struct port *connection = port_at_address(s, 0xe1b1ef50);
	CU_ASSERT_STRING_EQUAL_OR_NULL(connection->name, "BillingApiPort");
	CU_ASSERT_KNOWN_EQUAL(connection->queues[QUEUE_LPC_MESSAGES].length, 0);
	CU_ASSERT_KNOWN_EQUAL(connection->references, 41);
	CU_ASSERT_EQUAL(s->ports.count, 3);
	CU_ASSERT_EQUAL(s->threads.count, 1);
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);

	struct analysis *a = analyze(s);
	CU_ASSERT_EQUAL_FATAL(a->waits.count, 1);
	const struct wait *w = a->waits.items[0];
	CU_ASSERT_EQUAL(w->via, VIA_LPC);
	CU_ASSERT_PTR_EQUAL(w->client, client);
	CU_ASSERT_PTR_EQUAL(w->port, connection);
	CU_ASSERT_PTR_EQUAL(w->server_process, process_at_address(s, 0x8a612d88));
	CU_ASSERT_PTR_NULL(w->server_thread);
	CU_ASSERT_PTR_NULL(w->client_process);
	analysis_free(a);
}

/* `!lpc thread A` after `!thread A`: the thread's own wait line gives the
 * message id, the rundown search the port it went to. */
static void thread_search_after_thread_wait(void)
{
	struct snapshot *s = scan(
		"kd> !thread 8a3f1020\n"
		"THREAD 8a3f1020  Cid 0f2c.0d10  Teb: 7ffde000 Win32Thread: 00000000 WAIT: (Unknown) UserMode Non-Alertable\n"
		"    8a3f120c  Semaphore Limit 0x1\n"
		"Waiting for reply to LPC MessageId 0004a1b2:\n"
		"Current LPC port e13f8910\n"
		"Owning Process            8a41b6f8       Image:         billing.exe\n"
		"kd> !lpc thread 8a3f1020\n"
		"Searching thread 8a3f1020 in port rundown queues ...\n"
		"\n"
		"Server communication port 0xe13f8830\n"
		"    Handles: 1   References: 1\n"
		"        Connected port: 0xe13f8910      Server connection port: 0xe1b1ef50\n"
		"\n"
		"Server connection port e1b1ef50  Name: BillingApiPort\n"
		"    Handles: 1   References: 41\n"
		"    Server process  : 8a612d88 (ledger.exe)\n");
	struct thread *client = thread_at_address(s, 0x8a3f1020);
	CU_ASSERT_KNOWN_EQUAL(client->lpc_wait_message_id, 0x4a1b2);
	CU_ASSERT_KNOWN_EQUAL(client->lpc_port, 0xe13f8910);
	struct message *m = lpc_message(s, 0x4a1b2);
	CU_ASSERT_KNOWN_EQUAL(m->queue_port, 0xe1b1ef50);
	CU_ASSERT_KNOWN_EQUAL(m->waiting_thread, 0x8a3f1020);
	CU_ASSERT_EQUAL(s->messages.count, 1);
	struct analysis *a = analyze(s);
	CU_ASSERT_EQUAL_FATAL(a->waits.count, 1);
	const struct wait *w = a->waits.items[0];
	CU_ASSERT_PTR_EQUAL(w->client, client);
	CU_ASSERT_PTR_EQUAL(w->client_process, process_at_address(s, 0x8a41b6f8));
	CU_ASSERT_PTR_EQUAL(w->server_process, process_at_address(s, 0x8a612d88));
	CU_ASSERT_STRING_EQUAL(w->server_process->image, "ledger.exe");
	analysis_free(a);
}

/* `!lpc scan P`: the ports connected to P, one port-list line each. */
static void scan_lists_connected_ports(void)
{
	struct snapshot *s = scan(
		"kd> !lpc scan e1b1ef50\n"
		"Scanning 118 objects\n"
		"       3  Port: 0xe13f8830 Connection: 0xe1b1ef50  Communication: 0xe13f8910  '\n"
		"80000004  Port: 0xe13f8910 Connection: 0xe1b1ef50  Communication: 0xe13f8830  '\n"
		"       3  Port: 0xe1f00a18 Connection: 0xe1b1ef50  Communication: 0xe1f00b20  '\n"
		"       4  Port: 0xe1f00b20 Connection: 0xe1b1ef50  Communication: 0xe1f00a18  '\n");
	CU_ASSERT_EQUAL(s->ports.count, 4);
	CU_ASSERT_EQUAL(port_at_address(s, 0xe1f00a18)->kind, PORT_LPC_SERVER_COMMUNICATION);
	CU_ASSERT_KNOWN_EQUAL(port_at_address(s, 0xe1f00a18)->connected_port, 0xe1f00b20);
	CU_ASSERT_EQUAL(port_at_address(s, 0xe1f00b20)->kind, PORT_LPC_CLIENT_COMMUNICATION);
	CU_ASSERT_KNOWN_EQUAL(port_at_address(s, 0xe1f00b20)->lpc_flags, 4);
	CU_ASSERT_KNOWN_EQUAL(port_at_address(s, 0xe1f00b20)->connection_port, 0xe1b1ef50);
	/* The scanned port itself is only named, not listed. */
	CU_ASSERT_PTR_NULL(snapshot_find_port(s, 0xe1b1ef50));
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);
}

/* The client's "Current LPC port" is its communication port; the server
 * is the owner of the connection port that port is connected to. */
static void client_port_leads_to_server_process(void)
{
	struct snapshot *s = scan(
		"kd> !lpc port\n"
		"Scanning 118 objects\n"
		"       1  Port: 0xe1b1ef50 Connection: 0xe1b1ef50  Communication: 0x00000000  'BillingApiPort'\n"
		"80000004  Port: 0xe13f8910 Connection: 0xe1b1ef50  Communication: 0xe13f8830  '\n"
		"kd> !lpc port e1b1ef50\n"
		"Server connection port e1b1ef50  Name: BillingApiPort\n"
		"    Server process  : 8a612d88 (ledger.exe)\n"
		"    The message queue is empty\n"
		"kd> !thread 8a3f1020\n"
		"THREAD 8a3f1020  Cid 0f2c.0d10  Teb: 7ffde000 Win32Thread: 00000000 WAIT: (Unknown) UserMode Non-Alertable\n"
		"Waiting for reply to LPC MessageId 0004a1b2:\n"
		"Current LPC port e13f8910\n");
	struct analysis *a = analyze(s);
	CU_ASSERT_EQUAL_FATAL(a->waits.count, 1);
	const struct wait *w = a->waits.items[0];
	CU_ASSERT_EQUAL(w->via, VIA_LPC);
	CU_ASSERT_PTR_EQUAL(w->client, thread_at_address(s, 0x8a3f1020));
	CU_ASSERT_PTR_EQUAL(w->port, port_at_address(s, 0xe13f8910));
	CU_ASSERT_PTR_EQUAL(w->server_process, process_at_address(s, 0x8a612d88));
	CU_ASSERT_PTR_NULL(w->server_thread);
	analysis_free(a);
}

int main(void)
{
	static const struct test_case ports[] = {
		{ "port list with flags and unnamed ports", port_list_with_flags_and_unnamed_ports },
		{ "port detail with queued messages", port_detail_with_queued_messages },
		{ "communication ports and their links", communication_ports_and_their_links },
		{ "client port leads to server process", client_port_leads_to_server_process },
		{ "one id at two addresses is two messages", one_id_at_two_addresses_is_two_messages },
		{ NULL, NULL },
	};
	static const struct test_case searches[] = {
		{ "message search names client and server", message_search_names_client_and_server },
		{ "thread search after thread wait", thread_search_after_thread_wait },
		{ "scan lists connected ports", scan_lists_connected_ports },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = {
		{ "transcript: !lpc port", ports },
		{ "transcript: !lpc message/thread/scan", searches },
	};
	int status = run_suites("test_transcript_lpc", suites, sizeof suites / sizeof *suites);
	scanned_release();
	return status;
}
