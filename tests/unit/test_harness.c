/* The harness itself: a failed assertion must fail the program, because
 * CUnit's own return codes report success either way (deps.md §6) and
 * `make check` would pass over it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

static void passes(void)
{
	CU_ASSERT_EQUAL(1 + 1, 2);
}

static void fails(void)
{
	CU_ASSERT_EQUAL(1 + 1, 3);
}

/* This program again, running the inner suite named by `which` in a
 * fresh process (CUnit's registry is global and busy while a test runs);
 * returns its exit status. */
static int status_of_suite(const char *which)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(98);
		execl("/proc/self/exe", "test_harness", which, (char *)NULL);
		_exit(97);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void failed_assertion_fails_the_program(void)
{
	CU_ASSERT_EQUAL(status_of_suite("inner-fails"), 1);
}

static void passing_suite_passes(void)
{
	CU_ASSERT_EQUAL(status_of_suite("inner-passes"), 0);
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		const struct test_case cases[] = {
			{ "case", strcmp(argv[1], "inner-fails") == 0 ? fails : passes },
			{ NULL, NULL },
		};
		const struct test_suite suite[] = { { "inner", cases } };
		return run_suites("inner", suite, 1);
	}
	static const struct test_case cases[] = {
		{ "a failed assertion fails the program", failed_assertion_fails_the_program },
		{ "a passing suite passes", passing_suite_passes },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = { { "harness", cases } };
	return run_suites("test_harness", suites, 1);
}
