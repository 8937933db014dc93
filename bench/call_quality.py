"""The held-out call set: the seed dossier (content/: report-000 and rmn-news, two English reports
of the Putin–Trump telephone call of 14 November 2016) plus other outlets' published reports of
the same call, three more in English, two in German and two in Serbian; gold pairs by hand.

HELD OUT: this set is for reporting only; nobody tunes the aligner on it.

The other outlets' texts are third-party: they stay in bench/data/local/call_real/<article>.txt
(git-ignored), one paragraph a line. The seeds are read from content/ as the build reads them
(loaded, cleaned, segmented). bench/data/call_real.yml is committed and holds only the recipe
(outlets, addresses, the queries that found them, sentence counts and digests) and the gold, ours.

Scoring, as bench.real_quality scores an event (every pair of sentences of different articles a
stored link, copy group or fact claims, bench.claimed):

1. English: the five English reports aligned as one dossier; P/R of the claimed pairs over the
   English gold pairs.
2. Cross-language: all nine reports aligned as one dossier; P/R per language pair (de-en, sr-en;
   de-sr too, for information).

Run: python -m bench.call_quality            (counts, P/R)
     python -m bench.call_quality --show     (also every false and missed pair)
     python -m bench.call_quality --sentences (the sentences, numbered as the gold names them)
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import numpy as np
import yaml

from bench.claimed import claimed_pairs
from bench.real_crosslang import sentences_of
from bench.real_data import digest
from bench.real_quality import _prf, event_passages
from dossier.align import align

ROOT = Path(__file__).resolve().parent.parent
RECIPE = ROOT / "bench" / "data" / "call_real.yml"
LOCAL = RECIPE.parent / "local" / "call_real"
LABELS = ("parallel", "overlap")
ABSENT = ("held-out call set absent (bench/data/local/call_real/): see bench/data/call_real.yml "
          "to bring it back; skipped")


class SetDrift(ValueError):
    """An article no longer yields the sentences the gold was written on."""


def recipe() -> dict:
    return yaml.safe_load(RECIPE.read_text(encoding="utf-8"))


def available() -> bool:
    """True when every third-party article of the recipe is on this machine."""
    return all((LOCAL / f"{a['id']}.txt").is_file() for a in recipe()["articles"] if "content" not in a)


def _seed_sentences(ids: list[str]) -> dict[str, list[str]]:
    """The seeds' passages as the build makes them from content/ (cleaning rules applied)."""
    if not ids:
        return {}
    from dossier.pipeline import read_content
    passages = read_content(ROOT / "content").passages
    return {i: [p.text for p in passages if p.article == i] for i in ids}


def articles() -> list[dict]:
    """[{"id", "language", "sentences"}] in recipe order; raises SetDrift on a changed text."""
    specs = recipe()["articles"]
    seeds = _seed_sentences([a["id"] for a in specs if "content" in a])
    out = []
    for spec in specs:
        if "content" in spec:
            sentences, where = seeds[spec["id"]], ROOT / spec["content"]
        else:
            where = LOCAL / f"{spec['id']}.txt"
            if not where.is_file():
                raise FileNotFoundError(f"{where}: missing; {ABSENT}")
            sentences = list(sentences_of(where.read_text(encoding="utf-8")))
        if len(sentences) != spec["sentences"] or digest(sentences) != spec["digest"]:
            raise SetDrift(f"{where}: yields {len(sentences)} sentences, digest {digest(sentences)}; the recipe "
                           f"expects {spec['sentences']}, digest {spec['digest']} (the text, the cleaning or the "
                           f"segmenter changed; the gold no longer applies)")
        out.append({"id": spec["id"], "language": spec["language"], "sentences": sentences})
    return out


def gold(arts: list[dict]) -> list[tuple[str, str, str]]:
    """The gold rows, checked: both ends name a sentence of different articles, a known label, no pair twice."""
    size = {a["id"]: len(a["sentences"]) for a in arts}
    rows, seen = [], set()
    for row in recipe()["gold"]:
        x, y, label = row
        for ref in (x, y):
            article, _, k = ref.rpartition(":")
            if article not in size or not k.isdigit() or int(k) >= size[article]:
                raise ValueError(f"{RECIPE}: gold {row} names no sentence ({ref})")
        if x.rpartition(":")[0] == y.rpartition(":")[0] or label not in LABELS:
            raise ValueError(f"{RECIPE}: gold {row} is not a cross-article {'/'.join(LABELS)} pair")
        if frozenset((x, y)) in seen:
            raise ValueError(f"{RECIPE}: gold pair {x} {y} given twice")
        seen.add(frozenset((x, y)))
        rows.append((x, y, label))
    return rows


def _language_pair(a: str, b: str) -> str:
    """de-en, sr-en, de-sr; "same" within one language."""
    if a == b:
        return "same"
    if "en" in (a, b):
        return f"{b if a == 'en' else a}-en"
    return "-".join(sorted((a, b)))


def score(arts: list[dict], rows: list[tuple[str, str, str]]) -> dict:
    """Align the articles as one dossier. Per language pair: P/R, and the true, false and missed pairs
    (as "article:k" references) with the gold kind of each gold pair."""
    passages, ref = event_passages(arts)
    name = {v: k for k, v in ref.items()}
    order = {p.id: k for k, p in enumerate(passages)}
    n = len(passages)
    article_of = np.array([hash(p.article) for p in passages], dtype=np.int64)
    claimed = {(name[int(c) // n], name[int(c) % n]) for c in claimed_pairs(align(passages), order, article_of)}
    kinds = {}
    for x, y, label in rows:
        if x in ref and y in ref:
            kinds[tuple(sorted((x, y), key=ref.__getitem__))] = label
    language = {a["id"]: a["language"] for a in arts}

    def pair_of(p: tuple[str, str]) -> str:
        return _language_pair(*(language[r.rpartition(":")[0]] for r in p))

    result: dict[str, dict] = {}
    for pair in sorted({pair_of(p) for p in claimed | set(kinds)}):
        mine = {p for p in claimed if pair_of(p) == pair}
        want = {p: k for p, k in kinds.items() if pair_of(p) == pair}
        true = mine & set(want)
        r = _prf(len(true), len(mine), len(want))
        r["false"] = sorted(mine - set(want), key=lambda p: (ref[p[0]], ref[p[1]]))
        r["missed"] = sorted(((p, k) for p, k in want.items() if p not in mine),
                             key=lambda q: (ref[q[0][0]], ref[q[0][1]]))
        r["recall_by_kind"] = {k: (sum(1 for p in true if want[p] == k), sum(1 for v in want.values() if v == k))
                               for k in LABELS}
        result[pair] = r
    return result


def _line(title: str, r: dict) -> str:
    by_kind = ", ".join(f"{k} {t}/{g}" for k, (t, g) in r["recall_by_kind"].items())
    return (f"{title}: P {r['precision']:.2f} R {r['recall']:.2f} F1 {r['f1']:.2f} ({r['true']} of {r['claimed']} "
            f"claimed pairs true; {r['gold']} gold; found by kind: {by_kind})")


def _show(r: dict, text: dict[str, str]) -> None:
    for a, b in r["false"]:
        print(f"    false   {a} ~ {b}\n              {text[a][:110]}\n              {text[b][:110]}")
    for (a, b), kind in r["missed"]:
        print(f"    missed  {a} ~ {b} ({kind})\n              {text[a][:110]}\n              {text[b][:110]}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not available():
        print(ABSENT)
        return 0
    arts, show = articles(), "--show" in argv
    rows = gold(arts)
    text = {f"{a['id']}:{k}": s for a in arts for k, s in enumerate(a["sentences"])}
    if "--sentences" in argv:
        for a in arts:
            print(f"== {a['id']} ({a['language']})")
            for k, s in enumerate(a["sentences"]):
                print(f"{a['id']}:{k}  {s}")
        return 0
    count = Counter(a["language"] for a in arts)
    kinds = Counter(label for *_, label in rows)
    languages = ", ".join(f"{v} {k}" for k, v in count.items())
    print(f"held-out call set (never tuned on): {len(arts)} articles ({languages}), "
          f"{len(text)} sentences, {len(rows)} gold pairs ({kinds['parallel']} parallel, {kinds['overlap']} overlap)")
    english = [a for a in arts if a["language"] == "en"]
    r = score(english, rows)["same"]
    print(_line(f"  1. English, {len(english)} reports", r))
    if show:
        _show(r, text)
    every = score(arts, rows)
    for pair in ("de-en", "sr-en", "de-sr"):
        if pair in every:
            print(_line(f"  2. cross-language {pair}", every[pair]))
            if show and pair != "de-sr":
                _show(every[pair], text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
