"""The theme's navigation, rendered once per folder for the pages it does not list.

Material renders its navigation partial (`partials/nav.html`) into every page: about a third of
the theme's time per page. Almost every page of a large dossier (articles, comparisons, groups) is
one the navigation does not list; for such a page no item is active, so what the partial writes
depends only on the navigation, the configuration and the folder the page lies in (its links are
relative to it). `share_navigation` makes the partial render once per folder for those pages in
a build, and hand the same text to the others; a page the navigation lists is rendered as before.
tests/test_site.py compares a site built so with one built without it.
"""

from __future__ import annotations

import posixpath

import jinja2

NAVIGATION = "partials/nav.html"


def share_navigation(env: jinja2.Environment, listed: set[str]) -> dict[str, str]:
    """`listed`: the source paths of the pages the navigation lists. Lasts as long as `env` (one
    build: MkDocs makes a new environment for each). Returns the text made for each folder, as
    it is filled (in this process)."""
    made: dict[str, str] = {}
    try:
        template = env.get_template(NAVIGATION)
    except jinja2.TemplateNotFound:  # another theme
        return made
    render = template.root_render_func

    def root_render_func(context):
        page = context.get("page")
        if page is None or page.file.src_uri in listed:
            yield from render(context)
            return
        folder = posixpath.dirname(page.url)  # what its relative links start from
        if folder not in made:
            made[folder] = "".join(render(context))
        yield made[folder]

    template.root_render_func = root_render_func
    return made
