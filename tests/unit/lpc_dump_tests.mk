# LPC ports, messages and waits from XP/2003 dumps (src/kernel/lpc_*.c,
# src/ipc/lpc.c) over images the dump forge (tests/forge/) writes with
# real layouts.
check_PROGRAMS += tests/unit/test_lpc_dump
TESTS += tests/unit/test_lpc_dump
tests_unit_test_lpc_dump_SOURCES = tests/unit/test_lpc_dump.c
tests_unit_test_lpc_dump_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_lpc_dump_LDADD = tests/forge/libforge.a $(TEST_LIBS)
# lpcscen's issue-5 scenarios (tests/forge/forge_lpc_scenarios.c) read whole.
check_PROGRAMS += tests/unit/test_lpc_scenarios
TESTS += tests/unit/test_lpc_scenarios
tests_unit_test_lpc_scenarios_SOURCES = tests/unit/test_lpc_scenarios.c
tests_unit_test_lpc_scenarios_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_lpc_scenarios_LDADD = tests/forge/libforge.a $(TEST_LIBS)
# Damaged +otl object lists on every LPC layout: bounded, said, partial.
check_PROGRAMS += tests/unit/test_lpc_damage
TESTS += tests/unit/test_lpc_damage
tests_unit_test_lpc_damage_SOURCES = tests/unit/test_lpc_damage.c
tests_unit_test_lpc_damage_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_unit_test_lpc_damage_LDADD = tests/forge/libforge.a $(TEST_LIBS)
