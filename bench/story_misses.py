"""Where the same-story bench (bench/story.py) loses its same-fact pairs.

Every pair of passages of different articles that tell one fact and that the export does not
claim (bench/claimed.py) is classed twice:

- by the first step that lost the direct pair of their scored passages (a copy group's member is
  scored as its lead): `same article` (the two leads are of one article: never compared),
  `not candidate` (no shared index feature, or scores under CANDIDATE_WHOLE and
  CANDIDATE_PARTIAL), `capped` (a candidate, but among the crowds.STRONGEST strongest of neither
  passage), `rejected` (kept, but `_linked` found no carried fact or the link model said no),
  `not stored` (linked, but an overlap of two copy groups under GROUPS_CONFIDENCE);
- by what the facts did with the two (groups.py): `split` (each in a fact of its own label, never
  the same one), `one left out` / `both left out` (in no fact of its label);
- by how the generator's label joins their two seed sentences: `one sentence` (rewordings of one
  seed sentence), `gold pair` (a `parallel` or `allowed` pair of `tests/data/seed_gold.yml`, or two
  seed sentences of one text), or `chained labels` (only
  through other gold pairs: story_facts joins the pairs' sentences into one fact by union, so
  "X had a telephone conversation with Y on Monday" and "X and Y agreed Monday to normalize
  relations" share a label by a chain of three gold pairs; an aligner that never chains is not
  expected to claim these).

Also counted: how many missed pairs have a copy-group member on either side, and, for a sample of
`rejected` pairs, whether `explain.carried_fact` or the link model turned them down.

    python -m bench.story_misses [--size 1000] [--sample 2000]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter

import numpy as np

import dossier.align as A
from bench import story
from bench.claimed import claimed_pairs
from dossier.align import decision, scoring
from dossier.align.explain import carried_fact
from dossier.align.tokens import quoted_spans

CAPTURED: dict = {}


def _capture():
    """Wraps the aligner's steps to keep what each one saw (a clean run calls each once)."""
    strongest, alignment = A._strongest, A._alignment

    def _strongest(keys, i, j, s, listed=None):
        pairs, crowd = strongest(keys, i, j, s, listed)
        CAPTURED["candidates"] = (i.copy(), j.copy(), s)
        CAPTURED["kept"] = [(a, b) for a, b, *_ in pairs]
        CAPTURED["kept_scores"] = {(a, b): rest for a, b, *rest in pairs}
        return pairs, crowd

    def _alignment(run, copies, found, resolved):
        CAPTURED.update(run=run, copies=copies, found=found)
        return alignment(run, copies, found, resolved)

    A._strongest, A._alignment = _strongest, _alignment


def _true_pairs(code: np.ndarray, article_of: np.ndarray) -> np.ndarray:
    """Pair numbers i * n + j (i < j, different articles, one fact)."""
    n = np.int64(len(code))
    parts = []
    for k in np.unique(code[code > 0]):
        members = np.flatnonzero(code == k).astype(np.int64)
        i, j = np.triu_indices(len(members), 1)
        a, b = members[i], members[j]
        keep = article_of[a] != article_of[b]
        parts.append(a[keep] * n + b[keep])
    return np.concatenate(parts)


def _as_pairs(x: np.ndarray, y: np.ndarray, n: np.int64) -> np.ndarray:
    return np.unique(np.minimum(x, y) * n + np.maximum(x, y))


def _seed_sentences():
    """story.story_facts's sentences with each one's own label ("s<k>"), its fact, and the pairs
    (k, l) of sentences that one gold pair (or the same sentence text) joins directly."""
    import yaml

    from dossier.pipeline import run

    sentences = [p for p in run(story.ROOT / "content").passages if len(p.text.split()) >= story.MIN_WORDS]
    texts, facts = story_facts_original()
    assert texts == [p.text for p in sentences]
    gold = yaml.safe_load((story.ROOT / "tests" / "data" / "seed_gold.yml").read_text(encoding="utf-8"))
    at = {p.id: k for k, p in enumerate(sentences)}
    direct = {(min(at[a], at[b]), max(at[a], at[b])): kind for kind in ("parallel", "allowed")
              for a, b in gold.get(kind, []) if a in at and b in at}
    direct.update({(k, l): "parallel" for k in range(len(texts)) for l in range(k + 1, len(texts)) if texts[k] == texts[l]})
    return texts, facts, direct


story_facts_original = story.story_facts


def diagnose(size: int, sample: int) -> dict:
    _capture()
    texts, sentence_fact, direct = _seed_sentences()
    story.story_facts = lambda: (texts, [f"s{k}" for k in range(len(texts))])  # the same text, labelled by sentence
    try:
        data = story.generate(size)
    finally:
        story.story_facts = story_facts_original
    sentence_of = {pid: int(label[1:]) if label else -1 for pid, label in data.labels.items()}
    data.labels.update({pid: sentence_fact[k] if k >= 0 else "" for pid, k in sentence_of.items()})
    ps = story.passages(data)
    alignment = A.align(ps)
    n = np.int64(len(ps))
    order = {p.id: k for k, p in enumerate(ps)}
    articles = {a: k for k, a in enumerate(data.articles)}
    article_of = np.array([articles[p.article] for p in ps], dtype=np.int64)
    labels = [data.labels[p.id] for p in ps]
    codes = {label: k for k, label in enumerate(sorted(set(labels) - {""}), start=1)}
    code = np.array([codes.get(label, 0) for label in labels], dtype=np.int64)

    true = _true_pairs(code, article_of)
    claimed = claimed_pairs(alignment, order, article_of)
    missed = true[~np.isin(true, claimed)]
    mi, mj = missed // n, missed % n

    run = CAPTURED["run"]
    active = np.array(run.active, dtype=np.int64)
    lead = np.arange(n)
    follower = np.zeros(n, dtype=bool)
    for group in CAPTURED["copies"]:
        lead[group] = group[0]
        follower[group[1:]] = True
    li, lj = lead[mi], lead[mj]
    lead_pair = np.minimum(li, lj) * n + np.maximum(li, lj)

    ci, cj, _ = CAPTURED["candidates"]
    candidates = _as_pairs(active[ci], active[cj], n)
    kept = CAPTURED["kept"]
    kept_pairs = _as_pairs(active[[a for a, _ in kept]], active[[b for _, b in kept]], n) if kept else np.zeros(0, np.int64)
    found = list(CAPTURED["found"])
    found_pairs = _as_pairs(active[[a for a, _ in found]], active[[b for _, b in found]], n)
    stored = _as_pairs(np.array([order[l.a] for l in alignment.links]), np.array([order[l.b] for l in alignment.links]), n)

    step = np.full(len(missed), "stored link (?)", dtype=object)
    same_article = article_of[li] == article_of[lj]
    step[~np.isin(lead_pair, stored)] = "not stored (groups confidence)"
    step[~np.isin(lead_pair, found_pairs)] = "rejected (fact test or link model)"
    step[~np.isin(lead_pair, kept_pairs)] = "capped (crowds)"
    step[~np.isin(lead_pair, candidates)] = "not candidate"
    step[same_article] = "leads of one article"

    # what the facts did with the two
    fact_of_ref = {}
    in_own = np.zeros(n, dtype=bool)
    groups_of = [[] for _ in range(n)]
    for g, group in enumerate(alignment.groups):
        label = code[order[group.reference]]
        fact_of_ref[g] = label
        for pid in group.passages:
            k = order[pid]
            groups_of[k].append(g)
            if code[k] == label:
                in_own[k] = True
    own_i, own_j = in_own[mi], in_own[mj]
    facts = np.where(own_i & own_j, "split (both in facts of their label)",
                     np.where(own_i | own_j, "one left out of its facts", "both left out of their facts"))

    sentence = np.array([sentence_of[p.id] for p in ps], dtype=np.int64)
    m = np.int64(len(texts))

    def joined_how(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        lo, hi = np.minimum(sentence[x], sentence[y]), np.maximum(sentence[x], sentence[y])
        found = np.full(len(x), "chained labels", dtype=object)
        for kind in ("allowed", "parallel"):
            numbers = np.array([k * m + l for (k, l), d in direct.items() if d == kind], dtype=np.int64)
            found[np.isin(lo * m + hi, numbers)] = f"gold pair ({kind})"
        found[lo == hi] = "one sentence"
        return found

    how = joined_how(mi, mj)
    ci_, cj_ = claimed // n, claimed % n
    right = (code[ci_] == code[cj_]) & (code[ci_] > 0)
    claimed_how = Counter(joined_how(ci_[right], cj_[right]).tolist())

    out = {"size": size, "passages": int(n), "true": len(true), "claimed": len(claimed),
           "right": int(len(true) - len(missed)), "missed": len(missed),
           "with a copy-group member": int(np.count_nonzero(follower[mi] | follower[mj])),
           "step": Counter(step.tolist()), "facts": Counter(facts.tolist()),
           "step x facts": Counter(zip(step.tolist(), facts.tolist())),
           "how": Counter(how.tolist()), "claimed how": claimed_how, "step x how": Counter(zip(step.tolist(), how.tolist()))}

    # passages: how many of each label are in no fact of their label
    fact_passages = code > 0
    out["fact passages"] = int(fact_passages.sum())
    out["fact passages in a fact of their label"] = int((in_own & fact_passages).sum())
    out["fact passages in no fact at all"] = int(sum(1 for k in np.flatnonzero(fact_passages) if not groups_of[k]))
    sizes = Counter()
    for g, group in enumerate(alignment.groups):
        sizes[int(fact_of_ref[g])] += 1
    out["facts per label (median, max)"] = (float(np.median(list(sizes.values()))), max(sizes.values()))

    # why rejected pairs were rejected, on a sample
    rejected = np.unique(lead_pair[step == "rejected (fact test or link model)"])
    rng = random.Random(1)
    picked = rng.sample(rejected.tolist(), min(sample, len(rejected)))
    why = Counter()
    position = {int(k): m for m, k in enumerate(run.active)}
    scores = CAPTURED["kept_scores"]
    for pair in picked:
        a, b = int(pair // n), int(pair % n)
        pa, pb = position[a], position[b]
        whole, partial, x, y = scores[(min(pa, pb), max(pa, pb))]  # a clean run: positions follow passage order
        if whole >= scoring.PARALLEL:
            x = y = -1
        part_a, part_b = A._part(run.parsed[a], x), A._part(run.parsed[b], y)
        quoted = quoted_spans(ps[a].text), quoted_spans(ps[b].text)
        carries = carried_fact(part_a, part_b, *quoted)
        if carries is None and (x >= 0 or y >= 0):
            carries = carried_fact(run.parsed[a].tokens, run.parsed[b].tokens, *quoted)
        if carries is None:
            why["no carried fact"] += 1
            continue
        features = decision.link_features(part_a, part_b, whole, partial, carries, False)
        chosen = decision.model()
        why["link model under threshold" if chosen.probability(features) < chosen.threshold else "linked (?)"] += 1
    out["rejected sample"] = why
    out["_"] = {  # for exploring: python -c "from bench import story_misses as M; r = M.diagnose(1000, 0)"
        "ps": ps, "code": code, "lead": lead, "follower": follower, "mi": mi, "mj": mj, "step": step,
        "facts": facts, "alignment": alignment, "order": order, "groups_of": groups_of, "how": how}
    return out


def _shares(title: str, counts: Counter, total: int) -> None:
    print(f"\n{title}:")
    for name, count in counts.most_common():
        print(f"  {name:40s} {count:>10,}  {count / total:.1%}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=2000)
    args = parser.parse_args()
    r = diagnose(args.size, args.sample)
    print(f"{r['size']:,} articles, {r['passages']:,} passages: {r['true']:,} same-fact pairs, "
          f"{r['right']:,} claimed (recall {r['right'] / r['true']:.3f}), {r['missed']:,} missed, "
          f"{r['with a copy-group member']:,} of them with a copy-group member")
    for title, counts in (("the step that lost the direct pair of their scored passages", r["step"]),
                          ("what the facts did with them", r["facts"])):
        _shares(f"missed pairs by {title}", counts, r["missed"])
    print("\nboth:")
    for (a, b), count in r["step x facts"].most_common():
        print(f"  {a:40s} {b:40s} {count:>10,}")
    _shares("missed pairs by how their label joins their seed sentences", r["how"], r["missed"])
    print("\nclaimed pairs right, by the same:")
    for name, count in r["claimed how"].most_common():
        print(f"  {name:40s} {count:>10,}")
    chained = r["how"]["chained labels"] + r["claimed how"]["chained labels"]
    print(f"\nwith chained-label pairs counted as neither right nor true: claimed pairs right "
          f"{(r['right'] - r['claimed how']['chained labels']) / (r['claimed'] - r['claimed how']['chained labels']):.3f}, "
          f"same-fact pairs found {(r['right'] - r['claimed how']['chained labels']) / (r['true'] - chained):.3f}; "
          f"as false: claimed pairs right {(r['right'] - r['claimed how']['chained labels']) / r['claimed']:.3f}")
    print("\nstep x how:")
    for (a, b), count in r["step x how"].most_common():
        print(f"  {a:40s} {b:40s} {count:>10,}")
    print(f"\nfact passages {r['fact passages']:,}: in a fact of their label "
          f"{r['fact passages in a fact of their label']:,}, in no fact {r['fact passages in no fact at all']:,}; "
          f"facts per label (median, max) {r['facts per label (median, max)']}")
    print(f"rejected, sample of {sum(r['rejected sample'].values()):,}: {dict(r['rejected sample'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
