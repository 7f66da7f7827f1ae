/* The transcript scanner's state, shared by the files that read one kind
 * of debugger output each (kernel_listing.c: !process/!thread; alpc_listing.c;
 * lpc_listing.c; rpc_listing.c; object_listing.c: !object, |, ~).  Not part
 * of the room's public face (transcript.h). */
#ifndef ALPCGRAPH_SCANNER_H
#define ALPCGRAPH_SCANNER_H

#include "../model/model.h"
#include "line_reader.h"
#include "text_fields.h"
#include "transcript.h"

/* What kind of program printed the prompt: a change means another
 * debugger session, so another capture. */
enum prompt_family {
	PROMPT_NONE = 0,
	PROMPT_KERNEL,       /* "kd>", "0: kd>" */
	PROMPT_LOCAL_KERNEL, /* "lkd>" */
	PROMPT_USER,         /* "0:000>", "0:031:x86>" */
	PROMPT_SHELL,        /* "D:\wmsg>" running dbgrpc */
};

/* The command whose output is being read. */
enum command_kind {
	COMMAND_NONE = 0,   /* no prompt seen yet: read by content */
	COMMAND_PROCESS,    /* !process */
	COMMAND_THREAD,     /* !thread, .thread */
	COMMAND_STACK,      /* k, kb, kc, ~Nk, ~*k … */
	COMMAND_THREAD_LIST, /* ~ */
	COMMAND_PROCESS_LIST, /* | */
	COMMAND_ALPC,       /* !alpc /m /p /lpp /lpc */
	COMMAND_LPC,        /* !lpc … */
	COMMAND_RPC,        /* !rpcexts.* and dbgrpc */
	COMMAND_OBJECT,     /* !object */
	COMMAND_QUIET,      /* known, prints nothing we read (.reload, .symfix …) */
	COMMAND_UNKNOWN,    /* output skipped with a note */
};

struct command {
	enum command_kind kind;
	char name[48];       /* as typed, for notes: "!vm" */
	maybe_u64 pid;        /* getdbgcell / dbgrpc -P */
	maybe_u64 cell;       /* getdbgcell / dbgrpc -L */
	maybe_u64 address;    /* !alpc /lpp P, !lpc message N, !thread A … */
	maybe_u64 thread_index; /* ~Nk */
	bool all_threads;     /* ~*k */
	bool names_server;    /* dbgrpc -s: a remote machine */
	char server[64];
	char alpc_option[8];  /* "m", "p", "lpp", "lpc" */
	char lpc_verb[16];    /* "port", "message", "thread", "scan" */
	char rpc_verb[32];    /* "getdbgcell", "getcallinfo", … or a dbgrpc switch "l" */
};

/* What the last lines opened, so the next ones know where they belong. */
enum block_kind {
	BLOCK_NONE = 0,
	BLOCK_PROCESS,
	BLOCK_THREAD,
	BLOCK_ALPC_MESSAGE,
	BLOCK_ALPC_PORT,
	BLOCK_ALPC_CREATED,      /* !alpc /lpp "Ports created by the process" and /lpc */
	BLOCK_ALPC_CONNECTED_TO, /* !alpc /lpp "Ports the process … is connected to" */
	BLOCK_LPC_PORT,
	BLOCK_RPC_TABLE,
	BLOCK_RPC_CELL,
	BLOCK_OBJECT,
};

enum rpc_table_kind { RPC_TABLE_NONE = 0, RPC_TABLE_ENDPOINTS, RPC_TABLE_THREADS,
		      RPC_TABLE_SERVER_CALLS, RPC_TABLE_CLIENT_CALLS };
enum rpc_cell_kind { RPC_CELL_NONE = 0, RPC_CELL_CALL, RPC_CELL_THREAD, RPC_CELL_CONNECTION,
		     RPC_CELL_ENDPOINT, RPC_CELL_CLIENT_CALL };

enum { RPC_TABLE_MAX_COLUMNS = 12, STACK_FRAMES_HELD = THREAD_FRAMES_KEPT };

enum rpc_column {
	RPC_COLUMN_UNKNOWN = 0, RPC_COLUMN_PID, RPC_COLUMN_CELL, RPC_COLUMN_STATUS,
	RPC_COLUMN_PROTSEQ, RPC_COLUMN_ENDPOINT, RPC_COLUMN_TID, RPC_COLUMN_LASTTIME,
	RPC_COLUMN_PNO, RPC_COLUMN_IFSTART, RPC_COLUMN_THREAD_CELL, RPC_COLUMN_CALLFLAG,
	RPC_COLUMN_CALLID, RPC_COLUMN_CONN, RPC_COLUMN_PS, RPC_COLUMN_CLIENT_CELL,
};

/* An object seen through `!object`: its type, name and parent directory. */
struct named_object {
	uint64_t address;
	struct origin origin; /* its "Object:" line */
	const char *type;
	const char *name;
	maybe_u64 directory;
};

struct scanner {
	const char *path;
	struct transcript_options options;
	struct ptr_vec *captures;   /* where finished snapshots go */
	struct snapshot *snapshot;  /* the capture being read */
	bool merging;               /* --same-machine: never split captures */
	const struct line *line;    /* the line being read */
	struct origin here;         /* its origin */

	enum prompt_family family;
	char machine[64];           /* dbgrpc -s target, "" for the local one */
	struct command command;
	maybe_u64 prompt_thread;    /* user-mode "0:031>" → 31 */
	bool command_noted;
	bool saw_build_line;

	enum block_kind block;
	struct process *process;
	struct origin process_header; /* where the PROCESS block being read starts */
	struct thread *thread;
	struct message *message;
	struct port *port;
	enum queue_kind queue;       /* the LPC/ALPC queue being listed */
	struct u64_vec *thread_list; /* the port's waiting/registered list being read */
	maybe_u64 connections_port;  /* /lpp, /lpc: the connection port being listed */
	maybe_u64 lpp_process;       /* /lpp: the process being listed */
	struct port *lpc_server_connection_port; /* last one in !lpc message/thread */
	maybe_u64 lpc_message_id;    /* !lpc message N */
	maybe_u64 lpc_searched_thread;

	/* A THREAD header cut by a book's layout waits for its state. */
	bool thread_header_open;
	/* A "Waiting for reply to ALPC Message" line cut after "queued at port",
	 * and where it stood. */
	char *held_alpc_line;
	struct origin held_alpc_origin;

	const char *frames[STACK_FRAMES_HELD];
	uint32_t frame_count;
	struct thread *frames_thread;

	enum rpc_table_kind rpc_table;
	enum rpc_column rpc_columns[RPC_TABLE_MAX_COLUMNS];
	unsigned rpc_column_count;
	enum rpc_cell_kind rpc_cell;
	void *rpc_record;
	struct rpc_client_call *readstack_call;

	struct named_object *objects;
	size_t object_count, object_capacity;
	struct named_object *current_object;

	uint64_t lines_recognised;
	uint64_t binary_lines;
	bool warned_invalid_utf8;
};

/* ---- shared helpers (scanner.c) --------------------------------------- */

/* The capture changes: finish the current snapshot and start another. */
void scanner_new_capture(struct scanner *scanner, const char *why);
/* Text from the input, as a snapshot string. */
const char *scanner_text(struct scanner *scanner, const char *text, size_t length);
/* Ends the block in progress (stores held stack frames and the like). */
void scanner_close_block(struct scanner *scanner);
/* Notes the pointer width seen: 16 hex digits mean x64, 8 mean x86. */
void scanner_saw_address(struct scanner *scanner, unsigned digits);
/* Records that the line carried debugger output we understood. */
void scanner_recognised(struct scanner *scanner);

struct process *scanner_process(struct scanner *scanner, maybe_u64 address, maybe_u64 pid);
struct thread *scanner_thread(struct scanner *scanner, maybe_u64 address, maybe_u64 pid,
			      maybe_u64 tid);
struct port *scanner_port(struct scanner *scanner, uint64_t address);

/* "addr (name)" or "addr [KIND]" or "addr('name')": the address and the
 * text inside the brackets (NULL, 0 when there is none). */
bool take_address_with_label(struct cursor *cursor, uint64_t *address, unsigned *digits,
			     const char **label, size_t *label_length, char open, char close);

/* ---- the readers: each returns true when it consumed the line -------- */

bool read_kernel_listing(struct scanner *scanner, const char *text, size_t length);
/* The line after a THREAD header cut after "Win32Thread:" or "WAIT:";
 * true when it was the header's rest. */
bool read_wrapped_thread_header(struct scanner *scanner, const char *text, size_t length);
/* The line after a held, cut ALPC wait line: true when it was the rest. */
bool finish_held_alpc_line(struct scanner *scanner, const char *text, size_t length);
bool read_stack_frame(struct scanner *scanner, const char *text, size_t length);
void flush_stack_frames(struct scanner *scanner);
bool read_system_line(struct scanner *scanner, const char *text, size_t length);
bool read_alpc_listing(struct scanner *scanner, const char *text, size_t length);
bool read_lpc_listing(struct scanner *scanner, const char *text, size_t length);
bool read_rpc_listing(struct scanner *scanner, const char *text, size_t length);
bool read_object_listing(struct scanner *scanner, const char *text, size_t length);
/* At the end of a capture: names from !object directory chains. */
void name_ports_from_objects(struct scanner *scanner);

/* command.c */
bool parse_prompt(const char *text, size_t length, enum prompt_family *family,
		  maybe_u64 *thread_index, const char **command, size_t *command_length);
void parse_command(const char *text, size_t length, maybe_u64 prompt_thread,
		   struct command *command);
const char *prompt_family_debugger(enum prompt_family family);

#endif
