/* The transcript scanner's loop: prompts and the commands typed at them,
 * skipped commands and author elisions, how a file splits into captures
 * (and that captures never share facts), --same-machine, the user-mode
 * `|`, `~` and `k` listings, `!object` name chains, line numbers, and bad
 * input of every kind.  Inputs are invented. */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "transcript_helpers.h"
#include "../../src/correlate/correlate.h"

/* A file under the harness's private temporary directory. */
static const char *write_temp(const char *name, const char *data, size_t length)
{
	static char path[4096];
	snprintf(path, sizeof path, "%s/%s", test_temp_dir(), name);
	FILE *file = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(file);
	CU_ASSERT_EQUAL(fwrite(data, 1, length, file), length);
	fclose(file);
	return path;
}

static size_t scan_file(const char *path, const struct transcript_options *options)
{
	scanned_release();
	transcript_read_file(path, options, &scanned);
	return scanned.count;
}

/* ---- prompts and commands ---------------------------------------------- */

static void every_prompt_family(void)
{
	static const struct {
		const char *text, *debugger;
		bool kernel;
	} prompts[] = {
		{ "kd> !process 86c1e020 0\nPROCESS 86c1e020  SessionId: 0  Cid: 0b58    Peb: 7ffd9000  ParentCid: 0264\n",
		  "kd", true },
		{ "3: kd> !process 86c1e020 0\nPROCESS 86c1e020  SessionId: 0  Cid: 0b58    Peb: 7ffd9000  ParentCid: 0264\n",
		  "kd", true },
		{ "lkd> !process 86c1e020 0\nPROCESS 86c1e020  SessionId: 0  Cid: 0b58    Peb: 7ffd9000  ParentCid: 0264\n",
		  "lkd", true },
		{ "0:000> |\n.  0\tid: b58\tattach\tname: C:\\Apps\\ordersvc.exe\n", "cdb", false },
		{ "0:031:x86> |\n.  0\tid: b58\texamine\tname: ordersvc.exe\n", "cdb", false },
		{ "D:\\x>dbgrpc -t -P b58\nPID  CELL ID   ST TID      LASTTIME\n-----\n0b58 0000.0002 01 000004c8 0004caa5\n",
		  "dbgrpc", false },
	};
	for (size_t i = 0; i < sizeof prompts / sizeof *prompts; i++) {
		struct snapshot *s = scan(prompts[i].text);
		CU_ASSERT_STRING_EQUAL_OR_NULL(s->system.debugger, prompts[i].debugger);
		CU_ASSERT_EQUAL(s->system.kernel_mode, prompts[i].kernel);
		struct process *p = process_with_pid(s, 0xb58);
		if (i >= 3 && i <= 4) {
			CU_ASSERT_STRING_EQUAL_OR_NULL(p->image, "ordersvc.exe");
			CU_ASSERT_TRUE(p->debuggee);
		}
		CU_ASSERT_EQUAL(s->status, STATUS_OK);
		CU_ASSERT_EQUAL(s->diagnostics.count, 0);
	}
}

/* A docs page glued two prompts together ("0:000>0: kd> !process 0 0"):
 * the inner prompt is the one that ran the command. */
static void glued_prompts(void)
{
	struct snapshot *s = scan(
		"0:000>0: kd> !process 0 0\n"
		"**** NT ACTIVE PROCESS DUMP ****\n"
		"PROCESS ffffe00011a2f040\n"
		"    SessionId: none  Cid: 0004    Peb: 00000000  ParentCid: 0000\n"
		"    Image: System\n");
	CU_ASSERT_STRING_EQUAL_OR_NULL(s->system.debugger, "kd");
	CU_ASSERT_TRUE(s->system.kernel_mode);
	CU_ASSERT_STRING_EQUAL_OR_NULL(process_with_pid(s, 4)->image, "System");
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);
}

static void unknown_commands_are_skipped_with_a_note(void)
{
	struct snapshot *s = scan(
		"1: kd> !VadDump\n"                                                           /* 1 */
		"VAD @ 8a2c1d40\n"
		"0: kd> !handle 0 3 86c1e020\n"                                               /* 3 */
		"PROCESS 86c1e020  SessionId: 0  Cid: 0b58    Peb: 7ffd9000  ParentCid: 0264\n"
		"    Image: ordersvc.exe\n"
		"THREAD 86c21d48  Cid 0b58.0b5c  Teb: 7ffdf000 Win32Thread: 00000000 WAIT: (UserRequest) UserMode Non-Alertable\n"
		"0: kd> .reload\n"                                                            /* 7 */
		"Loading Kernel Symbols\n"
		"0: kd> !thread 86c23720\n"                                                   /* 9 */
		"THREAD 86c23720  Cid 0b58.0b80  Teb: 7ffd6000 Win32Thread: 00000000 WAIT: (UserRequest) UserMode Non-Alertable\n");
	CU_ASSERT_EQUAL(diagnostics_reading(s, DIAGNOSTIC_NOTE,
					    "t.txt:1: output of '!VadDump' skipped: alpcgraph does not read that command"),
			1);
	CU_ASSERT_EQUAL(diagnostics_reading(s, DIAGNOSTIC_NOTE,
					    "t.txt:3: output of '!handle' skipped: alpcgraph does not read that command"),
			1);
	/* .reload is known and quiet: no note. */
	CU_ASSERT_EQUAL(s->diagnostics.count, 2);
	/* What the skipped commands printed is not read, even what looks like
	 * a PROCESS or THREAD block. */
	CU_ASSERT_PTR_NULL(snapshot_find_process(s, 0x86c1e020));
	CU_ASSERT_PTR_NULL(snapshot_find_thread(s, 0x86c21d48));
	CU_ASSERT_EQUAL(s->threads.count, 1);
	CU_ASSERT_EQUAL(thread_at_address(s, 0x86c23720)->origin.at[0].at, 10);
	CU_ASSERT_EQUAL(s->status, STATUS_OK);
}

static void elisions_are_noted(void)
{
	struct snapshot *s = scan(
		"0: kd> !thread 86c23720\n"                                                   /* 1 */
		"THREAD 86c23720  Cid 0b58.0b80  Teb: 7ffd6000 Win32Thread: 00000000 WAIT: (UserRequest) UserMode Non-Alertable\n"
		"[...]\n"                                                                     /* 3 */
		"0: kd> !thread 86c23a00\n"
		"THREAD 86c23a00  Cid 0b58.0b84  Teb: 7ffd5000 Win32Thread: 00000000 WAIT: (WrQueue) UserMode Alertable\n"
		"[\xe2\x80\xa6]\n"                                                            /* 6 */
		"0: kd> !thread 86c23ce0\n"
		"THREAD 86c23ce0  Cid 0b58.0b88  Teb: 7ffd4000 Win32Thread: 00000000 WAIT: (DelayExecution) UserMode Alertable\n"
		"    .....\n");                                                               /* 9 */
	CU_ASSERT_EQUAL(diagnostics_reading(s, DIAGNOSTIC_NOTE,
					    "t.txt:3: the author left output out here ('[...]')"), 1);
	CU_ASSERT_EQUAL(diagnostics_reading(s, DIAGNOSTIC_NOTE,
					    "t.txt:6: the author left output out here ('[\xe2\x80\xa6]')"), 1);
	CU_ASSERT_EQUAL(diagnostics_reading(s, DIAGNOSTIC_NOTE,
					    "t.txt:9: the author left output out here ('.....')"), 1);
	CU_ASSERT_EQUAL(s->diagnostics.count, 3);
	CU_ASSERT_EQUAL(s->threads.count, 3);
	CU_ASSERT_EQUAL(s->status, STATUS_OK);
}

/* ---- captures ------------------------------------------------------------ */

static const char two_sessions[] =
	"Microsoft (R) Windows Debugger Version 6.12.0002.633 AMD64\n"                          /* 1 */
	"Loading Dump File [C:\\dumps\\first.dmp]\n"                                           /* 2 */
	"Windows 7 Kernel Version 7601 (Service Pack 1) MP (4 procs) Free x64\n"                /* 3 */
	"0: kd> !thread fffffa8004d3e060\n"                                                     /* 4 */
	"THREAD fffffa8004d3e060  Cid 0a3c.0b14  Teb: 000007fffffde000 Win32Thread: 0000000000000000 WAIT: (WrLpcReply) UserMode Non-Alertable\n"
	"Waiting for reply to ALPC Message fffff8a0023c7d10 : queued at port fffffa8004e11070 : owned by process fffffa80049b2b30\n"
	"\n"                                                                                    /* 7 */
	"Microsoft (R) Windows Debugger Version 10.0.19041.685 AMD64\n"                         /* 8 */
	"Loading Dump File [C:\\dumps\\second.dmp]\n"
	"Windows 10 Kernel Version 19041 MP (8 procs) Free x64\n"                               /* 10 */
	"0: kd> !alpc /m fffff8a0023c7d10\n"
	"Message @ fffff8a0023c7d10\n"                                                          /* 12 */
	"  WaitingThread         : fffffa8004d3e060\n"
	"  QueueType             : ALPC_MSGQUEUE_PENDING\n"
	"  ServerThread          : fffffa8004f7a4c0\n"
	"0: kd> !thread fffffa8004f7a4c0\n"
	"THREAD fffffa8004f7a4c0  Cid 02f0.0c1c  Teb: 000007fffffd6000 Win32Thread: 0000000000000000 WAIT: (UserRequest) UserMode Non-Alertable\n"; /* 17 */

static void second_banner_starts_a_capture(void)
{
	size_t count = scan_all(two_sessions);
	CU_ASSERT_EQUAL_FATAL(count, 2);
	struct snapshot *first = capture(0), *second = capture(1);
	CU_ASSERT_EQUAL(first->first_line, 1);
	CU_ASSERT_EQUAL(first->last_line, 7);
	CU_ASSERT_EQUAL(second->first_line, 8);
	CU_ASSERT_EQUAL(second->last_line, 17);
	CU_ASSERT_EQUAL(first->capture_index, 1);
	CU_ASSERT_EQUAL(second->capture_index, 2);
	CU_ASSERT_EQUAL(first->capture_count, 2);
	CU_ASSERT_EQUAL(second->capture_count, 2);
	CU_ASSERT_STRING_EQUAL_OR_NULL(first->system.build, "7601");
	CU_ASSERT_STRING_EQUAL_OR_NULL(second->system.build, "19041");
	CU_ASSERT_STRING_EQUAL_OR_NULL(first->system.arch, "x64");
	CU_ASSERT_EQUAL(diagnostics_reading(second, DIAGNOSTIC_NOTE,
					    "t.txt:8: a new capture starts here: a new debugger session"),
			1);
	CU_ASSERT_EQUAL(second->diagnostics.count, 1);
	CU_ASSERT_EQUAL(first->diagnostics.count, 0);
	/* The same addresses in another session are other objects: the
	 * message's server thread in the second dump says nothing about the
	 * first dump's wait. */
	CU_ASSERT_EQUAL(first->threads.count, 1);
	CU_ASSERT_KNOWN_EQUAL(thread_at_address(first, 0xfffffa8004d3e060)->pid, 0xa3c);
	CU_ASSERT_PTR_NULL(snapshot_find_thread(first, 0xfffffa8004f7a4c0));
	CU_ASSERT_FALSE(message_at_address(first, 0xfffff8a0023c7d10)->server_thread.known);
	CU_ASSERT_FALSE(thread_at_address(second, 0xfffffa8004d3e060)->pid.known);
	CU_ASSERT_FALSE(thread_at_address(second, 0xfffffa8004d3e060)->alpc_wait_message.known);
	struct analysis *a = analyze(first);
	CU_ASSERT_EQUAL_FATAL(a->waits.count, 1);
	CU_ASSERT_PTR_NULL(((const struct wait *)a->waits.items[0])->server_thread);
	analysis_free(a);
	a = analyze(second);
	/* The message names its waiting thread; that thread waits on it here. */
	CU_ASSERT_EQUAL_FATAL(a->waits.count, 1);
	const struct wait *w = a->waits.items[0];
	CU_ASSERT_PTR_EQUAL(w->server_thread, thread_at_address(second, 0xfffffa8004f7a4c0));
	CU_ASSERT_EQUAL(w->origin.at, 12);
	analysis_free(a);
}

/* transcript_read_file with --same-machine: one snapshot for the file. */
static void same_machine_option_keeps_one_capture(void)
{
	struct transcript_options options = { .same_machine = true };
	size_t count = scan_all_with(two_sessions, strlen(two_sessions), &options);
	CU_ASSERT_EQUAL_FATAL(count, 1);
	struct snapshot *s = capture(0);
	CU_ASSERT_EQUAL(s->first_line, 1);
	CU_ASSERT_EQUAL(s->last_line, 17);
	CU_ASSERT_EQUAL(diagnostics_containing(s, DIAGNOSTIC_NOTE, "a new capture"), 0);
	struct analysis *a = analyze(s);
	CU_ASSERT_EQUAL_FATAL(a->waits.count, 1);
	const struct wait *w = a->waits.items[0];
	CU_ASSERT_PTR_EQUAL(w->client, thread_at_address(s, 0xfffffa8004d3e060));
	CU_ASSERT_PTR_EQUAL(w->server_thread, thread_at_address(s, 0xfffffa8004f7a4c0));
	analysis_free(a);
}

static void prompt_family_change_starts_a_capture(void)
{
	size_t count = scan_all(
		"0: kd> !thread 86c23720\n"
		"THREAD 86c23720  Cid 0b58.0b80  Teb: 7ffd6000 Win32Thread: 00000000 WAIT: (UserRequest) UserMode Non-Alertable\n"
		"0:000> ~\n"                                                                 /* 3 */
		".  0  Id: 0b58.0b80 Suspend: 1 Teb: 7ffd6000 Unfrozen\n");
	CU_ASSERT_EQUAL_FATAL(count, 2);
	struct snapshot *kernel = capture(0), *user = capture(1);
	CU_ASSERT_STRING_EQUAL_OR_NULL(kernel->system.debugger, "kd");
	CU_ASSERT_STRING_EQUAL_OR_NULL(user->system.debugger, "cdb");
	CU_ASSERT_TRUE(kernel->system.kernel_mode);
	CU_ASSERT_FALSE(user->system.kernel_mode);
	CU_ASSERT_EQUAL(kernel->last_line, 2);
	CU_ASSERT_EQUAL(user->first_line, 3);
	CU_ASSERT_EQUAL(diagnostics_reading(user, DIAGNOSTIC_NOTE,
					    "t.txt:3: a new capture starts here: the prompt shows another debugger"),
			1);
	/* The same Cid in the user-mode session is not merged with the
	 * kernel's thread object. */
	struct thread *t = thread_with_cid(user, 0xb58, 0xb80);
	CU_ASSERT_FALSE(t->address.known);
	CU_ASSERT_KNOWN_EQUAL(t->debugger_index, 0);
	CU_ASSERT_EQUAL(kernel->threads.count, 1);
	CU_ASSERT_FALSE(thread_at_address(kernel, 0x86c23720)->debugger_index.known);
}

/* The same EPROCESS with another Cid is another dump: the new capture
 * starts at the PROCESS header, on one line or three. */
static void process_address_with_another_cid(void)
{
	size_t count = scan_all(
		"kd> !process 0 0\n"                                                                 /* 1 */
		"PROCESS 86c1e020  SessionId: 0  Cid: 0b58    Peb: 7ffd9000  ParentCid: 0264\n"     /* 2 */
		"    Image: ordersvc.exe\n"                                                         /* 3 */
		"PROCESS 86c1e020  SessionId: 0  Cid: 0f10    Peb: 7ffd9000  ParentCid: 0264\n"     /* 4 */
		"    Image: ordersvc.exe\n"                                                         /* 5 */
		"\n"                                                                                /* 6 */
		"PROCESS 86c1e020\n"                                                                /* 7 */
		"    SessionId: 0  Cid: 1c04    Peb: 7ffd9000  ParentCid: 0264\n"                  /* 8 */
		"    Image: ordersvc.exe\n");                                                       /* 9 */
	CU_ASSERT_EQUAL_FATAL(count, 3);
	static const struct {
		uint64_t pid, first, last;
	} expected[] = { { 0xb58, 1, 3 }, { 0xf10, 4, 6 }, { 0x1c04, 7, 9 } };
	for (size_t i = 0; i < 3; i++) {
		struct snapshot *s = capture(i);
		CU_ASSERT_EQUAL(s->first_line, expected[i].first);
		CU_ASSERT_EQUAL(s->last_line, expected[i].last);
		CU_ASSERT_EQUAL(s->processes.count, 1);
		struct process *p = process_at_address(s, 0x86c1e020);
		CU_ASSERT_KNOWN_EQUAL(p->pid, expected[i].pid);
		CU_ASSERT_STRING_EQUAL_OR_NULL(p->image, "ordersvc.exe");
		/* Each capture's process cites only that capture's lines. */
		CU_ASSERT_EQUAL(p->origin.at[0].at, expected[i].first + (i == 0));
		for (uint32_t k = 0; k < p->origin.count && k < ORIGINS_KEPT; k++) {
			CU_ASSERT_TRUE(p->origin.at[k].at >= expected[i].first);
			CU_ASSERT_TRUE(p->origin.at[k].at <= expected[i].last);
		}
	}
	CU_ASSERT_EQUAL(diagnostics_reading(capture(1), DIAGNOSTIC_NOTE,
					    "t.txt:4: a new capture starts here: the same process address with another Cid"),
			1);
	CU_ASSERT_EQUAL(diagnostics_reading(capture(2), DIAGNOSTIC_NOTE,
					    "t.txt:7: a new capture starts here: the same process address with another Cid"),
			1);
	CU_ASSERT_PTR_NULL(snapshot_find_process_by_pid(capture(0), 0xf10));
	CU_ASSERT_PTR_NULL(snapshot_find_process_by_pid(capture(2), 0xb58));
}

/* The same EPROCESS with a name that is not the other's truncation. */
static void process_address_with_another_image(void)
{
	size_t count = scan_all(
		"0: kd> !alpc /lpp fffffa8004b7e940\n"
		"Ports created by the process fffffa8004b7e940:\n"
		"Ports the process fffffa8004b7e940 is connected to:\n"
		"    fffffa8004e6c2f0 0 -> fffffa8003f1e9d0('ApiPort') 0 fffffa8003e2a060('csrss.exe')\n"
		"0: kd> !process fffffa8004b7e940 0\n"                                               /* 5 */
		"PROCESS fffffa8004b7e940\n"                                                        /* 6 */
		"    SessionId: 1  Cid: 0d44    Peb: 7fffffd7000  ParentCid: 0470\n"
		"    Image: reportgenerator.exe\n"
		"0: kd> !process fffffa8003e2a060 0\n"                                              /* 9 */
		"PROCESS fffffa8003e2a060\n"                                                        /* 10 */
		"    SessionId: 1  Cid: 01e8    Peb: 7fffffd5000  ParentCid: 01d0\n"
		"    Image: winlogon.exe\n");                                                       /* 12 */
	CU_ASSERT_EQUAL_FATAL(count, 2);
	struct snapshot *s = capture(0);
	CU_ASSERT_STRING_EQUAL_OR_NULL(process_at_address(s, 0xfffffa8004b7e940)->image,
				       "reportgenerator.exe");
	CU_ASSERT_STRING_EQUAL_OR_NULL(process_at_address(s, 0xfffffa8003e2a060)->image, "csrss.exe");
	CU_ASSERT_EQUAL(s->last_line, 9);
	struct snapshot *other = capture(1);
	CU_ASSERT_EQUAL(other->first_line, 10);
	struct process *p = process_at_address(other, 0xfffffa8003e2a060);
	CU_ASSERT_STRING_EQUAL_OR_NULL(p->image, "winlogon.exe");
	CU_ASSERT_KNOWN_EQUAL(p->pid, 0x1e8);
	CU_ASSERT_EQUAL(p->origin.at[0].at, 10);
	CU_ASSERT_EQUAL(other->ports.count, 0);
}

/* A 16-digit THREAD in the thread list of an 8-digit port: another
 * machine pasted in.  The list of the first capture's port does not take
 * the other machine's thread (this once wrote through a closed list). */
static void address_width_change_inside_a_port_listing(void)
{
	size_t count = scan_all(
		"kd> !alpc /p 86e11070\n"                                                          /* 1 */
		"Port  86e11070\n"
		"  Type                      : ALPC_CONNECTION_PORT\n"
		"  2 thread(s) are waiting on the port:\n"
		"    THREAD 86f7a4c0  Cid 02f0.0c1c  Teb: 7ffd6000 Win32Thread: 00000000 WAIT\n"      /* 5 */
		"    THREAD ffff8d0c1f602080  Cid 04a8.0d1c  Teb: 0000009e3b6c5000 Win32Thread: 0000000000000000 WAIT\n"
		"  Main queue is empty.\n");                                                        /* 7 */
	CU_ASSERT_EQUAL_FATAL(count, 2);
	struct snapshot *first = capture(0), *second = capture(1);
	struct port *p = port_at_address(first, 0x86e11070);
	CU_ASSERT_EQUAL_FATAL(p->waiting_threads.count, 1);
	CU_ASSERT_EQUAL(p->waiting_threads.items[0], 0x86f7a4c0);
	CU_ASSERT_PTR_NULL(snapshot_find_thread(first, 0xffff8d0c1f602080));
	CU_ASSERT_STRING_EQUAL_OR_NULL(first->system.arch, "x86");
	CU_ASSERT_EQUAL(first->last_line, 5);
	CU_ASSERT_STRING_EQUAL_OR_NULL(second->system.arch, "x64");
	CU_ASSERT_EQUAL(second->first_line, 6);
	CU_ASSERT_KNOWN_EQUAL(thread_at_address(second, 0xffff8d0c1f602080)->tid, 0xd1c);
	CU_ASSERT_EQUAL(second->ports.count, 0);
}

/* ---- --same-machine: two files into one snapshot ------------------------ */

static void read_into_merges_two_files(void)
{
	static const char client_side[] =
		"0: kd> !thread fffffa8004d3e060\n"
		"THREAD fffffa8004d3e060  Cid 0a3c.0b14  Teb: 000007fffffde000 Win32Thread: 0000000000000000 WAIT: (WrLpcReply) UserMode Non-Alertable\n"
		"Waiting for reply to ALPC Message fffff8a0023c7d10 : queued at port fffffa8004e11070 : owned by process fffffa80049b2b30\n";
	static const char server_side[] =
		"Microsoft (R) Windows Debugger Version 10.0.19041.685 AMD64\n"
		"0: kd> !alpc /m fffff8a0023c7d10\n"
		"Message @ fffff8a0023c7d10\n"                                                     /* 3 */
		"  QueueType             : ALPC_MSGQUEUE_PENDING\n"
		"  ServerThread          : fffffa8004f7a4c0\n"
		"0: kd> !thread fffffa8004f7a4c0\n"
		"THREAD fffffa8004f7a4c0  Cid 02f0.0c1c  Teb: 000007fffffd6000 Win32Thread: 0000000000000000 WAIT: (UserRequest) UserMode Non-Alertable\n"; /* 7 */
	char first[4096], second[4096];
	snprintf(first, sizeof first, "%s", write_temp("client.txt", client_side, strlen(client_side)));
	snprintf(second, sizeof second, "%s", write_temp("server.txt", server_side, strlen(server_side)));
	struct snapshot *s = snapshot_new(first, "transcript");
	transcript_read_into(first, s);
	transcript_read_into(second, s);
	snapshot_finish(s);
	CU_ASSERT_EQUAL(s->sources.count, 2);
	struct thread *client = thread_at_address(s, 0xfffffa8004d3e060);
	struct thread *server = thread_at_address(s, 0xfffffa8004f7a4c0);
	CU_ASSERT_EQUAL(client->origin.at[0].file, 0);
	CU_ASSERT_EQUAL(client->origin.at[0].at, 2);
	CU_ASSERT_EQUAL(server->origin.at[0].file, 1);
	CU_ASSERT_EQUAL(server->origin.at[0].at, 5);
	struct message *m = message_at_address(s, 0xfffff8a0023c7d10);
	CU_ASSERT_EQUAL(m->origin.count, 2);
	CU_ASSERT_EQUAL(m->origin.at[1].file, 1);
	CU_ASSERT_EQUAL(m->origin.at[1].at, 3);
	char where[4200];
	snapshot_describe_origin(s, server->origin.at[0], where, sizeof where);
	char expected[4200];
	snprintf(expected, sizeof expected, "%s:5", second);
	CU_ASSERT_STRING_EQUAL(where, expected);
	/* A banner in the second file does not split anything. */
	CU_ASSERT_EQUAL(diagnostics_containing(s, DIAGNOSTIC_NOTE, "a new capture"), 0);
	CU_ASSERT_EQUAL(s->status, STATUS_OK);
	struct analysis *a = analyze(s);
	CU_ASSERT_EQUAL_FATAL(a->waits.count, 1);
	const struct wait *w = a->waits.items[0];
	CU_ASSERT_PTR_EQUAL(w->client, client);
	CU_ASSERT_PTR_EQUAL(w->server_thread, server);
	analysis_free(a);
	snapshot_free(s);
}

static void read_into_a_missing_file_warns(void)
{
	char missing[4096];
	snprintf(missing, sizeof missing, "%s/absent.txt", test_temp_dir());
	struct snapshot *s = snapshot_new("present.txt", "transcript");
	transcript_read_into(missing, s);
	snapshot_finish(s);
	CU_ASSERT_EQUAL(s->status, STATUS_PARTIAL);
	char expected[4200];
	snprintf(expected, sizeof expected, "%s: cannot open: No such file or directory", missing);
	CU_ASSERT_EQUAL(diagnostics_reading(s, DIAGNOSTIC_WARNING, expected), 1);
	snapshot_free(s);
}

/* ---- user-mode lists and stacks ---------------------------------------- */

static void user_mode_lists_and_stacks(void)
{
	struct snapshot *s = scan(
		"0:031> |\n"                                                                     /* 1 */
		".  0\tid: 1d4c\tattach\tname: C:\\Program Files\\Ledger\\ledger.exe\n"         /* 2 */
		"0:031> ~\n"                                                                     /* 3 */
		"   0  Id: 1d4c.1d50 Suspend: 1 Teb: 7efdd000 Unfrozen\n"                        /* 4 */
		".  31  Id: 1d4c.2a10 Suspend: 1 Teb: 7ef19000 Unfrozen\n"                       /* 5 */
		"#  32  Id: 1d4c.2b3c Suspend: 1 Teb: 7ef16000 Unfrozen \"Journal writer\"\n"    /* 6 */
		"0:031> ~*k\n"                                                                   /* 7 */
		"\n"
		"   0  Id: 1d4c.1d50 Suspend: 1 Teb: 7efdd000 Unfrozen\n"
		"ChildEBP RetAddr\n"
		"0012fe3c 7c90e9c0 ntdll!KiFastSystemCallRet\n"
		"0012fe40 7c8023ed ntdll!ZwWaitForSingleObject+0xc\n"
		"\n"
		"#  32  Id: 1d4c.2b3c Suspend: 1 Teb: 7ef16000 Unfrozen \"Journal writer\"\n"
		"ChildEBP RetAddr\n"
		"0583fe3c 7c90e9c0 ntdll!KiFastSystemCallRet\n"
		"0583fe40 7c90d4ec ntdll!NtDelayExecution+0xc\n"
		"0583fe8c 00401a2e ledger!Journal::Flush+0x3e\n"
		"0:031> kc\n"                                                                    /* 19 */
		" # \n"
		"00 ntdll!NtAlpcSendWaitReceivePort\n"
		"01 rpcrt4!LRPC_BASE_CCALL::DoSendReceive\n"
		"02 rpcrt4!NdrClientCall4\n"
		"0:031> ~0k\n"                                                                   /* 24 */
		"ChildEBP RetAddr\n"
		"0012fe3c 7c90e9c0 ntdll!NtDelayExecution\n");
	CU_ASSERT_EQUAL(s->processes.count, 1);
	struct process *p = process_with_pid(s, 0x1d4c);
	CU_ASSERT_TRUE(p->debuggee);
	CU_ASSERT_STRING_EQUAL_OR_NULL(p->image, "ledger.exe");
	CU_ASSERT_EQUAL(p->origin.at[0].at, 2);
	CU_ASSERT_EQUAL(s->threads.count, 3);
	struct thread *t0 = thread_with_cid(s, 0x1d4c, 0x1d50);
	struct thread *t31 = thread_with_cid(s, 0x1d4c, 0x2a10);
	struct thread *t32 = thread_with_cid(s, 0x1d4c, 0x2b3c);
	CU_ASSERT_KNOWN_EQUAL(t0->debugger_index, 0);
	CU_ASSERT_KNOWN_EQUAL(t31->debugger_index, 31);
	CU_ASSERT_KNOWN_EQUAL(t32->debugger_index, 32);
	CU_ASSERT_EQUAL(t31->origin.at[0].at, 5);
	CU_ASSERT_PTR_EQUAL(u64_map_get(&s->thread_by_debugger_index, 31), t31);
	/* ~*k: each stack under its thread's line; the first listing wins
	 * over the later ~0k. */
	CU_ASSERT_EQUAL_FATAL(t0->frame_count, 2);
	CU_ASSERT_STRING_EQUAL(frame(t0, 1), "ntdll!ZwWaitForSingleObject");
	CU_ASSERT_EQUAL_FATAL(t32->frame_count, 3);
	CU_ASSERT_STRING_EQUAL(frame(t32, 2), "ledger!Journal::Flush");
	/* kc at "0:031>" is thread 31's stack. */
	CU_ASSERT_EQUAL_FATAL(t31->frame_count, 3);
	CU_ASSERT_STRING_EQUAL(frame(t31, 0), "ntdll!NtAlpcSendWaitReceivePort");
	CU_ASSERT_STRING_EQUAL(frame(t31, 2), "rpcrt4!NdrClientCall4");
	CU_ASSERT_FALSE(s->system.kernel_mode);
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);
}

/* A WOW64 prompt "0:031:x86>" is thread 31 too. */
static void wow64_prompt_names_its_thread(void)
{
	struct snapshot *s = scan(
		"0:031:x86> kc\n"
		" # Call Site\n"
		"00 ntdll_77d20000!NtRequestWaitReplyPort\n"
		"01 rpcrt4!LRPC_CCALL::SendReceive\n");
	struct thread *t = u64_map_get(&s->thread_by_debugger_index, 31);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	CU_ASSERT_EQUAL_FATAL(t->frame_count, 2);
	CU_ASSERT_STRING_EQUAL(frame(t, 0), "ntdll_77d20000!NtRequestWaitReplyPort");
	CU_ASSERT_EQUAL(t->origin.at[0].at, 1);
}

/* ---- !object -------------------------------------------------------------- */

static void object_chain_names_a_port(void)
{
	struct snapshot *s = scan(
		"lkd> !alpc /lpp fffffa80353c3060\n"                                           /* 1 */
		"Ports created by the process fffffa80353c3060:\n"
		"    fffffa80352ea740('LedgerRpcPort') 0, 0 connections\n"                      /* 3 */
		"lkd> !object fffffa80352ea740\n"                                               /* 4 */
		"Object: fffffa80352ea740  Type: (fffffa8030d11080) ALPC Port\n"               /* 5 */
		"    ObjectHeader: fffffa80352ea710 (new version)\n"
		"    HandleCount: 1  PointerCount: 4\n"
		"    Directory Object: fffff8a0003e1c60  Name: LedgerRpcPort\n"
		"lkd> !object fffff8a0003e1c60\n"
		"Object: fffff8a0003e1c60  Type: (fffffa8030c7e8c0) Directory\n"
		"    ObjectHeader: fffff8a0003e1c30 (new version)\n"
		"    HandleCount: 0  PointerCount: 72\n"
		"    Directory Object: fffff8a000004ca0  Name: RPC Control\n"
		"lkd> !object fffff8a000004ca0\n"
		"Object: fffff8a000004ca0  Type: (fffffa8030c7e8c0) Directory\n"
		"    ObjectHeader: fffff8a000004c70 (new version)\n"
		"    HandleCount: 0  PointerCount: 44\n"
		"    Directory Object: 00000000  Name: \\\n"
		"lkd> !object fffffa8035a1d0b0\n"                                               /* 19 */
		"Object: fffffa8035a1d0b0  Type: (fffffa8030d11080) ALPC Port\n"               /* 20 */
		"    Directory Object: fffff8a0009b3e20  Name: OrphanPort\n"
		"lkd> !object fffffa8035a1e0b0\n"
		"Object: fffffa8035a1e0b0  Type: (fffffa8030c7e8c0) Event\n"
		"    Directory Object: fffff8a000004ca0  Name: LedgerReady\n");
	struct port *named = port_at_address(s, 0xfffffa80352ea740);
	CU_ASSERT_STRING_EQUAL_OR_NULL(named->name, "\\RPC Control\\LedgerRpcPort");
	CU_ASSERT_EQUAL(named->flavor, FLAVOR_ALPC);
	CU_ASSERT_EQUAL(named->origin.at[0].at, 3);
	CU_ASSERT_EQUAL(named->origin.at[1].at, 5);
	/* A chain that does not reach the root gives the bare name. */
	struct port *orphan = port_at_address(s, 0xfffffa8035a1d0b0);
	CU_ASSERT_STRING_EQUAL_OR_NULL(orphan->name, "OrphanPort");
	CU_ASSERT_EQUAL(orphan->flavor, FLAVOR_ALPC);
	CU_ASSERT_EQUAL(orphan->origin.at[0].at, 20);
	/* Objects that are not ports make no port. */
	CU_ASSERT_PTR_NULL(snapshot_find_port(s, 0xfffffa8035a1e0b0));
	CU_ASSERT_PTR_NULL(snapshot_find_port(s, 0xfffff8a0003e1c60));
	CU_ASSERT_EQUAL(s->ports.count, 2);
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);
}

/* ---- bad input ------------------------------------------------------------ */

static void empty_input(void)
{
	size_t count = scan_all("");
	CU_ASSERT_EQUAL_FATAL(count, 1);
	struct snapshot *s = capture(0);
	CU_ASSERT_EQUAL(s->status, STATUS_ERROR);
	CU_ASSERT_EQUAL(diagnostics_reading(s, DIAGNOSTIC_ERROR, "t.txt: empty file"), 1);
	CU_ASSERT_EQUAL(s->diagnostics.count, 1);
}

static void only_prose(void)
{
	struct snapshot *s = scan(
		"Last week the print spooler hung again.\n"
		"\n"
		"We attached a debugger and looked at the threads; see below.\n");
	CU_ASSERT_EQUAL(s->status, STATUS_ERROR);
	CU_ASSERT_EQUAL(diagnostics_reading(s, DIAGNOSTIC_ERROR,
					    "t.txt: no debugger output recognised in 3 lines"),
			1);
	CU_ASSERT_TRUE(snapshot_is_empty(s));
}

static void nul_bytes(void)
{
	static const char text[] =
		"0: kd> !thread 86c23720\n"
		"THREAD 86c23720  Cid 0b58.0b80  Teb: 7ffd6000 Win32Thread: 00000000 WAIT: (UserRequest) UserMode Non-Alertable\n"
		"\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\n"                                   /* 3 */
		"    86c23810  SynchronizationEvent\n";
	size_t count = scan_all_with(text, sizeof text - 1, NULL);
	CU_ASSERT_EQUAL_FATAL(count, 1);
	struct snapshot *s = capture(0);
	CU_ASSERT_EQUAL(s->status, STATUS_PARTIAL);
	CU_ASSERT_EQUAL(diagnostics_reading(s, DIAGNOSTIC_WARNING,
					    "t.txt:3: binary data (a NUL byte) in a text transcript; line skipped"),
			1);
	CU_ASSERT_EQUAL(s->diagnostics.count, 1);
	/* Reading goes on after it. */
	CU_ASSERT_EQUAL(thread_at_address(s, 0x86c23720)->wait_object_count, 1);
}

static void too_many_binary_lines_stop_reading(void)
{
	size_t length = 0;
	char *text = malloc(400 * 8 + 256);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	length += (size_t)sprintf(text, "kd> !process 86c1e020 0\n");
	for (int i = 0; i < 300; i++) {
		memcpy(text + length, "ab\0cd\0\n", 7);
		length += 7;
	}
	length += (size_t)sprintf(text + length,
				  "PROCESS 86c1e020  SessionId: 0  Cid: 0b58    Peb: 7ffd9000  ParentCid: 0264\n");
	size_t count = scan_all_with(text, length, NULL);
	free(text);
	CU_ASSERT_EQUAL_FATAL(count, 1);
	struct snapshot *s = capture(0);
	CU_ASSERT_EQUAL(diagnostics_reading(s, DIAGNOSTIC_WARNING,
					    "t.txt:2: binary data (a NUL byte) in a text transcript; line skipped"),
			1);
	CU_ASSERT_EQUAL(diagnostics_reading(s, DIAGNOSTIC_WARNING,
					    "t.txt:258: more than 256 lines of binary data; reading stopped here"),
			1);
	CU_ASSERT_EQUAL(s->diagnostics.count, 2);
	CU_ASSERT_PTR_NULL(snapshot_find_process(s, 0x86c1e020));
	CU_ASSERT_EQUAL(s->last_line, 258);
}

/* A 70 000-byte line in memory and a 3 MiB one in a file: warned at its
 * line, and the lines after it are read. */
static void check_long_line(const struct snapshot *s)
{
	CU_ASSERT_EQUAL(s->status, STATUS_PARTIAL);
	CU_ASSERT_EQUAL(diagnostics_reading(s, DIAGNOSTIC_WARNING,
					    "t.txt:2: line longer than 65536 bytes; the rest of it was ignored"),
			1);
	CU_ASSERT_EQUAL(s->diagnostics.count, 1);
	struct process *p = process_at_address(s, 0x86c1e020);
	CU_ASSERT_KNOWN_EQUAL(p->pid, 0xb58);
	CU_ASSERT_EQUAL(p->origin.at[0].at, 3);
	CU_ASSERT_EQUAL(s->last_line, 4);
}

static char *with_long_line(size_t long_length, size_t *length)
{
	static const char head[] = "kd> !process 0 0\n";
	static const char tail[] =
		"\nPROCESS 86c1e020  SessionId: 0  Cid: 0b58    Peb: 7ffd9000  ParentCid: 0264\n"
		"    Image: ordersvc.exe\n";
	char *text = malloc(sizeof head + long_length + sizeof tail);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	memcpy(text, head, sizeof head - 1);
	memset(text + sizeof head - 1, 'x', long_length);
	memcpy(text + sizeof head - 1 + long_length, tail, sizeof tail);
	*length = sizeof head - 1 + long_length + sizeof tail - 1;
	return text;
}

static void line_longer_than_64k(void)
{
	size_t length;
	char *text = with_long_line(70000, &length);
	size_t count = scan_all_with(text, length, NULL);
	CU_ASSERT_EQUAL_FATAL(count, 1);
	check_long_line(capture(0));

	free(text);
	text = with_long_line(3 << 20, &length);
	const char *path = write_temp("long.txt", text, length);
	free(text);
	count = scan_file(path, NULL);
	CU_ASSERT_EQUAL_FATAL(count, 1);
	struct snapshot *s = capture(0);
	/* The file's own path names it in diagnostics. */
	char expected[4200];
	snprintf(expected, sizeof expected, "%s:2: line longer than 65536 bytes; the rest of it was ignored",
		 path);
	CU_ASSERT_EQUAL(diagnostics_reading(s, DIAGNOSTIC_WARNING, expected), 1);
	CU_ASSERT_EQUAL(s->diagnostics.count, 1);
	CU_ASSERT_KNOWN_EQUAL(process_at_address(s, 0x86c1e020)->pid, 0xb58);
	CU_ASSERT_STRING_EQUAL_OR_NULL(process_at_address(s, 0x86c1e020)->image, "ordersvc.exe");
	CU_ASSERT_EQUAL(s->last_line, 4);
}

static void invalid_utf8_is_repaired(void)
{
	struct snapshot *s = scan(
		"kd> !process 86c1e020 0\n"
		"PROCESS 86c1e020  SessionId: 0  Cid: 0b58    Peb: 7ffd9000  ParentCid: 0264\n"
		"    Image: l\xe9" "dger.exe\n"                                            /* 3: Latin-1 */
		"kd> !lpc port\n"
		"       1  Port: 0xe1a05650 Connection: 0xe1a05650  Communication: 0x00000000  'Caf\xe9Port'\n");
	CU_ASSERT_EQUAL(s->status, STATUS_PARTIAL);
	/* Warned once, at the first such line. */
	CU_ASSERT_EQUAL(diagnostics_reading(s, DIAGNOSTIC_WARNING,
					    "t.txt:3: invalid UTF-8; such bytes are shown as U+FFFD"),
			1);
	CU_ASSERT_EQUAL(s->diagnostics.count, 1);
	CU_ASSERT_STRING_EQUAL_OR_NULL(process_at_address(s, 0x86c1e020)->image,
				       "l\xef\xbf\xbd" "dger.exe");
	CU_ASSERT_STRING_EQUAL_OR_NULL(port_at_address(s, 0xe1a05650)->name, "Caf\xef\xbf\xbdPort");
}

/* Notepad's UTF-8 byte-order mark before the first prompt. */
static void utf8_byte_order_mark(void)
{
	struct snapshot *s = scan(
		"\xef\xbb\xbf" "kd> !process 86c1e020 0\n"
		"PROCESS 86c1e020  SessionId: 0  Cid: 0b58    Peb: 7ffd9000  ParentCid: 0264\n");
	CU_ASSERT_STRING_EQUAL_OR_NULL(s->system.debugger, "kd");
	CU_ASSERT_KNOWN_EQUAL(process_at_address(s, 0x86c1e020)->pid, 0xb58);
	CU_ASSERT_EQUAL(s->diagnostics.count, 0);
}

/* ".logopen /u" and PowerShell write UTF-16: refused with the reason,
 * not read as binary data. */
static void utf16_is_refused_with_its_reason(void)
{
	static const char text[] = "\xff\xfek\0d\0>\0 \0!\0v\0m\0\r\0\n\0P\0R\0\n\0";
	size_t count = scan_all_with(text, sizeof text - 1, NULL);
	CU_ASSERT_EQUAL_FATAL(count, 1);
	struct snapshot *s = capture(0);
	CU_ASSERT_EQUAL(s->status, STATUS_ERROR);
	CU_ASSERT_EQUAL(diagnostics_reading(s, DIAGNOSTIC_ERROR,
					    "t.txt:1: UTF-16 text (it starts with a byte-order mark); "
					    "save the transcript as UTF-8 and read it again"),
			1);
	CU_ASSERT_EQUAL(s->diagnostics.count, 1);
}

static void file_that_does_not_exist(void)
{
	char missing[4096];
	snprintf(missing, sizeof missing, "%s/no-such-transcript.txt", test_temp_dir());
	size_t count = scan_file(missing, NULL);
	CU_ASSERT_EQUAL_FATAL(count, 1);
	struct snapshot *s = capture(0);
	CU_ASSERT_EQUAL(s->status, STATUS_ERROR);
	char expected[4200];
	snprintf(expected, sizeof expected, "%s: cannot open: No such file or directory", missing);
	CU_ASSERT_EQUAL(diagnostics_reading(s, DIAGNOSTIC_ERROR, expected), 1);
	CU_ASSERT_STRING_EQUAL(s->path, missing);
	CU_ASSERT_TRUE(snapshot_is_empty(s));
}

/* The input ends inside a wrapped line: warned, and what it gave kept. */
static void input_ends_inside_wrapped_lines(void)
{
	struct snapshot *s = scan(
		"0: kd> !thread fffffa8004d3e060\n"
		"THREAD fffffa8004d3e060  Cid 0a3c.0b14  Teb: 000007fffffde000 Win32Thread: 0000000000000000 WAIT: (WrLpcReply) UserMode Non-Alertable\n"
		"Waiting for reply to ALPC Message fffff8a0023c7d10 : queued at port\n");   /* 3 */
	CU_ASSERT_EQUAL(diagnostics_reading(s, DIAGNOSTIC_WARNING,
					    "t.txt:3: the input ends inside a wrapped \"Waiting for reply to ALPC Message\" line"),
			1);
	struct thread *t = thread_at_address(s, 0xfffffa8004d3e060);
	CU_ASSERT_KNOWN_EQUAL(t->alpc_wait_message, 0xfffff8a0023c7d10);
	CU_ASSERT_FALSE(t->alpc_wait_port.known);
	CU_ASSERT_EQUAL(message_at_address(s, 0xfffff8a0023c7d10)->origin.at[0].at, 3);

	s = scan(
		"0: kd> !thread fffffa8004d3e060\n"
		"THREAD fffffa8004d3e060  Cid 0a3c.0b14  Teb: 000007fffffde000 Win32Thread:\n");
	CU_ASSERT_EQUAL(diagnostics_reading(s, DIAGNOSTIC_WARNING,
					    "t.txt:2: the input ends inside a THREAD header: the thread's state is unknown"),
			1);
	CU_ASSERT_PTR_NULL(thread_at_address(s, 0xfffffa8004d3e060)->state);

	s = scan(
		"0: kd> !thread fffffa8004d3e060\n"
		"THREAD fffffa8004d3e060  Cid 0a3c.0b14  Teb: 000007fffffde000 Win32Thread: 0000000000000000 WAIT:\n");
	CU_ASSERT_EQUAL(diagnostics_reading(s, DIAGNOSTIC_WARNING,
					    "t.txt:2: the input ends inside a THREAD header: the wait reason is unknown"),
			1);
	CU_ASSERT_STRING_EQUAL_OR_NULL(thread_at_address(s, 0xfffffa8004d3e060)->state, "WAIT");
}

int main(void)
{
	static const struct test_case commands[] = {
		{ "every prompt family", every_prompt_family },
		{ "glued prompts", glued_prompts },
		{ "unknown commands are skipped with a note", unknown_commands_are_skipped_with_a_note },
		{ "elisions are noted", elisions_are_noted },
		{ NULL, NULL },
	};
	static const struct test_case captures[] = {
		{ "second banner starts a capture", second_banner_starts_a_capture },
		{ "same-machine option keeps one capture", same_machine_option_keeps_one_capture },
		{ "prompt family change starts a capture", prompt_family_change_starts_a_capture },
		{ "process address with another Cid", process_address_with_another_cid },
		{ "process address with another image", process_address_with_another_image },
		{ "address width change inside a port listing", address_width_change_inside_a_port_listing },
		{ "read_into merges two files", read_into_merges_two_files },
		{ "read_into a missing file warns", read_into_a_missing_file_warns },
		{ NULL, NULL },
	};
	static const struct test_case listings[] = {
		{ "user-mode lists and stacks", user_mode_lists_and_stacks },
		{ "WOW64 prompt names its thread", wow64_prompt_names_its_thread },
		{ "!object chain names a port", object_chain_names_a_port },
		{ NULL, NULL },
	};
	static const struct test_case bad_input[] = {
		{ "empty input", empty_input },
		{ "only prose", only_prose },
		{ "NUL bytes", nul_bytes },
		{ "too many binary lines stop reading", too_many_binary_lines_stop_reading },
		{ "line longer than 64 KiB", line_longer_than_64k },
		{ "invalid UTF-8 is repaired", invalid_utf8_is_repaired },
		{ "UTF-8 byte-order mark", utf8_byte_order_mark },
		{ "UTF-16 is refused with its reason", utf16_is_refused_with_its_reason },
		{ "file that does not exist", file_that_does_not_exist },
		{ "input ends inside wrapped lines", input_ends_inside_wrapped_lines },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = {
		{ "transcript: prompts and commands", commands },
		{ "transcript: captures", captures },
		{ "transcript: user mode and objects", listings },
		{ "transcript: bad input", bad_input },
	};
	int status = run_suites("test_transcript_captures", suites, sizeof suites / sizeof *suites);
	scanned_release();
	return status;
}
