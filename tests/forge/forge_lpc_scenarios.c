/* Issue 5's LPC scenarios (forge_scenarios.h, "LPC scenarios", says what
 * each shows).  Images and port names are ones an XP or 2003 system has
 * (csrss.exe's \Windows\ApiPort and \Windows\SbApiPort, lsass.exe's
 * \LsaAuthenticationPort); process and thread ids and message ids are the
 * forge's.  Every scenario starts with System (pid 4). */
#include "forge_lpc_builder.h"

enum {
	RUNNING = FORGE_THREAD_RUNNING,
	WAITING = FORGE_THREAD_WAITING,
	REPLY = FORGE_WAIT_LPC_REPLY,
	RECEIVE = FORGE_WAIT_LPC_RECEIVE,
	EXECUTIVE = FORGE_WAIT_EXECUTIVE,
	WR_QUEUE = FORGE_WAIT_WR_QUEUE,
};

static void system_process(struct lpc_scenario *l)
{
	uint64_t system = scenario_process(&l->s, 4, "System");
	scenario_thread(&l->s, system, 8, WAITING, WR_QUEUE);
}

/* A server thread blocked on its port's queue semaphore (WrLpcReceive):
 * its wait block on the semaphore. */
static uint64_t receiver(struct lpc_scenario *l, uint64_t process, uint64_t tid, uint64_t port)
{
	uint64_t thread = scenario_thread(&l->s, process, tid, WAITING, RECEIVE);
	const struct forge_scenario_lpc_port *facts = lpc_port_facts(l, port);
	if (facts)
		forge_thread_waits_on(l->s.w, thread, facts->queue_semaphore);
	struct forge_scenario_thread *generic = scenario_thread_facts(&l->s, thread);
	generic->waits_for = FORGE_WAITS_FOR_LPC_RECEIVE;
	generic->wait_object = port;
	return thread;
}

/* csrss.exe (0x1f8) serves \Windows\ApiPort: a request from explorer's
 * thread waiting for its reply, a datagram from winlogon (nobody waits)
 * and a connection request from services, all queued; \Windows\SbApiPort
 * has an empty queue and a thread waiting on it. */
struct forge_scenario_facts *forge_scenario_lpc_csrss_apiport(struct forge_windows *w)
{
	struct lpc_scenario l;
	lpc_begin(&l, w, "lpc-csrss-apiport");
	system_process(&l);
	uint64_t csrss = scenario_process(&l.s, 0x1f8, "csrss.exe");
	uint64_t winlogon = scenario_process(&l.s, 0x224, "winlogon.exe");
	uint64_t services = scenario_process(&l.s, 0x2a0, "services.exe");
	uint64_t explorer = scenario_process(&l.s, 0x5a0, "explorer.exe");
	uint64_t api_port = lpc_listen(&l, csrss, "\\Windows\\ApiPort");
	uint64_t sb_port = lpc_listen(&l, csrss, "\\Windows\\SbApiPort");
	scenario_thread(&l.s, csrss, 0x1fc, RUNNING, EXECUTIVE);
	receiver(&l, csrss, 0x200, sb_port);
	uint64_t winlogon_thread = scenario_thread(&l.s, winlogon, 0x228, RUNNING, EXECUTIVE);
	uint64_t services_thread = scenario_thread(&l.s, services, 0x2a4, WAITING, EXECUTIVE);
	uint64_t explorer_thread = scenario_thread(&l.s, explorer, 0x5a4, WAITING, REPLY);
	uint64_t winlogon_client, winlogon_server, explorer_client, explorer_server;
	lpc_pair(&l, winlogon_thread, api_port, 0, &winlogon_client, &winlogon_server);
	lpc_pair(&l, explorer_thread, api_port, 0, &explorer_client, &explorer_server);
	uint32_t request = lpc_next_id(&l);
	lpc_message(&l, &(struct lpc_request){ .queue_port = api_port, .sender_port = explorer_client,
		.client_pid = 0x5a0, .client_tid = 0x5a4, .id = request, .type = FORGE_LPC_REQUEST,
		.context = 0x21, .data = { 0, 0x2021e, 0x5a0, 0x5a4, 0x2f0001, 7 }, .data_words = 6,
		.data_length = 0x7c });
	lpc_wait_reply(&l, explorer_thread, explorer_client, request);
	lpc_message(&l, &(struct lpc_request){ .queue_port = api_port, .sender_port = winlogon_client,
		.client_pid = 0x224, .client_tid = 0x228, .type = FORGE_LPC_DATAGRAM, .context = 0x22,
		.data = { 0x10, 0x228 }, .data_words = 2 });
	lpc_message(&l, &(struct lpc_request){ .queue_port = api_port, .client_pid = 0x2a0, .client_tid = 0x2a4,
		.type = FORGE_LPC_CONNECTION_REQUEST, .data = { 0x18, 0, 0x2a0 }, .data_words = 3 });
	(void)services_thread;
	return lpc_end(&l);
}

/* Client/server communication pairs: winlogon and svchost connected to
 * lsass's \LsaAuthenticationPort (svchost's client port with
 * LPCP_SECURITY_DYNAMIC, flags 0x80000004 as in §3.1), svchost connected
 * to services' \RPC Control\ntsvcs (a WaitablePort: the forge's choice),
 * and an unconnected port of svchost. */
struct forge_scenario_facts *forge_scenario_lpc_pairs(struct forge_windows *w)
{
	struct lpc_scenario l;
	lpc_begin(&l, w, "lpc-pairs");
	system_process(&l);
	uint64_t winlogon = scenario_process(&l.s, 0x224, "winlogon.exe");
	uint64_t services = scenario_process(&l.s, 0x2a0, "services.exe");
	uint64_t lsass = scenario_process(&l.s, 0x2ac, "lsass.exe");
	uint64_t svchost = scenario_process(&l.s, 0x3c0, "svchost.exe");
	uint64_t lsa_port = lpc_listen(&l, lsass, "\\LsaAuthenticationPort");
	uint64_t ntsvcs = lpc_listen_waitable(&l, services, "\\RPC Control\\ntsvcs");
	receiver(&l, lsass, 0x2b0, lsa_port);
	receiver(&l, services, 0x2a8, ntsvcs);
	uint64_t winlogon_thread = scenario_thread(&l.s, winlogon, 0x228, RUNNING, EXECUTIVE);
	uint64_t svchost_thread = scenario_thread(&l.s, svchost, 0x3c4, RUNNING, EXECUTIVE);
	uint64_t client, server;
	lpc_pair(&l, winlogon_thread, lsa_port, 0, &client, &server);
	lpc_pair(&l, svchost_thread, lsa_port, FORGE_LPC_SECURITY_DYNAMIC | FORGE_LPC_CLIENT_COMMUNICATION, &client,
		 &server);
	lpc_pair(&l, svchost_thread, ntsvcs, 0, &client, &server);
	lpc_unconnected(&l, svchost_thread);
	return lpc_end(&l);
}

/* AppA.exe's thread waits for the reply to a request svchost's thread
 * has already taken off \RPC Control\epmapper's queue (so it is on no
 * queue); the client thread sits on the server communication port's
 * LpcReplyChainHead, which is how `!lpc message` finds the pair. */
struct forge_scenario_facts *forge_scenario_lpc_received_reply_wait(struct forge_windows *w)
{
	struct lpc_scenario l;
	lpc_begin(&l, w, "lpc-received-reply-wait");
	system_process(&l);
	uint64_t svchost = scenario_process(&l.s, 0x3c0, "svchost.exe");
	uint64_t app = scenario_process(&l.s, 0x6f0, "AppA.exe");
	uint64_t epmapper = lpc_listen(&l, svchost, "\\RPC Control\\epmapper");
	receiver(&l, svchost, 0x3c8, epmapper);
	uint64_t worker = scenario_thread(&l.s, svchost, 0x3d0, RUNNING, EXECUTIVE);
	uint64_t client_thread = scenario_thread(&l.s, app, 0x6f4, WAITING, REPLY);
	uint64_t client, server;
	lpc_pair(&l, client_thread, epmapper, 0, &client, &server);
	uint32_t id = lpc_next_id(&l);
	lpc_wait_reply(&l, client_thread, client, id);
	lpc_received(&l, worker, id);
	return lpc_end(&l);
}

/* ProcessA.exe (0xb10) and ProcessB.exe (0x1524): each one's server
 * thread received the other's request and, while serving it, sent its
 * own request to the other and waits for the reply.  A definite
 * thread-level 2-cycle. */
struct forge_scenario_facts *forge_scenario_lpc_deadlock(struct forge_windows *w)
{
	struct lpc_scenario l;
	lpc_begin(&l, w, "lpc-deadlock");
	system_process(&l);
	uint64_t a = scenario_process(&l.s, 0xb10, "ProcessA.exe");
	uint64_t b = scenario_process(&l.s, 0x1524, "ProcessB.exe");
	uint64_t a_port = lpc_listen(&l, a, "\\RPC Control\\ProcessAPort");
	uint64_t b_port = lpc_listen(&l, b, "\\RPC Control\\ProcessBPort");
	uint64_t a_thread = scenario_thread(&l.s, a, 0xdd8, WAITING, REPLY);
	uint64_t b_thread = scenario_thread(&l.s, b, 0x2770, WAITING, REPLY);
	receiver(&l, a, 0xb14, a_port);
	receiver(&l, b, 0x1528, b_port);
	uint64_t a_client, a_server, b_client, b_server;
	lpc_pair(&l, a_thread, b_port, 0, &a_client, &a_server);
	lpc_pair(&l, b_thread, a_port, 0, &b_client, &b_server);
	uint32_t a_request = lpc_next_id(&l), b_request = lpc_next_id(&l);
	lpc_wait_reply(&l, a_thread, a_client, a_request);
	lpc_wait_reply(&l, b_thread, b_client, b_request);
	lpc_received(&l, b_thread, a_request);
	lpc_received(&l, a_thread, b_request);
	return lpc_end_with_cycle(&l, (const uint64_t[]){ a_thread, b_thread }, 2);
}

/* A queued request beside a reply message nothing refers to any more:
 * on no queue, no thread's reply or received id names it; only its
 * "LpcM" pool header finds it. */
struct forge_scenario_facts *forge_scenario_lpc_pool_only(struct forge_windows *w)
{
	struct lpc_scenario l;
	lpc_begin(&l, w, "lpc-pool-only");
	system_process(&l);
	uint64_t spoolsv = scenario_process(&l.s, 0x5c4, "spoolsv.exe");
	uint64_t app = scenario_process(&l.s, 0x7a0, "AppB.exe");
	uint64_t spoolss = lpc_listen(&l, spoolsv, "\\RPC Control\\spoolss");
	uint64_t client_thread = scenario_thread(&l.s, app, 0x7a4, WAITING, REPLY);
	scenario_thread(&l.s, spoolsv, 0x5c8, RUNNING, EXECUTIVE);
	uint64_t client, server;
	lpc_pair(&l, client_thread, spoolss, 0, &client, &server);
	uint32_t queued = lpc_next_id(&l);
	lpc_message(&l, &(struct lpc_request){ .queue_port = spoolss, .sender_port = client, .client_pid = 0x7a0,
		.client_tid = 0x7a4, .id = queued, .data = { 0x1, 0x7a4 }, .data_words = 2 });
	lpc_wait_reply(&l, client_thread, client, queued);
	lpc_message(&l, &(struct lpc_request){ .sender_port = server, .client_pid = 0x5c4, .client_tid = 0x5c8,
		.type = FORGE_LPC_REPLY, .data = { 0xc0000001u, 0x5c8 }, .data_words = 2, .pool_only = true });
	return lpc_end(&l);
}
