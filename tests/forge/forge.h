/* The dump forge: writes synthetic memory dumps in every format alpcgraph
 * reads, from a scenario, for tests and benchmarks.  Dumps are made at test
 * time and never committed.
 *
 * A scenario is physical memory (which pages exist, and what they hold)
 * plus page tables that map chosen virtual addresses; the forge lays it out
 * as a Windows crash dump (x64 full, bitmap SDMP/FDMP, RDMP; x86 PAE and
 * non-PAE full), a QEMU-style ELF core with CPU notes, or a raw image.  It
 * also writes damaged variants for robustness tests and multi-GiB sparse
 * files for the benchmarks.  Layouts: ../shared/docs/dump-formats.md. */
#ifndef ALPCGRAPH_FORGE_H
#define ALPCGRAPH_FORGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../src/base/base.h"
#include "forge_layouts.h"

enum forge_arch { FORGE_X64, FORGE_X86_PAE, FORGE_X86 };

enum forge_format {
	FORGE_WINDOWS_FULL,      /* DumpType 1: runs */
	FORGE_WINDOWS_BITMAP_KERNEL, /* DumpType 6, "SDMP" */
	FORGE_WINDOWS_BITMAP_FULL,   /* DumpType 5, "FDMP" */
	FORGE_WINDOWS_RDMP_KERNEL,   /* DumpType 8 */
	FORGE_WINDOWS_RDMP_COMPLETE, /* DumpType 0xA; RDMP cannot hold PFN 0, which is left out */
	FORGE_WINDOWS_TRIAGE,        /* DumpType 4: header only, to be refused */
	FORGE_ELF_QEMU,              /* ELF64 ET_CORE, PT_LOADs, NT_PRSTATUS + "QEMU" notes
				      * (EM_X86_64; EM_386 for the x86 arches) */
	FORGE_RAW,                   /* every page from 0 to max_pfn; holes are zeros */
};

struct forge;

/* A scenario for arch with physical pages [0, max_pfn).  No page exists
 * until forge_add_pages or the page-table calls create it. */
struct forge *forge_new(enum forge_arch arch, uint64_t max_pfn);
void forge_free(struct forge *forge);

/* Makes pages [first_pfn, first_pfn + count) present, filled with the
 * forge's deterministic pattern: every 8-byte word at physical address a
 * holds forge_pattern(a), so any read can be checked byte for byte. */
void forge_add_pages(struct forge *forge, uint64_t first_pfn, uint64_t count);
uint64_t forge_pattern(uint64_t physical_address);
/* Writes bytes at a physical address (the pages must be present). */
void forge_write(struct forge *forge, uint64_t physical_address, const void *bytes, size_t length);

/* Bitmap and RDMP layouts are x64 only (ERROR_UNSUPPORTED otherwise). */

/* Page tables: the top table is allocated on first use and is the DTB.
 * forge_map maps [va, va + size) to [pa, pa + size) with the page size
 * given (4 KiB, 2 MiB or 1 GiB on x64; 4 KiB, 2 MiB on PAE; 4 KiB, 4 MiB
 * without PAE); table pages come from free PFNs the forge picks above
 * table_base_pfn (default: max_pfn / 2; never PFN 0).  Target pages are
 * made present.  With PAE the PDPT lies at offset 0x20 of its page, so the
 * DTB is 32-byte aligned but not page-aligned (mask CR3 with ~0x1f). */
void forge_set_table_area(struct forge *forge, uint64_t table_base_pfn);
bool forge_map(struct forge *forge, uint64_t va, uint64_t pa, uint64_t size, uint64_t page_size);
uint64_t forge_dtb(const struct forge *forge);
/* Makes the last-level entry for va not present. */
void forge_unmap(struct forge *forge, uint64_t va);
/* Makes the table entry on the way to va, at the given level (1 = the top
 * table's entry), point back at the top table: a page-table loop. */
void forge_loop(struct forge *forge, uint64_t va, unsigned level);
/* Writes Windows' x86 page-table self-map (PDE 0x300 names the page
 * directory; with PAE the directory of 0xC0000000 names all four). */
void forge_self_map(struct forge *forge);
/* Leaves the page that holds va's level-n table out of the dump file. */
void forge_drop_table(struct forge *forge, uint64_t va, unsigned level);

/* Header facts written into Windows dumps and notes. */
struct forge_header {
	uint32_t build;            /* MinorVersion */
	uint64_t ps_active_process_head;
	uint64_t ps_loaded_module_list;
	uint64_t kd_debugger_data_block;
	uint64_t pfn_database;
	uint32_t bugcheck_code;
	uint64_t bugcheck_parameters[4];
	uint64_t system_time;      /* FILETIME */
	uint64_t system_uptime;
	uint32_t processors;
	/* pages present in physical memory but left out of the dump file (a
	 * kernel dump leaves user pages out): [first, first + count) */
	uint64_t excluded_first_pfn, excluded_count;
};
void forge_set_header(struct forge *forge, const struct forge_header *header);

/* Processor state for the ELF "QEMU" notes (dump-formats.md §7).  A CPU
 * not set has the DTB as CR3 and zeros elsewhere; CPUs at or past the
 * header's processor count are not written. */
enum { FORGE_CPUS = 8 };
struct forge_cpu {
	uint64_t cr3;
	uint64_t gs_base;  /* bit 63 set: the CPU was in kernel mode */
	uint64_t idt_base;
};
void forge_set_cpu(struct forge *forge, unsigned cpu, const struct forge_cpu *state);

/* A minimal x64 Windows kernel for src/kernel/'s tests (forge_kernel.c),
 * mapped with 4 KiB pages at base_va (physical base_pa on):
 *   RVA 0          headers: "MZ", e_lfanew 0x100, "PE\0\0", a PE32+
 *                  optional header (debug directory: entry 6) and a
 *                  section table .text, .data;
 *   RVA 0x1000     .text, text_pages: the debug directory (one CodeView
 *                  entry) at its start, the RSDS record at +0x40;
 *   after .text    .data, data_pages: PsLoadedModuleList (a LIST_ENTRY) at
 *                  +0, PsActiveProcessHead at +0x10 (pointing at itself),
 *                  the first LDR_DATA_TABLE_ENTRY (DllBase at +0x30 =
 *                  base_va) at +0x100, and the KDBG block at kdbg_offset.
 * The KDBG block (_KDDEBUGGER_DATA64's first 0x58 bytes: List pointing at
 * the module list head, "KDBG", kdbg_size, KernBase, and the two list
 * heads) is stored as Windows 8+ x64 encodes it when encoded is set, with
 * KiWaitNever, KiWaitAlways and &KdpDataBlockEncoded as given (encoding:
 * the inverse of dump-formats.md §6's decoding).
 * kuser_pa, when not 0, maps KUSER_SHARED_DATA (0xfffff78000000000) with
 * NtBuildNumber (+0x260), NtMajorVersion (+0x26c), NtMinorVersion (+0x270).
 * idt_va, when not 0, maps one IDT page there (physical idt_pa) whose gate 0
 * is an interrupt gate to base_va + handler_rva. */
struct forge_kernel {
	uint64_t base_va, base_pa;
	uint32_t text_pages, data_pages;
	char pdb_name[32];
	uint8_t pdb_guid[16]; /* as stored: Data1, Data2, Data3 little-endian */
	uint32_t pdb_age;
	bool kdbg;
	uint32_t kdbg_offset, kdbg_size;
	bool encoded;
	uint64_t wait_never, wait_always, encoded_flag_address;
	uint64_t kuser_pa;
	uint32_t nt_major, nt_minor, nt_build_number;
	uint64_t idt_va, idt_pa;
	uint32_t handler_rva;
};
/* Where forge_kernel put things. */
struct forge_kernel_layout {
	uint64_t data_va, data_pa;
	uint64_t kdbg_va, module_list_va, process_list_va;
};
struct forge_kernel_layout forge_kernel(struct forge *forge, const struct forge_kernel *kernel);
/* The published encoding's inverse, for one qword (dump-formats.md §6). */
uint64_t forge_kdbg_encode(uint64_t plain, uint64_t wait_never, uint64_t wait_always,
			   uint64_t encoded_flag_address);

/* Writes the scenario.  The error names the path.  A misuse of the void
 * calls above (pages past max_pfn, forge_write to an absent page, no free
 * PFN for a table) comes back here as ERROR_USAGE. */
struct error *forge_write_dump(const struct forge *forge, enum forge_format format, const char *path);

/* Damage for robustness tests, applied to a written file. */
enum forge_damage {
	FORGE_TRUNCATE,            /* cut the file at `at` bytes */
	FORGE_BAD_SIGNATURE,       /* overwrite the signature */
	FORGE_BITMAP_OVERCLAIMS,   /* bitmap/header claims more pages than the file holds */
	FORGE_ABSURD_RUNS,         /* NumberOfRuns beyond the header's room */
	FORGE_OVERLAPPING_RUNS,    /* two runs covering the same PFNs */
};
/* `at` is used by FORGE_TRUNCATE only.  OVERCLAIMS claims 16 more pages:
 * bitmap dumps get the 16 highest clear bits set and TotalPresentPages
 * + 16; full dumps the last run's PageCount (and NumberOfPages) + 16; RDMP
 * the last range's count (and 0xA's TotalNumberOfPages) + 16; ELF the last
 * PT_LOAD's sizes + 16 pages.  ABSURD_RUNS sets e_phnum 0xfffe in an ELF.
 * OVERLAPPING_RUNS moves Run[1] (RDMP: range 1; ELF: the second PT_LOAD)
 * to the first one's start. */
struct error *forge_damage(const char *path, enum forge_damage damage, uint64_t at);

/* A sparse x64 bitmap dump of total_bytes physical memory with
 * present_bytes present (spread in runs over the range), written without
 * touching the absent part (for bench/).  The present memory is mapped with
 * 4 KiB pages at virtual FORGE_SPARSE_VA_BASE + physical address; the page
 * tables are in the dump and the DTB is in the header.  Present pages hold
 * forge_pattern. */
#define FORGE_SPARSE_VA_BASE 0xffffa00000000000ULL
struct error *forge_write_sparse_bitmap(const char *path, uint64_t total_bytes,
					uint64_t present_bytes);
/* Which pages such a dump holds and which of them hold page tables, not
 * the pattern: present memory is ceil(present / 64 MiB) runs spread evenly
 * over the range, and the tables take the present pages after PFN 0 in
 * PFN order (the first is the DTB).  See forge_sparse.c for the formula. */
bool forge_sparse_page_present(uint64_t total_bytes, uint64_t present_bytes, uint64_t pfn);
bool forge_sparse_page_is_table(uint64_t total_bytes, uint64_t present_bytes, uint64_t pfn);

/* ---- Windows kernel objects, with the real layouts -------------------
 *
 * A struct forge_windows lays Windows kernel objects into the scenario's
 * kernel virtual memory, at the offsets of one forge_layout (from
 * forge_layouts.h, the forge's own table, never the readers').  Every call
 * returns the virtual address it chose, so a test can assert exact values.
 * Objects are written as they are made; pages nobody wrote hold the
 * pattern, and every allocation is zeroed first, so unset fields read 0.
 *
 *   forge_objects.c    the scenario, object types, headers and names
 *   forge_kmem.c       the kernel-VA allocator, pool headers, globals
 *   forge_processes.c  processes, threads, waits, mutants, events
 *   forge_handles.c    handle tables of 0, 1 or 2 levels
 *   forge_alpc.c       ALPC ports, connections, messages (Vista+)
 *   forge_lpc.c        LPC ports and messages (XP, 2003)
 *
 * A misuse (a field the layout lacks, a handle that does not fit the
 * table) is reported by forge_write_dump, as for the calls above. */

struct forge_windows;

/* The _ALPC_HANDLE_TABLE inside _ALPC_COMMUNICATION_INFO changed in the
 * 2022-03 servicing wave (struct-offsets.md "Layout changes inside one
 * build number"); builds from 9600 on exist both ways. */
enum forge_alpc_handle_table {
	FORGE_ALPC_HANDLE_TABLE_AS_LAYOUT, /* as the layout's own ntoskrnl has it */
	FORGE_ALPC_HANDLE_TABLE_BEFORE_2022_03,
	FORGE_ALPC_HANDLE_TABLE_FROM_2022_03,
};

struct forge_windows_options {
	const struct forge_layout *layout; /* its pointer size must match the arch */
	/* Kernel memory for the objects: heap_size bytes (default 4 MiB) at
	 * heap_va (default 0xffffb00000000000 on x64, 0x90000000 on x86),
	 * mapped with 4 KiB pages to physical heap_pa (page-aligned, must be
	 * given).  Pages for kernel globals placed by RVA follow the heap
	 * physically. */
	uint64_t heap_va, heap_pa, heap_size;
	/* A _POOL_HEADER before every pool allocation (not before whole
	 * pages, which come from big pages without one). */
	bool pool_headers;
	/* An _OBJECT_HEADER_CREATOR_INFO before every object. */
	bool creator_info;
	uint8_t ob_header_cookie; /* Win10+: ObHeaderCookie's low byte */
	enum forge_alpc_handle_table alpc_handle_table;
	/* When not 0 and the layout has symbol RVAs, kernel globals
	 * (PsActiveProcessHead, ObTypeIndexTable, ObHeaderCookie,
	 * AlpcpPortList, ...) lie at kernel_base + RVA, on pages mapped as
	 * needed (a page forge_kernel already mapped is written in place);
	 * otherwise they are allocated in the heap. */
	uint64_t kernel_base;
	/* A LIST_ENTRY already in the scenario (forge_kernel's
	 * process_list_va) to use as PsActiveProcessHead, or 0. */
	uint64_t ps_active_process_head;
};

struct forge_windows *forge_windows_new(struct forge *forge, const struct forge_windows_options *options);
void forge_windows_free(struct forge_windows *windows);
/* The layout in use: options->layout, with the ALPC handle-table choice
 * applied. */
const struct forge_layout *forge_windows_layout(const struct forge_windows *windows);

/* Object types the forge makes, with the _OBJECT_TYPE.Index each gets.
 * The numbers are the forge's own (real ones vary by build): a reader
 * must find a type by its name. */
enum forge_object_type {
	FORGE_TYPE_TYPE,          /* "Type", index 2 */
	FORGE_TYPE_DIRECTORY,     /* "Directory", 3 */
	FORGE_TYPE_PROCESS,       /* "Process", 7 */
	FORGE_TYPE_THREAD,        /* "Thread", 8 */
	FORGE_TYPE_EVENT,         /* "Event", 16 */
	FORGE_TYPE_MUTANT,        /* "Mutant", 17 */
	FORGE_TYPE_PORT,          /* "Port", 42 */
	FORGE_TYPE_WAITABLE_PORT, /* "WaitablePort", 43 */
	FORGE_TYPE_ALPC_PORT,     /* "ALPC Port", 44 (Vista+ only) */
	FORGE_TYPE_COUNT,
};
const char *forge_object_type_name(enum forge_object_type type);
uint8_t forge_object_type_index(enum forge_object_type type);

/* Where the kernel's globals are (0: the layout has no such thing). */
struct forge_windows_facts {
	uint64_t ps_active_process_head;  /* LIST_ENTRY of EPROCESS.ActiveProcessLinks */
	uint64_t ob_type_index_table;     /* Win7+: _OBJECT_TYPE *[256] */
	uint64_t ob_header_cookie;        /* Win10+: the byte's address */
	uint8_t ob_header_cookie_value;
	uint64_t obp_root_directory_object; /* the pointer's address */
	uint64_t root_directory;          /* its value: the "\" directory */
	uint64_t alpcp_port_list;         /* Vista+: LIST_ENTRY of _ALPC_PORT.PortListEntry */
	uint64_t handle_table_list;       /* LIST_ENTRY of _HANDLE_TABLE.HandleTableList */
	/* the variable that points at a type (ObpTypeObjectType,
	 * AlpcPortObjectType, LpcPortObjectType, ...): its address */
	uint64_t type_pointer[FORGE_TYPE_COUNT];
	uint64_t types[FORGE_TYPE_COUNT]; /* the _OBJECT_TYPE bodies (0: not made) */
};
const struct forge_windows_facts *forge_windows_facts(const struct forge_windows *windows);

/* Kernel memory.  forge_kernel_alloc returns zeroed bytes, 16-aligned on
 * x64 and 8-aligned on x86, after a _POOL_HEADER tagged pool_tag
 * (forge_tag) when the scenario has pool headers and pool_tag is not 0;
 * a block of at most a page never crosses a page.  The heap grows up and
 * is never freed; running out is a misuse. */
uint64_t forge_kernel_alloc(struct forge_windows *windows, uint64_t size, uint32_t pool_tag);
/* Whole zeroed pages, page-aligned, without a pool header. */
uint64_t forge_kernel_alloc_pages(struct forge_windows *windows, uint64_t pages);
void forge_kernel_write(struct forge_windows *windows, uint64_t va, const void *bytes, size_t length);
void forge_kernel_write_u32(struct forge_windows *windows, uint64_t va, uint32_t value);
/* A pointer of the layout's size. */
void forge_kernel_write_pointer(struct forge_windows *windows, uint64_t va, uint64_t value);
uint64_t forge_kernel_read_pointer(struct forge_windows *windows, uint64_t va);
/* The physical address behind va (0 when not mapped). */
uint64_t forge_kernel_physical(const struct forge_windows *windows, uint64_t va);
/* A pool tag from its four characters: forge_tag("Proc"). */
uint32_t forge_tag(const char tag[4]);

/* Replays: objects and blocks at the kernel VAs a debugger printed.
 * forge_kernel_alloc_at is forge_kernel_alloc at a chosen address (the
 * returned one; its pool header, if any, lies just below), mapping the
 * pages it needs (physical pages after the heap's) wherever they are not
 * mapped yet; a block that overlaps one placed before is a misuse.
 * forge_place_next_object makes the next object of that type (made by
 * any call: forge_process, forge_thread, forge_alpc_connect, ...) have its
 * body at body; forge_place_next_block does so for the next block of a
 * kind.  Requests of one type or kind are served in the order given; a
 * request for 0 lets that one object go to the heap as usual. */
uint64_t forge_kernel_alloc_at(struct forge_windows *windows, uint64_t va, uint64_t size, uint32_t pool_tag);
void forge_place_next_object(struct forge_windows *windows, enum forge_object_type type, uint64_t body);
enum forge_block_kind {
	FORGE_BLOCK_COMMUNICATION_INFO, /* _ALPC_COMMUNICATION_INFO */
	FORGE_BLOCK_ALPC_MESSAGE,       /* _KALPC_MESSAGE */
	FORGE_BLOCK_LPC_MESSAGE,        /* _LPCP_MESSAGE */
	FORGE_BLOCK_LPC_QUEUE,          /* _LPCP_NONPAGED_PORT_QUEUE (its semaphore first) */
	FORGE_BLOCK_KQUEUE,             /* _KQUEUE: an ALPC port's CompletionPort */
	FORGE_BLOCK_KIND_COUNT,
};
void forge_place_next_block(struct forge_windows *windows, enum forge_block_kind kind, uint64_t va);

/* The _OBJECT_HEADER of an object body. */
uint64_t forge_object_header(const struct forge_windows *windows, uint64_t body);
/* A named object of any type, size bytes of zeroed body.  A name with
 * backslashes ("\\RPC Control\\StockSvcPort") puts the last component
 * in the object's _OBJECT_HEADER_NAME_INFO and makes (once) a "Directory"
 * object for each directory above it, linked by NameInfo.Directory up to
 * the root "\".  name may be NULL. */
uint64_t forge_object(struct forge_windows *windows, enum forge_object_type type, uint64_t size,
		      const char *name);
/* The directory object for a path ("\\", "\\RPC Control"), made if new. */
uint64_t forge_directory(struct forge_windows *windows, const char *path);

/* Processes: an _EPROCESS on PsActiveProcessHead, with an empty handle
 * table of handle_levels levels (0, 1 or 2). */
struct forge_process_spec {
	uint64_t pid;
	const char *image_name; /* ImageFileName keeps its first 15 bytes */
	uint64_t parent_pid;    /* InheritedFromUniqueProcessId */
	uint64_t create_time;   /* FILETIME */
	uint64_t directory_table_base; /* Pcb.DirectoryTableBase; 0: the scenario's DTB */
	unsigned handle_levels;
};
uint64_t forge_process_ex(struct forge_windows *windows, const struct forge_process_spec *spec);
/* Level-0 handle table, parent 0, create time 0, the scenario's DTB. */
uint64_t forge_process(struct forge_windows *windows, uint64_t pid, const char *image_name);

/* _KTHREAD.State and WaitReason values (struct-offsets.md "Enumerations"). */
enum {
	FORGE_THREAD_READY = 1,
	FORGE_THREAD_RUNNING = 2,
	FORGE_THREAD_WAITING = 5,
};
enum {
	FORGE_WAIT_EXECUTIVE = 0,
	FORGE_WAIT_USER_REQUEST = 6,
	FORGE_WAIT_WR_QUEUE = 15,
	FORGE_WAIT_LPC_RECEIVE = 16,
	FORGE_WAIT_LPC_REPLY = 17,
	FORGE_WAIT_WR_MUTEX = 29,
};
/* An _ETHREAD on the process's ThreadListHead (and its KTHREAD on
 * Pcb.ThreadListHead), Cid = (process's pid, tid). */
uint64_t forge_thread(struct forge_windows *windows, uint64_t process, uint64_t tid, unsigned state,
		      unsigned wait_reason);
/* The thread waits on a dispatcher object (a mutant, an event, a thread):
 * KTHREAD.WaitBlockList points at its WaitBlock[0], whose Object and
 * Thread are set and whose WaitListEntry is on the object's
 * Header.WaitListHead.  Returns the wait block's address. */
uint64_t forge_thread_waits_on(struct forge_windows *windows, uint64_t thread, uint64_t object);
/* A _KMUTANT owned by owner_thread (0: free, SignalState 1). */
uint64_t forge_mutant(struct forge_windows *windows, uint64_t owner_thread, const char *name);
/* A notification _KEVENT, not signalled. */
uint64_t forge_event(struct forge_windows *windows, const char *name);

/* Handles: the next free handle value of the process's table (never 0,
 * never the first entry of a leaf page) for object, or a chosen value.
 * HandleCount and PointerCount of the object's header go up by one. */
uint32_t forge_handle(struct forge_windows *windows, uint64_t process, uint64_t object,
		      uint32_t granted_access);
void forge_handle_at(struct forge_windows *windows, uint64_t process, uint32_t handle,
		     uint64_t object, uint32_t granted_access);
/* The _HANDLE_TABLE of a process, and the entry a handle value uses (0
 * when its page was never made). */
uint64_t forge_handle_table(const struct forge_windows *windows, uint64_t process);
uint64_t forge_handle_entry(const struct forge_windows *windows, uint64_t process, uint32_t handle);

/* ALPC (Vista+).  A connection port is an _ALPC_PORT with its own
 * _ALPC_COMMUNICATION_INFO (ConnectionPort = itself), on AlpcpPortList,
 * OwnerProcess = owner, u1.State Initialized. */
uint64_t forge_alpc_connection_port(struct forge_windows *windows, uint64_t owner_process,
				    const char *name);
/* Takes a port off AlpcpPortList (its PortListEntry then points at
 * itself): with no handle and no name it is found only by a pool scan. */
void forge_alpc_unlist_port(struct forge_windows *windows, uint64_t port);
/* A client communication port (owned by client_process) and a server
 * communication port (owned by the connection port's owner) that share
 * one _ALPC_COMMUNICATION_INFO naming all three ports, whose
 * CommunicationList entry is linked on the connection port's.  The
 * sharing and that list are the forge's picture, not confirmed by a
 * public source: readers should not depend on either. */
void forge_alpc_connect(struct forge_windows *windows, uint64_t client_process, uint64_t connection_port,
			uint64_t *client_port, uint64_t *server_port);
uint64_t forge_alpc_communication_info(struct forge_windows *windows, uint64_t port);
/* The port's queues; FORGE_QUEUE_DIRECT only where the build has it. */
enum forge_alpc_queue {
	FORGE_QUEUE_NONE, /* on no queue (a message being processed) */
	FORGE_QUEUE_MAIN,
	FORGE_QUEUE_LARGE_MESSAGE,
	FORGE_QUEUE_PENDING,
	FORGE_QUEUE_CANCELED,
	FORGE_QUEUE_DIRECT,
};
/* The LIST_ENTRY head of a queue (FORGE_QUEUE_NONE: the WaitQueue). */
uint64_t forge_alpc_queue_head(const struct forge_windows *windows, uint64_t port,
			       enum forge_alpc_queue queue);
struct forge_alpc_message_spec {
	uint64_t port;                /* PortQueue: the port whose queue holds it */
	enum forge_alpc_queue queue;  /* linked at the tail; its Length goes up */
	uint64_t owner_port;          /* 0: port */
	uint64_t waiting_thread;      /* its AlpcMessageId and AlpcMessage are set */
	uint64_t server_thread;
	uint32_t message_id, callback_id;
	int32_t sequence_no;
	/* u1.s1 at the build's bit positions.  QueueType's numbers are not
	 * public (struct-offsets.md): the raw value is the caller's. */
	uint32_t queue_type;
	bool canceled, release_message, reply_wait_reply;
	uint64_t quota_process;
	uint64_t cancel_sequence_port, cancel_queue_port;
	int32_t cancel_sequence_no;
	uint64_t client_context, server_context, port_context, cancel_port_context,
		security_data, view;
	uint64_t communication_info;  /* 0: the port's */
	uint64_t connection_port;     /* 0: the communication info's */
	uint64_t extension_buffer, extension_buffer_size;
	/* PORT_MESSAGE; ClientId 0.0: the waiting thread's Cid */
	uint16_t data_length, total_length, type;
	uint64_t client_pid, client_tid;
};
uint64_t forge_alpc_message(struct forge_windows *windows, const struct forge_alpc_message_spec *spec);
/* thread waits for a message on port: its AlpcWaitListEntry is on the
 * port's WaitQueue, WaitQueueLength goes up. */
void forge_alpc_wait_for_message(struct forge_windows *windows, uint64_t port, uint64_t thread);
/* thread is registered with port's IO completion object: the port's
 * CompletionPort names a _KQUEUE (made on the first call, a
 * FORGE_BLOCK_KQUEUE block, dispatcher Type QueueObject 4) whose
 * ThreadListHead links the thread's _KTHREAD.QueueListEntry at the tail.
 * Returns the _KQUEUE (0 on misuse). */
uint64_t forge_alpc_register_thread(struct forge_windows *windows, uint64_t port, uint64_t thread);
/* A port's settings: u1.State bits or'ed in (at the layout's positions,
 * forge_windows_layout(w)->alpc_port.waitable etc.), PortAttributes,
 * SequenceNo and PortContext. */
struct forge_alpc_port_settings {
	uint32_t state;
	uint32_t attribute_flags;
	uint64_t max_message_length;
	int32_t sequence_no;
	uint64_t port_context;
};
void forge_alpc_port_set(struct forge_windows *windows, uint64_t port,
			 const struct forge_alpc_port_settings *settings);

/* LPC (XP, 2003).  Port Flags as the debugger prints them
 * (struct-offsets.md): 1 server connection port, 3 server communication
 * port, 4 client communication port. */
uint64_t forge_lpc_connection_port(struct forge_windows *windows, uint64_t owner_process,
				   const char *name);
/* The same as a "WaitablePort" object: Flags 1 | 0x20000000
 * (LPCP_WAITABLE_PORT, ReactOS sdk/include/ndk/lpctypes.h), its WaitEvent
 * a notification event, not signalled. */
uint64_t forge_lpc_waitable_connection_port(struct forge_windows *windows, uint64_t owner_process,
					    const char *name);
void forge_lpc_connect(struct forge_windows *windows, uint64_t client_thread, uint64_t connection_port,
		       uint64_t *client_port, uint64_t *server_port);
struct forge_lpc_message_spec {
	uint64_t queue_port;    /* whose MsgQueue.ReceiveHead holds it; 0: none */
	uint64_t sender_port;
	uint64_t replied_to_thread;
	uint64_t port_context;
	uint32_t message_id, callback_id;
	uint16_t data_length, total_length, type;
	uint64_t client_pid, client_tid;
};
uint64_t forge_lpc_message(struct forge_windows *windows, const struct forge_lpc_message_spec *spec);
/* thread waits for the reply to message_id: LpcReplyMessageId is set,
 * LpcReplyChain is on port's LpcReplyChainHead, and LpcWaitingOnPort
 * holds port | 1 (the bit that says "a port": ReactOS lpc.h
 * LPCP_THREAD_FLAG_IS_PORT). */
void forge_lpc_wait_reply(struct forge_windows *windows, uint64_t thread, uint64_t port, uint32_t message_id);
/* The thread's LpcReplyMessage (bit 0 clear: a message). */
void forge_lpc_reply_message(struct forge_windows *windows, uint64_t thread, uint64_t message);
/* The server thread received message_id: LpcReceivedMessageId and
 * LpcReceivedMsgIdValid. */
void forge_lpc_received(struct forge_windows *windows, uint64_t thread, uint32_t message_id);

/* Damage for the readers' robustness tests.  A list (LIST_ENTRY head)
 * whose n-th element's Flink goes back to its first element, so a walk
 * never returns to the head; and a kernel address whose page is not
 * mapped. */
void forge_damage_list_loop(struct forge_windows *windows, uint64_t head, unsigned n);
uint64_t forge_absent_kernel_page(struct forge_windows *windows);

#endif
