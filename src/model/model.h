/* model — the snapshot: the one schema every source fills and every
 * renderer reads.
 *
 * A snapshot is one capture of one machine: a dump, or the part of a
 * transcript that came from one debugger session.  It holds processes,
 * threads, ports, messages, port connections, RPC run-time cells, and the
 * errors, warnings and notes met while reading.  Every record keeps where
 * it was seen (transcript line, file offset or virtual address).  A value
 * that was never seen is unknown (maybe_u64.known == false, or a NULL
 * string), which is not the same as zero.
 *
 * Sources fill it through the find-or-create functions below, which merge
 * what different outputs say about the same object; snapshot_finish()
 * closes it.  Nothing here knows how a fact was read. */
#ifndef ALPCGRAPH_MODEL_H
#define ALPCGRAPH_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/base.h"

/* ---- values that may be unknown: maybe_u64, in base/maybe.h ------------ */

enum yes_no { YES_NO_UNKNOWN = 0, NO, YES };

/* ---- provenance ------------------------------------------------------ */

enum origin_kind { ORIGIN_NONE = 0, ORIGIN_LINE, ORIGIN_FILE_OFFSET, ORIGIN_VIRTUAL };

struct origin {
	enum origin_kind kind;
	uint32_t file; /* index into snapshot.sources: 0 is snapshot.path */
	uint64_t at;
};

static inline struct origin origin_line(uint64_t line)
{
	return (struct origin){ ORIGIN_LINE, 0, line };
}

enum { ORIGINS_KEPT = 4 };

/* The first few places an object was seen, and how many there were. */
struct origin_list {
	uint32_t count;
	struct origin at[ORIGINS_KEPT];
};

void origin_list_add(struct origin_list *list, struct origin origin);

/* ---- enumerations with their printed names ---------------------------- */

enum ipc_flavor { FLAVOR_UNKNOWN = 0, FLAVOR_ALPC, FLAVOR_LPC };

enum port_kind {
	PORT_KIND_UNKNOWN = 0,
	PORT_ALPC_CONNECTION,
	PORT_ALPC_SERVER_COMMUNICATION,
	PORT_ALPC_CLIENT_COMMUNICATION,
	PORT_LPC_SERVER_CONNECTION,
	PORT_LPC_UNCONNECTED_COMMUNICATION,
	PORT_LPC_SERVER_COMMUNICATION,
	PORT_LPC_CLIENT_COMMUNICATION,
};

/* A message queue of a port.  ALPC ports have main, large-message,
 * pending, canceled and wait queues (and a direct queue on newer builds);
 * an LPC port has one message queue and the LpcDataInfoChainHead list. */
enum queue_kind {
	QUEUE_UNKNOWN = 0,
	QUEUE_MAIN,
	QUEUE_LARGE_MESSAGE,
	QUEUE_PENDING,
	QUEUE_CANCELED,
	QUEUE_DIRECT,
	QUEUE_WAIT,
	QUEUE_LPC_MESSAGES,
	QUEUE_LPC_DATA_INFO,
	QUEUE_KIND_COUNT
};

const char *port_kind_name(enum port_kind kind);         /* "alpc_connection", … or NULL */
const char *port_kind_windbg_name(enum port_kind kind);  /* "ALPC_CONNECTION_PORT", … */
enum port_kind port_kind_from_windbg(const char *text, size_t length);
const char *queue_kind_name(enum queue_kind kind);       /* "main", … or NULL */
const char *queue_kind_windbg_name(enum queue_kind kind); /* "ALPC_MSGQUEUE_MAIN", … */
enum queue_kind queue_kind_from_windbg(const char *text, size_t length);
const char *flavor_name(enum ipc_flavor flavor);         /* "alpc", "lpc" or NULL */

enum { CID_TEXT_SIZE = 48 };
/* A Cid as WinDbg prints it: pid.tid in hex, each at least four digits
 * ("0100.0104"), with "?" for a half that is unknown. */
void format_cid(char *buffer, size_t size, maybe_u64 pid, maybe_u64 tid);

/* ---- records ---------------------------------------------------------- */

struct process {
	maybe_u64 address; /* EPROCESS */
	maybe_u64 pid;
	maybe_u64 parent_pid;
	maybe_u64 session_id;
	maybe_u64 handle_count;
	const char *image; /* ImageFileName as printed (at most 15 chars on Windows) */
	bool debuggee;     /* the process a user-mode debugger is attached to */
	struct origin_list origin;
	struct process *merged_into;
};

/* An object a thread waits on, as `!thread` lists it. */
struct wait_object {
	uint64_t address;
	const char *type;      /* "Semaphore", "Mutant", "NotificationEvent", … */
	maybe_u64 owner_thread; /* "Mutant - owning thread X" */
};

enum { THREAD_FRAMES_KEPT = 64 };

struct thread {
	maybe_u64 address; /* ETHREAD */
	maybe_u64 pid;
	maybe_u64 tid;
	maybe_u64 process_address; /* "Owning Process" */
	maybe_u64 debugger_index;  /* user-mode debugger thread number: 31 in "0:031>" */
	const char *state;         /* "WAIT", "RUNNING", "READY", … */
	const char *wait_reason;   /* "WrLpcReply", "Unknown", "Suspended", … */
	const char *wait_mode;     /* "UserMode" or "KernelMode" */
	struct wait_object *wait_objects;
	uint32_t wait_object_count;
	uint32_t wait_object_capacity;

	/* Vista and later: "Waiting for reply to ALPC Message M : queued at
	 * port P : owned by process X" */
	maybe_u64 alpc_wait_message;
	maybe_u64 alpc_wait_port;
	maybe_u64 alpc_wait_port_owner;
	/* XP/2003: "Waiting for reply to LPC MessageId N:" and "Current LPC
	 * port P"; "LPC Server thread working on message Id N" */
	maybe_u64 lpc_wait_message_id;
	maybe_u64 lpc_port;
	maybe_u64 lpc_serving_message_id;

	maybe_u64 wait_ticks;        /* "Ticks: N" */
	const char *wait_time;       /* "(0:02:51:45.703)" as printed, without parentheses */
	maybe_u64 irp_count;         /* entries under "IRP List:" */
	bool kernel_stack_not_resident;

	/* Stack, innermost first: "module!function" (offsets dropped), or
	 * "module" for frames without symbols.  Interned. */
	const char **frames;
	uint32_t frame_count;

	struct origin_list origin;
	struct thread *merged_into;
};

struct port_queue {
	maybe_u64 length;        /* known 0 when WinDbg says "is empty" */
	struct u64_vec messages; /* message addresses, as listed */
};

struct port {
	maybe_u64 address; /* _ALPC_PORT or _LPCP_PORT_OBJECT */
	const char *name;
	enum ipc_flavor flavor;
	enum port_kind kind;
	maybe_u64 owner_process; /* EPROCESS; for LPC "Server process" */

	/* _ALPC_COMMUNICATION_INFO (ALPC) or the connected ports (LPC) */
	maybe_u64 communication_info;
	maybe_u64 connection_port;
	maybe_u64 client_port;
	maybe_u64 server_port;
	maybe_u64 connected_port; /* LPC "Connected port:" */

	maybe_u64 sequence_number;
	maybe_u64 completion_port;
	maybe_u64 completion_list;
	enum yes_no connection_pending, connection_refused, disconnected, closed,
		flush_on_close, return_extended_info, waitable, wow64_completion_list;
	const char *security; /* "Static", "Dynamic" */

	struct port_queue queues[QUEUE_KIND_COUNT];
	struct u64_vec waiting_threads;    /* ETHREAD addresses */
	struct u64_vec registered_threads; /* registered with the IO completion object */
	maybe_u64 waiting_thread_count;
	maybe_u64 registered_thread_count;

	/* LPC */
	maybe_u64 lpc_flags; /* the first column of `!lpc port` */
	maybe_u64 handles;
	maybe_u64 references;
	maybe_u64 queue_semaphore;
	maybe_u64 semaphore_state;

	struct origin_list origin;
};

/* `!lpc` prints six data words of a queued message (§3.1). */
enum { MESSAGE_DATA_WORDS = 6 };

struct message {
	enum ipc_flavor flavor;
	maybe_u64 address; /* _KALPC_MESSAGE or _LPCP_MESSAGE */
	maybe_u64 id;      /* ALPC MessageID, or the LPC MessageId */
	maybe_u64 callback_id;
	maybe_u64 sequence_number;
	const char *type;      /* "LPC_REQUEST", … */
	maybe_u64 type_number; /* PORT_MESSAGE u2.s2.Type as stored, `!lpc`'s "Type=00000001" */
	maybe_u64 data_length;
	maybe_u64 total_length;
	enum yes_no canceled, release, reply_wait_reply, continuation, quota_charged;
	maybe_u64 owner_port;
	enum port_kind owner_port_kind;
	maybe_u64 waiting_thread;
	enum queue_kind queue;
	maybe_u64 queue_port;
	enum port_kind queue_port_kind;
	maybe_u64 queue_port_owner;
	maybe_u64 server_thread;
	maybe_u64 cancel_queue_port;
	maybe_u64 cancel_sequence_port;
	maybe_u64 cancel_sequence_number;
	maybe_u64 client_context;
	maybe_u64 server_context;
	maybe_u64 port_context;
	maybe_u64 cancel_port_context;
	maybe_u64 security_data;
	maybe_u64 view;
	/* LPC queue entries: "Busy Id=N From: pid.tid Context=C [flink . blink]" */
	const char *lpc_state;
	maybe_u64 client_pid;
	maybe_u64 client_tid;
	maybe_u64 lpc_context;
	maybe_u64 lpc_flink, lpc_blink; /* _LPCP_MESSAGE.Entry */
	/* "Data: w0 w1 …": the first 32-bit words after the PORT_MESSAGE
	 * header, as many as were read (none when unknown). */
	uint32_t lpc_data[MESSAGE_DATA_WORDS];
	uint8_t lpc_data_count;
	struct origin_list origin;
	struct message *merged_into;
};

/* One line of `!alpc /lpp` or `!alpc /lpc`: a connection between a
 * server and a client communication port under a connection port. */
struct port_connection {
	maybe_u64 connection_port;
	maybe_u64 server_port;
	maybe_u64 client_port;
	maybe_u64 server_queued;
	maybe_u64 client_queued;
	maybe_u64 server_process;
	maybe_u64 client_process;
	struct origin origin;
};

/* ---- RPC run-time state cells (rpcexts / DbgRpc) --------------------- */

/* A cell id "0000.0004" is two 16-bit numbers; kept as high << 16 | low. */
typedef maybe_u64 maybe_cell;

enum rpc_call_party { RPC_PARTY_UNKNOWN = 0, RPC_PARTY_CONNECTION, RPC_PARTY_CALLER };

/* The status codes of RPC cells as the rpcexts documentation's own
 * cross-checks show them: calls 00 allocated, 01 active, 02 dispatched;
 * threads 01 dispatched, 03 idle; endpoints 01 active
 * (../shared/corpus/transcripts/INDEX.md, "RPC run-time status codes"). */
enum {
	RPC_CALL_ALLOCATED = 0, RPC_CALL_ACTIVE = 1, RPC_CALL_DISPATCHED = 2,
	RPC_THREAD_DISPATCHED = 1, RPC_THREAD_IDLE = 3,
	RPC_ENDPOINT_ACTIVE = 1,
};
const char *rpc_call_status_name(maybe_u64 status);   /* "active", … or NULL */
const char *rpc_thread_status_name(maybe_u64 status); /* "dispatched", "idle" or NULL */

struct rpc_endpoint {
	maybe_u64 pid;
	maybe_cell cell;
	maybe_u64 status;
	const char *protocol; /* "LRPC", "TCP", "NMP", … */
	const char *name;     /* "epmapper", "135", "\\PIPE\\lsass" */
	struct origin origin;
};

struct rpc_thread {
	maybe_u64 pid;
	maybe_cell cell;
	maybe_u64 status;    /* 01 dispatched, 03 idle */
	maybe_u64 tid;
	maybe_u64 last_time; /* ms since boot */
	struct origin origin;
};

struct rpc_server_call {
	maybe_u64 pid;
	maybe_cell cell;
	maybe_u64 status; /* 00 allocated, 01 active, 02 dispatched */
	maybe_u64 procedure;
	maybe_u64 interface_start;
	maybe_cell thread_cell;
	maybe_u64 call_flags;
	const char *call_flag_names; /* "cached, LRPC" from getdbgcell */
	maybe_u64 call_id;
	maybe_u64 last_time;
	/* The CONN/CLN column: a connection cell (OSF) or the caller's
	 * pid.tid (LRPC).  getdbgcell names the caller outright. */
	enum rpc_call_party party;
	maybe_cell connection_cell;
	maybe_u64 caller_pid;
	maybe_u64 caller_tid;
	struct origin origin;
};

struct rpc_client_call {
	maybe_u64 pid;
	maybe_cell cell;
	maybe_u64 procedure;
	maybe_u64 interface_start;
	maybe_cell thread_cell;
	maybe_u64 call_id;
	maybe_u64 last_time;
	maybe_u64 protocol_id;   /* PS column */
	maybe_cell client_cell;  /* CLTNUMBER */
	const char *endpoint;
	/* !rpcexts.rpcreadstack */
	const char *protocol;       /* "ncacn_ip_tcp" */
	const char *network_address;
	maybe_u64 debugger_thread;  /* the user-mode thread whose stack was read */
	struct origin origin;
};

struct rpc_connection {
	maybe_u64 pid;
	maybe_cell cell;
	const char *flags;
	const char *authentication_level;
	const char *authentication_service;
	maybe_cell endpoint_cell;
	maybe_u64 last_send_time;
	maybe_u64 last_receive_time;
	maybe_u64 caller_process; /* "Process object for caller is 0x…" */
	struct origin origin;
};

/* ---- diagnostics ------------------------------------------------------ */

enum diagnostic_level {
	DIAGNOSTIC_NOTE,    /* information: a command we skip, an author's elision */
	DIAGNOSTIC_WARNING, /* part of the input could not be used: results are partial */
	DIAGNOSTIC_ERROR,   /* the input could not be read at all past this point */
};

struct diagnostic {
	enum diagnostic_level level;
	char *text; /* complete, one line: "path:line: what" */
};

enum snapshot_status { STATUS_OK = 0, STATUS_PARTIAL, STATUS_ERROR };
const char *snapshot_status_name(enum snapshot_status status);

/* ---- the snapshot ----------------------------------------------------- */

struct system_info {
	const char *arch;       /* "x64", "x86" or NULL */
	const char *build;      /* "7601", … */
	const char *dump_type;  /* NULL for transcripts */
	const char *debugger;   /* "kd", "lkd", "cdb", "dbgrpc" */
	const char *machine;    /* a remote DbgRpc server name */
	bool kernel_mode;
	maybe_u64 rpc_time_ms;  /* !rpcexts.rpctime */
	maybe_u64 lpc_objects_scanned; /* `!lpc port`'s "Scanning N objects": LPC port objects examined */
	/* memory images (src/ipc/dump_snapshot.c); each with where it came from */
	const char *paging;          /* "x64 4-level", "x86 PAE", "x86" */
	const char *build_source;
	const char *pdb_name;        /* "ntkrnlmp.pdb" */
	const char *pdb_guid;        /* 32 hex digits */
	maybe_u64 pdb_age;
	const char *profile;         /* the structure profile read with: "19041.3570"; NULL: none fits */
	const char *profile_reason;  /* why that one, or why none: one sentence */
	maybe_u64 processors;
	maybe_u64 present_pages;
	maybe_u64 page_ranges;
	maybe_u64 dtb;
	const char *dtb_source;
	maybe_u64 kernel_base;
	const char *kernel_base_source;
	maybe_u64 ps_active_process_head;
	maybe_u64 ps_loaded_module_list;
	const char *list_heads_source;
	maybe_u64 kd_debugger_data_block;
	const char *kdbg_state;      /* "plain", "decoded", "encoded", NULL */
	const char *kdbg_source;
	maybe_u64 bugcheck_code;
	maybe_u64 bugcheck_parameters[4];
	maybe_u64 system_time;       /* FILETIME: 100 ns since 1601 */
	maybe_u64 system_uptime;     /* 100 ns */
};

struct snapshot {
	struct arena arena;
	struct string_table strings;
	const char *path;
	struct ptr_vec sources; /* const char *: path, then files read into it later */
	const char *format;     /* "transcript", … */
	uint32_t capture_index; /* 1-based capture within the file */
	uint32_t capture_count;
	uint64_t first_line, last_line;
	enum snapshot_status status;
	struct system_info system;

	struct ptr_vec processes, threads, ports, messages, connections;
	struct ptr_vec rpc_endpoints, rpc_threads, rpc_server_calls,
		rpc_client_calls, rpc_connections;
	struct ptr_vec diagnostics;
	uint32_t diagnostics_dropped; /* past the cap, so hostile input cannot flood memory */

	/* lookups; merged records are re-pointed to the survivor */
	struct u64_map process_by_address, process_by_pid;
	struct u64_map thread_by_address, thread_by_cid, thread_by_debugger_index;
	struct u64_map port_by_address;
	struct u64_map message_by_address, lpc_message_by_id;
	struct u64_map rpc_endpoint_by_key, rpc_thread_by_key, rpc_server_call_by_key,
		rpc_client_call_by_key, rpc_connection_by_key;
	bool finished;
};

struct snapshot *snapshot_new(const char *path, const char *format);
void snapshot_free(struct snapshot *snapshot);
/* Drops merged records from the lists and settles the status. */
void snapshot_finish(struct snapshot *snapshot);
bool snapshot_is_empty(const struct snapshot *snapshot);

/* Another input file read into this snapshot; returns its origin index. */
uint32_t snapshot_add_source(struct snapshot *snapshot, const char *path);
/* "path:line", "path@0x…" (file offset) or "path:va 0x…". */
void snapshot_describe_origin(const struct snapshot *snapshot, struct origin origin,
			      char *buffer, size_t size);

/* Text from an input, made valid UTF-8 and interned. */
const char *snapshot_text(struct snapshot *snapshot, const char *text, size_t length);

/* Diagnostics carry the snapshot's path and the origin in their text. */
void snapshot_note(struct snapshot *snapshot, struct origin at, const char *format, ...)
	PRINTF_LIKE(3, 4);
void snapshot_warn(struct snapshot *snapshot, struct origin at, const char *format, ...)
	PRINTF_LIKE(3, 4);
/* Takes ownership of error. */
void snapshot_fail(struct snapshot *snapshot, struct error *error);
size_t snapshot_count_diagnostics(const struct snapshot *snapshot,
				  enum diagnostic_level level);

/* Find-or-create.  Each returns the one record for the object, merging
 * records that turn out to be the same object (a thread first seen by Cid
 * in an RPC table and later by address in `!thread`).  When two known
 * values disagree the first is kept and a warning is recorded. */
struct process *snapshot_process(struct snapshot *snapshot, maybe_u64 address,
				 maybe_u64 pid, struct origin at);
struct thread *snapshot_thread(struct snapshot *snapshot, maybe_u64 address,
			       maybe_u64 pid, maybe_u64 tid, struct origin at);
/* A user-mode debugger's thread number ("~1k", "0:031>"), with its Cid
 * when the `~` listing gave it. */
struct thread *snapshot_debugger_thread(struct snapshot *snapshot, uint64_t index,
					maybe_u64 pid, maybe_u64 tid, struct origin at);
struct port *snapshot_port(struct snapshot *snapshot, uint64_t address,
			   struct origin at);
struct message *snapshot_message(struct snapshot *snapshot, enum ipc_flavor flavor,
				 maybe_u64 address, maybe_u64 id, struct origin at);
struct port_connection *snapshot_add_connection(struct snapshot *snapshot,
						struct origin at);
struct rpc_endpoint *snapshot_rpc_endpoint(struct snapshot *snapshot, maybe_u64 pid,
					   maybe_cell cell, struct origin at);
struct rpc_thread *snapshot_rpc_thread(struct snapshot *snapshot, maybe_u64 pid,
				       maybe_cell cell, struct origin at);
struct rpc_server_call *snapshot_rpc_server_call(struct snapshot *snapshot, maybe_u64 pid,
						 maybe_cell cell, struct origin at);
struct rpc_client_call *snapshot_rpc_client_call(struct snapshot *snapshot, maybe_u64 pid,
						 maybe_cell cell, struct origin at);
struct rpc_connection *snapshot_rpc_connection(struct snapshot *snapshot, maybe_u64 pid,
					       maybe_cell cell, struct origin at);

/* Lookups only; NULL when not known. */
struct process *snapshot_find_process(const struct snapshot *snapshot, uint64_t address);
struct process *snapshot_find_process_by_pid(const struct snapshot *snapshot, uint64_t pid);
struct thread *snapshot_find_thread(const struct snapshot *snapshot, uint64_t address);
struct thread *snapshot_find_thread_by_cid(const struct snapshot *snapshot, uint64_t pid,
					   uint64_t tid);
struct port *snapshot_find_port(const struct snapshot *snapshot, uint64_t address);
/* An unnamed communication port is known by its connection port's name
 * (`!lpc port` lists the pair under ApiPort, `!alpc /p` prints
 * "ConnectionPort : … (SmApiPort)"): that name, or NULL when the port has
 * its own name or no named connection port is known. */
const char *port_connection_name(const struct snapshot *snapshot, const struct port *port);
struct message *snapshot_find_message(const struct snapshot *snapshot, uint64_t address);
struct message *snapshot_find_lpc_message(const struct snapshot *snapshot, uint64_t id);
struct rpc_thread *snapshot_find_rpc_thread(const struct snapshot *snapshot, uint64_t pid,
					    uint64_t cell);
struct rpc_connection *snapshot_find_rpc_connection(const struct snapshot *snapshot,
						    uint64_t pid, uint64_t cell);

/* The process a thread belongs to, by Owning Process address or by pid. */
struct process *thread_process(const struct snapshot *snapshot, const struct thread *thread);

void thread_add_wait_object(struct snapshot *snapshot, struct thread *thread,
			    struct wait_object object);
void thread_set_frames(struct snapshot *snapshot, struct thread *thread,
		       const char **frames, uint32_t count);

#endif
