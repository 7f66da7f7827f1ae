/* The CUnit harness every unit test program shares.
 *
 * CUnit's own return codes report success even when assertions fail
 * (../shared/docs/deps.md §6), so run_suites() computes the exit status
 * from the failure counts itself: 0 all passed, 1 a test failed, 77 skip
 * (automake's code) when a suite asks for it, 99 when CUnit cannot run. */
#ifndef ALPCGRAPH_TEST_HARNESS_H
#define ALPCGRAPH_TEST_HARNESS_H

#include <CUnit/CUnit.h>
#include <stdbool.h>
#include <stddef.h>

struct test_case {
	const char *name;
	void (*run)(void);
};

struct test_suite {
	const char *name;
	const struct test_case *cases; /* ends with { NULL, NULL } */
};

int run_suites(const char *program, const struct test_suite *suites, size_t count);

/* A file under tests/data in the source tree. */
const char *test_data_path(const char *name);
/* The project's shared corpus (../shared), or NULL when it is absent:
 * $ALPCGRAPH_SHARED, else ../shared beside the source tree. */
const char *shared_dir(void);
/* Reads a whole file into a NUL-terminated buffer (caller frees). */
char *read_whole_file(const char *path, size_t *length);
/* A fresh private directory under $TMPDIR, removed by the harness at exit. */
const char *test_temp_dir(void);

/* CUnit's asserts are braced blocks, so they need braces under if/else. */
#define CU_ASSERT_STRING_EQUAL_OR_NULL(actual, expected)                     \
	do {                                                                 \
		const char *a_ = (actual), *e_ = (expected);                 \
		if (e_ == NULL) {                                            \
			CU_ASSERT_PTR_NULL(a_);                              \
		} else {                                                     \
			CU_ASSERT_PTR_NOT_NULL_FATAL(a_);                    \
			CU_ASSERT_STRING_EQUAL(a_, e_);                      \
		}                                                            \
	} while (0)

#define CU_ASSERT_KNOWN_EQUAL(maybe, expected)                              \
	do {                                                                 \
		CU_ASSERT_TRUE((maybe).known);                               \
		CU_ASSERT_EQUAL((maybe).value, (uint64_t)(expected));        \
	} while (0)

#endif
