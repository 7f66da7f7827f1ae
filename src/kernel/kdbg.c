/* KdDebuggerDataBlock decoding, Windows 8 / 2012 and later on x64: when
 * nt!KdpDataBlockEncoded is non-zero each 64-bit word q of the block is
 * stored scrambled; the reader undoes it as
 *     q = rol64(q ^ KiWaitNever, KiWaitNever & 0xff)
 *     q = bswap64(q ^ &KdpDataBlockEncoded)
 *     q = q ^ KiWaitAlways
 * (../shared/docs/dump-formats.md §6, from vol2 win8_kdbg.py and qemu's
 * contrib/elf2dmp).  A block whose OwnerTag at +0x10 already reads "KDBG"
 * is plain — elf2dmp writes decoded blocks back — and needs none of this. */
#include <string.h>

#include "kernel.h"

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
