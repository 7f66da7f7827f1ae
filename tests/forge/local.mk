# The dump forge (tests/forge/forge.h): synthetic memory dumps in every
# format alpcgraph reads, written at test time for tests and benchmarks.
# It uses src/base only, so it never depends on the readers it checks.
check_LIBRARIES += tests/forge/libforge.a
tests_forge_libforge_a_SOURCES = \
	tests/forge/forge.h tests/forge/forge_internal.h \
	tests/forge/forge.c tests/forge/forge_ranges.c tests/forge/forge_tables.c \
	tests/forge/forge_file.c tests/forge/forge_dump.c tests/forge/forge_raw.c \
	tests/forge/forge_windows_header.c tests/forge/forge_windows.c \
	tests/forge/forge_elf.c tests/forge/forge_damage.c tests/forge/forge_sparse.c \
	tests/forge/forge_kernel.c \
	tests/forge/forge_layouts.h tests/forge/forge_layouts.c \
	tests/forge/forge_objects_internal.h tests/forge/forge_objects.c tests/forge/forge_kmem.c \
	tests/forge/forge_processes.c tests/forge/forge_handles.c tests/forge/forge_alpc.c \
	tests/forge/forge_lpc.c \
	tests/forge/forge_scenarios.h tests/forge/forge_scenario_builder.h \
	tests/forge/forge_scenario_builder.c tests/forge/forge_scenarios.c \
	tests/forge/forge_scenario_replays.c tests/forge/forge_scenario_system.c \
	tests/forge/forge_lpc_builder.h tests/forge/forge_lpc_builder.c \
	tests/forge/forge_lpc_scenarios.c tests/forge/forge_lpc_replay.c tests/forge/forge_lpc_system.c
# The script that transcribed forge_layouts.c from ../shared/symbols/.
EXTRA_DIST += tests/forge/forge_layouts.py
FORGE_LIBS = tests/forge/libforge.a libalpcgraph.a

# `make tests/forge/forge` builds the program for bench/ and for people.
check_PROGRAMS += tests/forge/forge
tests_forge_forge_SOURCES = tests/forge/forge_main.c
tests_forge_forge_LDADD = $(FORGE_LIBS)

check_PROGRAMS += tests/forge/test_forge
TESTS += tests/forge/test_forge
tests_forge_test_forge_SOURCES = tests/forge/test_forge.c \
	tests/forge/independent_reader.c tests/forge/independent_reader.h
tests_forge_test_forge_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_forge_test_forge_LDADD = tests/forge/libforge.a $(TEST_LIBS)

# The kernel objects, read back through the test's own offsets.
check_PROGRAMS += tests/forge/test_forge_objects
TESTS += tests/forge/test_forge_objects
tests_forge_test_forge_objects_SOURCES = tests/forge/test_forge_objects.c \
	tests/forge/object_reader.c tests/forge/object_reader.h \
	tests/forge/independent_reader.c tests/forge/independent_reader.h
tests_forge_test_forge_objects_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_forge_test_forge_objects_LDADD = tests/forge/libforge.a $(TEST_LIBS)

# Issue 4's scenarios on every required layout, read back by the test's
# own reader (object_reader.c), against the facts each scenario promises.
check_PROGRAMS += tests/forge/test_forge_scenarios
TESTS += tests/forge/test_forge_scenarios
tests_forge_test_forge_scenarios_SOURCES = tests/forge/test_forge_scenarios.c \
	tests/forge/object_reader.c tests/forge/object_reader.h \
	tests/forge/independent_reader.c tests/forge/independent_reader.h
tests_forge_test_forge_scenarios_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_forge_test_forge_scenarios_LDADD = tests/forge/libforge.a $(TEST_LIBS)

# Issue 5's LPC scenarios, read back the same way.
check_PROGRAMS += tests/forge/test_forge_lpc_scenarios
TESTS += tests/forge/test_forge_lpc_scenarios
tests_forge_test_forge_lpc_scenarios_SOURCES = tests/forge/test_forge_lpc_scenarios.c \
	tests/forge/object_reader.c tests/forge/object_reader.h \
	tests/forge/independent_reader.c tests/forge/independent_reader.h
tests_forge_test_forge_lpc_scenarios_CFLAGS = $(AM_CFLAGS) $(CUNIT_CFLAGS)
tests_forge_test_forge_lpc_scenarios_LDADD = tests/forge/libforge.a $(TEST_LIBS)
