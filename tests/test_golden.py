"""Golden files: the rendered Markdown of the seed dossier, page by page.

A template or renderer change shows up here as a readable diff. When the change is intended,
regenerate the files with `make golden` (UPDATE_GOLDEN=1 pytest tests/test_golden.py) and review
the diff before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

from paths import ROOT

from dossier.render import render

GOLDEN = Path(__file__).parent / "golden"


def test_rendered_pages_match_the_golden_files(seed_dossier):
    output = render(seed_dossier, ROOT / "templates")
    pages = {path.replace("/", "__"): text for path, text in output.pages.items()}
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        for old in GOLDEN.glob("*.md"):
            old.unlink()
        for name, text in pages.items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
    stored = {p.name: p.read_text(encoding="utf-8") for p in GOLDEN.glob("*.md")}
    assert sorted(stored) == sorted(pages), "pages added or removed: run `make golden` and review"
    for name, text in pages.items():
        assert text == stored[name], f"{name} differs from tests/golden/{name}: run `make golden` and review the diff"


def test_quick_context_calls_as_jinja_does():
    """Every kind of callable a template may call, through the renderer's environment and through
    Jinja's own: the same output, context and environment passed where asked for."""
    import jinja2

    from dossier.compat import QuickContext
    from dossier.render import environment

    @jinja2.pass_context
    def where(context, suffix):
        return f"{context['name']}{suffix}"

    @jinja2.pass_environment
    def kind(env, value):
        return f"{type(env).__name__ in ('Environment', '_Environment')}:{value}"

    class Named:
        def hello(self, who, punctuation="!"):
            return f"hello {who}{punctuation}"

        @jinja2.pass_context
        def from_context(self, context):
            return context["name"].upper()

    class CallsWithContext:
        @jinja2.pass_context
        def __call__(self, context):
            return f"called in {context['name']}"

    def stops():
        raise StopIteration

    source = ("{% macro twice(x) %}{{ x }}{{ x }}{% endmacro %}"
              "{{ plain(1) }} {{ where('?') }} {{ kind(2) }} {{ obj.hello('you', punctuation='.') }} "
              "{{ obj.from_context() }} {{ callable() }} {{ twice('ab') }} {{ len('four') }} "
              "[{{ stops() is undefined }}]")
    context = dict(plain=lambda x: x + 1, where=where, kind=kind, obj=Named(), callable=CallsWithContext(),
                   stops=stops, len=len, name="page")
    ours = environment(ROOT / "templates")
    assert ours.context_class is QuickContext
    jinjas = jinja2.Environment()
    expected = jinjas.from_string(source).render(**context)
    assert ours.from_string(source).render(**context) == expected
    assert expected == "2 page? True:2 hello you. PAGE called in page abab 4 [True]"
