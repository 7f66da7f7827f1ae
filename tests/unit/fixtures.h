/* Snapshots built through the model API, for renderer and correlator
 * tests.  Each returns a finished snapshot; the caller frees it. */
#ifndef ALPCGRAPH_TEST_FIXTURES_H
#define ALPCGRAPH_TEST_FIXTURES_H

#include "../../src/model/model.h"

/* alpha.exe (pid 0x100, EPROCESS 0xffffa00000001000) thread 0x104
 * (ETHREAD 0xffffa00000001104) waits on ALPC message 0xffffb00000000001,
 * PENDING at connection port 0xffffc00000002000 "\RPC Control\BetaPort"
 * owned by beta.exe (0x200, 0xffffa00000002000), ServerThread 0x204
 * (0xffffa00000002204); that thread waits on message 0xffffb00000000002,
 * PENDING at "\RPC Control\AlphaPort" (0xffffc00000001000) owned by
 * alpha.exe, ServerThread 0x104.  A definite two-thread deadlock. */
struct snapshot *fixture_alpc_deadlock(void);

/* n processes (n >= 2) "proc<i>.exe", pid 0x100*(i+1), each with one thread
 * 0x100*(i+1)+4 waiting on the next process's port with ServerThread set:
 * an n-thread definite cycle. */
struct snapshot *fixture_alpc_deadlock_and_chain(void);
struct snapshot *fixture_alpc_ring(unsigned n);

/* Process and port names an attacker chose: markup, quotes, ampersands,
 * DOT syntax, invalid UTF-8 (already repaired by snapshot_text). */
struct snapshot *fixture_hostile_names(void);

/* A chain of n threads across n processes ending in a thread blocked on a
 * critical section (its stack shows ntdll!RtlpWaitOnCriticalSection). */
struct snapshot *fixture_chain_to_critical_section(unsigned n);

/* Nothing waits: two processes, idle threads, a port. */
struct snapshot *fixture_quiet_system(void);

#endif
