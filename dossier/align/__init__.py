"""Stage 4: find the passages of different articles that share a fact, and say where and why.

    tokens -> copy groups (MinHash) -> rows -> candidates and scores -> links -> rules -> groups

1. Each passage becomes content words with weights and character spans, cut into clauses.
2. Copies and near copies of one passage in COPY_ARTICLES or more articles (wire text) form a copy
   group, found by MinHash/LSH without comparing pairs; only its lead (the most common wording)
   is scored, and its members inherit the lead's links. Nothing grows with the square of copies.
3. Passages and clauses are scored through a sparse inverted index: `parallel` when the whole
   passages tell the same thing, `overlap` when one clause or quote or figure is shared.
4. Manual rules from `content/alignments.yml` assert or reject links; a rejected pair inside a copy
   group splits the passage out of the group.
5. Fact groups by average linkage; each link records its matched spans and its shared words.

A pair's score depends on the two passages and on the dossier's topic stems (words in so many
passages that they tell what the dossier is about), so `PairIndex` (kept in the cache) lets a
rebuild score only the passages that are new, changed, or hold a stem whose topic status changed,
with the same result as a clean run.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

from ..model import Alignment, AlignmentRule, CopyGroup, Link, Passage
from ..parallel import map_forked, would_fork, workers
from . import crosslang, decision, scoring
from .copies import COPY_ARTICLES, SIGNATURE, copy_groups, signatures
from .explain import carried_fact, diff_sides, explain, word_diff
from .groups import groups_of
from .rules import resolve_rules
from .tokens import LEXICAL, Token, clauses, learn, learnt_since, plain_words, quoted_spans, tokens, word_stems

__all__ = ["align", "align_incremental", "diff_sides", "groups_of", "word_diff", "Linked", "PairIndex", "ENGINE_VERSION"]
ENGINE_VERSION = "4"
GROUPS_CONFIDENCE = 0.5  # the link model's probability an overlap between two copy groups needs
LINKS_PER_TASK = 500  # links explained per task of a forked worker
FORK_ROWS = 4_000  # from this many passages, a clean run makes their rows in forked workers...
TASKS_PER_WORKER = 4  # ...in this many tasks per worker (their features' names go back once per task)


@dataclass(frozen=True)
class PairIndex:
    """What the last run computed, by passage key (a passage's article and text), so a rebuild
    computes only what is new:

    - `seen`: per passage, its content stems and MinHash signature (None: too short to link);
    - `indexed`: per scored passage, the features it is indexed under (its rows' rarest);
    - `keys` and `links`: the passages the last run scored, and the pairs of them that linked,
      with the link's scores, spans and explanation. A pair of known keys needs no new scoring."""
    keys: frozenset[str] = frozenset()
    links: dict = field(default_factory=dict)  # (key, key) -> (whole, partial, spans, explanation)
    topic: frozenset[str] = frozenset()  # the topic stems the rows and scores were computed with
    seen: dict = field(default_factory=dict)  # key -> (stems, signature or None)
    indexed: dict = field(default_factory=dict)  # key -> index features of its rows
    postings: dict = field(default_factory=dict)  # index feature -> keys of the rows it indexes
    scored: dict = field(default_factory=dict)  # key -> how many scored passages have it (topic_stems)
    df: dict = field(default_factory=dict)  # stem -> in how many scored passages it is (topic_stems)
    machine: dict = field(default_factory=dict)  # Apertium's reading of the passages it read (apertium.learnt)


class Linked:
    """The link graph, stored and implied: a copy group's members carry its lead's links, and
    copies link one another (link None: a near copy). The one place render, anchoring, quotes and
    the benchmarks ask which passages link."""

    def __init__(self, alignment: Alignment):
        self.links = {(l.a, l.b): l for l in alignment.links}
        self.copy_of = {pid: c for c in alignment.copies for pid in c.passages}
        self.members = {c.passages[0]: c.passages for c in alignment.copies}  # lead -> its copy group
        self.adjacent: dict[str, set[str]] = {}  # passage -> the passages its stored links reach
        for l in alignment.links:
            self.adjacent.setdefault(l.a, set()).add(l.b)
            self.adjacent.setdefault(l.b, set()).add(l.a)

    def lead(self, pid: str) -> str:
        copy = self.copy_of.get(pid)
        return copy.passages[0] if copy else pid

    def copies(self, pid: str) -> tuple[str, ...]:
        """The passage's copy group (itself alone when it has none)."""
        copy = self.copy_of.get(pid)
        return copy.passages if copy else (pid,)

    def __call__(self, a: str, b: str) -> tuple[bool, Link | None]:
        for x, y in ((a, b), (self.lead(a), self.lead(b))):
            found = self.links.get((x, y)) or self.links.get((y, x))
            if found:
                return True, found
        return a in self.copy_of and self.copy_of.get(a) is self.copy_of.get(b), None

    def pairs(self) -> set[tuple[str, str]]:
        """Every linked pair (a, b), implied ones spelt out: for measuring, never for export."""
        seen = set()
        for a, b in self.links:
            seen.update((min(x, y), max(x, y)) for x in self.copies(a) for y in self.copies(b))
        for members in self.members.values():
            seen.update((x, y) for x in members for y in members if x < y)
        return seen


_LAST_LINKED: list = [None, None]  # (alignment, its Linked): anchoring, rendering and exports share one


def linked_of(alignment: Alignment) -> Linked:
    """The link graph of this very alignment, built once (at 1,000 articles it takes 0.4 s); read only."""
    if _LAST_LINKED[0] is not alignment:
        _LAST_LINKED[:] = [alignment, Linked(alignment)]
    return _LAST_LINKED[1]


def passage_key(p: Passage, several: bool = False) -> str:
    """In a dossier of several languages the key holds the passage's language: its tokens differ."""
    return _key(p.article, p.text, crosslang.language_of(p) if several else None)


@lru_cache(maxsize=200_000)  # serve's rebuilds ask again for every passage of the dossier
def _key(article: str, text: str, language: str | None) -> str:
    return hashlib.blake2b(f"{article}\x1f{text}{'' if language is None else chr(31) + language}".encode(),
                           digest_size=10).hexdigest()


def align(passages: tuple[Passage, ...], rules: tuple[AlignmentRule, ...] = ()) -> Alignment:
    return align_incremental(passages, rules)[0]


def align_incremental(passages: tuple[Passage, ...], rules: tuple[AlignmentRule, ...] = (),
                      previous: PairIndex | None = None, progress=None) -> tuple[Alignment, PairIndex]:
    """`progress`: a progress.Progress, which counts the long steps on a terminal (None: silent)."""
    steps = _Steps(progress)
    previous = previous or PairIndex()
    resolved = resolve_rules(passages, rules)
    several = crosslang.multilingual(passages)  # False: the English-only path, untouched
    parsed = Parsed(passages, several)
    machine = crosslang.prepare(passages, previous.machine) if several else {}
    all_keys = [passage_key(p, several) for p in passages]
    seen = _seen(passages, all_keys, previous.seen, several, steps)
    eligible = [k for k, key in enumerate(all_keys) if seen[key][1] is not None]
    sig = np.frombuffer(b"".join(seen[all_keys[k]][1] for k in eligible), dtype=np.uint32).reshape(-1, SIGNATURE)
    copies = _copies(passages, sig, eligible, resolved)
    followers = {k for group in copies for k in group[1:]}
    active = [k for k in eligible if k not in followers]
    keys = [all_keys[k] for k in active]

    scored = Counter(keys)
    df = stem_counts(scored, seen, previous)
    topic = topic_stems(df, len(keys))
    changed = topic ^ previous.topic  # stems that became or ceased to be topic words...
    stale = {key for key in previous.keys if key in seen and seen[key][0] & changed} if changed else set()
    known = previous.keys - stale  # ...change the weights of the passages holding them, and only those
    fresh = np.array([key not in known for key in keys], dtype=bool)
    forked = bool(fresh.all()) and would_fork(len(keys), FORK_ROWS)
    if forked:  # a clean run of a large dossier
        rows, indexed = _forked_rows(parsed, active, keys, topic, steps)
        features, row_index = {}, {}
    else:
        features = {key: scoring.passage_features(*parsed[k], topic) for k, key, new in zip(active, keys, fresh) if new}
        row_index = {key: [scoring.index_features(found, topic) for found in per_row] for key, per_row in features.items()}
        indexed = {key: previous.indexed[key] if key in known else _index_names(row_index[key]) for key in keys}
    articles = {a: n for n, a in enumerate(dict.fromkeys(p.article for p in passages))}
    article_of = np.array([articles[passages[k].article] for k in active], dtype=np.int64)
    postings = _postings(previous, known, keys, indexed)
    found: dict[tuple[int, int], tuple] = {}
    if fresh.any():
        # rows only for the fresh passages and those sharing an index key with them: the same
        # candidates as a clean run, and the same sums (columns stay in feature-name order)
        if fresh.all():
            local = np.arange(len(keys))
        else:
            near = {key for n in np.nonzero(fresh)[0] for name in indexed[keys[n]] for key in postings[name]}
            local = np.array([n for n, key in enumerate(keys) if key in near or fresh[n]], dtype=np.int64)
        if not forked:
            for n in local:
                if keys[n] not in features:
                    features[keys[n]] = scoring.passage_features(*parsed[active[n]], topic)
                    row_index[keys[n]] = [scoring.index_features(found, topic) for found in features[keys[n]]]
            rows = scoring.rows([features[keys[n]] for n in local], topic, [row_index[keys[n]] for n in local])
        extra = {}
        if several:  # a code per language: pairs of two languages are held to lower thresholds
            names: dict[str, int] = {}
            extra["language_of"] = np.array([names.setdefault(crosslang.language_of(passages[active[n]]), len(names))
                                             for n in local], dtype=np.int64)
        s = scoring.score(rows, article_of[local], fresh[local], **extra,
                          progress=steps.counter("compared", "passages", int(fresh[local].sum())))
        pairs = list(zip(local[s.i].tolist(), local[s.j].tolist(), s.whole.tolist(), s.partial.tolist(),
                         s.clause_i.tolist(), s.clause_j.tolist()))
        chunks = range(0, len(pairs), LINKS_PER_TASK)
        explained = map_forked(lambda c: [_linked(passages, parsed, active[i], active[j], w, p, ci, cj)
                                          for i, j, w, p, ci, cj in pairs[chunks[c]:chunks[c] + LINKS_PER_TASK]],
                               len(chunks), steps.counter("explained", "candidate pairs", len(pairs)), min_items=4)
        found.update((pair, value) for pair, value in zip(((i, j) for i, j, *_ in pairs),
                                                          (value for chunk in explained for value in chunk))
                     if value is not None)
    slots: dict[str, list[int]] = {}
    for n, key in enumerate(keys):
        slots.setdefault(key, []).append(n)
    for (ka, kb), value in previous.links.items():  # pairs of two known passages: scored before
        for i in slots.get(ka, ()):
            for j in slots.get(kb, ()):
                if not (fresh[i] or fresh[j]) and article_of[i] != article_of[j]:
                    found[(min(i, j), max(i, j))] = value if i < j else _flipped(value)
    index = PairIndex(frozenset(keys), {(keys[i], keys[j]): v for (i, j), v in found.items()}, topic,
                      seen, indexed, postings, scored, df, machine)

    leads = {group[0] for group in copies}
    links = {(passages[active[i]].id, passages[active[j]].id): _link(passages[active[i]].id, passages[active[j]].id, *v)
             for (i, j), v in sorted(found.items()) if _strong_enough(v, active[i] in leads and active[j] in leads)}
    order = {p.id: k for k, p in enumerate(passages)}
    links = _mark_merges(links, passages, order)
    rejected, apart, joined = set(), set(), []  # apart: never in one fact; joined: (a, b) b tells a's facts
    for kind, a, b, note in resolved:
        key = (a.id, b.id) if order[a.id] < order[b.id] else (b.id, a.id)
        if kind == "reject":
            rejected.add(key)
            links.pop(key, None)
        elif kind == "not-fact":
            apart.add(key)
        else:  # "link", or "fact": a manual link, and b in every fact of a
            x, y = order[key[0]], order[key[1]]
            whole = _pair_score(parsed[x], parsed[y], topic)
            link = _link(key[0], key[1], *_linked(passages, parsed, x, y, whole, 0.0, -1, -1, manual=True), "manual")
            if note:
                link.explanation["note"] = note
            links[key] = link
            if kind == "fact":
                joined.append((a.id, b.id))
    ordered = tuple(sorted(links.values(), key=lambda l: (order[l.a], order[l.b])))
    copy_records = tuple(CopyGroup(f"c{n}", tuple(passages[k].id for k in group))
                         for n, group in enumerate(copies, start=1))
    lead_of = {passages[k].id: passages[group[0]].id for group in copies for k in group}
    grouping = tuple(l if l.a not in lead_of and l.b not in lead_of else
                     replace(l, a=lead_of.get(l.a, l.a), b=lead_of.get(l.b, l.b)) for l in ordered)
    grouping = tuple(l for l in grouping if l.a != l.b)
    never = rejected | apart
    never |= {(lead_of.get(x, x), lead_of.get(y, y)) for x, y in never}
    groups = groups_of(grouping, passages, never, {c.passages[0]: c.passages for c in copy_records},
                       tuple((lead_of.get(a, a), lead_of.get(b, b)) for a, b in joined))
    steps.end()
    return Alignment(links=ordered, groups=groups, copies=copy_records), index


class _Steps:
    """Counts of the aligner's long steps on a terminal (progress.Progress): each step counts
    its tasks as they end, shown as the share of its items (passages, links) done."""

    def __init__(self, progress=None):
        self.progress = progress

    def counter(self, verb: str, noun: str, items: int):
        """A function (tasks done, tasks) for map_forked; None when nothing is shown."""
        if self.progress is None:
            return None
        self.progress.done()  # the last step's line ends
        show = self.progress.counter(verb, noun)
        return lambda done, total: show(items * done // max(total, 1), items)

    def end(self) -> None:
        if self.progress is not None:
            self.progress.done()


def _task_ranges(count: int) -> list[range]:
    """Items 0..count-1 in consecutive runs, TASKS_PER_WORKER runs per worker."""
    size = max(1, -(-count // (TASKS_PER_WORKER * workers())))
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def _index_names(row_index: list[list[str]]) -> tuple[str, ...]:
    """A passage's index features: its rows', each once, in order."""
    return tuple(dict.fromkeys(name for names in row_index for name in names))


def _forked_rows(parsed: Parsed, active: list[int], keys: list[str], topic: frozenset[str],
                 steps: _Steps) -> tuple[scoring.Rows, dict]:
    """The rows of every passage to score, and each one's index features (by key), made in
    forked workers: in a clean run of a large dossier, tokenising and weighing every passage is
    most of the serial work. A worker hands back numbers and its features' names (RowParts), not
    the tokens, which cost as much to pickle as to make: the explanations tokenise the passages
    they need in their own workers. The rows are those `scoring.rows` makes in one go."""
    tasks = _task_ranges(len(keys))

    def one(task: int):
        found = [scoring.passage_features(*parsed[active[n]], topic) for n in tasks[task]]
        index = [[scoring.index_features(row, topic) for row in per_row] for per_row in found]
        parts = scoring.row_parts(found, topic, index)
        column = {name: col for col, name in enumerate(parts.names)}
        indexed = [[column[name] for name in _index_names(per_row)] for per_row in index]
        return parts, indexed

    made = map_forked(one, len(tasks), steps.counter("weighed", "passages", len(keys)), min_items=2)
    rows, _ = scoring.assemble([parts for parts, _ in made])
    indexed = {}
    for (parts, columns), here in zip(made, tasks):
        names = parts.names
        for n, found in zip(here, columns):
            indexed[keys[n]] = tuple(names[col] for col in found)
    return rows, indexed


def _postings(previous: PairIndex, known: set[str], keys: list[str], indexed: dict) -> dict:
    """The inverted index (index feature -> passage keys) of this run: the last run's, less the
    passages gone or re-weighted (under the keys they had), plus the new and re-weighted ones."""
    postings = dict(previous.postings)  # the sets are copied only where they change, once each
    current = set(keys)
    gone, added = defaultdict(list), defaultdict(list)
    for key in previous.keys - (current & known):
        for name in previous.indexed.get(key, ()):
            gone[name].append(key)
    for key in current - known:
        for name in indexed[key]:
            added[name].append(key)
    for name, found in gone.items():
        postings[name] = postings[name].difference(found)
    for name, found in added.items():
        postings[name] = postings.get(name, frozenset()).union(found)
    return {name: found for name, found in postings.items() if found}


def _seen(passages: tuple[Passage, ...], keys: list[str], known: dict, several: bool, steps: _Steps) -> dict:
    """Stems and MinHash signature per passage key, computed for the passages not known yet."""
    seen = {key: known[key] for key in keys if key in known}
    fresh = {key: p for p, key in zip(passages, keys) if key not in seen}
    if several:
        stems = [frozenset(crosslang.passage_stems(p)) for p in fresh.values()]
        read = _signed(stems, [p.language not in (None, "en") or (len(found) >= scoring.MIN_TERMS and
                                                                    plain_words(p.text) >= scoring.MIN_PLAIN)
                               for p, found in zip(fresh.values(), stems)])
    else:
        read = _stems_of([p.text for p in fresh.values()], steps)
    found = dict(zip(fresh, read))  # the signed first, as the cache has always held them
    seen.update((key, value) for key, value in found.items() if value[1] is not None)
    seen.update((key, value) for key, value in found.items() if value[1] is None)
    return seen


def _signed(stems: list[frozenset[str]], plain_enough: list[bool]) -> list[tuple[frozenset[str], bytes | None]]:
    """Each passage's stems with its MinHash signature, None for one too short to link: fewer than
    MIN_TERMS stems, or (`plain_enough` false) almost all names, as a caption or byline is."""
    long_enough = [n for n, (found, plain) in enumerate(zip(stems, plain_enough))
                   if plain and len(found) >= scoring.MIN_TERMS]
    signed = dict(zip(long_enough, signatures([stems[n] for n in long_enough])))
    # bytes: the cache file stays small and quick
    return [(found, signed[n].tobytes() if n in signed else None) for n, found in enumerate(stems)]


def _read(texts: list[str]) -> list[tuple[frozenset[str], bytes | None]]:
    """`_signed` of English texts: their stems, read by `word_stems`, and their signatures."""
    read = [word_stems(text) for text in texts]
    return _signed([frozenset(found) for found, _ in read], [plain >= scoring.MIN_PLAIN for _, plain in read])


def _stems_of(texts: list[str], steps: _Steps) -> list[tuple[frozenset[str], bytes | None]]:
    """`_read` of the texts; in forked workers for a clean run of a large dossier, which hand back
    what they learnt of each word, so that the tokenising that follows (here and in the workers
    forked for the rows) finds the dossier's words known, as if this process had read them."""
    if not would_fork(len(texts), FORK_ROWS):
        return _read(texts)
    tokens("Loaded once, before the workers fork.")  # WordNet and the word frequencies
    tasks = _task_ranges(len(texts))

    def one(task: int):
        known = len(LEXICAL)
        return _read([texts[n] for n in tasks[task]]), learnt_since(known)

    made = map_forked(one, len(tasks), steps.counter("read", "passages", len(texts)), min_items=2)
    for _, learnt in made:
        learn(learnt)
    return [value for found, _ in made for value in found]


def stem_counts(scored: Counter, seen: dict, previous: PairIndex) -> dict[str, int]:
    """Stem -> in how many of the scored passages it is (a passage key counted as often as it is
    scored): the last run's counts, updated by the passages that came or went. Counting every
    stem of a large dossier again took a quarter of a second of an added article's rebuild."""
    df = dict(previous.df)
    before = previous.scored
    changes = [(key, n - before.get(key, 0)) for key, n in scored.items() if before.get(key, 0) != n]
    changes += [(key, -n) for key, n in before.items() if key not in scored]
    for key, change in changes:
        for stem in (seen[key] if key in seen else previous.seen[key])[0]:
            n = df.get(stem, 0) + change
            if n:
                df[stem] = n
            else:
                del df[stem]
    return df


def topic_stems(df: dict[str, int], scored: int) -> frozenset[str]:
    """Stems found in so many of the `scored` passages (copies counted once; `df`: from
    `stem_counts`) that they tell what the dossier is about rather than which fact a sentence
    tells. The only dossier-wide statistic the scores use: when a stem enters or leaves it, the
    passages holding that stem are scored again."""
    floor = max(scoring.TOPIC_MIN, scoring.TOPIC_SHARE * scored)
    return frozenset(stem for stem, n in df.items() if n >= floor)


class Parsed:
    """Tokens and clauses per passage index, made when first asked for: copies that only follow
    their group's lead are never tokenised in full."""

    def __init__(self, passages: tuple[Passage, ...], several: bool = False):
        self.passages = passages
        self.several = several
        self.done: dict[int, tuple] = {}

    def __getitem__(self, k: int) -> tuple:
        if k not in self.done:
            toks = crosslang.passage_tokens(self.passages[k]) if self.several else tokens(self.passages[k].text)
            self.done[k] = (toks, clauses(self.passages[k].text, toks))
        return self.done[k]


def _copies(passages, sig: np.ndarray, eligible: list[int], resolved) -> list[list[int]]:
    """Copy groups over eligible passages; a pair rejected (as a link or as one fact) inside one
    splits a passage out."""
    groups = [[eligible[k] for k in g] for g in copy_groups(sig, [passages[k].article for k in eligible])]
    rejects = [(a.id, b.id) for kind, a, b, _ in resolved if kind in ("reject", "not-fact")]
    if not rejects:
        return groups
    position = {p.id: k for k, p in enumerate(passages)}
    for a, b in rejects:
        for group in groups:
            x, y = position[a], position[b]
            if x in group and y in group:
                group.remove(y if x == group[0] else x)  # the lead keeps the group's wording
    return [g for g in groups if len({passages[k].article for k in g}) >= COPY_ARTICLES]


def _pair_score(a, b, topic: frozenset[str]) -> float:
    r = scoring.rows([scoring.passage_features(*a, topic), scoring.passage_features(*b, topic)], topic)
    whole = np.nonzero(r.clause < 0)[0]
    return float(scoring.blend(scoring.dots(r.matrix, whole[:1], whole[1:]), r.weight[whole[:1]], r.weight[whole[1:]])[0])


def _linked(passages, parsed, a: int, b: int, whole: float, partial: float, ci: int, cj: int,
            manual: bool = False) -> tuple:
    """What a link between passages a and b keeps: (whole, partial, spans, explanation); None when
    the spans they share carry no fact."""
    languages = [crosslang.language_of(passages[a]), crosslang.language_of(passages[b])]
    cross = languages[0] != languages[1]
    if whole >= scoring.PARALLEL * (scoring.CROSS if cross else 1.0) or manual:
        ci = cj = -1
    part_a, part_b = _part(parsed[a], ci), _part(parsed[b], cj)
    quoted = quoted_spans(passages[a].text), quoted_spans(passages[b].text)
    carries = carried_fact(part_a, part_b, *quoted)
    if carries is None and (ci >= 0 or cj >= 0):  # the clauses that scored best may not be where the fact is told
        carries = carried_fact(parsed[a][0], parsed[b][0], *quoted)
    if carries is None and not manual:
        return None  # a word, a title, names or dates alone: no fact is shared
    features = decision.link_features(part_a, part_b, whole, partial, carries, cross)
    chosen = decision.model()
    confidence = chosen.probability(features)
    if confidence < chosen.threshold and not manual:
        return None
    spans, explanation = explain(parsed[a], parsed[b], int(ci), int(cj))  # only for links: it costs
    explanation["carries"] = carries or "manual"
    explanation["confidence"] = round(confidence, 3)
    if decision.MODEL:  # a fitting script collects what the model reads
        explanation["features"] = features
    explanation["score_parts"] = {"whole": round(100 * whole, 1), "clause": round(100 * partial, 1)}
    if cross:  # a cross-language link: the words that matched, as each passage has them
        explanation["languages"] = languages
        explanation["matched"] = crosslang.matched_words(passages[a], passages[b], parsed[a][0], parsed[b][0])
    return whole, partial, spans, explanation


def _part(parsed_passage: tuple, clause: int) -> tuple[Token, ...]:
    """The tokens of a clause (-1: of the whole passage): where the shared fact must be told."""
    toks, found = parsed_passage
    return toks if clause < 0 else toks[found[clause].start:found[clause].end]


def _strong_enough(value: tuple, both_copied: bool) -> bool:
    """An overlap between two copy groups claims that every pair of their members shares a fact,
    so it needs GROUPS_CONFIDENCE; any other link is decided by the model alone (decision.py)."""
    whole, _, _, explanation = value
    parallel = whole >= scoring.PARALLEL * (scoring.CROSS if "languages" in explanation else 1.0)
    return not both_copied or parallel or explanation.get("confidence", 1.0) >= GROUPS_CONFIDENCE


def _flipped(value: tuple) -> tuple:
    whole, partial, (span_a, span_b), explanation = value
    return whole, partial, (span_b, span_a), {**explanation, "variants": [v[::-1] for v in explanation["variants"]]}


def _link(a: str, b: str, whole: float, partial: float, spans, explanation: dict, method: str = "auto") -> Link:
    cross = "languages" in explanation
    parallel = whole >= scoring.PARALLEL * (scoring.CROSS if cross else 1.0) or method == "manual"
    return Link(a, b, round(100 * max(whole, partial), 1), method, kind="parallel" if parallel else "overlap",
                spans=spans, explanation=dict(explanation))


def _mark_merges(links: dict, passages: tuple[Passage, ...], position: dict[str, int]) -> dict:
    """Two adjacent sentences of one article that both link to one passage of another tell its
    fact between them: their links are marked 2:1 (read from the link's `a` side).
    `position`: passage id -> its index in `passages`."""
    partners: dict[str, set[str]] = {}
    for a, b in links:
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    last = len(passages) - 1
    marked = dict(links)
    for (a, b), link in links.items():
        for side, other in ((a, b), (b, a)):
            theirs = partners[other]  # a neighbour of `side` among them tells the rest of the fact
            if len(theirs) < 2:
                continue
            k = position[side]
            article = passages[k].article
            if (k > 0 and passages[k - 1].id in theirs and passages[k - 1].article == article) or (
                    k < last and passages[k + 1].id in theirs and passages[k + 1].article == article):
                shape = "2:1" if side == a else "1:2"
                marked[(a, b)] = Link(link.a, link.b, link.score, link.method, shape, link.kind, link.spans,
                                      link.explanation)
    return marked
