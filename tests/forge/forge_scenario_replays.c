/* Replays: the objects two real WinDbg sessions printed, forged at the
 * same virtual addresses with the same names, ids and queues, so that
 * `alpcgraph alpc` can be held against what WinDbg said.
 *
 * Windows 10 (19041.3570 layout): the smss / SmApiPort / audiodg session
 * of Zhang, "Software Debugging" 2nd ed. vol. 2, §5.4, as
 * ../shared/docs/debugger-output-formats.md §3.2, §3.4-3.6 quote it
 * (`!alpc /p`, `/lpp`, `/m`, `!thread`).  The book's `/m` lists more
 * fields than §3.4 quotes (MessageID 0x59C8, CallbackID 0x24AE18E,
 * SequenceNumber 0x207, DataLength 0xA4, TotalLength 0xCC, OwnerPort
 * ffffc48da7067070); they are from the same public chapter.
 *
 * Windows 7 (7601.17514 layout): the `!alpc /p`, `/lpp` and `!object`
 * outputs in ../shared/corpus/transcripts/
 * bnagy-alpcbuggery-win7x64-lkd-alpc-fragments.txt (c. 2014).  17514
 * rather than 24540 because struct-offsets.md dates the _KTHREAD growth
 * of 24540 to 2018-era servicing, after the session.
 *
 * What the sessions do not print is the forge's choice and marked so:
 * process ids, the image of a process only known by address, the full
 * path of a name printed without its directory, where the queued
 * messages counted by `/lpp` sit. */
#include "forge_scenario_builder.h"
#include "forge_objects_internal.h"

static uint64_t placed_process(struct scenario *s, uint64_t eprocess, uint64_t pid, const char *image)
{
	forge_place_next_object(s->w, FORGE_TYPE_PROCESS, eprocess);
	return scenario_process(s, pid, image);
}

static uint64_t placed_listen(struct scenario *s, uint64_t port, uint64_t owner, const char *name)
{
	forge_place_next_object(s->w, FORGE_TYPE_ALPC_PORT, port);
	return scenario_listen(s, owner, name);
}

/* A connection whose communication ports are at the addresses given (0:
 * the heap; the debugger did not print it). */
static void placed_connect(struct scenario *s, uint64_t client_process, uint64_t connection_port,
			   uint64_t server_at, uint64_t client_at, uint64_t *client, uint64_t *server)
{
	forge_place_next_object(s->w, FORGE_TYPE_ALPC_PORT, server_at);
	forge_place_next_object(s->w, FORGE_TYPE_ALPC_PORT, client_at);
	scenario_connect(s, client_process, connection_port, client, server);
}

/* `!alpc /p ffffc48d8895de20` (SmApiPort, SequenceNo 5, CompletionPort
 * ffffc48d888ee1c0, thread 01d8.0208 registered with it), `!alpc /lpp
 * ffffc48d86b00640` (smss: three connections to SmApiPort, two to
 * csrss's SbApiPorts), `!alpc /m ffffa480730b6890` and `!thread
 * ffffc48da6de0700` (thread 0994.4fcc, WAIT: (Suspended), waiting for
 * the reply to that message, queued MAIN at audiodg's connection port
 * ffffc48da9178090). */
struct forge_scenario_facts *forge_scenario_replay_win10_smss(struct forge_windows *w)
{
	struct scenario s;
	scenario_begin(&s, w, "replay-win10-smss");
	scenario_thread(&s, scenario_process(&s, 4, "System"), 8, FORGE_THREAD_WAITING, FORGE_WAIT_WR_QUEUE);
	/* pids other than smss's 0x1d8 and 0x994 are the forge's */
	uint64_t smss = placed_process(&s, 0xffffc48d86b00640ULL, 0x1d8, "smss.exe");
	uint64_t csrss0 = placed_process(&s, 0xffffc48d869fd640ULL, 0x22c, "csrss.exe");
	uint64_t csrss1 = placed_process(&s, 0xffffc48d8b679640ULL, 0x26c, "csrss.exe");
	uint64_t svchost = placed_process(&s, 0xffffc48d8b7fb080ULL, 0x3c8, "svchost.exe");
	uint64_t audiodg = placed_process(&s, 0xffffc48d958a1080ULL, 0x2f4c, "audiodg.exe");
	/* 0x994's image is not printed; the same chapter's hung process
	 * (§5.5.5) is WeChat, the forge's guess */
	uint64_t client = scenario_process(&s, 0x994, "WeChat.exe");
	forge_place_next_object(w, FORGE_TYPE_THREAD, 0xffffc48d8895b080ULL);
	uint64_t registered = scenario_thread(&s, smss, 0x208, FORGE_THREAD_WAITING, FORGE_WAIT_WR_QUEUE);
	/* WaitReason Suspended (5, struct-offsets.md "Enumerations"): the
	 * debugger still prints the ALPC line (§3.2) */
	forge_place_next_object(w, FORGE_TYPE_THREAD, 0xffffc48da6de0700ULL);
	uint64_t caller = scenario_thread(&s, client, 0x4fcc, FORGE_THREAD_WAITING, 5);

	forge_place_next_block(w, FORGE_BLOCK_COMMUNICATION_INFO, 0xffffa4805c1ca610ULL);
	uint64_t sm_api = placed_listen(&s, 0xffffc48d8895de20ULL, smss, "\\SmApiPort");
	forge_alpc_port_set(w, sm_api, &(struct forge_alpc_port_settings){ .sequence_no = 5 });
	/* "1 thread(s) are registered with port IO completion object" */
	forge_place_next_block(w, FORGE_BLOCK_KQUEUE, 0xffffc48d888ee1c0ULL);
	forge_alpc_register_thread(w, sm_api, registered);
	/* SbApiPort's directory is not printed: csrss's session directory */
	uint64_t sb0 = placed_listen(&s, 0xffffc48d8b63cb70ULL, csrss0, "\\Windows\\SbApiPort");
	uint64_t sb1 = placed_listen(&s, 0xffffc48d8b6fae20ULL, csrss1, "\\Sessions\\1\\Windows\\SbApiPort");
	uint64_t audio = placed_listen(&s, 0xffffc48da9178090ULL, audiodg, NULL); /* name not printed */
	uint64_t c, v;
	placed_connect(&s, csrss0, sm_api, 0xffffc48d8b63bbd0ULL, 0xffffc48d8b63be20ULL, &c, &v);
	placed_connect(&s, csrss1, sm_api, 0xffffc48d8b6f9e20ULL, 0xffffc48d8b6fabb0ULL, &c, &v);
	placed_connect(&s, svchost, sm_api, 0xffffc48d8b83bad0ULL, 0xffffc48d8b83bd20ULL, &c, &v);
	placed_connect(&s, smss, sb0, 0, 0xffffc48d8b63ae20ULL, &c, &v);
	placed_connect(&s, smss, sb1, 0, 0xffffc48d8b6f9bd0ULL, &c, &v);
	uint64_t client_port, server_port;
	placed_connect(&s, client, audio, 0, 0xffffc48da7067070ULL, &client_port, &server_port);
	forge_place_next_block(w, FORGE_BLOCK_ALPC_MESSAGE, 0xffffa480730b6890ULL);
	scenario_request(&s, &(struct scenario_request){ .waiting_thread = caller, .owner_port = client_port,
		.queue_port = audio, .queue = FORGE_QUEUE_MAIN, .id = 0x59c8, .callback_id = 0x24ae18e,
		.sequence_no = 0x207, .data_length = 0xa4, .total_length = 0xcc });
	return scenario_end(&s);
}

/* `!alpc /p fffffa80321c2920` (iexplore's client port to DNSResolver,
 * SequenceNo 0x31), `!alpc /lpp fffffa80353c3060` and the `!object`
 * chain of fffffa80352ea740 (OLE8F8B8C095131496BB200263FA52C in
 * \RPC Control at fffff8a000a4c450; HandleCount 1, PointerCount 4). */
struct forge_scenario_facts *forge_scenario_replay_win7_alpcbuggery(struct forge_windows *w)
{
	struct scenario s;
	scenario_begin(&s, w, "replay-win7-alpcbuggery");
	scenario_thread(&s, scenario_process(&s, 4, "System"), 8, FORGE_THREAD_WAITING, FORGE_WAIT_WR_QUEUE);
	/* every pid is the forge's; fffffa80353c3060's image is not printed */
	uint64_t iexplore = placed_process(&s, 0xfffffa8031d4cb30ULL, 0x9ac, "iexplore.exe");
	uint64_t process = placed_process(&s, 0xfffffa80353c3060ULL, 0xb18, "iexplore.exe");
	uint64_t svchost = placed_process(&s, 0xfffffa80321ac580ULL, 0x3d4, "svchost.exe");
	uint64_t csrss = placed_process(&s, 0xfffffa8032e68b30ULL, 0x1f0, "csrss.exe");
	uint64_t themes = placed_process(&s, 0xfffffa8032fd2b30ULL, 0x424, "svchost.exe");
	uint64_t lsass = placed_process(&s, 0xfffffa80320a3440ULL, 0x26c, "lsass.exe");
	uint64_t services = placed_process(&s, 0xfffffa803207fb30ULL, 0x260, "services.exe");
	uint64_t dnscache = scenario_process(&s, 0x4f8, "svchost.exe");

	/* \RPC Control is the first directory made below the root */
	forge_place_next_object(w, FORGE_TYPE_DIRECTORY, 0xfffff8a000a4c450ULL);
	uint64_t ole8 = placed_listen(&s, 0xfffffa80352ea740ULL, process, "\\RPC Control\\OLE8F8B8C095131496BB200263FA52C");
	forge_object_add_references(w, ole8, 2, 0); /* PointerCount 4: the handle's, 1 and 2 more */
	uint64_t dns = placed_listen(&s, 0xfffffa80340e1cd0ULL, dnscache, "\\RPC Control\\DNSResolver");
	uint64_t ole16 = placed_listen(&s, 0xfffffa8032129590ULL, process, "\\RPC Control\\OLE16E02A5AAD974222920005479E7C");
	uint64_t api = placed_listen(&s, 0xfffffa8032059e60ULL, csrss, "\\Sessions\\1\\Windows\\ApiPort");
	uint64_t theme = placed_listen(&s, 0xfffffa8033c2a6b0ULL, themes, "\\ThemeApiPort");
	uint64_t lsasspirpc = placed_listen(&s, 0xfffffa803211a5a0ULL, lsass, "\\RPC Control\\lsasspirpc");
	uint64_t ntsvcs = placed_listen(&s, 0xfffffa8032174cf0ULL, services, "\\RPC Control\\ntsvcs");

	uint64_t client, server;
	forge_place_next_block(w, FORGE_BLOCK_COMMUNICATION_INFO, 0xfffff8a002fa3150ULL);
	placed_connect(&s, iexplore, dns, 0xfffffa8036210070ULL, 0xfffffa80321c2920ULL, &client, &server);
	forge_alpc_port_set(w, client, &(struct forge_alpc_port_settings){ .sequence_no = 0x31 });
	placed_connect(&s, svchost, ole16, 0xfffffa8033c6fb80ULL, 0xfffffa803262f900ULL, &client, &server);
	placed_connect(&s, process, api, 0, 0xfffffa8035261e60ULL, &client, &server);
	placed_connect(&s, process, theme, 0, 0xfffffa80353ce070ULL, &client, &server);
	placed_connect(&s, process, lsasspirpc, 0, 0xfffffa80365bb8c0ULL, &client, &server);
	placed_connect(&s, process, ntsvcs, 0, 0xfffffa80365b2e60ULL, &client, &server);
	/* `/lpp` counts 19 messages at ntsvcs: the forge queues them on the
	 * connection port's MainQueue, sent by this client, nobody waiting */
	for (int i = 0; i < 19; i++)
		scenario_request(&s, &(struct scenario_request){ .owner_port = client, .queue_port = ntsvcs,
			.queue = FORGE_QUEUE_MAIN });
	return scenario_end(&s);
}
