/* The harness itself: a failed assertion must fail the program, because
 * CUnit's own return codes report success either way (deps.md §6) and
 * `make check` would pass over it. */
#include <stdio.h>
#include <stdlib.h>
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

/* Runs one suite in a child (CUnit's registry is global) and returns its
 * exit status. */
static int status_of_suite(void (*test)(void))
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(98);
		const struct test_case cases[] = { { "case", test }, { NULL, NULL } };
		const struct test_suite suite[] = { { "inner", cases } };
		_exit(run_suites("inner", suite, 1));
	}
	int status = 0;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void failed_assertion_fails_the_program(void)
{
	CU_ASSERT_EQUAL(status_of_suite(fails), 1);
}

static void passing_suite_passes(void)
{
	CU_ASSERT_EQUAL(status_of_suite(passes), 0);
}

int main(void)
{
	static const struct test_case cases[] = {
		{ "a failed assertion fails the program", failed_assertion_fails_the_program },
		{ "a passing suite passes", passing_suite_passes },
		{ NULL, NULL },
	};
	static const struct test_suite suites[] = { { "harness", cases } };
	return run_suites("test_harness", suites, 1);
}
