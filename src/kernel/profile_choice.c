/* Which structure profile reads this image, and why.
 *
 * In order: the ISF file named with --profile; the built-in profile whose
 * ntkrnlmp.pdb GUID and age are the image's (the only exact key: offsets
 * move inside one build number, struct-offsets.md "Layout changes inside
 * one build number"); the built-in profiles of the image's build, scored
 * by a probe when there are several.  The reason sentence always names
 * the profile and how it was chosen; `info` and the reports print it. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "kernel.h"

enum { CANDIDATES_MAX = 8 };

/* NtBuildNumber of a Windows release and the ntoskrnl line it runs:
 * Windows 10 2004 to 22H2 (builds 19041-19045) all run ntoskrnl
 * 10.0.19041.x, Windows 11 23H2 (22631) runs 10.0.22621.x
 * (struct-offsets.md "Notes on build coverage"). */
static uint32_t kernel_line(uint32_t build)
{
	if (build >= 19041 && build <= 19045)
		return 19041;
	if (build == 22631)
		return 22621;
	return build;
}

const struct kernel_profile *profile_by_pdb(const char *guid, uint64_t age)
{
	if (guid == NULL || guid[0] == '\0')
		return NULL;
	for (size_t i = 0; i < builtin_profile_count; i++) {
		const struct kernel_profile *profile = &builtin_profiles[i];
		if (profile->pdb_guid[0] != '\0' && strcasecmp(profile->pdb_guid, guid) == 0 &&
		    profile->pdb_age == age)
			return profile;
	}
	return NULL;
}

/* "ntkrnlmp.pdb 606FF669409B00F7FC8C61A9C1670129-1", or what is known of it. */
static void describe_pdb(const struct os_identity *os, char *text, size_t size)
{
	const char *name = os->pdb_name[0] != '\0' ? os->pdb_name : "the kernel's PDB";
	if (os->pdb_guid[0] == '\0')
		snprintf(text, size, "the kernel's PDB GUID is unknown");
	else if (os->pdb_age.known)
		snprintf(text, size, "%s %s-%" PRIu64, name, os->pdb_guid, os->pdb_age.value);
	else
		snprintf(text, size, "%s %s, age unknown", name, os->pdb_guid);
}

static bool pointer_size_fits(const struct os_identity *os, const struct kernel_profile *profile)
{
	if (!os->paging_known)
		return true;
	return profile->pointer_size == (os->paging == PAGING_X64 ? 8u : 4u);
}

static void choose(struct profile_choice *choice, const struct kernel_profile *profile,
		   enum profile_match match)
{
	choice->profile = profile;
	choice->match = match;
}

/* ERROR_UNSUPPORTED with the same sentence in the choice's reason. */
static struct error *refuse(struct profile_choice *choice, const char *pdb, const char *why)
{
	snprintf(choice->reason, sizeof choice->reason, "%s", why);
	return error_new(ERROR_UNSUPPORTED,
			 "no structure profile for this image: %s (%s); give --profile FILE, a Volatility 3 "
			 "ISF file for the kernel's PDB GUID and age (Volatility 3's pdbconv.py makes one from "
			 "ntkrnlmp.pdb, JPCERTCC/Windows-Symbol-Tables publishes many)",
			 why, pdb);
}

static struct error *choose_from_file(const struct os_identity *os, const char *path,
				      struct profile_choice *choice)
{
	struct kernel_profile *loaded = NULL;
	struct error *error = profile_load_isf(path, &loaded);
	if (error != NULL) {
		snprintf(choice->reason, sizeof choice->reason, "the --profile file could not be read");
		return error;
	}
	choose(choice, loaded, PROFILE_FROM_FILE);
	bool differs = loaded->pdb_guid != NULL && loaded->pdb_guid[0] != '\0' && os->pdb_guid[0] != '\0' &&
		       os->pdb_age.known &&
		       (strcasecmp(loaded->pdb_guid, os->pdb_guid) != 0 || loaded->pdb_age != os->pdb_age.value);
	if (differs)
		snprintf(choice->reason, sizeof choice->reason,
			 "given with --profile (%s), though its PDB %s-%" PRIu32 " is not the image's %s-%" PRIu64,
			 path, loaded->pdb_guid, loaded->pdb_age, os->pdb_guid, os->pdb_age.value);
	else
		snprintf(choice->reason, sizeof choice->reason, "given with --profile (%s)", path);
	return NULL;
}

/* Appends to a sentence, cut where the buffer ends. */
static void append(char *text, size_t size, const char *format, ...) PRINTF_LIKE(3, 4);
static void append(char *text, size_t size, const char *format, ...)
{
	size_t used = strlen(text);
	if (used + 1 >= size)
		return;
	va_list arguments;
	va_start(arguments, format);
	vsnprintf(text + used, size - used, format, arguments);
	va_end(arguments);
}

/* Several built-in profiles of one build: the probe's best.  A tie goes
 * to the later one in the table, the later servicing layout (19041.3570
 * over 19041.329): patched systems are what dumps mostly come from, and
 * the reason shows the scores so a reader can tell it was a tie. */
static struct error *choose_by_probe(const char *pdb, uint32_t build,
				     const struct kernel_profile *const *candidates, size_t count,
				     profile_probe probe, void *probe_context, struct profile_choice *choice)
{
	char why[224] = "";
	if (probe == NULL) {
		append(why, sizeof why, "build %" PRIu32 " has %zu built-in profiles (", build, count);
		for (size_t i = 0; i < count; i++)
			append(why, sizeof why, "%s%s", i ? ", " : "", candidates[i]->name);
		append(why, sizeof why, ") and nothing was given to tell them apart");
		return refuse(choice, pdb, why);
	}
	char scores[160] = "";
	int score[CANDIDATES_MAX];
	int best_score = -1;
	for (size_t i = 0; i < count; i++) {
		score[i] = probe(candidates[i], probe_context);
		append(scores, sizeof scores, "%s%s %d", i ? ", " : "", candidates[i]->name, score[i]);
		if (score[i] > best_score)
			best_score = score[i];
	}
	if (best_score < 0) {
		snprintf(why, sizeof why, "none of build %" PRIu32 "'s built-in profiles reads it (scores %s)", build,
			 scores);
		return refuse(choice, pdb, why);
	}
	size_t best = 0, best_count = 0;
	for (size_t i = 0; i < count; i++)
		if (score[i] == best_score) {
			best = i;
			best_count++;
		}
	choose(choice, candidates[best], PROFILE_BY_PROBE);
	if (best_count > 1)
		snprintf(choice->reason, sizeof choice->reason,
			 "built-in profile %s: build %" PRIu32 "'s profiles score a tie (%s), the later layout is taken",
			 candidates[best]->name, build, scores);
	else
		snprintf(choice->reason, sizeof choice->reason,
			 "built-in profile %s: it reads best of build %" PRIu32 "'s profiles (scores %s)",
			 candidates[best]->name, build, scores);
	return NULL;
}

struct error *profile_choose(const struct os_identity *os, const char *profile_path,
			     profile_probe probe, void *probe_context, struct profile_choice *choice)
{
	memset(choice, 0, sizeof *choice);
	if (profile_path != NULL)
		return choose_from_file(os, profile_path, choice);

	char pdb[128];
	describe_pdb(os, pdb, sizeof pdb);
	const struct kernel_profile *exact = NULL;
	if (os->pdb_age.known)
		exact = profile_by_pdb(os->pdb_guid, os->pdb_age.value);
	if (exact != NULL && !exact->incomplete && pointer_size_fits(os, exact)) {
		choose(choice, exact, PROFILE_BY_PDB);
		snprintf(choice->reason, sizeof choice->reason, "%s is the built-in profile %s", pdb, exact->name);
		return NULL;
	}

	if (!os->build.known)
		return refuse(choice, pdb,
			      os->pdb_guid[0] != '\0' ? "the build is unknown and the PDB is not a built-in one"
						 : "neither the build nor the kernel's PDB is known");
	uint32_t build = (uint32_t)os->build.value;
	uint32_t line = kernel_line(build);
	const struct kernel_profile *candidates[CANDIDATES_MAX];
	const struct kernel_profile *incomplete = NULL;
	size_t count = 0, other_width = 0;
	for (size_t i = 0; i < builtin_profile_count; i++) {
		const struct kernel_profile *profile = &builtin_profiles[i];
		if (profile->build != line)
			continue;
		if (!pointer_size_fits(os, profile)) {
			other_width++;
			continue;
		}
		if (profile->incomplete)
			incomplete = profile;
		else if (count < CANDIDATES_MAX)
			candidates[count++] = profile;
	}
	if (count == 0) {
		char why[200];
		if (incomplete != NULL)
			snprintf(why, sizeof why,
				 "build %" PRIu32 "'s built-in facts (%s, from %s) are incomplete, too few to walk with",
				 build, incomplete->name, incomplete->source);
		else if (other_width > 0)
			snprintf(why, sizeof why, "build %" PRIu32 "'s built-in profiles are not for %s paging",
				 build, paging_mode_name(os->paging));
		else
			snprintf(why, sizeof why, "no built-in profile is of build %" PRIu32, build);
		return refuse(choice, pdb, why);
	}
	if (count == 1) {
		choose(choice, candidates[0], PROFILE_BY_BUILD);
		snprintf(choice->reason, sizeof choice->reason, "built-in profile %s: the only one of build %" PRIu32 " (%s%s)",
			 candidates[0]->name, build, pdb, os->pdb_guid[0] != '\0' ? " is not a built-in one" : "");
		return NULL;
	}
	return choose_by_probe(pdb, build, candidates, count, probe, probe_context, choice);
}

void profile_choice_release(struct profile_choice *choice)
{
	if (choice->match == PROFILE_FROM_FILE && choice->profile != NULL)
		profile_free((struct kernel_profile *)choice->profile);
	choice->profile = NULL;
	choice->match = PROFILE_NOT_FOUND;
}
