/* The table of input formats and the one place that tries their probes. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source.h"
#include "text_probe.h"

struct source_ops {
	enum input_format format;
	const char *name;
	/* Says "mine"; when it is sure the bytes are nobody's, it may set
	 * *refusal to an error for the caller instead; the first refusal
	 * ends the search. */
	bool (*probe)(const char *path, const unsigned char *head, size_t length,
		      struct error **refusal);
};

/* Memory dumps: the probes of dump_open.c's table; a dump of a kind we
 * refuse (a user-mode minidump) says why here already. */
static bool dump_source_probe(const char *path, const unsigned char *head, size_t length,
			      struct error **refusal)
{
	if (dump_probe(head, length))
		return true;
	*refusal = dump_probe_refusal(path, head, length);
	return false;
}

/* Binary formats first: text is what is left. */
static const struct source_ops formats[] = {
	{ INPUT_DUMP, "memory dump", dump_source_probe },
	{ INPUT_TRANSCRIPT, "transcript", text_probe },
};

const char *input_format_name(enum input_format format)
{
	for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
		if (formats[i].format == format)
			return formats[i].name;
	return "unknown";
}

struct error *source_identify_bytes(const char *path, const unsigned char *head, size_t length,
				    enum input_format *format)
{
	*format = INPUT_UNKNOWN;
	if (!length)
		return error_in_file(ERROR_FORMAT, path, "empty file");
	struct error *refusal = NULL;
	for (size_t i = 0; i < sizeof formats / sizeof *formats && !refusal; i++) {
		if (formats[i].probe(path, head, length, &refusal)) {
			*format = formats[i].format;
			return NULL;
		}
	}
	if (refusal)
		return refusal;
	return error_at_offset(ERROR_FORMAT, path, 0,
			       "unknown format (first bytes %02x %02x %02x %02x): not debugger output",
			       head[0], length > 1 ? head[1] : 0, length > 2 ? head[2] : 0,
			       length > 3 ? head[3] : 0);
}

struct error *source_identify(const char *path, enum input_format *format)
{
	*format = INPUT_UNKNOWN;
	/* O_NONBLOCK: opening a FIFO would wait for a writer.  Only regular
	 * files are read: an input is read twice (here, then by its reader),
	 * and a FIFO, socket or device need not give the same bytes again, or
	 * ever end. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return error_in_file(ERROR_IO, path, "cannot open: %s", strerror(errno));
	struct stat status;
	if (fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) {
		close(fd);
		return error_in_file(ERROR_IO, path, "not a regular file");
	}
	unsigned char *head = checked_malloc(SOURCE_PROBE_BYTES);
	size_t length = 0;
	while (length < SOURCE_PROBE_BYTES) {
		ssize_t got = read(fd, head + length, SOURCE_PROBE_BYTES - length);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			int saved = errno;
			close(fd);
			free(head);
			return error_at_offset(ERROR_IO, path, length, "read failed: %s", strerror(saved));
		}
		if (got == 0)
			break;
		length += (size_t)got;
	}
	close(fd);
	struct error *error = source_identify_bytes(path, head, length, format);
	free(head);
	return error;
}
