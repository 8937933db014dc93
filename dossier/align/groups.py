"""Facts: passages of different articles that tell one fact, each linked to the fact's reference.

A fact is never built by chaining (A~B and B~C putting A with C whatever C is). It is a star: the
passage with the most links not yet explained takes its linked passages as members, split by
what of the reference they tell (its parallels tell it whole; an overlap on its first clause and
one on its last tell two facts); then a passage linked to at least MAJORITY of a
fact's passages (a copy group's lead weighing as its copies) joins it. The links inside a fact are explained by it; the next star is formed
from the links left, until none is left. A passage may so carry several facts, one per clause.
Copy groups enter as one node (their lead) and are expanded at the end; a rejected pair never
ends up in one fact.
"""

from __future__ import annotations

import heapq
from collections import defaultdict

from ..model import Group, Link, Passage

MAJORITY = 0.5  # share of a fact's members a passage must link to, to join it without linking to its reference
SAME_PART = 0.5  # two matched spans in the reference tell one fact when they share this much of the shorter


def groups_of(links: tuple[Link, ...], passages: tuple[Passage, ...], rejected: set = frozenset(),
              members_of: dict[str, tuple[str, ...]] | None = None,
              joined: tuple[tuple[str, str], ...] = ()) -> tuple[Group, ...]:
    """Facts over the links, numbered in reading order of their first passage.
    `rejected`: pairs never in one fact; `members_of`: a copy group's lead -> all its members,
    who join every fact of the lead; `joined`: (a, b) pairs asserted by hand, b telling every
    fact of a (a fact of the two when a has none)."""
    place = {p.id: (k, p.article) for k, p in enumerate(passages)}
    article = {p.id: p.article for p in passages}
    members_of = members_of or {}
    weight = {lead: len(copies) for lead, copies in members_of.items()}
    edges: dict[str, dict[str, Link]] = defaultdict(dict)
    for link in links:
        edges[link.a][link.b] = link
        edges[link.b][link.a] = link
    open_edges = {pid: set(others) for pid, others in edges.items()}  # links not yet explained by a fact
    banned = {frozenset(pair) for pair in rejected}
    heap = [(-len(others), place[pid][0], pid) for pid, others in open_edges.items()]
    heapq.heapify(heap)
    found: list[tuple[str, list[str]]] = []
    while heap:
        degree, _, reference = heapq.heappop(heap)
        left = len(open_edges[reference])
        if not left:
            continue
        if left != -degree:  # stale entry: its links were explained by facts formed since
            heapq.heappush(heap, (-left, place[reference][0], reference))
            continue
        for members in _stars(reference, sorted(open_edges[reference], key=lambda m: place[m][0]), edges, article):
            members = _without_rejected(reference, members, banned)
            members += _majority(reference, members, edges, banned, place, weight)
            found.append((reference, members))
            group = {reference, *members}
            for x in group:
                open_edges[x] -= group
    for a, b in joined:
        facts_of_a = [(reference, members) for reference, members in found if a in (reference, *members)]
        for reference, members in facts_of_a:
            if b not in members and not any(frozenset((b, m)) in banned for m in (reference, *members)):
                members.append(b)
        if not facts_of_a:
            found.append((a, [b]))
    in_fact = {pid for reference, members in found for pid in (reference, *members)}
    found += [(lead, []) for lead in members_of if lead not in in_fact]  # a copy group tells its fact alone
    facts = []
    seen = set()
    for reference, members in found:
        expanded = sorted({m for pid in (reference, *members) for m in members_of.get(pid, (pid,))},
                          key=lambda m: place[m][0])
        if len({place[m][1] for m in expanded}) > 1 and tuple(expanded) not in seen:
            seen.add(tuple(expanded))
            facts.append((expanded, reference))
    facts.sort(key=lambda f: place[f[0][0]][0])
    return tuple(Group(f"g{n}", tuple(m), reference) for n, (m, reference) in enumerate(facts, start=1))


def _stars(reference: str, linked: list[str], edges_of: dict[str, dict[str, Link]],
           article: dict[str, str]) -> list[list[str]]:
    """The reference's linked passages split by what of the reference they tell: its parallels
    (the whole), then one list per part that overlaps match. A parallel tells every part too, but
    is not put with the overlaps: a parallel and an overlap of one reference are a pair only
    when they link themselves, so one weak overlap cannot join two large stars."""
    whole, parts = [], []  # parts: [span in the reference, members]
    edges = edges_of[reference]
    for m in linked:
        link = edges[m]
        span = _reference_span(link, reference)
        if link.kind == "parallel" or span is None:
            whole.append(m)
            continue
        for part in parts:
            if _same_part(part[0], span):
                part[1].append(m)
                break
        else:
            parts.append([span, [m]])
    stars = ([whole] if whole else []) + [members for _, members in parts]
    return [_supported(star, edges_of, article) for star in stars]


def _supported(star: list[str], edges_of: dict[str, dict[str, Link]], article: dict[str, str]) -> list[str]:
    """A star's members, less those linked to none of the members of other articles than their
    own: a stray link of the reference would otherwise bring a passage of another fact in."""
    if len(star) < 2:
        return star
    members = set(star)
    kept = [m for m in star if members & edges_of[m].keys() or all(article[o] == article[m] for o in members)]
    return kept or star[:1]


def _reference_span(link: Link, reference: str) -> tuple[int, int] | None:
    if not link.spans:
        return None
    return tuple(link.spans[0] if link.a == reference else link.spans[1])


def _same_part(x: tuple[int, int], y: tuple[int, int]) -> bool:
    shared = min(x[1], y[1]) - max(x[0], y[0])
    return shared >= SAME_PART * max(1, min(x[1] - x[0], y[1] - y[0]))


def _without_rejected(reference: str, members: list[str], banned: set) -> list[str]:
    """Members in order, less any rejected with the reference or with a member kept before."""
    kept: list[str] = []
    for m in members:
        if frozenset((reference, m)) not in banned and not any(frozenset((m, k)) in banned for k in kept):
            kept.append(m)
    return kept


def _majority(reference: str, members: list[str], edges: dict[str, dict[str, Link]], banned: set,
              place: dict, weight: dict[str, int]) -> list[str]:
    """Passages outside the star linked to at least MAJORITY of its passages (reference included,
    a copy group's lead counted with its copies): a lead of many copies linked to a few of the
    star's passages does not bring them all in."""
    core = {reference, *members}
    if len(core) < 2:
        return []
    total = sum(weight.get(m, 1) for m in core)
    reached: dict[str, int] = defaultdict(int)
    linked: dict[str, int] = defaultdict(int)
    for m in core:
        for other in edges[m]:
            reached[other] += weight.get(m, 1)
            linked[other] += 1
    joined = []
    for other, n in sorted(reached.items(), key=lambda x: (-x[1], place[x[0]][0])):
        if n < MAJORITY * total:
            break
        if other not in core and linked[other] >= 2 and not any(
                frozenset((other, k)) in banned for k in core | set(joined)):
            joined.append(other)
    return joined
