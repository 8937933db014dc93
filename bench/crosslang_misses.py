"""Why the real cross-language set's gold pairs are missed and its false pairs claimed (dev only).

For every pair of sentences in two languages of a dev event: its whole and best clause score as
the aligner's scorer computes them, whether it became a candidate (a shared index feature and a
score past the gates), what its matched tokens carry (`explain.carried_fact`) and what the link
model says. Gold pairs are classed by the first step that lost them; claimed pairs that are not
gold by how they were claimed (a link of their own, or a fact group joining them).

    python -m bench.crosslang_misses            (counts per class and language pair)
    python -m bench.crosslang_misses --list     (also every missed gold pair, with both glosses)
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict

import numpy as np

from bench import real_crosslang
from bench.claimed import claimed_pairs
from bench.real_quality import _passage
from dossier.align import Parsed, align, crosslang, decision, scoring, stem_counts, topic_stems
from dossier.align import PairIndex, Seen
from dossier.align.explain import carried_fact
from dossier.align.tokens import quoted_spans


def pair_table(passages, several=True):
    """Per pair (i, j) of passages of different articles: whole, best partial (gated as the
    scorer gates it), candidate, clause indices, shared index feature."""
    parsed = Parsed(tuple(passages), several)
    stems = {p.id: frozenset(crosslang.passage_stems(p)) for p in passages}
    scored = Counter(p.id for p in passages)
    seen = {p.id: Seen(stems[p.id], None) for p in passages}
    df = stem_counts(scored, seen, PairIndex())
    topic = topic_stems(df, [p.id for p in passages], seen)
    feats = [scoring.passage_features(*parsed[k], topic) for k in range(len(passages))]
    r = scoring.rows(feats, topic)
    m = (r.matrix @ r.matrix.T).toarray()
    tell = (r.telling @ r.telling.T).toarray()
    shared_index = (r.index @ r.index.T).toarray() > 0
    w = r.weight
    s = scoring.blend(m, w[:, None], w[None, :])
    return parsed, topic, r, m, tell, s, shared_index


def diagnose(event):
    passages, language, ref = [], [], {}
    for article in event["articles"]:
        lang = article.get("language")
        for k, text in enumerate(article["sentences"]):
            ref[f"{article['id']}:{k}"] = len(passages)
            passages.append(_passage(article["id"], k + 1, text, None if lang in (None, "en") else lang))
            language.append(lang or "en")
    n = len(passages)
    gold = {tuple(sorted((ref[a], ref[b]))) for a, b, *_ in event["gold"]}
    order = {p.id: k for k, p in enumerate(passages)}
    article_of = np.array([hash(p.article) for p in passages], dtype=np.int64)
    alignment = align(tuple(passages))
    claimed = {(int(c // n), int(c % n)) for c in claimed_pairs(alignment, order, article_of)}
    linked = {tuple(sorted((order[l.a], order[l.b]))) for l in alignment.links}
    parsed, topic, r, m, tell, s, shared_index = pair_table(passages)
    rows_of = defaultdict(list)
    for row, (p, c) in enumerate(zip(r.passage, r.clause)):
        rows_of[int(p)].append(row)
    whole_row = {int(p): row for row, (p, c) in enumerate(zip(r.passage, r.clause)) if c < 0}
    out = []
    for i in range(n):
        for j in range(i + 1, n):
            if language[i] == language[j] or passages[i].article == passages[j].article:
                continue
            if (i, j) not in gold and (i, j) not in claimed:
                continue
            wi, wj = whole_row[i], whole_row[j]
            whole = s[wi, wj] if tell[wi, wj] >= scoring.MIN_TELLING else 0.0
            best = 0.0
            for a in rows_of[i]:
                for b in rows_of[j]:
                    if r.clause[a] < 0 and r.clause[b] < 0:
                        continue
                    if m[a, b] >= scoring.MIN_SHARED and s[a, b] >= scoring.CANDIDATE_PARTIAL and \
                            tell[a, b] >= scoring.MIN_TELLING and s[a, b] > best:
                        best = s[a, b]
            indexed = any(shared_index[a, b] for a in rows_of[i] for b in rows_of[j])
            gate = scoring.CANDIDATE_WHOLE * scoring.CROSS
            candidate = indexed and (whole >= gate or best >= scoring.CANDIDATE_PARTIAL)
            ta, tb = parsed[i].tokens, parsed[j].tokens
            quoted = quoted_spans(passages[i].text), quoted_spans(passages[j].text)
            carries = carried_fact(ta, tb, *quoted)
            prob = None
            if carries:
                feats = decision.link_features(ta, tb, whole, best, carries, True)
                prob = decision.model().probability(feats)
            if (i, j) in gold:
                if (i, j) in claimed:
                    cls = "found: linked" if (i, j) in linked else "found: by a fact group"
                elif not candidate:
                    if tell[wi, wj] == 0:
                        cls = "missed: no telling word shared"
                    elif not indexed:
                        cls = "missed: shared words, no shared index feature"
                    else:
                        cls = "missed: scores under the gates"
                elif not carries:
                    cls = "missed: candidate, no fact carried"
                else:
                    cls = "missed: candidate, model rejects"
            else:
                cls = "false: own link" if (i, j) in linked else "false: by a fact group"
            out.append({"pair": real_crosslang.pair_name(language[i], language[j]), "cls": cls, "i": i, "j": j,
                        "whole": whole, "raw_whole": s[wi, wj], "partial": best, "tell": tell[wi, wj],
                        "carries": carries, "prob": prob, "a": passages[i], "b": passages[j]})
    return out


def gloss_of(p):
    from dossier.align.gloss import glosser
    lang = crosslang.language_of(p)
    return p.text if lang == "en" else glosser(lang).gloss(p.text)


def main() -> int:
    if not real_crosslang.available():
        print(real_crosslang.ABSENT)
        return 0
    rows = [row for event in real_crosslang.crosslang_real("dev") for row in diagnose(event)]
    per = defaultdict(Counter)
    for row in rows:
        per[row["cls"]][row["pair"]] += 1
        per[row["cls"]]["all"] += 1
    pairs = sorted({row["pair"] for row in rows})
    print(f"{'class':48} {'all':>4} " + " ".join(f"{p:>6}" for p in pairs))
    for cls in sorted(per):
        print(f"{cls:48} {per[cls]['all']:>4} " + " ".join(f"{per[cls][p]:>6}" for p in pairs))
    if "--list" in sys.argv:
        for row in rows:
            if row["cls"].startswith("found"):
                continue
            print(f"\n[{row['cls']}] {row['pair']} whole {row['raw_whole']:.2f} partial {row['partial']:.2f} "
                  f"tell {row['tell']:.2f} carries {row['carries']} p {row['prob'] if row['prob'] is None else round(row['prob'], 2)}")
            for p in (row["a"], row["b"]):
                print(f"  {p.article}: {p.text}")
                if crosslang.language_of(p) != "en":
                    print(f"    = {gloss_of(p)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
