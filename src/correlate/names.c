/* Printed names of the correlator's enumerations. */
#include "correlate.h"

const char *wait_via_name(enum wait_via via)
{
	switch (via) {
	case VIA_ALPC:
		return "alpc";
	case VIA_LPC:
		return "lpc";
	case VIA_RPC:
		return "rpc";
	case VIA_LOCK:
		return "lock";
	}
	return "unknown";
}

static const struct {
	const char *name;
	const char *description;
} blockers[] = {
	[BLOCKER_UNKNOWN] = { "unknown", "state not known" },
	[BLOCKER_NOT_CAPTURED] = { "not_captured", "not shown in this capture" },
	[BLOCKER_NO_SERVER_THREAD] = { "no_server_thread", "no thread known to serve the request" },
	[BLOCKER_RUNNING] = { "running", "running or ready to run" },
	[BLOCKER_CRITICAL_SECTION] = { "critical_section", "blocked on a critical section" },
	[BLOCKER_MUTANT] = { "mutant", "waiting for a mutant" },
	[BLOCKER_RESOURCE] = { "resource", "waiting for an executive resource or push lock" },
	[BLOCKER_IO] = { "io", "waiting for I/O" },
	[BLOCKER_SUSPENDED] = { "suspended", "suspended" },
	[BLOCKER_RECEIVING] = { "receiving", "idle, waiting to receive a request" },
	[BLOCKER_OBJECT] = { "object", "waiting on a kernel object" },
	[BLOCKER_CYCLE] = { "cycle", "part of a wait cycle" },
	[BLOCKER_WAITING_REPLY] = { "waiting_reply", "waiting for a reply" },
};

const char *blocker_kind_name(enum blocker_kind kind)
{
	return (unsigned)kind < sizeof blockers / sizeof *blockers ? blockers[kind].name : "unknown";
}

const char *blocker_kind_description(enum blocker_kind kind)
{
	return (unsigned)kind < sizeof blockers / sizeof *blockers ? blockers[kind].description
								    : "state not known";
}
