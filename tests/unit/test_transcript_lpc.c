#include "transcript_helpers.h"
int main(void)
{
	static const struct test_case cases[] = { { NULL, NULL } };
	static const struct test_suite suites[] = { { "transcript: lpc", cases } };
	int status = run_suites("test_transcript_lpc", suites, 1);
	scanned_release();
	return status;
}
