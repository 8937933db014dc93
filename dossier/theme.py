"""Parts of the theme rendered once per folder for the pages the navigation does not list.

Material renders its navigation, search box and footer partials into every page: about half of
the theme's time per page, the navigation most of it. Almost every page of a large dossier
(articles, comparisons, groups) is one the navigation does not list, and for such a page these
partials depend only on the navigation, the configuration and the folder the page lies in (their
links are relative to it): no navigation item is active, the footer has no previous or next page,
and the search box shows nothing of the page. `share_partials` has each of them rendered once per
folder for those pages in a build, the same text handed to the others; a page the navigation lists
is rendered as before. tests/test_site.py compares a site built so with one built without it.
"""

from __future__ import annotations

import posixpath

import jinja2

from .compat import wrap_root_render

SHARED = ("partials/nav.html", "partials/search.html", "partials/footer.html")


def share_partials(env: jinja2.Environment, listed: set[str]) -> dict[str, dict[str, str]]:
    """`listed`: the source paths of the pages the navigation lists. Lasts as long as `env` (one
    build: MkDocs makes a new environment for each). Returns the text made of each partial for
    each folder, as it is filled (in this process)."""
    made: dict[str, dict[str, str]] = {}
    for name in SHARED:
        try:
            template = env.get_template(name)
        except jinja2.TemplateNotFound:  # another theme
            continue
        made[name] = _share(template, listed)
    return made


def _share(template: jinja2.Template, listed: set[str]) -> dict[str, str]:
    made: dict[str, str] = {}

    def render(original, context):
        page = context.get("page")
        if page is None or page.file.src_uri in listed:
            yield from original(context)
            return
        folder = posixpath.dirname(page.url)  # what its relative links start from
        if folder not in made:
            made[folder] = "".join(original(context))
        yield made[folder]

    wrap_root_render(template, render)  # else (compat.py) each page renders its own
    return made
