/* Forged ALPC scenarios for issue 4's acceptance tests: whole Windows
 * systems in the real layouts (any Vista+ forge_layout), each made by one
 * function that says exactly what it made, so a reader's test can assert
 * its output against these facts and nothing else.
 *
 * How the scenarios show an ALPC wait (so a reader can find it; the
 * fields are struct-offsets.md's, the meaning debugger-output-formats.md
 * §3.2 and §3.4's):
 *   - a client thread waiting for a reply: State Waiting (5), WaitReason
 *     WrLpcReply (17), ETHREAD.AlpcMessage = the message, AlpcMessageId =
 *     its id, message.WaitingThread = the thread;
 *   - the message not yet received: on its queue port's MainQueue,
 *     ServerThread 0 (an edge to the queue port's owner process only);
 *   - the message received: on the PendingQueue with ServerThread set (an
 *     edge to that thread);
 *   - a server thread waiting for messages: WrLpcReceive (16), its
 *     AlpcWaitListEntry on the port's WaitQueue;
 *   - a thread waiting on a mutant: UserRequest (6), its wait block on the
 *     mutant's WaitListHead (an edge to the mutant's OwnerThread).
 * Requests from a client sit on the connection port's queues (as the
 * Vista `!alpc /m` sample shows: QueuePort an ALPC_CONNECTION_PORT); the
 * "main-queue" scenario also queues one on a server communication port.
 * QueueType and the port's Type numbers are not public: the scenarios
 * leave them 0; a reader tells a queue by the list that links the message
 * and a port's kind by its CommunicationInfo (struct-offsets.md).
 *
 * Every port has a handle in its owner's handle table, is linked on
 * AlpcpPortList and has an "ALPC Port" object header, except the ports of
 * the "pool-only" scenario, which have none of those references: only
 * their pool header (tag "ALPC", see forge_kmem.c) and their object header
 * find them. */
#ifndef ALPCGRAPH_FORGE_SCENARIOS_H
#define ALPCGRAPH_FORGE_SCENARIOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "forge.h"

struct forge_scenario_process {
	uint64_t pid;
	uint64_t eprocess;
	const char *image;  /* ImageFileName as stored (its first 15 bytes) */
};

/* What a thread waits for, as a reader should report it. */
enum forge_scenario_wait_kind {
	FORGE_WAITS_FOR_NOTHING,      /* running, ready, or a wait no edge leaves */
	FORGE_WAITS_FOR_ALPC_REPLY,   /* WrLpcReply: wait_object is the message */
	FORGE_WAITS_FOR_ALPC_RECEIVE, /* WrLpcReceive: wait_object is the port */
	FORGE_WAITS_FOR_MUTANT,       /* UserRequest: wait_object is the mutant */
	/* LPC (XP, 2003; see "LPC scenarios" below) */
	FORGE_WAITS_FOR_LPC_REPLY,    /* LpcReplyMessageId set: wait_object is the
				       * port LpcWaitingOnPort names (bit 0 masked) */
	FORGE_WAITS_FOR_LPC_RECEIVE,  /* a server thread blocked on a port's queue
				       * semaphore: wait_object is the port */
};

struct forge_scenario_thread {
	uint64_t pid, tid;             /* Cid */
	uint64_t ethread;
	unsigned state, wait_reason;   /* _KTHREAD.State and WaitReason as written */
	enum forge_scenario_wait_kind waits_for;
	uint64_t wait_object;          /* the message, port or mutant; 0 for nothing */
};

/* A port's kind, as its CommunicationInfo tells it. */
enum forge_scenario_port_kind {
	FORGE_PORT_CONNECTION,
	FORGE_PORT_SERVER_COMMUNICATION,
	FORGE_PORT_CLIENT_COMMUNICATION,
};

struct forge_scenario_port {
	uint64_t address;              /* the _ALPC_PORT (object body) */
	const char *name;              /* "\\RPC Control\\OrderSvcPort"; NULL: unnamed */
	enum forge_scenario_port_kind kind;
	uint64_t owner_pid, owner_eprocess;
	uint64_t communication_info;
	/* as the port's CommunicationInfo names them (0: none) */
	uint64_t connection_port, server_port, client_port;
	uint32_t handle;               /* the handle in the owner's table; 0: none */
	bool on_port_list;             /* linked on AlpcpPortList */
	bool pool_only;                /* no handle, no list, no reference: a pool scan finds it */
	/* queue lengths as the port's *Length fields hold them */
	uint32_t main_length, pending_length, canceled_length, wait_length;
};

struct forge_scenario_message {
	uint64_t address;              /* the _KALPC_MESSAGE */
	uint32_t id, callback_id;      /* PORT_MESSAGE.MessageId, CallbackId */
	enum forge_alpc_queue queue;   /* which list of queue_port links it */
	uint64_t queue_port;           /* _KALPC_MESSAGE.PortQueue */
	uint64_t owner_port;           /* the client communication port that sent it */
	uint64_t waiting_thread;       /* 0: nobody waits (canceled) */
	uint64_t server_thread;        /* 0: not received */
	bool canceled;                 /* u1.s1.Canceled */
	uint64_t client_pid, client_tid; /* PORT_MESSAGE.ClientId */
};

/* An expected wait-for edge: a waiting thread and whom it waits for. */
struct forge_scenario_wait {
	uint64_t pid, tid, thread;     /* the waiter */
	enum forge_scenario_wait_kind kind; /* ALPC_REPLY or MUTANT */
	uint64_t object;               /* the message or the mutant */
	uint64_t queue_port;           /* ALPC: the message's queue port; 0 for a mutant */
	uint64_t target_pid;           /* the queue port's owner; the mutant owner's process */
	uint64_t target_tid;           /* ServerThread's or OwnerThread's tid; 0: only the process is known */
	bool definite;                 /* thread-level (target_tid known) */
};

enum { FORGE_SCENARIO_CYCLE_MAX = 8 };
/* An expected deadlock: members[i] waits for members[(i + 1) % length].
 * It starts at the member with the lowest pid. */
struct forge_scenario_cycle {
	size_t length;
	uint64_t pids[FORGE_SCENARIO_CYCLE_MAX];
	uint64_t tids[FORGE_SCENARIO_CYCLE_MAX]; /* the waiting thread in pids[i] */
	/* every edge thread-level: "definite"; else process-level "probable" */
	bool definite;
};

/* Everything a scenario made, in creation order.  Arrays are owned by the
 * facts (forge_scenario_facts_free). */
struct forge_scenario_facts {
	const char *scenario;          /* its name */
	const char *layout;            /* the layout's column ("19041.3570") */
	uint32_t port_pool_tag;        /* the tag on each port's pool header; 0: no pool headers */
	struct forge_scenario_process *processes;
	size_t process_count;
	struct forge_scenario_thread *threads;
	size_t thread_count;
	struct forge_scenario_port *ports;
	size_t port_count;
	struct forge_scenario_message *messages;
	size_t message_count;
	struct forge_scenario_wait *waits;
	size_t wait_count;
	struct forge_scenario_cycle *cycles;
	size_t cycle_count;
	struct ptr_vec strings;        /* names and images the facts own */
	/* LPC scenarios only (0 / NULL in the ALPC ones) */
	uint32_t lpc_port_pool_tag;    /* the tag on each LPC port object's pool header */
	uint32_t lpc_message_pool_tag; /* the tag on each _LPCP_MESSAGE's: "LpcM" */
	struct forge_scenario_lpc_port *lpc_ports;
	size_t lpc_port_count;
	struct forge_scenario_lpc_message *lpc_messages;
	size_t lpc_message_count;
	struct forge_scenario_lpc_thread *lpc_threads; /* every thread doing LPC */
	size_t lpc_thread_count;
	/* the replays' thread lines (§3.2): the debugger's Teb and
	 * Win32Thread values, for a reader that prints them; else empty */
	struct forge_scenario_lpc_thread_line *lpc_thread_lines;
	size_t lpc_thread_line_count;
};
void forge_scenario_facts_free(struct forge_scenario_facts *facts);

/* Lookups in the facts (NULL when absent). */
const struct forge_scenario_port *forge_scenario_port_at(const struct forge_scenario_facts *facts,
							 uint64_t address);
const struct forge_scenario_message *forge_scenario_message_at(const struct forge_scenario_facts *facts,
							       uint64_t address);
const struct forge_scenario_thread *forge_scenario_thread_at(const struct forge_scenario_facts *facts,
							     uint64_t ethread);

/* What a scenario needs from the scenario around it. */
struct forge_scenario_needs {
	uint64_t max_pfn;              /* physical memory, in pages */
	uint64_t heap_size;            /* the kernel heap (forge_windows_options.heap_size) */
	bool pool_headers;             /* always true where a pool scan must find something */
	const char *layout;            /* a replay's fixed layout column; NULL: any Vista+ */
	bool lpc;                      /* an LPC scenario: forge_lpc_scenario_system_new */
};

struct forge_scenario {
	const char *name;              /* "deadlock-2", ... (forge scenario --list) */
	const char *summary;
	struct forge_scenario_needs needs;
	/* Lays the scenario into windows and returns its facts (never NULL;
	 * a misuse shows in forge_write_dump). */
	struct forge_scenario_facts *(*make)(struct forge_windows *windows);
};

/* The scenarios, one function each (names as forge_scenarios[] lists them):
 *   deadlock-2       OrderSvc and StockSvc wait for each other's replies,
 *                    both received (PENDING, ServerThread set): one
 *                    definite 2-cycle.
 *   cycle-3          three services in a ring; one request still queued
 *                    (MAIN): one probable 3-cycle.
 *   chain-6-mutant   six processes, each server thread calling the next;
 *                    the last thread waits on a mutant a running thread
 *                    owns: no cycle.
 *   main-queue       requests queued, not received (MAIN), servers'
 *                    threads waiting on their ports (WrLpcReceive).
 *   pending          requests received (PENDING) by server threads that
 *                    are running.
 *   canceled         canceled messages on CanceledQueue, nobody waiting.
 *   self-connection  a process connected to its own port, a thread
 *                    waiting for another of its threads.
 *   pool-only        ports found only by a pool scan, beside a listed one.
 *   many-ports       300 processes x 40 ports, a reply wait in every
 *                    even process.
 *   replay-win10-smss     the Windows 10 smss/SmApiPort/audiodg session
 *                    (debugger-output-formats.md §3.4-3.6, 19041.3570).
 *   replay-win7-alpcbuggery  the Windows 7 `!alpc /p` and `/lpp` outputs
 *                    (corpus bnagy-alpcbuggery-win7x64-lkd-alpc-fragments,
 *                    7601.17514). */
struct forge_scenario_facts *forge_scenario_two_process_deadlock(struct forge_windows *windows);
struct forge_scenario_facts *forge_scenario_three_process_cycle(struct forge_windows *windows);
struct forge_scenario_facts *forge_scenario_chain_to_mutant(struct forge_windows *windows);
struct forge_scenario_facts *forge_scenario_main_queue(struct forge_windows *windows);
struct forge_scenario_facts *forge_scenario_pending(struct forge_windows *windows);
struct forge_scenario_facts *forge_scenario_canceled(struct forge_windows *windows);
struct forge_scenario_facts *forge_scenario_self_connection(struct forge_windows *windows);
struct forge_scenario_facts *forge_scenario_pool_only(struct forge_windows *windows);
struct forge_scenario_facts *forge_scenario_many_ports(struct forge_windows *windows);
struct forge_scenario_facts *forge_scenario_replay_win10_smss(struct forge_windows *windows);
struct forge_scenario_facts *forge_scenario_replay_win7_alpcbuggery(struct forge_windows *windows);

/* ---- LPC scenarios (issue 5: XP SP3 x86 non-PAE and PAE, 2003 SP2 x86
 * and x64) ----
 * The layouts: "XP x86" (forge_scenario_system_new with pae false or
 * true), "2003 x86" (PAE), "2003 x64" (forge_lpc_scenario_layouts[]).
 * Dumps: a 32-bit PAGEDUMP (PaeEnabled as the paging) for x86, PAGEDU64
 * for x64 (dump-formats.md §1-2).
 *
 * How the LPC scenarios show things (fields: struct-offsets.md
 * _LPCP_PORT_OBJECT, _LPCP_MESSAGE, _LPCP_PORT_QUEUE,
 * _LPCP_NONPAGED_PORT_QUEUE, _PORT_MESSAGE and _ETHREAD Lpc*; meaning:
 * debugger-output-formats.md §3.1-3.2):
 *   - every port is a "Port" object (a "WaitablePort" where the facts say
 *     waitable), with creator info, so the type's object list
 *     (CreatorInfo.TypeList on _OBJECT_TYPE.TypeList, GFlags +otl) links
 *     every port; each has a pool header tagged its pool_tag;
 *   - Flags: the kind in the low four bits (Flags & 0xf: 1 server
 *     connection, 2 unconnected, 3 server communication, 4 client
 *     communication; ReactOS sdk/include/ndk/lpctypes.h LPCP_*_PORT and
 *     LPCP_PORT_TYPE_MASK), other bits as written (0x80000000
 *     LPCP_SECURITY_DYNAMIC, same file); kind below is Flags & 0xf;
 *   - a connection port's ConnectionPort is itself; a communication
 *     port's ConnectionPort is the server connection port and its
 *     ConnectedPort the other end (ReactOS ntoskrnl/lpc/create.c,
 *     connect.c);
 *   - a queued message: its Entry on the port's MsgQueue.ReceiveHead, in
 *     the order of queue_index; a message on no queue has its Entry
 *     pointing at itself;
 *   - a client thread waiting for a reply: State Waiting (5), WaitReason
 *     WrLpcReply (17), LpcReplyMessageId = the message id, LpcWaitingOnPort
 *     = port | 1 (struct-offsets.md "Legacy LPC thread fields"), its
 *     LpcReplyChain on that port's LpcReplyChainHead (the "rundown queue"
 *     `!lpc message` searches);
 *   - a server thread working on a message: LpcReceivedMessageId = its id
 *     with LpcReceivedMsgIdValid set;
 *   - a server thread waiting for messages: WrLpcReceive (16).
 * Every port has a handle in its owner's handle table unless the facts
 * say handle 0; the "lpc-pool-only" message is on no queue, no thread
 * names its id, and only its LpcM pool header finds it. */

/* Flags & 0xf (ReactOS sdk/include/ndk/lpctypes.h). */
enum forge_lpc_port_kind {
	FORGE_LPC_SERVER_CONNECTION = 1,
	FORGE_LPC_UNCONNECTED = 2,
	FORGE_LPC_SERVER_COMMUNICATION = 3,
	FORGE_LPC_CLIENT_COMMUNICATION = 4,
};
/* LPCP_SECURITY_DYNAMIC (same file): the high bit of the §3.1 sample's
 * client port flags 0x80000004. */
#define FORGE_LPC_SECURITY_DYNAMIC 0x80000000u
/* LPCP_WAITABLE_PORT (same file): a "WaitablePort" object's Flags bit. */
#define FORGE_LPC_WAITABLE 0x20000000u

/* _PORT_MESSAGE.u2.s2.Type values (ReactOS lpctypes.h LPC_TYPE; the
 * names `!lpc` prints, §3.1 "LPC_REQUEST"). */
enum forge_lpc_message_type {
	FORGE_LPC_REQUEST = 1,
	FORGE_LPC_REPLY = 2,
	FORGE_LPC_DATAGRAM = 3,
	FORGE_LPC_LOST_REPLY = 4,
	FORGE_LPC_PORT_CLOSED = 5,
	FORGE_LPC_CLIENT_DIED = 6,
	FORGE_LPC_EXCEPTION = 7,
	FORGE_LPC_DEBUG_EVENT = 8,
	FORGE_LPC_ERROR_EVENT = 9,
	FORGE_LPC_CONNECTION_REQUEST = 10,
};

struct forge_scenario_lpc_port {
	uint64_t address;              /* the _LPCP_PORT_OBJECT (object body) */
	const char *name;              /* as `!lpc` prints it: the object's own name
					* ("ApiPort"); NULL: unnamed */
	const char *full_name;         /* "\\Windows\\ApiPort"; NULL: unnamed */
	bool waitable;                 /* a "WaitablePort" object, else "Port" */
	uint32_t flags;                /* Flags as written */
	enum forge_lpc_port_kind kind; /* flags & 0xf */
	uint64_t connection_port, connected_port; /* as written (0: none) */
	uint64_t creator_pid, creator_tid;        /* Creator */
	uint64_t server_process;       /* ServerProcess (an EPROCESS; 0: none) */
	uint64_t owner_pid;            /* the process whose table holds its handle */
	uint32_t handle;               /* 0: no handle */
	uint32_t handle_count, pointer_count; /* _OBJECT_HEADER: !lpc's Handles, References */
	uint64_t queue_semaphore;      /* MsgQueue.Semaphore */
	int32_t semaphore_state;       /* its Header.SignalState */
	uint32_t message_count;        /* messages on MsgQueue.ReceiveHead */
	uint32_t reply_chain_count;    /* threads on LpcReplyChainHead */
	uint32_t data_info_count;      /* entries on LpcDataInfoChainHead (always 0 here) */
	bool on_type_list;             /* linked on the type's object list */
	uint32_t pool_tag;             /* its pool header's tag: lpc_port_pool_tag for a
					* "Port"; "Wait" | 0x80000000 for a "WaitablePort"
					* (the type name's first four characters,
					* docs/lpc.md "LPC pool tags"; derived, not listed) */
	bool pool_only;                /* no handle, no type list, nothing points at it */
};

struct forge_scenario_lpc_message {
	uint64_t address;              /* the _LPCP_MESSAGE */
	uint32_t id, callback_id;      /* Request.MessageId, CallbackId */
	uint64_t client_pid, client_tid; /* Request.ClientId: `!lpc`'s "From" */
	uint64_t port_context;         /* PortContext: `!lpc`'s "Context" */
	uint16_t data_length, total_length; /* `!lpc`'s Length = total << 16 | data */
	uint16_t type;                 /* enum forge_lpc_message_type */
	const char *type_name;         /* "LPC_REQUEST" */
	uint32_t data[6];              /* the first data words after the
					* PORT_MESSAGE, as `!lpc` prints them */
	size_t data_words;             /* how many of data[] are set */
	uint64_t queue_port;           /* whose ReceiveHead links it; 0: none */
	uint32_t queue_index;          /* its place on that queue, 0 first */
	uint64_t sender_port, replied_to_thread; /* SenderPort, RepliedToThread */
	uint64_t waiting_thread;       /* the thread whose LpcReplyMessageId it is; 0: none */
	uint64_t server_thread;        /* the thread whose valid LpcReceivedMessageId
					* it is; 0: none */
	bool busy;                     /* `!lpc`'s Busy: on a queue or named by a
					* thread (the forge's rule); else Free */
	bool pool_only;                /* only its LpcM pool header finds it */
};

/* A thread doing LPC, as its _ETHREAD says. */
struct forge_scenario_lpc_thread {
	uint64_t ethread, pid, tid;
	uint32_t reply_message_id;     /* LpcReplyMessageId; 0: not waiting */
	uint64_t waiting_on_port;      /* LpcWaitingOnPort with bit 0 masked; 0: none */
	uint64_t reply_message;        /* LpcReplyMessage (bit 0 clear); 0: none */
	uint32_t received_message_id;  /* LpcReceivedMessageId; meaningful when valid */
	bool received_valid;           /* LpcReceivedMsgIdValid */
	uint64_t rundown_port;         /* the port whose LpcReplyChainHead holds
					* its LpcReplyChain; 0: none */
};

/* The debugger's thread-line values the forge lays out (§3.2, corpus). */
struct forge_scenario_lpc_thread_line {
	uint64_t ethread, pid, tid;
	uint64_t teb, win32_thread;    /* not written into the dump: printed values */
	uint32_t message_id;           /* "Waiting for reply to LPC MessageId %08x" */
	uint64_t port;                 /* "Current LPC port %08x" */
	const char *source;            /* the transcript or §3.2 */
};

/* The LPC scenarios (names as forge_scenarios[] lists them; each runs on
 * every forge_lpc_scenario_layouts[] column):
 *   lpc-csrss-apiport   csrss.exe's \Windows\ApiPort (flags 1) with a
 *                       non-empty queue (requests, a datagram, a
 *                       connection request) beside \Windows\SbApiPort with
 *                       an empty one, clients' pairs connected to it.
 *   lpc-pairs           client/server communication pairs (flags 4 and 3,
 *                       one client 0x80000004) on two connection ports, one
 *                       of them a "WaitablePort" (flags 0x20000001), an
 *                       unconnected port (flags 2).
 *   lpc-received-reply-wait  a client thread waits (WrLpcReply) for a
 *                       reply whose message a server thread has received
 *                       (LpcReceivedMessageId valid): no message on any
 *                       queue, the client thread on the server
 *                       communication port's LpcReplyChainHead.
 *   lpc-deadlock        two processes, each one's server thread working on
 *                       the other's request while waiting for the reply to
 *                       its own: a definite thread-level 2-cycle.
 *   lpc-pool-only       a message on no queue that no thread names, found
 *                       only by its "LpcM" pool header, beside a queued one.
 *   replay-xp-lpc       §3.1's `!lpc port`, `!lpc port e14ae238`,
 *                       `!lpc message 222be` objects and the XP-era thread
 *                       lines of §3.2 and the corpus, same addresses (layout
 *                       "XP x86"). */
struct forge_scenario_facts *forge_scenario_lpc_csrss_apiport(struct forge_windows *windows);
struct forge_scenario_facts *forge_scenario_lpc_pairs(struct forge_windows *windows);
struct forge_scenario_facts *forge_scenario_lpc_received_reply_wait(struct forge_windows *windows);
struct forge_scenario_facts *forge_scenario_lpc_deadlock(struct forge_windows *windows);
struct forge_scenario_facts *forge_scenario_lpc_pool_only(struct forge_windows *windows);
struct forge_scenario_facts *forge_scenario_replay_xp_lpc(struct forge_windows *windows);

/* The LPC layouts and the x86 ones' paging: "XP x86" twice (non-PAE and
 * PAE), "2003 x86" (PAE), "2003 x64". */
struct forge_lpc_scenario_layout {
	const char *column;
	bool pae;                      /* x86 only */
	const char *label;             /* "XP x86", "XP x86 PAE", ... (--layout value) */
};
extern const struct forge_lpc_scenario_layout forge_lpc_scenario_layouts[];
extern const size_t forge_lpc_scenario_layout_count;
/* The facts' lookups for LPC (NULL when absent). */
const struct forge_scenario_lpc_port *forge_scenario_lpc_port_at(const struct forge_scenario_facts *facts,
								 uint64_t address);
const struct forge_scenario_lpc_message *forge_scenario_lpc_message_with_id(const struct forge_scenario_facts *facts,
									    uint32_t id);
const struct forge_scenario_lpc_thread *forge_scenario_lpc_thread_at(const struct forge_scenario_facts *facts,
								     uint64_t ethread);

/* Every scenario, and one by name. */
extern const struct forge_scenario forge_scenarios[];
extern const size_t forge_scenario_count;
const struct forge_scenario *forge_scenario_named(const char *name);

/* The layouts issue 4 requires scenarios for (struct-offsets.md columns). */
extern const char *const forge_scenario_layouts[];
extern const size_t forge_scenario_layout_count;

/* A whole x64 system for a scenario: forge_kernel's image (PDB GUID and
 * age of the layout, KDBG, KUSER_SHARED_DATA with the build number) at
 * FORGE_SCENARIO_KERNEL_BASE, the globals at their RVAs where the layout
 * has them, the header's PsActiveProcessHead, pool headers, creator info
 * and header cookie FORGE_SCENARIO_COOKIE, then the scenario itself. */
#define FORGE_SCENARIO_KERNEL_BASE 0xfffff80370000000ULL
#define FORGE_SCENARIO_COOKIE 0xa7
struct forge_scenario_system {
	struct forge *forge;
	struct forge_windows *windows;
	struct forge_scenario_facts *facts;
	struct forge_kernel_layout kernel;
};
/* layout NULL: the scenario's own (a replay) or an error.  The error says
 * what did not fit (a non-x64 or pre-Vista layout, a replay on another
 * layout); misuses inside the forge are reported by forge_write_dump. */
struct error *forge_scenario_system_new(const struct forge_scenario *scenario, const struct forge_layout *layout,
					enum forge_alpc_handle_table handle_table,
					struct forge_scenario_system *system);
/* An LPC scenario's system: the layout by its label ("XP x86 PAE", see
 * forge_lpc_scenario_layouts; NULL: the scenario's own), x86 with PAE or
 * not, or x64; kernel image, KDBG and globals as above at
 * FORGE_LPC_SCENARIO_KERNEL_BASE (x86) or FORGE_SCENARIO_KERNEL_BASE. */
#define FORGE_LPC_SCENARIO_KERNEL_BASE 0x804d7000ULL
struct error *forge_lpc_scenario_system_new(const struct forge_scenario *scenario, const char *label,
					    struct forge_scenario_system *system);
void forge_scenario_system_free(struct forge_scenario_system *system);

#endif
