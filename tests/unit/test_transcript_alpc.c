/* The transcript scanner on `!alpc` output: /m in the normal and the
 * collapsed one-line layout, /p with its CommunicationInfo, flags, thread
 * lists and queue lines, /lpp with both sections, and /lpc
 * (debugger-output-formats.md §3.4–3.7).  Inputs are invented in those
 * layouts. */
#include <stdint.h>
#include <string.h>

#include "transcript_helpers.h"
#include "../../src/correlate/correlate.h"

/* ---- !alpc /m ------------------------------------------------------------- */

static const char message_pending[] =
	"0: kd> !alpc /m fffff8a0023c7d10\n"                                               /* 1 */
	"\n"                                                                                /* 2 */
	"Message @ fffff8a0023c7d10\n"                                                      /* 3 */
	"  MessageID             : 0x0A18 (2584)\n"                                          /* 4 */
	"  CallbackID            : 0x2B4C1D (2837533)\n"
	"  SequenceNumber        : 0x0000AF31 (44849)\n"
	"  Type                  : LPC_REQUEST\n"
	"  DataLength            : 0x0058 (88)\n"
	"  TotalLength           : 0x0080 (128)\n"
	"  Canceled              : No\n"                                                    /* 10 */
	"  Release               : No\n"
	"  ReplyWaitReply        : Yes\n"
	"  Continuation          : Yes\n"
	"  OwnerPort             : fffffa8004c2d370 [ALPC_CLIENT_COMMUNICATION_PORT]\n"     /* 14 */
	"  WaitingThread         : fffffa8004d3e060\n"                                      /* 15 */
	"  QueueType             : ALPC_MSGQUEUE_PENDING\n"
	"  QueuePort             : fffffa8004e11070 [ALPC_CONNECTION_PORT]\n"               /* 17 */
	"  QueuePortOwnerProcess : fffffa80049b2b30 (spoolhost.exe)\n"                      /* 18 */
	"  ServerThread          : fffffa8004f7a4c0\n"                                      /* 19 */
	"  QuotaCharged          : No\n"
	"  CancelQueuePort       : 0000000000000000\n"
	"  CancelSequencePort    : 0000000000000000\n"
	"  CancelSequenceNumber  : 0x00000000 (0)\n"
	"  ClientContext         : 0000000002a1c3e0\n"
	"  ServerContext         : 0000000000000000\n"
	"  PortContext           : 00000000004b7d20\n"
	"  CancelPortContext     : 0000000000000000\n"
	"  SecurityData          : 0000000000000000\n"
	"  View                  : 0000000000000000\n";                                   /* 29 */

/* Every field the §3.4 sample shows, with its exact value. */
static void check_pending_message(const struct snapshot *s)
{
	CU_ASSERT_EQUAL(s->messages.count, 1);
	struct message *m = message_at_address(s, 0xfffff8a0023c7d10);
	CU_ASSERT_EQUAL(m->flavor, FLAVOR_ALPC);
	CU_ASSERT_KNOWN_EQUAL(m->id, 0xa18);
	CU_ASSERT_KNOWN_EQUAL(m->callback_id, 0x2b4c1d);
	CU_ASSERT_KNOWN_EQUAL(m->sequence_number, 0xaf31);
	CU_ASSERT_STRING_EQUAL_OR_NULL(m->type, "LPC_REQUEST");
	CU_ASSERT_KNOWN_EQUAL(m->data_length, 0x58);
	CU_ASSERT_KNOWN_EQUAL(m->total_length, 0x80);
	CU_ASSERT_EQUAL(m->canceled, NO);
	CU_ASSERT_EQUAL(m->release, NO);
	CU_ASSERT_EQUAL(m->reply_wait_reply, YES);
	CU_ASSERT_EQUAL(m->continuation, YES);
	CU_ASSERT_KNOWN_EQUAL(m->owner_port, 0xfffffa8004c2d370);
	CU_ASSERT_EQUAL(m->owner_port_kind, PORT_ALPC_CLIENT_COMMUNICATION);
	CU_ASSERT_KNOWN_EQUAL(m->waiting_thread, 0xfffffa8004d3e060);
	CU_ASSERT_EQUAL(m->queue, QUEUE_PENDING);
	CU_ASSERT_KNOWN_EQUAL(m->queue_port, 0xfffffa8004e11070);
	CU_ASSERT_EQUAL(m->queue_port_kind, PORT_ALPC_CONNECTION);
	CU_ASSERT_KNOWN_EQUAL(m->queue_port_owner, 0xfffffa80049b2b30);
	CU_ASSERT_KNOWN_EQUAL(m->server_thread, 0xfffffa8004f7a4c0);
	CU_ASSERT_EQUAL(m->quota_charged, NO);
	CU_ASSERT_KNOWN_EQUAL(m->cancel_queue_port, 0);
	CU_ASSERT_KNOWN_EQUAL(m->cancel_sequence_port, 0);
	CU_ASSERT_KNOWN_EQUAL(m->cancel_sequence_number, 0);
	CU_ASSERT_KNOWN_EQUAL(m->client_context, 0x2a1c3e0);
	CU_ASSERT_KNOWN_EQUAL(m->server_context, 0);
	CU_ASSERT_KNOWN_EQUAL(m->port_context, 0x4b7d20);
	CU_ASSERT_KNOWN_EQUAL(m->cancel_port_context, 0);
	CU_ASSERT_KNOWN_EQUAL(m->security_data, 0);
	CU_ASSERT_KNOWN_EQUAL(m->view, 0);
	CU_ASSERT_FALSE(m->client_pid.known);
	CU_ASSERT_PTR_NULL(m->lpc_state);

	struct port *owner_port = port_at_address(s, 0xfffffa8004c2d370);
	CU_ASSERT_EQUAL(owner_port->kind, PORT_ALPC_CLIENT_COMMUNICATION);
	CU_ASSERT_EQUAL(owner_port->flavor, FLAVOR_ALPC);
	CU_ASSERT_FALSE(owner_port->owner_process.known);
	struct port *queue_port = port_at_address(s, 0xfffffa8004e11070);
	CU_ASSERT_EQUAL(queue_port->kind, PORT_ALPC_CONNECTION);
	CU_ASSERT_KNOWN_EQUAL(queue_port->owner_process, 0xfffffa80049b2b30);
	struct process *spooler = process_at_address(s, 0xfffffa80049b2b30);
	CU_ASSERT_STRING_EQUAL_OR_NULL(spooler->image, "spoolhost.exe");
	CU_ASSERT_FALSE(spooler->pid.known);
	/* Both threads are known by address, nothing more. */
	struct thread *waiting = thread_at_address(s, 0xfffffa8004d3e060);
	CU_ASSERT_FALSE(waiting->pid.known);
	struct thread *server = thread_at_address(s, 0xfffffa8004f7a4c0);
	CU_ASSERT_FALSE(server->process_address.known);
	CU_ASSERT_EQUAL(s->ports.count, 2);
	CU_ASSERT_EQUAL(s->threads.count, 2);
	CU_ASSERT_EQUAL(s->processes.count, 1);
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);
}

static void message_in_normal_layout(void)
{
	struct snapshot *s = scan(message_pending);
	check_pending_message(s);
	struct message *m = message_at_address(s, 0xfffff8a0023c7d10);
	CU_ASSERT_EQUAL(m->origin.at[0].at, 3);
	CU_ASSERT_EQUAL(port_at_address(s, 0xfffffa8004c2d370)->origin.at[0].at, 14);
	CU_ASSERT_EQUAL(port_at_address(s, 0xfffffa8004e11070)->origin.at[0].at, 17);
	CU_ASSERT_EQUAL(process_at_address(s, 0xfffffa80049b2b30)->origin.at[0].at, 18);
	CU_ASSERT_EQUAL(thread_at_address(s, 0xfffffa8004f7a4c0)->origin.at[0].at, 19);
	CU_ASSERT_STRING_EQUAL_OR_NULL(s->system.arch, "x64");
}

/* A copy that lost the line breaks: the header and every field on one
 * line, as some stored pages print it. */
static void message_in_one_line_layout(void)
{
	struct snapshot *s = scan(
		"0: kd> !alpc /m fffff8a0023c7d10\n"
		"Message @ fffff8a0023c7d10 MessageID : 0x0A18 (2584) CallbackID : 0x2B4C1D (2837533) "
		"SequenceNumber : 0x0000AF31 (44849) Type : LPC_REQUEST DataLength : 0x0058 (88) "
		"TotalLength : 0x0080 (128) Canceled : No Release : No ReplyWaitReply : Yes "
		"Continuation : Yes OwnerPort : fffffa8004c2d370 [ALPC_CLIENT_COMMUNICATION_PORT] "
		"WaitingThread : fffffa8004d3e060 QueueType : ALPC_MSGQUEUE_PENDING "
		"QueuePort : fffffa8004e11070 [ALPC_CONNECTION_PORT] "
		"QueuePortOwnerProcess : fffffa80049b2b30 (spoolhost.exe) ServerThread : fffffa8004f7a4c0 "
		"QuotaCharged : No CancelQueuePort : 0000000000000000 CancelSequencePort : 0000000000000000 "
		"CancelSequenceNumber : 0x00000000 (0) ClientContext : 0000000002a1c3e0 "
		"ServerContext : 0000000000000000 PortContext : 00000000004b7d20 "
		"CancelPortContext : 0000000000000000 SecurityData : 0000000000000000 "
		"View : 0000000000000000\n");
	check_pending_message(s);
	struct message *m = message_at_address(s, 0xfffff8a0023c7d10);
	CU_ASSERT_EQUAL(m->origin.at[0].at, 2);
	CU_ASSERT_EQUAL(port_at_address(s, 0xfffffa8004e11070)->origin.at[0].at, 2);
}

/* The header alone on its line, the fields collapsed onto the next. */
static void message_fields_collapsed_after_header(void)
{
	struct snapshot *s = scan(
		"0: kd> !alpc /m ffffb28a4c1e7d10\n"
		"Message ffffb28a4c1e7d10\n"
		"MessageID : 0x12C4 (4804) CallbackID : 0x3A0 (928) SequenceNumber : 0x00000007 (7) "
		"Type : LPC_REQUEST DataLength : 0x0020 (32) TotalLength : 0x0048 (72) Canceled : Yes "
		"Release : No ReplyWaitReply : No Continuation : No "
		"OwnerPort : ffffb28a4b9a1d30 [ALPC_CLIENT_COMMUNICATION_PORT] "
		"WaitingThread : ffffb28a4d2f1080 QueueType : ALPC_MSGQUEUE_MAIN "
		"QueuePort : ffffb28a4a77c0e0 [ALPC_CONNECTION_PORT] "
		"QueuePortOwnerProcess : ffffb28a4a3b6080 (mediasvc.exe) ServerThread : 0000000000000000\n");
	struct message *m = message_at_address(s, 0xffffb28a4c1e7d10);
	CU_ASSERT_KNOWN_EQUAL(m->id, 0x12c4);
	CU_ASSERT_KNOWN_EQUAL(m->callback_id, 0x3a0);
	CU_ASSERT_KNOWN_EQUAL(m->sequence_number, 7);
	CU_ASSERT_KNOWN_EQUAL(m->data_length, 0x20);
	CU_ASSERT_KNOWN_EQUAL(m->total_length, 0x48);
	CU_ASSERT_EQUAL(m->canceled, YES);
	CU_ASSERT_EQUAL(m->continuation, NO);
	CU_ASSERT_EQUAL(m->queue, QUEUE_MAIN);
	CU_ASSERT_KNOWN_EQUAL(m->waiting_thread, 0xffffb28a4d2f1080);
	CU_ASSERT_KNOWN_EQUAL(m->queue_port_owner, 0xffffb28a4a3b6080);
	/* A printed zero ServerThread is no thread. */
	CU_ASSERT_KNOWN_EQUAL(m->server_thread, 0);
	CU_ASSERT_PTR_NULL(snapshot_find_thread(s, 0));
	CU_ASSERT_EQUAL(m->quota_charged, YES_NO_UNKNOWN);
	CU_ASSERT_FALSE(m->client_context.known);
	CU_ASSERT_STRING_EQUAL_OR_NULL(process_at_address(s, 0xffffb28a4a3b6080)->image, "mediasvc.exe");
	CU_ASSERT_EQUAL(m->origin.at[0].at, 2);
	CU_ASSERT_EQUAL(s->threads.count, 1);
}

/* `!thread` names the message, `!alpc /m` its server thread: a pending
 * message joins the client to the thread that holds it; a message still
 * in the main queue goes to the owner process only. */
static void message_joins_client_to_server_thread(void)
{
	size_t count = scan_all(
		"0: kd> !thread fffffa8004d3e060\n"
		"THREAD fffffa8004d3e060  Cid 0a3c.0b14  Teb: 000007fffffde000 Win32Thread: 0000000000000000 WAIT: (WrLpcReply) UserMode Non-Alertable\n"
		"    fffffa8004d3e3f0  Semaphore Limit 0x1\n"
		"Waiting for reply to ALPC Message fffff8a0023c7d10 : queued at port fffffa8004e11070 : owned by process fffffa80049b2b30\n"
		"Owning Process            fffffa8004a1c060       Image:         demoapp.exe\n"
		"0: kd> !thread fffffa8004f7a4c0\n"
		"THREAD fffffa8004f7a4c0  Cid 02f0.0c1c  Teb: 000007fffffd6000 Win32Thread: 0000000000000000 WAIT: (UserRequest) UserMode Non-Alertable\n"
		"    fffffa8004f7a840  SynchronizationEvent\n"
		"Owning Process            fffffa80049b2b30       Image:         spoolhost.exe\n"
		"0: kd> !alpc /m fffff8a0023c7d10\n"
		"Message @ fffff8a0023c7d10\n"
		"  MessageID             : 0x0A18 (2584)\n"
		"  WaitingThread         : fffffa8004d3e060\n"
		"  QueueType             : ALPC_MSGQUEUE_PENDING\n"
		"  QueuePort             : fffffa8004e11070 [ALPC_CONNECTION_PORT]\n"
		"  QueuePortOwnerProcess : fffffa80049b2b30 (spoolhost.exe)\n"
		"  ServerThread          : fffffa8004f7a4c0\n");
	CU_ASSERT_EQUAL_FATAL(count, 1);
	struct snapshot *s = capture(0);
	struct thread *client = thread_at_address(s, 0xfffffa8004d3e060);
	struct thread *server = thread_at_address(s, 0xfffffa8004f7a4c0);
	CU_ASSERT_KNOWN_EQUAL(server->pid, 0x2f0);
	CU_ASSERT_EQUAL(s->messages.count, 1);
	struct analysis *a = analyze(s);
	CU_ASSERT_EQUAL_FATAL(a->waits.count, 1);
	const struct wait *w = a->waits.items[0];
	CU_ASSERT_EQUAL(w->via, VIA_ALPC);
	CU_ASSERT_PTR_EQUAL(w->client, client);
	CU_ASSERT_PTR_EQUAL(w->server_thread, server);
	CU_ASSERT_PTR_EQUAL(w->server_process, process_at_address(s, 0xfffffa80049b2b30));
	CU_ASSERT_PTR_EQUAL(w->port, port_at_address(s, 0xfffffa8004e11070));
	CU_ASSERT_EQUAL(a->cycles.count, 0);
	analysis_free(a);
}

/* ---- !alpc /p --------------------------------------------------------------- */

static void connection_port_with_registered_threads(void)
{
	struct snapshot *s = scan(
		"0: kd> !alpc /p fffffa8004e11070\n"                                          /* 1 */
		"Port  fffffa8004e11070\n"                                                     /* 2 */
		"  Type                      : ALPC_CONNECTION_PORT\n"
		"  CommunicationInfo         : fffff8a001b2c3d0\n"
		"    ConnectionPort          : fffffa8004e11070 (PrintQueueApi)\n"             /* 5 */
		"    ClientCommunicationPort : 0000000000000000\n"
		"    ServerCommunicationPort : 0000000000000000\n"
		"  OwnerProcess              : fffffa80049b2b30 (spoolhost.exe)\n"             /* 8 */
		"  SequenceNo                : 0x0000002A (42)\n"
		"  CompletionPort            : fffffa8004e0c1a0\n"
		"  CompletionList            : 0000000000000000\n"
		"  ConnectionPending         : No\n"
		"  ConnectionRefused         : Yes\n"
		"  Disconnected              : No\n"
		"  Closed                    : No\n"
		"  FlushOnClose              : Yes\n"
		"  ReturnExtendedInfo        : No\n"
		"  Waitable                  : Yes\n"
		"  Security                  : Static\n"
		"  Wow64CompletionList       : No\n"                                           /* 20 */
		"\n"
		"  2 thread(s) are registered with port IO completion object:\n"              /* 22 */
		"    THREAD fffffa8004f7a4c0  Cid 02f0.0c1c  Teb: 000007fffffd6000 Win32Thread:\n" /* 23 */
		" 0000000000000000 WAIT\n"
		"    THREAD fffffa8004f7b060  Cid 02f0.0c20  Teb: 000007fffffd4000 Win32Thread: 0000000000000000 WAIT\n"
		"  Main queue is empty.\n"                                                    /* 26 */
		"  Direct message queue is empty.\n"
		"  Large message queue is empty.\n"
		"  Pending queue has 1 message(s)\n"
		"  Canceled queue is empty.\n");                                              /* 30 */
	struct port *p = port_at_address(s, 0xfffffa8004e11070);
	CU_ASSERT_EQUAL(p->flavor, FLAVOR_ALPC);
	CU_ASSERT_EQUAL(p->kind, PORT_ALPC_CONNECTION);
	CU_ASSERT_STRING_EQUAL_OR_NULL(p->name, "PrintQueueApi");
	CU_ASSERT_KNOWN_EQUAL(p->communication_info, 0xfffff8a001b2c3d0);
	CU_ASSERT_KNOWN_EQUAL(p->connection_port, 0xfffffa8004e11070);
	CU_ASSERT_KNOWN_EQUAL(p->client_port, 0);
	CU_ASSERT_KNOWN_EQUAL(p->server_port, 0);
	CU_ASSERT_KNOWN_EQUAL(p->owner_process, 0xfffffa80049b2b30);
	CU_ASSERT_KNOWN_EQUAL(p->sequence_number, 0x2a);
	CU_ASSERT_KNOWN_EQUAL(p->completion_port, 0xfffffa8004e0c1a0);
	CU_ASSERT_KNOWN_EQUAL(p->completion_list, 0);
	CU_ASSERT_EQUAL(p->connection_pending, NO);
	CU_ASSERT_EQUAL(p->connection_refused, YES);
	CU_ASSERT_EQUAL(p->disconnected, NO);
	CU_ASSERT_EQUAL(p->closed, NO);
	CU_ASSERT_EQUAL(p->flush_on_close, YES);
	CU_ASSERT_EQUAL(p->return_extended_info, NO);
	CU_ASSERT_EQUAL(p->waitable, YES);
	CU_ASSERT_EQUAL(p->wow64_completion_list, NO);
	CU_ASSERT_STRING_EQUAL_OR_NULL(p->security, "Static");
	CU_ASSERT_KNOWN_EQUAL(p->registered_thread_count, 2);
	CU_ASSERT_EQUAL_FATAL(p->registered_threads.count, 2);
	CU_ASSERT_EQUAL(p->registered_threads.items[0], 0xfffffa8004f7a4c0);
	CU_ASSERT_EQUAL(p->registered_threads.items[1], 0xfffffa8004f7b060);
	CU_ASSERT_FALSE(p->waiting_thread_count.known);
	CU_ASSERT_EQUAL(p->waiting_threads.count, 0);
	CU_ASSERT_KNOWN_EQUAL(p->queues[QUEUE_MAIN].length, 0);
	CU_ASSERT_KNOWN_EQUAL(p->queues[QUEUE_DIRECT].length, 0);
	CU_ASSERT_KNOWN_EQUAL(p->queues[QUEUE_LARGE_MESSAGE].length, 0);
	CU_ASSERT_KNOWN_EQUAL(p->queues[QUEUE_PENDING].length, 1);
	CU_ASSERT_KNOWN_EQUAL(p->queues[QUEUE_CANCELED].length, 0);
	CU_ASSERT_FALSE(p->queues[QUEUE_WAIT].length.known);
	CU_ASSERT_EQUAL(p->origin.at[0].at, 2);
	struct process *owner = process_at_address(s, 0xfffffa80049b2b30);
	CU_ASSERT_STRING_EQUAL_OR_NULL(owner->image, "spoolhost.exe");
	CU_ASSERT_EQUAL(owner->origin.at[0].at, 8);
	struct thread *a = thread_at_address(s, 0xfffffa8004f7a4c0);
	CU_ASSERT_KNOWN_EQUAL(a->pid, 0x2f0);
	CU_ASSERT_KNOWN_EQUAL(a->tid, 0xc1c);
	CU_ASSERT_STRING_EQUAL_OR_NULL(a->state, "WAIT");
	CU_ASSERT_PTR_NULL(a->wait_reason);
	CU_ASSERT_EQUAL(a->origin.at[0].at, 23);
	struct thread *b = thread_at_address(s, 0xfffffa8004f7b060);
	CU_ASSERT_KNOWN_EQUAL(b->tid, 0xc20);
	CU_ASSERT_STRING_EQUAL_OR_NULL(b->state, "WAIT");
	CU_ASSERT_EQUAL(s->threads.count, 2);
	CU_ASSERT_EQUAL(s->ports.count, 1);
	/* Nothing was cut off: no warning about an open THREAD header. */
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);
	CU_ASSERT_EQUAL(s->status, STATUS_OK);
}

/* Windows Internals' ApiPort experiment shape: threads waiting on the
 * port, and a canceled queue. */
static void connection_port_with_waiting_threads(void)
{
	struct snapshot *s = scan(
		"lkd> !alpc /p ffff8d0c1e3a6d20\n"
		"Port @ ffff8d0c1e3a6d20\n"
		"  Type                      : ALPC_CONNECTION_PORT\n"
		"  CommunicationInfo         : ffffa7013c2e8f10\n"
		"    ConnectionPort          : ffff8d0c1e3a6d20 (LedgerApiPort)\n"
		"    ClientCommunicationPort : 0000000000000000\n"
		"    ServerCommunicationPort : 0000000000000000\n"
		"  OwnerProcess              : ffff8d0c1d4e2080 (ledger.exe)\n"
		"  SequenceNo                : 0x000004D2 (1234)\n"
		"  3 thread(s) are waiting on the port:\n"
		"    THREAD ffff8d0c1f602080  Cid 04a8.0d1c  Teb: 0000009e3b6c5000 Win32Thread: 0000000000000000 WAIT\n"
		"    THREAD ffff8d0c1f7c4080  Cid 04a8.1e40  Teb: 0000009e3b6c7000 Win32Thread: 0000000000000000 WAIT\n"
		"    THREAD ffff8d0c20a11080  Cid 04a8.2a38  Teb: 0000009e3b6d1000 Win32Thread: 0000000000000000 WAIT\n"
		"  Main queue has 2 message(s)\n"
		"  Large message queue is empty.\n"
		"  Pending queue is empty.\n"
		"  Canceled queue is empty.\n");
	struct port *p = port_at_address(s, 0xffff8d0c1e3a6d20);
	CU_ASSERT_STRING_EQUAL_OR_NULL(p->name, "LedgerApiPort");
	CU_ASSERT_KNOWN_EQUAL(p->sequence_number, 1234);
	CU_ASSERT_KNOWN_EQUAL(p->waiting_thread_count, 3);
	CU_ASSERT_EQUAL_FATAL(p->waiting_threads.count, 3);
	CU_ASSERT_EQUAL(p->waiting_threads.items[0], 0xffff8d0c1f602080);
	CU_ASSERT_EQUAL(p->waiting_threads.items[1], 0xffff8d0c1f7c4080);
	CU_ASSERT_EQUAL(p->waiting_threads.items[2], 0xffff8d0c20a11080);
	CU_ASSERT_FALSE(p->registered_thread_count.known);
	CU_ASSERT_EQUAL(p->registered_threads.count, 0);
	CU_ASSERT_KNOWN_EQUAL(p->queues[QUEUE_MAIN].length, 2);
	CU_ASSERT_KNOWN_EQUAL(p->queues[QUEUE_LARGE_MESSAGE].length, 0);
	CU_ASSERT_KNOWN_EQUAL(p->queues[QUEUE_PENDING].length, 0);
	CU_ASSERT_KNOWN_EQUAL(p->queues[QUEUE_CANCELED].length, 0);
	CU_ASSERT_FALSE(p->queues[QUEUE_DIRECT].length.known);
	CU_ASSERT_KNOWN_EQUAL(thread_at_address(s, 0xffff8d0c20a11080)->tid, 0x2a38);
	CU_ASSERT_STRING_EQUAL_OR_NULL(s->system.debugger, "lkd");
	CU_ASSERT_TRUE(s->system.kernel_mode);
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);
}

/* A client communication port: CommunicationInfo names the connection
 * port, and each of the three ports gets its own kind; the name belongs
 * to the connection port only. */
static void client_port_communication_info(void)
{
	struct snapshot *s = scan(
		"lkd> !alpc /p fffffa8004e3a540\n"                                         /* 1 */
		"Port  fffffa8004e3a540\n"                                                  /* 2 */
		"  Type                      : ALPC_CLIENT_COMMUNICATION_PORT\n"
		"  CommunicationInfo         : fffff8a001d3e4f0\n"
		"    ConnectionPort          : fffffa8004e11070 (PrintQueueApi)\n"
		"    ClientCommunicationPort : fffffa8004e3a540\n"
		"    ServerCommunicationPort : fffffa8004e3a2f0\n"
		"  OwnerProcess              : fffffa8004a1c060 (demoapp.exe)\n"
		"  SequenceNo                : 0x00000031 (49)\n"
		"  [...]\n");                                                               /* 10 */
	struct port *client = port_at_address(s, 0xfffffa8004e3a540);
	CU_ASSERT_EQUAL(client->kind, PORT_ALPC_CLIENT_COMMUNICATION);
	CU_ASSERT_PTR_NULL(client->name);
	CU_ASSERT_KNOWN_EQUAL(client->communication_info, 0xfffff8a001d3e4f0);
	CU_ASSERT_KNOWN_EQUAL(client->connection_port, 0xfffffa8004e11070);
	CU_ASSERT_KNOWN_EQUAL(client->client_port, 0xfffffa8004e3a540);
	CU_ASSERT_KNOWN_EQUAL(client->server_port, 0xfffffa8004e3a2f0);
	CU_ASSERT_KNOWN_EQUAL(client->owner_process, 0xfffffa8004a1c060);
	CU_ASSERT_KNOWN_EQUAL(client->sequence_number, 0x31);
	CU_ASSERT_FALSE(client->completion_port.known);
	CU_ASSERT_EQUAL(client->flush_on_close, YES_NO_UNKNOWN);
	struct port *connection = port_at_address(s, 0xfffffa8004e11070);
	CU_ASSERT_EQUAL(connection->kind, PORT_ALPC_CONNECTION);
	CU_ASSERT_STRING_EQUAL_OR_NULL(connection->name, "PrintQueueApi");
	CU_ASSERT_FALSE(connection->owner_process.known);
	struct port *server = port_at_address(s, 0xfffffa8004e3a2f0);
	CU_ASSERT_EQUAL(server->kind, PORT_ALPC_SERVER_COMMUNICATION);
	CU_ASSERT_PTR_NULL(server->name);
	CU_ASSERT_FALSE(server->owner_process.known);
	CU_ASSERT_STRING_EQUAL_OR_NULL(process_at_address(s, 0xfffffa8004a1c060)->image, "demoapp.exe");
	CU_ASSERT_EQUAL(s->ports.count, 3);
	CU_ASSERT_EQUAL(diagnostics_reading(s, DIAGNOSTIC_NOTE,
					    "t.txt:10: the author left output out here ('[...]')"), 1);
}

/* ---- !alpc /lpp and /lpc ------------------------------------------------- */

static const char lpp_listing[] =
	"0: kd> !alpc /lpp fffffa80049b2b30\n"                                                  /* 1 */
	"Ports created by the process fffffa80049b2b30:\n"                                       /* 2 */
	"    fffffa8004e11070('PrintQueueApi') 0, 2 connections\n"                              /* 3 */
	"        fffffa8004e3a2f0 0 -> fffffa8004e3a540 0 fffffa8004a1c060('demoapp.exe')\n"     /* 4 */
	"        fffffa8004e51b30 1 -> fffffa8004e51d80 0 fffffa8004b7e940\n"                   /* 5 */
	"('longimagename.')\n"                                                                   /* 6 */
	"    fffffa8004e0d9a0('PrintQueueEvents') 0, 0 connections\n"                           /* 7 */
	"Ports the process fffffa80049b2b30 is connected to:\n"                                  /* 8 */
	"    fffffa8004e6c2f0 0 -> fffffa8003f1e9d0('ApiPort') 0 fffffa8003e2a060('csrss.exe')\n" /* 9 */
	"    fffffa8004e6d5a0 0 -> fffffa8004012e40('ntsvcs') 19 fffffa8003fa2b30\n"             /* 10 */
	"('services.exe')\n";                                                                    /* 11 */

static struct port_connection *connection_at(const struct snapshot *s, size_t index)
{
	CU_ASSERT_FATAL(index < s->connections.count);
	return s->connections.items[index];
}

static void lpp_both_sections(void)
{
	struct snapshot *s = scan(lpp_listing);
	const uint64_t spooler = 0xfffffa80049b2b30;
	CU_ASSERT_EQUAL_FATAL(s->connections.count, 4);

	struct port *api = port_at_address(s, 0xfffffa8004e11070);
	CU_ASSERT_STRING_EQUAL_OR_NULL(api->name, "PrintQueueApi");
	CU_ASSERT_EQUAL(api->kind, PORT_ALPC_CONNECTION);
	CU_ASSERT_KNOWN_EQUAL(api->owner_process, spooler);
	CU_ASSERT_EQUAL(api->origin.at[0].at, 3);
	struct port *events = port_at_address(s, 0xfffffa8004e0d9a0);
	CU_ASSERT_STRING_EQUAL_OR_NULL(events->name, "PrintQueueEvents");
	CU_ASSERT_KNOWN_EQUAL(events->owner_process, spooler);
	CU_ASSERT_EQUAL(events->kind, PORT_ALPC_CONNECTION);

	const struct port_connection *c = connection_at(s, 0);
	CU_ASSERT_KNOWN_EQUAL(c->connection_port, 0xfffffa8004e11070);
	CU_ASSERT_KNOWN_EQUAL(c->server_port, 0xfffffa8004e3a2f0);
	CU_ASSERT_KNOWN_EQUAL(c->client_port, 0xfffffa8004e3a540);
	CU_ASSERT_KNOWN_EQUAL(c->server_queued, 0);
	CU_ASSERT_KNOWN_EQUAL(c->client_queued, 0);
	CU_ASSERT_KNOWN_EQUAL(c->server_process, spooler);
	CU_ASSERT_KNOWN_EQUAL(c->client_process, 0xfffffa8004a1c060);
	CU_ASSERT_EQUAL(c->origin.at, 4);
	c = connection_at(s, 1);
	CU_ASSERT_KNOWN_EQUAL(c->server_port, 0xfffffa8004e51b30);
	CU_ASSERT_KNOWN_EQUAL(c->client_port, 0xfffffa8004e51d80);
	CU_ASSERT_KNOWN_EQUAL(c->server_queued, 1);
	CU_ASSERT_KNOWN_EQUAL(c->client_process, 0xfffffa8004b7e940);
	CU_ASSERT_EQUAL(c->origin.at, 5);
	/* The ('image') a layout pushed to the next line. */
	CU_ASSERT_STRING_EQUAL_OR_NULL(process_at_address(s, 0xfffffa8004b7e940)->image, "longimagename.");
	CU_ASSERT_STRING_EQUAL_OR_NULL(process_at_address(s, 0xfffffa8004a1c060)->image, "demoapp.exe");

	struct port *server_end = port_at_address(s, 0xfffffa8004e3a2f0);
	CU_ASSERT_EQUAL(server_end->kind, PORT_ALPC_SERVER_COMMUNICATION);
	CU_ASSERT_KNOWN_EQUAL(server_end->owner_process, spooler);
	CU_ASSERT_KNOWN_EQUAL(server_end->connection_port, 0xfffffa8004e11070);
	CU_ASSERT_KNOWN_EQUAL(server_end->client_port, 0xfffffa8004e3a540);
	CU_ASSERT_PTR_NULL(server_end->name);
	struct port *client_end = port_at_address(s, 0xfffffa8004e3a540);
	CU_ASSERT_EQUAL(client_end->kind, PORT_ALPC_CLIENT_COMMUNICATION);
	CU_ASSERT_KNOWN_EQUAL(client_end->owner_process, 0xfffffa8004a1c060);
	CU_ASSERT_KNOWN_EQUAL(client_end->server_port, 0xfffffa8004e3a2f0);

	c = connection_at(s, 2);
	CU_ASSERT_KNOWN_EQUAL(c->client_port, 0xfffffa8004e6c2f0);
	CU_ASSERT_KNOWN_EQUAL(c->connection_port, 0xfffffa8003f1e9d0);
	CU_ASSERT_FALSE(c->server_port.known);
	CU_ASSERT_KNOWN_EQUAL(c->client_queued, 0);
	CU_ASSERT_KNOWN_EQUAL(c->server_queued, 0);
	CU_ASSERT_KNOWN_EQUAL(c->client_process, spooler);
	CU_ASSERT_KNOWN_EQUAL(c->server_process, 0xfffffa8003e2a060);
	CU_ASSERT_EQUAL(c->origin.at, 9);
	c = connection_at(s, 3);
	CU_ASSERT_KNOWN_EQUAL(c->connection_port, 0xfffffa8004012e40);
	CU_ASSERT_KNOWN_EQUAL(c->server_queued, 19);
	CU_ASSERT_KNOWN_EQUAL(c->server_process, 0xfffffa8003fa2b30);
	CU_ASSERT_EQUAL(c->origin.at, 10);
	CU_ASSERT_STRING_EQUAL_OR_NULL(process_at_address(s, 0xfffffa8003fa2b30)->image, "services.exe");
	CU_ASSERT_STRING_EQUAL_OR_NULL(process_at_address(s, 0xfffffa8003e2a060)->image, "csrss.exe");

	struct port *apiport = port_at_address(s, 0xfffffa8003f1e9d0);
	CU_ASSERT_STRING_EQUAL_OR_NULL(apiport->name, "ApiPort");
	CU_ASSERT_KNOWN_EQUAL(apiport->owner_process, 0xfffffa8003e2a060);
	CU_ASSERT_STRING_EQUAL_OR_NULL(port_at_address(s, 0xfffffa8004012e40)->name, "ntsvcs");
	struct port *mine = port_at_address(s, 0xfffffa8004e6c2f0);
	CU_ASSERT_EQUAL(mine->kind, PORT_ALPC_CLIENT_COMMUNICATION);
	CU_ASSERT_KNOWN_EQUAL(mine->owner_process, spooler);
	/* The process listed is known by address; its image is not printed. */
	struct process *listed = process_at_address(s, spooler);
	CU_ASSERT_PTR_NULL(listed->image);
	CU_ASSERT_EQUAL(listed->origin.at[0].at, 2);
	CU_ASSERT_EQUAL(s->processes.count, 5);
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);
}

/* `!alpc /lpc` of a build that glues "->" to the next address, read after
 * an `/lpp` of another process: nothing of that process leaks into it. */
static void lpc_connections_with_glued_arrow(void)
{
	struct snapshot *s = scan(
		"0: kd> !alpc /lpp ffffbb0f82f30140\n"                                          /* 1 */
		"Ports created by the process ffffbb0f82f30140:\n"
		"    ffffbb0f87e10d40('GuestToolsApi') 0, 0 connections\n"
		"Ports the process ffffbb0f82f30140 is connected to:\n"
		"0: kd> !alpc /lpc ffffbb0f877b1090\n"                                          /* 5 */
		"\n"
		"ffffbb0f877b1090('SessionBrokerApi') 0, 2 connections\n"                        /* 7 */
		"      ffffbb0f87e36a00 0 ->ffffbb0f87968d40 0 ffffbb0f82f30140('GuestTools.exe')\n" /* 8 */
		"      ffffbb0f8a8c97f0 3 ->ffffbb0f8a6bbde0 2 ffffbb0f876f0480\n"               /* 9 */
		"('svchost.exe')\n");
	struct port *api = port_at_address(s, 0xffffbb0f877b1090);
	CU_ASSERT_STRING_EQUAL_OR_NULL(api->name, "SessionBrokerApi");
	CU_ASSERT_EQUAL(api->kind, PORT_ALPC_CONNECTION);
	/* /lpc does not say who owns the port. */
	CU_ASSERT_FALSE(api->owner_process.known);
	CU_ASSERT_EQUAL(api->origin.at[0].at, 7);
	CU_ASSERT_EQUAL_FATAL(s->connections.count, 2);
	const struct port_connection *c = connection_at(s, 0);
	CU_ASSERT_KNOWN_EQUAL(c->connection_port, 0xffffbb0f877b1090);
	CU_ASSERT_KNOWN_EQUAL(c->server_port, 0xffffbb0f87e36a00);
	CU_ASSERT_KNOWN_EQUAL(c->client_port, 0xffffbb0f87968d40);
	CU_ASSERT_KNOWN_EQUAL(c->client_process, 0xffffbb0f82f30140);
	CU_ASSERT_FALSE(c->server_process.known);
	CU_ASSERT_EQUAL(c->origin.at, 8);
	c = connection_at(s, 1);
	CU_ASSERT_KNOWN_EQUAL(c->server_port, 0xffffbb0f8a8c97f0);
	CU_ASSERT_KNOWN_EQUAL(c->client_port, 0xffffbb0f8a6bbde0);
	CU_ASSERT_KNOWN_EQUAL(c->server_queued, 3);
	CU_ASSERT_KNOWN_EQUAL(c->client_queued, 2);
	CU_ASSERT_KNOWN_EQUAL(c->client_process, 0xffffbb0f876f0480);
	CU_ASSERT_FALSE(c->server_process.known);
	CU_ASSERT_STRING_EQUAL_OR_NULL(process_at_address(s, 0xffffbb0f876f0480)->image, "svchost.exe");
	CU_ASSERT_STRING_EQUAL_OR_NULL(process_at_address(s, 0xffffbb0f82f30140)->image, "GuestTools.exe");
	struct port *server_end = port_at_address(s, 0xffffbb0f87e36a00);
	CU_ASSERT_EQUAL(server_end->kind, PORT_ALPC_SERVER_COMMUNICATION);
	CU_ASSERT_FALSE(server_end->owner_process.known);
	CU_ASSERT_KNOWN_EQUAL(port_at_address(s, 0xffffbb0f87968d40)->owner_process, 0xffffbb0f82f30140);
	CU_ASSERT_KNOWN_EQUAL(port_at_address(s, 0xffffbb0f87e10d40)->owner_process, 0xffffbb0f82f30140);
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);
}

/* Port names in ('…') that are empty or hold blanks and brackets. */
static void lpp_port_names_in_quotes(void)
{
	struct snapshot *s = scan(
		"0: kd> !alpc /lpp ffffbb0f82f30140\n"
		"Ports created by the process ffffbb0f82f30140:\n"
		"    ffffbb0f87e10d40('') 0, 0 connections\n"
		"    ffffbb0f87e11d40('OLE7A1C2E0F3B4D45E9A2C1D0F9E8B7') 0, 1 connections\n"
		"        ffffbb0f87e36a00 0 -> ffffbb0f87968d40 0 ffffbb0f876f0480('svchost.exe')\n"
		"Ports the process ffffbb0f82f30140 is connected to:\n"
		"    ffffbb0f8a6bbde0 0 -> ffffbb0f8a8c97f0('Session 1 Broker (x)') 0 ffffbb0f876f0480('svchost.exe')\n");
	struct port *unnamed = port_at_address(s, 0xffffbb0f87e10d40);
	CU_ASSERT_PTR_NULL(unnamed->name);
	CU_ASSERT_EQUAL(unnamed->kind, PORT_ALPC_CONNECTION);
	CU_ASSERT_STRING_EQUAL_OR_NULL(port_at_address(s, 0xffffbb0f87e11d40)->name,
				       "OLE7A1C2E0F3B4D45E9A2C1D0F9E8B7");
	CU_ASSERT_STRING_EQUAL_OR_NULL(port_at_address(s, 0xffffbb0f8a8c97f0)->name,
				       "Session 1 Broker (x)");
	CU_ASSERT_EQUAL_FATAL(s->connections.count, 2);
	const struct port_connection *c = connection_at(s, 1);
	CU_ASSERT_KNOWN_EQUAL(c->connection_port, 0xffffbb0f8a8c97f0);
	CU_ASSERT_KNOWN_EQUAL(c->server_process, 0xffffbb0f876f0480);
	CU_ASSERT_KNOWN_EQUAL(c->server_queued, 0);
}

int main(void)
{
	static const struct test_case messages[] = {
		{ "message in normal layout", message_in_normal_layout },
		{ "message in one-line layout", message_in_one_line_layout },
		{ "message fields collapsed after header", message_fields_collapsed_after_header },
		{ "message joins client to server thread", message_joins_client_to_server_thread },
		{ NULL, NULL },
	};
	static const struct test_case ports[] = {
		{ "connection port with registered threads", connection_port_with_registered_threads },
		{ "connection port with waiting threads", connection_port_with_waiting_threads },
		{ "client port CommunicationInfo", client_port_communication_info },
		{ NULL, NULL },
	};
	static const struct test_case connections[] = {
		{ "/lpp both sections", lpp_both_sections },
		{ "/lpc with glued arrow", lpc_connections_with_glued_arrow },
		{ "/lpp port names in quotes", lpp_port_names_in_quotes },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = {
		{ "transcript: !alpc /m", messages },
		{ "transcript: !alpc /p", ports },
		{ "transcript: !alpc /lpp /lpc", connections },
	};
	int status = run_suites("test_transcript_alpc", suites, sizeof suites / sizeof *suites);
	scanned_release();
	return status;
}
