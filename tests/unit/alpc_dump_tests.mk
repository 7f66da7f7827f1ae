# ALPC ports, messages and waits from dumps (src/kernel/alpc_*.c, src/ipc)
# over images the dump forge (tests/forge/) writes with real layouts.
check_PROGRAMS += tests/unit/test_alpc_dump
TESTS += tests/unit/test_alpc_dump
tests_unit_test_alpc_dump_SOURCES = tests/unit/test_alpc_dump.c
tests_unit_test_alpc_dump_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_alpc_dump_LDADD = tests/forge/libforge.a $(TEST_LIBS)
