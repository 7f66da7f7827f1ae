/* replay-xp-lpc: the objects of the XP `!lpc` session in
 * debugger-output-formats.md §3.1 (MS docs -lpc.md) and the x86 LPC
 * thread lines of §3.2 and the corpus (dumpanalysis-2012-comment-lpc-
 * thread-ApplicationA-kernelmode.txt, dumpanalysis-2008-part42e-lpc-
 * waitchain-AppA-process-ff.txt, dumpanalysis-2010-lpc-client-processA-
 * server-processB-mutant.txt), at the addresses, ids and names printed
 * there, in an "XP x86" system.  Values the sessions do not print are the
 * forge's choices, each marked "choice".
 *
 * The thread lines print the reply semaphore at ETHREAD + 0x1ec, which is
 * 2003 x86's LpcReplySemaphore (struct-offsets.md); in this XP layout it
 * lies at + 0x1f4, so that one printed address is not reproduced. */
#include "forge_lpc_builder.h"
#include "forge_objects_internal.h"

enum {
	RUNNING = FORGE_THREAD_RUNNING,
	WAITING = FORGE_THREAD_WAITING,
	REPLY = FORGE_WAIT_LPC_REPLY,
	EXECUTIVE = FORGE_WAIT_EXECUTIVE,
	USER_REQUEST = FORGE_WAIT_USER_REQUEST,
	WR_QUEUE = FORGE_WAIT_WR_QUEUE,
};

static uint64_t process_at(struct lpc_scenario *l, uint64_t eprocess, uint64_t pid, const char *image)
{
	if (eprocess)
		forge_place_next_object(l->s.w, FORGE_TYPE_PROCESS, eprocess);
	return scenario_process(&l->s, pid, image);
}

static uint64_t thread_at(struct lpc_scenario *l, uint64_t ethread, uint64_t process, uint64_t tid,
			  unsigned state, unsigned reason)
{
	if (ethread)
		forge_place_next_object(l->s.w, FORGE_TYPE_THREAD, ethread);
	return scenario_thread(&l->s, process, tid, state, reason);
}

static uint64_t listen_at(struct lpc_scenario *l, uint64_t port, uint64_t owner, const char *name)
{
	if (port)
		forge_place_next_object(l->s.w, FORGE_TYPE_PORT, port);
	return lpc_listen(l, owner, name);
}

/* forge_lpc_connect makes the client port first, then the server one. */
static void pair_at(struct lpc_scenario *l, uint64_t client_port, uint64_t server_port, uint64_t client_thread,
		    uint64_t connection_port, uint32_t flags)
{
	forge_place_next_object(l->s.w, FORGE_TYPE_PORT, client_port);
	forge_place_next_object(l->s.w, FORGE_TYPE_PORT, server_port);
	uint64_t client, server;
	lpc_pair(l, client_thread, connection_port, flags, &client, &server);
}

static void thread_line(struct lpc_scenario *l, uint64_t ethread, uint64_t teb, uint64_t win32_thread,
			uint32_t id, uint64_t port, const char *source)
{
	struct forge_scenario_facts *f = l->s.facts;
	const struct forge_scenario_thread *thread = forge_scenario_thread_at(f, ethread);
	f->lpc_thread_lines = checked_realloc(f->lpc_thread_lines,
					      (f->lpc_thread_line_count + 1) * sizeof *f->lpc_thread_lines);
	f->lpc_thread_lines[f->lpc_thread_line_count++] = (struct forge_scenario_lpc_thread_line){
		.ethread = ethread, .pid = thread ? thread->pid : 0, .tid = thread ? thread->tid : 0,
		.teb = teb, .win32_thread = win32_thread, .message_id = id, .port = port,
		.source = scenario_string(&l->s, source),
	};
}

/* One of the corpus' waiting client threads: its process, the thread at
 * its ETHREAD, a client port at the printed "Current LPC port" connected
 * to the chosen server's connection port, and the reply wait. */
static void corpus_client(struct lpc_scenario *l, uint64_t eprocess, uint64_t pid, const char *image,
			  uint64_t ethread, uint64_t tid, uint64_t teb, uint64_t win32_thread, uint32_t id,
			  uint64_t port, uint64_t listener, const char *source, uint64_t *thread_out)
{
	uint64_t process = process_at(l, eprocess, pid, image);
	uint64_t thread = thread_at(l, ethread, process, tid, WAITING, REPLY);
	pair_at(l, port, 0, thread, listener, 0);
	lpc_wait_reply(l, thread, port, id);
	thread_line(l, ethread, teb, win32_thread, id, port, source);
	if (thread_out)
		*thread_out = thread;
}

/* The ApiPort's queue semaphore at the printed 84a96da8: its nonpaged
 * queue block placed there before the port is made. */
struct forge_scenario_facts *forge_scenario_replay_xp_lpc(struct forge_windows *w)
{
	struct lpc_scenario l;
	lpc_begin(&l, w, "replay-xp-lpc");
	l.keep_semaphores = true; /* §3.1: "Semaphore state 0 (0x0)" with one message queued */
	uint64_t system = scenario_process(&l.s, 4, "System");
	scenario_thread(&l.s, system, 8, WAITING, WR_QUEUE);
	/* choice: smss.exe 0x220 owns SmApiPort, System SeRmCommandPort */
	uint64_t smss = process_at(&l, 0, 0x220, "smss.exe");
	/* §3.1: "Server process : 84aa0140 (csrss.exe)"; pid 0x26c: choice */
	uint64_t csrss = process_at(&l, 0x84aa0140ULL, 0x26c, "csrss.exe");
	/* choice: the client of 0x2249c ("From: 0584.0680") is explorer.exe,
	 * whose thread 842a4db0 (tid 0x6a4: choice) waits for 222be */
	uint64_t explorer = process_at(&l, 0, 0x584, "explorer.exe");
	uint64_t csrss_thread = thread_at(&l, 0, csrss, 0x270, RUNNING, EXECUTIVE); /* choice */
	scenario_thread(&l.s, smss, 0x224, WAITING, EXECUTIVE);                  /* choice */
	uint64_t sender = thread_at(&l, 0, explorer, 0x680, WAITING, REPLY);
	uint64_t waiter = thread_at(&l, 0x842a4db0ULL, explorer, 0x6a4, WAITING, REPLY);

	/* `!lpc port`: SeRmCommandPort and SmApiPort (Flags 1), the pair
	 * e13d8830 (3) / e13d8910 (0x80000004) on SmApiPort. */
	listen_at(&l, 0xe1405650ULL, system, "\\SeRmCommandPort");
	uint64_t sm_api = listen_at(&l, 0xe141ef50ULL, smss, "\\SmApiPort");
	pair_at(&l, 0xe13d8910ULL, 0xe13d8830ULL, csrss_thread, sm_api,
		FORGE_LPC_SECURITY_DYNAMIC | FORGE_LPC_CLIENT_COMMUNICATION);

	/* `!lpc port 0xe14ae238`: ApiPort, Handles 1, References 108 (107
	 * in the later `!lpc message` output), queue semaphore 84a96da8. */
	forge_place_next_block(w, FORGE_BLOCK_LPC_QUEUE, 0x84a96da8ULL);
	uint64_t api_port = listen_at(&l, 0xe14ae238ULL, csrss, "\\Windows\\ApiPort");
	/* `!lpc message 222be`: server communication port e114a3c0
	 * (Handles 1, References 1) connected to e1e7b948. */
	pair_at(&l, 0xe1e7b948ULL, 0xe114a3c0ULL, waiter, api_port, 0);
	forge_place_next_block(w, FORGE_BLOCK_LPC_MESSAGE, 0xe20d9b80ULL);
	lpc_message(&l, &(struct lpc_request){ .queue_port = api_port, .sender_port = 0xe1e7b948ULL,
		.client_pid = 0x584, .client_tid = 0x680, .id = 0x2249c, .type = FORGE_LPC_REQUEST,
		.context = 0x21, .data_length = 0x7c, .total_length = 0x98,
		.data = { 0x00000000, 0x0002021e, 0x00000584, 0x00000680, 0x002f0001, 0x00000007 },
		.data_words = 6 });
	lpc_wait_reply(&l, sender, 0xe1e7b948ULL, 0x2249c); /* choice: 0x680 waits for its request */
	lpc_wait_reply(&l, waiter, 0xe1e7b948ULL, 0x222be);
	lpc_set_counts(&l, api_port, 1, 108);
	lpc_set_counts(&l, 0xe114a3c0ULL, 1, 1);

	/* The corpus' thread lines; their servers are not printed: choice,
	 * services.exe 0x2a0's \RPC Control\ntsvcs. */
	uint64_t services = process_at(&l, 0, 0x2a0, "services.exe");
	uint64_t ntsvcs = listen_at(&l, 0, services, "\\RPC Control\\ntsvcs");
	corpus_client(&l, 0x895497d0ULL, 0x2d4, "ApplicationA.exe", 0x894e13a8ULL, 0xe28, 0x7ffdf000ULL,
		      0xe6e7cea8ULL, 0x3786440d, 0xe6edd680ULL, ntsvcs,
		      "dumpanalysis-2012-comment-lpc-thread-ApplicationA-kernelmode.txt (§3.2 XP)", NULL);
	corpus_client(&l, 0x88556778ULL, 0x1f88, "AppA.exe", 0x8861aab8ULL, 0x1bd4, 0x7ffdf000ULL, 0xbc161ea8ULL,
		      0x00037bb2, 0xe625bbd0ULL, ntsvcs, "dumpanalysis-2008-part42e-lpc-waitchain-AppA-process-ff.txt",
		      NULL);
	corpus_client(&l, 0x87581c78ULL, 0xb10, "ProcessA.exe", 0x87432520ULL, 0xdd8, 0x7ff83000ULL, 0,
		      0x007ade85, 0xd676e560ULL, ntsvcs,
		      "dumpanalysis-2010-lpc-client-processA-server-processB-mutant.txt", NULL);
	/* Same transcript: ProcessB.exe (87200880) thread 85b209d0, Cid
	 * 1524.2770, waits on Mutant 85e9ba00 owned by thread 866d63e8
	 * (whose process is not printed: choice, ProcessB's tid 0x2774). */
	uint64_t process_b = process_at(&l, 0x87200880ULL, 0x1524, "ProcessB.exe");
	uint64_t b_waiter = thread_at(&l, 0x85b209d0ULL, process_b, 0x2770, WAITING, USER_REQUEST);
	uint64_t b_owner = thread_at(&l, 0x866d63e8ULL, process_b, 0x2774, RUNNING, EXECUTIVE);
	forge_place_next_object(w, FORGE_TYPE_MUTANT, 0x85e9ba00ULL);
	scenario_mutant_wait(&l.s, b_waiter, b_owner, NULL);
	return lpc_end(&l);
}
