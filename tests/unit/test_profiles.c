/* The built-in structure profiles (src/kernel/profile_table.c) and the
 * choice among them (src/kernel/profile_choice.c).
 *
 * The table is generated: the first test runs the generator again and
 * wants the committed file byte for byte.  The spot checks are values
 * copied by hand from ../shared/docs/struct-offsets.md (table and column
 * named beside each), so a generator that reads a source wrongly fails
 * here even when it is deterministic. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "../../src/kernel/kernel.h"

/* ---- looking values up by name ------------------------------------------ */

static const struct kernel_profile *named(const char *name)
{
	for (size_t i = 0; i < builtin_profile_count; i++)
		if (strcmp(builtin_profiles[i].name, name) == 0)
			return &builtin_profiles[i];
	return NULL;
}

/* By the member's name in struct kernel_profile: "ethread_cid",
 * "eprocess_size" (the size row "eprocess"), "ob_header_cookie_rva" (the
 * symbol row "ob_header_cookie"). */
static const struct profile_entry *entry(const char *name)
{
	for (size_t i = 0; i < profile_entry_count; i++) {
		const struct profile_entry *row = &profile_entries[i];
		const char *suffix = row->kind == PROFILE_SIZE_ENTRY     ? "_size"
				     : row->kind == PROFILE_SYMBOL_ENTRY ? "_rva"
									 : "";
		size_t length = strlen(row->id);
		if (strncmp(row->id, name, length) == 0 && strcmp(name + length, suffix) == 0)
			return row;
	}
	return NULL;
}

static const void *member(const struct kernel_profile *profile, const struct profile_entry *row)
{
	return (const unsigned char *)profile + row->member;
}

/* A size or field offset (int32_t), a symbol RVA (int64_t), widened. */
static int64_t value_of(const struct kernel_profile *profile, const struct profile_entry *row)
{
	if (row->kind == PROFILE_SYMBOL_ENTRY) {
		int64_t rva;
		memcpy(&rva, member(profile, row), sizeof rva);
		return rva;
	}
	int32_t offset;
	memcpy(&offset, member(profile, row), sizeof offset);
	return offset;
}

static struct profile_bits bits_of(const struct kernel_profile *profile, const struct profile_entry *row)
{
	struct profile_bits bits;
	memcpy(&bits, member(profile, row), sizeof bits);
	return bits;
}

/* ---- (a) the committed table is what the generator writes -------------- */

static const char *source_dir(void)
{
	const char *srcdir = getenv("srcdir");
	return srcdir && *srcdir ? srcdir : ALPCGRAPH_SOURCE_DIR;
}

static void test_table_is_generated(void)
{
	const char *shared = shared_dir();
	char symbols[4096];
	struct stat info;
	if (shared != NULL)
		snprintf(symbols, sizeof symbols, "%s/symbols", shared);
	if (shared == NULL || stat(symbols, &info) != 0 || !S_ISDIR(info.st_mode)) {
		printf("\n  skipped: ../shared/symbols is absent, the generator cannot run\n");
		return;
	}
	if (system("python3 -c '' >/dev/null 2>&1") != 0) {
		printf("\n  skipped: python3 is not available\n");
		return;
	}
	char output[4096], command[16384], committed[4096];
	snprintf(output, sizeof output, "%s/profile_table.c", test_temp_dir());
	snprintf(committed, sizeof committed, "%s/src/kernel/profile_table.c", source_dir());
	snprintf(command, sizeof command,
		 "python3 '%s/src/kernel/profile_table.py' --symbols '%s' --fields '%s/src/kernel/profile_fields.def' "
		 "--output '%s'",
		 source_dir(), symbols, source_dir(), output);
	CU_ASSERT_EQUAL_FATAL(system(command), 0);
	size_t generated_length = 0, committed_length = 0;
	char *generated = read_whole_file(output, &generated_length);
	char *in_tree = read_whole_file(committed, &committed_length);
	CU_ASSERT_PTR_NOT_NULL_FATAL(generated);
	CU_ASSERT_PTR_NOT_NULL_FATAL(in_tree);
	CU_ASSERT_EQUAL(generated_length, committed_length);
	CU_ASSERT_TRUE(generated_length == committed_length &&
		       memcmp(generated, in_tree, generated_length) == 0);
	free(generated);
	free(in_tree);
}

/* ---- (b) values copied by hand from struct-offsets.md ------------------- */

struct expected_value {
	const char *profile, *id;
	int64_t value; /* PROFILE_ABSENT: the build has no such member */
};

static const struct expected_value expected_values[] = {
	/* _ETHREAD */
	{ "7601.17514", "ethread_cid", 0x3b0 },
	{ "7601.24540", "ethread_cid", 0x3b8 },
	{ "20348", "ethread_cid", 0x4c8 },
	{ "17763", "ethread_alpc_message_id", 0x6e0 },
	{ "Vista x64", "ethread_alpc_message", 0x430 },
	{ "22000", "ethread_alpc_wait_list_entry", 0x588 },
	{ "2003 x64", "ethread_lpc_reply_message", 0x388 },
	{ "2003 x86", "ethread_lpc_received_message_id", 0x220 },
	{ "XP x86", "ethread_alpc_message_id", PROFILE_ABSENT },
	{ "Vista x64", "ethread_lpc_reply_chain", PROFILE_ABSENT },
	{ "14393", "ethread_thread_list_entry", 0x698 },
	/* _KTHREAD, _KPROCESS, _EPROCESS */
	{ "XP x86", "kthread_process", PROFILE_ABSENT },
	{ "2003 x86", "kthread_process", 0x128 },
	{ "9600", "kthread_stack_base", 0x38 },
	{ "7601.17514", "kthread_wait_reason", 0x26b },
	{ "XP x86", "kthread_apc_state_process", 0x44 },
	{ "7601.24540", "kprocess_user_directory_table_base", 0x110 },
	{ "7601.17514", "kprocess_user_directory_table_base", PROFILE_ABSENT },
	{ "XP x86", "eprocess_unique_process_id", 0x84 },
	{ "2003 x86", "eprocess_active_process_links", 0x98 },
	{ "2003 x64", "eprocess_object_table", 0x158 },
	{ "Vista x64", "eprocess_alpc_context", 0x3c8 },
	{ "19041.3570", "eprocess_image_file_name", 0x5a8 },
	{ "20348", "eprocess_size", 0xbc0 },
	{ "22621", "eprocess_size", 0xb80 },
	/* 26100: System Informer's kphdyn.xml only */
	{ "26100", "eprocess_object_table", 0x300 },
	{ "26100", "eprocess_section_object", 0x2a8 },
	{ "26100", "alpc_port_state", 0x1a0 },
	{ "26100", "alpc_handle_table_lock", 0x8 },
	{ "26100", "kthread_kernel_stack", 0x58 },
	{ "26100", "eprocess_unique_process_id", PROFILE_ABSENT },
	{ "26100", "eprocess_size", PROFILE_ABSENT },
	/* ALPC */
	{ "19041.329", "alpc_handle_table_lock", 0x10 },
	{ "19041.3570", "alpc_handle_table_lock", 0x8 },
	{ "19041.329", "alpc_communication_info_size", 0x48 },
	{ "19041.3570", "alpc_communication_info_size", 0x50 },
	{ "19041.3570", "alpc_communication_info_close_message", 0x48 },
	{ "Vista x64", "alpc_handle_table_handles", 0x8 },
	{ "14393", "alpc_port_direct_queue", 0xd0 },
	{ "9600", "alpc_port_direct_queue", PROFILE_ABSENT },
	{ "22621", "alpc_port_size", 0x1d8 },
	{ "7601.17514", "alpc_port_wait_queue", 0xb8 },
	{ "Vista x64", "kalpc_message_port_queue", 0x68 },
	{ "9600", "kalpc_message_port_queue", 0x10 },
	{ "9600", "kalpc_message_data_user_va", 0xa0 },
	{ "22621", "kalpc_message_port_message", 0xf0 },
	{ "XP x86", "alpc_port_size", PROFILE_ABSENT },
	/* objects, handles, pool, LPC */
	{ "XP x86", "object_header_type", 0x8 },
	{ "7601.17514", "object_header_type_index", 0x18 },
	{ "7601.17514", "object_header_type", PROFILE_ABSENT },
	{ "XP x86", "object_header_body", 0x18 },
	{ "XP x86", "object_type_type_list", 0x38 },
	{ "17763", "object_type_key", 0xc0 },
	{ "2003 x86", "object_header_handle_info_size", 0x8 },
	{ "9600", "object_header_padding_info_size", 0x4 },
	{ "XP x86", "handle_table_entry_size", 0x8 },
	{ "9600", "handle_table_table_code", 0x8 },
	{ "2003 x64", "lpcp_port_object_msg_queue", 0x10 },
	{ "XP x86", "lpcp_message_request", 0x18 },
	{ "XP x86", "port_message_message_id", 0x10 },
	{ "2003 x64", "port_message_message_id", 0x18 },
	/* kernel symbol RVAs (ISF sources only) */
	{ "19041.3570", "kd_debugger_data_block_rva", 0xc00b20 },
	{ "22000", "ps_active_process_head_rva", 0xc1bfa0 },
	{ "14393", "ob_header_cookie_rva", 0x3a94c0 },
	{ "9600", "ob_header_cookie_rva", PROFILE_ABSENT },
	{ "7601.24540", "alpcp_port_list_rva", 0x2625b0 },
	{ "7601.17514", "kd_debugger_data_block_rva", PROFILE_ABSENT },
	{ "22621", "ps_active_process_head_rva", PROFILE_ABSENT },
};

struct expected_bits {
	const char *profile, *id;
	struct profile_bits bits;
};

static const struct expected_bits expected_bits[] = {
	{ "22621", "kalpc_message_in_canceled_queue", { 0x28, 17, 1 } },
	{ "19041.3570", "kalpc_message_in_canceled_queue", { 0x28, 16, 1 } },
	{ "19041.329", "kalpc_message_in_canceled_queue", { PROFILE_ABSENT, 0, 0 } },
	{ "22621", "kalpc_message_in_dispatch", { 0x28, 16, 1 } },
	{ "9600", "kalpc_message_queue_type", { 0x28, 0, 2 } },
	{ "14393", "kalpc_message_queue_type", { 0x28, 0, 3 } },
	{ "14393", "kalpc_message_view_attribute_retrieved", { 0x28, 15, 1 } },
	{ "Vista x64", "kalpc_message_queue_port_type", { 0x2c, 2, 4 } },
	{ "7601.24540", "alpc_port_type", { 0x16c, 1, 2 } },
	{ "XP x86", "ethread_lpc_received_msg_id_valid", { 0x250, 0, 1 } },
	{ "2003 x64", "ethread_lpc_exit_thread_called", { 0x404, 1, 1 } },
	{ "9600", "handle_table_entry_object_pointer_bits", { 0x0, 20, 44 } },
	/* vergilius's bit 0 is an artefact; kphdyn ObDecodeShift says 20 */
	{ "22621", "handle_table_entry_object_pointer_bits", { 0x0, 20, 44 } },
	{ "26100", "handle_table_entry_object_pointer_bits", { 0x0, 20, 44 } },
	{ "22000", "handle_table_entry_granted_access_bits", { 0x8, 0, 25 } },
	{ "7601.17514", "handle_table_entry_object_pointer_bits", { PROFILE_ABSENT, 0, 0 } },
	{ "XP x86", "pool_header_previous_size", { 0x0, 0, 9 } },
	{ "2003 x64", "pool_header_block_size", { 0x0, 16, 8 } },
	{ "9600", "pool_header_block_size", { 0x2, 0, 8 } },
};

static void test_spot_values(void)
{
	for (size_t i = 0; i < sizeof expected_values / sizeof expected_values[0]; i++) {
		const struct expected_value *want = &expected_values[i];
		const struct kernel_profile *profile = named(want->profile);
		const struct profile_entry *row = entry(want->id);
		CU_ASSERT_PTR_NOT_NULL_FATAL(profile);
		CU_ASSERT_PTR_NOT_NULL_FATAL(row);
		int64_t got = value_of(profile, row);
		if (got != want->value)
			printf("\n  %s %s: 0x%" PRIx64 ", struct-offsets.md says 0x%" PRIx64, want->profile, want->id,
			       (uint64_t)got, (uint64_t)want->value);
		CU_ASSERT_EQUAL(got, want->value);
	}
	for (size_t i = 0; i < sizeof expected_bits / sizeof expected_bits[0]; i++) {
		const struct expected_bits *want = &expected_bits[i];
		const struct kernel_profile *profile = named(want->profile);
		const struct profile_entry *row = entry(want->id);
		CU_ASSERT_PTR_NOT_NULL_FATAL(profile);
		CU_ASSERT_PTR_NOT_NULL_FATAL(row);
		CU_ASSERT_EQUAL_FATAL(row->kind, PROFILE_BITS_ENTRY);
		struct profile_bits got = bits_of(profile, row);
		CU_ASSERT_EQUAL(got.offset, want->bits.offset);
		if (want->bits.offset != PROFILE_ABSENT) {
			CU_ASSERT_EQUAL(got.bit, want->bits.bit);
			CU_ASSERT_EQUAL(got.width, want->bits.width);
		}
	}
}

static void test_metadata(void)
{
	static const char *const names[] = { "XP x86",     "2003 x86",  "2003 x64",   "Vista x64", "7601.17514",
					     "7601.24540", "9600",      "14393",      "17763",     "19041.329",
					     "19041.3570", "20348",     "22000",      "22621",     "26100" };
	CU_ASSERT_EQUAL_FATAL(builtin_profile_count, sizeof names / sizeof names[0]);
	for (size_t i = 0; i < builtin_profile_count; i++) {
		CU_ASSERT_STRING_EQUAL(builtin_profiles[i].name, names[i]);
		CU_ASSERT_EQUAL(builtin_profiles[i].incomplete, strcmp(names[i], "26100") == 0);
		CU_ASSERT_PTR_NOT_NULL(builtin_profiles[i].source);
		CU_ASSERT_PTR_NOT_NULL(builtin_profiles[i].pdb_guid);
	}
	const struct kernel_profile *p = named("19041.3570");
	CU_ASSERT_STRING_EQUAL(p->pdb_guid, "606FF669409B00F7FC8C61A9C1670129");
	CU_ASSERT_EQUAL(p->pdb_age, 1);
	CU_ASSERT_EQUAL(p->build, 19041);
	CU_ASSERT_EQUAL(p->pointer_size, 8);
	CU_ASSERT_STRING_EQUAL(p->version, "10.0.19041.3570");
	CU_ASSERT_STRING_EQUAL(p->source, "jpcert-windows-symbol-tables/606FF669409B00F7FC8C61A9C1670129-1.json.xz");
	CU_ASSERT_EQUAL(p->object_header_scheme, OBJECT_HEADER_TYPE_COOKIE);
	CU_ASSERT_EQUAL(p->handle_entry_scheme, HANDLE_ENTRY_POINTER_BITS);

	p = named("XP x86");
	CU_ASSERT_EQUAL(p->build, 2600);
	CU_ASSERT_EQUAL(p->pointer_size, 4);
	CU_ASSERT_STRING_EQUAL(p->pdb_guid, "");
	CU_ASSERT_EQUAL(p->pdb_age, 0);
	CU_ASSERT_STRING_EQUAL(p->source, "volatility2/xp_sp3_x86_vtypes.py");
	CU_ASSERT_EQUAL(p->object_header_scheme, OBJECT_HEADER_TYPE_POINTER);
	CU_ASSERT_EQUAL(p->handle_entry_scheme, HANDLE_ENTRY_HEADER_POINTER);

	CU_ASSERT_EQUAL(named("Vista x64")->object_header_scheme, OBJECT_HEADER_TYPE_POINTER);
	CU_ASSERT_EQUAL(named("7601.24540")->object_header_scheme, OBJECT_HEADER_TYPE_INDEX);
	CU_ASSERT_EQUAL(named("7601.24540")->handle_entry_scheme, HANDLE_ENTRY_HEADER_POINTER);
	CU_ASSERT_STRING_EQUAL(named("7601.24540")->pdb_guid, "339E74133576439CBCDF7E0229DA3773");
	CU_ASSERT_EQUAL(named("9600")->object_header_scheme, OBJECT_HEADER_TYPE_INDEX);
	CU_ASSERT_EQUAL(named("9600")->handle_entry_scheme, HANDLE_ENTRY_POINTER_BITS);
	CU_ASSERT_EQUAL(named("14393")->object_header_scheme, OBJECT_HEADER_TYPE_COOKIE);
	CU_ASSERT_EQUAL(named("26100")->object_header_scheme, OBJECT_HEADER_TYPE_COOKIE);
	CU_ASSERT_EQUAL(named("26100")->build, 26100);
	CU_ASSERT_EQUAL(named("2003 x86")->pointer_size, 4);
	CU_ASSERT_EQUAL(named("2003 x64")->pointer_size, 8);
	CU_ASSERT_STRING_EQUAL(named("22621")->version, "10.0.22621.382");
	CU_ASSERT_STRING_EQUAL(named("22621")->pdb_guid, "");
}

/* Every member lies inside its structure where the size is known, and
 * every bitfield inside a 64-bit unit: a path resolved through the wrong
 * type would not. */
static void test_members_inside_structures(void)
{
	for (size_t p = 0; p < builtin_profile_count; p++) {
		const struct kernel_profile *profile = &builtin_profiles[p];
		for (size_t i = 0; i < profile_entry_count; i++) {
			const struct profile_entry *row = &profile_entries[i];
			if (row->kind != PROFILE_FIELD_ENTRY && row->kind != PROFILE_BITS_ENTRY)
				continue;
			int64_t size = PROFILE_ABSENT;
			for (size_t j = 0; j < profile_entry_count; j++)
				if (profile_entries[j].kind == PROFILE_SIZE_ENTRY &&
				    strcmp(profile_entries[j].structure, row->structure) == 0)
					size = value_of(profile, &profile_entries[j]);
			int64_t offset;
			if (row->kind == PROFILE_BITS_ENTRY) {
				struct profile_bits bits = bits_of(profile, row);
				offset = bits.offset;
				if (offset != PROFILE_ABSENT)
					CU_ASSERT_TRUE(bits.width > 0 && bits.bit + bits.width <= 64);
			} else {
				offset = value_of(profile, row);
			}
			CU_ASSERT_TRUE(offset >= PROFILE_ABSENT);
			if (offset != PROFILE_ABSENT && size != PROFILE_ABSENT && offset >= size) {
				printf("\n  %s %s 0x%" PRIx64 " outside %s (0x%" PRIx64 ")", profile->name, row->id,
				       (uint64_t)offset, row->structure, (uint64_t)size);
				CU_FAIL("member outside its structure");
			}
		}
	}
}

/* ---- (c) what the ALPC walk needs, in every complete Vista+ profile ---- */

static const char *const alpc_walk_fields[] = {
	/* process list */
	"eprocess_active_process_links", "eprocess_unique_process_id", "eprocess_image_file_name",
	"eprocess_object_table", "kprocess_directory_table_base",
	/* thread list */
	"eprocess_thread_list_head", "ethread_thread_list_entry", "ethread_cid", "client_id_unique_process",
	"client_id_unique_thread", "kthread_state", "kthread_wait_reason",
	/* what a thread waits on */
	"ethread_alpc_message", "ethread_alpc_message_id", "ethread_alpc_wait_list_entry",
	/* object header */
	"object_header_size", "object_header_body", "object_header_name_info_size",
	"object_header_name_info_name", "object_type_name", "unicode_string_length", "unicode_string_buffer",
	/* handle table */
	"handle_table_table_code", "handle_table_entry_size",
	/* _ALPC_PORT */
	"alpc_port_size", "alpc_port_communication_info", "alpc_port_owner_process", "alpc_port_main_queue",
	"alpc_port_large_message_queue", "alpc_port_pending_queue", "alpc_port_wait_queue",
	"alpc_port_canceled_queue", "alpc_communication_info_connection_port",
	"alpc_communication_info_server_communication_port", "alpc_communication_info_client_communication_port",
	/* _KALPC_MESSAGE */
	"kalpc_message_size", "kalpc_message_entry", "kalpc_message_port_queue", "kalpc_message_owner_port",
	"kalpc_message_waiting_thread", "kalpc_message_sequence_no", "kalpc_message_port_message",
	"kalpc_message_cancel_queue_port", "port_message_message_id", "port_message_client_id",
};

static void expect_present(const struct kernel_profile *profile, const char *id)
{
	const struct profile_entry *row = entry(id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(row);
	int64_t value = row->kind == PROFILE_BITS_ENTRY ? bits_of(profile, row).offset : value_of(profile, row);
	if (value == PROFILE_ABSENT) {
		printf("\n  %s lacks %s", profile->name, id);
		CU_FAIL("a field the ALPC walk needs is absent");
	}
}

static void test_alpc_walk_fields(void)
{
	unsigned checked = 0;
	for (size_t p = 0; p < builtin_profile_count; p++) {
		const struct kernel_profile *profile = &builtin_profiles[p];
		if (profile->incomplete || profile->pointer_size != 8 || profile->alpc_port_size == PROFILE_ABSENT)
			continue;
		checked++;
		for (size_t i = 0; i < sizeof alpc_walk_fields / sizeof alpc_walk_fields[0]; i++)
			expect_present(profile, alpc_walk_fields[i]);
		/* the object's type and the handle's object, per scheme */
		if (profile->object_header_scheme == OBJECT_HEADER_TYPE_POINTER) {
			expect_present(profile, "object_header_type");
			expect_present(profile, "object_header_name_info_offset");
		} else {
			expect_present(profile, "object_header_type_index");
			expect_present(profile, "object_header_info_mask");
			expect_present(profile, "object_header_creator_info_size");
		}
		if (profile->handle_entry_scheme == HANDLE_ENTRY_POINTER_BITS)
			expect_present(profile, "handle_table_entry_object_pointer_bits");
		else
			expect_present(profile, "handle_table_entry_object");
		CU_ASSERT_TRUE(profile->build >= 6000);
	}
	/* Vista, 7601 twice, 9600, 14393, 17763, 19041 twice, 20348, 22000, 22621 */
	CU_ASSERT_EQUAL(checked, 11);
}

/* ---- the choice ---------------------------------------------------------- */

static struct os_identity identity(const char *guid, uint64_t age, uint64_t build)
{
	struct os_identity os;
	memset(&os, 0, sizeof os);
	os.paging_known = true;
	os.paging = PAGING_X64;
	snprintf(os.pdb_name, sizeof os.pdb_name, "ntkrnlmp.pdb");
	if (guid != NULL) {
		snprintf(os.pdb_guid, sizeof os.pdb_guid, "%s", guid);
		os.pdb_age = known_u64(age);
	}
	if (build != 0)
		os.build = known_u64(build);
	return os;
}

/* A fake probe: the score of each candidate, by name, from a list. */
struct scores {
	const char *names[4];
	int values[4];
	unsigned calls;
};

static int scored_probe(const struct kernel_profile *candidate, void *context)
{
	struct scores *scores = context;
	scores->calls++;
	for (unsigned i = 0; i < 4 && scores->names[i] != NULL; i++)
		if (strcmp(scores->names[i], candidate->name) == 0)
			return scores->values[i];
	return -1;
}

static void test_choice_by_pdb(void)
{
	struct os_identity os = identity("606FF669409B00F7FC8C61A9C1670129", 1, 19041);
	struct profile_choice choice;
	struct scores scores = { { NULL }, { 0 }, 0 };
	CU_ASSERT_PTR_NULL_FATAL(profile_choose(&os, NULL, scored_probe, &scores, &choice));
	CU_ASSERT_EQUAL(choice.match, PROFILE_BY_PDB);
	CU_ASSERT_PTR_EQUAL(choice.profile, named("19041.3570"));
	CU_ASSERT_STRING_EQUAL(choice.reason,
			       "ntkrnlmp.pdb 606FF669409B00F7FC8C61A9C1670129-1 is the built-in profile 19041.3570");
	CU_ASSERT_EQUAL(scores.calls, 0); /* the GUID is exact: nothing to probe */
	profile_choice_release(&choice);

	CU_ASSERT_PTR_EQUAL(profile_by_pdb("bbed7c2955fbe4522aaa23f4b8677ad9", 1), named("19041.329"));
	CU_ASSERT_PTR_NULL(profile_by_pdb("BBED7C2955FBE4522AAA23F4B8677AD9", 2));
	CU_ASSERT_PTR_NULL(profile_by_pdb("", 0));
	CU_ASSERT_PTR_NULL(profile_by_pdb(NULL, 1));
}

static void test_choice_by_build(void)
{
	struct os_identity os = identity("00000000000000000000000000000001", 3, 9600);
	struct profile_choice choice;
	CU_ASSERT_PTR_NULL_FATAL(profile_choose(&os, NULL, NULL, NULL, &choice));
	CU_ASSERT_EQUAL(choice.match, PROFILE_BY_BUILD);
	CU_ASSERT_PTR_EQUAL(choice.profile, named("9600"));
	CU_ASSERT_STRING_EQUAL(choice.reason, "built-in profile 9600: the only one of build 9600 "
					      "(ntkrnlmp.pdb 00000000000000000000000000000001-3 is not a built-in one)");
	profile_choice_release(&choice);

	/* Windows 11 23H2 (22631) runs the 22621 kernel line */
	os = identity(NULL, 0, 22631);
	CU_ASSERT_PTR_NULL_FATAL(profile_choose(&os, NULL, NULL, NULL, &choice));
	CU_ASSERT_PTR_EQUAL(choice.profile, named("22621"));
	CU_ASSERT_STRING_EQUAL(choice.reason, "built-in profile 22621: the only one of build 22631 "
					      "(the kernel's PDB GUID is unknown)");

	/* 2003: x86 and x64 profiles share the build; paging decides */
	os = identity(NULL, 0, 3790);
	os.paging = PAGING_X86_PAE;
	CU_ASSERT_PTR_NULL_FATAL(profile_choose(&os, NULL, NULL, NULL, &choice));
	CU_ASSERT_PTR_EQUAL(choice.profile, named("2003 x86"));
	os.paging = PAGING_X64;
	CU_ASSERT_PTR_NULL_FATAL(profile_choose(&os, NULL, NULL, NULL, &choice));
	CU_ASSERT_PTR_EQUAL(choice.profile, named("2003 x64"));
	CU_ASSERT_EQUAL(choice.match, PROFILE_BY_BUILD);
}

static void test_choice_by_probe(void)
{
	/* Windows 10 22H2 reports NtBuildNumber 19045 and runs ntoskrnl 10.0.19041.x */
	struct os_identity os = identity(NULL, 0, 19045);
	struct profile_choice choice;
	struct scores scores = { { "19041.329", "19041.3570", NULL }, { 3, 12 }, 0 };
	CU_ASSERT_PTR_NULL_FATAL(profile_choose(&os, NULL, scored_probe, &scores, &choice));
	CU_ASSERT_EQUAL(choice.match, PROFILE_BY_PROBE);
	CU_ASSERT_PTR_EQUAL(choice.profile, named("19041.3570"));
	CU_ASSERT_EQUAL(scores.calls, 2);
	CU_ASSERT_STRING_EQUAL(choice.reason, "built-in profile 19041.3570: it reads best of build 19045's "
					      "profiles (scores 19041.329 3, 19041.3570 12)");

	struct scores older = { { "7601.17514", "7601.24540", NULL }, { 40, -1 }, 0 };
	os = identity(NULL, 0, 7601);
	CU_ASSERT_PTR_NULL_FATAL(profile_choose(&os, NULL, scored_probe, &older, &choice));
	CU_ASSERT_PTR_EQUAL(choice.profile, named("7601.17514"));
	CU_ASSERT_STRING_EQUAL(choice.reason, "built-in profile 7601.17514: it reads best of build 7601's "
					      "profiles (scores 7601.17514 40, 7601.24540 -1)");

	/* a tie goes to the later layout, and says so */
	struct scores tie = { { "7601.17514", "7601.24540", NULL }, { 5, 5 }, 0 };
	CU_ASSERT_PTR_NULL_FATAL(profile_choose(&os, NULL, scored_probe, &tie, &choice));
	CU_ASSERT_PTR_EQUAL(choice.profile, named("7601.24540"));
	CU_ASSERT_STRING_EQUAL(choice.reason, "built-in profile 7601.24540: build 7601's profiles score a tie "
					      "(7601.17514 5, 7601.24540 5), the later layout is taken");

	/* 2003 with the paging unknown: both pointer sizes are candidates */
	os = identity(NULL, 0, 3790);
	os.paging_known = false;
	struct scores widths = { { "2003 x86", "2003 x64", NULL }, { 0, 7 }, 0 };
	CU_ASSERT_PTR_NULL_FATAL(profile_choose(&os, NULL, scored_probe, &widths, &choice));
	CU_ASSERT_PTR_EQUAL(choice.profile, named("2003 x64"));
	CU_ASSERT_EQUAL(choice.match, PROFILE_BY_PROBE);
}

static void expect_refusal(const struct os_identity *os, profile_probe probe, void *context,
			   const char *reason, const char *message_part)
{
	struct profile_choice choice;
	struct error *error = profile_choose(os, NULL, probe, context, &choice);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_EQUAL(error->code, ERROR_UNSUPPORTED);
	CU_ASSERT_PTR_NULL(choice.profile);
	CU_ASSERT_EQUAL(choice.match, PROFILE_NOT_FOUND);
	CU_ASSERT_STRING_EQUAL(choice.reason, reason);
	if (strstr(error->message, message_part) == NULL)
		printf("\n  message: %s", error->message);
	CU_ASSERT_PTR_NOT_NULL(strstr(error->message, message_part));
	CU_ASSERT_PTR_NOT_NULL(strstr(error->message, "--profile"));
	CU_ASSERT_PTR_NOT_NULL(strstr(error->message, "pdbconv.py"));
	CU_ASSERT_PTR_NOT_NULL(strstr(error->message, "JPCERTCC/Windows-Symbol-Tables"));
	error_free(error);
}

static void test_choice_refused(void)
{
	struct os_identity os = identity("ABCDEF0123456789ABCDEF0123456789", 1, 26100);
	expect_refusal(&os, NULL, NULL,
		       "build 26100's built-in facts (26100, from systeminformer/kphdyn.xml) are "
		       "incomplete, too few to walk with",
		       "build 26100's built-in facts (26100, from systeminformer/kphdyn.xml) are incomplete, too few to walk with (ntkrnlmp.pdb ABCDEF0123456789ABCDEF0123456789-1); give --profile FILE");

	os = identity(NULL, 0, 7601);
	expect_refusal(&os, NULL, NULL,
		       "build 7601 has 2 built-in profiles (7601.17514, 7601.24540) and nothing was "
		       "given to tell them apart",
		       "build 7601 has 2 built-in profiles");

	struct scores none = { { NULL }, { 0 }, 0 };
	os = identity(NULL, 0, 19041);
	expect_refusal(&os, scored_probe, &none,
		       "none of build 19041's built-in profiles reads it (scores 19041.329 -1, "
		       "19041.3570 -1)",
		       "none of build 19041's built-in profiles reads it");

	os = identity("0123456789ABCDEF0123456789ABCDEF", 2, 10586);
	expect_refusal(&os, NULL, NULL, "no built-in profile is of build 10586",
		       "no structure profile for this image: no built-in profile is of build 10586 (ntkrnlmp.pdb 0123456789ABCDEF0123456789ABCDEF-2); ");

	os = identity(NULL, 0, 0);
	expect_refusal(&os, NULL, NULL, "neither the build nor the kernel's PDB is known",
		       "neither the build nor the kernel's PDB is known (the kernel's PDB GUID is unknown)");
	os = identity("0123456789ABCDEF0123456789ABCDEF", 1, 0);
	expect_refusal(&os, NULL, NULL, "the build is unknown and the PDB is not a built-in one",
		       "the build is unknown and the PDB is not a built-in one (ntkrnlmp.pdb "
		       "0123456789ABCDEF0123456789ABCDEF-1)");

	/* an x86 image of a build whose only profile is x64 */
	os = identity(NULL, 0, 9600);
	os.paging = PAGING_X86_PAE;
	expect_refusal(&os, NULL, NULL, "build 9600's built-in profiles are not for x86 PAE paging",
		       "build 9600's built-in profiles are not for x86 PAE paging");
}

static void test_choice_from_file(void)
{
	struct os_identity os = identity("606FF669409B00F7FC8C61A9C1670129", 1, 19041);
	struct profile_choice choice;
	char missing[4096];
	snprintf(missing, sizeof missing, "%s/no-such-profile.json", test_temp_dir());
	struct error *error = profile_choose(&os, missing, NULL, NULL, &choice);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_PTR_NULL(choice.profile);
	CU_ASSERT_EQUAL(choice.match, PROFILE_NOT_FOUND);
	error_free(error);

	/* The ISF loader and the generator read the same file: the same values. */
	const char *shared = shared_dir();
	if (shared == NULL) {
		printf("\n  skipped (the ISF half): ../shared is absent\n");
		return;
	}
	char path[4096];
	snprintf(path, sizeof path, "%s/symbols/jpcert-windows-symbol-tables/606FF669409B00F7FC8C61A9C1670129-1.json.xz",
		 shared);
	error = profile_choose(&os, path, NULL, NULL, &choice);
	if (error != NULL)
		printf("\n  %s", error->message);
	CU_ASSERT_PTR_NULL_FATAL(error);
	CU_ASSERT_EQUAL(choice.match, PROFILE_FROM_FILE);
	/* "given with --profile (PATH)", PATH cut where the reason ends */
	size_t prefix = strlen("given with --profile (");
	CU_ASSERT_EQUAL(strncmp(choice.reason, "given with --profile (", prefix), 0);
	size_t room = sizeof choice.reason - prefix - 1, length = strlen(path);
	CU_ASSERT_EQUAL(strncmp(choice.reason + prefix, path, length < room ? length : room), 0);
	const struct kernel_profile *builtin = named("19041.3570");
	for (size_t i = 0; i < profile_entry_count; i++) {
		const struct profile_entry *row = &profile_entries[i];
		bool same = row->kind == PROFILE_BITS_ENTRY
				    ? memcmp(member(choice.profile, row), member(builtin, row),
					     sizeof(struct profile_bits)) == 0
				    : value_of(choice.profile, row) == value_of(builtin, row);
		if (!same)
			printf("\n  %s differs between the ISF loader and the built-in table", row->id);
		CU_ASSERT_TRUE(same);
	}
	profile_choice_release(&choice);
	CU_ASSERT_PTR_NULL(choice.profile);
}

int main(void)
{
	static const struct test_case table[] = {
		{ "the committed table is what profile_table.py writes", test_table_is_generated },
		{ "values copied from struct-offsets.md", test_spot_values },
		{ "names, sources, PDBs and schemes", test_metadata },
		{ "every member inside its structure", test_members_inside_structures },
		{ "every complete Vista+ x64 profile has what the ALPC walk reads", test_alpc_walk_fields },
		{ NULL, NULL },
	};
	static const struct test_case choice[] = {
		{ "by PDB GUID and age", test_choice_by_pdb },
		{ "by build", test_choice_by_build },
		{ "by probe among a build's profiles", test_choice_by_probe },
		{ "refused, with the way out", test_choice_refused },
		{ "from an ISF file", test_choice_from_file },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = {
		{ "built-in profiles", table },
		{ "profile choice", choice },
	};
	return run_suites("test_profiles", suites, sizeof suites / sizeof suites[0]);
}
