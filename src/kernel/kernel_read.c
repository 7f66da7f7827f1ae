/* kernel_read: typed reads of kernel virtual memory through the profile.
 * Pointer-size aware (4 bytes under x86 paging, 8 under x64); a page the
 * image lacks is the memory room's ERROR_ABSENT naming the address, never
 * zeros. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kernel_internal.h"
#include "walk_internal.h"

/* The longest name a UNICODE_STRING may carry here: object names are
 * limited by their USHORT Length (32767 characters); we read at most
 * this many bytes of one. */
enum { UNICODE_READ_MAX = 2048 };

void kernel_warnings_say(struct kernel_warnings warnings, uint64_t address, const char *format,
			 va_list args)
{
	if (!warnings.warn)
		return;
	char text[512];
	vsnprintf(text, sizeof text, format, args);
	warnings.warn(warnings.context, address, text);
}

void kernel_warn(struct kernel *kernel, uint64_t address, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	kernel_warnings_say(kernel->warnings, address, format, args);
	va_end(args);
}

bool is_kernel_address(unsigned pointer_size, uint64_t va)
{
	if (pointer_size == 8)
		return is_x64_kernel_address(va);
	return va >= 0x80000000ULL && va <= 0xffffffffULL;
}

bool kernel_address_ok(const struct kernel *kernel, uint64_t va, unsigned alignment)
{
	if (alignment && (va & (alignment - 1)))
		return false;
	return is_kernel_address(kernel->pointer_size, va);
}

struct error *kernel_need(const struct kernel *kernel, int32_t offset, const char *what)
{
	if (offset != PROFILE_ABSENT)
		return NULL;
	return error_new(ERROR_UNSUPPORTED, "profile %s has no %s", kernel->profile->name, what);
}

struct error *kernel_read(struct kernel *kernel, uint64_t va, void *buffer, size_t length)
{
	return virtual_read(kernel->space, va, buffer, length);
}

static uint64_t little_endian(const unsigned char *bytes, size_t length)
{
	uint64_t value = 0;
	for (size_t i = length; i-- > 0;)
		value = value << 8 | bytes[i];
	return value;
}

static struct error *read_unsigned(struct kernel *kernel, uint64_t va, size_t length, uint64_t *value)
{
	unsigned char bytes[8];
	struct error *error = kernel_read(kernel, va, bytes, length);
	if (!error)
		*value = little_endian(bytes, length);
	return error;
}

struct error *kernel_read_pointer(struct kernel *kernel, uint64_t va, uint64_t *value)
{
	return read_unsigned(kernel, va, kernel->pointer_size, value);
}

struct error *kernel_read_u8(struct kernel *kernel, uint64_t va, uint8_t *value)
{
	uint64_t wide = 0;
	struct error *error = read_unsigned(kernel, va, 1, &wide);
	*value = (uint8_t)wide;
	return error;
}

struct error *kernel_read_u16(struct kernel *kernel, uint64_t va, uint16_t *value)
{
	uint64_t wide = 0;
	struct error *error = read_unsigned(kernel, va, 2, &wide);
	*value = (uint16_t)wide;
	return error;
}

struct error *kernel_read_u32(struct kernel *kernel, uint64_t va, uint32_t *value)
{
	uint64_t wide = 0;
	struct error *error = read_unsigned(kernel, va, 4, &wide);
	*value = (uint32_t)wide;
	return error;
}

struct error *kernel_read_u64(struct kernel *kernel, uint64_t va, uint64_t *value)
{
	return read_unsigned(kernel, va, 8, value);
}

struct error *kernel_read_block(struct kernel *kernel, uint64_t va, size_t length, struct kernel_block *block)
{
	if (length > KERNEL_BLOCK_MAX)
		length = KERNEL_BLOCK_MAX;
	block->va = va;
	block->length = 0;
	struct error *error = kernel_read(kernel, va, block->bytes, length);
	if (!error)
		block->length = length;
	return error;
}

bool bytes_field(const unsigned char *bytes, size_t size, int32_t offset, size_t width,
		 uint64_t *value)
{
	if (offset < 0 || width > 8 || (size_t)offset + width > size)
		return false;
	*value = little_endian(bytes + offset, width);
	return true;
}

bool bytes_bits(const unsigned char *bytes, size_t size, struct profile_bits bits, uint64_t *value)
{
	if (bits.width == 0 || bits.width > 64 || bits.bit >= 64 || bits.bit + bits.width > 64)
		return false;
	uint64_t unit;
	if (!bytes_field(bytes, size, bits.offset, (bits.bit + bits.width + 7u) / 8u, &unit))
		return false;
	unit >>= bits.bit;
	*value = bits.width == 64 ? unit : unit & ((1ULL << bits.width) - 1);
	return true;
}

static bool block_unsigned(const struct kernel_block *block, int32_t offset, size_t width, uint64_t *value)
{
	return bytes_field(block->bytes, block->length, offset, width, value);
}

bool block_u8(const struct kernel_block *block, int32_t offset, uint8_t *value)
{
	uint64_t wide;
	if (!block_unsigned(block, offset, 1, &wide))
		return false;
	*value = (uint8_t)wide;
	return true;
}

bool block_u16(const struct kernel_block *block, int32_t offset, uint16_t *value)
{
	uint64_t wide;
	if (!block_unsigned(block, offset, 2, &wide))
		return false;
	*value = (uint16_t)wide;
	return true;
}

bool block_u32(const struct kernel_block *block, int32_t offset, uint32_t *value)
{
	uint64_t wide;
	if (!block_unsigned(block, offset, 4, &wide))
		return false;
	*value = (uint32_t)wide;
	return true;
}

bool block_u64(const struct kernel_block *block, int32_t offset, uint64_t *value)
{
	return block_unsigned(block, offset, 8, value);
}

bool block_pointer(const struct kernel *kernel, const struct kernel_block *block, int32_t offset,
		   uint64_t *value)
{
	return block_unsigned(block, offset, kernel->pointer_size, value);
}

bool block_bits(const struct kernel_block *block, struct profile_bits bits, uint64_t *value)
{
	return bytes_bits(block->bytes, block->length, bits, value);
}

size_t block_extent(const int32_t *offsets, size_t count, size_t width)
{
	size_t extent = 0;
	for (size_t i = 0; i < count; i++)
		if (offsets[i] >= 0 && (size_t)offsets[i] + width > extent)
			extent = (size_t)offsets[i] + width;
	return extent;
}

/* UTF-16LE to UTF-8; unpaired surrogates become U+FFFD. */
static void utf16_to_utf8(const unsigned char *in, size_t units, char *out, size_t size)
{
	size_t used = 0;
	for (size_t i = 0; i < units; i++) {
		uint32_t c = (uint32_t)in[2 * i] | (uint32_t)in[2 * i + 1] << 8;
		if (c >= 0xd800 && c < 0xdc00 && i + 1 < units) {
			uint32_t low = (uint32_t)in[2 * i + 2] | (uint32_t)in[2 * i + 3] << 8;
			if (low >= 0xdc00 && low < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
				i++;
			} else {
				c = 0xfffd;
			}
		} else if (c >= 0xd800 && c < 0xe000) {
			c = 0xfffd;
		}
		char bytes[4];
		size_t n;
		if (c < 0x80) {
			bytes[0] = (char)c;
			n = 1;
		} else if (c < 0x800) {
			bytes[0] = (char)(0xc0 | c >> 6);
			bytes[1] = (char)(0x80 | (c & 0x3f));
			n = 2;
		} else if (c < 0x10000) {
			bytes[0] = (char)(0xe0 | c >> 12);
			bytes[1] = (char)(0x80 | (c >> 6 & 0x3f));
			bytes[2] = (char)(0x80 | (c & 0x3f));
			n = 3;
		} else {
			bytes[0] = (char)(0xf0 | c >> 18);
			bytes[1] = (char)(0x80 | (c >> 12 & 0x3f));
			bytes[2] = (char)(0x80 | (c >> 6 & 0x3f));
			bytes[3] = (char)(0x80 | (c & 0x3f));
			n = 4;
		}
		if (used + n + 1 > size)
			break;
		memcpy(out + used, bytes, n);
		used += n;
	}
	out[used] = '\0';
}

struct error *kernel_read_unicode(struct kernel *kernel, uint64_t va, char *text, size_t size)
{
	const struct kernel_profile *p = kernel->profile;
	text[0] = '\0';
	struct error *error = kernel_need(kernel, p->unicode_string_length, "_UNICODE_STRING.Length");
	if (!error)
		error = kernel_need(kernel, p->unicode_string_buffer, "_UNICODE_STRING.Buffer");
	if (error)
		return error;
	uint16_t length = 0, maximum = 0;
	uint64_t buffer = 0;
	error = kernel_read_u16(kernel, va + (uint64_t)p->unicode_string_length, &length);
	if (!error && p->unicode_string_maximum_length != PROFILE_ABSENT)
		error = kernel_read_u16(kernel, va + (uint64_t)p->unicode_string_maximum_length, &maximum);
	else
		maximum = length;
	if (!error)
		error = kernel_read_pointer(kernel, va + (uint64_t)p->unicode_string_buffer, &buffer);
	if (error)
		return error;
	if (length == 0)
		return NULL;
	if ((length & 1) || length > maximum)
		return error_new(ERROR_FORMAT,
				 "va 0x%" PRIx64 ": a UNICODE_STRING of Length %u, MaximumLength %u", va,
				 length, maximum);
	if (!kernel_address_ok(kernel, buffer, 2))
		return error_new(ERROR_FORMAT,
				 "va 0x%" PRIx64 ": a UNICODE_STRING whose Buffer 0x%" PRIx64
				 " is no kernel address",
				 va, buffer);
	unsigned char bytes[UNICODE_READ_MAX];
	size_t take = length < sizeof bytes ? length : sizeof bytes;
	error = kernel_read(kernel, buffer, bytes, take);
	if (error)
		return error;
	utf16_to_utf8(bytes, take / 2, text, size);
	return NULL;
}
