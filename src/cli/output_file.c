#include <errno.h>
#include <string.h>

#include "output_file.h"

FILE *open_output(const char *path)
{
	if (!path || strcmp(path, "-") == 0)
		return stdout;
	FILE *file = fopen(path, "w");
	if (!file)
		fprintf(stderr, "alpcgraph: %s: cannot create: %s\n", path, strerror(errno));
	return file;
}

bool close_output(FILE *file, const char *path)
{
	bool failed = fflush(file) != 0 || ferror(file);
	if (file != stdout && fclose(file) != 0)
		failed = true;
	if (failed)
		fprintf(stderr, "alpcgraph: %s: write failed: %s\n", path ? path : "stdout",
			strerror(errno));
	return !failed;
}

int finish_output(FILE *out, const char *path, struct error *render_error, int status)
{
	if (render_error) {
		fprintf(stderr, "alpcgraph: %s\n", render_error->message);
		error_free(render_error);
		status = EXIT_BAD_INPUT;
	}
	if (out && !close_output(out, path))
		status = EXIT_BAD_INPUT;
	return status;
}
