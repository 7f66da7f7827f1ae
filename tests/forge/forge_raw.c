/* A raw physical image: byte a of the file is physical address a, from 0
 * to max_pfn pages.  Pages the scenario lacks (or leaves out of dumps) are
 * never written, so they are holes that read as zeros and take no disk. */
#include "forge_internal.h"

struct error *forge_write_raw(const struct forge *forge, const char *path)
{
	struct pfn_ranges dumped;
	forge_dumped_pages(forge, &dumped);
	struct forge_file file;
	struct error *error = forge_file_create(&file, path);
	if (!error)
		error = forge_file_set_size(&file, forge->max_pfn * FORGE_PAGE_SIZE);
	for (size_t i = 0; i < dumped.count && !error; i++)
		error = forge_file_write_pages(&file, forge, dumped.items[i].first,
					       dumped.items[i].end - dumped.items[i].first,
					       dumped.items[i].first * FORGE_PAGE_SIZE);
	error = forge_file_close(&file, error);
	pfn_ranges_release(&dumped);
	return error;
}
