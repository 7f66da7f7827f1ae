/* A page index for formats that list their pages as runs of consecutive
 * PFNs stored one after another in the file: Windows full dumps (the
 * header's PhysicalMemoryBlock) and "RDMP" dumps (their metadata ranges).
 * Runs are kept sorted by PFN, overlaps refused; a PFN is found by binary
 * search.  For the format readers of src/source/ only. */
#ifndef ALPCGRAPH_RUN_TABLE_H
#define ALPCGRAPH_RUN_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dump_internal.h"

struct page_run {
	uint64_t first_pfn, count;
	uint64_t file_offset;       /* of the run's first page */
	uint64_t descriptor_offset; /* where the file describes the run (for errors) */
	uint64_t number;            /* its index among the descriptors */
};

struct run_table {
	struct page_run *runs;
	size_t count, capacity;
};

void run_table_add(struct run_table *table, const struct page_run *run);
/* Sorts the runs by PFN and refuses two that share a page, naming the later
 * descriptor's offset ("offset 0xa8: run 1 (PFNs 0x10-0x2f) overlaps run 0
 * (PFNs 0x0-0x1f)"); what is "run" or "range".  Then joins neighbours that
 * are consecutive both in PFNs and in the file. */
struct error *run_table_finish(struct run_table *table, const char *path, const char *what);
bool run_table_locate(const struct run_table *table, uint64_t pfn, uint64_t *file_offset);
bool run_table_next_extent(const struct run_table *table, uint64_t from_pfn,
			   struct dump_extent *extent);
void run_table_free(struct run_table *table);

#endif
