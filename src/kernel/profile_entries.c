/* profile_fields.def as data: one row per size, field, bitfield and
 * symbol, in the order the list gives them, each saying where its value
 * lies in struct kernel_profile.  The ISF loader fills a profile through
 * these rows and the tests walk them, so nothing else repeats the list. */
#include "profile.h"

const struct profile_entry profile_entries[] = {
#define PROFILE_SIZE(id, structure)                                                    \
	{ PROFILE_SIZE_ENTRY, #id, structure, NULL, offsetof(struct kernel_profile, id##_size) },
#define PROFILE_FIELD(id, structure, path) \
	{ PROFILE_FIELD_ENTRY, #id, structure, path, offsetof(struct kernel_profile, id) },
#define PROFILE_BITS(id, structure, path) \
	{ PROFILE_BITS_ENTRY, #id, structure, path, offsetof(struct kernel_profile, id) },
#define PROFILE_SYMBOL(id, symbol) \
	{ PROFILE_SYMBOL_ENTRY, #id, NULL, symbol, offsetof(struct kernel_profile, id##_rva) },
#include "profile_fields.def"
#undef PROFILE_SIZE
#undef PROFILE_FIELD
#undef PROFILE_BITS
#undef PROFILE_SYMBOL
};

const size_t profile_entry_count = sizeof profile_entries / sizeof profile_entries[0];
