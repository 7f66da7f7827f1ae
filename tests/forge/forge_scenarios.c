/* Issue 4's scenarios (forge_scenarios.h says what each shows).  Images
 * and port names are ones a real Windows has (svchost.exe,
 * \RPC Control\ntsvcs, ...); process and thread ids are the forge's.
 * Every scenario starts with System (pid 4) and its idle-looking thread. */
#include <stdio.h>

#include "forge_scenario_builder.h"

enum {
	RUNNING = FORGE_THREAD_RUNNING,
	READY = FORGE_THREAD_READY,
	WAITING = FORGE_THREAD_WAITING,
	REPLY = FORGE_WAIT_LPC_REPLY,
	RECEIVE = FORGE_WAIT_LPC_RECEIVE,
	USER_REQUEST = FORGE_WAIT_USER_REQUEST,
	WR_QUEUE = FORGE_WAIT_WR_QUEUE,
};

static void system_process(struct scenario *s)
{
	uint64_t system = scenario_process(s, 4, "System");
	scenario_thread(s, system, 8, WAITING, WR_QUEUE);
}

/* svchost (0x3a8) and spoolsv (0x5c4) call each other; each call was
 * received by the thread that now makes the other call. */
struct forge_scenario_facts *forge_scenario_two_process_deadlock(struct forge_windows *w)
{
	struct scenario s;
	scenario_begin(&s, w, "deadlock-2");
	system_process(&s);
	uint64_t svchost = scenario_process(&s, 0x3a8, "svchost.exe");
	uint64_t spoolsv = scenario_process(&s, 0x5c4, "spoolsv.exe");
	uint64_t a = scenario_thread(&s, svchost, 0x3b0, WAITING, REPLY);
	uint64_t a_listener = scenario_thread(&s, svchost, 0x3b4, WAITING, RECEIVE);
	uint64_t b = scenario_thread(&s, spoolsv, 0x5c8, WAITING, REPLY);
	uint64_t b_listener = scenario_thread(&s, spoolsv, 0x5cc, WAITING, RECEIVE);
	uint64_t svchost_port = scenario_listen(&s, svchost, "\\RPC Control\\LRPC-0f6b3c2a9d41e87550");
	uint64_t spoolss_port = scenario_listen(&s, spoolsv, "\\RPC Control\\spoolss");
	scenario_receive(&s, svchost_port, a_listener);
	scenario_receive(&s, spoolss_port, b_listener);
	uint64_t a_client, a_server, b_client, b_server;
	scenario_connect(&s, svchost, spoolss_port, &a_client, &a_server);
	scenario_connect(&s, spoolsv, svchost_port, &b_client, &b_server);
	scenario_request(&s, &(struct scenario_request){ .waiting_thread = a, .owner_port = a_client,
		.queue_port = spoolss_port, .queue = FORGE_QUEUE_PENDING, .server_thread = b, .callback_id = 0x11 });
	scenario_request(&s, &(struct scenario_request){ .waiting_thread = b, .owner_port = b_client,
		.queue_port = svchost_port, .queue = FORGE_QUEUE_PENDING, .server_thread = a, .callback_id = 0x12 });
	scenario_cycle(&s, (const uint64_t[]){ a, b }, 2);
	return scenario_end(&s);
}

/* services (0x284) -> lsass (0x2b4) -> svchost (0x47c) -> services: the
 * last request is still queued, so the ring is process-level. */
struct forge_scenario_facts *forge_scenario_three_process_cycle(struct forge_windows *w)
{
	struct scenario s;
	scenario_begin(&s, w, "cycle-3");
	system_process(&s);
	uint64_t services = scenario_process(&s, 0x284, "services.exe");
	uint64_t lsass = scenario_process(&s, 0x2b4, "lsass.exe");
	uint64_t svchost = scenario_process(&s, 0x47c, "svchost.exe");
	uint64_t a = scenario_thread(&s, services, 0x288, WAITING, REPLY);
	uint64_t b = scenario_thread(&s, lsass, 0x2b8, WAITING, REPLY);
	uint64_t c = scenario_thread(&s, svchost, 0x480, WAITING, REPLY);
	uint64_t ntsvcs = scenario_listen(&s, services, "\\RPC Control\\ntsvcs");
	uint64_t lsarpc = scenario_listen(&s, lsass, "\\RPC Control\\lsasspirpc");
	uint64_t lrpc = scenario_listen(&s, svchost, "\\RPC Control\\LRPC-7a1e5d90c3b24f6a88");
	uint64_t ab_client, ab_server, bc_client, bc_server, ca_client, ca_server;
	scenario_connect(&s, services, lsarpc, &ab_client, &ab_server);
	scenario_connect(&s, lsass, lrpc, &bc_client, &bc_server);
	scenario_connect(&s, svchost, ntsvcs, &ca_client, &ca_server);
	scenario_request(&s, &(struct scenario_request){ .waiting_thread = a, .owner_port = ab_client,
		.queue_port = lsarpc, .queue = FORGE_QUEUE_PENDING, .server_thread = b });
	scenario_request(&s, &(struct scenario_request){ .waiting_thread = b, .owner_port = bc_client,
		.queue_port = lrpc, .queue = FORGE_QUEUE_PENDING, .server_thread = c });
	scenario_request(&s, &(struct scenario_request){ .waiting_thread = c, .owner_port = ca_client,
		.queue_port = ntsvcs, .queue = FORGE_QUEUE_MAIN });
	scenario_cycle(&s, (const uint64_t[]){ a, b, c }, 3);
	return scenario_end(&s);
}

/* explorer -> sihost -> svchost -> taskhostw -> dllhost ->
 * SearchIndexer, each call received by the thread that makes the next;
 * SearchIndexer's thread waits on a mutant a running thread of its own
 * holds.  A chain, no cycle.  SearchIndexer.exe is stored as its first
 * 15 bytes. */
struct forge_scenario_facts *forge_scenario_chain_to_mutant(struct forge_windows *w)
{
	static const struct {
		uint64_t pid;
		const char *image, *port;
	} links[6] = {
		{ 0xa10, "explorer.exe", "\\RPC Control\\LRPC-1c7d2e0b5a9f43c611" },
		{ 0xb24, "sihost.exe", "\\RPC Control\\LRPC-2d8e3f1c6b0a54d722" },
		{ 0xc38, "svchost.exe", "\\RPC Control\\LRPC-3e9f402d7c1b65e833" },
		{ 0xd4c, "taskhostw.exe", "\\RPC Control\\LRPC-4fa0513e8d2c76f944" },
		{ 0xe60, "dllhost.exe", "\\RPC Control\\OLE5B0C624F9E3D87A055" },
		{ 0xf74, "SearchIndexer.exe", "\\RPC Control\\MSSEARCH-REMOTE" },
	};
	struct scenario s;
	scenario_begin(&s, w, "chain-6-mutant");
	system_process(&s);
	uint64_t processes[6], threads[6], ports[6];
	for (size_t i = 0; i < 6; i++) {
		processes[i] = scenario_process(&s, links[i].pid, links[i].image);
		threads[i] = scenario_thread(&s, processes[i], links[i].pid + 4, WAITING, i < 5 ? REPLY : USER_REQUEST);
		ports[i] = scenario_listen(&s, processes[i], links[i].port);
	}
	for (size_t i = 0; i < 5; i++) {
		uint64_t client, server;
		scenario_connect(&s, processes[i], ports[i + 1], &client, &server);
		scenario_request(&s, &(struct scenario_request){ .waiting_thread = threads[i], .owner_port = client,
			.queue_port = ports[i + 1], .queue = FORGE_QUEUE_PENDING, .server_thread = threads[i + 1] });
	}
	uint64_t holder = scenario_thread(&s, processes[5], links[5].pid + 8, RUNNING, 0);
	scenario_mutant_wait(&s, threads[5], holder, "\\BaseNamedObjects\\Global\\MsSearchCatalogLock");
	return scenario_end(&s);
}

/* Requests nobody has received: two clients of one svchost (0x31c),
 * one request on the connection port's MainQueue and one on a server
 * communication port's; the server's two threads wait for messages. */
struct forge_scenario_facts *forge_scenario_main_queue(struct forge_windows *w)
{
	struct scenario s;
	scenario_begin(&s, w, "main-queue");
	system_process(&s);
	uint64_t server = scenario_process(&s, 0x31c, "svchost.exe");
	uint64_t edge = scenario_process(&s, 0x1a2c, "msedge.exe");
	uint64_t teams = scenario_process(&s, 0x1b40, "Teams.exe");
	uint64_t listener1 = scenario_thread(&s, server, 0x320, WAITING, RECEIVE);
	uint64_t listener2 = scenario_thread(&s, server, 0x324, WAITING, RECEIVE);
	uint64_t edge_thread = scenario_thread(&s, edge, 0x1a30, WAITING, REPLY);
	uint64_t teams_thread = scenario_thread(&s, teams, 0x1b44, WAITING, REPLY);
	uint64_t port = scenario_listen(&s, server, "\\RPC Control\\epmapper");
	scenario_receive(&s, port, listener1);
	scenario_receive(&s, port, listener2);
	uint64_t edge_client, edge_server, teams_client, teams_server;
	scenario_connect(&s, edge, port, &edge_client, &edge_server);
	scenario_connect(&s, teams, port, &teams_client, &teams_server);
	scenario_request(&s, &(struct scenario_request){ .waiting_thread = edge_thread, .owner_port = edge_client,
		.queue_port = port, .queue = FORGE_QUEUE_MAIN, .callback_id = 0x1fef27, .sequence_no = 4 });
	scenario_request(&s, &(struct scenario_request){ .waiting_thread = teams_thread, .owner_port = teams_client,
		.queue_port = teams_server, .queue = FORGE_QUEUE_MAIN, .sequence_no = 9 });
	return scenario_end(&s);
}

/* Requests received: lsass's threads hold winlogon's and svchost's calls
 * (PENDING, ServerThread set); one is running, one ready. */
struct forge_scenario_facts *forge_scenario_pending(struct forge_windows *w)
{
	struct scenario s;
	scenario_begin(&s, w, "pending");
	system_process(&s);
	uint64_t lsass = scenario_process(&s, 0x2b4, "lsass.exe");
	uint64_t winlogon = scenario_process(&s, 0x24c, "winlogon.exe");
	uint64_t svchost = scenario_process(&s, 0x3a8, "svchost.exe");
	uint64_t worker1 = scenario_thread(&s, lsass, 0x2c0, RUNNING, 0);
	uint64_t worker2 = scenario_thread(&s, lsass, 0x2c4, READY, 0);
	uint64_t winlogon_thread = scenario_thread(&s, winlogon, 0x250, WAITING, REPLY);
	uint64_t svchost_thread = scenario_thread(&s, svchost, 0x3ac, WAITING, REPLY);
	uint64_t port = scenario_listen(&s, lsass, "\\RPC Control\\LSARPC_ENDPOINT");
	uint64_t c1, s1, c2, s2;
	scenario_connect(&s, winlogon, port, &c1, &s1);
	scenario_connect(&s, svchost, port, &c2, &s2);
	scenario_request(&s, &(struct scenario_request){ .waiting_thread = winlogon_thread, .owner_port = c1,
		.queue_port = port, .queue = FORGE_QUEUE_PENDING, .server_thread = worker1 });
	scenario_request(&s, &(struct scenario_request){ .waiting_thread = svchost_thread, .owner_port = c2,
		.queue_port = port, .queue = FORGE_QUEUE_PENDING, .server_thread = worker2 });
	return scenario_end(&s);
}

/* Two calls taskhostw (0x1234) gave up on: canceled, on the connection
 * port's CanceledQueue, nobody waiting; a third call is live (MAIN). */
struct forge_scenario_facts *forge_scenario_canceled(struct forge_windows *w)
{
	struct scenario s;
	scenario_begin(&s, w, "canceled");
	system_process(&s);
	uint64_t server = scenario_process(&s, 0x460, "svchost.exe");
	uint64_t client = scenario_process(&s, 0x1234, "taskhostw.exe");
	scenario_thread(&s, server, 0x464, RUNNING, 0);
	uint64_t caller = scenario_thread(&s, client, 0x1238, WAITING, REPLY);
	uint64_t port = scenario_listen(&s, server, "\\RPC Control\\ubpmtaskhostchannel");
	uint64_t client_port, server_port;
	scenario_connect(&s, client, port, &client_port, &server_port);
	for (int i = 0; i < 2; i++)
		scenario_request(&s, &(struct scenario_request){ .owner_port = client_port, .queue_port = port,
			.queue = FORGE_QUEUE_CANCELED, .canceled = true });
	scenario_request(&s, &(struct scenario_request){ .waiting_thread = caller, .owner_port = client_port,
		.queue_port = port, .queue = FORGE_QUEUE_MAIN });
	return scenario_end(&s);
}

/* svchost (0x6f0) connected to its own port: one of its threads waits
 * for another of its threads, which runs.  No cycle. */
struct forge_scenario_facts *forge_scenario_self_connection(struct forge_windows *w)
{
	struct scenario s;
	scenario_begin(&s, w, "self-connection");
	system_process(&s);
	uint64_t svchost = scenario_process(&s, 0x6f0, "svchost.exe");
	uint64_t caller = scenario_thread(&s, svchost, 0x6f4, WAITING, REPLY);
	uint64_t worker = scenario_thread(&s, svchost, 0x6f8, RUNNING, 0);
	uint64_t port = scenario_listen(&s, svchost, "\\RPC Control\\LRPC-6c2b9e8d01f34a7d5e");
	uint64_t client, server;
	scenario_connect(&s, svchost, port, &client, &server);
	scenario_request(&s, &(struct scenario_request){ .waiting_thread = caller, .owner_port = client,
		.queue_port = port, .queue = FORGE_QUEUE_PENDING, .server_thread = worker });
	return scenario_end(&s);
}

/* A listed, named port and three ports nothing points at: unnamed, no
 * handle, off AlpcpPortList.  Only their pool headers and object headers
 * are left to find them (a port whose handle was closed while the
 * object lives on). */
struct forge_scenario_facts *forge_scenario_pool_only(struct forge_windows *w)
{
	struct scenario s;
	scenario_begin(&s, w, "pool-only");
	system_process(&s);
	uint64_t svchost = scenario_process(&s, 0x7c4, "svchost.exe");
	scenario_thread(&s, svchost, 0x7c8, WAITING, RECEIVE);
	uint64_t listed = scenario_listen(&s, svchost, "\\RPC Control\\LRPC-9d4c1b7a0e3f52b8c6");
	scenario_receive(&s, listed, s.facts->threads[s.facts->thread_count - 1].ethread);
	for (int i = 0; i < 3; i++) {
		uint64_t port = forge_alpc_connection_port(w, svchost, NULL);
		forge_alpc_unlist_port(w, port);
		struct forge_scenario_port facts = {
			.address = port, .kind = FORGE_PORT_CONNECTION, .owner_pid = 0x7c4, .owner_eprocess = svchost,
			.communication_info = forge_alpc_communication_info(w, port), .connection_port = port,
			.pool_only = true,
		};
		if (s.facts->port_count == s.port_room) {
			s.port_room = s.port_room ? 2 * s.port_room : 16;
			s.facts->ports = checked_realloc(s.facts->ports, s.port_room * sizeof *s.facts->ports);
		}
		s.facts->ports[s.facts->port_count++] = facts;
	}
	return scenario_end(&s);
}

/* 300 processes x 40 ports: each owns 8 connection ports, connects 16
 * times (connection j of process i goes to port j % 8 of process
 * (i + 1 + j) % 300) and so also serves 16 connections.  Every even
 * process's caller waits for a reply from the next (odd) process, still
 * queued (MAIN): 150 probable waits, no two in a row, no cycle. */
enum { MANY_PROCESSES = 300, MANY_LISTENERS = 8, MANY_CONNECTIONS = 16 };
struct forge_scenario_facts *forge_scenario_many_ports(struct forge_windows *w)
{
	static const char *const images[] = { "svchost.exe", "RuntimeBroker.exe", "dllhost.exe", "conhost.exe",
					       "SearchHost.exe", "backgroundTaskHost.exe" };
	struct scenario s;
	scenario_begin(&s, w, "many-ports");
	system_process(&s);
	static uint64_t processes[MANY_PROCESSES], callers[MANY_PROCESSES],
		ports[MANY_PROCESSES][MANY_LISTENERS], first_client[MANY_PROCESSES];
	for (size_t i = 0; i < MANY_PROCESSES; i++) {
		uint64_t pid = 0x1000 + 8 * i;
		processes[i] = scenario_process(&s, pid, images[i % 6]);
		uint64_t listener = scenario_thread(&s, processes[i], pid + 4, WAITING, RECEIVE);
		callers[i] = scenario_thread(&s, processes[i], pid + 0x800, i % 2 ? RUNNING : WAITING, i % 2 ? 0 : REPLY);
		for (size_t j = 0; j < MANY_LISTENERS; j++) {
			char name[64];
			snprintf(name, sizeof name, "\\RPC Control\\LRPC-%04zx%02zx5e1d3c7b9a", i, j);
			ports[i][j] = scenario_listen(&s, processes[i], name);
		}
		scenario_receive(&s, ports[i][0], listener);
	}
	for (size_t i = 0; i < MANY_PROCESSES; i++)
		for (size_t j = 0; j < MANY_CONNECTIONS; j++) {
			uint64_t client, server;
			scenario_connect(&s, processes[i], ports[(i + 1 + j) % MANY_PROCESSES][j % MANY_LISTENERS], &client,
					 &server);
			if (j == 0)
				first_client[i] = client;
		}
	for (size_t i = 0; i < MANY_PROCESSES; i += 2)
		scenario_request(&s, &(struct scenario_request){ .waiting_thread = callers[i], .owner_port = first_client[i],
			.queue_port = ports[i + 1][0], .queue = FORGE_QUEUE_MAIN });
	return scenario_end(&s);
}
