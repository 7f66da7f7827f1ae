/* libFuzzer target for the ISF loader behind --profile
 * (profile_parse_isf_text: json-c, the dotted-path resolver, metadata,
 * schemes), over JSON text; the xz layer is liblzma's and is tested with
 * damaged streams in test_profile_isf.
 *
 * Byte 0 chooses where the rest goes: 0 — the whole document; 1 — the
 * members of user_types in a table whose metadata and base types are
 * valid; 2 — the fields of _KALPC_MESSAGE there, beside a valid u1/s1
 * chain, so mutations reach the resolver rather than dying in the JSON
 * syntax.  Any input must give a profile or an error, never a crash, a
 * leak, a hang or undefined behaviour; a profile must hold only offsets
 * inside the bounds the loader promises (checked here, abort otherwise). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/kernel/isf_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char HEAD[] =
	"{\"metadata\": {\"windows\": {\"pdb\": {\"GUID\": \"606FF669409B00F7FC8C61A9C1670129\", "
	"\"age\": 1, \"machine_type\": 34404}}}, \"base_types\": {\"pointer\": {\"kind\": \"int\", "
	"\"size\": 8}, \"unsigned long\": {\"kind\": \"int\", \"size\": 4}}, "
	"\"symbols\": {\"ObHeaderCookie\": {\"address\": 4096}}, \"user_types\": {";
static const char MESSAGE_HEAD[] =
	"\"U\": {\"kind\": \"union\", \"size\": 4, \"fields\": {\"s1\": {\"offset\": 0, \"type\": "
	"{\"kind\": \"struct\", \"name\": \"S\"}}}}, \"S\": {\"kind\": \"struct\", \"size\": 4, "
	"\"fields\": {\"QueueType\": {\"offset\": 0, \"type\": {\"kind\": \"bitfield\", "
	"\"bit_position\": 0, \"bit_length\": 3, \"type\": {\"kind\": \"base\", \"name\": "
	"\"unsigned long\"}}}}}, \"_KALPC_MESSAGE\": {\"kind\": \"struct\", \"size\": 280, "
	"\"fields\": {\"u1\": {\"offset\": 40, \"type\": {\"kind\": \"union\", \"name\": \"U\"}}, ";

static void check(const struct kernel_profile *profile)
{
	for (size_t i = 0; i < profile_entry_count; i++) {
		const struct profile_entry *entry = &profile_entries[i];
		const char *at = (const char *)profile + entry->member;
		int64_t value;
		struct profile_bits bits = { 0 };
		if (entry->kind == PROFILE_SYMBOL_ENTRY) {
			memcpy(&value, at, sizeof value);
			if (value != PROFILE_ABSENT && (value < 0 || value > (int64_t)UINT32_MAX))
				abort();
			continue;
		}
		if (entry->kind == PROFILE_BITS_ENTRY) {
			memcpy(&bits, at, sizeof bits);
			value = bits.offset;
			if (value != PROFILE_ABSENT && (bits.width == 0 || bits.bit + bits.width > 64))
				abort();
		} else {
			int32_t narrow;
			memcpy(&narrow, at, sizeof narrow);
			value = narrow;
		}
		if (value != PROFILE_ABSENT && (value < 0 || value > ISF_MAX_STRUCT_SIZE))
			abort();
	}
	if (profile->pointer_size != 4 && profile->pointer_size != 8)
		abort();
	if (strlen(profile->pdb_guid) != 0 && strlen(profile->pdb_guid) != 32)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	unsigned mode = data[0] % 3;
	const char *body = (const char *)data + 1;
	size_t body_size = size - 1;
	char *text = malloc(sizeof HEAD + sizeof MESSAGE_HEAD + body_size + 8);
	size_t length = 0;
	if (mode >= 1) {
		memcpy(text, HEAD, sizeof HEAD - 1);
		length = sizeof HEAD - 1;
	}
	if (mode == 2) {
		memcpy(text + length, MESSAGE_HEAD, sizeof MESSAGE_HEAD - 1);
		length += sizeof MESSAGE_HEAD - 1;
	}
	memcpy(text + length, body, body_size);
	length += body_size;
	if (mode == 2)
		text[length++] = '}', text[length++] = '}';
	if (mode >= 1)
		text[length++] = '}', text[length++] = '}';
	text[length] = 0;
	struct kernel_profile *profile = NULL;
	struct error *error = profile_parse_isf_text("fuzz.json", "fuzz", text, length, &profile);
	if (error && profile)
		abort();
	if (profile) {
		check(profile);
		(void)profile_first_missing(profile);
	}
	profile_free(profile);
	error_free(error);
	free(text);
	return 0;
}
