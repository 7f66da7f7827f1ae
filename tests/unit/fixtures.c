#include <stdio.h>
#include <string.h>

#include "fixtures.h"

static struct origin at(uint64_t line)
{
	return origin_line(line);
}

static struct process *add_process(struct snapshot *s, uint64_t address, uint64_t pid,
				   const char *image, uint64_t line)
{
	struct process *p = snapshot_process(s, known_u64(address), known_u64(pid), at(line));
	p->image = snapshot_text(s, image, strlen(image));
	return p;
}

static struct thread *add_thread(struct snapshot *s, uint64_t address, uint64_t pid, uint64_t tid,
				 uint64_t process, const char *reason, uint64_t line)
{
	struct thread *t =
		snapshot_thread(s, known_u64(address), known_u64(pid), known_u64(tid), at(line));
	t->process_address = known_u64(process);
	t->state = "WAIT";
	t->wait_reason = reason;
	t->wait_mode = "UserMode";
	return t;
}

static struct port *add_port(struct snapshot *s, uint64_t address, const char *name,
			     uint64_t owner, uint64_t line)
{
	struct port *port = snapshot_port(s, address, at(line));
	port->flavor = FLAVOR_ALPC;
	port->kind = PORT_ALPC_CONNECTION;
	port->name = snapshot_text(s, name, strlen(name));
	port->owner_process = known_u64(owner);
	return port;
}

/* A thread waiting on an ALPC message, as `!thread` and `!alpc /m` show it. */
static void add_alpc_wait(struct snapshot *s, struct thread *client, uint64_t message_address,
			  uint64_t message_id, struct port *port, uint64_t server_thread,
			  uint64_t line)
{
	client->alpc_wait_message = known_u64(message_address);
	client->alpc_wait_port = port->address;
	client->alpc_wait_port_owner = port->owner_process;
	struct message *m =
		snapshot_message(s, FLAVOR_ALPC, known_u64(message_address), known_u64(message_id), at(line));
	m->type = "LPC_REQUEST";
	m->waiting_thread = client->address;
	m->queue = QUEUE_PENDING;
	m->queue_port = port->address;
	m->queue_port_kind = port->kind;
	m->queue_port_owner = port->owner_process;
	if (server_thread)
		m->server_thread = known_u64(server_thread);
	u64_vec_push_unique(&port->queues[QUEUE_PENDING].messages, message_address);
	port->queues[QUEUE_PENDING].length = known_u64(port->queues[QUEUE_PENDING].messages.count);
}

static struct snapshot *alpc_deadlock_unfinished(void)
{
	struct snapshot *s = snapshot_new("fixture-deadlock.txt", "transcript");
	s->system.arch = "x64";
	s->system.debugger = "kd";
	s->system.kernel_mode = true;
	add_process(s, 0xffffa00000001000ULL, 0x100, "alpha.exe", 1);
	add_process(s, 0xffffa00000002000ULL, 0x200, "beta.exe", 10);
	struct thread *ta = add_thread(s, 0xffffa00000001104ULL, 0x100, 0x104,
				       0xffffa00000001000ULL, "WrLpcReply", 5);
	struct thread *tb = add_thread(s, 0xffffa00000002204ULL, 0x200, 0x204,
				       0xffffa00000002000ULL, "WrLpcReply", 14);
	struct port *beta = add_port(s, 0xffffc00000002000ULL, "\\RPC Control\\BetaPort",
				     0xffffa00000002000ULL, 20);
	struct port *alpha = add_port(s, 0xffffc00000001000ULL, "\\RPC Control\\AlphaPort",
				      0xffffa00000001000ULL, 30);
	add_alpc_wait(s, ta, 0xffffb00000000001ULL, 0x0bfc, beta, 0xffffa00000002204ULL, 40);
	add_alpc_wait(s, tb, 0xffffb00000000002ULL, 0x0c01, alpha, 0xffffa00000001104ULL, 60);
	return s;
}

struct snapshot *fixture_alpc_deadlock(void)
{
	struct snapshot *s = alpc_deadlock_unfinished();
	snapshot_finish(s);
	return s;
}

/* fixture_alpc_deadlock, and gamma.exe between the two: a second alpha
 * thread waits on gamma's port and gamma's thread on beta's, both
 * requests still unreceived (process-level waits).  alpha -> gamma ->
 * beta -> alpha is a ring of processes only because of the deadlock. */
struct snapshot *fixture_alpc_deadlock_and_chain(void)
{
	struct snapshot *s = alpc_deadlock_unfinished();
	add_process(s, 0xffffa00000003000ULL, 0x300, "gamma.exe", 70);
	struct thread *alpha2 = add_thread(s, 0xffffa00000001108ULL, 0x100, 0x108,
					   0xffffa00000001000ULL, "WrLpcReply", 71);
	struct thread *gamma = add_thread(s, 0xffffa00000003304ULL, 0x300, 0x304,
					  0xffffa00000003000ULL, "WrLpcReply", 72);
	struct port *gamma_port = add_port(s, 0xffffc00000003000ULL, "\\RPC Control\\GammaPort",
					   0xffffa00000003000ULL, 73);
	add_alpc_wait(s, alpha2, 0xffffb00000000003ULL, 0x0c05, gamma_port, 0, 74);
	add_alpc_wait(s, gamma, 0xffffb00000000004ULL, 0x0c09,
		      snapshot_find_port(s, 0xffffc00000002000ULL), 0, 75);
	snapshot_finish(s);
	return s;
}

struct snapshot *fixture_alpc_ring(unsigned n)
{
	struct snapshot *s = snapshot_new("fixture-ring.txt", "transcript");
	s->system.arch = "x64";
	s->system.kernel_mode = true;
	if (n < 2)
		n = 2;
	char name[64];
	for (unsigned i = 0; i < n; i++) {
		uint64_t pid = 0x100ULL * (i + 1);
		snprintf(name, sizeof name, "proc%u.exe", i);
		add_process(s, 0xffffa00000000000ULL + pid * 0x10, pid, name, 1 + i);
		add_thread(s, 0xffffa10000000000ULL + pid + 4, pid, pid + 4,
			   0xffffa00000000000ULL + pid * 0x10, "WrLpcReply", 100 + i);
		snprintf(name, sizeof name, "\\RPC Control\\Port%u", i);
		add_port(s, 0xffffc00000000000ULL + pid * 0x10, name,
			 0xffffa00000000000ULL + pid * 0x10, 200 + i);
	}
	for (unsigned i = 0; i < n; i++) {
		uint64_t pid = 0x100ULL * (i + 1), next = 0x100ULL * ((i + 1) % n + 1);
		struct thread *client = snapshot_find_thread(s, 0xffffa10000000000ULL + pid + 4);
		struct port *port = snapshot_find_port(s, 0xffffc00000000000ULL + next * 0x10);
		add_alpc_wait(s, client, 0xffffb00000000000ULL + pid, 0x1000 + i, port,
			      0xffffa10000000000ULL + next + 4, 300 + i);
	}
	snapshot_finish(s);
	return s;
}

struct snapshot *fixture_hostile_names(void)
{
	struct snapshot *s = snapshot_new("<script>alert(1)</script>.txt", "transcript");
	s->system.arch = "x86";
	static const char evil_image[] = "<img src=x onerror=alert(1)>";
	static const char evil_port[] = "\\RPC Control\\\"];x[label=<b>&amp;</b>]\"<script>";
	static const char bad_utf8[] = "caf\xe9-\xff.exe";
	add_process(s, 0x81000000, 0x10, evil_image, 1);
	struct process *q = add_process(s, 0x82000000, 0x20, "x", 2);
	q->image = snapshot_text(s, bad_utf8, sizeof bad_utf8 - 1);
	struct thread *t = add_thread(s, 0x81000100, 0x10, 0x14, 0x81000000, "WrLpcReply", 3);
	struct thread *u = add_thread(s, 0x82000100, 0x20, 0x24, 0x82000000, "WrLpcReply", 4);
	struct port *p = add_port(s, 0xe1000000, evil_port, 0x82000000, 5);
	struct port *r = add_port(s, 0xe2000000, "a&b<c>'d'\"e\"", 0x81000000, 6);
	add_alpc_wait(s, t, 0xe3000000, 1, p, 0x82000100, 7);
	add_alpc_wait(s, u, 0xe4000000, 2, r, 0x81000100, 8);
	snapshot_warn(s, at(9), "odd line: <b>%s</b>", "&\"'");
	snapshot_finish(s);
	return s;
}

struct snapshot *fixture_chain_to_critical_section(unsigned n)
{
	struct snapshot *s = snapshot_new("fixture-chain.txt", "transcript");
	s->system.arch = "x64";
	s->system.kernel_mode = true;
	if (n < 2)
		n = 2;
	char name[64];
	for (unsigned i = 0; i < n; i++) {
		uint64_t pid = 0x1000ULL + 0x10 * i;
		snprintf(name, sizeof name, "link%u.exe", i);
		add_process(s, 0xffffa20000000000ULL + pid * 0x100, pid, name, 1 + i);
		struct thread *t = add_thread(s, 0xffffa30000000000ULL + pid * 0x100, pid, pid + 4,
					      0xffffa20000000000ULL + pid * 0x100,
					      i + 1 < n ? "WrLpcReply" : "UserRequest", 50 + i);
		snprintf(name, sizeof name, "\\RPC Control\\Link%u", i);
		add_port(s, 0xffffc20000000000ULL + pid * 0x100, name,
			 0xffffa20000000000ULL + pid * 0x100, 100 + i);
		if (i + 1 == n) {
			static const char *frames[] = {
				"nt!KiSwapContext", "nt!KeWaitForSingleObject",
				"ntdll!NtWaitForSingleObject", "ntdll!RtlpWaitOnCriticalSection",
				"ntdll!RtlEnterCriticalSection", "link!Worker",
			};
			thread_set_frames(s, t, frames, 6);
			struct wait_object event = { 0xffffa40000000000ULL, "SynchronizationEvent",
						     UNKNOWN_U64 };
			thread_add_wait_object(s, t, event);
		}
	}
	for (unsigned i = 0; i + 1 < n; i++) {
		uint64_t pid = 0x1000ULL + 0x10 * i, next = 0x1000ULL + 0x10 * (i + 1);
		struct thread *client = snapshot_find_thread(s, 0xffffa30000000000ULL + pid * 0x100);
		struct port *port = snapshot_find_port(s, 0xffffc20000000000ULL + next * 0x100);
		add_alpc_wait(s, client, 0xffffb20000000000ULL + pid, 0x2000 + i, port,
			      0xffffa30000000000ULL + next * 0x100, 200 + i);
	}
	snapshot_finish(s);
	return s;
}

struct snapshot *fixture_quiet_system(void)
{
	struct snapshot *s = snapshot_new("fixture-quiet.txt", "transcript");
	s->system.arch = "x64";
	add_process(s, 0xffffa00000005000ULL, 0x4, "System", 1);
	add_process(s, 0xffffa00000006000ULL, 0x1d8, "smss.exe", 2);
	struct thread *t = add_thread(s, 0xffffa00000006100ULL, 0x1d8, 0x208,
				      0xffffa00000006000ULL, "WrAlpcReceive", 3);
	(void)t;
	add_port(s, 0xffffc48d8895de20ULL, "SmApiPort", 0xffffa00000006000ULL, 4);
	snapshot_finish(s);
	return s;
}
