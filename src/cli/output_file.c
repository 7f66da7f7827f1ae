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

bool listing_format(const char *command, const struct cli_options *options, bool *json)
{
	const char *format = options->format ? options->format : "text";
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		fprintf(stderr, "alpcgraph: %s: --format must be text or json, not '%s'\n", command, format);
		return false;
	}
	*json = strcmp(format, "json") == 0;
	return true;
}

int write_listing(const struct cli_options *options, bool json, const struct listing *listing,
		  struct ptr_vec *analyses)
{
	FILE *out = open_output(options->output);
	if (!out) {
		free_analyses(analyses);
		return EXIT_BAD_INPUT;
	}
	struct error *error = NULL;
	if (json)
		error = listing->json(out, (struct analysis *const *)analyses->items, analyses->count,
				      listing->context);
	else
		for (size_t i = 0; i < analyses->count && !error; i++) {
			if (i)
				fputc('\n', out);
			error = listing->text(out, analyses->items[i], listing->context);
		}
	int status = finish_output(out, options->output, error, exit_status_of(analyses));
	free_analyses(analyses);
	return status;
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
