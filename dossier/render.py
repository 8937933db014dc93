"""Stage 6: Jinja templates turn the Dossier into Markdown pages for MkDocs, plus the exports."""

from __future__ import annotations

import json
import posixpath
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import combinations
from pathlib import Path

import jinja2
import markupsafe

from .align import diff_sides, linked_of
from .align.explain import forget_texts
from .compat import quicken_calls
from .errors import DossierError, Problem
from .exports import claim_reviews, export_json, web_annotations
from .facts import Facts
from .inputs import PageInputs
from .language_views import LanguageViews
from .ledger import claim_ledger
from .model import ROLE_LABEL, Dossier, Group, Link, Passage, display_name
from .nav import ALL_ARTICLES, by_initial
from .notes import CRITERIA, FINDINGS, KIND_LABEL, NoteViews, safe_html
from .parallel import MIN_ITEMS, map_forked
from .quotes import quote_groups
from .segment import cleaned_text
from .text import counted

LINK_LIMIT = 6  # a passage links to each member of a group this small; to the group page beyond
GROUP_PAGE_MEMBERS = 1500  # group pages are cut after this many members, so none grows past ~1 MB
WORDINGS_SHOWN = 200  # a group page lists this many distinct wordings of one group, then counts the rest
PAIR_PAGES_MAX = 6  # up to this many articles, one comparison page per pair; beyond, one per article
CELL = 12  # width of one passage in a coverage strip, in SVG units
MATRIX_MAX = 20  # the overlap matrix is shown up to this many articles
STRIPS_MAX = 50  # the home page shows every article's coverage strip up to this many articles
MATRIX_ARTICLES_MAX = 60  # the facts view is a facts × articles matrix up to this many articles; a list beyond
FACT_PAGE_BYTES = 600_000  # facts view pages are cut near this size (estimated), so none passes 1 MB
OMITTED_SHOWN = 10  # an article page lists this many of the facts it omits
FORK_PASSAGES = 5_000  # from this many passages the exports are made in a worker even when few pages change


@dataclass(frozen=True)
class Rendered:
    pages: dict[str, str]  # Markdown source path (docs-relative) -> text
    exports: dict[str, str]  # site-relative path -> text
    inputs: dict[str, str] = field(default_factory=dict)  # page -> digest of what it was made from (inputs.py)
    reused: int = 0  # pages taken from the previous rendering unchanged
    memo: dict = field(default_factory=dict, repr=False, compare=False)  # for the next rendering (inputs.py)


def page_of(article_id: str) -> str:
    return f"articles/{article_id}.md"


def fact_page_path(number: int) -> str:
    return "facts/index.md" if number == 1 else f"facts/{number}.md"


def url_of(md_path: str) -> str:
    return md_path[:-3] + ".html"


def relative(from_md: str, to_md: str, anchor: str = "") -> str:
    """A link that works both over http and when site/ is opened from disk."""
    target = _relative_path(posixpath.dirname(from_md) or ".", to_md)
    return f"{target}#{anchor}" if anchor else target


@lru_cache(maxsize=100_000)
def _relative_path(from_dir: str, to_md: str) -> str:
    return posixpath.relpath(url_of(to_md), from_dir)


class Views(LanguageViews):
    """Lookups the templates need, computed once (languages and translations: LanguageViews)."""

    def __init__(self, dossier: Dossier):
        self.dossier = dossier
        self.articles = {a.id: a for a in dossier.articles}
        self.passages = {p.id: p for p in dossier.passages}
        self.order = {p.id: k for k, p in enumerate(dossier.passages)}
        self.by_article: dict[str, list[Passage]] = defaultdict(list)
        for p in dossier.passages:
            self.by_article[p.article].append(p)
        self.linked = linked_of(dossier.alignment)
        self.facts = Facts(dossier, self.linked)
        self._init_languages()
        self.overlap_spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.has_parallel: set[str] = set()
        for l in dossier.alignment.links:
            if l.kind == "parallel":
                self.has_parallel.update((l.a, l.b))
            elif l.spans:
                self.overlap_spans[l.a].append(tuple(l.spans[0]))
                self.overlap_spans[l.b].append(tuple(l.spans[1]))
        self._linked: dict[str, list[str] | None] = {}
        self._articles_in: dict[str, set[str]] = {}
        self.group_of: dict[str, Group] = {}
        self.group_page: dict[str, str] = {}
        self.group_pages: list[list[Group]] = []
        members = GROUP_PAGE_MEMBERS
        for group in dossier.alignment.groups:
            if members + len(group.passages) > GROUP_PAGE_MEMBERS and (members or not self.group_pages):
                self.group_pages.append([])
                members = 0
            self.group_pages[-1].append(group)
            members += len(group.passages)
            self.group_page[group.id] = f"groups/{len(self.group_pages)}.md"
            for pid in group.passages:  # a passage telling several facts: the most carried one
                if pid not in self.group_of or len(group.passages) > len(self.group_of[pid].passages):
                    self.group_of[pid] = group

    @cached_property
    def foreign_passages(self) -> bool:
        """Whether any passage is in another language than English."""
        return any(p.language for p in self.dossier.passages)

    @cached_property
    def fact_pages(self) -> list[list]:
        """The facts view cut into pages by estimated size: a matrix row costs per filled cell."""
        matrix = len(self.articles) <= MATRIX_ARTICLES_MAX
        facts = self.facts.facts if matrix else [f for f in self.facts.facts if f.group]
        pages, size = [[]], 0
        for fact in facts:
            cost = 300 + (110 * len(fact.cells) + 10 * len(self.articles) if matrix else 0)
            if size + cost > FACT_PAGE_BYTES and pages[-1]:
                pages.append([])
                size = 0
            pages[-1].append(fact)
            size += cost
        return pages

    @cached_property
    def fact_page(self) -> dict[str, str]:
        """Fact id -> the facts view page that shows it."""
        return {f.id: fact_page_path(n) for n, page in enumerate(self.fact_pages, start=1) for f in page}

    def link(self, a: str, b: str) -> Link | None:
        """The stored link, or the one a copy group's lead carries for its members."""
        return self.linked(a, b)[1]

    def shared_span(self, pid: str) -> tuple[int, int] | None:
        """Where the passage carries the fact it shares with an overlapping (not parallel) passage."""
        spans = self.overlap_spans.get(pid)
        if not spans or pid in self.has_parallel:
            return None
        return min(s for s, _ in spans), max(e for _, e in spans)

    def wordings(self, group: Group) -> list[dict]:
        """The group's distinct wordings, most carried first, each with the passages carrying it."""
        by_text: dict[str, list[Passage]] = defaultdict(list)
        for pid in group.passages:
            p = self.passages[pid]
            by_text[p.norm].append(p)
        ordered = sorted(by_text.values(), key=lambda ps: (-len({p.article for p in ps}), self.order[ps[0].id]))
        return [{"passage": ps[0], "carriers": ps} for ps in ordered]

    def linked_to(self, pid: str) -> list[str] | None:
        """Passages of other articles this one links to, stored or implied: its copies, and the
        passages linked to it or to its copy group's lead (with their copies), in reading order.
        None when more than LINK_LIMIT: the page then links to the group instead."""
        if pid in self._linked:
            return self._linked[pid]
        # Every set below is part of what is found (itself, its copies, the copies of what its
        # copy group's lead links to): one past LINK_LIMIT + 1 is enough to know the answer is
        # None, so nothing here reads more than a few members of any group, however large.
        most = LINK_LIMIT + 1
        lead, adjacent, copies = self.linked.lead(pid), self.linked.adjacent, self.linked.copies
        parts = (copies(pid), adjacent.get(pid, ()), adjacent.get(lead, ()))
        found: set[str] | None = None
        if all(len(part) <= most for part in parts):
            found = set().union(*parts)
            for q in list(found):
                more = copies(q)
                if len(more) > most:
                    found = None
                    break
                found.update(more)
                if len(found) > most:
                    found = None
                    break
        result = None
        if found is not None:
            own = self.passages[pid].article
            result = [q for q in sorted(found, key=self.order.get) if self.passages[q].article != own]
            if len(result) > LINK_LIMIT:
                result = None
        self._linked[pid] = result
        return result

    def parallels(self, pid: str) -> list[Passage]:
        """The passages this one links to, when few enough to list (else see `large_group`)."""
        return [self.passages[q] for q in self.linked_to(pid) or ()]

    def large_group(self, pid: str) -> Group | None:
        """The passage's group, when it links to too many passages to list them inline."""
        return self.group_of.get(pid) if self.linked_to(pid) is None else None

    def carried_by(self, pid: str) -> int:
        """How many other articles carry this passage's fact."""
        group = self.group_of.get(pid)
        if not group:
            return 0
        if group.id not in self._articles_in:  # a translation and its original count once
            self._articles_in[group.id] = {self.story_of(self.passages[q].article) for q in group.passages}
        carriers = self._articles_in[group.id]
        return len(carriers) - (self.story_of(self.passages[pid].article) in carriers)

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
        if link is None and self.linked(of.id, passage.id)[0]:
            why = "near copy"
        elif link:
            why = (f"{'manual link' if link.method == 'manual' else link.kind + ', score ' + str(link.score)}"
                   f"{', ' + link.shape if link.shape != '1:1' else ''}")
        else:
            why = "same group"
        cross = self.cross(link)
        if self.story_of(passage.article) == self.story_of(of.article) and passage.article != of.article:
            why = f"translation, {why}"
        label = f"{article.name} {passage.label}" + (f" [{passage.language or 'en'}]" if cross else "")
        return {"href": relative(from_md, page_of(article.id), passage.id), "cross": cross,
                "label": label, "title": f"{why}: {passage.text}"}

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
            large = self.large_group(p.id)
            if large is not None and right is not None:  # too many to list on an article page, not here
                mates = [self.passages[q] for q in large.passages if self.passages[q].article == right]
            else:
                mates = [q for q in self.parallels(p.id) if q.article == right or (right is None and q.article != left)]
            mates.sort(key=lambda q: self._closeness(p, q))  # the closest parallel sets the left side's marks
            rows.append({"left": p, "right": [self._pair(p, q) for q in mates],
                         "group": large if right is None else None})
            for q in mates:
                row_of.setdefault(q.id, len(rows) - 1)
        inserts: dict[int, list[dict]] = defaultdict(list)
        last = -1
        for q in self.by_article[right] if right else ():
            if q.id in row_of:
                last = max(last, row_of[q.id])
            else:
                inserts[last].append({"left": None, "right": [self._pair(None, q)], "group": None})
        ordered = list(inserts[-1])
        for i, row in enumerate(rows):
            row["runs"] = row["right"][0]["theirs"] if row["right"] else [(False, row["left"].text)]
            ordered.append(row)
            ordered.extend(inserts[i])
        return ordered

    @staticmethod
    def diff_sides(left: str, right: str):
        return diff_sides(left, right)

    def _closeness(self, p: Passage, q: Passage) -> tuple:
        link = self.link(p.id, q.id)
        return (link is None or link.kind != "parallel", -(link.score if link else 0), self.order[q.id])

    def _pair(self, p: Passage | None, q: Passage) -> dict:
        if p is None:
            return {"passage": q, "runs": [(False, q.text)], "link": None}
        link = self.link(p.id, q.id)
        across = link is not None and "languages" in link.explanation  # a word diff across languages says nothing
        if link and (link.kind == "overlap" or across) and link.spans and {link.a, link.b} == {p.id, q.id}:
            mine, other = link.spans if link.a == p.id else link.spans[::-1]
            return {"passage": q, "runs": _marked(q.text, other), "theirs": _marked(p.text, mine), "link": link}
        theirs, ours = diff_sides(p.text, q.text)
        return {"passage": q, "runs": ours, "theirs": theirs, "link": link}


def _marked(text: str, span) -> list[tuple[bool | str, str]]:
    """The text as runs, the shared span marked "shared" (an overlap shows what is shared, not a diff)."""
    start, end = span
    return [(False, text[:start]), ("shared", text[start:end]), (False, text[end:])]


class _Environment(jinja2.Environment):
    """Jinja's `a.b` tries the attribute first, then the item: on the dicts the views hand the
    templates (rows, pairs, cells) every lookup raised and caught an AttributeError first (about
    7% of the rendering's CPU at 1,000 articles). A dict has no attributes but its methods, so
    looking up the item first finds what Jinja would."""

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        else:
            try:
                return getattr(obj, attribute)
            except AttributeError:
                pass
        return super().getattr(obj, attribute)  # the item, or Jinja's undefined


_DICT_ATTRIBUTES = frozenset(dir(dict))


def environment(templates: Path, compiled: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    env = _Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        bytecode_cache=compiled,
        autoescape=True,  # every value is text from outside; it is escaped unless a template says otherwise
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    quicken_calls(env)
    env.globals.update(relative=relative, page_of=page_of, fact_page_path=fact_page_path, display_name=display_name, criteria=CRITERIA,
                       findings=FINDINGS, kinds=KIND_LABEL, cell=CELL, matrix_max=MATRIX_MAX,
                       link_limit=LINK_LIMIT, strips_max=STRIPS_MAX, roles=ROLE_LABEL,
                       matrix_max_articles=MATRIX_ARTICLES_MAX, omitted_shown=OMITTED_SHOWN,
                       closeness_mark={"same": "=", "reworded": "≈", "partial": "◐", "only": "•"})
    env.filters["html"] = lambda text: markupsafe.Markup(safe_html(text))  # sanitised Markdown
    # MkDocs and Material print page titles unescaped (titles may hold HTML): escape them here.
    env.filters["page_title"] = lambda text: markupsafe.Markup(json.dumps(str(markupsafe.escape(text))))
    env.filters["jsonld"] = lambda data: markupsafe.Markup(
        json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/"))
    env.filters["percent"] = lambda x: f"{round(100 * x)}%"
    env.filters["unknown"] = lambda x: "unknown" if x in (None, "") else x
    env.filters["counted"] = counted
    env.filters["zip"] = lambda a, b: list(zip(a, b))
    return env


@dataclass(frozen=True)
class PagePlan:
    """One page to render: its template and, made only if it is rendered, its variables."""
    path: str  # Markdown source path (docs-relative)
    template: str
    context: Callable[[], dict] = dict
    digest: Callable[[], str] | None = None  # the digest of its inputs (inputs.py); None: it declares none
    weight: int = 1  # the passages it shows: how long it takes to render, roughly


@dataclass(frozen=True)
class Reuse:
    """What `_reuse` decides: the pages kept from the previous rendering, the digests known, and
    the pages to render (with their digest function when the digest is made beside the page)."""
    kept: dict[str, str]
    digests: dict[str, str]
    todo: list[tuple[PagePlan, Callable[[], str] | None]]


def render(dossier: Dossier, templates: Path, base_url: str | None = None, previous: Rendered | None = None,
           progress=None, track: bool = True, only: set[str] | None = None, digests_beside: bool = False,
           compiled: jinja2.BytecodeCache | None = None) -> Rendered:
    """`base_url`: the published site's URL (mkdocs `site_url`), for absolute IRIs in the exports.
    `previous`: an earlier rendering; its pages whose inputs (inputs.py) are unchanged are reused.
    `progress(done, total)`: called as pages are rendered. `track`: compute what each page was made
    from (Rendered.inputs), for a later rendering to reuse; a one-off build need not.
    `only` (with `previous`): a quick first pass that renders these pages and the new ones, and
    keeps the previous text of the others and of the exports, still marked with their old inputs;
    the caller renders again right after. `digests_beside`: with no `previous`, each page's digest is
    made beside the page (in the workers when forked) instead of first, in this process; what the
    workers learn is then missing from Rendered.memo, which only `mkdocs serve` reuses.
    `compiled`: where compiled templates are kept between builds (cache.TemplateCache).

    Three steps: plan the pages (`_plan`), keep those whose inputs did not change (`_reuse`),
    render the rest and the exports (`_execute`)."""
    views = Views(dossier)
    notes = NoteViews(dossier)
    inputs = PageInputs(dossier, views, notes, display_name, templates, base_url, previous.memo if previous else None,
                        track=track)
    if inputs.memo.env is None or inputs.memo.env[0] != inputs.common[0]:  # compiled templates, kept
        inputs.memo.env = (inputs.common[0], environment(templates, compiled))
    env = inputs.memo.env[1]
    if inputs.same and inputs.memo.facts is not None:  # same articles and alignment: the same facts and provenance
        views.facts = inputs.memo.facts
    inputs.memo.facts = views.facts
    reviews = claim_reviews(dossier, base_url)
    plan = _plan(dossier, views, inputs, reviews)
    first_pass = only is not None and previous is not None
    reuse = _reuse(plan, previous, only if first_pass else None, digests_beside)
    parts = inputs.memo.export  # filled by export_json; kept by serve for its next rebuild
    exports = [] if first_pass else [  # made beside the pages (in a worker when forked: the largest takes seconds)
        ("export/dossier.json", lambda: (export_json(dossier, views.facts, parts), parts if track else {})),
        ("export/annotations.jsonld",
         lambda: web_annotations(dossier, {a.id: cleaned_text(a) for a in dossier.articles}, base_url)),
        ("export/claimreview.jsonld", lambda: json.dumps(reviews, ensure_ascii=False, indent=2) + "\n"),
    ]
    fresh, made = _execute(dossier, views, notes, env, templates, reuse, exports, progress)
    if exports:
        made[0], encoded = made[0]
        parts.update(encoded)  # what a worker encoded, kept for serve's next rebuild (here: `parts` itself)
    pages = {page.path: reuse.kept[page.path] if page.path in reuse.kept else fresh[page.path] for page in plan}
    return Rendered(pages=pages, exports=previous.exports if first_pass else
                    {path: text for (path, _), text in zip(exports, made)},
                    inputs=reuse.digests, reused=len(reuse.kept), memo=inputs.memo)


def _plan(dossier: Dossier, views: Views, inputs: PageInputs, reviews) -> list[PagePlan]:
    """Every page of the site, in order, with what it is made from."""
    plan: list[PagePlan] = []
    pairs = [(a.id, b.id) for a, b in combinations(dossier.articles, 2)] \
        if len(dossier.articles) <= PAIR_PAGES_MAX else []
    compared: dict[str, list[tuple[str, str]]] = defaultdict(list)  # article -> its comparison pages
    if pairs:
        comparisons = [(f"compare/{a}--{b}.md", f"{display_name(views.articles[a])} and "
                        f"{display_name(views.articles[b])}, side by side") for a, b in pairs]
        for a, b in pairs:
            compared[a].append((f"compare/{a}--{b}.md", f"with {display_name(views.articles[b])}"))
            compared[b].append((f"compare/{a}--{b}.md", f"with {display_name(views.articles[a])}"))
    else:
        comparisons = [(f"compare/{a.id}.md", f"{display_name(a)} compared with all others")
                       for a in dossier.articles] if len(dossier.articles) > 1 else []
        for a in dossier.articles if comparisons else ():
            compared[a.id].append((f"compare/{a.id}.md", "with all other articles"))
    indexes = by_initial(dossier)
    all_articles = ALL_ARTICLES if indexes else None
    plan.append(PagePlan("index.md", "home.md.j2", lambda: dict(comparisons=comparisons, all_articles=all_articles),
                         weight=len(dossier.articles) * (not all_articles)))
    for article in dossier.articles:
        plan.append(PagePlan(page_of(article.id), "article.md.j2",
                             lambda a=article: dict(article=a, compared=compared[a.id]),
                             lambda a=article.id: inputs.article(a, compared[a]), len(views.by_article[article.id])))
    for left, right in pairs:
        plan.append(PagePlan(f"compare/{left}--{right}.md", "compare.md.j2",
                             lambda l=left, r=right: dict(left=views.articles[l], right=views.articles[r],
                                                          rows=views.side_by_side(l, r)),
                             lambda l=left, r=right: inputs.compare(l, r),
                             len(views.by_article[left]) + len(views.by_article[right])))
    if not pairs and len(dossier.articles) > 1:
        for article in dossier.articles:
            plan.append(PagePlan(f"compare/{article.id}.md", "compare.md.j2",
                                 lambda a=article: dict(left=a, right=None, rows=views.side_by_side(a.id, None)),
                                 lambda a=article.id: inputs.compare(a, None), len(views.by_article[article.id])))
    first, total = 1, len(dossier.alignment.groups)
    for n, groups in enumerate(views.group_pages, start=1):
        plan.append(PagePlan(f"groups/{n}.md", "groups.md.j2",
                             lambda g=groups, f=first, n=n: dict(groups=g, first=f, total=total, number=n,
                                                                 wordings_shown=WORDINGS_SHOWN),
                             lambda g=groups, f=first: inputs.groups(g, f, total),
                             sum(min(len(g.passages), WORDINGS_SHOWN) for g in groups)))
        first += len(groups)
    offset = 0
    for n, facts in enumerate(views.fact_pages if len(dossier.articles) > 1 else (), start=1):
        plan.append(PagePlan(fact_page_path(n), "facts.md.j2",
                             lambda f=facts, o=offset, n=n: dict(facts=f, offset=o, number=n,
                                                                 page_count=len(views.fact_pages),
                                                                 matrix=len(dossier.articles) <= MATRIX_ARTICLES_MAX),
                             lambda n=n: inputs.whole(f"facts {n} of {len(views.fact_pages)}")))
        offset += len(facts)
    if indexes:
        plan.append(PagePlan(ALL_ARTICLES, "by_name.md.j2", lambda: dict(indexes=indexes), weight=len(dossier.articles)))
    plan += [PagePlan("corrections.md", "corrections.md.j2", lambda: dict(reviews=reviews)),
             PagePlan("claims.md", "claims.md.j2", lambda: dict(ledger=claim_ledger(dossier))),
             PagePlan("sources.md", "sources.md.j2"), PagePlan("methodology.md", "methodology.md.j2"),
             PagePlan("unanchored.md", "unanchored.md.j2"),
             PagePlan("quotes.md", "quotes.md.j2", lambda: dict(groups=quote_groups(dossier)),
                      lambda: inputs.whole("quotes"))]
    return plan


def _reuse(plan: list[PagePlan], previous: Rendered | None, only: set[str] | None, digests_beside: bool) -> Reuse:
    """Which pages the previous rendering gives unchanged. `only`: a first pass, which renders these
    pages and the new ones and keeps the others' previous text, still marked with their old inputs."""
    kept, digests, todo = {}, {}, []
    for page in plan:
        if only is not None and page.path not in only and page.path in previous.pages:
            kept[page.path] = previous.pages[page.path]  # for now; its old inputs make the next pass look at it
            if page.path in previous.inputs:
                digests[page.path] = previous.inputs[page.path]
            continue
        if digests_beside and previous is None and page.digest is not None:  # rendered anyway: digest there
            todo.append((page, page.digest))
            continue
        digest = page.digest() if page.digest is not None and only is None else None
        if digest is not None:
            digests[page.path] = digest
        if previous is not None and digest is not None and previous.inputs.get(page.path) == digest:
            kept[page.path] = previous.pages[page.path]
        else:
            todo.append((page, None))
    return Reuse(kept, digests, todo)


def _execute(dossier: Dossier, views: Views, notes: NoteViews, env: jinja2.Environment, templates: Path,
             reuse: Reuse, exports: list, progress) -> tuple[dict[str, str], list]:
    """The pages `reuse` leaves to render, and the exports, in forked workers when they pay:
    (page path -> text, the exports' results). Digests made beside a page go into reuse.digests."""
    todo = reuse.todo

    def one(k: int):
        if k < len(exports):
            return exports[k][1]()
        page, digest_of = todo[k - len(exports)]
        digest = digest_of() if digest_of is not None else None
        try:
            text = _render_page(env, templates, page.template, dict(dossier=dossier, views=views, notes=notes,
                                                                    this=page.path, **page.context()))
        except DossierError as exc:  # handed back, not raised, from a worker process
            return exc.problems
        return text if digest_of is None else (text, digest)

    def pages_done(done: int, total: int) -> None:
        progress(max(done - len(exports), 0), total - len(exports))

    for template in dict.fromkeys(page.template for page, _ in todo):
        _compiled(env, templates, template)  # here once, not in each worker (nor again by serve's next rebuild)
    weights = [len(dossier.passages)] * len(exports) + [page.weight for page, _ in todo]
    many = len(dossier.passages) >= FORK_PASSAGES  # the exports alone pay for forking
    texts = map_forked(one, len(exports) + len(todo), pages_done if progress else None, weights,
                       min_items=2 if many and exports else MIN_ITEMS)
    forget_texts()  # the diffs' words, kept while rendering: serve would hold them between rebuilds
    made, texts = texts[:len(exports)], texts[len(exports):]
    for text in texts:
        if isinstance(text, list):
            raise DossierError(text)
    fresh = {}
    for (page, digest_of), text in zip(todo, texts):
        if digest_of is not None:
            text, digest = text
            if digest is not None:
                reuse.digests[page.path] = digest
        fresh[page.path] = text
    return fresh, made


def _render_page(env: jinja2.Environment, templates: Path, template: str, context: dict) -> str:
    try:
        return env.get_template(template).render(**context)
    except jinja2.TemplateError as exc:
        raise _template_problem(exc, templates, template) from None


def _compiled(env: jinja2.Environment, templates: Path, template: str) -> jinja2.Template:
    try:
        return env.get_template(template)
    except jinja2.TemplateError as exc:  # a syntax error: the file and line, not a traceback
        raise _template_problem(exc, templates, template) from None


def _template_problem(exc: jinja2.TemplateError, templates: Path, template: str) -> DossierError:
    line = getattr(exc, "lineno", None)
    name = getattr(exc, "filename", None) or str(templates / template)
    return DossierError(Problem(name, line, f"template error: {exc}"))
