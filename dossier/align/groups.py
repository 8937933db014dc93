"""Fact groups: passages that tell one fact across articles, by average linkage over the links.

Two clusters join only when enough of the pairs between them are linked, so one stray link
cannot glue two stories together, and a rejected pair never ends up in one group. Copy groups
enter as one node (their lead) and are expanded at the end.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from ..model import Group, Link, Passage

GROUP_DENSITY = 0.3  # share of cross-article pairs between two clusters that must be linked to join


def groups_of(links: tuple[Link, ...], passages: tuple[Passage, ...], rejected: set = frozenset(),
              members_of: dict[str, tuple[str, ...]] | None = None) -> tuple[Group, ...]:
    """Average-linkage groups over the links, strongest first, numbered in reading order.
    `members_of`: a copy group's lead -> all its members, who join the lead's group."""
    article = {p.id: p.article for p in passages}
    members_of = members_of or {}
    members: dict[str, set[str]] = {}
    articles: dict[str, Counter] = {}
    owner: dict[str, str] = {}
    adjacent: dict[str, set[str]] = defaultdict(set)
    for link in links:
        adjacent[link.a].add(link.b)
        adjacent[link.b].add(link.a)
    for pid in list(adjacent) + list(members_of):
        members[pid], articles[pid], owner[pid] = {pid}, Counter([article[pid]]), pid
    # Manual links first; then links that close triangles (well supported), strongest first, so a
    # stray link between two stories meets two formed clusters and fails the density test.
    support = {(l.a, l.b): len(adjacent[l.a] & adjacent[l.b]) for l in links}
    for link in sorted(links, key=lambda l: (l.method != "manual", -support[(l.a, l.b)], -l.score, l.a, l.b)):
        ra, rb = owner[link.a], owner[link.b]
        if ra == rb:
            continue
        small, large = sorted((ra, rb), key=lambda r: (len(members[r]), r))
        if rejected and any((x, y) in rejected or (y, x) in rejected for x in members[small] for y in members[large]):
            continue
        linked = sum(len(adjacent[x] & members[large]) for x in members[small])
        possible = len(members[small]) * len(members[large]) - sum(
            articles[small][a] * articles[large][a] for a in articles[small])
        if link.method != "manual" and linked < GROUP_DENSITY * possible:
            continue
        joining = members.pop(small)
        members[large] |= joining
        articles[large] += articles.pop(small)
        for x in joining:
            owner[x] = large
    order = {p.id: k for k, p in enumerate(passages)}
    clusters = []
    for found in members.values():
        expanded = {m for pid in found for m in members_of.get(pid, (pid,))}
        if len({article[m] for m in expanded}) > 1:
            clusters.append(sorted(expanded, key=order.get))
    clusters.sort(key=lambda m: order[m[0]])
    return tuple(Group(f"g{n}", tuple(m)) for n, m in enumerate(clusters, start=1))
