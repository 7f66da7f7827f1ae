# --profile FILE: Volatility 3 ISF tables, the JPCERT ones against
# struct-offsets.md and the built-in profiles, hand-written hostile ones.
check_PROGRAMS += tests/unit/test_profile_isf
TESTS += tests/unit/test_profile_isf
tests_unit_test_profile_isf_SOURCES = tests/unit/test_profile_isf.c
tests_unit_test_profile_isf_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_profile_isf_LDADD = $(TEST_LIBS)
