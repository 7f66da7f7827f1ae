/* kernel — which Windows a memory image holds, and where its kernel is.
 *
 * From the crash dump header when there is one (DTB, PsActiveProcessHead,
 * PsLoadedModuleList, KdDebuggerDataBlock, build), else by the documented
 * heuristics (../shared/docs/dump-formats.md §7–8): a QEMU note's CR3
 * checked against KUSER_SHARED_DATA, the x64 low stub, a self-referencing
 * top-level page table.  Then the kernel image (KDBG's KernBase, the first
 * loaded module, or a scan down from the IDT for "MZ"), its CodeView RSDS
 * record (ntkrnlmp.pdb GUID and age: the key to a symbol table), and
 * KUSER_SHARED_DATA's version.  KDBG comes from the crash dump header's
 * KdDebuggerDataBlock, else from a scan of the kernel's .data section;
 * a block Windows 8+ x64 keeps encoded is decoded without symbols, from
 * known plaintext (kdbg.c).  Each finding says where it came from; what
 * could not be found says why. */
#ifndef ALPCGRAPH_KERNEL_H
#define ALPCGRAPH_KERNEL_H

#include "../memory/memory.h"
#include "profile.h"

enum { OS_NOTES_KEPT = 8, OS_NOTE_SIZE = 256 };

/* KDBG_ENCODED: encoded, and no single key decodes it (its words are not
 * used); KDBG_DECODED: encoded, and decoded. */
enum kdbg_state { KDBG_NOT_FOUND = 0, KDBG_PLAIN, KDBG_DECODED, KDBG_ENCODED };

/* What undoes a block's encoding: each stored word E decodes to
 * bswap64(rol64(E, rotation)) ^ constant (the derivation is in kdbg.c). */
struct kdbg_key {
	unsigned rotation; /* 0-63 */
	uint64_t constant;
};
uint64_t kdbg_key_decode(struct kdbg_key key, uint64_t stored);

/* The words of a KDBG block that identify_os uses, decoded, with pointers
 * cut to 32 bits under x86 paging (_KDDEBUGGER_DATA64 sign-extends them). */
struct kdbg_block {
	uint64_t address;
	enum kdbg_state state;
	struct kdbg_key key; /* KDBG_DECODED */
	uint32_t size;       /* Header.Size */
	uint64_t kern_base, ps_loaded_module_list, ps_active_process_head;
};

struct os_identity {
	bool paging_known;
	enum paging_mode paging;
	maybe_u64 dtb;
	const char *dtb_source;
	maybe_u64 kernel_base;
	const char *kernel_base_source;
	char pdb_name[64];  /* "ntkrnlmp.pdb"; "" when unknown */
	char pdb_guid[33];  /* 32 upper-case hex digits as symbol stores write them */
	maybe_u64 pdb_age;
	maybe_u64 build;
	const char *build_source;      /* may point at inferred_build_source: do not copy the struct */
	char inferred_build_source[112];
	maybe_u64 nt_major, nt_minor;  /* KUSER_SHARED_DATA */
	maybe_u64 ps_active_process_head, ps_loaded_module_list;
	const char *list_heads_source;
	maybe_u64 kdbg;
	enum kdbg_state kdbg_state;
	const char *kdbg_source;
	struct kdbg_key kdbg_key; /* KDBG_DECODED: decodes the rest of the block */
	char notes[OS_NOTES_KEPT][OS_NOTE_SIZE];
	unsigned note_count;
};

/* Fills os from the image behind memory.  Never fails: what is not found
 * stays unknown, with a note saying why. */
void identify_os(struct physical_memory *memory, struct os_identity *os);

/* The KDBG block as Windows 8+ x64 keeps it scrambled
 * (dump-formats.md §6): decodes length bytes (a multiple of 8) in place
 * with the values of nt!KiWaitNever and nt!KiWaitAlways and the address of
 * nt!KdpDataBlockEncoded. */
void kdbg_decode(unsigned char *block, size_t length, uint64_t wait_never, uint64_t wait_always,
		 uint64_t encoded_flag_address);

/* Reads the KDBG block at address: plain when its OwnerTag reads "KDBG",
 * else (x64 only) encoded and decoded by known plaintext — KernBase when
 * kernel_base is known, else the tag and the Size of a known build plus
 * an "MZ" at the KernBase it decodes to.  On ERROR_FORMAT under x64
 * paging block->state is KDBG_ENCODED: no key, or several that disagree
 * (the message says which); the block's words are then not to be used. */
struct error *kdbg_read(struct address_space *space, enum paging_mode paging, uint64_t address,
			maybe_u64 kernel_base, struct kdbg_block *block);

/* MemProcFS's search (dump-formats.md §6): the KDBG block in the .data
 * section of the kernel image at kernel_base whose KernBase is
 * kernel_base, plain or encoded.  Bounded (16 MiB of the section); pages
 * the image lacks are skipped.  ERROR_ABSENT when there is none. */
struct error *kdbg_scan_image(struct address_space *space, enum paging_mode paging,
			      uint64_t kernel_base, struct kdbg_block *block);

/* The CodeView record of a PE image mapped at base in space: the PDB name,
 * GUID and age. */
struct error *pe_debug_record(struct address_space *space, uint64_t base, char *pdb_name,
			      size_t name_size, char guid[33], uint64_t *age);

/* The section called name (at most 8 characters) of the PE image at base:
 * its RVA and size in memory, cut to SizeOfImage. */
struct error *pe_section(struct address_space *space, uint64_t base, const char *name,
			 uint32_t *rva, uint32_t *size);

/* ---- choosing a structure profile (profile_choice.c) ---------------
 *
 * By the ntkrnlmp.pdb GUID and age found in memory when a built-in
 * profile has them; else among the built-in profiles of the same build,
 * the one a probe scores best (layouts change inside one build number:
 * struct-offsets.md "Layout changes inside one build number"); or the
 * ISF file the user named with --profile.  Never silently: the choice
 * carries the reason, which `info` and every report show. */

/* How well a candidate profile reads this image: the number of objects
 * that came out consistent (a process's threads whose Cid names the
 * process, ...), or -1 when it cannot read it at all.  kernel_probe()
 * (walk room below) is the real one; tests pass their own. */
typedef int (*profile_probe)(const struct kernel_profile *candidate, void *context);

enum profile_match {
	PROFILE_NOT_FOUND = 0,
	PROFILE_BY_PDB,        /* GUID and age equal a built-in profile's */
	PROFILE_BY_BUILD,      /* the only built-in profile of the build */
	PROFILE_BY_PROBE,      /* the best-scoring built-in profile of the build */
	PROFILE_FROM_FILE,     /* --profile FILE */
};

struct profile_choice {
	const struct kernel_profile *profile; /* NULL: none fits; the error says why */
	enum profile_match match;
	char reason[256]; /* one sentence: "ntkrnlmp.pdb 606FF…-1 is the built-in profile 19041.3570" */
};

/* Chooses the profile for the image os describes.  profile_path (NULL:
 * none) is an ISF file given with --profile, which wins over the built-in
 * table.  ERROR_UNSUPPORTED when no profile fits: the message names the
 * build and the PDB GUID/age and says how to supply one (--profile with a
 * Volatility 3 ISF file for that GUID).  A profile loaded from a file is
 * owned by the choice: profile_choice_release() frees it. */
struct error *profile_choose(const struct os_identity *os, const char *profile_path,
			     profile_probe probe, void *probe_context, struct profile_choice *choice);
void profile_choice_release(struct profile_choice *choice);

/* A Volatility 3 ISF file (.json, or .json.xz) as a profile
 * (profile_isf.c): every entry of profile_fields.def the file has; the
 * rest PROFILE_ABSENT.  The PDB GUID/age and build come from the file's
 * metadata when it has them.  Free with profile_free(). */
struct error *profile_load_isf(const char *path, struct kernel_profile **profile);
void profile_free(struct kernel_profile *profile);
/* The built-in profile with this GUID and age, or NULL. */
const struct kernel_profile *profile_by_pdb(const char *guid, uint64_t age);

/* ---- an opened kernel: reads through a profile (kernel_open.c, walks) --
 *
 * Warnings about single objects (a list that loops, a pointer into an
 * absent page) go to the caller's sink with the object's virtual address;
 * the ipc room forwards them into the snapshot. */
struct kernel_warnings {
	void (*warn)(void *context, uint64_t address, const char *text);
	void *context;
};

struct kernel;
struct error *kernel_open(struct physical_memory *memory, const struct os_identity *os,
			  const struct kernel_profile *profile, struct kernel_warnings warnings,
			  struct kernel **kernel);
void kernel_close(struct kernel *kernel);
const struct kernel_profile *kernel_profile_in_use(const struct kernel *kernel);
/* The process list head the walks start from, and where it came from: the
 * os identity's source ("the crash dump header", "KDBG"), the profile's
 * RVA, or, for an image with neither header nor KDBG, the System process
 * found by its pool tag ("the System process found by its pool tag Proc
 * at physical address 0x…, …"). */
uint64_t kernel_process_list_head(const struct kernel *kernel);
const char *kernel_process_list_source(const struct kernel *kernel);
struct address_space *kernel_address_space(struct kernel *kernel);

/* A candidate's score over memory (see profile_probe): walks a bounded
 * number of processes and threads with it.  context is a struct
 * kernel_probe_context. */
struct kernel_probe_context {
	struct physical_memory *memory;
	const struct os_identity *os;
};
int kernel_probe(const struct kernel_profile *candidate, void *context);

struct kernel_process {
	uint64_t address; /* EPROCESS */
	uint64_t pid, parent_pid;
	char image[16];   /* ImageFileName, NUL-terminated, bytes as stored */
	uint64_t directory_table_base;
	uint64_t object_table; /* _HANDLE_TABLE; 0 once the process has exited */
	uint64_t create_time, exit_time; /* FILETIME, 0 when not set */
	uint32_t active_threads;
};

enum { KERNEL_WAIT_OBJECTS_KEPT = 4 };

/* A dispatcher object a thread waits on, from its wait blocks. */
struct kernel_wait_object {
	uint64_t address;
	uint8_t type;          /* _DISPATCHER_HEADER.Type; 0xff when it was not read */
	const char *type_name; /* "Mutant", "Event", … when the object header says; else NULL */
	uint64_t owner_thread; /* a mutant's OwnerThread, 0 when free or not a mutant */
};

struct kernel_thread {
	uint64_t address; /* ETHREAD */
	uint64_t process; /* the EPROCESS whose list holds it */
	uint64_t pid, tid; /* Cid */
	uint8_t state, wait_reason, wait_mode; /* raw _KTHREAD values */
	uint32_t wait_time;
	struct kernel_wait_object wait_objects[KERNEL_WAIT_OBJECTS_KEPT];
	unsigned wait_object_count;
	uint64_t start_address, win32_start_address;
	/* Vista+: ETHREAD.AlpcMessageId and AlpcMessage (the message the
	 * thread waits on for a reply, or its receive attribute set) */
	uint64_t alpc_message_id, alpc_message;
	/* XP/2003 */
	uint64_t lpc_reply_message_id, lpc_received_message_id;
	bool lpc_received_message_id_valid;
	uint64_t lpc_waiting_on; /* LpcReplyMessage/LpcWaitingOnPort as stored (bit 0: a port) */
};

/* Visitors return false to stop the walk early. */
typedef bool (*kernel_process_visitor)(void *context, const struct kernel_process *process);
typedef bool (*kernel_thread_visitor)(void *context, const struct kernel_thread *thread);

/* Processes from PsActiveProcessHead, in list order; bounded and
 * loop-safe.  A process that cannot be read is a warning and the walk
 * goes on when the list still can. */
struct error *kernel_walk_processes(struct kernel *kernel, kernel_process_visitor visit, void *context);
struct error *kernel_walk_threads(struct kernel *kernel, const struct kernel_process *process,
				  kernel_thread_visitor visit, void *context);

enum { KERNEL_NAME_SIZE = 512, KERNEL_TYPE_NAME_SIZE = 64 };

/* An object, from its _OBJECT_HEADER. */
struct kernel_object {
	uint64_t body, header;
	char type_name[KERNEL_TYPE_NAME_SIZE]; /* "ALPC Port", "" when unknown */
	uint64_t pointer_count, handle_count;
	/* The full path through NameInfo.Directory: "\RPC Control\lsasspirpc";
	 * "" when unnamed.  UTF-8. */
	char name[KERNEL_NAME_SIZE];
	uint64_t creator_pid; /* CreatorUniqueProcess when the creator info is there, else 0 */
};
struct error *kernel_object_at(struct kernel *kernel, uint64_t body, struct kernel_object *object);

struct kernel_handle {
	uint32_t value;  /* handle value: entry index × 4 */
	uint64_t object; /* the body */
	uint32_t granted_access;
};
typedef bool (*kernel_handle_visitor)(void *context, const struct kernel_handle *handle);
/* Every in-use entry of the process's handle table, all levels. */
struct error *kernel_walk_handles(struct kernel *kernel, const struct kernel_process *process,
				  kernel_handle_visitor visit, void *context);

/* ---- ALPC (Vista+): ports, messages, waits (alpc_*.c) ----------------
 *
 * Read through a struct kernel_reader (an address space, a profile and a
 * warning sink), so a single object can be decoded without a whole
 * kernel (tests, fuzzing); kernel_alpc_census() finds every port it can.
 * What is not public (struct-offsets.md "Facts that are not publicly
 * documented"): the numbers of _KALPC_MESSAGE.u1.s1.QueueType and of
 * _ALPC_PORT.u1.s1.Type.  So a message's queue is the port list that
 * links it, and a port's kind comes from its _ALPC_COMMUNICATION_INFO. */
struct kernel_reader {
	struct address_space *space;
	const struct kernel_profile *profile;
	struct kernel_warnings warnings;
};

enum kernel_alpc_queue {
	KERNEL_ALPC_MAIN,
	KERNEL_ALPC_LARGE_MESSAGE,
	KERNEL_ALPC_PENDING,
	KERNEL_ALPC_CANCELED,
	KERNEL_ALPC_DIRECT,
	KERNEL_ALPC_WAIT, /* threads (ETHREAD.AlpcWaitListEntry), not messages */
	KERNEL_ALPC_QUEUE_COUNT,
	KERNEL_ALPC_NO_QUEUE = KERNEL_ALPC_QUEUE_COUNT, /* a message no list of its port links */
};
const char *kernel_alpc_queue_name(enum kernel_alpc_queue queue); /* "MainQueue", ... */

enum kernel_alpc_port_kind {
	KERNEL_ALPC_PORT_UNKNOWN = 0,
	KERNEL_ALPC_CONNECTION_PORT,
	KERNEL_ALPC_SERVER_COMMUNICATION_PORT,
	KERNEL_ALPC_CLIENT_COMMUNICATION_PORT,
};

/* Entries kept per queue; a longer list is cut there, with a warning. */
enum { KERNEL_ALPC_QUEUE_CAP = 65536 };

struct kernel_alpc_port_queue {
	bool present;          /* the build has this queue */
	bool length_known;     /* the build stores its length */
	uint32_t stored_length; /* _ALPC_PORT.<queue>Length */
	bool complete;         /* the walk came back to the head */
	struct u64_vec entries; /* _KALPC_MESSAGE (or ETHREAD) addresses, in list order */
};

struct kernel_alpc_port {
	uint64_t address;      /* _ALPC_PORT (the object body) */
	char *name;            /* the object's name ("SmApiPort"), or NULL; owned */
	uint64_t owner_process; /* EPROCESS */
	uint64_t communication_info;
	bool communication_info_read;
	uint64_t connection_port, server_communication_port, client_communication_port;
	enum kernel_alpc_port_kind kind;
	uint64_t completion_port, completion_list, port_context;
	uint64_t target_queue_port, target_sequence_port;
	bool sequence_no_known;
	int32_t sequence_no;
	uint32_t state;        /* u1.State as stored; the flags below decode it */
	bool state_known;
	bool initialized, connection_pending, connection_refused, disconnected, closed,
		no_flush_on_close, return_extended_info, waitable, dynamic_security,
		wow64_completion_list, lpc, lpc_to_lpc, has_completion_list;
	bool attributes_known;
	uint32_t attribute_flags;     /* PortAttributes.Flags */
	uint64_t max_message_length;  /* PortAttributes.MaxMessageLength */
	struct kernel_alpc_port_queue queues[KERNEL_ALPC_QUEUE_COUNT];
	/* The threads registered with CompletionPort, a _KQUEUE: its
	 * ThreadListHead, linked through _KTHREAD.QueueListEntry (ETHREAD
	 * addresses, in list order).  registered_walked: a CompletionPort was
	 * set and the profile has both fields; registered_complete: the walk
	 * came back to the head. */
	bool registered_walked, registered_complete;
	struct u64_vec registered_threads;
	unsigned found_by;     /* KERNEL_ALPC_FOUND_* bits */
};

enum {
	KERNEL_ALPC_FOUND_PORT_LIST = 1,  /* nt!AlpcpPortList */
	KERNEL_ALPC_FOUND_HANDLE = 2,     /* a process's handle table */
	KERNEL_ALPC_FOUND_REFERENCE = 4,  /* another port, a message or a thread names it */
	KERNEL_ALPC_FOUND_POOL = 8,       /* --pool-search */
};

struct kernel_alpc_message {
	uint64_t address; /* _KALPC_MESSAGE */
	/* _PORT_MESSAGE */
	uint32_t message_id, callback_id;
	uint16_t type, data_length, total_length;
	uint64_t client_pid, client_tid;
	/* _KALPC_MESSAGE */
	int32_t sequence_no;
	uint32_t state;            /* u1.State as stored */
	uint32_t queue_type_value; /* u1.s1.QueueType, raw: its numbers are not public */
	bool canceled, release, reply_wait_reply, in_canceled_queue;
	uint64_t owner_port, port_queue, waiting_thread, server_thread, quota_process;
	uint64_t cancel_queue_port, cancel_sequence_port;
	int32_t cancel_sequence_no;
	uint64_t communication_info, connection_port;
	/* MessageAttributes */
	uint64_t client_context, server_context, port_context, cancel_port_context,
		security_data, view;
	/* Which list holds it (kernel_alpc_census): queue_port's queue. */
	enum kernel_alpc_queue queue;
	uint64_t queue_port;
};

/* Decodes the _ALPC_PORT at address with its communication info, state,
 * attributes and queues (each walked, bounded and loop-safe; a length that
 * disagrees with the count, a loop or a broken link is a warning naming
 * the port).  An error when the port itself cannot be read or is not
 * plausibly a port; release with kernel_alpc_port_release(). */
struct error *kernel_alpc_port_read(const struct kernel_reader *reader, uint64_t address,
				    struct kernel_alpc_port *port);
void kernel_alpc_port_release(struct kernel_alpc_port *port);
/* Decodes the _KALPC_MESSAGE at address (queue stays KERNEL_ALPC_NO_QUEUE). */
struct error *kernel_alpc_message_read(const struct kernel_reader *reader, uint64_t address,
				       struct kernel_alpc_message *message);

/* A thread waiting for the reply to a message: its ETHREAD.AlpcMessage
 * names the message and the message's WaitingThread names the thread. */
struct kernel_alpc_wait {
	uint64_t thread, message;
	uint32_t message_id; /* ETHREAD.AlpcMessageId */
};

struct kernel_alpc_census {
	struct ptr_vec ports;    /* struct kernel_alpc_port *, in the order found */
	struct ptr_vec messages; /* struct kernel_alpc_message * */
	struct kernel_alpc_wait *waits;
	size_t wait_count;
	struct u64_map port_by_address, message_by_address;
	size_t found[4];         /* ports first found by list, handle, reference, pool */
};

struct kernel_alpc_sources {
	/* nt!AlpcpPortList at kernel_base + the profile's RVA: set only when
	 * the profile matches the image's PDB (RVAs are per PDB). */
	maybe_u64 kernel_base;
	/* --pool-search: scan the present physical pages of memory for the
	 * port pool tag (NULL: no scan). */
	struct physical_memory *memory;
};

/* Every port found from the sources, their queued messages, the messages
 * threads wait on and the ports those name, and who waits for what.
 * processes and threads are the walks' results (handle tables, owner
 * checks, ETHREAD.AlpcMessage); kernel may be NULL (no handle tables, no
 * object headers: tests and fuzzing).  Damage is warned about, never fatal;
 * release with kernel_alpc_census_release(). */
struct error *kernel_alpc_census(struct kernel *kernel, const struct kernel_reader *reader,
				 const struct kernel_alpc_sources *sources,
				 const struct kernel_process *processes, size_t process_count,
				 const struct kernel_thread *threads, size_t thread_count,
				 struct kernel_alpc_census *census);
void kernel_alpc_census_release(struct kernel_alpc_census *census);

/* The pool tag of ALPC port objects, "ALPC" (Microsoft's pooltag.txt:
 * "ALPC - nt!alpc - ALPC port objects"); before Windows 8 object tags
 * carry the protected-pool bit 0x80 on their last byte. */
#define KERNEL_ALPC_PORT_POOL_TAG 0x43504c41u
typedef bool (*kernel_alpc_port_visitor)(void *context, uint64_t port);
/* Scans every present physical page for the tag and yields the virtual
 * address of each validated _ALPC_PORT behind a hit (its communication
 * info names it back; its owner is in known_processes when that is not
 * empty). */
struct error *kernel_alpc_pool_scan(struct physical_memory *memory, const struct kernel_reader *reader,
				    const struct u64_map *known_processes,
				    kernel_alpc_port_visitor visit, void *context);

/* ---- LPC (XP, 2003): ports, messages, waits (lpc_*.c) ----------------
 *
 * _LPCP_PORT_OBJECT ("Port" and "WaitablePort" objects), the
 * _LPCP_MESSAGEs on a port's MsgQueue.ReceiveHead and
 * LpcDataInfoChainHead, the threads on its LpcReplyChainHead, and the
 * ETHREAD Lpc* fields (struct-offsets.md _LPCP_PORT_OBJECT, _LPCP_MESSAGE,
 * _LPCP_PORT_QUEUE, _PORT_MESSAGE and "Legacy LPC thread fields").  Read
 * through a struct kernel_reader like ALPC; every list walk bounded and
 * loop-safe, damage a warning naming the object. */

/* Flags & LPCP_PORT_TYPE_MASK (ReactOS ntoskrnl/include/internal/lpc.h:
 * LPCP_CONNECTION_PORT 1, LPCP_UNCONNECTED_PORT 2,
 * LPCP_COMMUNICATION_PORT 3, LPCP_CLIENT_PORT 4). */
enum kernel_lpc_port_kind {
	KERNEL_LPC_PORT_UNKNOWN = 0,
	KERNEL_LPC_SERVER_CONNECTION_PORT = 1,
	KERNEL_LPC_UNCONNECTED_COMMUNICATION_PORT = 2,
	KERNEL_LPC_SERVER_COMMUNICATION_PORT = 3,
	KERNEL_LPC_CLIENT_COMMUNICATION_PORT = 4,
};

/* Entries kept per list; a longer one is cut there, with a warning.  The
 * first data words of a message kept, as `!lpc` prints them. */
enum { KERNEL_LPC_LIST_CAP = 65536, KERNEL_LPC_DATA_WORDS = 6 };

struct kernel_lpc_list {
	bool complete;          /* the walk came back to the head */
	struct u64_vec entries; /* structure addresses, in list order */
};

struct kernel_lpc_port {
	uint64_t address;   /* _LPCP_PORT_OBJECT (the object body) */
	char *name;         /* the object's full name ("\Windows\ApiPort"), or NULL; owned */
	char type_name[KERNEL_TYPE_NAME_SIZE]; /* "Port", "WaitablePort"; "" unknown */
	uint32_t flags;     /* as stored: `!lpc port`'s first column */
	enum kernel_lpc_port_kind kind;
	uint64_t connection_port, connected_port;
	uint64_t creator_pid, creator_tid; /* Creator */
	uint64_t server_process; /* ServerProcess (MappingProcess shares it) */
	uint64_t port_context, client_thread;
	uint16_t max_message_length, max_connection_info_length;
	bool counts_known;  /* the object header was read */
	uint64_t handles, references;
	uint64_t queue_semaphore; /* MsgQueue.Semaphore: a _KSEMAPHORE */
	bool semaphore_read;
	int32_t semaphore_state, semaphore_limit; /* Header.SignalState, Limit */
	struct kernel_lpc_list messages;    /* MsgQueue.ReceiveHead: _LPCP_MESSAGE */
	struct kernel_lpc_list reply_chain; /* LpcReplyChainHead: ETHREAD (LpcReplyChain) */
	struct kernel_lpc_list data_info;   /* LpcDataInfoChainHead: _LPCP_MESSAGE */
	unsigned found_by;  /* KERNEL_LPC_FOUND_* bits */
};

enum {
	KERNEL_LPC_FOUND_HANDLE = 1,    /* a process's handle table */
	KERNEL_LPC_FOUND_TYPE_LIST = 2, /* the object type's object list (GFlags +otl) */
	KERNEL_LPC_FOUND_REFERENCE = 4, /* a port, message or thread names it */
	KERNEL_LPC_FOUND_POOL = 8,      /* --pool-search */
};

enum kernel_lpc_queue {
	KERNEL_LPC_NO_QUEUE = 0,
	KERNEL_LPC_RECEIVE_QUEUE,   /* MsgQueue.ReceiveHead */
	KERNEL_LPC_DATA_INFO_QUEUE, /* LpcDataInfoChainHead */
};

struct kernel_lpc_message {
	uint64_t address; /* _LPCP_MESSAGE */
	/* Request (_PORT_MESSAGE) */
	uint32_t message_id, callback_id;
	uint16_t type, data_info_offset;
	uint16_t data_length, total_length;
	uint64_t client_pid, client_tid;
	/* the first data words after the PORT_MESSAGE header */
	uint32_t data[KERNEL_LPC_DATA_WORDS];
	unsigned data_words;
	uint64_t sender_port, replied_to_thread, port_context;
	uint64_t entry_flink, entry_blink; /* Entry, `!lpc`'s "[flink . blink]" */
	/* Which list holds it (the census). */
	enum kernel_lpc_queue queue;
	uint64_t queue_port;
	/* The thread waiting for its reply (LpcReplyMessageId = Id, else
	 * RepliedToThread), the thread working on it (a valid
	 * LpcReceivedMessageId = Id); 0 none. */
	uint64_t waiting_thread, server_thread;
	/* `!lpc`'s Busy: a queue links it or a thread's id names it; else
	 * Free. */
	bool busy;
	unsigned found_by;
};

/* PORT_MESSAGE u2.s2.Type's low byte (ReactOS sdk/include/ndk/lpctypes.h
 * and Wine's include/winternl.h LPC_TYPE: LPC_NEW_MESSAGE 0, LPC_REQUEST
 * 1, ... LPC_CONNECTION_REQUEST 10); NULL past them. */
const char *kernel_lpc_message_type_name(uint16_t type);

/* A thread doing LPC, from its ETHREAD Lpc* fields. */
struct kernel_lpc_thread {
	uint64_t thread;
	uint64_t pid, tid;
	uint32_t reply_message_id;    /* LpcReplyMessageId; 0 none */
	bool waiting_reply;           /* Waiting in WrLpcReply with a reply id */
	uint64_t waiting_on_port;     /* LpcWaitingOnPort with bit 0 set, low 2 bits masked */
	uint64_t reply_message;       /* LpcReplyMessage with bit 0 clear, masked */
	uint64_t message;             /* the _LPCP_MESSAGE whose Id is reply_message_id, 0 none */
	uint64_t reply_chain_port;    /* the port whose LpcReplyChainHead links the thread */
	bool serving;                 /* LpcReceivedMsgIdValid */
	uint32_t received_message_id; /* LpcReceivedMessageId while serving */
};

/* Decodes the _LPCP_PORT_OBJECT at address: fields, the queue semaphore
 * and its state, its three lists walked.  An error when it cannot be read
 * or is not plausibly a port; release with kernel_lpc_port_release(). */
struct error *kernel_lpc_port_read(const struct kernel_reader *reader, uint64_t address,
				   struct kernel_lpc_port *port);
void kernel_lpc_port_release(struct kernel_lpc_port *port);
/* Decodes the _LPCP_MESSAGE at address (queue KERNEL_LPC_NO_QUEUE). */
struct error *kernel_lpc_message_read(const struct kernel_reader *reader, uint64_t address,
				      struct kernel_lpc_message *message);

struct kernel_lpc_census {
	struct ptr_vec ports;    /* struct kernel_lpc_port *, in the order found */
	struct ptr_vec messages; /* struct kernel_lpc_message * */
	struct kernel_lpc_thread *threads; /* every thread doing LPC */
	size_t thread_count;
	struct u64_map port_by_address, message_by_address;
	size_t found[4];         /* ports first found by handle, type list, reference, pool */
	size_t ports_examined;   /* port candidates decoded, good or not: `!lpc`'s "Scanning N objects" */
	size_t pool_messages;    /* messages first found by the pool search */
};

struct kernel_lpc_sources {
	/* --pool-search: scan the present physical pages for the message tag
	 * and the Port types' object tags (NULL: no scan). */
	struct physical_memory *memory;
};

/* Every port found from handle tables, the Port and WaitablePort types'
 * object lists, references and (with sources->memory) the pool; their
 * messages; the threads doing LPC.  kernel may be NULL (no handle tables,
 * no object headers, no type lists: tests and fuzzing).  Damage is warned
 * about, never fatal; release with kernel_lpc_census_release(). */
struct error *kernel_lpc_census(struct kernel *kernel, const struct kernel_reader *reader,
				const struct kernel_lpc_sources *sources,
				const struct kernel_process *processes, size_t process_count,
				const struct kernel_thread *threads, size_t thread_count,
				struct kernel_lpc_census *census);
void kernel_lpc_census_release(struct kernel_lpc_census *census);

/* The pool tag of LPC messages, "LpcM" (Microsoft's NTDebugging LPC
 * series, struct-offsets.md "Pool tags"; pooltag.txt "LpcM - Local
 * procedure call message blocks"). */
#define KERNEL_LPC_MESSAGE_POOL_TAG 0x4d63704cu
/* The pool tags of "Port" and "WaitablePort" objects, for when the
 * image's type objects cannot give their Key (docs/lpc.md "LPC pool
 * tags"): an object is allocated with its type's Key, the type name's
 * first four characters (ReactOS ob/oblife.c ObCreateObjectType and
 * ObpAllocateObject); pooltag.txt (Windows Server 2003 Resource Kit
 * Tools) lists "Port - Port objects".  "Wait" is that rule applied to
 * "WaitablePort"; pooltag.txt's own "Wait" line names another user of
 * the tag (NtWaitForMultipleObjects), so a hit is only a hint, as every
 * hit is.  Before Windows 8 object tags carry the protected-pool bit. */
#define KERNEL_LPC_PORT_POOL_TAG 0x74726f50u          /* "Port" */
#define KERNEL_LPC_WAITABLE_PORT_POOL_TAG 0x74696157u /* "Wait" */
typedef bool (*kernel_lpc_pool_visitor)(void *context, uint64_t address);
/* Scans every present physical page: each validated _LPCP_MESSAGE behind
 * an "LpcM" tag goes to message; each validated _LPCP_PORT_OBJECT behind
 * one of the port_tag_count port_tags (the tags of the Port and
 * WaitablePort types' objects: their _OBJECT_TYPE.Key as the image holds
 * it, or the tags above where it cannot be read) goes to port, the
 * protected-pool bit ignored.  Virtual addresses. */
struct error *kernel_lpc_pool_scan(struct physical_memory *memory, const struct kernel_reader *reader,
				   const uint32_t *port_tags, size_t port_tag_count,
				   kernel_lpc_pool_visitor port, kernel_lpc_pool_visitor message,
				   void *context);

#endif
