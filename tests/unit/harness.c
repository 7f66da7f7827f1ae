#include <CUnit/Basic.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <ftw.h>

#include "harness.h"

static char temp_dir[PATH_MAX];

static int remove_entry(const char *path, const struct stat *info, int flag, struct FTW *walk)
{
	(void)info;
	(void)flag;
	(void)walk;
	return remove(path);
}

static void remove_temp_dir(void)
{
	if (temp_dir[0])
		nftw(temp_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

const char *test_temp_dir(void)
{
	if (!temp_dir[0]) {
		const char *base = getenv("TMPDIR");
		snprintf(temp_dir, sizeof temp_dir, "%s/alpcgraph-test-XXXXXX", base ? base : "/tmp");
		if (!mkdtemp(temp_dir)) {
			perror("mkdtemp");
			exit(99);
		}
		atexit(remove_temp_dir);
	}
	return temp_dir;
}

const char *test_data_path(const char *name)
{
	static char path[PATH_MAX];
	const char *srcdir = getenv("srcdir"); /* set by automake's test driver */
	snprintf(path, sizeof path, "%s/tests/data/%s", srcdir ? srcdir : ALPCGRAPH_SOURCE_DIR, name);
	return path;
}

const char *shared_dir(void)
{
	static char path[PATH_MAX];
	const char *configured = getenv("ALPCGRAPH_SHARED");
	if (configured && *configured)
		snprintf(path, sizeof path, "%s", configured);
	else
		snprintf(path, sizeof path, "%s/../shared", ALPCGRAPH_SOURCE_DIR);
	struct stat info;
	char probe[PATH_MAX + 32];
	snprintf(probe, sizeof probe, "%s/corpus", path);
	if (stat(probe, &info) != 0 || !S_ISDIR(info.st_mode))
		return NULL;
	return path;
}

char *read_whole_file(const char *path, size_t *length)
{
	FILE *file = fopen(path, "rb");
	if (!file)
		return NULL;
	size_t capacity = 1 << 16, used = 0;
	char *buffer = malloc(capacity + 1);
	size_t got;
	while (buffer && (got = fread(buffer + used, 1, capacity - used, file)) > 0) {
		used += got;
		if (used == capacity) {
			capacity *= 2;
			char *grown = realloc(buffer, capacity + 1);
			if (!grown) {
				free(buffer);
				buffer = NULL;
			}
			buffer = grown;
		}
	}
	fclose(file);
	if (!buffer)
		return NULL;
	buffer[used] = '\0';
	if (length)
		*length = used;
	return buffer;
}

int run_suites(const char *program, const struct test_suite *suites, size_t count)
{
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 99;
	for (size_t s = 0; s < count; s++) {
		CU_pSuite suite = CU_add_suite(suites[s].name, NULL, NULL);
		if (!suite)
			return 99;
		for (const struct test_case *c = suites[s].cases; c->name; c++)
			if (!CU_add_test(suite, c->name, c->run))
				return 99;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	/* Read the counts before the registry is cleaned up (deps.md §6). */
	unsigned failed = CU_get_number_of_tests_failed() + CU_get_number_of_suites_failed() +
			  CU_get_number_of_failures();
	unsigned ran = CU_get_number_of_tests_run();
	CU_cleanup_registry();
	printf("\n%s: %u tests run, %s\n", program, ran, failed ? "FAILED" : "all passed");
	return failed ? 1 : 0;
}
