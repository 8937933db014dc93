"""Fact groups: passages that tell one fact across articles, by average linkage over the links.

Two clusters join only when enough of the pairs between them are linked, so one stray link
cannot glue two stories together, and a rejected pair never ends up in one group. Copy groups
enter as one node (their lead) and are expanded at the end.
"""

from __future__ import annotations

from collections import defaultdict

from ..model import Group, Link, Passage

GROUP_DENSITY = 0.3  # share of cross-article pairs between two clusters that must be linked to join


def groups_of(links: tuple[Link, ...], passages: tuple[Passage, ...], rejected: set = frozenset(),
              members_of: dict[str, tuple[str, ...]] | None = None) -> tuple[Group, ...]:
    """Average-linkage groups over the links, strongest first, numbered in reading order.
    `members_of`: a copy group's lead -> all its members, who join the lead's group."""
    place = {p.id: (k, p.article) for k, p in enumerate(passages)}
    members_of = members_of or {}
    adjacent: dict[str, set[str]] = defaultdict(set)
    for link in links:
        adjacent[link.a].add(link.b)
        adjacent[link.b].add(link.a)
    # per cluster (named by one of its passages): its passages, and how many of them each article has
    members: dict[str, set[str]] = {pid: {pid} for pid in (*adjacent, *members_of)}
    articles: dict[str, dict[str, int]] = {pid: {place[pid][1]: 1} for pid in members}
    owner = {pid: pid for pid in members}
    # Manual links first; then links that close triangles (well supported), strongest first, so a
    # stray link between two stories meets two formed clusters and fails the density test.
    ordered = sorted(links, key=lambda l: (l.method != "manual", -len(adjacent[l.a] & adjacent[l.b]), -l.score, l.a, l.b))
    for link in ordered:
        ra, rb = owner[link.a], owner[link.b]
        if ra == rb:
            continue
        na, nb = len(members[ra]), len(members[rb])
        small, large = (ra, rb) if na < nb or (na == nb and ra < rb) else (rb, ra)
        in_small, in_large = members[small], members[large]
        if rejected and any((x, y) in rejected or (y, x) in rejected for x in in_small for y in in_large):
            continue
        if link.method != "manual" and na + nb > 2:  # two lone passages: their link is all there can be
            linked = sum(len(adjacent[x] & in_large) for x in in_small)
            of_small, of_large = articles[small], articles[large]
            same_article = sum(n * of_large[a] for a, n in of_small.items() if a in of_large)
            if linked < GROUP_DENSITY * (len(in_small) * len(in_large) - same_article):
                continue
        in_large |= members.pop(small)
        of_large = articles[large]
        for a, n in articles.pop(small).items():
            of_large[a] = of_large.get(a, 0) + n
        for x in in_small:
            owner[x] = large
    clusters = []
    for found in members.values():
        expanded = {m for pid in found for m in members_of.get(pid, (pid,))}
        if len({place[m][1] for m in expanded}) > 1:
            clusters.append(sorted(expanded, key=lambda m: place[m][0]))
    clusters.sort(key=lambda m: place[m[0]][0])
    return tuple(Group(f"g{n}", tuple(m)) for n, m in enumerate(clusters, start=1))
