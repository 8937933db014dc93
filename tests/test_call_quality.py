"""The held-out call set's recipe (bench/data/call_real.yml) and its loader: checks that need no
third-party text, so they run everywhere."""

from bench import call_quality


def test_gold_names_sentences_the_recipe_pins():
    spec = call_quality.recipe()
    articles = [{"id": a["id"], "language": a["language"], "sentences": [""] * a["sentences"]}
                for a in spec["articles"]]
    rows = call_quality.gold(articles)  # raises on a bad reference, label, same-article or repeated pair
    assert len(rows) == len(spec["gold"])
    languages = {a["language"] for a in spec["articles"]}
    assert {"en", "de", "sr"} <= languages and spec["held_out"] is True


def test_seeds_are_read_from_content_as_pinned():
    seeds = [a for a in call_quality.recipe()["articles"] if "content" in a]
    found = call_quality._seed_sentences([a["id"] for a in seeds])
    for spec in seeds:
        assert len(found[spec["id"]]) == spec["sentences"]
        assert call_quality.digest(found[spec["id"]]) == spec["digest"]


def test_skips_with_a_message_when_the_texts_are_absent(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(call_quality, "LOCAL", tmp_path / "absent")
    assert call_quality.main([]) == 0
    assert "held-out call set absent" in capsys.readouterr().out
