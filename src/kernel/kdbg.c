/* KdDebuggerDataBlock encoding, Windows 8 / 2012 and later on x64.
 *
 * When nt!KdpDataBlockEncoded is non-zero each 64-bit word E of the block
 * is stored scrambled.  The published decoding (dump-formats.md §6: vol2
 * win8_kdbg.py decode_kdbg, qemu contrib/elf2dmp/main.c kdbg_decode) is
 *     q = rol64(E ^ N, N & 0xff)
 *     q = bswap64(q ^ A)
 *     P = q ^ W
 * with N and W the values of nt!KiWaitNever and nt!KiWaitAlways and A the
 * address of nt!KdpDataBlockEncoded, all three known only from symbols.
 *
 * Our derivation from that formula: a rotation and a byte swap only move
 * bits, so both distribute over XOR (rol64(x ^ y, r) = rol64(x, r) ^
 * rol64(y, r), bswap64(x ^ y) = bswap64(x) ^ bswap64(y)); and a count of
 * 64-255 rotates like count & 63 (x64's ROL masks its count to 6 bits; 64
 * one-bit rotations are the identity).  So with r = N & 63
 *     P = bswap64(rol64(E, r)) ^ C,   C = bswap64(rol64(N, r)) ^ bswap64(A) ^ W
 * — one rotation and one 64-bit constant for the whole block: the key
 * (r, C).  Encoding is the inverse, E = ror64(bswap64(P ^ C), r), which
 * in the published terms is E = ror64(bswap64(P ^ W) ^ A, r) ^ N.
 *
 * So one word of known plaintext P at a known offset gives, for each of
 * the 64 rotations, C = P ^ bswap64(rol64(E, r)), and the other header
 * words tell the right r from the wrong: the decoded OwnerTag must read
 * "KDBG" (32 bits), Size must be plausible, List.Flink and Blink must be
 * kernel addresses.  The known plaintext is KernBase (+0x18) when the
 * kernel base is known; else the whole qword at +0x10, OwnerTag "KDBG"
 * below and a Size of a known encoding build above, and then the caller
 * must find "MZ" at the KernBase that key decodes to. */
#include <string.h>

#include "kernel_internal.h"

/* Header.Size of the builds that encode the block: vol2's kdbgsize
 * (dump-formats.md §6: Windows 8 0x360, Windows 10 from 14393 0x368, from
 * 17763 0x380).  The public symbol files agree: the public PDBs give no
 * _KDDEBUGGER_DATA64 type, but in the JPCERT ISF files under
 * ../shared/symbols the next symbol after KdDebuggerDataBlock lies 0x360
 * on (9600), 0x370 (14393: 0x368 aligned to 16) and 0x380 on (17763,
 * 19041, 20348, 22000). */
static const uint32_t encoding_build_sizes[] = { 0x360, 0x368, 0x380 };

/* The plausible Size range: the smallest vol2 knows (XP, 0x290) up to a
 * page, always a whole number of qwords (every known size is). */
enum { KDBG_SIZE_MIN = 0x290, KDBG_SIZE_MAX = 0x1000 };

static uint64_t rotate_left(uint64_t value, unsigned count)
{
	count &= 63;
	return count ? (value << count) | (value >> (64 - count)) : value;
}

void kdbg_decode(unsigned char *block, size_t length, uint64_t wait_never, uint64_t wait_always,
		 uint64_t encoded_flag_address)
{
	for (size_t i = 0; i + 8 <= length; i += 8) {
		uint64_t q;
		memcpy(&q, block + i, 8);
		q = rotate_left(q ^ wait_never, (unsigned)(wait_never & 0xff));
		q = __builtin_bswap64(q ^ encoded_flag_address);
		q ^= wait_always;
		memcpy(block + i, &q, 8);
	}
}

uint64_t kdbg_key_decode(struct kdbg_key key, uint64_t stored)
{
	return __builtin_bswap64(rotate_left(stored, key.rotation)) ^ key.constant;
}

bool is_x64_kernel_address(uint64_t va)
{
	return va >> 47 == 0x1ffff;
}

bool kdbg_header_plausible(const uint64_t plain[3])
{
	uint32_t tag = (uint32_t)plain[KDBG_TAG_AND_SIZE];
	uint32_t size = (uint32_t)(plain[KDBG_TAG_AND_SIZE] >> 32);
	return tag == KDBG_OWNER_TAG && size >= KDBG_SIZE_MIN && size <= KDBG_SIZE_MAX &&
	       size % 8 == 0 && is_x64_kernel_address(plain[KDBG_FLINK]) &&
	       is_x64_kernel_address(plain[KDBG_BLINK]);
}

static bool header_decodes(const uint64_t words[KDBG_WORDS], struct kdbg_key key)
{
	uint64_t plain[3];
	for (unsigned i = 0; i < 3; i++)
		plain[i] = kdbg_key_decode(key, words[i]);
	return kdbg_header_plausible(plain);
}

static void keep(struct kdbg_key key, struct kdbg_key *keys, unsigned max, unsigned *found)
{
	if (*found < max)
		keys[*found] = key;
	++*found;
}

unsigned kdbg_keys_from_kernel_base(const uint64_t words[KDBG_WORDS], uint64_t kernel_base,
				    struct kdbg_key *keys, unsigned max)
{
	unsigned found = 0;
	for (unsigned r = 0; r < 64; r++) {
		struct kdbg_key key = {
			r, kernel_base ^ __builtin_bswap64(rotate_left(words[KDBG_KERNBASE], r))
		};
		if (header_decodes(words, key))
			keep(key, keys, max, &found);
	}
	return found;
}

unsigned kdbg_keys_from_sizes(const uint64_t words[KDBG_WORDS], struct kdbg_key *keys,
			      unsigned max)
{
	unsigned found = 0;
	for (unsigned r = 0; r < 64; r++)
		for (size_t s = 0; s < sizeof encoding_build_sizes / sizeof *encoding_build_sizes; s++) {
			uint64_t plain = (uint64_t)encoding_build_sizes[s] << 32 | KDBG_OWNER_TAG;
			struct kdbg_key key = {
				r, plain ^ __builtin_bswap64(rotate_left(words[KDBG_TAG_AND_SIZE], r))
			};
			uint64_t base = kdbg_key_decode(key, words[KDBG_KERNBASE]);
			if (header_decodes(words, key) && base % 0x1000 == 0 &&
			    is_x64_kernel_address(base))
				keep(key, keys, max, &found);
		}
	return found;
}
