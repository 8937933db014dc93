"""What each rendered page was made from: a digest of every input it shows.

`render(..., previous=...)` reuses a page of the previous rendering when its digest is unchanged,
so an edit re-renders only the pages that show what it touched. A page declares its inputs here;
a page that declares nothing depends on everything and is rendered every time (the safe default).

The digests mirror what the templates read. Each one starts with the templates themselves and the
few dossier-wide values every page may show (how many articles there are, the verdict scale), so a
template edit re-renders everything. Comparison and group pages show no count of articles and
leave it out: an added article re-renders the comparisons it changes, not all of them. Whether the
result is right is tested: a site rebuilt after each kind of edit is byte-identical to a clean
build of the same content (tests/test_incremental.py).
"""

from __future__ import annotations

import hashlib
import io
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from .model import Dossier, Group


def templates_digest(templates: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(templates.rglob("*.j2")):
        digest.update(path.relative_to(templates).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _digest(*parts) -> str:
    """Pickled without the pickler's memo, so equal values give equal bytes whatever objects they
    happen to share (and 3x quicker than their repr)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(parts)
    return hashlib.blake2b(buffer.getbuffer(), digest_size=20).hexdigest()


@dataclass
class RenderMemo:
    """What one rendering leaves to the next (Rendered.memo), so `mkdocs serve` recomputes only what
    changed. The fields below `world` hold only while the alignment and every article are the same."""
    objects: dict = field(default_factory=dict)  # id(article) -> (article, digest): an identity cache
    alignment: object = None  # the alignment the rest was computed with
    world: tuple = ()  # the frame and every article's digest
    around: dict = field(default_factory=dict)  # passage -> its link neighbourhood's digest
    groups: dict = field(default_factory=dict)  # a group page's key -> its digest
    export: dict = field(default_factory=dict)  # dossier.json's encoded parts (exports.export_json)
    facts: object = None  # render.Views' Facts
    whole: str | None = None  # the digest of everything a whole-dossier page may show
    env: tuple | None = None  # (frame, the Jinja environment with its compiled templates): kept across changes


class PageInputs:
    """Digests of the inputs of the per-article and per-group pages (`views`: render.Views,
    `notes`: notes.NoteViews, `name`: the article display name function).

    `memo` is carried from one rendering to the next (Rendered.memo): digests of unchanged article
    objects, and the link neighbourhoods when neither the alignment nor any article changed, are
    taken from it instead of being computed again."""

    def __init__(self, dossier: Dossier, views, notes, name, templates: Path, base_url: str | None,
                 memo: RenderMemo | None = None, track: bool = True):
        self.views, self.notes, self.name, self.track = views, notes, name, track
        self.frame = (templates_digest(templates), dossier.meta.verdicts, base_url)  # what any page may show
        self.common = (*self.frame, len(dossier.articles))
        old = memo or RenderMemo()
        self.objects: dict[int, tuple[object, str]] = {}
        for article in dossier.articles if track else ():
            hit = old.objects.get(id(article))
            digest = hit[1] if hit and hit[0] is article else _digest(article, views.by_article[article.id])
            self.objects[id(article)] = (article, digest)
        world = (self.common, tuple(d for _, d in self.objects.values()))
        self.same = same = old.alignment is dossier.alignment and old.world == world
        self.memo = RenderMemo(self.objects, dossier.alignment, world, env=old.env,
                               **(dict(around=old.around, groups=old.groups, export=old.export, facts=old.facts,
                                       whole=old.whole) if same else {}))
        self._neighbours: dict[str, tuple] = self.memo.around

    def _own(self, article_id: str) -> str:
        return self.objects[id(self.views.articles[article_id])][1]

    def article(self, article_id: str, compared: list[tuple[str, str]]) -> str:
        """The article page: the article, what its passages link to, the notes on it, and its
        comparison pages (path, label)."""
        if not self.track:
            return None
        notes, views = self.notes, self.views
        annotated = []
        for p in views.by_article[article_id]:
            own = tuple(notes.own.get(p.id, ()))  # a tuple: a rendered page leaves [] in these defaultdicts
            spread = []
            for a, anchor in notes.propagated.get(p.id, ()):
                origin = views.passages[anchor.passages[0]]
                spread.append((a, anchor, origin.label, origin.article, self.name(views.articles[origin.article])))
            if own or spread:
                annotated.append((p.id, own, spread))
        return _digest("article", self.common, self._own(article_id), self._around(article_id), annotated,
                       tuple(notes.headline.get(article_id, ())), tuple(notes.removed.get(article_id, ())),
                       self._extras(article_id), compared)

    def _extras(self, article_id: str) -> tuple:
        """The box of what the article shares and adds, and its language rows (which name its
        translations)."""
        views, facts = self.views, self.views.facts
        found = facts.provenance[article_id]
        return ([(r.source.id, r.source.name, r.source.meta.role, r.share, r.passages) for r in found.repeats],
                found.repeated, [p.id for p in found.own], [p.id for p in found.only_here],
                [(f.id, f.reference.id, f.reference.text, f.carriers, views.fact_page.get(f.id)) for f in found.omitted],
                [(a.id, a.name, share) for a, share in found.repeated_by], [a.id for a in facts.sources],
                views.language_rows(article_id))

    def whole(self, page: str) -> str:
        """A page made from the articles and their alignment alone (the facts view, the quotes): the
        articles' digests and every link, copy group and group."""
        if not self.track:
            return None
        if self.memo.whole is None:
            alignment = self.views.dossier.alignment
            self.memo.whole = _digest("whole", self.memo.world,
                                         [(l.a, l.b, l.kind, l.score, l.spans) for l in alignment.links],
                                         [g.passages for g in alignment.groups], [c.passages for c in alignment.copies])
        return _digest(page, self.memo.whole)

    def compare(self, left: str, right: str | None) -> str:
        """A comparison page: both articles (right None: every other article it links to)."""
        if not self.track:
            return None
        other = (self._own(right), self._around(right)) if right else None
        return _digest("compare", self.frame, self._own(left), self._around(left), other)

    def groups(self, groups: list[Group], first: int, total: int) -> str:
        """A page of fact groups: their members' texts and articles, in reading order."""
        if not self.track:
            return None
        key = (first, total, tuple(g.id for g in groups))
        if key not in self.memo.groups:
            views = self.views
            members = []
            for group in groups:
                ordered = sorted(group.passages, key=views.order.get)
                members.append((group.id, [(views.passages[q], self.name(views.articles[views.passages[q].article]))
                                           for q in ordered]))
            self.memo.groups[key] = _digest("groups", self.frame, first, total, members)
        return self.memo.groups[key]

    def _around(self, article_id: str) -> str:
        """Per passage: the passages it links to (text, article name, link), its group and how far it is carried."""
        if article_id in self._neighbours:
            return self._neighbours[article_id]
        views = self.views
        found = []
        for p in views.by_article[article_id]:
            linked = views.linked_to(p.id)
            mates = [(q, views.passages[q].text, views.passages[q].label, views.passages[q].article,
                      self.name(views.articles[views.passages[q].article]), views.linked(p.id, q))
                     for q in linked or ()]
            group = views.group_of.get(p.id)
            where = (group.id, views.group_page[group.id], len(group.passages)) if group else None
            found.append((p.id, linked is None, mates, where, views.carried_by(p.id), views.shared_span(p.id)))
        self._neighbours[article_id] = _digest(found)
        return self._neighbours[article_id]
