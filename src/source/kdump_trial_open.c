/* A kdump (diskdump) file or an ELF core is first opened by libkdumpfile
 * in a child process, and in ours only when that worked.
 *
 * Found here (the attacks of the dump review): an ELF core whose e_shoff
 * is 1 ends libkdumpfile 0.5.1's kdump_open_fd with SIGSEGV, and other
 * damaged section headers did the same; in the child that is a refusal.
 *
 * Found here (valgrind on libkdumpfile 0.5.1, Debian 12's only version):
 * when kdump_open_fd fails on a diskdump file after reading its first
 * header — a header whose block size or bitmap makes no sense, a bitmap or
 * note area past the end of the file — diskdump.c's open_common frees its
 * private data while the page_size attribute still points at a template
 * inside it, and kdump_free then reads and writes that freed memory; on a
 * 64-byte "DISKDUMP" file it ends the process with SIGSEGV.  Not calling
 * kdump_free after a failure would instead leak 4.3 MB (the file cache)
 * per damaged file.  A child process that only opens the file and reports
 * how it went costs a fork and one header parse, and whatever libkdumpfile
 * does to its heap on the way out stays in the child.  (Upstream fixed the
 * order of attribute teardown in 0.5.2, commit 97c716a, issue #72; the
 * failure path also frees the private data the page_size override lives
 * in.  After a successful open the same teardown still writes one pointer
 * into a freed attribute at kdump_free; glibc never hands that small chunk
 * out in between, so that path is left as it is.) */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libkdumpfile/kdumpfile.h>

#include "kdump_internal.h"

enum { TRIAL_MESSAGE_SIZE = 512 };

/* The child's whole life: open, say how it went, leave without cleanup. */
static void trial_in_child(int fd, int report)
{
	char message[TRIAL_MESSAGE_SIZE] = "";
	kdump_ctx_t *context = kdump_new();
	if (!context) {
		snprintf(message, sizeof message, "E%d:libkdumpfile: no memory for a context",
			 KDUMP_ERR_SYSTEM);
	} else {
		kdump_status status = kdump_set_number_attr(context, KDUMP_ATTR_FILE_MMAP_POLICY,
							    KDUMP_MMAP_NEVER);
		if (status == KDUMP_OK)
			status = kdump_open_fd(context, fd);
		if (status != KDUMP_OK)
			snprintf(message, sizeof message, "E%d:%s", (int)status, kdump_get_err(context));
		else
			snprintf(message, sizeof message, "OK");
	}
	size_t length = strlen(message);
	ssize_t written = write(report, message, length);
	_exit(written == (ssize_t)length ? 0 : 1);
}

static struct error *trial_failed(const struct dump *dump, int code, const char *reason)
{
	return error_in_file(code == KDUMP_ERR_NOTIMPL ? ERROR_UNSUPPORTED : ERROR_FORMAT, dump->path,
			     "libkdumpfile cannot open it: %s", reason);
}

struct error *kdump_trial_open(const struct dump *dump, int fd)
{
	int pipe_ends[2];
	if (pipe(pipe_ends) != 0)
		return error_in_file(ERROR_IO, dump->path, "cannot make a pipe to try libkdumpfile: %s",
				     strerror(errno));
	fflush(NULL); /* nothing buffered is written twice */
	pid_t child = fork();
	if (child < 0) {
		int saved = errno;
		close(pipe_ends[0]);
		close(pipe_ends[1]);
		return error_in_file(ERROR_IO, dump->path, "cannot fork to try libkdumpfile: %s",
				     strerror(saved));
	}
	if (child == 0) {
		close(pipe_ends[0]);
		trial_in_child(fd, pipe_ends[1]);
	}
	close(pipe_ends[1]);
	char message[TRIAL_MESSAGE_SIZE + 1];
	size_t length = 0;
	while (length < TRIAL_MESSAGE_SIZE) {
		ssize_t n = read(pipe_ends[0], message + length, TRIAL_MESSAGE_SIZE - length);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		length += (size_t)n;
	}
	message[length] = '\0';
	close(pipe_ends[0]);
	int status = 0;
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status))
		return error_in_file(ERROR_FORMAT, dump->path,
				     "libkdumpfile crashed opening it (signal %d): not a dump it can read",
				     WTERMSIG(status));
	/* A child that said nothing died inside libkdumpfile too (under ASan
	 * a SIGSEGV becomes a report and exit status 1). */
	if (length == 0)
		return error_in_file(ERROR_FORMAT, dump->path,
				     "libkdumpfile crashed opening it (exit status %d): not a dump it can read",
				     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	if (strcmp(message, "OK") == 0)
		return NULL;
	int code = KDUMP_ERR_CORRUPT;
	const char *reason = "it gave no reason";
	if (message[0] == 'E' && sscanf(message + 1, "%d", &code) == 1 && strchr(message, ':'))
		reason = strchr(message, ':') + 1;
	return trial_failed(dump, code, reason);
}
