/* Printed names of the model's enumerations.  The WinDbg spellings are the
 * ones `!alpc /p` and `!alpc /m` print (see
 * ../shared/docs/debugger-output-formats.md §3.4–3.5); the LPC port kinds
 * are the `!lpc port` headings ("Server connection port", …, MS docs
 * -lpc.md). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "model.h"

static const struct {
	const char *name;
	const char *windbg;
} port_kinds[] = {
	[PORT_KIND_UNKNOWN] = { NULL, NULL },
	[PORT_ALPC_CONNECTION] = { "alpc_connection", "ALPC_CONNECTION_PORT" },
	[PORT_ALPC_SERVER_COMMUNICATION] = { "alpc_server_communication",
					     "ALPC_SERVER_COMMUNICATION_PORT" },
	[PORT_ALPC_CLIENT_COMMUNICATION] = { "alpc_client_communication",
					     "ALPC_CLIENT_COMMUNICATION_PORT" },
	[PORT_LPC_SERVER_CONNECTION] = { "lpc_server_connection", "Server connection port" },
	[PORT_LPC_UNCONNECTED_COMMUNICATION] = { "lpc_unconnected_communication",
						 "Unconnected communication port" },
	[PORT_LPC_SERVER_COMMUNICATION] = { "lpc_server_communication",
					    "Server communication port" },
	[PORT_LPC_CLIENT_COMMUNICATION] = { "lpc_client_communication",
					    "Client communication port" },
};

const char *port_kind_name(enum port_kind kind)
{
	return (unsigned)kind < sizeof port_kinds / sizeof *port_kinds ? port_kinds[kind].name : NULL;
}

const char *port_kind_windbg_name(enum port_kind kind)
{
	return (unsigned)kind < sizeof port_kinds / sizeof *port_kinds ? port_kinds[kind].windbg
									: NULL;
}

enum port_kind port_kind_from_windbg(const char *text, size_t length)
{
	for (unsigned i = 1; i < sizeof port_kinds / sizeof *port_kinds; i++) {
		const char *windbg = port_kinds[i].windbg;
		if (strlen(windbg) == length && strncasecmp(windbg, text, length) == 0)
			return (enum port_kind)i;
	}
	return PORT_KIND_UNKNOWN;
}

static const struct {
	const char *name;
	const char *windbg;
} queue_kinds[QUEUE_KIND_COUNT] = {
	[QUEUE_UNKNOWN] = { NULL, NULL },
	[QUEUE_MAIN] = { "main", "ALPC_MSGQUEUE_MAIN" },
	[QUEUE_LARGE_MESSAGE] = { "large_message", "ALPC_MSGQUEUE_LARGE_MESSAGE" },
	[QUEUE_PENDING] = { "pending", "ALPC_MSGQUEUE_PENDING" },
	[QUEUE_CANCELED] = { "canceled", "ALPC_MSGQUEUE_CANCELED" },
	[QUEUE_DIRECT] = { "direct", "ALPC_MSGQUEUE_DIRECT" },
	[QUEUE_WAIT] = { "wait", "ALPC_MSGQUEUE_WAIT" },
	[QUEUE_LPC_MESSAGES] = { "lpc_message_queue", "message queue" },
	[QUEUE_LPC_DATA_INFO] = { "lpc_data_info", "LpcDataInfoChainHead queue" },
};

const char *queue_kind_name(enum queue_kind kind)
{
	return (unsigned)kind < QUEUE_KIND_COUNT ? queue_kinds[kind].name : NULL;
}

const char *queue_kind_windbg_name(enum queue_kind kind)
{
	return (unsigned)kind < QUEUE_KIND_COUNT ? queue_kinds[kind].windbg : NULL;
}

enum queue_kind queue_kind_from_windbg(const char *text, size_t length)
{
	for (unsigned i = 1; i < QUEUE_KIND_COUNT; i++) {
		const char *windbg = queue_kinds[i].windbg;
		if (strlen(windbg) == length && strncasecmp(windbg, text, length) == 0)
			return (enum queue_kind)i;
	}
	/* Builds differ in the suffix ("LARGE_MESSAGE" or "LARGE"). */
	static const char prefix[] = "ALPC_MSGQUEUE_";
	if (length > sizeof prefix - 1 && strncasecmp(text, prefix, sizeof prefix - 1) == 0) {
		const char *suffix = text + sizeof prefix - 1;
		size_t rest = length - (sizeof prefix - 1);
		if (rest >= 5 && strncasecmp(suffix, "LARGE", 5) == 0)
			return QUEUE_LARGE_MESSAGE;
		if (rest >= 6 && strncasecmp(suffix, "CANCEL", 6) == 0)
			return QUEUE_CANCELED;
	}
	return QUEUE_UNKNOWN;
}

const char *flavor_name(enum ipc_flavor flavor)
{
	switch (flavor) {
	case FLAVOR_ALPC:
		return "alpc";
	case FLAVOR_LPC:
		return "lpc";
	default:
		return NULL;
	}
}

const char *snapshot_status_name(enum snapshot_status status)
{
	switch (status) {
	case STATUS_PARTIAL:
		return "partial";
	case STATUS_ERROR:
		return "error";
	default:
		return "ok";
	}
}

void format_cid(char *buffer, size_t size, maybe_u64 pid, maybe_u64 tid)
{
	char p[24] = "?", t[24] = "?";
	if (pid.known)
		snprintf(p, sizeof p, "%04" PRIx64, pid.value);
	if (tid.known)
		snprintf(t, sizeof t, "%04" PRIx64, tid.value);
	snprintf(buffer, size, "%s.%s", p, t);
}

const char *rpc_call_status_name(maybe_u64 status)
{
	if (!status.known)
		return NULL;
	switch (status.value) {
	case RPC_CALL_ALLOCATED:
		return "allocated";
	case RPC_CALL_ACTIVE:
		return "active";
	case RPC_CALL_DISPATCHED:
		return "dispatched";
	default:
		return NULL;
	}
}

const char *rpc_thread_status_name(maybe_u64 status)
{
	if (!status.known)
		return NULL;
	switch (status.value) {
	case RPC_THREAD_DISPATCHED:
		return "dispatched";
	case RPC_THREAD_IDLE:
		return "idle";
	default:
		return NULL;
	}
}
