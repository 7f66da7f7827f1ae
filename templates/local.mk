# The HTML templates and their stylesheet, read at run time
# (reports/templates_dir.c says from where).
templatesdir = $(pkgdatadir)/templates
dist_templates_DATA = templates/page.html templates/index.html templates/style.css
