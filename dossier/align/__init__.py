"""Stage 4: find the passages of different articles that share a fact, and say where and why.

    tokens -> copy groups (MinHash) -> rows -> candidates -> fact test and link model -> rules -> facts

1. Each passage becomes content words with weights and character spans, cut into clauses.
2. Near copies of one passage in COPY_ARTICLES or more articles (wire text) form a copy group, a
   star around its centre (never a chain), found by MinHash/LSH without comparing pairs; only its
   lead is scored, and its members inherit the lead's links. Nothing grows with the square of copies.
3. Passages and clauses are scored through a sparse inverted index; a pair whose whole or clause
   score passes the candidate gates is a candidate.
4. A candidate links when its matched clauses carry a fact (explain.carried_fact: never a word, a
   title, names or dates alone) and the link model fitted on real news says so (decision.py):
   `parallel` when the whole passages tell the same thing, else `overlap`.
5. Manual rules from `content/alignments.yml` assert or reject links and fact membership; a
   rejected pair inside a copy group splits the passage out of the group.
6. Facts are stars around a reference passage (groups.py), never chained; a passage may tell several.

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
from typing import NamedTuple

import numpy as np

from ..model import Alignment, AlignmentRule, CopyGroup, Group, Link, Passage
from ..parallel import map_forked, would_fork, workers
from . import crosslang, crowds, decision, scoring
from .copies import COPY_ARTICLES, SIGNATURE, copy_groups, signatures
from .explain import carried_fact, diff_sides, explain, word_diff
from .groups import groups_of
from .rules import resolve_rules
from .tokens import LEXICAL, Clause, Token, clauses, learn, learnt_since, plain_words, quoted_spans, tokens, word_stems

__all__ = ["align", "align_incremental", "diff_sides", "groups_of", "word_diff", "Linked", "PairIndex", "Scored", "Seen"]
GROUPS_CONFIDENCE = 0.5  # the link model's probability an overlap between two copy groups needs
LINKS_PER_TASK = 500  # links explained per task of a forked worker
FORK_ROWS = 4_000  # from this many passages, a clean run makes their rows in forked workers...
TASKS_PER_WORKER = 4  # ...in this many tasks per worker (their features' names go back once per task)


class Seen(NamedTuple):
    """A passage's content stems, and its MinHash signature (None: too short to link)."""
    stems: frozenset[str]
    signature: bytes | None  # bytes: the cache file stays small and quick


class Scored(NamedTuple):
    """What a pair that links keeps: its scores, the spans it matched, the link's explanation."""
    whole: float
    partial: float
    spans: tuple
    explanation: dict


@dataclass(frozen=True)
class PairIndex:
    """What the last run computed, by passage key (a passage's article and text), so a rebuild
    computes only what is new:

    - `seen`: per passage, its content stems and MinHash signature (None: too short to link);
    - `indexed`: per scored passage, the features it is indexed under (its rows' rarest);
    - `keys` and `links`: the passages the last run scored, and the pairs of them that linked,
      with the link's scores, spans and explanation. A pair of known keys needs no new scoring."""
    keys: frozenset[str] = frozenset()
    links: dict[tuple[str, str], Scored] = field(default_factory=dict)
    topic: frozenset[str] = frozenset()  # the topic stems the rows and scores were computed with
    seen: dict[str, Seen] = field(default_factory=dict)
    indexed: dict = field(default_factory=dict)  # key -> index features of its rows
    postings: dict = field(default_factory=dict)  # index feature -> keys of the rows it indexes
    scored: dict = field(default_factory=dict)  # key -> how many scored passages have it (topic_stems)
    df: dict = field(default_factory=dict)  # stem -> in how many scored passages it is (topic_stems)
    machine: dict = field(default_factory=dict)  # Apertium's reading of the passages it read (apertium.learnt)
    partners: dict = field(default_factory=dict)  # key -> its strongest candidates (crowds.Crowds.partners)


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
    """The alignment, and the pair index that lets the next run score only what changed
    (`previous`: the last run's). `progress`: a progress.Progress, which counts the long steps on
    a terminal (None: silent).

    Each passage's stems and signature (`_seen`) give the copy groups and the topic stems; the
    passages the last run scored with the same topic keep their pairs (`_kept_pairs`), the others
    are scored (`_score_fresh`); then the links, the manual rules and the facts (`_alignment`)."""
    steps = _Steps(progress)
    previous = previous or PairIndex()
    resolved = resolve_rules(passages, rules)
    several = crosslang.multilingual(passages)  # False: the English-only path, untouched
    machine = crosslang.prepare(passages, previous.machine) if several else {}
    all_keys = [passage_key(p, several) for p in passages]
    seen = _seen(passages, all_keys, previous.seen, several, steps)
    eligible = [k for k, key in enumerate(all_keys) if seen[key].signature is not None]
    copies = _copies(passages, [seen[all_keys[k]].signature for k in eligible], eligible, resolved)
    followers = {k for group in copies for k in group[1:]}
    active = [k for k in eligible if k not in followers]
    keys = [all_keys[k] for k in active]
    scored = Counter(keys)
    df = stem_counts(scored, seen, previous)
    topic = topic_stems(df, keys, seen)
    known = crowds.intact(_still_valid(previous, seen, topic), set(keys), previous.partners)
    run = _Run(passages, Parsed(passages, several), several, active, keys, topic,
               fresh=np.array([key not in known for key in keys], dtype=bool),
               article_of=_article_numbers(passages, active), steps=steps)

    found, indexed, postings, crowd = _score_fresh(run, previous, known)
    found.update(_kept_pairs(run, previous, crowd))
    index = PairIndex(frozenset(keys), {(keys[i], keys[j]): v for (i, j), v in found.items()}, topic,
                      seen, indexed, postings, scored, df, machine, crowd.partners)
    alignment = _alignment(run, copies, found, resolved)
    steps.end()
    return alignment, index


@dataclass(frozen=True)
class _Run:
    """What the steps of one alignment run share: the passages it scores (`active`: by index in
    `passages`; a copy that follows its group's lead, or a passage too short to link, is not scored)."""
    passages: tuple[Passage, ...]
    parsed: Parsed
    several: bool  # several languages
    active: list[int]
    keys: list[str]  # per scored passage: its passage key
    topic: frozenset[str]
    fresh: np.ndarray  # per scored passage: whether it is scored anew (else its pairs are the last run's)
    article_of: np.ndarray  # per scored passage: its article's number
    steps: _Steps


def _article_numbers(passages: tuple[Passage, ...], active: list[int]) -> np.ndarray:
    articles = {a: n for n, a in enumerate(dict.fromkeys(p.article for p in passages))}
    return np.array([articles[passages[k].article] for k in active], dtype=np.int64)


def _still_valid(previous: PairIndex, seen: dict[str, Seen], topic: frozenset[str]) -> frozenset[str]:
    """The passages the last run scored whose scores still hold: a stem that became or ceased to be
    a topic word changes the weights of the passages holding it, and only those."""
    changed = topic ^ previous.topic
    stale = {key for key in previous.keys if key in seen and seen[key].stems & changed} if changed else set()
    return previous.keys - stale


def _score_fresh(run: _Run, previous: PairIndex, known: frozenset[str]) -> tuple[dict, dict, dict, crowds.Crowds]:
    """The pairs (by position in `run.keys`) that link with a passage scored anew, this run's
    index features per key and inverted index (`_postings`), and each passage's strongest candidates."""
    forked = bool(run.fresh.all()) and would_fork(len(run.keys), FORK_ROWS)
    if forked:  # a clean run of a large dossier
        all_rows, indexed = _forked_rows(run)
    else:
        weights = _Weights(run)
        indexed = weights.indexed(previous, known)
    postings = _postings(previous, known, run.keys, indexed)
    present = set(run.keys)
    listed = {key: tuple((s, other) for s, other in previous.partners[key] if other in known and other in present)
              for key in present & known if key in previous.partners}
    if not run.fresh.any():
        return {}, indexed, postings, crowds.crowds([], [], np.zeros(0), listed)
    local = _near_fresh(run, indexed, postings)
    rows = all_rows if forked else weights.rows(local)
    found, crowd = _linked_pairs(run, rows, local, listed)
    return found, indexed, postings, crowd


class _Weights:
    """The features of scored passages (scoring.passage_features), made once per key, and their rows."""

    def __init__(self, run: _Run):
        self.run = run
        self.features: dict[str, list] = {}
        self.index: dict[str, list[list[str]]] = {}  # per key: each row's index features

    def weigh(self, n: int) -> None:
        key = self.run.keys[n]
        if key not in self.features:
            self.features[key] = found = scoring.passage_features(*self.run.parsed[self.run.active[n]], self.run.topic)
            self.index[key] = [scoring.index_features(row, self.run.topic) for row in found]

    def indexed(self, previous: PairIndex, known: frozenset[str]) -> dict[str, tuple[str, ...]]:
        """Each scored passage's index features: the last run's where its scores still hold."""
        for n, fresh in enumerate(self.run.fresh):
            if fresh:
                self.weigh(n)
        return {key: previous.indexed[key] if key in known else _index_names(self.index[key]) for key in self.run.keys}

    def rows(self, local: np.ndarray) -> scoring.Rows:
        for n in local:
            self.weigh(n)
        keys = [self.run.keys[n] for n in local]
        return scoring.rows([self.features[key] for key in keys], self.run.topic, [self.index[key] for key in keys])


def _near_fresh(run: _Run, indexed: dict, postings: dict) -> np.ndarray:
    """The scored passages to make rows for: the fresh ones and those sharing an index feature
    with one. The same candidates as a clean run, and the same sums (columns stay in
    feature-name order)."""
    if run.fresh.all():
        return np.arange(len(run.keys))
    near = {key for n in np.nonzero(run.fresh)[0] for name in indexed[run.keys[n]] for key in postings[name]}
    return np.array([n for n, key in enumerate(run.keys) if key in near or run.fresh[n]], dtype=np.int64)


def _linked_pairs(run: _Run, rows: scoring.Rows, local: np.ndarray,
                  listed: dict) -> tuple[dict[tuple[int, int], Scored], crowds.Crowds]:
    """The candidate pairs of `local` passages with a fresh one, scored, cut to each passage's
    strongest (`listed`: the last run's strongest of passages not scored anew), explained (in
    forked workers) and kept where they link; and the passages' strongest candidates."""
    extra = {}
    if run.several:  # a code per language: pairs of two languages are held to lower thresholds
        names: dict[str, int] = {}
        extra["language_of"] = np.array([names.setdefault(crosslang.language_of(run.passages[run.active[n]]), len(names))
                                         for n in local], dtype=np.int64)
    s = scoring.score(rows, run.article_of[local], run.fresh[local], **extra,
                      progress=run.steps.counter("compared", "passages", int(run.fresh[local].sum())))
    pairs, crowd = _strongest(run.keys, local[s.i], local[s.j], s, listed)
    chunks = range(0, len(pairs), LINKS_PER_TASK)
    active = run.active
    explained = map_forked(lambda c: [_linked(run.passages, run.parsed, active[i], active[j], w, p, ci, cj)
                                      for i, j, w, p, ci, cj in pairs[chunks[c]:chunks[c] + LINKS_PER_TASK]],
                           len(chunks), run.steps.counter("explained", "candidate pairs", len(pairs)), min_items=4)
    return {pair: value for pair, value in zip(((i, j) for i, j, *_ in pairs), (v for chunk in explained for v in chunk))
            if value is not None}, crowd


def _strongest(keys: list[str], i: np.ndarray, j: np.ndarray, s: scoring.Scored,
               listed: dict | None = None) -> tuple[list[tuple], crowds.Crowds]:
    """The candidate pairs (i, j, whole, partial, clause i, clause j; i and j by position in
    `keys`) among the strongest of one of their passages, and the passages' strongest."""
    ka, kb = [keys[n] for n in i.tolist()], [keys[n] for n in j.tolist()]
    strengths = crowds.strength(s.whole, s.partial)
    crowd = crowds.crowds(ka, kb, strengths, listed)
    pairs = [pair for pair, a, b, x in zip(zip(i.tolist(), j.tolist(), s.whole.tolist(), s.partial.tolist(),
                                               s.clause_i.tolist(), s.clause_j.tolist()), ka, kb, strengths.tolist())
             if crowd.keeps(a, b, x)]
    return pairs, crowd


def _kept_pairs(run: _Run, previous: PairIndex, crowd: crowds.Crowds) -> dict[tuple[int, int], Scored]:
    """The links the last run found between passages whose scores still hold, by position in `run.keys`."""
    slots: dict[str, list[int]] = {}  # a key is scored as often as an article repeats its sentence
    for n, key in enumerate(run.keys):
        slots.setdefault(key, []).append(n)
    fresh, article_of = run.fresh, run.article_of
    kept = {}
    for (ka, kb), value in previous.links.items():
        if not crowd.keeps(ka, kb, crowds.strength(value.whole, value.partial)):
            continue
        for i in slots.get(ka, ()):
            for j in slots.get(kb, ()):
                if not (fresh[i] or fresh[j]) and article_of[i] != article_of[j]:
                    kept[(min(i, j), max(i, j))] = value if i < j else _flipped(value)
    return kept


def _alignment(run: _Run, copies: list[list[int]], found: dict[tuple[int, int], Scored], resolved) -> Alignment:
    """Links from the pairs found and the manual rules, copy groups, and fact groups."""
    passages = run.passages
    order = {p.id: k for k, p in enumerate(passages)}
    leads = {group[0] for group in copies}
    ids = [passages[k].id for k in run.active]
    links = {(ids[i], ids[j]): _link(ids[i], ids[j], v)
             for (i, j), v in sorted(found.items()) if _strong_enough(v, run.active[i] in leads and run.active[j] in leads)}
    links = _mark_merges(links, passages, order)
    manual = _apply_rules(run, links, order, resolved)
    ordered = tuple(sorted(links.values(), key=lambda l: (order[l.a], order[l.b])))
    copy_records = tuple(CopyGroup(f"c{n}", tuple(passages[k].id for k in group))
                         for n, group in enumerate(copies, start=1))
    return Alignment(links=ordered, groups=_fact_groups(passages, ordered, copy_records, manual), copies=copy_records)


@dataclass(frozen=True)
class _ManualFacts:
    """What content/alignments.yml says of facts, by passage id: pairs (a, b), a before b in the
    dossier, never in one fact (`rejected` links, `apart`: not-fact), and pairs (a, b) where b
    tells a's facts (`joined`)."""
    rejected: set[tuple[str, str]]
    apart: set[tuple[str, str]]
    joined: list[tuple[str, str]]


def _apply_rules(run: _Run, links: dict[tuple[str, str], Link], order: dict[str, int], resolved) -> _ManualFacts:
    """Adds the manual links to `links` and takes the rejected ones out."""
    manual = _ManualFacts(set(), set(), [])
    for kind, a, b, note in resolved:
        key = (a.id, b.id) if order[a.id] < order[b.id] else (b.id, a.id)
        if kind == "reject":
            manual.rejected.add(key)
            links.pop(key, None)
        elif kind == "not-fact":
            manual.apart.add(key)
        else:  # "link", or "fact": a manual link, and b in every fact of a
            x, y = order[key[0]], order[key[1]]
            whole = _pair_score(run.parsed[x], run.parsed[y], run.topic)
            link = _link(key[0], key[1], _linked(run.passages, run.parsed, x, y, whole, 0.0, -1, -1, manual=True), "manual")
            if note:
                link.explanation["note"] = note
            links[key] = link
            if kind == "fact":
                manual.joined.append((a.id, b.id))
    return manual


def _fact_groups(passages: tuple[Passage, ...], ordered: tuple[Link, ...], copy_records: tuple[CopyGroup, ...],
                 manual: _ManualFacts) -> tuple[Group, ...]:
    """groups_of over the links, a copy group standing as its lead."""
    lead_of = {pid: c.passages[0] for c in copy_records for pid in c.passages}
    grouping = tuple(l if l.a not in lead_of and l.b not in lead_of else
                     replace(l, a=lead_of.get(l.a, l.a), b=lead_of.get(l.b, l.b)) for l in ordered)
    grouping = tuple(l for l in grouping if l.a != l.b)
    never = manual.rejected | manual.apart
    never |= {(lead_of.get(x, x), lead_of.get(y, y)) for x, y in never}
    return groups_of(grouping, passages, never, {c.passages[0]: c.passages for c in copy_records},
                     tuple((lead_of.get(a, a), lead_of.get(b, b)) for a, b in manual.joined))


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


def _forked_rows(run: _Run) -> tuple[scoring.Rows, dict]:
    """The rows of every passage to score, and each one's index features (by key), made in
    forked workers: in a clean run of a large dossier, tokenising and weighing every passage is
    most of the serial work. A worker hands back numbers and its features' names (RowParts), not
    the tokens, which cost as much to pickle as to make: the explanations tokenise the passages
    they need in their own workers. The rows are those `scoring.rows` makes in one go."""
    keys, topic = run.keys, run.topic
    tasks = _task_ranges(len(keys))

    def one(task: int):
        found = [scoring.passage_features(*run.parsed[run.active[n]], topic) for n in tasks[task]]
        index = [[scoring.index_features(row, topic) for row in per_row] for per_row in found]
        parts = scoring.row_parts(found, topic, index)
        column = {name: col for col, name in enumerate(parts.names)}
        indexed = [[column[name] for name in _index_names(per_row)] for per_row in index]
        return parts, indexed

    made = map_forked(one, len(tasks), run.steps.counter("weighed", "passages", len(keys)), min_items=2)
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


def _seen(passages: tuple[Passage, ...], keys: list[str], known: dict[str, Seen], several: bool,
          steps: _Steps) -> dict[str, Seen]:
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
    seen.update((key, value) for key, value in found.items() if value.signature is not None)
    seen.update((key, value) for key, value in found.items() if value.signature is None)
    return seen


def _signed(stems: list[frozenset[str]], plain_enough: list[bool]) -> list[Seen]:
    """Each passage's stems with its MinHash signature, None for one too short to link: fewer than
    MIN_TERMS stems, or (`plain_enough` false) almost all names, as a caption or byline is."""
    long_enough = [n for n, (found, plain) in enumerate(zip(stems, plain_enough))
                   if plain and len(found) >= scoring.MIN_TERMS]
    signed = dict(zip(long_enough, signatures([stems[n] for n in long_enough])))
    return [Seen(found, signed[n].tobytes() if n in signed else None) for n, found in enumerate(stems)]


def _read(texts: list[str]) -> list[Seen]:
    """`_signed` of English texts: their stems, read by `word_stems`, and their signatures."""
    read = [word_stems(text) for text in texts]
    return _signed([frozenset(found) for found, _ in read], [plain >= scoring.MIN_PLAIN for _, plain in read])


def _stems_of(texts: list[str], steps: _Steps) -> list[Seen]:
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


def stem_counts(scored: Counter, seen: dict[str, Seen], previous: PairIndex) -> dict[str, int]:
    """Stem -> in how many of the scored passages it is (a passage key counted as often as it is
    scored): the last run's counts, updated by the passages that came or went. Counting every
    stem of a large dossier again took a quarter of a second of an added article's rebuild."""
    df = dict(previous.df)
    before = previous.scored
    changes = [(key, n - before.get(key, 0)) for key, n in scored.items() if before.get(key, 0) != n]
    changes += [(key, -n) for key, n in before.items() if key not in scored]
    for key, change in changes:
        for stem in (seen[key] if key in seen else previous.seen[key]).stems:
            n = df.get(stem, 0) + change
            if n:
                df[stem] = n
            else:
                del df[stem]
    return df


def topic_stems(df: dict[str, int], keys: list[str], seen: dict[str, Seen]) -> frozenset[str]:
    """Stems that tell what the dossier is about rather than which fact a sentence tells: found in
    so many of the scored passages (`keys`, copies counted once; `df`: from `stem_counts`) and
    spread over many facts. A fact told by many outlets makes its own words as frequent as the
    story's, but its passages are rewordings of one another, so a frequent stem whose passages are
    alike (`cohesion` from TOPIC_COHESION) stays a telling word. The only dossier-wide statistic the
    scores use: when a stem enters or leaves it, the passages holding that stem are scored again."""
    floor = max(scoring.TOPIC_MIN, scoring.TOPIC_SHARE * len(keys))
    frequent = {stem for stem, n in df.items() if n >= floor}
    if not frequent:
        return frozenset()
    alike = cohesion(frequent, df, keys, seen)
    return frozenset(stem for stem in frequent if alike[stem] < scoring.TOPIC_COHESION)


def cohesion(stems: set[str], df: dict[str, int], keys: list[str], seen: dict[str, Seen]) -> dict[str, float]:
    """Per stem, how alike the passages holding it are: the mean dot product of their other stems,
    each passage a unit vector weighted by rarity in the dossier (log of passages over df)."""
    from scipy import sparse

    total = max(len(keys), 1)
    holding = [found for found in (seen[key].stems for key in dict.fromkeys(keys)) if not found.isdisjoint(stems)]
    column: dict[str, int] = {}
    rows, cols = [], []
    for n, found in enumerate(holding):
        for stem in found:
            rows.append(n)
            cols.append(column.setdefault(stem, len(column)))
    names = list(column)
    rarity = np.log(total / np.maximum([df.get(stem, 1) for stem in names], 1)) + 1e-3
    values = rarity[cols]
    x = sparse.csr_matrix((values, (rows, cols)), shape=(len(holding), len(names)))
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    x = sparse.diags(1.0 / np.maximum(norms, 1e-12)) @ x  # each passage a unit vector
    ordered = sorted(stems)
    own = [column[stem] for stem in ordered]
    holds = (x[:, own] != 0).astype(np.float64).tocsc()  # passages x frequent stems
    summed = (holds.T @ x).tocsr()  # per frequent stem: the sum of its passages' vectors
    self_part = np.asarray(summed[np.arange(len(own)), own]).ravel()
    squares = np.asarray(summed.multiply(summed).sum(axis=1)).ravel() - self_part ** 2
    count = np.asarray(holds.sum(axis=0)).ravel()
    own_squares = np.asarray((holds.T @ x.multiply(x))[np.arange(len(own)), own]).ravel()
    alone = count - own_squares  # per stem: its passages' squared norms without it
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(count > 1, (squares - alone) / (count * (count - 1)), 1.0)
    return dict(zip(ordered, mean.tolist()))


class Tokenised(NamedTuple):
    tokens: tuple[Token, ...]
    clauses: tuple[Clause, ...]


class Parsed:
    """Tokens and clauses per passage index, made when first asked for: copies that only follow
    their group's lead are never tokenised in full."""

    def __init__(self, passages: tuple[Passage, ...], several: bool = False):
        self.passages = passages
        self.several = several
        self.done: dict[int, Tokenised] = {}

    def __getitem__(self, k: int) -> Tokenised:
        if k not in self.done:
            toks = crosslang.passage_tokens(self.passages[k]) if self.several else tokens(self.passages[k].text)
            self.done[k] = Tokenised(toks, clauses(self.passages[k].text, toks))
        return self.done[k]


def _copies(passages, signed: list[bytes], eligible: list[int], resolved) -> list[list[int]]:
    """Copy groups over eligible passages (`signed`: their signatures), by index in `passages`;
    a pair rejected (as a link or as one fact) inside one splits a passage out."""
    sig = np.frombuffer(b"".join(signed), dtype=np.uint32).reshape(-1, SIGNATURE)
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
            manual: bool = False) -> Scored | None:
    """What a link between passages a and b keeps; None when the spans they share carry no fact."""
    languages = [crosslang.language_of(passages[a]), crosslang.language_of(passages[b])]
    cross = languages[0] != languages[1]
    if whole >= scoring.PARALLEL * (scoring.CROSS if cross else 1.0) or manual:
        ci = cj = -1
    part_a, part_b = _part(parsed[a], ci), _part(parsed[b], cj)
    quoted = quoted_spans(passages[a].text), quoted_spans(passages[b].text)
    carries = carried_fact(part_a, part_b, *quoted)
    if carries is None and (ci >= 0 or cj >= 0):  # the clauses that scored best may not be where the fact is told
        carries = carried_fact(parsed[a].tokens, parsed[b].tokens, *quoted)
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
        explanation["matched"] = crosslang.matched_words(passages[a], passages[b], parsed[a].tokens, parsed[b].tokens)
    return Scored(whole, partial, spans, explanation)


def _part(parsed_passage: Tokenised, clause: int) -> tuple[Token, ...]:
    """The tokens of a clause (-1: of the whole passage): where the shared fact must be told."""
    toks = parsed_passage.tokens
    return toks if clause < 0 else toks[parsed_passage.clauses[clause].start:parsed_passage.clauses[clause].end]


def _strong_enough(scored: Scored, both_copied: bool) -> bool:
    """An overlap between two copy groups claims that every pair of their members shares a fact,
    so it needs GROUPS_CONFIDENCE; any other link is decided by the model alone (decision.py)."""
    explanation = scored.explanation
    parallel = scored.whole >= scoring.PARALLEL * (scoring.CROSS if "languages" in explanation else 1.0)
    return not both_copied or parallel or explanation.get("confidence", 1.0) >= GROUPS_CONFIDENCE


def _flipped(scored: Scored) -> Scored:
    """The pair read from its other side."""
    span_a, span_b = scored.spans
    explanation = {**scored.explanation, "variants": [v[::-1] for v in scored.explanation["variants"]]}
    return scored._replace(spans=(span_b, span_a), explanation=explanation)


def _link(a: str, b: str, scored: Scored, method: str = "auto") -> Link:
    cross = "languages" in scored.explanation
    parallel = scored.whole >= scoring.PARALLEL * (scoring.CROSS if cross else 1.0) or method == "manual"
    return Link(a, b, round(100 * max(scored.whole, scored.partial), 1), method, kind="parallel" if parallel else "overlap",
                spans=scored.spans, explanation=dict(scored.explanation))


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
