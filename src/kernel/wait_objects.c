/* wait_objects: what a waiting thread waits on, from its wait blocks.
 *
 * _KTHREAD.WaitBlockList points at the first _KWAIT_BLOCK of the wait; a
 * wait on several objects uses consecutive blocks whose WaitKey is their
 * position (the key a WaitAny returns) and whose Thread is the waiter
 * (struct-offsets.md _KWAIT_BLOCK).  At most KERNEL_WAIT_OBJECTS_KEPT are
 * kept.  Each object's _DISPATCHER_HEADER.Type is a _KOBJECTS value (the
 * ISF enum; ReactOS sdk/include/ndk/ketypes.h KOBJECTS): a mutant's
 * OwnerThread is read, and the object header's type name is kept only
 * when it agrees with that value, so a dispatcher object embedded in some
 * other structure (no object header of its own) is never misnamed. */
#include <inttypes.h>
#include <string.h>

#include "walk_internal.h"

enum {
	KOBJECT_EVENT_NOTIFICATION = 0,
	KOBJECT_EVENT_SYNCHRONIZATION = 1,
	KOBJECT_MUTANT = 2,
	KOBJECT_PROCESS = 3,
	KOBJECT_QUEUE = 4,
	KOBJECT_SEMAPHORE = 5,
	KOBJECT_THREAD = 6,
	KOBJECT_GATE = 7,
	KOBJECT_TIMER_NOTIFICATION = 8,
	KOBJECT_TIMER_SYNCHRONIZATION = 9,
	KOBJECT_UNREAD = 0xff, /* no _KOBJECTS value (they end below 0x20) */
};
enum { THREAD_WAITING = 5 }; /* _KTHREAD_STATE Waiting */

static const char *type_for_kobject(uint8_t type)
{
	switch (type) {
	case KOBJECT_EVENT_NOTIFICATION:
	case KOBJECT_EVENT_SYNCHRONIZATION:
		return "Event";
	case KOBJECT_MUTANT:
		return "Mutant";
	case KOBJECT_PROCESS:
		return "Process";
	case KOBJECT_QUEUE:
		return "IoCompletion";
	case KOBJECT_SEMAPHORE:
		return "Semaphore";
	case KOBJECT_THREAD:
		return "Thread";
	case KOBJECT_TIMER_NOTIFICATION:
	case KOBJECT_TIMER_SYNCHRONIZATION:
		return "Timer";
	default:
		return NULL;
	}
}

static void read_object(struct kernel *kernel, uint64_t thread, uint64_t address, struct kernel_wait_object *object)
{
	const struct kernel_profile *p = kernel->profile;
	memset(object, 0, sizeof *object);
	object->address = address;
	/* Type 0 is NotificationEvent: an object whose type is not read
	 * keeps KOBJECT_UNREAD, which names no type, never 0.  A profile
	 * loaded with --profile may lack _DISPATCHER_HEADER.Type. */
	object->type = KOBJECT_UNREAD;
	if (p->dispatcher_header_type == PROFILE_ABSENT)
		return;
	uint8_t type;
	struct error *error = kernel_read_u8(kernel, address + (uint64_t)p->dispatcher_header_type, &type);
	if (error) {
		kernel_warn(kernel, thread, "thread 0x%" PRIx64 " waits on 0x%" PRIx64 ", which cannot be read (%s)",
			    thread, address, error_detail(error));
		error_free(error);
		return;
	}
	object->type = type;
	const char *expected = type_for_kobject(object->type);
	uint64_t header;
	struct kernel_block block;
	error = kernel_read_object_header(kernel, address, &header, &block);
	if (!error && expected) {
		char name[KERNEL_TYPE_NAME_SIZE];
		kernel_type_name(kernel, header, &block, name);
		/* the name the kernel itself reports for this dispatcher type */
		if (strcmp(name, expected) == 0)
			object->type_name = expected;
	}
	error_free(error);
	if (object->type == KOBJECT_MUTANT && p->kmutant_owner_thread != PROFILE_ABSENT) {
		error = kernel_read_pointer(kernel, address + (uint64_t)p->kmutant_owner_thread, &object->owner_thread);
		if (error) {
			kernel_warn(kernel, address, "mutant 0x%" PRIx64 ": OwnerThread cannot be read (%s)", address,
				    error_detail(error));
			error_free(error);
		}
	}
}

void kernel_read_wait_objects(struct kernel *kernel, const struct kernel_block *thread_block,
			      struct kernel_thread *thread)
{
	const struct kernel_profile *p = kernel->profile;
	uint64_t list;
	if (thread->state != THREAD_WAITING || p->kwait_block_object == PROFILE_ABSENT ||
	    p->kwait_block_thread == PROFILE_ABSENT || p->kwait_block_size == PROFILE_ABSENT ||
	    !block_pointer(kernel, thread_block, p->kthread_wait_block_list, &list) || !list)
		return;
	if (!kernel_address_ok(kernel, list, kernel->pointer_size)) {
		kernel_warn(kernel, thread->address, "thread 0x%" PRIx64 ": WaitBlockList 0x%" PRIx64 " is no kernel address",
			    thread->address, list);
		return;
	}
	for (unsigned i = 0; i < KERNEL_WAIT_OBJECTS_KEPT; i++) {
		uint64_t wait_block = list + (uint64_t)i * (uint64_t)p->kwait_block_size;
		uint64_t waiter, object;
		uint16_t key = 0;
		struct error *error = kernel_read_pointer(kernel, wait_block + (uint64_t)p->kwait_block_thread, &waiter);
		if (!error)
			error = kernel_read_pointer(kernel, wait_block + (uint64_t)p->kwait_block_object, &object);
		if (!error && p->kwait_block_wait_key != PROFILE_ABSENT)
			error = kernel_read_u16(kernel, wait_block + (uint64_t)p->kwait_block_wait_key, &key);
		if (error) {
			if (i == 0)
				kernel_warn(kernel, thread->address,
					    "thread 0x%" PRIx64 ": its wait block 0x%" PRIx64 " cannot be read (%s)",
					    thread->address, wait_block, error_detail(error));
			error_free(error);
			return;
		}
		if (waiter != thread->address || key != i || !kernel_address_ok(kernel, object, kernel->pointer_size)) {
			if (i == 0)
				kernel_warn(kernel, thread->address,
					    "thread 0x%" PRIx64 ": its wait block 0x%" PRIx64
					    " names thread 0x%" PRIx64 " and object 0x%" PRIx64 "; not read",
					    thread->address, wait_block, waiter, object);
			return;
		}
		read_object(kernel, thread->address, object, &thread->wait_objects[i]);
		thread->wait_object_count = i + 1;
	}
}
