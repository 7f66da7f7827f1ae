/* bench_dump FORGE [TOTAL PRESENT [QEMU_CORPUS]] — prints figures,
 * asserts nothing.
 *
 * Has the forge write a sparse x64 bitmap dump (default 8 GiB of physical
 * memory, 4 GiB of it present, mapped at FORGE_SPARSE_VA_BASE + physical
 * address with 4 KiB pages), then measures:
 *  (a) a sequential scan of every present page for a 4-byte pool tag
 *      through the memory layer, against plain memmem over the same file
 *      mapped whole (in a child process, so its RSS is not ours): the
 *      ratio memmem time / scan time, target >= 0.9;
 *  (b) random 8-byte virtual reads, translations per second with and
 *      without the translation cache, uniform and 90%-local;
 *  (c) the peak RSS of this process: target < 256 MiB — the dump is
 *      never loaded into memory;
 *  (d) when the QEMU corpus is given (../shared/corpus/qemu), translations
 *      per second with and without the cache on its real ELF and kdump
 *      files, over the guest's 4 KiB and 2 MiB mappings: the cost of one
 *      libaddrxlat walk against a cache hit, without page faults. */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../src/memory/memory.h"

#define SPARSE_VA_BASE 0xffffa00000000000ULL /* tests/forge/forge.h FORGE_SPARSE_VA_BASE */
static const char TAG[4] = { 'A', 'l', 'P', 'c' };
enum { RANDOM_READS = 2000000 };

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The resident set now, from /proc/self/status. */
static long resident_mib(void)
{
	FILE *status = fopen("/proc/self/status", "r");
	char line[256];
	long kib = -1;
	while (status && fgets(line, sizeof line, status))
		if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
			break;
	if (status)
		fclose(status);
	return kib < 0 ? -1 : kib / 1024;
}

static uint64_t count_tags(const unsigned char *data, size_t length)
{
	uint64_t found = 0;
	const unsigned char *at = data, *end = data + length;
	while (at < end && (at = memmem(at, (size_t)(end - at), TAG, sizeof TAG))) {
		found++;
		at++;
	}
	return found;
}

/* Plain memmem over the whole file, mapped in a child; returns seconds. */
static double baseline(const char *path, uint64_t *found)
{
	int channel[2];
	if (pipe(channel) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(path, O_RDONLY);
		struct stat info;
		fstat(fd, &info);
		const unsigned char *file = mmap(NULL, (size_t)info.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		double start = now();
		uint64_t tags = count_tags(file, (size_t)info.st_size);
		double result[2] = { now() - start, (double)tags };
		if (write(channel[1], result, sizeof result) != sizeof result)
			_exit(1);
		_exit(0);
	}
	double result[2] = { -1, 0 };
	if (read(channel[0], result, sizeof result) != sizeof result)
		result[0] = -1;
	waitpid(pid, NULL, 0);
	close(channel[0]);
	close(channel[1]);
	*found = (uint64_t)result[1];
	return result[0];
}

static double scan(struct physical_memory *memory, struct dump *dump, uint64_t *found,
		   uint64_t *bytes)
{
	double start = now();
	struct page_extent extent;
	*found = *bytes = 0;
	for (uint64_t pfn = 0; physical_next_extent(memory, pfn, &extent);
	     pfn = extent.first_pfn + extent.count) {
		if (!extent.data)
			continue;
		*found += count_tags(extent.data, extent.count * DUMP_PAGE_SIZE);
		*bytes += extent.count * DUMP_PAGE_SIZE;
		dump_release(dump, &extent);
	}
	return now() - start;
}

struct present {
	struct page_extent *extents;
	size_t count;
	uint64_t pages;
};

static struct present present_pages(struct physical_memory *memory)
{
	struct present present = { 0 };
	size_t capacity = 0;
	struct page_extent extent;
	for (uint64_t pfn = 0; physical_next_extent(memory, pfn, &extent);
	     pfn = extent.first_pfn + extent.count) {
		if (present.count == capacity) {
			capacity = capacity ? capacity * 2 : 64;
			present.extents = realloc(present.extents, capacity * sizeof *present.extents);
		}
		present.extents[present.count++] = extent;
		present.pages += extent.count;
	}
	return present;
}

static uint64_t random_va(const struct present *present, uint64_t *state, uint64_t local_base,
			  bool local)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	uint64_t r = *state >> 11;
	if (local && r % 10)
		return local_base + (r >> 8) % (256 * 1024 - 8);
	uint64_t page = r % present->pages;
	for (size_t i = 0; i < present->count; i++) {
		if (page < present->extents[i].count)
			return SPARSE_VA_BASE + ((present->extents[i].first_pfn + page) << DUMP_PAGE_SHIFT) +
			       ((r >> 40) % 4088);
		page -= present->extents[i].count;
	}
	return SPARSE_VA_BASE;
}

static void random_reads(struct address_space *space, const struct present *present, bool cache,
			 bool local, uint64_t local_base)
{
	address_space_use_cache(space, cache);
	struct translation_stats before = address_space_stats(space);
	uint64_t state = 42, failures = 0, value;
	double start = now();
	for (int i = 0; i < RANDOM_READS; i++) {
		struct error *error = virtual_read(space, random_va(present, &state, local_base, local),
						   &value, sizeof value);
		if (error) {
			failures++;
			error_free(error);
		}
	}
	double elapsed = now() - start;
	struct translation_stats after = address_space_stats(space);
	printf("  %-9s %-4s cache: %6.2f M reads/s (%" PRIu64 " walks, %" PRIu64 " cache hits, %"
	       PRIu64 " failed; RSS now %ld MiB)\n", local ? "90%-local" : "uniform", cache ? "with" : "no",
	       RANDOM_READS / elapsed / 1e6, after.walks - before.walks,
	       after.cache_hits - before.cache_hits, failures, resident_mib());
}

/* The guest of ../shared/corpus/qemu (boot64.S) maps its first 2 MiB with
 * 4 KiB pages at 0x200000 and its kernel half with 2 MiB pages at
 * 0xffffffff80000000; the DTB is 0x1000 (its README). */
static void qemu_translation_rate(const char *corpus, const char *folder)
{
	static const char *const files[] = { "lm.elf", "lm.zlib.reass" };
	printf("(d) translations on QEMU's files, 400000 each, 90%% in 2 MiB pages:\n");
	for (unsigned f = 0; f < 2; f++) {
		char path[4096], command[9000];
		snprintf(path, sizeof path, "%s/%s", folder, files[f]);
		snprintf(command, sizeof command, "xz -dc '%s/%s.xz' > '%s'", corpus, files[f], path);
		struct dump *dump = NULL;
		struct error *error = system(command) == 0 ? dump_open(path, DUMP_DETECT, &dump)
							   : error_new(ERROR_IO, "cannot run %s", command);
		if (error) {
			printf("  %s: %s\n", files[f], error->message);
			error_free(error);
			unlink(path);
			continue;
		}
		struct physical_memory *memory = physical_memory_open(dump);
		struct address_space *space = address_space_new(memory, PAGING_X64, 0x1000);
		for (int cached = 1; cached >= 0; cached--) {
			address_space_use_cache(space, cached);
			enum { N = 400000 };
			uint64_t seed = 12345, sum = 0, physical, failed = 0;
			double start = now();
			for (int i = 0; i < N; i++) {
				seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
				uint64_t va = (seed >> 33) % 10 ? 0xffffffff80000000ULL + ((seed >> 12) & 0x1ff000)
								 : 0x200000 + ((seed >> 20) & 0x1000);
				error = virtual_translate(space, va, &physical);
				failed += error != NULL;
				error_free(error);
				sum += physical;
			}
			double elapsed = now() - start;
			printf("  %-14s cache %s: %6.2f M translations/s, %.0f ns each (%" PRIu64
			       " failed; checksum %" PRIx64 ")\n",
			       files[f], cached ? "on " : "off", N / elapsed / 1e6, elapsed / N * 1e9, failed,
			       sum);
		}
		address_space_free(space);
		physical_memory_close(memory);
		dump_close(dump);
		unlink(path);
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: bench_dump FORGE [TOTAL PRESENT [QEMU_CORPUS]]\n", stderr);
		return 1;
	}
	const char *total = argc > 3 ? argv[2] : "8G", *present_size = argc > 3 ? argv[3] : "4G";
	char folder[] = "/tmp/alpcgraph-bench-dump-XXXXXX";
	if (!mkdtemp(folder))
		return 1;
	char path[128], command[512];
	snprintf(path, sizeof path, "%s/sparse.dmp", folder);
	snprintf(command, sizeof command, "'%s' --sparse-bitmap %s %s -o '%s' >/dev/null", argv[1],
		 total, present_size, path);
	double start = now();
	if (system(command) != 0) {
		fprintf(stderr, "bench_dump: the forge failed\n");
		return 1;
	}
	printf("forged a %s bitmap dump with %s present in %.1f s\n", total, present_size, now() - start);

	struct dump *dump;
	struct error *error = dump_open(path, DUMP_DETECT, &dump);
	if (error) {
		fprintf(stderr, "bench_dump: %s\n", error->message);
		return 1;
	}
	struct physical_memory *memory = physical_memory_open(dump);
	uint64_t file_tags, scan_tags, scanned;
	double plain = baseline(path, &file_tags); /* warms the page cache */
	plain = baseline(path, &file_tags);
	double ours = scan(memory, dump, &scan_tags, &scanned);
	double second = scan(memory, dump, &scan_tags, &scanned);
	if (second < ours)
		ours = second;
	printf("(a) scan for a 4-byte tag: %.2f s, %.2f GB/s through the memory layer (%" PRIu64
	       " hits); plain memmem over the file: %.2f s (%" PRIu64 " hits); ratio %.2f (target >= 0.9); RSS now %ld MiB\n",
	       ours, (double)scanned / ours / 1e9, scan_tags, plain, file_tags, plain / ours,
	       resident_mib());

	const struct dump_facts *facts = dump_facts(dump);
	struct address_space *space = address_space_new(memory, PAGING_X64,
							 facts->directory_table_base.value);
	struct present present = present_pages(memory);
	uint64_t local_base = SPARSE_VA_BASE + ((present.extents[present.count / 2].first_pfn + 16)
						<< DUMP_PAGE_SHIFT);
	printf("(b) %d random 8-byte virtual reads over %" PRIu64 " present pages:\n", RANDOM_READS,
	       present.pages);
	random_reads(space, &present, true, false, local_base);
	random_reads(space, &present, false, false, local_base);
	random_reads(space, &present, true, true, local_base);
	random_reads(space, &present, false, true, local_base);
	struct rusage usage;
	getrusage(RUSAGE_SELF, &usage);
	printf("(c) peak RSS: %.0f MiB (target < 256 MiB)\n", (double)usage.ru_maxrss / 1024);
	if (argc > 4)
		qemu_translation_rate(argv[4], folder);

	free(present.extents);
	address_space_free(space);
	physical_memory_close(memory);
	dump_close(dump);
	unlink(path);
	rmdir(folder);
	return 0;
}
