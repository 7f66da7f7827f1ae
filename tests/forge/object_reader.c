/* See object_reader.h.  Every offset below was typed from
 * ../shared/docs/struct-offsets.md (the column named first in each entry,
 * table and row as the field's name says), except _KWAIT_BLOCK.Object and
 * _KMUTANT.OwnerThread, which that file does not list: those are from the
 * raw symbol files under ../shared/symbols/ (the same file as the column's
 * source: the JPCERT ISF or Volatility 2 vtypes), read by eye.  The
 * decoding rules are struct-offsets.md's "Object header notes" and
 * "Handle table notes". */
#include <string.h>

#include "object_reader.h"

static const struct known_offsets table[] = {
	{
		.column = "19041.3570", .pointer = 8, .header = KNOWN_TYPE_COOKIE, .pointer_bits_handles = true,
		.eprocess_pid = 0x440, .eprocess_links = 0x448, .eprocess_name = 0x5a8,
		.eprocess_object_table = 0x570, .eprocess_threads = 0x5e0,
		.ethread_list_entry = 0x4e8, .ethread_cid = 0x478, .kthread_state = 0x184,
		.kthread_wait_reason = 0x283, .kthread_wait_block_list = 0xd0,
		.wait_block_object = 0x20, .mutant_owner = 0x28, /* ISF 606FF669...-1 */
		.alpc_message_id = 0x528, .alpc_message = 0x530, .alpc_wait_list_entry = 0x538,
		.table_code = 0x8, .handle_entry_size = 0x10, .handle_granted_access = NA,
		.header_type = NA, .header_name_info_offset = NA, .header_type_index = 0x18,
		.header_info_mask = 0x1a, .header_body = 0x30,
		.name_info_size = 0x20, .name_info_directory = 0x0, .name_info_name = 0x8, .creator_info_size = 0x20,
		.type_name = 0x10, .type_index = 0x28,
		.port_comm_info = 0x10, .port_owner = 0x18, .port_main_queue = 0x90, .port_wait_queue = 0xe8,
		.port_main_queue_length = 0x1c0, .port_wait_queue_length = 0x1d4,
		.comm_connection = 0x0, .comm_server = 0x8, .comm_client = 0x10,
		.msg_port_queue = 0x10, .msg_owner_port = 0x18, .msg_waiting_thread = 0x20, .msg_state = 0x28,
		.msg_server_thread = 0xc8, .msg_port_message = 0xf0,
		.pm_client_id = 0x8, .pm_message_id = 0x18,
		.port_pending_queue = 0xb8, .port_canceled_queue = 0x180, .port_pending_queue_length = 0x1c8,
		.port_canceled_queue_length = 0x1d0, .port_sequence_no = 0x190, .port_completion_port = 0x20,
		.msg_canceled_bit = 7, .pm_callback_id = 0x20,
		.lpc_reply_chain = NA, .lpc_waiting_on_port = NA, .lpc_reply_message_id = NA,
		.lpc_received_message_id = NA, .lpc_received_valid = NA,
	},
	{
		.column = "7601.24540", .pointer = 8, .header = KNOWN_TYPE_INDEX, .pointer_bits_handles = false,
		.eprocess_pid = 0x180, .eprocess_links = 0x188, .eprocess_name = 0x2e0,
		.eprocess_object_table = 0x200, .eprocess_threads = 0x308,
		.ethread_list_entry = 0x428, .ethread_cid = 0x3b8, .kthread_state = 0x164,
		.kthread_wait_reason = 0x26b, .kthread_wait_block_list = 0x98,
		.wait_block_object = 0x18, .mutant_owner = 0x28, /* ISF 339E7413...-1 */
		.alpc_message_id = 0x460, .alpc_message = 0x468, .alpc_wait_list_entry = 0x470,
		.table_code = 0x0, .handle_entry_size = 0x10, .handle_granted_access = 0x8,
		.header_type = NA, .header_name_info_offset = NA, .header_type_index = 0x18,
		.header_info_mask = 0x1a, .header_body = 0x30,
		.name_info_size = 0x20, .name_info_directory = 0x0, .name_info_name = 0x8, .creator_info_size = 0x20,
		.type_name = 0x10, .type_index = 0x28,
		.port_comm_info = 0x10, .port_owner = 0x18, .port_main_queue = 0x88, .port_wait_queue = 0xb8,
		.port_main_queue_length = 0x188, .port_wait_queue_length = 0x198,
		.comm_connection = 0x0, .comm_server = 0x8, .comm_client = 0x10,
		.msg_port_queue = 0x68, .msg_owner_port = 0x70, .msg_waiting_thread = 0x58, .msg_state = 0x2c,
		.msg_server_thread = 0xd0, .msg_port_message = 0xd8,
		.pm_client_id = 0x8, .pm_message_id = 0x18,
		.port_pending_queue = 0x98, .port_canceled_queue = 0x158, .port_pending_queue_length = 0x18c,
		.port_canceled_queue_length = 0x194, .port_sequence_no = 0x168, .port_completion_port = 0x20,
		.msg_canceled_bit = 6, .pm_callback_id = 0x20,
		.lpc_reply_chain = NA, .lpc_waiting_on_port = NA, .lpc_reply_message_id = NA,
		.lpc_received_message_id = NA, .lpc_received_valid = NA,
	},
	{
		.column = "9600", .pointer = 8, .header = KNOWN_TYPE_INDEX, .pointer_bits_handles = true,
		.eprocess_pid = 0x2e0, .eprocess_links = 0x2e8, .eprocess_name = 0x438,
		.eprocess_object_table = 0x408, .eprocess_threads = 0x470,
		.ethread_list_entry = 0x688, .ethread_cid = 0x620, .kthread_state = 0x184,
		.kthread_wait_reason = 0x283, .kthread_wait_block_list = 0xd0,
		.wait_block_object = 0x20, .mutant_owner = 0x28, /* ISF 7C398E97...-1 */
		.alpc_message_id = 0x6c8, .alpc_message = 0x6d0, .alpc_wait_list_entry = 0x6e0,
		.table_code = 0x8, .handle_entry_size = 0x10, .handle_granted_access = NA,
		.header_type = NA, .header_name_info_offset = NA, .header_type_index = 0x18,
		.header_info_mask = 0x1a, .header_body = 0x30,
		.name_info_size = 0x20, .name_info_directory = 0x0, .name_info_name = 0x8, .creator_info_size = 0x20,
		.type_name = 0x10, .type_index = 0x28,
		.port_comm_info = 0x10, .port_owner = 0x18, .port_main_queue = 0x90, .port_wait_queue = 0xd0,
		.port_main_queue_length = 0x1a8, .port_wait_queue_length = 0x1b8,
		.comm_connection = 0x0, .comm_server = 0x8, .comm_client = 0x10,
		.msg_port_queue = 0x10, .msg_owner_port = 0x18, .msg_waiting_thread = 0x20, .msg_state = 0x28,
		.msg_server_thread = 0xb8, .msg_port_message = 0xd8,
		.pm_client_id = 0x8, .pm_message_id = 0x18,
		.port_pending_queue = 0xb8, .port_canceled_queue = 0x168, .port_pending_queue_length = 0x1b0,
		.port_canceled_queue_length = 0x1b4, .port_sequence_no = 0x178, .port_completion_port = 0x20,
		.msg_canceled_bit = 6, .pm_callback_id = 0x20,
		.lpc_reply_chain = NA, .lpc_waiting_on_port = NA, .lpc_reply_message_id = NA,
		.lpc_received_message_id = NA, .lpc_received_valid = NA,
	},
	{
		.column = "14393", .pointer = 8, .header = KNOWN_TYPE_COOKIE, .pointer_bits_handles = true,
		.eprocess_pid = 0x2e8, .eprocess_links = 0x2f0, .eprocess_name = 0x450,
		.eprocess_object_table = 0x418, .eprocess_threads = 0x488,
		.ethread_list_entry = 0x698, .ethread_cid = 0x630, .kthread_state = 0x184,
		.kthread_wait_reason = 0x283, .kthread_wait_block_list = 0xd0,
		.wait_block_object = 0x20, .mutant_owner = 0x28, /* ISF DBBC830E...-1 */
		.alpc_message_id = 0x6d0, .alpc_message = 0x6d8, .alpc_wait_list_entry = 0x6e0,
		.table_code = 0x8, .handle_entry_size = 0x10, .handle_granted_access = NA,
		.header_type = NA, .header_name_info_offset = NA, .header_type_index = 0x18,
		.header_info_mask = 0x1a, .header_body = 0x30,
		.name_info_size = 0x20, .name_info_directory = 0x0, .name_info_name = 0x8, .creator_info_size = 0x20,
		.type_name = 0x10, .type_index = 0x28,
		.port_comm_info = 0x10, .port_owner = 0x18, .port_main_queue = 0x90, .port_wait_queue = 0xe8,
		.port_main_queue_length = 0x1c0, .port_wait_queue_length = 0x1d4,
		.comm_connection = 0x0, .comm_server = 0x8, .comm_client = 0x10,
		.msg_port_queue = 0x10, .msg_owner_port = 0x18, .msg_waiting_thread = 0x20, .msg_state = 0x28,
		.msg_server_thread = 0xc8, .msg_port_message = 0xe8,
		.pm_client_id = 0x8, .pm_message_id = 0x18,
		.port_pending_queue = 0xb8, .port_canceled_queue = 0x180, .port_pending_queue_length = 0x1c8,
		.port_canceled_queue_length = 0x1d0, .port_sequence_no = 0x190, .port_completion_port = 0x20,
		.msg_canceled_bit = 7, .pm_callback_id = 0x20,
		.lpc_reply_chain = NA, .lpc_waiting_on_port = NA, .lpc_reply_message_id = NA,
		.lpc_received_message_id = NA, .lpc_received_valid = NA,
	},
	{
		.column = "Vista x64", .pointer = 8, .header = KNOWN_TYPE_POINTER, .pointer_bits_handles = false,
		.eprocess_pid = 0xe0, .eprocess_links = 0xe8, .eprocess_name = 0x238,
		.eprocess_object_table = 0x160, .eprocess_threads = 0x260,
		.ethread_list_entry = 0x3f0, .ethread_cid = 0x380, .kthread_state = 0x154,
		.kthread_wait_reason = 0x94, .kthread_wait_block_list = 0x88,
		.wait_block_object = 0x18, .mutant_owner = 0x28, /* vista_sp2_x64_vtypes.py */
		.alpc_message_id = 0x428, .alpc_message = 0x430, .alpc_wait_list_entry = 0x438,
		.table_code = 0x0, .handle_entry_size = 0x10, .handle_granted_access = 0x8,
		.header_type = 0x10, .header_name_info_offset = 0x18, .header_type_index = NA,
		.header_info_mask = NA, .header_body = 0x30,
		.name_info_size = 0x20, .name_info_directory = 0x0, .name_info_name = 0x8, .creator_info_size = 0x20,
		.type_name = 0x10, .type_index = 0x28,
		.port_comm_info = 0x10, .port_owner = 0x18, .port_main_queue = 0x90, .port_wait_queue = 0xc0,
		.port_main_queue_length = 0x180, .port_wait_queue_length = 0x190,
		.comm_connection = 0x0, .comm_server = 0x8, .comm_client = 0x10,
		.msg_port_queue = 0x68, .msg_owner_port = 0x70, .msg_waiting_thread = 0x58, .msg_state = 0x2c,
		.msg_server_thread = 0xd8, .msg_port_message = 0xe0,
		.pm_client_id = 0x8, .pm_message_id = 0x18,
		.port_pending_queue = 0xa0, .port_canceled_queue = 0x150, .port_pending_queue_length = 0x184,
		.port_canceled_queue_length = 0x18c, .port_sequence_no = 0x20, .port_completion_port = 0x28,
		.msg_canceled_bit = 6, .pm_callback_id = 0x20,
		.lpc_reply_chain = NA, .lpc_waiting_on_port = NA, .lpc_reply_message_id = NA,
		.lpc_received_message_id = NA, .lpc_received_valid = NA,
	},
	{
		/* struct-offsets.md column 7601.17514; _KWAIT_BLOCK.Object, _KMUTANT.OwnerThread from win7_sp1_x64_vtypes.py */
		.column = "7601.17514",
		.pointer = 8, .header = KNOWN_TYPE_INDEX, .pointer_bits_handles = false, .eprocess_pid = 0x180,
		.eprocess_links = 0x188, .eprocess_name = 0x2e0, .eprocess_object_table = 0x200, .eprocess_threads = 0x308,
		.ethread_list_entry = 0x420, .ethread_cid = 0x3b0, .kthread_state = 0x164, .kthread_wait_reason = 0x26b,
		.kthread_wait_block_list = 0x98, .wait_block_object = 0x18, .mutant_owner = 0x28, .alpc_message_id = 0x458,
		.alpc_message = 0x460, .alpc_wait_list_entry = 0x468, .table_code = 0x0, .handle_entry_size = 0x10,
		.handle_granted_access = 0x8, .header_type = NA, .header_name_info_offset = NA, .header_type_index = 0x18,
		.header_info_mask = 0x1a, .header_body = 0x30, .name_info_size = 0x20, .name_info_directory = 0x0,
		.name_info_name = 0x8, .creator_info_size = 0x20, .type_name = 0x10, .type_index = 0x28,
		.port_comm_info = 0x10, .port_owner = 0x18, .port_main_queue = 0x88, .port_wait_queue = 0xb8,
		.port_main_queue_length = 0x188, .port_wait_queue_length = 0x198, .comm_connection = 0x0,
		.comm_server = 0x8, .comm_client = 0x10, .msg_port_queue = 0x68, .msg_owner_port = 0x70,
		.msg_waiting_thread = 0x58, .msg_state = 0x2c, .msg_server_thread = 0xd0, .msg_port_message = 0xd8,
		.pm_client_id = 0x8, .pm_message_id = 0x18, .port_pending_queue = 0x98, .port_canceled_queue = 0x158,
		.port_pending_queue_length = 0x18c, .port_canceled_queue_length = 0x194, .port_sequence_no = 0x168,
		.port_completion_port = 0x20, .msg_canceled_bit = 6, .pm_callback_id = 0x20, .lpc_reply_chain = NA,
		.lpc_waiting_on_port = NA, .lpc_reply_message_id = NA, .lpc_received_message_id = NA,
		.lpc_received_valid = NA,
	},
	{
		/* column 17763; wait block and mutant from ISF 1806D020...-1 */
		.column = "17763",
		.pointer = 8, .header = KNOWN_TYPE_COOKIE, .pointer_bits_handles = true, .eprocess_pid = 0x2e0,
		.eprocess_links = 0x2e8, .eprocess_name = 0x450, .eprocess_object_table = 0x418, .eprocess_threads = 0x488,
		.ethread_list_entry = 0x6a8, .ethread_cid = 0x638, .kthread_state = 0x184, .kthread_wait_reason = 0x283,
		.kthread_wait_block_list = 0xd0, .wait_block_object = 0x20, .mutant_owner = 0x28, .alpc_message_id = 0x6e0,
		.alpc_message = 0x6e8, .alpc_wait_list_entry = 0x6f0, .table_code = 0x8, .handle_entry_size = 0x10,
		.handle_granted_access = NA, .header_type = NA, .header_name_info_offset = NA, .header_type_index = 0x18,
		.header_info_mask = 0x1a, .header_body = 0x30, .name_info_size = 0x20, .name_info_directory = 0x0,
		.name_info_name = 0x8, .creator_info_size = 0x20, .type_name = 0x10, .type_index = 0x28,
		.port_comm_info = 0x10, .port_owner = 0x18, .port_main_queue = 0x90, .port_wait_queue = 0xe8,
		.port_main_queue_length = 0x1c0, .port_wait_queue_length = 0x1d4, .comm_connection = 0x0,
		.comm_server = 0x8, .comm_client = 0x10, .msg_port_queue = 0x10, .msg_owner_port = 0x18,
		.msg_waiting_thread = 0x20, .msg_state = 0x28, .msg_server_thread = 0xc8, .msg_port_message = 0xf0,
		.pm_client_id = 0x8, .pm_message_id = 0x18, .port_pending_queue = 0xb8, .port_canceled_queue = 0x180,
		.port_pending_queue_length = 0x1c8, .port_canceled_queue_length = 0x1d0, .port_sequence_no = 0x190,
		.port_completion_port = 0x20, .msg_canceled_bit = 7, .pm_callback_id = 0x20, .lpc_reply_chain = NA,
		.lpc_waiting_on_port = NA, .lpc_reply_message_id = NA, .lpc_received_message_id = NA,
		.lpc_received_valid = NA,
	},
	{
		/* column 19041.329 (as 19041.3570 for every field here); ISF BBED7C29...-1 */
		.column = "19041.329",
		.pointer = 8, .header = KNOWN_TYPE_COOKIE, .pointer_bits_handles = true, .eprocess_pid = 0x440,
		.eprocess_links = 0x448, .eprocess_name = 0x5a8, .eprocess_object_table = 0x570, .eprocess_threads = 0x5e0,
		.ethread_list_entry = 0x4e8, .ethread_cid = 0x478, .kthread_state = 0x184, .kthread_wait_reason = 0x283,
		.kthread_wait_block_list = 0xd0, .wait_block_object = 0x20, .mutant_owner = 0x28, .alpc_message_id = 0x528,
		.alpc_message = 0x530, .alpc_wait_list_entry = 0x538, .table_code = 0x8, .handle_entry_size = 0x10,
		.handle_granted_access = NA, .header_type = NA, .header_name_info_offset = NA, .header_type_index = 0x18,
		.header_info_mask = 0x1a, .header_body = 0x30, .name_info_size = 0x20, .name_info_directory = 0x0,
		.name_info_name = 0x8, .creator_info_size = 0x20, .type_name = 0x10, .type_index = 0x28,
		.port_comm_info = 0x10, .port_owner = 0x18, .port_main_queue = 0x90, .port_wait_queue = 0xe8,
		.port_main_queue_length = 0x1c0, .port_wait_queue_length = 0x1d4, .comm_connection = 0x0,
		.comm_server = 0x8, .comm_client = 0x10, .msg_port_queue = 0x10, .msg_owner_port = 0x18,
		.msg_waiting_thread = 0x20, .msg_state = 0x28, .msg_server_thread = 0xc8, .msg_port_message = 0xf0,
		.pm_client_id = 0x8, .pm_message_id = 0x18, .port_pending_queue = 0xb8, .port_canceled_queue = 0x180,
		.port_pending_queue_length = 0x1c8, .port_canceled_queue_length = 0x1d0, .port_sequence_no = 0x190,
		.port_completion_port = 0x20, .msg_canceled_bit = 7, .pm_callback_id = 0x20, .lpc_reply_chain = NA,
		.lpc_waiting_on_port = NA, .lpc_reply_message_id = NA, .lpc_received_message_id = NA,
		.lpc_received_valid = NA,
	},
	{
		/* column 22000; ISF 0CE4A95C...-1 */
		.column = "22000",
		.pointer = 8, .header = KNOWN_TYPE_COOKIE, .pointer_bits_handles = true, .eprocess_pid = 0x440,
		.eprocess_links = 0x448, .eprocess_name = 0x5a8, .eprocess_object_table = 0x570, .eprocess_threads = 0x5e0,
		.ethread_list_entry = 0x538, .ethread_cid = 0x4c8, .kthread_state = 0x184, .kthread_wait_reason = 0x283,
		.kthread_wait_block_list = 0xd0, .wait_block_object = 0x20, .mutant_owner = 0x28, .alpc_message_id = 0x578,
		.alpc_message = 0x580, .alpc_wait_list_entry = 0x588, .table_code = 0x8, .handle_entry_size = 0x10,
		.handle_granted_access = NA, .header_type = NA, .header_name_info_offset = NA, .header_type_index = 0x18,
		.header_info_mask = 0x1a, .header_body = 0x30, .name_info_size = 0x20, .name_info_directory = 0x0,
		.name_info_name = 0x8, .creator_info_size = 0x20, .type_name = 0x10, .type_index = 0x28,
		.port_comm_info = 0x10, .port_owner = 0x18, .port_main_queue = 0x90, .port_wait_queue = 0xe8,
		.port_main_queue_length = 0x1c0, .port_wait_queue_length = 0x1d4, .comm_connection = 0x0,
		.comm_server = 0x8, .comm_client = 0x10, .msg_port_queue = 0x10, .msg_owner_port = 0x18,
		.msg_waiting_thread = 0x20, .msg_state = 0x28, .msg_server_thread = 0xc8, .msg_port_message = 0xf0,
		.pm_client_id = 0x8, .pm_message_id = 0x18, .port_pending_queue = 0xb8, .port_canceled_queue = 0x180,
		.port_pending_queue_length = 0x1c8, .port_canceled_queue_length = 0x1d0, .port_sequence_no = 0x190,
		.port_completion_port = 0x20, .msg_canceled_bit = 7, .pm_callback_id = 0x20, .lpc_reply_chain = NA,
		.lpc_waiting_on_port = NA, .lpc_reply_message_id = NA, .lpc_received_message_id = NA,
		.lpc_received_valid = NA,
	},
	{
		/* column 22621 (as 22000 here); vergilius 10.0.22621.382 layout */
		.column = "22621",
		.pointer = 8, .header = KNOWN_TYPE_COOKIE, .pointer_bits_handles = true, .eprocess_pid = 0x440,
		.eprocess_links = 0x448, .eprocess_name = 0x5a8, .eprocess_object_table = 0x570, .eprocess_threads = 0x5e0,
		.ethread_list_entry = 0x538, .ethread_cid = 0x4c8, .kthread_state = 0x184, .kthread_wait_reason = 0x283,
		.kthread_wait_block_list = 0xd0, .wait_block_object = 0x20, .mutant_owner = 0x28, .alpc_message_id = 0x578,
		.alpc_message = 0x580, .alpc_wait_list_entry = 0x588, .table_code = 0x8, .handle_entry_size = 0x10,
		.handle_granted_access = NA, .header_type = NA, .header_name_info_offset = NA, .header_type_index = 0x18,
		.header_info_mask = 0x1a, .header_body = 0x30, .name_info_size = 0x20, .name_info_directory = 0x0,
		.name_info_name = 0x8, .creator_info_size = 0x20, .type_name = 0x10, .type_index = 0x28,
		.port_comm_info = 0x10, .port_owner = 0x18, .port_main_queue = 0x90, .port_wait_queue = 0xe8,
		.port_main_queue_length = 0x1c0, .port_wait_queue_length = 0x1d4, .comm_connection = 0x0,
		.comm_server = 0x8, .comm_client = 0x10, .msg_port_queue = 0x10, .msg_owner_port = 0x18,
		.msg_waiting_thread = 0x20, .msg_state = 0x28, .msg_server_thread = 0xc8, .msg_port_message = 0xf0,
		.pm_client_id = 0x8, .pm_message_id = 0x18, .port_pending_queue = 0xb8, .port_canceled_queue = 0x180,
		.port_pending_queue_length = 0x1c8, .port_canceled_queue_length = 0x1d0, .port_sequence_no = 0x190,
		.port_completion_port = 0x20, .msg_canceled_bit = 7, .pm_callback_id = 0x20, .lpc_reply_chain = NA,
		.lpc_waiting_on_port = NA, .lpc_reply_message_id = NA, .lpc_received_message_id = NA,
		.lpc_received_valid = NA,
	},
	{
		.column = "XP x86", .pointer = 4, .header = KNOWN_TYPE_POINTER, .pointer_bits_handles = false,
		.eprocess_pid = 0x84, .eprocess_links = 0x88, .eprocess_name = 0x174,
		.eprocess_object_table = 0xc4, .eprocess_threads = 0x190,
		.ethread_list_entry = 0x22c, .ethread_cid = 0x1ec, .kthread_state = 0x2d,
		.kthread_wait_reason = 0x5b, .kthread_wait_block_list = 0x5c,
		.wait_block_object = 0xc, .mutant_owner = 0x18, /* xp_sp3_x86_vtypes.py */
		.alpc_message_id = NA, .alpc_message = NA, .alpc_wait_list_entry = NA,
		.table_code = 0x0, .handle_entry_size = 0x8, .handle_granted_access = 0x4,
		.header_type = 0x8, .header_name_info_offset = 0xc, .header_type_index = NA,
		.header_info_mask = NA, .header_body = 0x18,
		.name_info_size = 0x10, .name_info_directory = 0x0, .name_info_name = 0x4, .creator_info_size = 0x10,
		.type_name = 0x40, .type_index = 0x4c,
		.port_comm_info = NA, .port_owner = NA, .port_main_queue = NA, .port_wait_queue = NA,
		.port_main_queue_length = NA, .port_wait_queue_length = NA,
		.comm_connection = NA, .comm_server = NA, .comm_client = NA,
		.msg_port_queue = NA, .msg_owner_port = NA, .msg_waiting_thread = NA, .msg_state = NA,
		.msg_server_thread = NA, .msg_port_message = NA,
		.pm_client_id = 0x8, .pm_message_id = 0x10,
		.port_pending_queue = NA, .port_canceled_queue = NA, .port_pending_queue_length = NA,
		.port_canceled_queue_length = NA, .port_sequence_no = NA, .port_completion_port = NA,
		.msg_canceled_bit = NA, .pm_callback_id = 0x14,
		.lpc_reply_chain = 0x1c8, .lpc_waiting_on_port = 0x208, .lpc_reply_message_id = 0x23c,
		.lpc_received_message_id = 0x228, .lpc_received_valid = 0x250,
		/* _LPCP_PORT_OBJECT.MsgQueue 0x8 + _LPCP_PORT_QUEUE.ReceiveHead 0x8 */
		.lpc_port_connection = 0x0, .lpc_port_connected = 0x4, .lpc_port_receive_head = 0x10,
		.lpc_port_reply_chain_head = 0x78, .lpc_port_flags = 0x90,
		.lpc_message_sender = 0x8, .lpc_message_request = 0x18,
		/* Creator 0x18, ServerProcess 0x88, MsgQueue.Semaphore 0x8 + 0x4,
		 * LpcDataInfoChainHead 0x80; _LPCP_MESSAGE.RepliedToThread 0xc,
		 * PortContext 0x10; _OBJECT_HEADER PointerCount 0, HandleCount 4;
		 * _DISPATCHER_HEADER.SignalState 4; sizeof(_PORT_MESSAGE) 0x18
		 * (Request 0x18 to the message's end: its data follow) */
		.lpc_port_creator = 0x18, .lpc_port_server_process = 0x88, .lpc_port_semaphore = 0xc,
		.lpc_port_data_info_chain_head = 0x80,
		.lpc_message_replied_to_thread = 0xc, .lpc_message_context = 0x10,
		.header_pointer_count = 0x0, .header_handle_count = 0x4, .dispatcher_signal_state = 0x4,
		.pm_size = 0x18,
	},
	/* struct-offsets.md column "2003 x86"; the wait block's Object and
	 * the mutant's OwnerThread from win2003_sp2_x86_vtypes.py */
	{
		.column = "2003 x86", .pointer = 4, .header = KNOWN_TYPE_POINTER, .pointer_bits_handles = false,
		.eprocess_pid = 0x94, .eprocess_links = 0x98, .eprocess_name = 0x164,
		.eprocess_object_table = 0xd4, .eprocess_threads = 0x180,
		.ethread_list_entry = 0x224, .ethread_cid = 0x1e4, .kthread_state = 0x4c,
		.kthread_wait_reason = 0x5a, .kthread_wait_block_list = 0x54,
		.wait_block_object = 0xc, .mutant_owner = 0x18,
		.alpc_message_id = NA, .alpc_message = NA, .alpc_wait_list_entry = NA,
		.table_code = 0x0, .handle_entry_size = 0x8, .handle_granted_access = 0x4,
		.header_type = 0x8, .header_name_info_offset = 0xc, .header_type_index = NA,
		.header_info_mask = NA, .header_body = 0x18,
		.name_info_size = 0x10, .name_info_directory = 0x0, .name_info_name = 0x4, .creator_info_size = 0x10,
		.type_name = 0x40, .type_index = 0x4c,
		.port_comm_info = NA, .port_owner = NA, .port_main_queue = NA, .port_wait_queue = NA,
		.port_main_queue_length = NA, .port_wait_queue_length = NA,
		.comm_connection = NA, .comm_server = NA, .comm_client = NA,
		.msg_port_queue = NA, .msg_owner_port = NA, .msg_waiting_thread = NA, .msg_state = NA,
		.msg_server_thread = NA, .msg_port_message = NA,
		.pm_client_id = 0x8, .pm_message_id = 0x10,
		.port_pending_queue = NA, .port_canceled_queue = NA, .port_pending_queue_length = NA,
		.port_canceled_queue_length = NA, .port_sequence_no = NA, .port_completion_port = NA,
		.msg_canceled_bit = NA, .pm_callback_id = 0x14,
		.lpc_reply_chain = 0x1c0, .lpc_waiting_on_port = 0x200, .lpc_reply_message_id = 0x234,
		.lpc_received_message_id = 0x220, .lpc_received_valid = 0x248,
		.lpc_port_connection = 0x0, .lpc_port_connected = 0x4, .lpc_port_receive_head = 0x10,
		.lpc_port_reply_chain_head = 0x78, .lpc_port_flags = 0x90,
		.lpc_message_sender = 0x8, .lpc_message_request = 0x18,
		.lpc_port_creator = 0x18, .lpc_port_server_process = 0x88, .lpc_port_semaphore = 0xc,
		.lpc_port_data_info_chain_head = 0x80,
		.lpc_message_replied_to_thread = 0xc, .lpc_message_context = 0x10,
		.header_pointer_count = 0x0, .header_handle_count = 0x4, .dispatcher_signal_state = 0x4,
		.pm_size = 0x18,
	},
	/* struct-offsets.md column "2003 x64"; the wait block's Object and
	 * the mutant's OwnerThread from win2003_sp2_x64_vtypes.py;
	 * sizeof(_PORT_MESSAGE) 0x28 (Request 0x28 in a message whose data
	 * follow at 0x50: CallbackId 0x20 + 8) */
	{
		.column = "2003 x64", .pointer = 8, .header = KNOWN_TYPE_POINTER, .pointer_bits_handles = false,
		.eprocess_pid = 0xd8, .eprocess_links = 0xe0, .eprocess_name = 0x268,
		.eprocess_object_table = 0x158, .eprocess_threads = 0x290,
		.ethread_list_entry = 0x3d0, .ethread_cid = 0x358, .kthread_state = 0x154,
		.kthread_wait_reason = 0x92, .kthread_wait_block_list = 0x88,
		.wait_block_object = 0x18, .mutant_owner = 0x28,
		.alpc_message_id = NA, .alpc_message = NA, .alpc_wait_list_entry = NA,
		.table_code = 0x0, .handle_entry_size = 0x10, .handle_granted_access = 0x8,
		.header_type = 0x10, .header_name_info_offset = 0x18, .header_type_index = NA,
		.header_info_mask = NA, .header_body = 0x30,
		.name_info_size = 0x20, .name_info_directory = 0x0, .name_info_name = 0x8, .creator_info_size = 0x20,
		.type_name = 0x78, .type_index = 0x90,
		.port_comm_info = NA, .port_owner = NA, .port_main_queue = NA, .port_wait_queue = NA,
		.port_main_queue_length = NA, .port_wait_queue_length = NA,
		.comm_connection = NA, .comm_server = NA, .comm_client = NA,
		.msg_port_queue = NA, .msg_owner_port = NA, .msg_waiting_thread = NA, .msg_state = NA,
		.msg_server_thread = NA, .msg_port_message = NA,
		.pm_client_id = 0x8, .pm_message_id = 0x18,
		.port_pending_queue = NA, .port_canceled_queue = NA, .port_pending_queue_length = NA,
		.port_canceled_queue_length = NA, .port_sequence_no = NA, .port_completion_port = NA,
		.msg_canceled_bit = NA, .pm_callback_id = 0x20,
		.lpc_reply_chain = 0x310, .lpc_waiting_on_port = 0x388, .lpc_reply_message_id = 0x3f0,
		.lpc_received_message_id = 0x3c8, .lpc_received_valid = 0x404,
		.lpc_port_connection = 0x0, .lpc_port_connected = 0x8, .lpc_port_receive_head = 0x20,
		.lpc_port_reply_chain_head = 0xb8, .lpc_port_flags = 0xe4,
		.lpc_message_sender = 0x10, .lpc_message_request = 0x28,
		.lpc_port_creator = 0x30, .lpc_port_server_process = 0xd8, .lpc_port_semaphore = 0x18,
		.lpc_port_data_info_chain_head = 0xc8,
		.lpc_message_replied_to_thread = 0x18, .lpc_message_context = 0x20,
		.header_pointer_count = 0x0, .header_handle_count = 0x8, .dispatcher_signal_state = 0x4,
		.pm_size = 0x28,
	},
};

const struct known_offsets *known_offsets(const char *column)
{
	for (size_t i = 0; i < sizeof table / sizeof *table; i++)
		if (strcmp(table[i].column, column) == 0)
			return &table[i];
	return NULL;
}

bool kr_open(struct kreader *kr, const char *path, enum forge_arch arch, uint64_t dtb,
	     const struct known_offsets *k)
{
	*kr = (struct kreader){ .dtb = dtb, .arch = arch, .k = k, .ok = true };
	if (!image_open(&kr->image, path))
		return false;
	if (arch == FORGE_X64)
		layout_windows_full64(&kr->image);
	else
		layout_windows_full32(&kr->image);
	return kr->image.ok;
}

void kr_close(struct kreader *kr)
{
	image_close(&kr->image);
}

enum walk_result kr_translate(struct kreader *kr, uint64_t va, uint64_t *pa)
{
	struct walk walk = { 0, 0 };
	enum walk_result result = kr->arch == FORGE_X64 ? walk_x64(&kr->image, kr->dtb, va, &walk)
				  : kr->arch == FORGE_X86_PAE ? walk_pae(&kr->image, kr->dtb, va, &walk)
							      : walk_x86(&kr->image, kr->dtb, va, &walk);
	*pa = walk.pa;
	return result;
}

bool kr_read(struct kreader *kr, uint64_t va, void *bytes, size_t length)
{
	uint8_t *to = bytes;
	while (length) {
		size_t part = (size_t)(PAGE - va % PAGE) < length ? (size_t)(PAGE - va % PAGE) : length;
		uint64_t pa;
		if (kr_translate(kr, va, &pa) != WALK_OK || !read_physical(&kr->image, pa, to, part)) {
			memset(to, 0, length);
			return kr->ok = false;
		}
		to += part, va += part, length -= part;
	}
	return true;
}

static uint64_t kr_le(struct kreader *kr, uint64_t va, size_t size)
{
	uint8_t bytes[8] = { 0 };
	kr_read(kr, va, bytes, size);
	uint64_t value = 0;
	for (size_t i = size; i-- > 0;)
		value = value << 8 | bytes[i];
	return value;
}

uint64_t kr_ptr(struct kreader *kr, uint64_t va)
{
	return kr_le(kr, va, kr->k->pointer);
}

uint64_t kr_u64(struct kreader *kr, uint64_t va)
{
	return kr_le(kr, va, 8);
}

uint32_t kr_u32(struct kreader *kr, uint64_t va)
{
	return (uint32_t)kr_le(kr, va, 4);
}

uint16_t kr_u16(struct kreader *kr, uint64_t va)
{
	return (uint16_t)kr_le(kr, va, 2);
}

uint8_t kr_u8(struct kreader *kr, uint64_t va)
{
	return (uint8_t)kr_le(kr, va, 1);
}

size_t kr_list(struct kreader *kr, uint64_t head, uint64_t *entries, size_t max)
{
	size_t count = 0;
	for (uint64_t at = kr_ptr(kr, head); at != head; at = kr_ptr(kr, at)) {
		if (!kr->ok || count == max)
			return SIZE_MAX;
		entries[count++] = at;
	}
	return count;
}

bool kr_unicode(struct kreader *kr, uint64_t string, char *text, size_t size)
{
	/* UNICODE_STRING: Length at +0, Buffer at +8 (x64) / +4 (x86). */
	uint16_t length = kr_u16(kr, string);
	uint64_t buffer = kr_ptr(kr, string + kr->k->pointer);
	size_t count = length / 2 < size - 1 ? length / 2 : size - 1;
	for (size_t i = 0; i < count; i++) {
		uint16_t unit = kr_u16(kr, buffer + 2 * i);
		text[i] = unit < 0x80 ? (char)unit : '?';
	}
	text[count] = '\0';
	return kr->ok;
}

/* Handle tables by struct-offsets.md "Handle table notes". */
uint64_t kr_handle_object(struct kreader *kr, uint64_t handle_table, uint32_t handle, uint32_t *access)
{
	const struct known_offsets *k = kr->k;
	uint64_t code = kr_ptr(kr, handle_table + k->table_code);
	unsigned levels = code & 3;
	uint64_t page = code & ~3ULL, index = handle / 4;
	uint64_t leaf_entries = PAGE / k->handle_entry_size, mid_entries = PAGE / k->pointer;
	if (levels == 2) {
		page = kr_ptr(kr, page + index / (leaf_entries * mid_entries) * k->pointer);
		index %= leaf_entries * mid_entries;
	}
	if (levels >= 1) {
		page = kr_ptr(kr, page + index / leaf_entries * k->pointer);
		index %= leaf_entries;
	}
	if (!page)
		return 0;
	uint64_t entry = page + index * k->handle_entry_size;
	uint64_t header;
	if (k->pointer_bits_handles) {
		uint64_t low = kr_u64(kr, entry);
		if (!low)
			return 0;
		/* The kernel's decoding (sar 16, low 4 bits cleared) and the
		 * field's (bits 20..63, shifted left 4, sign-extended) agree. */
		uint64_t by_shift = (uint64_t)((int64_t)low >> 16) & ~0xfULL;
		uint64_t by_field = 0xffff000000000000ULL | (low >> 20) << 4;
		if (by_shift != by_field)
			return 1; /* an impossible body: the caller's equality fails */
		header = by_shift;
		*access = kr_u32(kr, entry + 8) & 0x1ffffff;
	} else {
		header = kr_ptr(kr, entry) & ~7ULL;
		*access = kr_u32(kr, entry + k->handle_granted_access);
	}
	return header ? header + k->header_body : 0;
}

bool kr_type_name(struct kreader *kr, uint64_t body, uint64_t type_table, uint8_t cookie, char *name,
		  size_t size)
{
	const struct known_offsets *k = kr->k;
	uint64_t header = body - k->header_body, type;
	if (k->header == KNOWN_TYPE_POINTER) {
		type = kr_ptr(kr, header + k->header_type);
	} else {
		uint8_t index = kr_u8(kr, header + k->header_type_index);
		if (k->header == KNOWN_TYPE_COOKIE)
			index = (uint8_t)(index ^ cookie ^ ((header >> 8) & 0xff));
		type = kr_ptr(kr, type_table + (uint64_t)index * k->pointer);
	}
	return type && kr_unicode(kr, type + k->type_name, name, size);
}

/* The name info's address, or 0 (struct-offsets.md "Object header notes"). */
static uint64_t name_info(struct kreader *kr, uint64_t header)
{
	const struct known_offsets *k = kr->k;
	if (k->header == KNOWN_TYPE_POINTER) {
		uint8_t offset = kr_u8(kr, header + k->header_name_info_offset);
		return offset ? header - offset : 0;
	}
	uint8_t mask = kr_u8(kr, header + k->header_info_mask);
	if (!(mask & 2))
		return 0;
	return header - (mask & 1 ? k->creator_info_size : 0) - k->name_info_size;
}

bool kr_object_name(struct kreader *kr, uint64_t body, char *name, size_t size)
{
	const struct known_offsets *k = kr->k;
	char parts[8][64];
	unsigned count = 0;
	for (uint64_t at = body; at && count < 8; count++) {
		uint64_t info = name_info(kr, at - k->header_body);
		if (!info)
			return false;
		kr_unicode(kr, info + k->name_info_name, parts[count], sizeof parts[count]);
		at = kr_ptr(kr, info + k->name_info_directory);
	}
	/* parts: leaf first; a path that reaches the root "\\" is absolute. */
	name[0] = '\0';
	bool rooted = count > 1 && strcmp(parts[count - 1], "\\") == 0;
	for (unsigned i = rooted ? count - 1 : count; i-- > 0;) {
		if (strlen(name) + strlen(parts[i]) + 2 > size)
			return false;
		if (rooted || name[0])
			strcat(name, "\\");
		strcat(name, parts[i]);
	}
	return kr->ok;
}
