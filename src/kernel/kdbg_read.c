/* kdbg_read: one KDBG block at a known address, plain or decoded.  A block
 * whose OwnerTag already reads "KDBG" is plain — qemu's elf2dmp writes the
 * decoded block back into the image (dump-formats.md §6) — and is taken
 * as it is; anything else on x64 is tried as encoded (kdbg.c). */
#include <inttypes.h>
#include <string.h>

#include "kernel_internal.h"

/* More keys than this are reported as a count, not examined. */
enum { KEYS_KEPT = 8 };

static uint64_t pointer(enum paging_mode paging, uint64_t value)
{
	return paging == PAGING_X64 ? value : value & 0xffffffffULL;
}

static void fill(struct kdbg_block *block, enum paging_mode paging, const uint64_t plain[KDBG_WORDS])
{
	block->size = (uint32_t)(plain[KDBG_TAG_AND_SIZE] >> 32);
	block->kern_base = pointer(paging, plain[KDBG_KERNBASE]);
	block->ps_loaded_module_list = pointer(paging, plain[KDBG_MODULES]);
	block->ps_active_process_head = pointer(paging, plain[KDBG_PROCESSES]);
}

static bool starts_with_mz(struct address_space *space, uint64_t va)
{
	unsigned char start[2];
	struct error *error = virtual_read(space, va, start, 2);
	error_free(error);
	return !error && start[0] == 'M' && start[1] == 'Z';
}

static void decode_words(struct kdbg_key key, const uint64_t words[KDBG_WORDS],
			 uint64_t plain[KDBG_WORDS])
{
	for (unsigned i = 0; i < KDBG_WORDS; i++)
		plain[i] = kdbg_key_decode(key, words[i]);
}

/* The one decoding the keys agree on, else an error naming the trouble.
 * Keys that decode every word alike are one answer, not two. */
static struct error *choose_key(uint64_t address, const uint64_t words[KDBG_WORDS],
				const struct kdbg_key *keys, unsigned count, const char *plaintext,
				struct kdbg_key *chosen)
{
	if (count == 0)
		return error_new(ERROR_FORMAT,
				 "va 0x%" PRIx64 ": no \"KDBG\" OwnerTag, and no key decodes it to a "
				 "plausible header from %s",
				 address, plaintext);
	if (count > KEYS_KEPT)
		return error_new(ERROR_FORMAT,
				 "va 0x%" PRIx64 ": %u keys decode it from %s; not guessing",
				 address, count, plaintext);
	uint64_t first[KDBG_WORDS], other[KDBG_WORDS];
	decode_words(keys[0], words, first);
	for (unsigned i = 1; i < count; i++) {
		decode_words(keys[i], words, other);
		if (memcmp(first, other, sizeof first) != 0)
			return error_new(ERROR_FORMAT,
					 "va 0x%" PRIx64 ": %u keys decode it differently from %s "
					 "(rotations %u and %u); not guessing",
					 address, count, plaintext, keys[0].rotation, keys[i].rotation);
	}
	*chosen = keys[0];
	return NULL;
}

struct error *kdbg_read(struct address_space *space, enum paging_mode paging, uint64_t address,
			maybe_u64 kernel_base, struct kdbg_block *block)
{
	memset(block, 0, sizeof *block);
	block->address = address;
	unsigned char bytes[KDBG_WORDS * 8];
	struct error *error = virtual_read(space, address, bytes, sizeof bytes);
	if (error)
		return error;
	uint64_t words[KDBG_WORDS];
	for (unsigned i = 0; i < KDBG_WORDS; i++)
		memcpy(&words[i], bytes + 8 * i, 8);
	if ((uint32_t)words[KDBG_TAG_AND_SIZE] == KDBG_OWNER_TAG) {
		block->state = KDBG_PLAIN;
		fill(block, paging, words);
		return NULL;
	}
	if (paging != PAGING_X64)
		return error_new(ERROR_FORMAT,
				 "va 0x%" PRIx64 ": no \"KDBG\" OwnerTag (only x64 blocks are encoded)",
				 address);
	block->state = KDBG_ENCODED;

	struct kdbg_key keys[KEYS_KEPT];
	unsigned count;
	const char *plaintext;
	if (kernel_base.known) {
		count = kdbg_keys_from_kernel_base(words, kernel_base.value, keys, KEYS_KEPT);
		plaintext = "KernBase = the kernel base";
	} else {
		/* Keep the keys whose KernBase is an image; only those count. */
		struct kdbg_key candidates[KEYS_KEPT];
		unsigned found = kdbg_keys_from_sizes(words, candidates, KEYS_KEPT);
		count = 0;
		for (unsigned i = 0; i < found && i < KEYS_KEPT; i++)
			if (starts_with_mz(space, kdbg_key_decode(candidates[i], words[KDBG_KERNBASE])))
				keys[count++] = candidates[i];
		if (found > KEYS_KEPT)
			count = found;
		plaintext = "the tag, a known build's Size and \"MZ\" at KernBase";
	}
	struct kdbg_key key;
	if ((error = choose_key(address, words, keys, count, plaintext, &key)))
		return error;
	uint64_t plain[KDBG_WORDS];
	decode_words(key, words, plain);
	block->state = KDBG_DECODED;
	block->key = key;
	fill(block, paging, plain);
	return NULL;
}
