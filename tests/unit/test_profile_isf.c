/* `--profile FILE`: Volatility 3 ISF symbol tables loaded at run time
 * (src/kernel/profile_isf.c, isf_member.c, isf_file.c).
 *
 * With ../shared present: each JPCERT .json.xz gives the exact values
 * ../shared/docs/struct-offsets.md tabulates for its column (a few fields
 * of each kind per file, the PDB GUID/age, the schemes), and every entry
 * the built-in profile of the same PDB holds is equal in the loaded one.
 * Always: small ISF texts written here (not copied from any file) for the
 * path resolver (unnamed members, bitfields, whole-integer bits) and for
 * hostile input — bad and truncated JSON, no user_types, wrong types,
 * offsets outside their structure, bitfields past 64 bits, a type that
 * contains itself, truncated and corrupt xz, an xz stream that wants more
 * memory than allowed or decompresses past the cap — each with its exact
 * message. */
#include <inttypes.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "../../src/kernel/isf_internal.h"

/* ---- the JPCERT files against struct-offsets.md -------------------- */

static char jpcert_path[4096];

static struct kernel_profile *load_jpcert(const char *guid_age)
{
	const char *shared = shared_dir();
	if (!shared)
		return NULL;
	snprintf(jpcert_path, sizeof jpcert_path,
		 "%s/symbols/jpcert-windows-symbol-tables/%s.json.xz", shared, guid_age);
	struct kernel_profile *profile = NULL;
	struct error *error = profile_load_isf(jpcert_path, &profile);
	if (error) {
		fprintf(stderr, "%s\n", error->message);
		error_free(error);
	}
	CU_ASSERT_PTR_NOT_NULL(profile);
	return profile;
}

#define ASSERT_BITS(bits, o, b, w)                                            \
	do {                                                                 \
		CU_ASSERT_EQUAL((bits).offset, (o));                         \
		CU_ASSERT_EQUAL((bits).bit, (b));                            \
		CU_ASSERT_EQUAL((bits).width, (w));                          \
	} while (0)

static void assert_identity(const struct kernel_profile *p, const char *guid)
{
	char name[64];
	snprintf(name, sizeof name, "%s-1.json.xz", guid);
	CU_ASSERT_STRING_EQUAL(p->name, name);
	CU_ASSERT_STRING_EQUAL(p->source, jpcert_path);
	CU_ASSERT_STRING_EQUAL(p->pdb_guid, guid);
	CU_ASSERT_EQUAL(p->pdb_age, 1);
	CU_ASSERT_EQUAL(p->pointer_size, 8);
	CU_ASSERT_EQUAL(p->build, 0); /* the ISF does not say; the dump does */
	CU_ASSERT_FALSE(p->incomplete);
	CU_ASSERT_PTR_NULL(profile_first_missing(p));
}

static void jpcert_7601_24540(void)
{
	struct kernel_profile *p = load_jpcert("339E74133576439CBCDF7E0229DA3773-1");
	if (!p)
		return;
	assert_identity(p, "339E74133576439CBCDF7E0229DA3773");
	CU_ASSERT_EQUAL(p->object_header_scheme, OBJECT_HEADER_TYPE_INDEX);
	CU_ASSERT_EQUAL(p->handle_entry_scheme, HANDLE_ENTRY_HEADER_POINTER);
	CU_ASSERT_EQUAL(p->eprocess_size, 0x4f8);
	CU_ASSERT_EQUAL(p->eprocess_unique_process_id, 0x180);
	CU_ASSERT_EQUAL(p->kprocess_user_directory_table_base, 0x110);
	CU_ASSERT_EQUAL(p->ethread_cid, 0x3b8);
	CU_ASSERT_EQUAL(p->ethread_alpc_message_id, 0x460);
	CU_ASSERT_EQUAL(p->alpc_port_main_queue, 0x88);
	CU_ASSERT_EQUAL(p->alpc_port_direct_queue, PROFILE_ABSENT);
	CU_ASSERT_EQUAL(p->alpc_handle_table_lock, 0x10);
	ASSERT_BITS(p->kalpc_message_queue_type, 0x2c, 0, 2);
	ASSERT_BITS(p->kalpc_message_in_canceled_queue, PROFILE_ABSENT, 0, 0);
	ASSERT_BITS(p->alpc_port_has_completion_list, 0x16c, 14, 1);
	CU_ASSERT_EQUAL(p->ethread_lpc_reply_chain, PROFILE_ABSENT);
	CU_ASSERT_EQUAL(p->ps_active_process_head_rva, 0x21b940);
	CU_ASSERT_EQUAL(p->ob_header_cookie_rva, PROFILE_ABSENT);
	CU_ASSERT_EQUAL(p->alpc_port_object_type_rva, 0x2625d8);
	profile_free(p);
}

static void jpcert_9600(void)
{
	struct kernel_profile *p = load_jpcert("7C398E976BF945AD812B204DAFBC1A03-1");
	if (!p)
		return;
	assert_identity(p, "7C398E976BF945AD812B204DAFBC1A03");
	CU_ASSERT_EQUAL(p->object_header_scheme, OBJECT_HEADER_TYPE_INDEX);
	CU_ASSERT_EQUAL(p->handle_entry_scheme, HANDLE_ENTRY_POINTER_BITS);
	CU_ASSERT_EQUAL(p->eprocess_unique_process_id, 0x2e0);
	CU_ASSERT_EQUAL(p->kthread_stack_base, 0x38);
	CU_ASSERT_EQUAL(p->alpc_port_wait_queue, 0xd0);
	CU_ASSERT_EQUAL(p->kalpc_message_port_message, 0xd8);
	ASSERT_BITS(p->kalpc_message_queue_type, 0x28, 0, 2);
	ASSERT_BITS(p->handle_table_entry_object_pointer_bits, 0, 20, 44);
	CU_ASSERT_EQUAL(p->handle_table_entry_object, PROFILE_ABSENT);
	CU_ASSERT_EQUAL(p->ps_active_process_head_rva, 0x2a93a0);
	CU_ASSERT_EQUAL(p->nt_build_lab_rva, 0x2620);
	profile_free(p);
}

static void jpcert_14393(void)
{
	struct kernel_profile *p = load_jpcert("DBBC830E3E9A48FDA25A2144C146930E-1");
	if (!p)
		return;
	assert_identity(p, "DBBC830E3E9A48FDA25A2144C146930E");
	CU_ASSERT_EQUAL(p->object_header_scheme, OBJECT_HEADER_TYPE_COOKIE);
	CU_ASSERT_EQUAL(p->handle_entry_scheme, HANDLE_ENTRY_POINTER_BITS);
	CU_ASSERT_EQUAL(p->eprocess_unique_process_id, 0x2e8);
	CU_ASSERT_EQUAL(p->eprocess_alpc_context, 0x650);
	CU_ASSERT_EQUAL(p->alpc_communication_info_size, 0x50);
	CU_ASSERT_EQUAL(p->alpc_communication_info_close_message, 0x48);
	ASSERT_BITS(p->kalpc_message_queue_type, 0x28, 0, 3);
	ASSERT_BITS(p->kalpc_message_receiver_reference, 0x28, 14, 1);
	CU_ASSERT_EQUAL(p->ob_header_cookie_rva, 0x3a94c0);
	profile_free(p);
}

static void jpcert_17763(void)
{
	struct kernel_profile *p = load_jpcert("1806D020A6E46538D7AC3325FAC114D8-1");
	if (!p)
		return;
	assert_identity(p, "1806D020A6E46538D7AC3325FAC114D8");
	CU_ASSERT_EQUAL(p->eprocess_size, 0x858);
	CU_ASSERT_EQUAL(p->eprocess_unique_process_id, 0x2e0);
	CU_ASSERT_EQUAL(p->ethread_cid, 0x638);
	CU_ASSERT_EQUAL(p->kalpc_message_size, 0x118);
	ASSERT_BITS(p->kalpc_message_in_dispatch, 0x28, 15, 1);
	CU_ASSERT_EQUAL(p->ps_active_process_head_rva, 0x40e3a0);
	profile_free(p);
}

static void jpcert_19041_329(void)
{
	struct kernel_profile *p = load_jpcert("BBED7C2955FBE4522AAA23F4B8677AD9-1");
	if (!p)
		return;
	assert_identity(p, "BBED7C2955FBE4522AAA23F4B8677AD9");
	/* the ALPC handle table before the March 2022 change */
	CU_ASSERT_EQUAL(p->alpc_handle_table_size, 0x18);
	CU_ASSERT_EQUAL(p->alpc_handle_table_lock, 0x10);
	CU_ASSERT_EQUAL(p->alpc_handle_table_total_handles, 0x8);
	CU_ASSERT_EQUAL(p->alpc_communication_info_size, 0x48);
	ASSERT_BITS(p->kalpc_message_in_canceled_queue, PROFILE_ABSENT, 0, 0);
	CU_ASSERT_EQUAL(p->ps_active_process_head_rva, 0xc1e060);
	profile_free(p);
}

static void jpcert_19041_3570(void)
{
	struct kernel_profile *p = load_jpcert("606FF669409B00F7FC8C61A9C1670129-1");
	if (!p)
		return;
	assert_identity(p, "606FF669409B00F7FC8C61A9C1670129");
	CU_ASSERT_EQUAL(p->object_header_scheme, OBJECT_HEADER_TYPE_COOKIE);
	CU_ASSERT_EQUAL(p->handle_entry_scheme, HANDLE_ENTRY_POINTER_BITS);
	CU_ASSERT_EQUAL(p->list_entry_size, 0x10);
	CU_ASSERT_EQUAL(p->eprocess_unique_process_id, 0x440);
	CU_ASSERT_EQUAL(p->kthread_apc_state_process, 0xb8); /* through ApcState */
	CU_ASSERT_EQUAL(p->kthread_state, 0x184);            /* flattened by the converter */
	CU_ASSERT_EQUAL(p->ethread_cid, 0x478);
	CU_ASSERT_EQUAL(p->object_header_type_index, 0x18);
	CU_ASSERT_EQUAL(p->object_header_body, 0x30);
	CU_ASSERT_EQUAL(p->alpc_handle_table_lock, 0x8);
	CU_ASSERT_EQUAL(p->alpc_port_state, 0x1a0);
	ASSERT_BITS(p->alpc_port_type, 0x1a0, 1, 2);
	ASSERT_BITS(p->kalpc_message_queue_type, 0x28, 0, 3);
	ASSERT_BITS(p->kalpc_message_in_canceled_queue, 0x28, 16, 1);
	ASSERT_BITS(p->handle_table_entry_object_pointer_bits, 0, 20, 44);
	CU_ASSERT_EQUAL(p->port_message_message_id, 0x18);
	CU_ASSERT_EQUAL(p->port_message_type, 0x4); /* u2.s2.Type */
	CU_ASSERT_EQUAL(p->ps_active_process_head_rva, 0xc1e090);
	CU_ASSERT_EQUAL(p->ob_header_cookie_rva, 0xcfc728);
	CU_ASSERT_EQUAL(p->kd_debugger_data_block_rva, 0xc00b20);
	profile_free(p);
}

static void jpcert_20348(void)
{
	struct kernel_profile *p = load_jpcert("879AD95F3461091BB6318FA98072AD8E-1");
	if (!p)
		return;
	assert_identity(p, "879AD95F3461091BB6318FA98072AD8E");
	CU_ASSERT_EQUAL(p->eprocess_size, 0xbc0);
	CU_ASSERT_EQUAL(p->ethread_cid, 0x4c8);
	CU_ASSERT_EQUAL(p->ethread_alpc_message, 0x580);
	CU_ASSERT_EQUAL(p->ps_active_process_head_rva, 0xc26400);
	CU_ASSERT_EQUAL(p->alpcp_port_list_rva, 0xc341e0);
	profile_free(p);
}

static void jpcert_22000(void)
{
	struct kernel_profile *p = load_jpcert("0CE4A95C0CD782A7596B034D8648E585-1");
	if (!p)
		return;
	assert_identity(p, "0CE4A95C0CD782A7596B034D8648E585");
	CU_ASSERT_EQUAL(p->eprocess_size, 0xb80);
	CU_ASSERT_EQUAL(p->ethread_alpc_message_id, 0x578);
	CU_ASSERT_EQUAL(p->alpc_port_direct_queue, 0xd0);
	ASSERT_BITS(p->kalpc_message_in_canceled_queue, 0x28, 16, 1);
	CU_ASSERT_EQUAL(p->ps_active_process_head_rva, 0xc1bfa0);
	CU_ASSERT_EQUAL(p->ke_number_processors_rva, 0xd06884);
	profile_free(p);
}

/* Field by field: what the built-in profile of the same PDB holds, the
 * loaded one holds too, equal. */
static size_t differences(const struct kernel_profile *builtin, const struct kernel_profile *loaded)
{
	size_t differ = 0;
	for (size_t i = 0; i < profile_entry_count; i++) {
		const struct profile_entry *entry = &profile_entries[i];
		const char *a = (const char *)builtin + entry->member, *b = (const char *)loaded + entry->member;
		size_t size = entry->kind == PROFILE_SYMBOL_ENTRY ? sizeof(int64_t)
			      : entry->kind == PROFILE_BITS_ENTRY ? sizeof(struct profile_bits)
								  : sizeof(int32_t);
		int64_t absent = 0;
		if (entry->kind == PROFILE_SYMBOL_ENTRY)
			memcpy(&absent, a, sizeof absent);
		else if (entry->kind == PROFILE_BITS_ENTRY)
			absent = ((const struct profile_bits *)(const void *)a)->offset;
		else
			absent = *(const int32_t *)(const void *)a;
		if (absent == PROFILE_ABSENT)
			continue;
		if (entry->kind == PROFILE_BITS_ENTRY) {
			const struct profile_bits *x = (const void *)a, *y = (const void *)b;
			if (x->offset == y->offset && x->bit == y->bit && x->width == y->width)
				continue;
		} else if (memcmp(a, b, size) == 0) {
			continue;
		}
		fprintf(stderr, "%s: %s differs from the built-in %s\n", loaded->name, entry->id,
			builtin->name);
		differ++;
	}
	return differ;
}

static void every_builtin_entry_equals_the_loaded_one(void)
{
	static const char *const files[] = {
		"339E74133576439CBCDF7E0229DA3773-1", "7C398E976BF945AD812B204DAFBC1A03-1",
		"DBBC830E3E9A48FDA25A2144C146930E-1", "1806D020A6E46538D7AC3325FAC114D8-1",
		"BBED7C2955FBE4522AAA23F4B8677AD9-1", "606FF669409B00F7FC8C61A9C1670129-1",
		"879AD95F3461091BB6318FA98072AD8E-1", "0CE4A95C0CD782A7596B034D8648E585-1",
	};
	size_t compared = 0;
	for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
		struct kernel_profile *loaded = load_jpcert(files[f]);
		if (!loaded)
			return;
		const struct kernel_profile *builtin = NULL;
		for (size_t i = 0; i < builtin_profile_count; i++)
			if (strcmp(builtin_profiles[i].pdb_guid, loaded->pdb_guid) == 0 &&
			    builtin_profiles[i].pdb_age == loaded->pdb_age)
				builtin = &builtin_profiles[i];
		CU_ASSERT_PTR_NOT_NULL(builtin);
		if (builtin) {
			CU_ASSERT_EQUAL(differences(builtin, loaded), 0);
			CU_ASSERT_EQUAL(builtin->object_header_scheme, loaded->object_header_scheme);
			CU_ASSERT_EQUAL(builtin->handle_entry_scheme, loaded->handle_entry_scheme);
			CU_ASSERT_EQUAL(builtin->pointer_size, loaded->pointer_size);
			compared++;
		}
		profile_free(loaded);
	}
	CU_ASSERT_EQUAL(compared, 8);
}

/* ---- small hand-written tables ------------------------------------- */

/* A minimal table: the pieces every test below varies. */
#define PDB_METADATA                                                                   \
	"\"metadata\": {\"format\": \"6.1.0\", \"windows\": {\"pdb\": {"                \
	"\"GUID\": \"00112233445566778899aabbccddeeff\", \"age\": 3, \"machine_type\": 34404}}}"
#define BASE_TYPES                                                                     \
	"\"base_types\": {\"pointer\": {\"kind\": \"int\", \"size\": 8}, "               \
	"\"unsigned long\": {\"kind\": \"int\", \"size\": 4}, "                          \
	"\"unsigned char\": {\"kind\": \"char\", \"size\": 1}}"
#define ULONG "{\"kind\": \"base\", \"name\": \"unsigned long\"}"

static struct error *parse(const char *text, struct kernel_profile **profile)
{
	return profile_parse_isf_text("t.json", "tests/t.json", text, strlen(text), profile);
}

static void expect_error(const char *text, enum error_code code, const char *message)
{
	struct kernel_profile *profile = NULL;
	struct error *error = parse(text, &profile);
	CU_ASSERT_PTR_NULL(profile);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_EQUAL(error->code, code);
	CU_ASSERT_STRING_EQUAL(error->message, message);
	if (strcmp(error->message, message) != 0)
		fprintf(stderr, "got: %s\n", error->message);
	error_free(error);
}

/* _KALPC_MESSAGE with u1 → an unnamed-type union → s1 → the bitfields,
 * as Volatility's converter writes it; _ETHREAD with Cid through an
 * unnamed member kept by another producer; _EPROCESS with a symbol. */
static const char small_table[] =
	"{" PDB_METADATA ", " BASE_TYPES ", \"symbols\": {\"PsActiveProcessHead\": {\"address\": 4096}},"
	" \"user_types\": {"
	"  \"_KALPC_MESSAGE\": {\"kind\": \"struct\", \"size\": 280, \"fields\": {"
	"    \"Entry\": {\"offset\": 0, \"type\": {\"kind\": \"struct\", \"name\": \"_LIST_ENTRY\"}},"
	"    \"u1\": {\"offset\": 40, \"type\": {\"kind\": \"union\", \"name\": \"__anonymous_1\"}}}},"
	"  \"__anonymous_1\": {\"kind\": \"union\", \"size\": 4, \"fields\": {"
	"    \"State\": {\"offset\": 0, \"type\": " ULONG "},"
	"    \"s1\": {\"offset\": 0, \"type\": {\"kind\": \"struct\", \"name\": \"__anonymous_2\"}}}},"
	"  \"__anonymous_2\": {\"kind\": \"struct\", \"size\": 4, \"fields\": {"
	"    \"QueueType\": {\"offset\": 0, \"type\": {\"kind\": \"bitfield\", \"bit_position\": 0,"
	"      \"bit_length\": 3, \"type\": " ULONG "}},"
	"    \"Canceled\": {\"offset\": 0, \"type\": {\"kind\": \"bitfield\", \"bit_position\": 7,"
	"      \"bit_length\": 1, \"type\": " ULONG "}}}},"
	"  \"_LIST_ENTRY\": {\"kind\": \"struct\", \"size\": 16, \"fields\": {}},"
	"  \"_ETHREAD\": {\"kind\": \"struct\", \"size\": 2048, \"fields\": {"
	"    \"__unnamed_9\": {\"offset\": 1024, \"type\": {\"kind\": \"union\", \"name\": \"__unnamed_9\"}},"
	"    \"LpcReceivedMsgIdValid\": {\"offset\": 1100, \"type\": {\"kind\": \"base\", \"name\": \"unsigned char\"}}}},"
	"  \"__unnamed_9\": {\"kind\": \"union\", \"size\": 16, \"fields\": {"
	"    \"Cid\": {\"offset\": 8, \"type\": {\"kind\": \"struct\", \"name\": \"_CLIENT_ID\"}}}}"
	" }}";

static void small_table_resolves(void)
{
	struct kernel_profile *p = NULL;
	struct error *error = parse(small_table, &p);
	CU_ASSERT_PTR_NULL(error);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_STRING_EQUAL(p->name, "t.json");
	CU_ASSERT_STRING_EQUAL(p->source, "tests/t.json");
	CU_ASSERT_STRING_EQUAL(p->pdb_guid, "00112233445566778899AABBCCDDEEFF");
	CU_ASSERT_EQUAL(p->pdb_age, 3);
	CU_ASSERT_EQUAL(p->pointer_size, 8);
	CU_ASSERT_EQUAL(p->list_entry_size, 16);
	CU_ASSERT_EQUAL(p->kalpc_message_size, 280);
	CU_ASSERT_EQUAL(p->kalpc_message_entry, 0);
	CU_ASSERT_EQUAL(p->kalpc_message_state, 40);
	ASSERT_BITS(p->kalpc_message_queue_type, 40, 0, 3);
	ASSERT_BITS(p->kalpc_message_canceled, 40, 7, 1);
	ASSERT_BITS(p->kalpc_message_ready, PROFILE_ABSENT, 0, 0);
	CU_ASSERT_EQUAL(p->ethread_cid, 1032); /* 1024 + 8 through the unnamed union */
	ASSERT_BITS(p->ethread_lpc_received_msg_id_valid, 1100, 0, 8); /* a whole byte here */
	CU_ASSERT_EQUAL(p->ps_active_process_head_rva, 4096);
	CU_ASSERT_EQUAL(p->ob_header_cookie_rva, PROFILE_ABSENT);
	CU_ASSERT_EQUAL(p->eprocess_unique_process_id, PROFILE_ABSENT);
	CU_ASSERT_EQUAL(p->object_header_scheme, OBJECT_HEADER_TYPE_POINTER);
	CU_ASSERT_EQUAL(p->handle_entry_scheme, HANDLE_ENTRY_HEADER_POINTER);
	CU_ASSERT_TRUE(p->incomplete);
	CU_ASSERT_STRING_EQUAL(profile_first_missing(p), "unicode_string_length");
	profile_free(p);
}

/* One _KALPC_MESSAGE member of the given JSON, in a table otherwise fine. */
static void message_member(char *out, size_t size, const char *member)
{
	snprintf(out, size,
		 "{" PDB_METADATA ", " BASE_TYPES ", \"user_types\": {"
		 "\"_KALPC_MESSAGE\": {\"kind\": \"struct\", \"size\": 280, \"fields\": {%s}}}}",
		 member);
}

static void hostile_members_are_named(void)
{
	char text[2048];
	message_member(text, sizeof text,
		       "\"u1\": {\"offset\": 40, \"type\": {\"kind\": \"union\", \"name\": \"U\"}}}},"
		       "\"U\": {\"kind\": \"union\", \"size\": 4, \"fields\": {"
		       "\"s1\": {\"offset\": 0, \"type\": {\"kind\": \"struct\", \"name\": \"S\"}}}},"
		       "\"S\": {\"kind\": \"struct\", \"size\": 4, \"fields\": {"
		       "\"QueueType\": {\"offset\": 0, \"type\": {\"kind\": \"bitfield\", \"bit_position\": 62,"
		       "\"bit_length\": 3, \"type\": " ULONG "}}");
	expect_error(text, ERROR_FORMAT,
		     "t.json: _KALPC_MESSAGE.u1.s1.QueueType: bits 62+3 do not fit in 64 bits");

	message_member(text, sizeof text,
		       "\"u1\": {\"offset\": 40, \"type\": {\"kind\": \"union\", \"name\": \"U\"}}}},"
		       "\"U\": {\"kind\": \"union\", \"size\": 4, \"fields\": {"
		       "\"s1\": {\"offset\": 0, \"type\": {\"kind\": \"struct\", \"name\": \"S\"}}}},"
		       "\"S\": {\"kind\": \"struct\", \"size\": 4, \"fields\": {"
		       "\"QueueType\": {\"offset\": 0, \"type\": {\"kind\": \"bitfield\", \"bit_position\": 30,"
		       "\"bit_length\": 3, \"type\": " ULONG "}}");
	expect_error(text, ERROR_FORMAT,
		     "t.json: _KALPC_MESSAGE.u1.s1.QueueType: bits 30+3 do not fit in its 4-byte unit");

	message_member(text, sizeof text, "\"Entry\": {\"offset\": 4096, \"type\": " ULONG "}");
	expect_error(text, ERROR_FORMAT,
		     "t.json: _KALPC_MESSAGE.Entry: offset 4096 lies outside the structure (size 0x118)");

	message_member(text, sizeof text, "\"Entry\": {\"offset\": -8, \"type\": " ULONG "}");
	expect_error(text, ERROR_FORMAT,
		     "t.json: _KALPC_MESSAGE.Entry: offset -8 lies outside the structure (size 0x118)");

	message_member(text, sizeof text, "\"Entry\": {\"offset\": \"0\", \"type\": " ULONG "}");
	expect_error(text, ERROR_FORMAT,
		     "t.json: _KALPC_MESSAGE.Entry is not an {offset, type} object");

	message_member(text, sizeof text, "\"Entry\": {\"offset\": 0, \"type\": {\"name\": \"x\"}}");
	expect_error(text, ERROR_FORMAT, "t.json: _KALPC_MESSAGE.Entry: a type without a kind");

	expect_error("{" PDB_METADATA ", " BASE_TYPES ", \"user_types\": {"
		     "\"_KALPC_MESSAGE\": {\"kind\": \"struct\", \"size\": 16777216, \"fields\": {}}}}",
		     ERROR_FORMAT,
		     "t.json: user_types._KALPC_MESSAGE: size 16777216 is out of range (0 to 1048576)");
	expect_error("{" PDB_METADATA ", " BASE_TYPES ", \"user_types\": {"
		     "\"_KALPC_MESSAGE\": {\"kind\": \"struct\", \"size\": 8, \"fields\": []}}}",
		     ERROR_FORMAT, "t.json: user_types._KALPC_MESSAGE has no fields object");
	expect_error("{" PDB_METADATA ", " BASE_TYPES ", \"symbols\": {\"PsActiveProcessHead\": "
		     "{\"address\": -5}}, \"user_types\": {}}",
		     ERROR_FORMAT,
		     "t.json: symbols.PsActiveProcessHead: address -5 is not an RVA in an image");
}

static void hostile_documents_are_named(void)
{
	expect_error("{\"user_types\": {", ERROR_TRUNCATED,
		     "t.json: offset 0x10: the JSON ends in the middle of a value");
	expect_error("", ERROR_TRUNCATED,
		     "t.json: offset 0x0: the JSON ends in the middle of a value");
	expect_error("{\"user_types\": nope}", ERROR_FORMAT,
		     "t.json: offset 0x10: not JSON: null expected");
	expect_error("{} {}", ERROR_FORMAT, "t.json: offset 0x3: text after the end of the JSON object");
	expect_error("[1, 2]", ERROR_FORMAT,
		     "t.json: not an ISF symbol table: the JSON is not an object");
	expect_error("{\"metadata\": {}}", ERROR_FORMAT,
		     "t.json: not an ISF symbol table: no user_types object");
	expect_error("{\"user_types\": {}, \"symbols\": 7}", ERROR_FORMAT,
		     "t.json: symbols is not an object");
	expect_error("{" PDB_METADATA ", " BASE_TYPES ", \"user_types\": {}}", ERROR_FORMAT,
		     "t.json: holds none of the Windows kernel structures alpcgraph reads");
	expect_error("{\"metadata\": {\"windows\": {\"pdb\": {\"GUID\": \"xyz\"}}}, " BASE_TYPES
		     ", \"user_types\": {\"_LIST_ENTRY\": {\"kind\": \"struct\", \"size\": 16, \"fields\": {}}}}",
		     ERROR_FORMAT, "t.json: metadata.windows.pdb.GUID is not 32 hex digits");
	expect_error("{\"base_types\": {\"pointer\": {\"size\": 3}}, "
		     "\"user_types\": {\"_LIST_ENTRY\": {\"kind\": \"struct\", \"size\": 16, \"fields\": {}}}}",
		     ERROR_FORMAT, "t.json: base_types.pointer: size 3 is neither 4 nor 8");
	expect_error("{\"user_types\": {\"_LIST_ENTRY\": {\"kind\": \"struct\", \"size\": 16, \"fields\": {}}}}",
		     ERROR_FORMAT,
		     "t.json: no pointer size: neither base_types.pointer nor a known machine_type (0)");
	/* A type whose unnamed member is itself: the search for each member
	 * stops, bounded, and finds nothing but the size. */
	struct kernel_profile *p = NULL;
	CU_ASSERT_PTR_NULL(parse("{" PDB_METADATA ", " BASE_TYPES ", \"user_types\": {"
				 "\"_KALPC_MESSAGE\": {\"kind\": \"struct\", \"size\": 8, \"fields\": {"
				 "\"__unnamed_1\": {\"offset\": 0, \"type\": {\"kind\": \"union\", "
				 "\"name\": \"_KALPC_MESSAGE\"}}}}}}",
				 &p));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(p->kalpc_message_size, 8);
	CU_ASSERT_EQUAL(p->kalpc_message_entry, PROFILE_ABSENT);
	ASSERT_BITS(p->kalpc_message_queue_type, PROFILE_ABSENT, 0, 0);
	CU_ASSERT_TRUE(p->incomplete);
	profile_free(p);
	/* More values than any symbol table: refused before json-c builds them */
	size_t many = (size_t)ISF_MAX_VALUES + 1;
	char *commas = malloc(many + 3);
	commas[0] = '[';
	memset(commas + 1, ',', many);
	commas[many + 1] = ']';
	commas[many + 2] = 0;
	expect_error(commas, ERROR_LIMIT,
		     "t.json: 4000002 JSON values in 0 objects: more than a symbol table holds "
		     "(at most 4000000 and 500000)");
	free(commas);
	size_t objects = (size_t)ISF_MAX_OBJECTS + 1;
	char *empties = malloc(objects * 3 + 2);
	empties[0] = '[';
	for (size_t i = 0; i < objects; i++)
		memcpy(empties + 1 + 3 * i, "{},", 3);
	empties[objects * 3] = ']';
	empties[objects * 3 + 1] = 0;
	expect_error(empties, ERROR_LIMIT,
		     "t.json: 1000002 JSON values in 500001 objects: more than a symbol table holds "
		     "(at most 4000000 and 500000)");
	free(empties);
	/* Nesting beyond what json-c is allowed */
	char deep[400];
	memset(deep, '[', 200);
	memset(deep + 200, ']', 199);
	deep[399] = 0;
	expect_error(deep, ERROR_FORMAT, "t.json: offset 0x40: not JSON: nesting too deep");
}

/* ---- files and xz -------------------------------------------------- */

static char *write_file(const char *name, const void *bytes, size_t length)
{
	static char path[4096];
	snprintf(path, sizeof path, "%s/%s", test_temp_dir(), name);
	FILE *file = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(file);
	CU_ASSERT_EQUAL(fwrite(bytes, 1, length, file), length);
	fclose(file);
	return path;
}

static uint8_t *xz(const char *text, size_t length, size_t *out_length)
{
	size_t capacity = lzma_stream_buffer_bound(length);
	uint8_t *out = malloc(capacity);
	*out_length = 0;
	CU_ASSERT_EQUAL_FATAL(lzma_easy_buffer_encode(1, LZMA_CHECK_CRC64, NULL, (const uint8_t *)text,
						      length, out, out_length, capacity),
			      LZMA_OK);
	return out;
}

static void expect_file_error(const char *path, enum error_code code, const char *detail)
{
	struct kernel_profile *profile = NULL;
	struct error *error = profile_load_isf(path, &profile);
	CU_ASSERT_PTR_NULL(profile);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_EQUAL(error->code, code);
	char message[8192];
	snprintf(message, sizeof message, "%s: %s", path, detail);
	CU_ASSERT_STRING_EQUAL(error->message, message);
	if (strcmp(error->message, message) != 0)
		fprintf(stderr, "got: %s\n", error->message);
	error_free(error);
}

static void json_and_xz_files_load_alike(void)
{
	struct kernel_profile *plain = NULL, *packed = NULL;
	char *path = write_file("small.json", small_table, strlen(small_table));
	CU_ASSERT_PTR_NULL(profile_load_isf(path, &plain));
	size_t length;
	uint8_t *bytes = xz(small_table, strlen(small_table), &length);
	/* the name says JSON; the bytes say xz, and win */
	path = write_file("small-really-xz.json", bytes, length);
	CU_ASSERT_PTR_NULL(profile_load_isf(path, &packed));
	CU_ASSERT_PTR_NOT_NULL_FATAL(plain);
	CU_ASSERT_PTR_NOT_NULL_FATAL(packed);
	CU_ASSERT_STRING_EQUAL(plain->name, "small.json");
	CU_ASSERT_STRING_EQUAL(packed->name, "small-really-xz.json");
	CU_ASSERT_STRING_EQUAL(packed->source, path);
	CU_ASSERT_EQUAL(packed->ethread_cid, 1032);
	ASSERT_BITS(packed->kalpc_message_queue_type, 40, 0, 3);
	CU_ASSERT_EQUAL(differences(plain, packed), 0);
	profile_free(plain);
	profile_free(packed);
	free(bytes);
}

static void damaged_xz_is_named(void)
{
	size_t length;
	uint8_t *bytes = xz(small_table, strlen(small_table), &length);
	char *path = write_file("cut.json.xz", bytes, length - 20);
	char detail[256];
	snprintf(detail, sizeof detail, "offset 0x%zx: the xz stream is cut short (%zu bytes decompressed)",
		 length - 20, strlen(small_table));
	expect_file_error(path, ERROR_TRUNCATED, detail);

	path = write_file("magic-only.json.xz", bytes, 6);
	expect_file_error(path, ERROR_TRUNCATED, "offset 0x6: the xz stream is cut short (0 bytes decompressed)");

	bytes[length / 2] ^= 0x55;
	path = write_file("corrupt.json.xz", bytes, length);
	struct kernel_profile *profile = NULL;
	struct error *error = profile_load_isf(path, &profile);
	CU_ASSERT_PTR_NULL(profile);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_EQUAL(error->code, ERROR_FORMAT);
	CU_ASSERT_PTR_NOT_NULL(strstr(error->message, ": corrupt xz data"));
	CU_ASSERT_EQUAL(strncmp(error->message, path, strlen(path)), 0);
	error_free(error);
	free(bytes);

	expect_file_error(test_temp_dir(), ERROR_IO, "not a regular file");
	char missing[4096];
	snprintf(missing, sizeof missing, "%s/none.json", test_temp_dir());
	expect_file_error(missing, ERROR_IO, "No such file or directory");
}

/* An xz stream whose LZMA2 dictionary says 4 GiB: the block header's
 * filter properties byte (40: the largest dictionary, .xz specification
 * §5.3.1) patched, its CRC32 recomputed.  liblzma refuses it at our
 * memory limit before allocating anything. */
static void xz_beyond_the_memory_limit_is_refused(void)
{
	size_t length;
	uint8_t *bytes = xz(small_table, strlen(small_table), &length);
	enum { STREAM_HEADER = 12 };
	size_t header_size = ((size_t)bytes[STREAM_HEADER] + 1) * 4;
	uint8_t *header = bytes + STREAM_HEADER;
	size_t at = 0;
	for (size_t i = 2; i + 2 < header_size - 4; i++)
		if (header[i] == 0x21 && header[i + 1] == 0x01) /* LZMA2, 1 property byte */
			at = i + 2;
	CU_ASSERT_NOT_EQUAL_FATAL(at, 0);
	header[at] = 40;
	uint32_t crc = lzma_crc32(header, header_size - 4, 0);
	for (int i = 0; i < 4; i++)
		header[header_size - 4 + (size_t)i] = (uint8_t)(crc >> (8 * i));
	char *path = write_file("greedy.json.xz", bytes, length);
	expect_file_error(path, ERROR_LIMIT,
			  "the xz stream needs 4096 MiB to decompress, more than the 128 MiB allowed");
	free(bytes);
}

/* 65 MiB of spaces, compressed as a stream in pieces: decompression
 * stops at the 64 MiB cap. */
static void xz_beyond_the_output_cap_is_refused(void)
{
	lzma_stream stream = LZMA_STREAM_INIT;
	CU_ASSERT_EQUAL_FATAL(lzma_easy_encoder(&stream, 0, LZMA_CHECK_CRC32), LZMA_OK);
	static uint8_t spaces[1 << 20];
	memset(spaces, ' ', sizeof spaces);
	size_t capacity = 1 << 20, used = 0;
	uint8_t *out = malloc(capacity);
	for (int piece = 0; piece <= 65; piece++) {
		stream.next_in = spaces;
		stream.avail_in = piece < 65 ? sizeof spaces : 0;
		lzma_action action = piece < 65 ? LZMA_RUN : LZMA_FINISH;
		for (;;) {
			stream.next_out = out + used;
			stream.avail_out = capacity - used;
			lzma_ret status = lzma_code(&stream, action);
			used = capacity - stream.avail_out;
			if (status == LZMA_STREAM_END || (action == LZMA_RUN && stream.avail_in == 0))
				break;
			CU_ASSERT_EQUAL_FATAL(status, LZMA_OK);
			if (stream.avail_out == 0)
				out = realloc(out, capacity *= 2);
		}
	}
	lzma_end(&stream);
	char *path = write_file("huge.json.xz", out, used);
	expect_file_error(path, ERROR_LIMIT, "decompresses to more than 64 MiB: not a symbol table");
	free(out);
}

int main(void)
{
	static const struct test_case jpcert[] = {
		{ "7601.24540", jpcert_7601_24540 },
		{ "9600", jpcert_9600 },
		{ "14393", jpcert_14393 },
		{ "17763", jpcert_17763 },
		{ "19041.329", jpcert_19041_329 },
		{ "19041.3570", jpcert_19041_3570 },
		{ "20348", jpcert_20348 },
		{ "22000", jpcert_22000 },
		{ "every built-in entry equals the loaded one", every_builtin_entry_equals_the_loaded_one },
		{ NULL, NULL },
	};
	static const struct test_case tables[] = {
		{ "a small table resolves", small_table_resolves },
		{ "hostile members are named", hostile_members_are_named },
		{ "hostile documents are named", hostile_documents_are_named },
		{ NULL, NULL },
	};
	static const struct test_case files[] = {
		{ "JSON and xz files load alike", json_and_xz_files_load_alike },
		{ "damaged xz is named", damaged_xz_is_named },
		{ "xz beyond the memory limit is refused", xz_beyond_the_memory_limit_is_refused },
		{ "xz beyond the output cap is refused", xz_beyond_the_output_cap_is_refused },
		{ NULL, NULL },
	};
	if (!shared_dir())
		puts("test_profile_isf: ../shared is not here; the JPCERT tables are not checked");
	static const struct test_suite suites[] = {
		{ "ISF: the JPCERT tables", jpcert },
		{ "ISF: small tables", tables },
		{ "ISF: files", files },
	};
	return run_suites("test_profile_isf", suites, sizeof suites / sizeof *suites);
}
