/* What a profile must hold before the walks can use it: without these a
 * process, thread, object, handle or port cannot be read at all (the rest
 * of profile_fields.def only adds detail, and a walk reports what it could
 * not show).  The set follows the walks described in struct-offsets.md:
 *
 * - processes from PsActiveProcessHead: _EPROCESS.ActiveProcessLinks,
 *   UniqueProcessId, ImageFileName, ObjectTable, ThreadListHead and
 *   _KPROCESS.DirectoryTableBase; threads: _ETHREAD.ThreadListEntry and
 *   Cid, _KTHREAD.State and WaitReason; the _LIST_ENTRY, _UNICODE_STRING
 *   and _CLIENT_ID they are read through;
 * - objects ("Object header notes"): PointerCount, HandleCount, Body,
 *   _OBJECT_HEADER_NAME_INFO.Name, _OBJECT_TYPE.Name, and by scheme
 *   Type + NameInfoOffset (XP … Vista) or TypeIndex + InfoMask + the
 *   creator info's size, which the name info sits below (Win7+);
 * - handles ("Handle table notes"): TableCode, the entry's size, and
 *   Object (… Win7) or ObjectPointerBits (Win8.1+);
 * - ALPC (Vista+, the builds whose _ETHREAD has no LpcReplyChain): the
 *   port's CommunicationInfo, OwnerProcess and five queues, the
 *   communication info's three ports, the message's Entry, PortQueue,
 *   OwnerPort, WaitingThread, ServerThread and PortMessage.MessageId,
 *   _ETHREAD.AlpcMessageId and AlpcMessage;
 * - LPC (XP, 2003): the port's ConnectionPort, ConnectedPort and MsgQueue
 *   with its ReceiveHead, the message's Entry and Request.MessageId,
 *   _ETHREAD.LpcReplyMessageId and LpcReplyMessage.
 *
 * Kernel symbols are not required: the crash dump header and KDBG give the
 * list heads, and ObHeaderCookie can be recovered from known objects. */
#include <stddef.h>

#include "isf_internal.h"

enum shape { OFFSET, BITS };

struct required {
	const char *id;
	size_t member;
	enum shape shape;
};

#define FIELD(id) { #id, offsetof(struct kernel_profile, id), OFFSET }
#define SIZE(id) { #id "_size", offsetof(struct kernel_profile, id##_size), OFFSET }
#define BITFIELD(id) { #id, offsetof(struct kernel_profile, id), BITS }
#define END { NULL, 0, OFFSET }

static const struct required every_build[] = {
	SIZE(list_entry), FIELD(unicode_string_length), FIELD(unicode_string_buffer),
	FIELD(client_id_unique_process), FIELD(client_id_unique_thread),
	FIELD(kprocess_directory_table_base), FIELD(eprocess_unique_process_id),
	FIELD(eprocess_active_process_links), FIELD(eprocess_image_file_name),
	FIELD(eprocess_object_table), FIELD(eprocess_thread_list_head),
	FIELD(ethread_cid), FIELD(ethread_thread_list_entry), FIELD(kthread_state),
	FIELD(kthread_wait_reason),
	FIELD(object_header_pointer_count), FIELD(object_header_handle_count),
	FIELD(object_header_body), FIELD(object_header_name_info_name), FIELD(object_type_name),
	FIELD(handle_table_table_code), SIZE(handle_table_entry),
	END,
};

static const struct required type_pointer_headers[] = {
	FIELD(object_header_type), FIELD(object_header_name_info_offset), END,
};

static const struct required type_index_headers[] = {
	FIELD(object_header_type_index), FIELD(object_header_info_mask),
	SIZE(object_header_creator_info), END,
};

static const struct required header_pointer_handles[] = {
	FIELD(handle_table_entry_object), END,
};

static const struct required pointer_bits_handles[] = {
	BITFIELD(handle_table_entry_object_pointer_bits), END,
};

static const struct required alpc[] = {
	FIELD(alpc_port_communication_info), FIELD(alpc_port_owner_process),
	FIELD(alpc_port_main_queue), FIELD(alpc_port_large_message_queue),
	FIELD(alpc_port_pending_queue), FIELD(alpc_port_canceled_queue), FIELD(alpc_port_wait_queue),
	FIELD(alpc_communication_info_connection_port),
	FIELD(alpc_communication_info_server_communication_port),
	FIELD(alpc_communication_info_client_communication_port),
	FIELD(kalpc_message_entry), FIELD(kalpc_message_port_queue), FIELD(kalpc_message_owner_port),
	FIELD(kalpc_message_waiting_thread), FIELD(kalpc_message_server_thread),
	FIELD(kalpc_message_port_message), FIELD(port_message_message_id),
	FIELD(ethread_alpc_message_id), FIELD(ethread_alpc_message),
	END,
};

static const struct required lpc[] = {
	FIELD(lpcp_port_object_connection_port), FIELD(lpcp_port_object_connected_port),
	FIELD(lpcp_port_object_msg_queue), FIELD(lpcp_port_queue_receive_head),
	FIELD(lpcp_message_entry), FIELD(lpcp_message_request), FIELD(port_message_message_id),
	FIELD(ethread_lpc_reply_message_id), FIELD(ethread_lpc_reply_message),
	END,
};

static bool present(const struct kernel_profile *profile, const struct required *entry)
{
	const char *base = (const char *)profile + entry->member;
	if (entry->shape == BITS)
		return ((const struct profile_bits *)(const void *)base)->offset != PROFILE_ABSENT;
	return *(const int32_t *)(const void *)base != PROFILE_ABSENT;
}

static const char *first_absent(const struct kernel_profile *profile, const struct required *list)
{
	for (; list->id; list++)
		if (!present(profile, list))
			return list->id;
	return NULL;
}

const char *profile_first_missing(const struct kernel_profile *profile)
{
	bool lpc_era = profile->ethread_lpc_reply_chain != PROFILE_ABSENT;
	const struct required *lists[] = {
		every_build,
		profile->object_header_scheme == OBJECT_HEADER_TYPE_POINTER ? type_pointer_headers
									    : type_index_headers,
		profile->handle_entry_scheme == HANDLE_ENTRY_POINTER_BITS ? pointer_bits_handles
									  : header_pointer_handles,
		lpc_era ? lpc : alpc,
	};
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		const char *missing = first_absent(profile, lists[i]);
		if (missing)
			return missing;
	}
	return NULL;
}
