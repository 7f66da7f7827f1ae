/* What a thread is doing, judged from what the capture shows of it: its
 * scheduling state, wait reason, wait objects and stack.  The frame names
 * are the public symbol names WinDbg prints (ntdll, rpcrt4, nt); the
 * stack shapes are the ones quoted in ../shared/corpus/transcripts and
 * ../shared/docs/debugger-output-formats.md §3.2. */
#include <inttypes.h>
#include <string.h>

#include "correlate.h"

/* True when some frame's function part (after '!') starts with one of the
 * given names; "ntdll!RtlpWaitOnCriticalSection" matches
 * "RtlpWaitOnCriticalSection".  Matching the function keeps modules that
 * WinDbg spells differently (RPCRT4, rpcrt4) alike. */
static const char *frame_matching(const struct thread *thread, const char *const *names)
{
	for (uint32_t i = 0; i < thread->frame_count; i++) {
		const char *frame = thread->frames[i];
		const char *bang = strchr(frame, '!');
		const char *function = bang ? bang + 1 : frame;
		for (const char *const *name = names; *name; name++)
			if (strncmp(function, *name, strlen(*name)) == 0)
				return frame;
	}
	return NULL;
}

static bool state_is(const struct thread *thread, const char *state)
{
	return thread->state && strcmp(thread->state, state) == 0;
}

static bool reason_is(const struct thread *thread, const char *reason)
{
	return thread->wait_reason && strcmp(thread->wait_reason, reason) == 0;
}

static bool is_shown(const struct thread *thread)
{
	return thread->state || thread->wait_reason || thread->frame_count ||
	       thread->wait_object_count || thread->alpc_wait_message.known ||
	       thread->lpc_wait_message_id.known;
}

static const char *const critical_section_frames[] = {
	"RtlpWaitOnCriticalSection", "RtlpEnterCriticalSectionContended",
	"RtlEnterCriticalSection", NULL,
};
static const char *const resource_frames[] = {
	"ExpWaitForResource", "ExAcquireResource", "ExfAcquirePushLock", "ExAcquirePushLock",
	"ExpAcquireResource", "ExpWaitForSpinLock", "FsRtlAcquire", NULL,
};
static const char *const io_frames[] = {
	"IopSynchronousServiceTail", "IopXxxControlFile", "NtReadFile", "NtWriteFile",
	"NtDeviceIoControlFile", "NtFsControlFile", "IoCallDriver", NULL,
};
static const char *const alpc_client_frames[] = {
	"LRPC_BASE_CCALL::", "LRPC_CCALL::", "NdrClientCall", "AlpcpProcessSynchronousRequest",
	"AlpcpReceiveSynchronousReply", NULL,
};
static const char *const lpc_client_frames[] = { "NtRequestWaitReplyPort", "ZwRequestWaitReplyPort",
						 "LpcpRequestWaitReplyPort", NULL };
static const char *const osf_client_frames[] = { "OSF_CCALL", "OSF_CCONNECTION", NULL };
static const char *const receive_frames[] = { "AlpcpReceiveMessage", "NtReplyWaitReceivePort",
					      "ZwReplyWaitReceivePort", NULL };

static struct root_blocker blocker(enum blocker_kind kind, struct thread *thread,
				   struct process *process, const char *detail)
{
	return (struct root_blocker){ kind, thread, process, detail, NULL };
}

struct root_blocker classify_thread(const struct snapshot *snapshot, struct thread *thread)
{
	struct process *process = thread_process(snapshot, thread);
	const char *frame;
	if (!is_shown(thread))
		return blocker(BLOCKER_NOT_CAPTURED, thread, process, NULL);
	if (thread->alpc_wait_message.known)
		return blocker(BLOCKER_WAITING_REPLY, thread, process, "ALPC reply");
	if (thread->lpc_wait_message_id.known)
		return blocker(BLOCKER_WAITING_REPLY, thread, process, "LPC reply");
	if (state_is(thread, "RUNNING") || state_is(thread, "READY") ||
	    state_is(thread, "STANDBY") || state_is(thread, "DEFERREDREADY"))
		return blocker(BLOCKER_RUNNING, thread, process, thread->state);
	if ((frame = frame_matching(thread, critical_section_frames)))
		return blocker(BLOCKER_CRITICAL_SECTION, thread, process, frame);
	for (uint32_t i = 0; i < thread->wait_object_count; i++)
		if (strcmp(thread->wait_objects[i].type, "Mutant") == 0) {
			struct root_blocker mutant = blocker(BLOCKER_MUTANT, thread, process, "Mutant");
			mutant.object = &thread->wait_objects[i];
			return mutant;
		}
	if (reason_is(thread, "WrResource") || reason_is(thread, "WrPushLock") ||
	    (frame = frame_matching(thread, resource_frames)))
		return blocker(BLOCKER_RESOURCE, thread, process,
			       frame ? frame : thread->wait_reason);
	if ((frame = frame_matching(thread, alpc_client_frames)))
		return blocker(BLOCKER_WAITING_REPLY, thread, process, frame);
	if ((frame = frame_matching(thread, lpc_client_frames)))
		return blocker(BLOCKER_WAITING_REPLY, thread, process, frame);
	if ((frame = frame_matching(thread, osf_client_frames)))
		return blocker(BLOCKER_WAITING_REPLY, thread, process, frame);
	if (reason_is(thread, "WrLpcReply") || reason_is(thread, "WrAlpcReply"))
		return blocker(BLOCKER_WAITING_REPLY, thread, process, thread->wait_reason);
	if (reason_is(thread, "WrLpcReceive") || reason_is(thread, "WrAlpcReceive") ||
	    (frame = frame_matching(thread, receive_frames)))
		return blocker(BLOCKER_RECEIVING, thread, process,
			       frame ? frame : thread->wait_reason);
	if ((frame = frame_matching(thread, io_frames)))
		return blocker(BLOCKER_IO, thread, process, frame);
	if (reason_is(thread, "Suspended"))
		return blocker(BLOCKER_SUSPENDED, thread, process, NULL);
	if (thread->wait_object_count) {
		struct root_blocker object =
			blocker(BLOCKER_OBJECT, thread, process, thread->wait_objects[0].type);
		object.object = &thread->wait_objects[0];
		return object;
	}
	if (thread->irp_count.known && thread->irp_count.value)
		return blocker(BLOCKER_IO, thread, process, "IRP pending");
	return blocker(BLOCKER_UNKNOWN, thread, process, thread->wait_reason);
}

const char *thread_image(const struct snapshot *snapshot, const struct thread *thread)
{
	struct process *process = thread_process(snapshot, thread);
	return process ? process->image : NULL;
}
