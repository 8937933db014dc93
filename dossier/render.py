"""Stage 6: Jinja templates turn the Dossier into Markdown pages for MkDocs, plus the exports."""

from __future__ import annotations

import json
import posixpath
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import jinja2
import markupsafe

from .align import diff_sides
from .errors import DossierError, Problem
from .exports import claim_reviews, export_json, web_annotations
from .model import CleanArticle, Dossier, Group, Link, Passage
from .notes import CRITERIA, FINDINGS, KIND_LABEL, NoteViews, safe_html
from .quotes import quote_groups
from .segment import cleaned_text

LINK_LIMIT = 6  # a passage links to each member of a group this small; to the group page beyond
GROUPS_PER_PAGE = 200
PAIR_PAGES_MAX = 6
CELL = 12  # width of one passage in a coverage strip, in SVG units
MATRIX_MAX = 20  # the overlap matrix is shown up to this many articles  # up to this many articles, one comparison page per pair; beyond, one per article


@dataclass(frozen=True)
class Rendered:
    pages: dict[str, str]  # Markdown source path (docs-relative) -> text
    exports: dict[str, str]  # site-relative path -> text


def page_of(article_id: str) -> str:
    return f"articles/{article_id}.md"


def url_of(md_path: str) -> str:
    return md_path[:-3] + ".html"


def relative(from_md: str, to_md: str, anchor: str = "") -> str:
    """A link that works both over http and when site/ is opened from disk."""
    target = posixpath.relpath(url_of(to_md), posixpath.dirname(from_md) or ".")
    return f"{target}#{anchor}" if anchor else target


def display_name(article: CleanArticle) -> str:
    return article.meta.outlet or f"Unattributed ({article.id})"


class Views:
    """Lookups the templates need, computed once."""

    def __init__(self, dossier: Dossier):
        self.dossier = dossier
        self.articles = {a.id: a for a in dossier.articles}
        self.passages = {p.id: p for p in dossier.passages}
        self.by_article: dict[str, list[Passage]] = defaultdict(list)
        for p in dossier.passages:
            self.by_article[p.article].append(p)
        self.links = {(l.a, l.b): l for l in dossier.alignment.links}
        self.group_of: dict[str, Group] = {}
        self.group_page: dict[str, str] = {}
        for n, group in enumerate(dossier.alignment.groups):
            self.group_page[group.id] = f"groups/{n // GROUPS_PER_PAGE + 1}.md"
            for pid in group.passages:
                self.group_of[pid] = group

    def link(self, a: str, b: str) -> Link | None:
        return self.links.get((a, b) if a < b else (b, a))

    def parallels(self, pid: str) -> list[Passage]:
        """Every other member of the passage's group, when the group is small enough to list."""
        group = self.group_of.get(pid)
        if not group or len(group.passages) > LINK_LIMIT:
            return []
        return [self.passages[q] for q in group.passages if q != pid]

    def large_group(self, pid: str) -> Group | None:
        group = self.group_of.get(pid)
        return group if group and len(group.passages) > LINK_LIMIT else None

    def carried_by(self, pid: str) -> int:
        """How many other articles carry this passage's fact."""
        group = self.group_of.get(pid)
        own = self.passages[pid].article
        return len({self.passages[q].article for q in group.passages} - {own}) if group else 0

    def coverage(self, article_id: str) -> list[dict]:
        """One cell per passage for the home page's heat strip, shaded by how many others carry it."""
        others = max(len(self.articles) - 1, 1)
        cells = []
        for k, p in enumerate(self.by_article[article_id]):
            n = self.carried_by(p.id)
            light = 92 - round(55 * n / others)  # lightness %: darker where more articles carry it
            cells.append({"passage": p, "x": k * CELL, "count": n, "fill": f"hsl(215, 70%, {light}%)"})
        return cells

    def overlap(self) -> list[list[float]]:
        """Row article's share of passages that have a parallel in the column article."""
        rows = []
        for a in self.articles:
            own = self.by_article[a]
            rows.append([sum(1 for p in own if any(self.passages[q].article == b for q in
                         (self.group_of[p.id].passages if p.id in self.group_of else ()))) / len(own)
                         if own and a != b else None for b in self.articles])
        return rows

    def share_with_parallel(self, article_id: str) -> float:
        own = self.by_article[article_id]
        return sum(1 for p in own if p.id in self.group_of) / len(own) if own else 0.0

    def marker(self, from_md: str, passage: Passage, of: Passage) -> dict:
        """A cross-link from `of` to `passage`: where it goes, what it says, why it is there."""
        article = self.articles[passage.article]
        link = self.link(of.id, passage.id)
        why = (f"{'manual link' if link.method == 'manual' else 'score ' + str(link.score)}"
               f"{', ' + link.shape if link.shape != '1:1' else ''}") if link else "same group"
        name = "this article" if passage.article == of.article else display_name(article)
        return {"href": relative(from_md, page_of(article.id), passage.id),
                "label": f"{name} {passage.label}", "title": f"{why}: {passage.text}"}

    def paragraphs(self, article_id: str) -> list[list[Passage]]:
        grouped: dict[int, list[Passage]] = defaultdict(list)
        for p in self.by_article[article_id]:
            grouped[p.paragraph].append(p)
        return [grouped[k] for k in sorted(grouped)]

    def side_by_side(self, left: str, right: str | None) -> list[dict]:
        """Rows in the left article's order; right-only passages in place after their predecessor.

        With no `right`, the parallels come from every other article (the "compared with all
        others" view of a large dossier).
        """
        rows, row_of = [], {}
        for p in self.by_article[left]:
            mates = [q for q in self.parallels(p.id) if q.article == right or (right is None and q.article != left)]
            rows.append({"left": p, "right": [self._pair(p, q) for q in mates]})
            for q in mates:
                row_of.setdefault(q.id, len(rows) - 1)
        inserts: dict[int, list[dict]] = defaultdict(list)
        last = -1
        for q in self.by_article[right] if right else ():
            if q.id in row_of:
                last = max(last, row_of[q.id])
            else:
                inserts[last].append({"left": None, "right": [self._pair(None, q)]})
        ordered = list(inserts[-1])
        for i, row in enumerate(rows):
            row["runs"] = row["right"][0]["theirs"] if row["right"] else [(False, row["left"].text)]
            ordered.append(row)
            ordered.extend(inserts[i])
        return ordered

    @staticmethod
    def diff_sides(left: str, right: str):
        return diff_sides(left, right)

    def _pair(self, p: Passage | None, q: Passage) -> dict:
        if p is None:
            return {"passage": q, "runs": [(False, q.text)], "link": None}
        theirs, ours = diff_sides(p.text, q.text)
        return {"passage": q, "runs": ours, "theirs": theirs, "link": self.link(p.id, q.id)}


def environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,  # every value is text from outside; it is escaped unless a template says otherwise
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.globals.update(relative=relative, page_of=page_of, display_name=display_name, criteria=CRITERIA,
                       findings=FINDINGS, kinds=KIND_LABEL, cell=CELL, matrix_max=MATRIX_MAX,
                       link_limit=LINK_LIMIT)
    env.filters["html"] = lambda text: markupsafe.Markup(safe_html(text))  # sanitised Markdown
    # MkDocs and Material print page titles unescaped (titles may hold HTML): escape them here.
    env.filters["page_title"] = lambda text: markupsafe.Markup(json.dumps(str(markupsafe.escape(text))))
    env.filters["jsonld"] = lambda data: markupsafe.Markup(
        json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/"))
    env.filters["percent"] = lambda x: f"{round(100 * x)}%"
    env.filters["unknown"] = lambda x: "unknown" if x in (None, "") else x
    env.filters["zip"] = lambda a, b: list(zip(a, b))
    return env


def render(dossier: Dossier, templates: Path, base_url: str | None = None) -> Rendered:
    """`base_url`: the published site's URL (mkdocs `site_url`), for absolute IRIs in the exports."""
    env = environment(templates)
    views = Views(dossier)
    notes = NoteViews(dossier)

    def page(template: str, **context) -> str:
        try:
            return env.get_template(template).render(dossier=dossier, views=views, notes=notes, **context)
        except jinja2.TemplateError as exc:
            line = getattr(exc, "lineno", None)
            name = getattr(exc, "filename", None) or str(templates / template)
            raise DossierError(Problem(name, line, f"template error: {exc}")) from None

    pairs = [(a.id, b.id) for a, b in combinations(dossier.articles, 2)] \
        if len(dossier.articles) <= PAIR_PAGES_MAX else []
    if pairs:
        comparisons = [(f"compare/{a}--{b}.md", f"{display_name(views.articles[a])} and "
                        f"{display_name(views.articles[b])}, side by side") for a, b in pairs]
    else:
        comparisons = [(f"compare/{a.id}.md", f"{display_name(a)} compared with all others")
                       for a in dossier.articles] if len(dossier.articles) > 1 else []
    pages = {"index.md": page("home.md.j2", this="index.md", comparisons=comparisons)}
    for article in dossier.articles:
        md = page_of(article.id)
        pages[md] = page("article.md.j2", this=md, article=article)
    for left, right in pairs:
        md = f"compare/{left}--{right}.md"
        pages[md] = page("compare.md.j2", this=md, left=views.articles[left], right=views.articles[right],
                         rows=views.side_by_side(left, right))
    if not pairs and len(dossier.articles) > 1:
        for article in dossier.articles:
            md = f"compare/{article.id}.md"
            pages[md] = page("compare.md.j2", this=md, left=article, right=None,
                             rows=views.side_by_side(article.id, None))
    groups = dossier.alignment.groups
    for start in range(0, len(groups), GROUPS_PER_PAGE):
        md = f"groups/{start // GROUPS_PER_PAGE + 1}.md"
        pages[md] = page("groups.md.j2", this=md, groups=groups[start:start + GROUPS_PER_PAGE],
                         first=start + 1, total=len(groups))
    reviews = claim_reviews(dossier, base_url)
    pages["corrections.md"] = page("corrections.md.j2", this="corrections.md", reviews=reviews)
    pages["sources.md"] = page("sources.md.j2", this="sources.md")
    pages["methodology.md"] = page("methodology.md.j2", this="methodology.md")
    pages["unanchored.md"] = page("unanchored.md.j2", this="unanchored.md")
    pages["quotes.md"] = page("quotes.md.j2", this="quotes.md", groups=quote_groups(dossier))
    texts = {a.id: cleaned_text(a) for a in dossier.articles}
    return Rendered(pages=pages, exports={
        "export/dossier.json": export_json(dossier, LINK_LIMIT),
        "export/annotations.jsonld": web_annotations(dossier, texts, base_url),
        "export/claimreview.jsonld": json.dumps(reviews, ensure_ascii=False, indent=2) + "\n",
    })
