/* Damage for robustness tests: small, exact edits to a dump the forge
 * wrote, so a test knows which bytes lie.  Offsets: dump-formats.md §1-2
 * (headers), §5.1 (bitmap), §5.3 (RDMP), and the ELF64 gABI for cores. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "forge_internal.h"

/* How many pages FORGE_BITMAP_OVERCLAIMS claims beyond the file. */
#define OVERCLAIMED_PAGES 16

enum dump_kind { KIND_OTHER, KIND_WINDOWS64, KIND_WINDOWS32, KIND_ELF64 };

/* Where PhysicalMemoryBlock and DumpType lie in each header (§1, §2). */
struct windows_fields {
	uint64_t run_count, page_count, runs, dump_type;
	unsigned field_size; /* of NumberOfPages, BasePage and PageCount */
};
static const struct windows_fields header64 = { 0x88, 0x90, 0x98, 0xf98, 8 };
static const struct windows_fields header32 = { 0x64, 0x68, 0x6c, 0xf88, 4 };

struct damaged_file {
	int fd;
	const char *path;
	uint64_t size;
};

static struct error *read_at(struct damaged_file *file, void *bytes, size_t length, uint64_t offset)
{
	ssize_t got = pread(file->fd, bytes, length, (off_t)offset);
	if (got < 0)
		return error_at_offset(ERROR_IO, file->path, offset, "cannot read: %s", strerror(errno));
	if ((size_t)got != length)
		return error_at_offset(ERROR_TRUNCATED, file->path, offset,
				       "the file ends inside the structure to damage");
	return NULL;
}

static struct error *write_at(struct damaged_file *file, const void *bytes, size_t length, uint64_t offset)
{
	ssize_t done = pwrite(file->fd, bytes, length, (off_t)offset);
	if (done < 0 || (size_t)done != length)
		return error_at_offset(ERROR_IO, file->path, offset, "cannot write: %s",
				       done < 0 ? strerror(errno) : "short write");
	return NULL;
}

static struct error *read_u64(struct damaged_file *file, uint64_t offset, unsigned size, uint64_t *value)
{
	uint8_t bytes[8];
	struct error *error = read_at(file, bytes, size, offset);
	if (!error)
		*value = size == 4 ? get_le32(bytes) : get_le64(bytes);
	return error;
}

static struct error *write_u64(struct damaged_file *file, uint64_t offset, unsigned size, uint64_t value)
{
	uint8_t bytes[8];
	if (size == 4)
		put_le32(bytes, (uint32_t)value);
	else
		put_le64(bytes, value);
	return write_at(file, bytes, size, offset);
}

static struct error *add_u64(struct damaged_file *file, uint64_t offset, unsigned size, uint64_t amount)
{
	uint64_t value;
	struct error *error = read_u64(file, offset, size, &value);
	return error ? error : write_u64(file, offset, size, value + amount);
}

static enum dump_kind kind_of(const uint8_t signature[8])
{
	if (memcmp(signature, "PAGEDU64", 8) == 0)
		return KIND_WINDOWS64;
	if (memcmp(signature, "PAGEDUMP", 8) == 0)
		return KIND_WINDOWS32;
	if (memcmp(signature, ELFMAG, SELFMAG) == 0 && signature[EI_CLASS] == ELFCLASS64)
		return KIND_ELF64;
	return KIND_OTHER;
}

/* The first two PT_LOAD headers' offsets (0 when absent) and the last's. */
struct elf_loads {
	uint64_t first, second, last;
};

static struct error *find_loads(struct damaged_file *file, struct elf_loads *loads)
{
	uint8_t ehdr[64];
	struct error *error = read_at(file, ehdr, sizeof ehdr, 0);
	if (error)
		return error;
	uint64_t phoff = get_le64(ehdr + 0x20);
	unsigned count = ehdr[0x38] | ehdr[0x39] << 8, entry = ehdr[0x36] | ehdr[0x37] << 8;
	*loads = (struct elf_loads){ 0 };
	for (unsigned i = 0; i < count; i++) {
		uint64_t type, at = phoff + (uint64_t)i * entry;
		if ((error = read_u64(file, at, 4, &type)))
			return error;
		if (type != PT_LOAD)
			continue;
		if (!loads->first)
			loads->first = at;
		else if (!loads->second)
			loads->second = at;
		loads->last = at;
	}
	return NULL;
}

/* The RDMP range list (§5.3): entries from 0x2030 up to a PFN of 0. */
static struct error *count_rdmp_ranges(struct damaged_file *file, uint64_t *count)
{
	uint64_t first_page;
	struct error *error = read_u64(file, 0x2018, 8, &first_page);
	*count = 0;
	for (uint64_t at = 0x2030; !error && at + 16 <= first_page; at += 16) {
		uint64_t pfn;
		if ((error = read_u64(file, at, 8, &pfn)) || pfn == 0)
			break;
		++*count;
	}
	return error;
}

static struct error *overclaim_bitmap(struct damaged_file *file)
{
	uint64_t bits;
	struct error *error = read_u64(file, 0x2030, 8, &bits);
	if (error)
		return error;
	size_t size = (size_t)((bits + 7) / 8);
	uint8_t *bitmap = checked_malloc(size ? size : 1);
	error = read_at(file, bitmap, size, 0x2038);
	/* The highest clear bits: the pages before them keep their place in
	 * the file, and the claimed ones lie past its end. */
	unsigned set = 0;
	for (uint64_t pfn = bits; !error && pfn > 0 && set < OVERCLAIMED_PAGES; pfn--) {
		uint64_t bit = pfn - 1;
		if (!(bitmap[bit / 8] >> (bit % 8) & 1)) {
			bitmap[bit / 8] |= (uint8_t)(1u << (bit % 8));
			set++;
		}
	}
	if (!error)
		error = write_at(file, bitmap, size, 0x2038);
	free(bitmap);
	return error ? error : add_u64(file, 0x2028, 8, OVERCLAIMED_PAGES);
}

static struct error *overclaim(struct damaged_file *file, enum dump_kind kind, uint32_t dump_type)
{
	const struct windows_fields *w = kind == KIND_WINDOWS64 ? &header64 : &header32;
	struct error *error;
	uint64_t runs, ranges, total_pages = OVERCLAIMED_PAGES * FORGE_PAGE_SIZE;
	struct elf_loads loads;
	if (kind == KIND_ELF64) {
		if ((error = find_loads(file, &loads)))
			return error;
		if (!loads.last)
			return error_in_file(ERROR_USAGE, file->path, "forge_damage: no PT_LOAD");
		if ((error = add_u64(file, loads.last + 0x20, 8, total_pages)))
			return error;
		return add_u64(file, loads.last + 0x28, 8, total_pages);
	}
	switch (dump_type) {
	case 1: /* the last run grows; NumberOfPages with it */
		if ((error = read_u64(file, w->run_count, 4, &runs)))
			return error;
		if (runs == 0)
			return error_in_file(ERROR_USAGE, file->path, "forge_damage: no runs");
		if ((error = add_u64(file, w->runs + (2 * (runs - 1) + 1) * w->field_size, w->field_size,
				     OVERCLAIMED_PAGES)))
			return error;
		return add_u64(file, w->page_count, w->field_size, OVERCLAIMED_PAGES);
	case 5:
	case 6:
		if (kind == KIND_WINDOWS64)
			return overclaim_bitmap(file);
		break;
	case 8:
	case 0xa:
		if ((error = count_rdmp_ranges(file, &ranges)))
			return error;
		if (ranges == 0)
			return error_in_file(ERROR_USAGE, file->path, "forge_damage: no RDMP ranges");
		if ((error = add_u64(file, 0x2030 + 16 * (ranges - 1) + 8, 8, OVERCLAIMED_PAGES)))
			return error;
		return dump_type == 0xa ? add_u64(file, 0x2028, 8, OVERCLAIMED_PAGES) : NULL;
	}
	return error_in_file(ERROR_UNSUPPORTED, file->path,
			     "forge_damage: DumpType 0x%x holds no pages to overclaim", dump_type);
}

static struct error *overlap(struct damaged_file *file, enum dump_kind kind, uint32_t dump_type)
{
	const struct windows_fields *w = kind == KIND_WINDOWS64 ? &header64 : &header32;
	struct error *error;
	uint64_t count, first;
	if (kind == KIND_ELF64) {
		struct elf_loads loads;
		if ((error = find_loads(file, &loads)))
			return error;
		if (!loads.second)
			return error_in_file(ERROR_USAGE, file->path, "forge_damage: fewer than 2 PT_LOADs");
		if ((error = read_u64(file, loads.first + 0x10, 8, &first)) ||
		    (error = write_u64(file, loads.second + 0x10, 8, first)))
			return error;
		return write_u64(file, loads.second + 0x18, 8, first);
	}
	if (dump_type == 8 || dump_type == 0xa) {
		/* RDMP maps its pages by the range list, not by the runs. */
		if ((error = count_rdmp_ranges(file, &count)))
			return error;
		if (count < 2)
			return error_in_file(ERROR_USAGE, file->path, "forge_damage: fewer than 2 RDMP ranges");
		if ((error = read_u64(file, 0x2030, 8, &first)))
			return error;
		return write_u64(file, 0x2040, 8, first);
	}
	if ((error = read_u64(file, w->run_count, 4, &count)))
		return error;
	if (count < 2)
		return error_in_file(ERROR_USAGE, file->path, "forge_damage: fewer than 2 runs");
	if ((error = read_u64(file, w->runs, w->field_size, &first)))
		return error;
	return write_u64(file, w->runs + 2 * w->field_size, w->field_size, first);
}

static struct error *damage_file(struct damaged_file *file, enum forge_damage damage, uint64_t at)
{
	if (damage == FORGE_TRUNCATE) {
		if (at > file->size)
			return error_in_file(ERROR_USAGE, file->path,
					     "forge_damage: cannot truncate at 0x%llx past the end",
					     (unsigned long long)at);
		if (ftruncate(file->fd, (off_t)at) != 0)
			return error_in_file(ERROR_IO, file->path, "cannot truncate: %s", strerror(errno));
		return NULL;
	}
	uint8_t signature[8];
	struct error *error = read_at(file, signature, sizeof signature, 0);
	if (error)
		return error;
	enum dump_kind kind = kind_of(signature);
	uint64_t dump_type = 0;
	if (kind == KIND_WINDOWS64 || kind == KIND_WINDOWS32) {
		const struct windows_fields *w = kind == KIND_WINDOWS64 ? &header64 : &header32;
		if ((error = read_u64(file, w->dump_type, 4, &dump_type)))
			return error;
	}
	if (kind == KIND_OTHER)
		return error_in_file(ERROR_UNSUPPORTED, file->path,
				     "forge_damage: not a Windows dump or ELF core");
	switch (damage) {
	case FORGE_BAD_SIGNATURE:
		/* "PAGE" -> "XAGE"; "\x7fELF" -> "\x7fXLF". */
		return write_at(file, "X", 1, kind == KIND_ELF64 ? 1 : 0);
	case FORGE_BITMAP_OVERCLAIMS:
		return overclaim(file, kind, (uint32_t)dump_type);
	case FORGE_ABSURD_RUNS:
		if (kind == KIND_ELF64) { /* e_phnum: headers far past the end */
			uint8_t count[2];
			put_le16(count, 0xfffe);
			return write_at(file, count, sizeof count, 0x38);
		}
		return write_u64(file, (kind == KIND_WINDOWS64 ? &header64 : &header32)->run_count, 4,
				 0xffffffff);
	case FORGE_OVERLAPPING_RUNS:
		return overlap(file, kind, (uint32_t)dump_type);
	case FORGE_TRUNCATE:
		break;
	}
	return error_in_file(ERROR_USAGE, file->path, "forge_damage: unknown damage %d", (int)damage);
}

struct error *forge_damage(const char *path, enum forge_damage damage, uint64_t at)
{
	struct damaged_file file = { .path = path };
	file.fd = open(path, O_RDWR | O_CLOEXEC);
	if (file.fd < 0)
		return error_in_file(ERROR_IO, path, "cannot open: %s", strerror(errno));
	struct stat info;
	struct error *error = NULL;
	if (fstat(file.fd, &info) != 0)
		error = error_in_file(ERROR_IO, path, "cannot stat: %s", strerror(errno));
	else
		file.size = (uint64_t)info.st_size;
	if (!error)
		error = damage_file(&file, damage, at);
	if (close(file.fd) != 0 && !error)
		error = error_in_file(ERROR_IO, path, "cannot close: %s", strerror(errno));
	return error;
}
