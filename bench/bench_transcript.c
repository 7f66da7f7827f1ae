/* bench_transcript ALPCGRAPH [THREADS] — prints figures, asserts nothing.
 *
 * Generates a `!process 0 ff` log of THREADS threads (default 50,000) in
 * the real kd layout — 1,000 processes, most threads idle in WrAlpcReceive
 * with a 10-frame stack, one in 25 waiting on ALPC along chains of 5
 * processes, and a few two-thread deadlocks with their `!alpc /m` — then
 * measures:
 *   - parse throughput of the transcript scanner (MB/s, in process);
 *   - the correlator on the parsed snapshot;
 *   - `alpcgraph report --no-svg` on the file, wall clock, the target
 *     being under 3 s for 50,000 threads;
 *   - `alpcgraph report` with the SVG, for reference;
 *   - peak RSS of the in-process part. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../src/correlate/correlate.h"
#include "../src/transcript/transcript.h"

enum { THREADS_PER_PROCESS = 50, CHAIN_LENGTH = 5, WAITER_EVERY = 25 };

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint64_t process_address(unsigned p)
{
	return 0xffffb40c20000000ULL + (uint64_t)p * 0x10000;
}

static uint64_t thread_address(unsigned p, unsigned t)
{
	return 0xffffb40c80000000ULL + (uint64_t)p * 0x100000 + (uint64_t)t * 0x1000;
}

static uint64_t port_address(unsigned p)
{
	return 0xffffb40ce0000000ULL + (uint64_t)p * 0x1000;
}

static void write_stack(FILE *out, bool waiting)
{
	static const char *const idle[] = {
		"nt!KiSwapContext+0x76", "nt!KiSwapThread+0x500", "nt!KiCommitThreadWait+0x14f",
		"nt!KeWaitForSingleObject+0x233", "nt!AlpcpWaitForSingleObject+0x3e",
		"nt!AlpcpReceiveMessagePort+0x3f4", "nt!AlpcpReceiveMessage+0x32c",
		"nt!NtAlpcSendWaitReceivePort+0x105", "ntdll!NtAlpcSendWaitReceivePort+0x14",
		"RPCRT4!LRPC_ADDRESS::ReceiveLotsaCalls+0xe6",
	};
	static const char *const client[] = {
		"nt!KiSwapContext+0x76", "nt!KiSwapThread+0x500", "nt!KiCommitThreadWait+0x14f",
		"nt!KeWaitForSingleObject+0x233", "nt!AlpcpSignalAndWait+0x16f",
		"nt!AlpcpReceiveSynchronousReply+0x51", "nt!AlpcpProcessSynchronousRequest+0x354",
		"nt!NtAlpcSendWaitReceivePort+0x1e4", "ntdll!NtAlpcSendWaitReceivePort+0x14",
		"RPCRT4!LRPC_BASE_CCALL::DoSendReceive+0x106",
	};
	const char *const *frames = waiting ? client : idle;
	fputs("        Child-SP          RetAddr               Call Site\n", out);
	for (int i = 0; i < 10; i++)
		fprintf(out, "        ffff8a8c`1e43%04x fffff802`4e8a%04x     %s\n", 0xefa0 + i * 0x40,
			0x4f30 + i * 0x11, frames[i]);
}

/* Process p's thread 0 waits on process p+1's port, along chains of
 * CHAIN_LENGTH processes; every 100th chain closes into a 2-cycle. */
static void generate(const char *path, unsigned threads, unsigned *waits, unsigned *cycles)
{
	FILE *out = fopen(path, "w");
	if (!out) {
		perror(path);
		exit(1);
	}
	unsigned processes = threads / THREADS_PER_PROCESS;
	*waits = *cycles = 0;
	fputs("Microsoft (R) Windows Debugger Version 10.0.22621.2428 AMD64\n"
	      "Windows 10 Kernel Version 19041 MP (32 procs) Free x64\n"
	      "0: kd> !process 0 ff\n**** NT ACTIVE PROCESS DUMP ****\n", out);
	for (unsigned p = 0; p < processes; p++) {
		unsigned pid = 0x100 + p * 4;
		fprintf(out, "PROCESS %016" PRIx64 "\n    SessionId: 0  Cid: %04x    Peb: 8d4c9e2000"
			     "  ParentCid: 02d0\n    DirBase: 1b35f2002  ObjectTable: ffffd30a61c2a3c0"
			     "  HandleCount: 412.\n    Image: service%u.exe\n    VadRoot ffffb40c2a53b9e0 Vads 98"
			     " Clone 0 Private 1204. Modified 3. Locked 0.\n    DeviceMap ffffd30a5e2363b0\n\n",
			process_address(p), pid, p);
		for (unsigned t = 0; t < THREADS_PER_PROCESS; t++) {
			unsigned tid = pid + 0x10000 + t * 4;
			unsigned link = p % CHAIN_LENGTH;
			bool closes = link == 1 && (p / CHAIN_LENGTH) % 100 == 0;
			bool waiting = t == 0 && (link + 1 < CHAIN_LENGTH || closes) && p + 1 < processes &&
				       (p * THREADS_PER_PROCESS) % WAITER_EVERY == 0;
			fprintf(out, "        THREAD %016" PRIx64 "  Cid %04x.%04x  Teb: 0000008d4c9e5000"
				     " Win32Thread: 0000000000000000 WAIT: (%s) UserMode %s\n",
				thread_address(p, t), pid, tid, waiting ? "WrLpcReply" : "WrAlpcReceive",
				waiting ? "Non-Alertable" : "Alertable");
			fprintf(out, "            %016" PRIx64 "  %s\n", thread_address(p, t) + 0x648,
				waiting ? "Semaphore Limit 0x1" : "QueueObject");
			if (waiting) {
				unsigned target = closes ? p - 1 : p + 1;
				fprintf(out, "        Waiting for reply to ALPC Message ffffd30a%08x : queued at port"
					     " %016" PRIx64 " : owned by process %016" PRIx64 "\n",
					0x10000000 + p * 0x100, port_address(target), process_address(target));
				(*waits)++;
				*cycles += closes;
			}
			fprintf(out, "        Not impersonating\n        DeviceMap                 ffffd30a5e2363b0\n"
				     "        Owning Process            %016" PRIx64 "       Image:         service%u.exe\n"
				     "        Attached Process          N/A            Image:         N/A\n"
				     "        Wait Start TickCount      17694231       Ticks: 57412 (0:00:14:57.062)\n"
				     "        Context Switch Count      2291           IdealProcessor: 1\n"
				     "        UserTime                  00:00:00.843\n"
				     "        KernelTime                00:00:00.406\n",
				process_address(p), p);
			write_stack(out, waiting);
			fputc('\n', out);
		}
	}
	/* !alpc /m for the waits of the two-thread deadlocks: their server threads. */
	for (unsigned p = 0; p + 1 < processes; p++) {
		unsigned link = p % CHAIN_LENGTH;
		bool closes = link == 1 && (p / CHAIN_LENGTH) % 100 == 0;
		if (!closes || (p * THREADS_PER_PROCESS) % WAITER_EVERY != 0)
			continue;
		for (unsigned side = 0; side < 2; side++) {
			unsigned from = p - 1 + side, to = side ? p - 1 : p;
			fprintf(out, "0: kd> !alpc /m ffffd30a%08x\n\nMessage ffffd30a%08x\n"
				     "  MessageID             : 0x0C20 (3104)\n"
				     "  Type                  : LPC_REQUEST\n"
				     "  WaitingThread         : %016" PRIx64 "\n"
				     "  QueueType             : ALPC_MSGQUEUE_PENDING\n"
				     "  QueuePort             : %016" PRIx64 " [ALPC_CONNECTION_PORT]\n"
				     "  QueuePortOwnerProcess : %016" PRIx64 " (service%u.exe)\n"
				     "  ServerThread          : %016" PRIx64 "\n\n",
				0x10000000 + from * 0x100, 0x10000000 + from * 0x100, thread_address(from, 0),
				port_address(to), process_address(to), to, thread_address(to, 0));
		}
	}
	fclose(out);
}

static double run(const char *const *argv)
{
	double start = now();
	pid_t pid = fork();
	if (pid == 0) {
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	double elapsed = now() - start;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		printf("  (%s exited with status %d)\n", argv[0], WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return elapsed;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: bench_transcript ALPCGRAPH [THREADS]\n", stderr);
		return 1;
	}
	unsigned threads = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 50000;
	char folder[] = "/tmp/alpcgraph-bench-XXXXXX";
	if (!mkdtemp(folder))
		return 1;
	char path[256], report[256];
	snprintf(path, sizeof path, "%s/process-0-ff.txt", folder);
	snprintf(report, sizeof report, "%s/report", folder);
	unsigned waits, cycles;
	generate(path, threads, &waits, &cycles);
	FILE *file = fopen(path, "r");
	fseek(file, 0, SEEK_END);
	double megabytes = (double)ftell(file) / 1e6;
	fclose(file);
	printf("input: %u threads in %u processes, %u ALPC waits (%u in 2-thread deadlocks), %.1f MB\n",
	       threads, threads / THREADS_PER_PROCESS, waits, cycles * 2, megabytes);

	/* Parse, best of three. */
	double best = 1e9;
	struct ptr_vec captures = { 0 };
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < captures.count; i++)
			snapshot_free(captures.items[i]);
		captures.count = 0;
		double start = now();
		transcript_read_file(path, NULL, &captures);
		double elapsed = now() - start;
		if (elapsed < best)
			best = elapsed;
	}
	struct snapshot *snapshot = captures.items[0];
	printf("parse:   %.3f s, %.0f MB/s (target >= 100 MB/s); %zu threads, %zu processes read\n", best,
	       megabytes / best, snapshot->threads.count, snapshot->processes.count);
	double start = now();
	struct analysis *analysis = analyze(snapshot);
	printf("analyze: %.3f s; %zu waits, %zu cycles (%zu definite), %zu chains\n", now() - start,
	       analysis->waits.count, analysis->cycles.count, analysis_count_definite(analysis),
	       analysis->chains.count);
	analysis_free(analysis);
	snapshot_free(snapshot);
	ptr_vec_release(&captures);
	struct rusage usage;
	getrusage(RUSAGE_SELF, &usage);
	printf("peak RSS (parse + analyze, in process): %.0f MB\n", (double)usage.ru_maxrss / 1024);

	const char *without_svg[] = { argv[1], "report", "-q", "--no-svg", "-o", report, path, NULL };
	double report_time = run(without_svg);
	printf("report without the SVG: %.2f s wall clock (target < 3 s)\n", report_time);
	const char *with_svg[] = { argv[1], "report", "-q", "-o", report, path, NULL };
	printf("report with the SVG (node budget 400): %.2f s wall clock\n", run(with_svg));
	getrusage(RUSAGE_CHILDREN, &usage);
	printf("peak RSS of the report processes: %.0f MB\n", (double)usage.ru_maxrss / 1024);
	/* BENCH_KEEP=1 leaves the generated log for profiling. */
	if (getenv("BENCH_KEEP")) {
		printf("kept %s\n", path);
		return 0;
	}
	char command[600];
	snprintf(command, sizeof command, "rm -rf '%s'", folder);
	return system(command) == 0 ? 0 : 1;
}
