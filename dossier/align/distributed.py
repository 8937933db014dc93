"""Alignment on Dask (`build.py align --engine dask`): the same Alignment as `align()`, its heavy
steps run as tasks on a Dask cluster, a local one by default or a real one given its address.

    passages -> [stems and signatures per partition] -> copy groups, topic (here)
             -> [rows per partition] -> [candidate pairs scored per block of rows]
             -> [candidate pairs explained and decided per chunk] -> links, rules, facts (here)

Each bracketed step is a pure function of what it is sent (passages, or the rows and a block of
them): the functions `align_incremental` runs in forked workers, unchanged. Copy groups, topic
stems, manual rules and fact groups are formed here with the local engine's own functions, so the
result equals `align(passages, rules)` (tested). See docs/distributed.md.
"""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager

import numpy as np

from ..errors import DossierError, Problem
from ..model import Alignment, AlignmentRule, Passage
from . import (LINKS_PER_TASK, PairIndex, Parsed, Seen, _alignment, _article_numbers, _copies, _index_names, _linked,
               _read, _Run, _signed, _Steps, _strongest, crosslang, passage_key, scoring, stem_counts, topic_stems)
from .rules import resolve_rules

PASSAGES_PER_TASK = 2_000  # passages read or weighed per task
ROWS_PER_BLOCK = 2_000  # fresh rows per scoring task (scoring.score's block)
CONNECT_SECONDS = 10  # how long a scheduler address is tried before the engine gives up
TASKS_IN_FLIGHT = 16  # explaining tasks submitted at a time (_in_waves)


class EngineError(DossierError):
    """The engine cannot run: one line, no traceback (cli.py prints it)."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(Problem("align", None, message, hint))


@contextmanager
def cluster(address: str | None = None, workers: int | None = None, processes: bool = True):
    """A dask.distributed Client: on the scheduler at `address`, else on a local cluster of
    `workers` processes (None: one per core; `processes` False: threads of this process)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise EngineError("the dask engine needs dask and distributed",
                          "pip install 'dask[distributed]' (make installs the pinned versions)") from None
    if address:
        try:
            client = Client(address, timeout=CONNECT_SECONDS)
        except (OSError, TimeoutError, ValueError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise EngineError(f"cannot reach the Dask scheduler at {address}: {reason}",
                              "start one (`dask scheduler`, then `dask worker ADDRESS`) or leave --scheduler out "
                              "for a local cluster") from None
        try:
            yield client
        finally:
            client.close()
        return
    from ..parallel import workers as cores

    local = LocalCluster(n_workers=workers or cores(), threads_per_worker=1, processes=processes,
                         dashboard_address=None)
    client = Client(local)
    try:
        yield client
    finally:
        client.close()
        local.close()


def _gathered(client, futures: list, counter) -> list:
    """The futures' results in order, counting them as they end (`counter(done, total)`)."""
    from dask.distributed import as_completed

    if counter:
        for done, _ in enumerate(as_completed(futures), start=1):
            counter(done, len(futures))
    return client.gather(futures)


def _in_waves(client, submit, count: int, counter) -> list:
    """The results of `submit(k)` for k < count, in order, with at most TASKS_IN_FLIGHT tasks
    submitted at a time: a task's arguments (its passages) are held by the scheduler until it
    ends, so the scheduler never holds every task's passages at once."""
    from dask.distributed import as_completed

    results: list = [None] * count
    waiting = as_completed()
    number = {}
    upcoming = iter(range(count))

    def send(k: int | None) -> None:
        if k is not None:
            future = submit(k)
            number[future.key] = k
            waiting.add(future)

    for k in range(min(TASKS_IN_FLIGHT, count)):
        send(next(upcoming))
    for done, future in enumerate(waiting, start=1):
        results[number.pop(future.key)] = future.result()
        future.release()
        if counter:
            counter(done, count)
        send(next(upcoming, None))
    return results


def _chunks(count: int, size: int) -> list[range]:
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def _learn_machine(machine: dict | None) -> None:
    if machine:
        from . import apertium

        apertium.learn(machine)


# The tasks: pure functions of what they are sent.

def seen_task(items: list[Passage], several: bool, machine: dict | None) -> list[Seen]:
    """`_seen` of some passages (not known yet)."""
    if not several:
        return _read([p.text for p in items])
    _learn_machine(machine)
    stems = [frozenset(crosslang.passage_stems(p)) for p in items]
    return _signed(stems, [p.language not in (None, "en") or (len(found) >= scoring.MIN_TERMS and
                                                              scoring.MIN_PLAIN <= _plain(p.text))
                           for p, found in zip(items, stems)])


def _plain(text: str) -> int:
    from .tokens import plain_words

    return plain_words(text)


def rows_task(items: list[Passage], several: bool, topic: frozenset[str], machine: dict | None):
    """The rows of some passages (scoring.RowParts) and each one's index features, by column."""
    _learn_machine(machine)
    parsed = Parsed(tuple(items), several)
    found = [scoring.passage_features(*parsed[n], topic) for n in range(len(items))]
    index = [[scoring.index_features(row, topic) for row in per_row] for per_row in found]
    parts = scoring.row_parts(found, topic, index)
    column = {name: col for col, name in enumerate(parts.names)}
    return parts, [[column[name] for name in _index_names(per_row)] for per_row in index]


def score_task(rows: scoring.Rows, block: np.ndarray, index_t, row_of: np.ndarray, article_of: np.ndarray,
               fresh: np.ndarray, language_of: np.ndarray | None) -> tuple:
    """The candidate pairs one block of rows starts (scoring._score_block)."""
    return scoring._score_block(rows, block, index_t, row_of, article_of, fresh, language_of)


def explain_task(chosen: dict[int, Passage], several: bool, machine: dict | None, pairs: list[tuple]) -> list:
    """Each candidate pair explained and decided (`_linked`): its Scored, or None where it does not link.
    `chosen`: the pairs' passages by their index in the dossier."""
    _learn_machine(machine)
    parsed = Parsed(chosen, several)  # type: ignore[arg-type]: indexed by the dossier's numbers
    return [_linked(chosen, parsed, a, b, w, p, ci, cj) for a, b, w, p, ci, cj in pairs]


def align_distributed(passages: tuple[Passage, ...], rules: tuple[AlignmentRule, ...] = (), client=None,
                      progress=None) -> Alignment:
    """`align(passages, rules)`, its heavy steps run on `client` (a dask.distributed Client)."""
    steps = _Steps(progress)
    resolved = resolve_rules(passages, rules)
    several = crosslang.multilingual(passages)
    machine = crosslang.prepare(passages) if several else {}
    shared_machine = client.scatter(machine, broadcast=True) if machine else None
    all_keys = [passage_key(p, several) for p in passages]

    # 1. stems and MinHash signatures, per partition of the distinct passages
    fresh = list(dict(zip(all_keys, passages)).items())
    parts = _chunks(len(fresh), PASSAGES_PER_TASK)
    futures = [client.submit(seen_task, [fresh[n][1] for n in part], several, shared_machine, pure=False)
               for part in parts]
    read = [value for found in _gathered(client, futures, steps.counter("read", "passages", len(fresh)))
            for value in found]
    found = dict(zip((key for key, _ in fresh), read))
    seen = {key: value for key, value in found.items() if value.signature is not None}
    seen.update((key, value) for key, value in found.items() if value.signature is None)

    # 2. copy groups and topic stems, here
    eligible = [k for k, key in enumerate(all_keys) if seen[key].signature is not None]
    copies = _copies(passages, [seen[all_keys[k]].signature for k in eligible], eligible, resolved)
    followers = {k for group in copies for k in group[1:]}
    active = [k for k in eligible if k not in followers]
    keys = [all_keys[k] for k in active]
    df = stem_counts(Counter(keys), seen, PairIndex())
    topic = topic_stems(df, keys, seen)
    del fresh, read, found, seen  # a corpus's stems and signatures: not needed from here on
    run = _Run(passages, Parsed(passages, several), several, active, keys, topic,
               fresh=np.ones(len(keys), dtype=bool), article_of=_article_numbers(passages, active), steps=steps)

    # 3. rows, per partition of the passages to score
    parts = _chunks(len(active), PASSAGES_PER_TASK)
    futures = [client.submit(rows_task, [passages[active[n]] for n in part], several, topic, shared_machine, pure=False)
               for part in parts]
    made = _gathered(client, futures, steps.counter("weighed", "passages", len(active)))
    rows, _ = scoring.assemble([parts for parts, _ in made]) if made else (None, None)
    del made
    if rows is None or not len(keys):
        return _alignment(run, copies, {}, resolved)

    # 4. candidate pairs, scored per block of rows
    language_of = None
    if several:
        names: dict[str, int] = {}
        language_of = np.array([names.setdefault(crosslang.language_of(passages[k]), len(names)) for k in active],
                               dtype=np.int64)
    plan = scoring.score_plan(rows, run.fresh, ROWS_PER_BLOCK)
    shared = client.scatter([rows, plan.index_t, plan.row_of, run.article_of, run.fresh, language_of], broadcast=True)
    futures = [client.submit(score_task, shared[0], block, *shared[1:], pure=False) for block in plan.blocks]
    s = scoring.merge_blocks(_gathered(client, futures, steps.counter("compared", "passages", len(keys))))
    del shared, futures, rows, plan  # released on the workers too

    # 5. candidates cut to each passage's strongest, explained and decided, per chunk of pairs
    pairs, _ = _strongest(keys, s.i, s.j, s)
    del s
    parts = _chunks(len(pairs), LINKS_PER_TASK)

    def explaining(n: int):
        chunk = [(active[i], active[j], w, p, ci, cj) for i, j, w, p, ci, cj in pairs[parts[n].start:parts[n].stop]]
        chosen = {k: passages[k] for a, b, *_ in chunk for k in (a, b)}
        return client.submit(explain_task, chosen, several, shared_machine, chunk, pure=False)

    explained = _in_waves(client, explaining, len(parts), steps.counter("explained", "candidate pairs", len(pairs)))
    found_pairs = {(i, j): value for (i, j, *_), value in zip(pairs, (v for chunk in explained for v in chunk))
                   if value is not None}
    del explained

    # 6. links, manual rules, copy groups and facts, here
    alignment = _alignment(run, copies, found_pairs, resolved)
    steps.end()
    return alignment


# The alignment a corpus run writes, and a slice's reading of it.

FORMAT = 1
ALIGNMENT_FILE, INDEX_FILE = "alignment.json", "passages.json"


def corpus_key(p: Passage) -> str:
    """A passage's key in the index: its article, text and language, whatever else the corpus holds."""
    return passage_key(p, several=True)


def write(folder, alignment: Alignment, passages: tuple[Passage, ...], rules: tuple[AlignmentRule, ...],
          engine: str) -> None:
    """DIR/alignment.json (the cache's format) and DIR/passages.json (passage id -> key, the
    aligner's digest, the engine), each written whole; the index last: a folder with an index
    holds a complete alignment."""
    import json
    from pathlib import Path

    from ..cache import _write, _write_json, alignment_data, alignment_key, engine_digest

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / INDEX_FILE).unlink(missing_ok=True)
    _write_json(folder / ALIGNMENT_FILE, alignment_data(alignment))
    index = {"format": FORMAT, "aligner": engine_digest(), "engine": engine, "key": alignment_key(passages, rules),
             "passages": {p.id: corpus_key(p) for p in passages}}
    _write(folder / INDEX_FILE, json.dumps(index).encode())


def read(folder, passages: tuple[Passage, ...]) -> Alignment:
    """The corpus alignment in `folder`, restricted to `passages` (a slice of the corpus: each
    must be in it with the same text). A clear DossierError when it is missing, stale or does not cover them."""
    import json
    from pathlib import Path

    from ..cache import alignment_from_data, engine_digest

    folder = Path(folder)
    try:
        index = json.loads((folder / INDEX_FILE).read_text(encoding="utf-8"))
        data = json.loads((folder / ALIGNMENT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DossierError(Problem(str(folder), None, f"no corpus alignment can be read here ({exc.__class__.__name__})",
                                   "write one with `build.py align --out DIR`")) from None
    if index.get("format") != FORMAT or index.get("aligner") != engine_digest():
        raise DossierError(Problem(str(folder), None, "the corpus alignment was made by another version of the aligner",
                                   "run `build.py align` again"))
    known = index["passages"]
    missing = [p.id for p in passages if known.get(p.id) != corpus_key(p)]
    if missing:
        raise DossierError(Problem(str(folder), None,
                                   f"the corpus alignment does not hold {len(missing)} of this dossier's passages "
                                   f"as they are now (first: {missing[0]})", "run `build.py align` on the corpus again"))
    return restrict(alignment_from_data(data), {p.id for p in passages})


def restrict(alignment: Alignment, ids: set[str]) -> Alignment:
    """The alignment of a slice of the passages (`ids`): links and facts among them; a copy group's
    present members, its first present one standing as lead (it carries the lead's links, as the
    copies of a group always do); a fact or copy group left with one passage is dropped."""
    from dataclasses import replace

    from ..model import CopyGroup, Group

    stand_in: dict[str, str] = {}  # an absent lead -> the member that carries its links
    copies = []
    for c in alignment.copies:
        present = tuple(p for p in c.passages if p in ids)
        if present and c.passages[0] not in ids:
            stand_in[c.passages[0]] = present[0]
        if len(present) >= 2:
            copies.append(CopyGroup(c.id, present))
    links, pairs = [], set()
    for link in alignment.links:
        a, b = stand_in.get(link.a, link.a), stand_in.get(link.b, link.b)
        if a in ids and b in ids and a != b and (a, b) not in pairs and (b, a) not in pairs:
            pairs.add((a, b))
            links.append(link if (a, b) == (link.a, link.b) else replace(link, a=a, b=b))
    groups = []
    for g in alignment.groups:
        present = tuple(p for p in g.passages if p in ids)
        if len(present) >= 2:
            groups.append(Group(g.id, present, g.reference if g.reference in ids else None))
    return Alignment(links=tuple(links), groups=tuple(groups), copies=tuple(copies))
