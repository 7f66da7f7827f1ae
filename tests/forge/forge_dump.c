/* forge_write_dump: refuses a scenario that was misused, then hands it to
 * the writer of the format's family. */
#include "forge_internal.h"

struct error *forge_write_dump(const struct forge *forge, enum forge_format format, const char *path)
{
	if (forge->misuse)
		return error_in_file(ERROR_USAGE, path, "forge: %s", forge->misuse);
	switch (format) {
	case FORGE_WINDOWS_FULL:
	case FORGE_WINDOWS_BITMAP_KERNEL:
	case FORGE_WINDOWS_BITMAP_FULL:
	case FORGE_WINDOWS_RDMP_KERNEL:
	case FORGE_WINDOWS_RDMP_COMPLETE:
	case FORGE_WINDOWS_TRIAGE:
		return forge_write_windows(forge, format, path);
	case FORGE_ELF_QEMU:
		return forge_write_elf(forge, path);
	case FORGE_RAW:
		return forge_write_raw(forge, path);
	}
	return error_in_file(ERROR_USAGE, path, "forge: unknown format %d", (int)format);
}
