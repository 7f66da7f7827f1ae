/* Where the HTML templates live.  An installed alpcgraph reads them from
 * $(pkgdatadir)/templates; one run from its build tree (tests, developers)
 * falls back to the source tree's templates/; $ALPCGRAPH_TEMPLATES lets a
 * site or a test choose.  Both macros come from Makefile.am. */
#include <stdlib.h>
#include <unistd.h>

#include "reports.h"

#ifndef ALPCGRAPH_PKGDATADIR
#error "ALPCGRAPH_PKGDATADIR is defined by Makefile.am"
#endif
#ifndef ALPCGRAPH_SOURCE_DIR
#error "ALPCGRAPH_SOURCE_DIR is defined by Makefile.am"
#endif

const char *reports_templates_dir(void)
{
	const char *chosen = getenv("ALPCGRAPH_TEMPLATES");
	if (chosen && *chosen)
		return chosen;
	/* An installed copy is only trusted once it holds the page template:
	 * a half-finished `make install` must not win over the source tree. */
	if (access(ALPCGRAPH_PKGDATADIR "/templates/page.html", R_OK) == 0)
		return ALPCGRAPH_PKGDATADIR "/templates";
	return ALPCGRAPH_SOURCE_DIR "/templates";
}
