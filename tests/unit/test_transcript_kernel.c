/* The transcript scanner on `!process` and `!thread` output: PROCESS and
 * THREAD blocks, thread states and waits, the ALPC and LPC wait lines,
 * stacks in every `k` layout, and the damage blog and book copies do to
 * them (debugger-output-formats.md §3.2; artefacts 1–5 of the corpus
 * INDEX.md).  Every input is invented in those formats. */
#include <stdint.h>
#include <string.h>

#include "transcript_helpers.h"
#include "../../src/correlate/correlate.h"

/* ---- PROCESS headers ----------------------------------------------------- */

static void process_header_on_three_lines(void)
{
	struct snapshot *s = scan(
		"0: kd> !process fffffa8004a1c060 7\n"                                       /* 1 */
		"PROCESS fffffa8004a1c060\n"                                                /* 2 */
		"    SessionId: 1  Cid: 0a3c    Peb: 7fffffd7000  ParentCid: 0470\n"       /* 3 */
		"    DirBase: 2f2b5000  ObjectTable: fffff8a001e0b290  HandleCount: 312.\n" /* 4 */
		"    Image: demoapp.exe\n"                                                  /* 5 */
		"    VadRoot fffffa8004b2c010 Vads 97 Clone 0 Private 611. Modified 2. Locked 0.\n"
		"    DeviceMap fffff8a000008c10\n"
		"    ElapsedTime                       00:12:41.220\n");
	CU_ASSERT_EQUAL(s->processes.count, 1);
	CU_ASSERT_EQUAL(s->threads.count, 0);
	struct process *p = process_at_address(s, 0xfffffa8004a1c060);
	CU_ASSERT_KNOWN_EQUAL(p->pid, 0xa3c);
	CU_ASSERT_KNOWN_EQUAL(p->parent_pid, 0x470);
	CU_ASSERT_KNOWN_EQUAL(p->session_id, 1);
	CU_ASSERT_KNOWN_EQUAL(p->handle_count, 312); /* decimal, with WinDbg's full stop */
	CU_ASSERT_STRING_EQUAL_OR_NULL(p->image, "demoapp.exe");
	CU_ASSERT_EQUAL(p->origin.at[0].kind, ORIGIN_LINE);
	CU_ASSERT_EQUAL(p->origin.at[0].at, 2);
	CU_ASSERT_STRING_EQUAL_OR_NULL(s->system.arch, "x64");
	CU_ASSERT_STRING_EQUAL_OR_NULL(s->system.debugger, "kd");
	CU_ASSERT_TRUE(s->system.kernel_mode);
	CU_ASSERT_EQUAL(s->status, STATUS_OK);
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);
	CU_ASSERT_EQUAL(s->first_line, 1);
	CU_ASSERT_EQUAL(s->last_line, 8);
}

static void process_header_on_one_line(void)
{
	struct snapshot *s = scan(
		"kd> !process 86c1e020 1f\n"
		"PROCESS 86c1e020  SessionId: 0  Cid: 0b58    Peb: 7ffd9000  ParentCid: 0264\n"
		"    DirBase: 3f4c02a0  ObjectTable: e2a1c4f8  HandleCount:  80.\n"
		"    Image: ordersvc.exe\n");
	struct process *p = process_at_address(s, 0x86c1e020);
	CU_ASSERT_KNOWN_EQUAL(p->pid, 0xb58);
	CU_ASSERT_KNOWN_EQUAL(p->parent_pid, 0x264);
	CU_ASSERT_KNOWN_EQUAL(p->session_id, 0);
	CU_ASSERT_KNOWN_EQUAL(p->handle_count, 80);
	CU_ASSERT_STRING_EQUAL_OR_NULL(p->image, "ordersvc.exe");
	CU_ASSERT_EQUAL(p->origin.at[0].at, 2);
	CU_ASSERT_STRING_EQUAL_OR_NULL(s->system.arch, "x86");
	CU_ASSERT_EQUAL(s->processes.count, 1);
}

/* The System process: "SessionId: none" and an unreadable handle count
 * are unknown, not zero. */
static void process_header_with_values_missing(void)
{
	struct snapshot *s = scan(
		"0: kd> !process 0 0\n"
		"**** NT ACTIVE PROCESS DUMP ****\n"
		"PROCESS ffffe00011a2f040\n"
		"    SessionId: none  Cid: 0004    Peb: 00000000  ParentCid: 0000\n"
		"    DirBase: 001aa000  ObjectTable: ffffc00012003000  HandleCount: <Data Not Accessible>\n"
		"    Image: System\n"
		"\n"
		"PROCESS ffffe00013b4c900\n"
		"    SessionId: none  Cid: 0130    Peb: 7ff6d1e2f000  ParentCid: 0004\n"
		"    DirBase: 100595000  ObjectTable: ffffc000124c5680  HandleCount:  52.\n"
		"    Image: smss.exe\n");
	CU_ASSERT_EQUAL(s->processes.count, 2);
	struct process *system = process_at_address(s, 0xffffe00011a2f040);
	CU_ASSERT_KNOWN_EQUAL(system->pid, 4);
	CU_ASSERT_KNOWN_EQUAL(system->parent_pid, 0);
	CU_ASSERT_FALSE(system->session_id.known);
	CU_ASSERT_FALSE(system->handle_count.known);
	CU_ASSERT_STRING_EQUAL_OR_NULL(system->image, "System");
	struct process *smss = process_at_address(s, 0xffffe00013b4c900);
	CU_ASSERT_KNOWN_EQUAL(smss->pid, 0x130);
	CU_ASSERT_KNOWN_EQUAL(smss->parent_pid, 4);
	CU_ASSERT_KNOWN_EQUAL(smss->handle_count, 52);
	CU_ASSERT_STRING_EQUAL_OR_NULL(smss->image, "smss.exe");
	CU_ASSERT_EQUAL(smss->origin.at[0].at, 8);
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);
}

/* ---- a complete Vista+ THREAD block ---------------------------------- */

static const char alpc_client_block[] =
	"0: kd> !process fffffa8004a1c060 7\n"                                               /* 1 */
	"PROCESS fffffa8004a1c060\n"                                                        /* 2 */
	"    SessionId: 1  Cid: 0a3c    Peb: 7fffffd7000  ParentCid: 0470\n"               /* 3 */
	"    Image: demoapp.exe\n"                                                          /* 4 */
	"\n"                                                                                /* 5 */
	"        THREAD fffffa8004d3e060  Cid 0a3c.0b14  Teb: 000007fffffde000 Win32Thread: "
	"fffff900c2a4e010 WAIT: (WrLpcReply) UserMode Non-Alertable\n"                     /* 6 */
	"            fffffa8004d3e3f0  Semaphore Limit 0x1\n"                              /* 7 */
	"        Waiting for reply to ALPC Message fffff8a0023c7d10 : queued at port "
	"fffffa8004e11070 : owned by process fffffa80049b2b30\n"                           /* 8 */
	"        Not impersonating\n"                                                      /* 9 */
	"        DeviceMap                 fffff8a000008c10\n"                             /* 10 */
	"        Owning Process            fffffa8004a1c060       Image:         demoapp.exe\n"
	"        Attached Process          N/A            Image:         N/A\n"            /* 12 */
	"        Wait Start TickCount      2918841        Ticks: 7711 (0:00:02:00.484)\n"  /* 13 */
	"        Context Switch Count      22             LargeStack\n"
	"        UserTime                  00:00:00.000\n"
	"        KernelTime                00:00:00.000\n"
	"        Win32 Start Address 0x000000013f5c1a20\n"
	"        Stack Init fffff88004c2fdb0 Current fffff88004c2f660\n"
	"        Base fffff88004c30000 Limit fffff88004c2a000 Call 0\n"
	"        Priority 10 BasePriority 8 UnusualBoost 0 ForegroundBoost 2 IoPriority 2 PagePriority 5\n"
	"        Child-SP          RetAddr           Call Site\n"                          /* 21 */
	"        fffff880`04c2f6a0 fffff800`02ad8a92 nt!KiSwapContext+0x7a\n"
	"        fffff880`04c2f7e0 fffff800`02adb3ef nt!KiCommitThreadWait+0x1d2\n"
	"        fffff880`04c2f870 fffff800`02a9c5b6 nt!KeWaitForSingleObject+0x19f\n"
	"        fffff880`04c2f910 fffff800`02dcbb4f nt!AlpcpSignalAndWait+0x8f\n"
	"        fffff880`04c2f9c0 fffff800`02dbb7e1 nt!AlpcpReceiveSynchronousReply+0x46\n"
	"        fffff880`04c2fa20 fffff800`02ad2293 nt!NtAlpcSendWaitReceivePort+0x1e1\n"
	"        fffff880`04c2fae0 00000000`7757070a nt!KiSystemServiceCopyEnd+0x13 "
	"(TrapFrame @ fffff880`04c2fae0)\n"
	"        00000000`0028e8b8 000007fe`fd6ba776 ntdll!NtAlpcSendWaitReceivePort+0xa\n"
	"        00000000`0028e8c0 00000000`00000000 0x0\n";                            /* 30 */

static void thread_block_with_alpc_wait(void)
{
	struct snapshot *s = scan(alpc_client_block);
	CU_ASSERT_EQUAL(s->threads.count, 1);
	struct thread *t = thread_at_address(s, 0xfffffa8004d3e060);
	CU_ASSERT_KNOWN_EQUAL(t->pid, 0xa3c);
	CU_ASSERT_KNOWN_EQUAL(t->tid, 0xb14);
	CU_ASSERT_STRING_EQUAL_OR_NULL(t->state, "WAIT");
	CU_ASSERT_STRING_EQUAL_OR_NULL(t->wait_reason, "WrLpcReply");
	CU_ASSERT_STRING_EQUAL_OR_NULL(t->wait_mode, "UserMode");
	CU_ASSERT_KNOWN_EQUAL(t->process_address, 0xfffffa8004a1c060);
	CU_ASSERT_EQUAL(t->origin.at[0].at, 6);
	CU_ASSERT_EQUAL_FATAL(t->wait_object_count, 1);
	CU_ASSERT_EQUAL(t->wait_objects[0].address, 0xfffffa8004d3e3f0);
	CU_ASSERT_STRING_EQUAL(t->wait_objects[0].type, "Semaphore");
	CU_ASSERT_FALSE(t->wait_objects[0].owner_thread.known);
	CU_ASSERT_KNOWN_EQUAL(t->alpc_wait_message, 0xfffff8a0023c7d10);
	CU_ASSERT_KNOWN_EQUAL(t->alpc_wait_port, 0xfffffa8004e11070);
	CU_ASSERT_KNOWN_EQUAL(t->alpc_wait_port_owner, 0xfffffa80049b2b30);
	CU_ASSERT_FALSE(t->lpc_wait_message_id.known);
	CU_ASSERT_KNOWN_EQUAL(t->wait_ticks, 7711);
	CU_ASSERT_STRING_EQUAL_OR_NULL(t->wait_time, "0:00:02:00.484");
	CU_ASSERT_FALSE(t->irp_count.known);
	CU_ASSERT_FALSE(t->kernel_stack_not_resident);
	/* Offsets stripped; the unsymbolled "0x0" frame dropped. */
	CU_ASSERT_EQUAL(t->frame_count, 8);
	CU_ASSERT_STRING_EQUAL(frame(t, 0), "nt!KiSwapContext");
	CU_ASSERT_STRING_EQUAL(frame(t, 1), "nt!KiCommitThreadWait");
	CU_ASSERT_STRING_EQUAL(frame(t, 5), "nt!NtAlpcSendWaitReceivePort");
	CU_ASSERT_STRING_EQUAL(frame(t, 6), "nt!KiSystemServiceCopyEnd");
	CU_ASSERT_STRING_EQUAL(frame(t, 7), "ntdll!NtAlpcSendWaitReceivePort");

	struct message *m = message_at_address(s, 0xfffff8a0023c7d10);
	CU_ASSERT_EQUAL(m->flavor, FLAVOR_ALPC);
	CU_ASSERT_KNOWN_EQUAL(m->waiting_thread, 0xfffffa8004d3e060);
	CU_ASSERT_KNOWN_EQUAL(m->queue_port, 0xfffffa8004e11070);
	CU_ASSERT_KNOWN_EQUAL(m->queue_port_owner, 0xfffffa80049b2b30);
	CU_ASSERT_FALSE(m->id.known);
	CU_ASSERT_FALSE(m->server_thread.known);
	CU_ASSERT_EQUAL(m->origin.at[0].at, 8);
	struct port *port = port_at_address(s, 0xfffffa8004e11070);
	CU_ASSERT_EQUAL(port->flavor, FLAVOR_ALPC);
	CU_ASSERT_KNOWN_EQUAL(port->owner_process, 0xfffffa80049b2b30);
	CU_ASSERT_PTR_NULL(port->name);
	CU_ASSERT_EQUAL(port->origin.at[0].at, 8);
	/* The owner is known by address only: no Cid, no image invented. */
	struct process *owner = process_at_address(s, 0xfffffa80049b2b30);
	CU_ASSERT_FALSE(owner->pid.known);
	CU_ASSERT_PTR_NULL(owner->image);
	CU_ASSERT_EQUAL(s->processes.count, 2);
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);

	struct analysis *a = analyze(s);
	CU_ASSERT_EQUAL_FATAL(a->waits.count, 1);
	const struct wait *w = a->waits.items[0];
	CU_ASSERT_EQUAL(w->via, VIA_ALPC);
	CU_ASSERT_PTR_EQUAL(w->client, t);
	CU_ASSERT_PTR_EQUAL(w->client_process, process_at_address(s, 0xfffffa8004a1c060));
	CU_ASSERT_PTR_EQUAL(w->message, m);
	CU_ASSERT_PTR_EQUAL(w->port, port);
	CU_ASSERT_PTR_EQUAL(w->server_process, owner);
	CU_ASSERT_PTR_NULL(w->server_thread);
	CU_ASSERT_EQUAL(a->cycles.count, 0);
	analysis_free(a);
}

/* ---- states, wait reasons, modes ------------------------------------- */

static void every_thread_state(void)
{
	struct snapshot *s = scan(
		"kd> !process 86c1e020 2\n"
		"PROCESS 86c1e020  SessionId: 0  Cid: 0b58    Peb: 7ffd9000  ParentCid: 0264\n"
		"    Image: ordersvc.exe\n"
		"        THREAD 86c21d48  Cid 0b58.0b5c  Teb: 7ffdf000 Win32Thread: 00000000 RUNNING on processor 1\n"
		"        THREAD 86c22020  Cid 0b58.0b60  Teb: 7ffde000 Win32Thread: 00000000 READY on processor 0\n"
		"        THREAD 86c22300  Cid 0b58.0b64  Teb: 7ffdd000 Win32Thread: 00000000 STANDBY\n"
		"        THREAD 86c225e0  Cid 0b58.0b68  Teb: 7ffdc000 Win32Thread: 00000000 TERMINATED\n"
		"        THREAD 86c228c0  Cid 0b58.0b6c  Teb: 7ffdb000 Win32Thread: 00000000 TRANSITION\n"
		"        THREAD 86c22ba0  Cid 0b58.0b70  Teb: 7ffda000 Win32Thread: 00000000 INITIALIZED\n"
		"        THREAD 86c22e80  Cid 0b58.0b74  Teb: 7ffd9000 Win32Thread: 00000000 DEFERREDREADY\n"
		"        THREAD 86c23160  Cid 0b58.0b78  Teb: 7ffd8000 Win32Thread: 00000000 GATEWAIT\n"
		"        THREAD 86c23440  Cid 0b58.0b7c  Teb: 7ffd7000 Win32Thread: e1c3a008 WAIT: (Executive) KernelMode Alertable\n"
		"        THREAD 86c23720  Cid 0b58.0b80  Teb: 7ffd6000 Win32Thread: 00000000 WAIT: (UserRequest) UserMode Alertable\n"
		"        THREAD 86c23a00  Cid 0b58.0b84  Teb: 7ffd5000 Win32Thread: 00000000 WAIT: (WrQueue) UserMode Alertable\n"
		"        THREAD 86c23ce0  Cid 0b58.0b88  Teb: 7ffd4000 Win32Thread: 00000000 WAIT: (DelayExecution) UserMode Alertable\n"
		"        THREAD 86c23fc0  Cid 0b58.0b8c  Teb: 7ffd3000 Win32Thread: 00000000 WAIT: (WrLpcReceive) UserMode Non-Alertable\n"
		"        THREAD 86c242a0  Cid 0b58.0b90  Teb: 7ffd2000 Win32Thread: 00000000 WAIT: (Suspended) KernelMode Non-Alertable\n"
		"        THREAD 86c24580  Cid 0b58.0b94  Teb: 7ffd1000 Win32Thread: 00000000 WAIT: (WrResource) KernelMode Non-Alertable\n"
		"        THREAD 86c24860  Cid 0b58.0b98  Teb: 7ffd0000 Win32Thread: 00000000 WAIT: (Unknown) KernelMode Non-Alertable\n");
	static const struct {
		uint64_t address, tid;
		const char *state, *reason, *mode;
	} expected[] = {
		{ 0x86c21d48, 0xb5c, "RUNNING", NULL, NULL },
		{ 0x86c22020, 0xb60, "READY", NULL, NULL },
		{ 0x86c22300, 0xb64, "STANDBY", NULL, NULL },
		{ 0x86c225e0, 0xb68, "TERMINATED", NULL, NULL },
		{ 0x86c228c0, 0xb6c, "TRANSITION", NULL, NULL },
		{ 0x86c22ba0, 0xb70, "INITIALIZED", NULL, NULL },
		{ 0x86c22e80, 0xb74, "DEFERREDREADY", NULL, NULL },
		{ 0x86c23160, 0xb78, "GATEWAIT", NULL, NULL },
		{ 0x86c23440, 0xb7c, "WAIT", "Executive", "KernelMode" },
		{ 0x86c23720, 0xb80, "WAIT", "UserRequest", "UserMode" },
		{ 0x86c23a00, 0xb84, "WAIT", "WrQueue", "UserMode" },
		{ 0x86c23ce0, 0xb88, "WAIT", "DelayExecution", "UserMode" },
		{ 0x86c23fc0, 0xb8c, "WAIT", "WrLpcReceive", "UserMode" },
		{ 0x86c242a0, 0xb90, "WAIT", "Suspended", "KernelMode" },
		{ 0x86c24580, 0xb94, "WAIT", "WrResource", "KernelMode" },
		{ 0x86c24860, 0xb98, "WAIT", "Unknown", "KernelMode" },
	};
	CU_ASSERT_EQUAL(s->threads.count, sizeof expected / sizeof *expected);
	for (size_t i = 0; i < sizeof expected / sizeof *expected; i++) {
		struct thread *t = thread_at_address(s, expected[i].address);
		CU_ASSERT_KNOWN_EQUAL(t->pid, 0xb58);
		CU_ASSERT_KNOWN_EQUAL(t->tid, expected[i].tid);
		CU_ASSERT_KNOWN_EQUAL(t->process_address, 0x86c1e020);
		CU_ASSERT_STRING_EQUAL_OR_NULL(t->state, expected[i].state);
		CU_ASSERT_STRING_EQUAL_OR_NULL(t->wait_reason, expected[i].reason);
		CU_ASSERT_STRING_EQUAL_OR_NULL(t->wait_mode, expected[i].mode);
		CU_ASSERT_EQUAL(t->origin.at[0].at, 4 + i);
	}
	CU_ASSERT_EQUAL(s->processes.count, 1);
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);
}

/* ---- wait objects ------------------------------------------------------- */

static void wait_objects_and_mutant_owner(void)
{
	struct snapshot *s = scan(
		"kd> !thread 86c23720\n"                                                    /* 1 */
		"THREAD 86c23720  Cid 0b58.0b80  Teb: 7ffd6000 Win32Thread: 00000000 WAIT: (UserRequest) UserMode Non-Alertable\n"
		"    86d0a2f8  SynchronizationEvent\n"
		"    86d0a318  NotificationEvent\n"
		"    86c79c10  Mutant - owning thread 86c9e020\n"                              /* 5 */
		"    86d1c4a8  Semaphore Limit 0x7fffffff\n"
		"    86e3f0d8  QueueObject\n"
		"    86d0a338  SynchronizationTimer\n"
		"    86d0a340  NotificationTimer\n"
		"    86e51020  ProcessObject\n"                                               /* 10 */
		"    86c21d48  ThreadObject\n"
		"Not impersonating\n"
		"Owning Process            86c1e020       Image:         ordersvc.exe\n");
	struct thread *t = thread_at_address(s, 0x86c23720);
	static const struct {
		uint64_t address;
		const char *type;
	} expected[] = {
		{ 0x86d0a2f8, "SynchronizationEvent" }, { 0x86d0a318, "NotificationEvent" },
		{ 0x86c79c10, "Mutant" },               { 0x86d1c4a8, "Semaphore" },
		{ 0x86e3f0d8, "QueueObject" },          { 0x86d0a338, "SynchronizationTimer" },
		{ 0x86d0a340, "NotificationTimer" },    { 0x86e51020, "ProcessObject" },
		{ 0x86c21d48, "ThreadObject" },
	};
	CU_ASSERT_EQUAL_FATAL(t->wait_object_count, sizeof expected / sizeof *expected);
	for (size_t i = 0; i < sizeof expected / sizeof *expected; i++) {
		CU_ASSERT_EQUAL(t->wait_objects[i].address, expected[i].address);
		CU_ASSERT_STRING_EQUAL(t->wait_objects[i].type, expected[i].type);
		if (i != 2)
			CU_ASSERT_FALSE(t->wait_objects[i].owner_thread.known);
	}
	CU_ASSERT_KNOWN_EQUAL(t->wait_objects[2].owner_thread, 0x86c9e020);
	/* The owner is now a known thread, with nothing else invented. */
	struct thread *owner = thread_at_address(s, 0x86c9e020);
	CU_ASSERT_FALSE(owner->pid.known);
	CU_ASSERT_FALSE(owner->process_address.known);
	CU_ASSERT_PTR_NULL(owner->state);
	CU_ASSERT_EQUAL(owner->origin.at[0].at, 5);
	struct process *p = process_at_address(s, 0x86c1e020);
	CU_ASSERT_KNOWN_EQUAL(p->pid, 0xb58);
	CU_ASSERT_STRING_EQUAL_OR_NULL(p->image, "ordersvc.exe");

	struct analysis *a = analyze(s);
	/* Only the mutant names an owner this capture shows. */
	CU_ASSERT_EQUAL(a->waits.count, 1);
	size_t locks = 0;
	for (size_t i = 0; i < a->waits.count; i++) {
		const struct wait *w = a->waits.items[i];
		CU_ASSERT_EQUAL(w->via, VIA_LOCK);
		CU_ASSERT_PTR_EQUAL(w->client, t);
		if (w->lock && strcmp(w->lock->type, "Mutant") == 0) {
			CU_ASSERT_PTR_EQUAL(w->server_thread, owner);
			CU_ASSERT_PTR_NULL(w->server_process);
			locks++;
		}
	}
	CU_ASSERT_EQUAL(locks, 1);
	analysis_free(a);
}

/* ---- XP/2003 LPC lines ---------------------------------------------------- */

static const char lpc_client_and_server[] =
	"kd> !thread 8a3f1020\n"                                                          /* 1 */
	"THREAD 8a3f1020  Cid 0f2c.0d10  Teb: 7ffde000 Win32Thread: e2c8e8d8 WAIT: (Unknown) KernelMode Non-Alertable\n"
	"    8a3f120c  Semaphore Limit 0x1\n"                                               /* 3 */
	"Waiting for reply to LPC MessageId 0004a1b2:\n"                                    /* 4 */
	"Current LPC port e3a1c7b8\n"                                                       /* 5 */
	"IRP List:\n"                                                                       /* 6 */
	"    8a2c0e48: (0006,0094) Flags: 00000884  Mdl: 00000000\n"
	"    8a19bf10: (0006,0094) Flags: 00000800  Mdl: 00000000\n"
	"Not impersonating\n"                                                               /* 9 */
	"DeviceMap                 e1a3b2c0\n"
	"Owning Process            8a41b6f8       Image:         billing.exe\n"             /* 11 */
	"Attached Process          N/A            Image:         N/A\n"
	"Wait Start TickCount      1937115        Ticks: 45112 (0:00:11:44.875)\n"
	"Context Switch Count      311\n"
	"\n"                                                                                /* 15 */
	"kd> !thread 8a52b7a0\n"                                                           /* 16 */
	"THREAD 8a52b7a0  Cid 0264.0a10  Teb: 7ffaf000 Win32Thread: 00000000 WAIT: (UserRequest) UserMode Non-Alertable\n"
	"    8a6e5d30  SynchronizationEvent\n"                                             /* 18 */
	"LPC Server thread working on message Id 4a1b2\n"                                  /* 19 */
	"Not impersonating\n"
	"Owning Process            8a612d88       Image:         ledger.exe\n";             /* 21 */

static void lpc_wait_and_server_lines(void)
{
	struct snapshot *s = scan(lpc_client_and_server);
	struct thread *client = thread_at_address(s, 0x8a3f1020);
	CU_ASSERT_KNOWN_EQUAL(client->pid, 0xf2c);
	CU_ASSERT_KNOWN_EQUAL(client->tid, 0xd10);
	CU_ASSERT_STRING_EQUAL_OR_NULL(client->wait_reason, "Unknown");
	CU_ASSERT_STRING_EQUAL_OR_NULL(client->wait_mode, "KernelMode");
	CU_ASSERT_KNOWN_EQUAL(client->lpc_wait_message_id, 0x4a1b2);
	CU_ASSERT_KNOWN_EQUAL(client->lpc_port, 0xe3a1c7b8);
	CU_ASSERT_FALSE(client->lpc_serving_message_id.known);
	CU_ASSERT_FALSE(client->alpc_wait_message.known);
	CU_ASSERT_KNOWN_EQUAL(client->irp_count, 2);
	CU_ASSERT_KNOWN_EQUAL(client->process_address, 0x8a41b6f8);
	CU_ASSERT_KNOWN_EQUAL(client->wait_ticks, 45112);
	CU_ASSERT_STRING_EQUAL_OR_NULL(client->wait_time, "0:00:11:44.875");
	struct process *billing = process_at_address(s, 0x8a41b6f8);
	CU_ASSERT_KNOWN_EQUAL(billing->pid, 0xf2c);
	CU_ASSERT_STRING_EQUAL_OR_NULL(billing->image, "billing.exe");
	struct port *port = port_at_address(s, 0xe3a1c7b8);
	CU_ASSERT_EQUAL(port->flavor, FLAVOR_LPC);
	CU_ASSERT_EQUAL(port->origin.at[0].at, 5);

	struct thread *server = thread_at_address(s, 0x8a52b7a0);
	CU_ASSERT_KNOWN_EQUAL(server->lpc_serving_message_id, 0x4a1b2);
	CU_ASSERT_FALSE(server->lpc_wait_message_id.known);
	CU_ASSERT_FALSE(server->irp_count.known);
	struct process *ledger = process_at_address(s, 0x8a612d88);
	CU_ASSERT_KNOWN_EQUAL(ledger->pid, 0x264);
	CU_ASSERT_STRING_EQUAL_OR_NULL(ledger->image, "ledger.exe");

	CU_ASSERT_EQUAL(s->messages.count, 1);
	struct message *m = lpc_message(s, 0x4a1b2);
	CU_ASSERT_EQUAL(m->flavor, FLAVOR_LPC);
	CU_ASSERT_KNOWN_EQUAL(m->waiting_thread, 0x8a3f1020);
	CU_ASSERT_KNOWN_EQUAL(m->server_thread, 0x8a52b7a0);
	CU_ASSERT_FALSE(m->address.known);
	CU_ASSERT_EQUAL(m->origin.at[0].at, 4);
	CU_ASSERT_EQUAL(m->origin.at[1].at, 19);
	CU_ASSERT_EQUAL(s->threads.count, 2);
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);

	struct analysis *a = analyze(s);
	CU_ASSERT_EQUAL_FATAL(a->waits.count, 1);
	const struct wait *w = a->waits.items[0];
	CU_ASSERT_EQUAL(w->via, VIA_LPC);
	CU_ASSERT_PTR_EQUAL(w->client, client);
	CU_ASSERT_PTR_EQUAL(w->client_process, billing);
	CU_ASSERT_PTR_EQUAL(w->server_thread, server);
	CU_ASSERT_PTR_EQUAL(w->server_process, ledger);
	CU_ASSERT_PTR_EQUAL(w->message, m);
	CU_ASSERT_PTR_EQUAL(w->port, port);
	analysis_free(a);
}

/* An IRP List with no entries is a known zero; the count stops at the
 * next field and never takes a later "addr: (" line for an IRP. */
static void irp_list_counting(void)
{
	struct snapshot *s = scan(
		"kd> !thread 8a3f1020\n"
		"THREAD 8a3f1020  Cid 0f2c.0d10  Teb: 7ffde000 Win32Thread: 00000000 WAIT: (Executive) KernelMode Non-Alertable\n"
		"    8a3f120c  NotificationEvent\n"
		"IRP List:\n"
		"Not impersonating\n"
		"Owning Process            8a41b6f8       Image:         billing.exe\n"
		"kd> !thread 8a3f2020\n"
		"THREAD 8a3f2020  Cid 0f2c.0d14  Teb: 7ffdd000 Win32Thread: 00000000 WAIT: (Executive) KernelMode Non-Alertable\n"
		"    8a3f220c  NotificationEvent\n"
		"IRP List:\n"
		"    8a2c0e48: (0006,0094) Flags: 00000884  Mdl: 00000000\n"
		"    8a19bf10: (0006,0094) Flags: 00000800  Mdl: 00000000\n"
		"    8a19c2a8: (0006,0094) Flags: 00000900  Mdl: 00000000\n"
		"Not impersonating\n"
		"Owning Process            8a41b6f8       Image:         billing.exe\n"
		"kd> !thread 8a3f3020\n"
		"THREAD 8a3f3020  Cid 0f2c.0d18  Teb: 7ffdc000 Win32Thread: 00000000 WAIT: (Executive) KernelMode Non-Alertable\n"
		"    8a3f320c  NotificationEvent\n"
		"Not impersonating\n");
	CU_ASSERT_KNOWN_EQUAL(thread_at_address(s, 0x8a3f1020)->irp_count, 0);
	CU_ASSERT_KNOWN_EQUAL(thread_at_address(s, 0x8a3f2020)->irp_count, 3);
	CU_ASSERT_FALSE(thread_at_address(s, 0x8a3f3020)->irp_count.known);
}

/* "Kernel stack not resident." and the stack a trimmed copy still shows. */
static void kernel_stack_not_resident(void)
{
	struct snapshot *s = scan(
		"kd> !thread 87a31020\n"
		"THREAD 87a31020  Cid 0c40.0e14  Teb: 7ff8e000 Win32Thread: 00000000 WAIT: (Unknown) UserMode Non-Alertable\n"
		"    87a3120c  Semaphore Limit 0x1\n"
		"Waiting for reply to LPC MessageId 00a3b1c4:\n"
		"Current LPC port d2e81a50\n"
		"Owning Process            87b40d88       Image:         clerk.exe\n"
		"Wait Start TickCount      4091002        Ticks: 612003 (0:02:39:22.546)\n"
		"Kernel stack not resident.\n"
		"ChildEBP RetAddr\n"
		"b1f3fc10 00000000 0x0\n"
		"\n"
		"kd> !thread 87a32020\n"
		"THREAD 87a32020  Cid 0c40.0e18  Teb: 7ff8d000 Win32Thread: 00000000 WAIT: (Unknown) UserMode Non-Alertable\n"
		"    87a3220c  Semaphore Limit 0x1\n"
		"Kernel stack not resident.\n"
		"ChildEBP RetAddr\n"
		"b1f4fc38 80833ec5 nt!KiSwapContext+0x26\n"
		"b1f4fc64 80829bc0 nt!KiSwapThread+0x2e5\n");
	struct thread *a = thread_at_address(s, 0x87a31020);
	CU_ASSERT_TRUE(a->kernel_stack_not_resident);
	CU_ASSERT_EQUAL(a->frame_count, 0);
	CU_ASSERT_KNOWN_EQUAL(a->lpc_wait_message_id, 0xa3b1c4);
	CU_ASSERT_KNOWN_EQUAL(a->wait_ticks, 612003);
	struct thread *b = thread_at_address(s, 0x87a32020);
	CU_ASSERT_TRUE(b->kernel_stack_not_resident);
	CU_ASSERT_EQUAL(b->frame_count, 2);
	CU_ASSERT_STRING_EQUAL(frame(b, 0), "nt!KiSwapContext");
	CU_ASSERT_STRING_EQUAL(frame(b, 1), "nt!KiSwapThread");
	CU_ASSERT_STRING_EQUAL_OR_NULL(s->system.arch, "x86");
}

/* ---- stacks ------------------------------------------------------------- */

static void x86_stack_with_k_and_kb(void)
{
	struct snapshot *s = scan(
		"kd> !thread 86c23ce0\n"
		"THREAD 86c23ce0  Cid 0b58.0b88  Teb: 7ffd4000 Win32Thread: 00000000 WAIT: (DelayExecution) UserMode Alertable\n"
		"    86c23dd0  NotificationTimer\n"
		"ChildEBP RetAddr  Args to Child\n"
		"b5e3fc38 80833ec5 86c23ce0 86c23d88 00000000 nt!KiSwapContext+0x26 (FPO: [Uses EBP] [0,0,4])\n"
		"b5e3fc64 80829bc0 00000000 b5e3fcac 00000001 nt!KiSwapThread+0x2e5 (FPO: [Non-Fpo])\n"
		"b5e3fcac 8091d5e5 b5e3fcd4 00000001 00000000 nt!KeDelayExecutionThread+0x2a2\n"
		"0012f8a8 7c90e9c0 7c8023ed 00000000 0012f8dc ntdll!KiFastSystemCallRet\n"
		"0012f904 7c802451 0000ea60 00000000 0012ff48 kernel32!SleepEx+0x61\n"
		"0012ff44 00401a2e 0000ea60 00000000 00000000 ordersvc+0x1a2e\n"
		"0012ffc0 7c817077 00000000 00000000 7ffd4000 kernel32!BaseProcessStart+0x23\n");
	struct thread *t = thread_at_address(s, 0x86c23ce0);
	static const char *const expected[] = {
		"nt!KiSwapContext", "nt!KiSwapThread", "nt!KeDelayExecutionThread",
		"ntdll!KiFastSystemCallRet", "kernel32!SleepEx", "ordersvc",
		"kernel32!BaseProcessStart",
	};
	CU_ASSERT_EQUAL_FATAL(t->frame_count, sizeof expected / sizeof *expected);
	for (uint32_t i = 0; i < t->frame_count; i++)
		CU_ASSERT_STRING_EQUAL(frame(t, i), expected[i]);
}

static void x64_stack_with_kv(void)
{
	struct snapshot *s = scan(
		"0: kd> !thread fffffa8004d3e060\n"
		"THREAD fffffa8004d3e060  Cid 0a3c.0b14  Teb: 000007fffffde000 Win32Thread: 0000000000000000 WAIT: (WrLpcReply) UserMode Non-Alertable\n"
		"    fffffa8004d3e3f0  Semaphore Limit 0x1\n"
		"Child-SP          RetAddr           : Args to Child                                                           : Call Site\n"
		"fffff880`04c2f6a0 fffff800`02ad8a92 : fffffa80`04d3e060 fffffa80`04d3e060 00000000`00000000 00000000`00000000 : nt!KiSwapContext+0x7a\n"
		"fffff880`04c2f7e0 fffff800`02adb3ef : 00000000`00000000 fffffa80`04e11070 00000000`00000000 00000000`00000001 : nt!KiCommitThreadWait+0x1d2\n"
		"00000000`0028e8b8 000007fe`fd6ba776 : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : ntdll!NtAlpcSendWaitReceivePort+0xa\n"
		"00000000`0028e8c0 000007fe`fd6c1e3c : 00000000`00000000 00000000`00000000 00000000`00000000 00000000`00000000 : RPCRT4!LRPC_CCALL::SendReceive+0x156\n");
	struct thread *t = thread_at_address(s, 0xfffffa8004d3e060);
	CU_ASSERT_EQUAL_FATAL(t->frame_count, 4);
	CU_ASSERT_STRING_EQUAL(frame(t, 0), "nt!KiSwapContext");
	CU_ASSERT_STRING_EQUAL(frame(t, 1), "nt!KiCommitThreadWait");
	CU_ASSERT_STRING_EQUAL(frame(t, 2), "ntdll!NtAlpcSendWaitReceivePort");
	CU_ASSERT_STRING_EQUAL(frame(t, 3), "RPCRT4!LRPC_CCALL::SendReceive");
}

/* kn numbers frames in hex, kc prints no addresses; both at a user-mode
 * prompt belong to that debugger thread. */
static void numbered_stacks_kn_and_kc(void)
{
	size_t count = scan_all(
		"0:000> kn\n"
		" # Child-SP          RetAddr           Call Site\n"
		"00 00000000`0012f5d8 000007fe`fd611203 ntdll!NtWaitForSingleObject+0xa\n"
		"01 00000000`0012f5e0 00000000`76e9fe1b KERNELBASE!WaitForSingleObjectEx+0x79\n"
		"0a 00000000`0012f680 00000000`00000000 ledger!wmain+0x5c\n"
		"0:000> ~3kc\n"
		" # Call Site\n"
		"00 ntdll!NtAlpcSendWaitReceivePort\n"
		"01 rpcrt4!LRPC_BASE_CCALL::DoSendReceive\n"
		"02 rpcrt4!NdrClientCall2\n"
		"0f ledger!Journal::Flush\n");
	CU_ASSERT_EQUAL_FATAL(count, 1);
	struct snapshot *s = capture(0);
	struct thread *t0 = u64_map_get(&s->thread_by_debugger_index, 0);
	struct thread *t3 = u64_map_get(&s->thread_by_debugger_index, 3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t3);
	CU_ASSERT_EQUAL_FATAL(t0->frame_count, 3);
	CU_ASSERT_STRING_EQUAL(frame(t0, 0), "ntdll!NtWaitForSingleObject");
	CU_ASSERT_STRING_EQUAL(frame(t0, 1), "KERNELBASE!WaitForSingleObjectEx");
	CU_ASSERT_STRING_EQUAL(frame(t0, 2), "ledger!wmain");
	CU_ASSERT_EQUAL_FATAL(t3->frame_count, 4);
	CU_ASSERT_STRING_EQUAL(frame(t3, 0), "ntdll!NtAlpcSendWaitReceivePort");
	CU_ASSERT_STRING_EQUAL(frame(t3, 1), "rpcrt4!LRPC_BASE_CCALL::DoSendReceive");
	CU_ASSERT_STRING_EQUAL(frame(t3, 3), "ledger!Journal::Flush");
	CU_ASSERT_FALSE(s->system.kernel_mode);
	CU_ASSERT_STRING_EQUAL_OR_NULL(s->system.debugger, "cdb");
	CU_ASSERT_EQUAL(s->threads.count, 2);
}

/* Current builds print inlined frames with placeholders for the
 * addresses; `kc` of older builds prints call sites without numbers. */
static void inline_frames_and_unnumbered_kc(void)
{
	struct snapshot *s = scan(
		"0: kd:x86> !thread ffffc38e1a4f2080\n"
		"THREAD ffffc38e1a4f2080  Cid 1c2c.2e08  Teb: 000000a3c1d6e000 Win32Thread: 0000000000000000 WAIT: (WrAlpcReceive) UserMode Non-Alertable\n"
		" # Child-SP          RetAddr               Call Site\n"
		"00 ffffa08c`2d1c7560 fffff804`1a2c6b20     nt!KiSwapContext+0x76\n"
		"01 (Inline Function) --------`--------     nt!KiSwapThread+0x500\n"
		"02 ffffa08c`2d1c76a0 fffff804`1a2c85e1     nt!KiCommitThreadWait+0x14f\n");
	struct thread *t = thread_at_address(s, 0xffffc38e1a4f2080);
	CU_ASSERT_STRING_EQUAL_OR_NULL(s->system.debugger, "kd");
	CU_ASSERT_TRUE(s->system.kernel_mode);
	CU_ASSERT_EQUAL_FATAL(t->frame_count, 3);
	CU_ASSERT_STRING_EQUAL(frame(t, 0), "nt!KiSwapContext");
	CU_ASSERT_STRING_EQUAL(frame(t, 1), "nt!KiSwapThread");
	CU_ASSERT_STRING_EQUAL(frame(t, 2), "nt!KiCommitThreadWait");

	s = scan(
		"0:004> kc\n"
		"ntdll!KiFastSystemCallRet\n"
		"ntdll!NtRequestWaitReplyPort\n"
		"RPCRT4!LRPC_CCALL::SendReceive\n"
		"WARNING: Stack unwind information not available. Following frames may be wrong.\n"
		"0:004> k\n"
		"ledger!Journal::Flush\n");
	t = u64_map_get(&s->thread_by_debugger_index, 4);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL_FATAL(t->frame_count, 3);
	CU_ASSERT_STRING_EQUAL(frame(t, 0), "ntdll!KiFastSystemCallRet");
	CU_ASSERT_STRING_EQUAL(frame(t, 2), "RPCRT4!LRPC_CCALL::SendReceive");
}

/* ---- copies that blogs and books made ---------------------------------- */

/* WordPress turns "0x" into "0×" (U+00D7): in offsets, in "0x0" frames
 * and in addresses. */
static void wordpress_multiplication_sign(void)
{
	struct snapshot *s = scan(
		"kd> !thread 87432520\n"
		"THREAD 87432520  Cid 0b10.0dd8  Teb: 7ff83000 Win32Thread: 00000000 WAIT: (Unknown) UserMode Non-Alertable\n"
		"    8743270c  Semaphore Limit 0\xc3\x97" "1\n"
		"    87439a10  Mutant - owning thread 0\xc3\x97" "866d63e8\n"
		"Waiting for reply to LPC MessageId 007ade85:\n"
		"Current LPC port 0\xc3\x97" "d676e560\n"
		"Win32 Start Address MSVCR71!_threadstartex (0\xc3\x97" "7c3494f6)\n"
		"ChildEBP RetAddr\n"
		"b6438c10 80833491 nt!KiSwapContext+0\xc3\x97" "26\n"
		"b6438c3c 8082b6f2 nt!KiSwapThread+0\xc3\x97" "2e5\n"
		"b6438c44 00000000 0\xc3\x97" "0\n");
	struct thread *t = thread_at_address(s, 0x87432520);
	CU_ASSERT_EQUAL_FATAL(t->wait_object_count, 2);
	CU_ASSERT_KNOWN_EQUAL(t->wait_objects[1].owner_thread, 0x866d63e8);
	CU_ASSERT_KNOWN_EQUAL(t->lpc_port, 0xd676e560);
	CU_ASSERT_KNOWN_EQUAL(t->lpc_wait_message_id, 0x7ade85);
	CU_ASSERT_EQUAL_FATAL(t->frame_count, 2);
	CU_ASSERT_STRING_EQUAL(frame(t, 0), "nt!KiSwapContext");
	CU_ASSERT_STRING_EQUAL(frame(t, 1), "nt!KiSwapThread");
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);
	/* The start address line is not a frame. */
	CU_ASSERT_EQUAL(s->threads.count, 2);
}

/* The same block with CRLF line ends reads the same, with no CR kept. */
static void crlf_line_ends(void)
{
	struct snapshot *s = scan(
		"kd> !thread 8a3f1020\r\n"
		"THREAD 8a3f1020  Cid 0f2c.0d10  Teb: 7ffde000 Win32Thread: e2c8e8d8 WAIT: (Unknown) KernelMode Non-Alertable\r\n"
		"    8a3f120c  Semaphore Limit 0x1\r\n"
		"Waiting for reply to LPC MessageId 0004a1b2:\r\n"
		"Current LPC port e3a1c7b8\r\n"
		"Owning Process            8a41b6f8       Image:         billing.exe\r\n"
		"Wait Start TickCount      1937115        Ticks: 45112 (0:00:11:44.875)\r\n"
		"ChildEBP RetAddr\r\n"
		"b5e3fc38 80833ec5 nt!KiSwapContext+0x26\r\n"
		"\r\n"
		"kd> !process 8a41b6f8 0\r\n"
		"PROCESS 8a41b6f8  SessionId: 0  Cid: 0f2c    Peb: 7ffd9000  ParentCid: 0264\r\n"
		"    Image: billing.exe\r\n");
	struct thread *t = thread_at_address(s, 0x8a3f1020);
	CU_ASSERT_STRING_EQUAL_OR_NULL(t->wait_mode, "KernelMode");
	CU_ASSERT_KNOWN_EQUAL(t->lpc_wait_message_id, 0x4a1b2);
	CU_ASSERT_KNOWN_EQUAL(t->lpc_port, 0xe3a1c7b8);
	CU_ASSERT_STRING_EQUAL_OR_NULL(t->wait_time, "0:00:11:44.875");
	CU_ASSERT_EQUAL_FATAL(t->frame_count, 1);
	CU_ASSERT_STRING_EQUAL(frame(t, 0), "nt!KiSwapContext");
	struct process *p = process_at_address(s, 0x8a41b6f8);
	CU_ASSERT_STRING_EQUAL_OR_NULL(p->image, "billing.exe");
	CU_ASSERT_KNOWN_EQUAL(p->parent_pid, 0x264);
	/* Seen by Cid in the THREAD header, by address under Owning Process,
	 * and in its own PROCESS block. */
	CU_ASSERT_EQUAL(p->origin.count, 3);
	CU_ASSERT_EQUAL(p->origin.at[0].at, 2);
	CU_ASSERT_EQUAL(p->origin.at[1].at, 6);
	CU_ASSERT_EQUAL(p->origin.at[2].at, 12);
	CU_ASSERT_EQUAL(s->processes.count, 1);
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);
}

/* An HTML copy with a blank line after every line, partly collapsed
 * whitespace, and the ALPC line cut after "queued at port". */
static void blank_line_after_every_line(void)
{
	struct snapshot *s = scan(
		"2: kd> !thread fffffa8007c1e060\n"                                         /* 1 */
		"\n"
		"THREAD fffffa8007c1e060 Cid 05d4.0a18 Teb: 000007fffffd8000 Win32Thread: 0000000000000000 WAIT: (WrLpcReply) KernelMode Non-Alertable\n"
		"\n"
		"    fffffa8007c1e3e0 Semaphore Limit 0x1\n"                                 /* 5 */
		"\n"
		"Waiting for reply to ALPC Message fffff8a00a3d9c70 : queued at port\n"      /* 7 */
		"\n"
		"fffffa8007a2b5e0 : owned by process fffffa80079c4060\n"                      /* 9 */
		"\n"
		"Owning Process fffffa8007b1a060 Image: printq.exe\n"                          /* 11 */
		"\n"
		"Wait Start TickCount 18281033 Ticks: 26423 (0:00:06:52.859)\n"
		"\n"
		"Child-SP RetAddr Call Site\n"
		"\n"
		"fffff880`05a1e6a0 fffff800`02ad8a92 nt!KiSwapContext+0x7a\n"
		"\n"
		"fffff880`05a1e7e0 fffff800`02adb3ef nt!KiCommitThreadWait+0x1d2\n");
	struct thread *t = thread_at_address(s, 0xfffffa8007c1e060);
	CU_ASSERT_KNOWN_EQUAL(t->pid, 0x5d4);
	CU_ASSERT_KNOWN_EQUAL(t->tid, 0xa18);
	CU_ASSERT_STRING_EQUAL_OR_NULL(t->wait_reason, "WrLpcReply");
	CU_ASSERT_STRING_EQUAL_OR_NULL(t->wait_mode, "KernelMode");
	CU_ASSERT_EQUAL(t->wait_object_count, 1);
	CU_ASSERT_KNOWN_EQUAL(t->alpc_wait_message, 0xfffff8a00a3d9c70);
	CU_ASSERT_KNOWN_EQUAL(t->alpc_wait_port, 0xfffffa8007a2b5e0);
	CU_ASSERT_KNOWN_EQUAL(t->alpc_wait_port_owner, 0xfffffa80079c4060);
	CU_ASSERT_KNOWN_EQUAL(t->process_address, 0xfffffa8007b1a060);
	CU_ASSERT_KNOWN_EQUAL(t->wait_ticks, 26423);
	CU_ASSERT_EQUAL_FATAL(t->frame_count, 2);
	CU_ASSERT_STRING_EQUAL(frame(t, 1), "nt!KiCommitThreadWait");
	struct message *m = message_at_address(s, 0xfffff8a00a3d9c70);
	CU_ASSERT_EQUAL(m->origin.at[0].at, 7);
	CU_ASSERT_KNOWN_EQUAL(m->queue_port, 0xfffffa8007a2b5e0);
	CU_ASSERT_STRING_EQUAL_OR_NULL(process_at_address(s, 0xfffffa8007b1a060)->image, "printq.exe");
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);
}

/* A book layout cuts the THREAD header after "Win32Thread:" and the ALPC
 * line after "queued at port" (formats §3.2, Windows 10 sample). */
static void thread_header_wrapped_after_win32thread(void)
{
	struct snapshot *s = scan(
		"0: kd> !thread ffffc38e1a4f2080\n"                                          /* 1 */
		"THREAD ffffc38e1a4f2080  Cid 1c2c.2e08  Teb: 000000a3c1d6e000 Win32Thread:\n" /* 2 */
		"0000000000000000 WAIT: (Suspended) KernelMode Non-Alertable\n"               /* 3 */
		"    ffffc38e1a4f2368  NotificationEvent\n"                                    /* 4 */
		"Waiting for reply to ALPC Message ffff9d01b3c4a2d0 : queued at port\n"       /* 5 */
		"ffffc38e19e7b060 : owned by process ffffc38e17d4c080\n"                       /* 6 */
		"Not impersonating\n");
	struct thread *t = thread_at_address(s, 0xffffc38e1a4f2080);
	CU_ASSERT_KNOWN_EQUAL(t->pid, 0x1c2c);
	CU_ASSERT_KNOWN_EQUAL(t->tid, 0x2e08);
	CU_ASSERT_STRING_EQUAL_OR_NULL(t->state, "WAIT");
	CU_ASSERT_STRING_EQUAL_OR_NULL(t->wait_reason, "Suspended");
	CU_ASSERT_STRING_EQUAL_OR_NULL(t->wait_mode, "KernelMode");
	CU_ASSERT_EQUAL_FATAL(t->wait_object_count, 1);
	CU_ASSERT_EQUAL(t->wait_objects[0].address, 0xffffc38e1a4f2368);
	/* Suspended, yet the ALPC line still says what it waits for. */
	CU_ASSERT_KNOWN_EQUAL(t->alpc_wait_message, 0xffff9d01b3c4a2d0);
	CU_ASSERT_KNOWN_EQUAL(t->alpc_wait_port, 0xffffc38e19e7b060);
	CU_ASSERT_KNOWN_EQUAL(t->alpc_wait_port_owner, 0xffffc38e17d4c080);
	CU_ASSERT_EQUAL(s->threads.count, 1);
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);
	struct analysis *a = analyze(s);
	CU_ASSERT_EQUAL_FATAL(a->waits.count, 1);
	const struct wait *w = a->waits.items[0];
	CU_ASSERT_EQUAL(w->via, VIA_ALPC);
	CU_ASSERT_PTR_EQUAL(w->server_process, process_at_address(s, 0xffffc38e17d4c080));
	analysis_free(a);
}

static void thread_header_wrapped_after_wait(void)
{
	struct snapshot *s = scan(
		"0: kd> !thread ffffc38e1a4f2080\n"
		"THREAD ffffc38e1a4f2080  Cid 1c2c.2e08  Teb: 000000a3c1d6e000 Win32Thread: 0000000000000000 WAIT:\n"
		"(WrLpcReply) UserMode Non-Alertable\n"
		"    ffffc38e1a4f2368  Semaphore Limit 0x1\n"
		"Not impersonating\n");
	struct thread *t = thread_at_address(s, 0xffffc38e1a4f2080);
	CU_ASSERT_STRING_EQUAL_OR_NULL(t->state, "WAIT");
	CU_ASSERT_STRING_EQUAL_OR_NULL(t->wait_reason, "WrLpcReply");
	CU_ASSERT_STRING_EQUAL_OR_NULL(t->wait_mode, "UserMode");
	CU_ASSERT_EQUAL_FATAL(t->wait_object_count, 1);
	CU_ASSERT_STRING_EQUAL(t->wait_objects[0].type, "Semaphore");
}

/* A line cut after "queued at port" whose next line is not the rest of
 * it (the copy lost it): the message is still read, and the next line
 * is read for what it is. */
static void cut_alpc_line_without_its_rest(void)
{
	struct snapshot *s = scan(
		"0: kd> !thread fffffa8004d3e060\n"                                           /* 1 */
		"THREAD fffffa8004d3e060  Cid 0a3c.0b14  Teb: 000007fffffde000 Win32Thread: 0000000000000000 WAIT: (WrLpcReply) UserMode Non-Alertable\n"
		"Waiting for reply to ALPC Message fffff8a0023c7d10 : queued at port\n"      /* 3 */
		"0: kd> !thread fffffa8004d41060\n"                                           /* 4 */
		"THREAD fffffa8004d41060  Cid 0a3c.0b18  Teb: 000007fffffdc000 Win32Thread: 0000000000000000 WAIT: (UserRequest) UserMode Non-Alertable\n"
		"    fffffa8004d413f0  SynchronizationEvent\n");
	struct thread *a = thread_at_address(s, 0xfffffa8004d3e060);
	CU_ASSERT_KNOWN_EQUAL(a->alpc_wait_message, 0xfffff8a0023c7d10);
	CU_ASSERT_FALSE(a->alpc_wait_port.known);
	CU_ASSERT_FALSE(a->alpc_wait_port_owner.known);
	struct thread *b = thread_at_address(s, 0xfffffa8004d41060);
	CU_ASSERT_KNOWN_EQUAL(b->tid, 0xb18);
	CU_ASSERT_STRING_EQUAL_OR_NULL(b->wait_reason, "UserRequest");
	CU_ASSERT_EQUAL(b->wait_object_count, 1);
	CU_ASSERT_EQUAL(b->origin.at[0].at, 5);
	CU_ASSERT_EQUAL(s->threads.count, 2);
	CU_ASSERT_EQUAL(s->ports.count, 0);
}

/* Collapsed whitespace and no indentation: the copy squeezed every run of
 * blanks, and the blank line between the PROCESS and THREAD blocks is
 * gone. */
static void collapsed_whitespace(void)
{
	struct snapshot *s = scan(
		"1: kd> !process fffffa8006b3c0f0\n"
		"PROCESS fffffa8006b3c0f0\n"
		"SessionId: 3 Cid: 2c40 Peb: 7fffffdb000 ParentCid: 2bc0\n"
		"DirBase: 13b61d000 ObjectTable: fffff8800c2295b0 HandleCount: 58.\n"
		"Image: kiosk.exe\n"
		"CommitCharge 581\n"
		"THREAD fffffa8006b45bb0 Cid 2c40.2d2c Teb: 000007fffffde000 Win32Thread: fffff900c0076010 WAIT: (WrLpcReply) UserMode Non-Alertable\n"
		"fffffa8006b45f40 Semaphore Limit 0x1\n"
		"Waiting for reply to ALPC Message fffff88012a27770 : queued at port fffffa80065bca60 : owned by process fffffa80064dfc10\n"
		"Owning Process fffffa8006b3c0f0 Image: kiosk.exe\n"
		"Wait Start TickCount 10912787 Ticks: 14208 (0:00:03:42.000)\n");
	struct process *p = process_at_address(s, 0xfffffa8006b3c0f0);
	CU_ASSERT_KNOWN_EQUAL(p->pid, 0x2c40);
	CU_ASSERT_KNOWN_EQUAL(p->parent_pid, 0x2bc0);
	CU_ASSERT_KNOWN_EQUAL(p->handle_count, 58);
	CU_ASSERT_STRING_EQUAL_OR_NULL(p->image, "kiosk.exe");
	struct thread *t = thread_at_address(s, 0xfffffa8006b45bb0);
	CU_ASSERT_KNOWN_EQUAL(t->pid, 0x2c40);
	CU_ASSERT_KNOWN_EQUAL(t->tid, 0x2d2c);
	CU_ASSERT_KNOWN_EQUAL(t->process_address, 0xfffffa8006b3c0f0);
	CU_ASSERT_EQUAL(t->wait_object_count, 1);
	CU_ASSERT_KNOWN_EQUAL(t->alpc_wait_message, 0xfffff88012a27770);
	CU_ASSERT_KNOWN_EQUAL(t->alpc_wait_port_owner, 0xfffffa80064dfc10);
	CU_ASSERT_KNOWN_EQUAL(t->wait_ticks, 14208);
	CU_ASSERT_EQUAL(s->processes.count, 2);
}

/* `!process 0 ff` lists several processes; each THREAD belongs to the
 * PROCESS block it stands in. */
static void threads_belong_to_their_process_block(void)
{
	struct snapshot *s = scan(
		"kd> !process 0 ff\n"
		"PROCESS 86c1e020  SessionId: 0  Cid: 0b58    Peb: 7ffd9000  ParentCid: 0264\n"
		"    Image: ordersvc.exe\n"
		"        THREAD 86c21d48  Cid 0b58.0b5c  Teb: 7ffdf000 Win32Thread: 00000000 WAIT: (UserRequest) UserMode Non-Alertable\n"
		"            86c21e38  SynchronizationEvent\n"
		"\n"
		"PROCESS 86d40020  SessionId: 0  Cid: 0c10    Peb: 7ffdf000  ParentCid: 0264\n"
		"    Image: ledger.exe\n"
		"        THREAD 86d41d48  Cid 0c10.0c14  Teb: 7ffdf000 Win32Thread: 00000000 WAIT: (UserRequest) UserMode Non-Alertable\n"
		"            86d41e38  SynchronizationEvent\n"
		"        THREAD 86d42d48  Cid 0c10.0c18  Teb: 7ffde000 Win32Thread: 00000000 RUNNING on processor 0\n");
	CU_ASSERT_EQUAL(s->processes.count, 2);
	CU_ASSERT_EQUAL(s->threads.count, 3);
	CU_ASSERT_KNOWN_EQUAL(thread_at_address(s, 0x86c21d48)->process_address, 0x86c1e020);
	CU_ASSERT_KNOWN_EQUAL(thread_at_address(s, 0x86d41d48)->process_address, 0x86d40020);
	CU_ASSERT_KNOWN_EQUAL(thread_at_address(s, 0x86d42d48)->process_address, 0x86d40020);
	CU_ASSERT_EQUAL(thread_at_address(s, 0x86d41d48)->wait_object_count, 1);
	CU_ASSERT_EQUAL(thread_at_address(s, 0x86d41d48)->wait_objects[0].address, 0x86d41e38);
	CU_ASSERT_PTR_EQUAL(thread_process(s, thread_at_address(s, 0x86d42d48)),
			    process_at_address(s, 0x86d40020));
}

int main(void)
{
	static const struct test_case processes[] = {
		{ "PROCESS header on three lines", process_header_on_three_lines },
		{ "PROCESS header on one line", process_header_on_one_line },
		{ "PROCESS header with values missing", process_header_with_values_missing },
		{ "threads belong to their PROCESS block", threads_belong_to_their_process_block },
		{ NULL, NULL },
	};
	static const struct test_case threads[] = {
		{ "THREAD block with ALPC wait", thread_block_with_alpc_wait },
		{ "every thread state", every_thread_state },
		{ "wait objects and mutant owner", wait_objects_and_mutant_owner },
		{ "LPC wait and server lines", lpc_wait_and_server_lines },
		{ "IRP List counting", irp_list_counting },
		{ "kernel stack not resident", kernel_stack_not_resident },
		{ NULL, NULL },
	};
	static const struct test_case stacks[] = {
		{ "x86 stack with k and kb", x86_stack_with_k_and_kb },
		{ "x64 stack with kv", x64_stack_with_kv },
		{ "numbered stacks kn and kc", numbered_stacks_kn_and_kc },
		{ "inline frames and unnumbered kc", inline_frames_and_unnumbered_kc },
		{ NULL, NULL },
	};
	static const struct test_case copies[] = {
		{ "WordPress multiplication sign", wordpress_multiplication_sign },
		{ "CRLF line ends", crlf_line_ends },
		{ "blank line after every line", blank_line_after_every_line },
		{ "THREAD header wrapped after Win32Thread:", thread_header_wrapped_after_win32thread },
		{ "THREAD header wrapped after WAIT:", thread_header_wrapped_after_wait },
		{ "cut ALPC line without its rest", cut_alpc_line_without_its_rest },
		{ "collapsed whitespace", collapsed_whitespace },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = {
		{ "transcript: PROCESS", processes },
		{ "transcript: THREAD", threads },
		{ "transcript: stacks", stacks },
		{ "transcript: damaged copies", copies },
	};
	int status = run_suites("test_transcript_kernel", suites, sizeof suites / sizeof *suites);
	scanned_release();
	return status;
}
