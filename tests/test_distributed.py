"""The aligner on Dask (align/distributed.py): the same Alignment as the local engine, a corpus
alignment that a slice of the corpus reads, and a clear error when the engine is unreachable."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from bench import synthetic, wire  # noqa: E402
from dossier.align import align  # noqa: E402
from dossier.align import distributed  # noqa: E402
from dossier.cli import main  # noqa: E402
from dossier.errors import DossierError  # noqa: E402
from dossier.pipeline import run  # noqa: E402

SEED = Path(__file__).resolve().parent.parent / "content"


@pytest.fixture(scope="module")
def client():
    with distributed.cluster(workers=1, processes=False) as found:  # threads of this process: quick to start
        yield found


@pytest.fixture
def small_tasks(monkeypatch):
    """Many small tasks, so that every step is cut into several."""
    monkeypatch.setattr(distributed, "PASSAGES_PER_TASK", 7)
    monkeypatch.setattr(distributed, "ROWS_PER_BLOCK", 25)
    monkeypatch.setattr(distributed, "LINKS_PER_TASK", 3)


def assert_same(local, dist) -> None:
    assert dist == local
    assert [l.explanation for l in dist.links] == [l.explanation for l in local.links]


def test_the_seed_dossier_aligns_the_same_on_dask(client, small_tasks):
    dossier = run(SEED)
    from dossier.load import load

    rules = load(SEED).alignment_rules
    assert_same(align(dossier.passages, rules), distributed.align_distributed(dossier.passages, rules, client))


@pytest.mark.parametrize("kind,size", [(synthetic, 30), (wire, 24)])
def test_synthetic_dossiers_align_the_same_on_dask(client, small_tasks, kind, size):
    passages = synthetic.passages(kind.generate(size))
    local = align(passages)
    assert local.links and (kind is synthetic or local.copies)  # wire text gives copy groups
    assert_same(local, distributed.align_distributed(passages, (), client))


def test_a_slice_of_the_corpus_reads_the_corpus_alignment(client, tmp_path):
    data = synthetic.generate(20)
    corpus, part = tmp_path / "corpus", tmp_path / "slice"
    synthetic.write_content(data, corpus)
    kept = sorted(random.Random(3).sample(sorted(data.articles), 10))
    synthetic.write_content(synthetic.Synthetic({a: data.articles[a] for a in kept}, {}), part)
    whole = run(corpus)
    out = tmp_path / "aligned"
    found = distributed.align_distributed(whole.passages, (), client)
    assert found == whole.alignment
    distributed.write(out, found, whole.passages, (), "dask")
    assert set(json.loads((out / "passages.json").read_text())["passages"]) == {p.id for p in whole.passages}

    sliced = run(part, alignment=out)
    ids = {p.id for p in sliced.passages}
    direct = {(l.a, l.b) for l in whole.alignment.links if l.a in ids and l.b in ids}
    assert direct and direct <= {(l.a, l.b) for l in sliced.alignment.links}  # plus those an absent copy lead held
    assert sliced.alignment == distributed.restrict(whole.alignment, ids)
    assert all(set(g.passages) <= ids and len(g.passages) >= 2 for g in sliced.alignment.groups)

    edited = part / "articles" / f"{kept[0]}.md"
    edited.write_text(edited.read_text().replace("\n\n", "\n\nAn added sentence about something else.\n\n", 1))
    with pytest.raises(DossierError, match="does not hold"):
        run(part, alignment=out)


def test_restrict_hands_an_absent_leads_links_to_a_present_copy():
    from dossier.model import Alignment, CopyGroup, Group, Link

    full = Alignment(links=(Link("a", "x", 80, "auto"), Link("b", "x", 70, "auto")),
                     groups=(Group("g1", ("a", "b", "c", "x"), "a"),), copies=(CopyGroup("c1", ("a", "b", "c")),))
    part = distributed.restrict(full, {"b", "c", "x"})
    assert [(l.a, l.b) for l in part.links] == [("b", "x")]  # the lead's link, carried by b; b's own is the same pair
    assert part.copies == (CopyGroup("c1", ("b", "c")),)
    assert part.groups == (Group("g1", ("b", "c", "x"), None),)


def test_the_align_command_writes_an_alignment_a_build_reads(tmp_path, capsys):
    out = tmp_path / "aligned"
    assert main(["align", "--content", str(SEED), "--out", str(out), "--engine", "local", "--quiet"]) == 0
    written = json.loads((out / distributed.ALIGNMENT_FILE).read_text())
    assert f"35 passages: {len(written['links'])} links" in capsys.readouterr().out  # the summary says what was written
    assert main(["check", "--content", str(SEED), "--alignment", str(out), "--cache", str(tmp_path / "c")]) == 0
    assert run(SEED, alignment=out).alignment == run(SEED).alignment


def test_a_local_corpus_run_after_an_added_article_scores_only_what_changed(tmp_path, monkeypatch):
    import shutil

    import dossier.align as align_module

    content, out = tmp_path / "corpus", tmp_path / "aligned"
    shutil.copytree(SEED, content)
    assert main(["align", "--content", str(content), "--out", str(out), "--engine", "local", "--quiet"]) == 0
    real, given = align_module.align_incremental, []

    def remembering(passages, rules, previous, progress=None):
        given.append(previous)
        return real(passages, rules, previous, progress)

    monkeypatch.setattr(align_module, "align_incremental", remembering)
    (content / "articles" / "wire-copy.md").write_text(
        "---\ntitle: Wire copy\noutlet: Wire\n---\n" + (SEED / "articles" / "rmn-news.md").read_text().split("---\n", 2)[2])
    assert main(["align", "--content", str(content), "--out", str(out), "--engine", "local", "--quiet"]) == 0
    assert given and given[0] is not None and given[0].keys, "the second run starts from the first run's pair index"
    again = json.loads((out / distributed.ALIGNMENT_FILE).read_text())
    clean_out = tmp_path / "clean"
    monkeypatch.setattr(align_module, "align_incremental", real)
    assert main(["align", "--content", str(content), "--out", str(clean_out), "--engine", "local", "--quiet"]) == 0
    assert again == json.loads((clean_out / distributed.ALIGNMENT_FILE).read_text())
    assert any(p.startswith("wire-copy-") for c in again["copies"] for p in c["passages"])  # the added article counts


def test_an_unreachable_scheduler_is_one_clear_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(distributed, "CONNECT_SECONDS", 1)
    out = tmp_path / "aligned"
    assert main(["align", "--content", str(SEED), "--out", str(out), "--scheduler", "tcp://127.0.0.1:9"]) == 1
    err = capsys.readouterr().err
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 2  # the problem, and `align failed`
    assert not out.exists()
