"""Cross-language dossiers (issue 12): languages per article and passage, FreeDict glosses, links
across languages, notes where no resource exists, translations, and the English-only fast path."""

from __future__ import annotations

import re

import gzip
import struct
import subprocess
import sys
import zlib

import pytest

from paths import ROOT

from dossier.align import align, align_incremental
from dossier.align.freedict import DictZip, english_words
from dossier.align.gloss import _number, glosser, name_key, transliterate
from dossier.errors import DossierError
from dossier.model import Passage
from dossier.text import normalise

HERALD = """
The mayor of Helmsdorf said on Monday that the old river bridge will be closed for six weeks because engineers found cracks in its pillars.

Buses will replace the tram line that crosses the bridge until the repairs are finished.

Shop owners on both banks of the river complained that they would lose customers during the closure.
"""
KURIER = """
Die alte Flussbrücke von Helmsdorf wird nach Angaben des Bürgermeisters sechs Wochen lang gesperrt, weil Ingenieure Risse in den Pfeilern entdeckt haben.

Bis zum Ende der Reparatur fahren Busse statt der Straßenbahn, die über die Brücke führt.
"""
NOVINE = """
Градоначелник Хелмсдорфа рекао је у понедељак да ће стари мост преко реке бити затворен шест недеља јер су инжењери пронашли пукотине на стубовима.
"""
POSTIMEES = """
Helmsdorfi linnapea ütles esmaspäeval, et vana jõesild suletakse kuueks nädalaks, sest insenerid leidsid sammastest pragusid.
"""
WIRE = """
Officials in Helmsdorf said the bridge closure would last six weeks while the pillars are repaired.

The mayor told German reporters: „Die Brücke ist nicht mehr sicher, und wir können kein Risiko eingehen.“
"""


def passage(article: str, k: int, text: str, language: str | None = None) -> Passage:
    return Passage(id=f"{article}-p{k}-1", article=article, paragraph=k, sentence=1, text=text,
                   norm=normalise(text), line=k, start=0, end=len(text), language=language)


# --- words --------------------------------------------------------------------------------------

def test_names_meet_across_scripts_and_spellings():
    assert len({name_key(w) for w in ("Путин", "Putyin", "Poutine", "Putin")}) == 1
    assert name_key("Трамп") == name_key("Tramp") == name_key("Trump")
    names = [t for t in glosser("sr").tokens("Путин је разговарао са Трампом.") if t.kind == "name"]
    assert [t.stem for t in names] == [name_key("Putin"), name_key("Trump")]  # case endings stemmed first
    assert name_key("Vašington") == name_key("Washington")
    assert name_key("Putin") != name_key("Trump")


def test_serbian_cyrillic_transliterates_to_latin():
    assert transliterate("Градоначелник Љубиша Ђорђевић") == "Gradonačelnik Ljubiša Đorđević"
    assert transliterate("Berlin") == "Berlin"


def test_continental_figures_read_as_english_ones():
    assert _number("2,4") == "2.4"
    assert _number("1.200") == "1200"
    assert _number("80 000") == "80000"
    assert _number("2024") == "2024"


def test_dictd_definitions_give_english_words_commonest_first():
    definition = ("Brücke /bɾˈykə/ <fem, n, sg>\n [constr.] bridge <n>, span <n>\n"
                  "      \"eine Brücke bauen\"  - build a bridge\n   Synonym: {Steg}\n\n see: {Brücken}\n")
    assert english_words(definition) == ["bridge", "span"]
    assert english_words("grad /ɡɾˈad/\ncastle, city, to be, the town\n")[:2] == ["city", "town"]


def test_dictzip_chunks_are_read_without_inflating_the_file(tmp_path):
    """A dictzip file written here by the format's rules (gzip with an RA field, chunks flushed
    so each inflates alone): a read across a chunk boundary returns the right bytes."""
    data = ("".join(f"entry {n:04d} " for n in range(3000))).encode()
    chunk = 1000
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    pieces = []
    for start in range(0, len(data), chunk):
        pieces.append(compressor.compress(data[start:start + chunk]) + compressor.flush(zlib.Z_FULL_FLUSH))
    pieces[-1] += compressor.flush(zlib.Z_FINISH)
    sizes = [len(p) for p in pieces]
    ra = struct.pack("<HHH", 1, chunk, len(sizes)) + struct.pack(f"<{len(sizes)}H", *sizes)
    extra = b"RA" + struct.pack("<H", len(ra)) + ra
    header = b"\x1f\x8b\x08\x04" + b"\0" * 4 + b"\x02\x03" + struct.pack("<H", len(extra)) + extra
    trailer = struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)
    path = tmp_path / "test.dict.dz"
    path.write_bytes(header + b"".join(pieces) + trailer)
    assert gzip.open(path).read() == data  # a valid gzip file
    reader = DictZip(path)
    assert reader.chunks is not None and len(reader.chunks) == len(sizes)
    assert reader.read(995, 30) == data[995:1025]
    assert reader.read(25_000, 11) == data[25_000:25_011]


def test_german_and_serbian_words_gloss_into_english():
    de, sr = glosser("de"), glosser("sr")
    assert de.english("brücke")[0] == "bridge"
    assert "closed" in de.english("gesperrt")
    assert de.english("sagte") and de.english("sagte")[0] in ("say", "tell", "speak")  # past tense to "sagen"
    assert "bridge" in de.english("flussbrücke")  # a compound by its head
    assert sr.english("most")[0] == "bridge"
    assert "president" in sr.english("predsednik")  # ekavian spelling of "predsjednik"
    assert "bridge" in sr.english(transliterate("мост").lower())
    gloss = de.gloss("Die Brücke wird gesperrt.")
    assert "bridge" in gloss and "closed" in gloss


def test_apertium_reads_serbian_and_spanish_words_in_context_at_their_spans():
    from dossier.align import apertium
    assert apertium.available("sr") and apertium.available("hr") and apertium.available("es")
    text = "Градоначелник је рекао да ће стари мост бити затворен."
    words = apertium.analyse("sr", [text])[0]
    read = {text[w.start:w.end]: w.english for w in words}
    assert read["мост"][0] == "bridge" and read["Градоначелник"][0].lower() == "mayor"  # spans in the Cyrillic source
    assert apertium.translate("sr", [text])[0].startswith("Mayor said")
    es = "Las acciones del banco cayeron un 9 por ciento."
    read = {es[w.start:w.end]: w.english for w in apertium.analyse("es", [es])[0]}
    assert read["banco"][0] == "bank" and read["cayeron"][0] == "fall" and read["del"] == ()
    sr = glosser("sr")
    assert sr.engine == "Machine translation (Apertium)" and glosser("de").engine.endswith("(FreeDict)")
    tokens = {t.word for t in sr.tokens(text)}
    assert {"bridge", "close"} <= tokens or {"bridge", "closed"} <= tokens


def test_a_batch_reads_each_passage_as_alone():
    from dossier.align import apertium
    texts = ["Vlada je podnela ostavku.", "Poplave su primorale 600 ljudi da napuste domove.", "Vlada je podnela ostavku."]
    apertium.MEMO.clear()
    batched = apertium.analyse("hr", texts)
    apertium.MEMO.clear()
    alone = [apertium.analyse("hr", [t])[0] for t in texts]
    assert batched == alone and batched[0] == batched[2]


def test_ding_verbs_keyed_with_their_objects_and_wrapped_senses_are_read():
    """Ding's dictd files key a verb's main entries with its object or subject ("jdn./etw. töten",
    "er/sie tötet") and wrap long sense lines onto unindented lines: both are the verb's own."""
    from dossier.align.freedict import _bare_verb, _ding_entry
    assert _bare_verb("jdn./etw. töten") == "töten" and _bare_verb("ich/er/sie tötete") == "tötete"
    assert _bare_verb("sich melden") == "sich melden"  # a reflexive verb is a word of its own
    german, english = _ding_entry("etw. bestätigen\n (Person)\n   to confirm sth.; to affirm sth.; to\n"
                                  "vouch for sth. [formal]\n   to validate sth.\n")
    assert german.split() == ["etw.", "bestätigen"] and english.endswith("vouch for sth. [formal]; to validate sth.")
    de = glosser("de")
    assert de.english("töten")[0] == "kill" and de.english("bestätigen")[0] == "confirm"
    assert "arrest" in de.english("festnehmen")


def test_across_languages_a_verb_meets_what_it_causes():
    """"killed" in one report, "starben" (died) in another: in a dossier of several languages the
    English "kill" also reaches WordNet's "die", which it causes; an English-only dossier's tokens
    keep their senses as they were."""
    from dossier.align import crosslang
    from dossier.align.tokens import tokens
    english = Passage("a-p1-1", "a", 1, 1, "Eight people were killed.", "", 1, 0, 25)
    german = Passage("b-p1-1", "b", 1, 1, "Acht Menschen starben.", "", 1, 0, 22, language="de")
    killed = next(t for t in crosslang.passage_tokens(english) if t.word == "killed")
    died = next(t for t in crosslang.passage_tokens(german) if t.stem == "die")
    assert set(killed.concepts) & set(died.concepts[:died.primary])
    assert next(t for t in tokens(english.text) if t.word == "killed").concepts == killed.concepts[:-1]


def test_german_is_lemmatised_with_separable_verbs_and_a_readable_gloss():
    de = glosser("de")
    assert de.english("starben")[0] == "die" and de.english("häuser", True)[0] in ("house", "houses", "home")
    text = "Die Regierung kündigte am Montag Neuwahlen an."
    joined = {t.word for t in de.tokens(text) if text[t.start:t.end] == "kündigte"}
    assert joined and not any(text[t.start:t.end] == "an" for t in de.tokens(text))  # read as ankündigen
    gloss = de.gloss("Beim Telefonat gratulierte Putin, Trump zum Wahlsieg.")
    assert "congratulate" in gloss and "zum" not in gloss and "Beim" not in gloss
    assert "Putin" in gloss and "Trump" in gloss


def test_a_german_word_written_in_lower_case_is_not_read_as_the_noun():
    """German nouns are capitalised: "gegenüber" is "opposite", the noun "Gegenüber" a
    counterpart; "befinden" a verb, the noun "Befinden" health."""
    de = glosser("de")
    assert de.english("gegenüber")[0] == "opposite" and "counterparts" not in de.english("gegenüber")
    assert "health" not in de.english("befinden") and "health" in de.english("befinden", True)
    assert "neighbours" not in de.gloss("Er saß ihr gegenüber.")


def test_names_titles_and_dates_alone_never_link_across_languages():
    passages = (passage("en", 1, "President Vladimir Putin spoke with President Donald Trump on Monday in Moscow."),
                passage("sr", 1, "Председник Владимир Путин је у понедељак у Москви дочекао председника Доналда Трампа.", "sr"),
                passage("de", 1, "Präsident Wladimir Putin hat am Montag in Moskau Präsident Donald Trump empfangen.", "de"),
                passage("es", 1, "El presidente Vladímir Putin recibió el lunes en Moscú al presidente Donald Trump.", "es"))
    links = {(l.a, l.b) for l in align(passages).links}
    assert not any("en-" in a or "en-" in b for a, b in links), links  # English shares names, titles, a date


def test_facts_only_here_omits_and_coverage_count_cross_language_links(international):
    from dossier.pipeline import run
    from dossier.render import Views
    dossier = run(international.content)
    views = Views(dossier)
    prov = views.facts.provenance["kurier"]
    assert "kurier-p1-1" not in {p.id for p in prov.only_here}  # linked to English and Serbian
    assert views.facts.provenance["novine"].only_here == ()
    told = {views.passages[q].article for q in views.group_of["kurier-p1-1"].passages}
    assert {"herald", "novine"} <= told
    coverage = {c["passage"].id: c["count"] for c in views.coverage("novine")}
    assert coverage["novine-p1-1"] >= 1  # carried by English and German articles
    fact = views.facts.fact_of_group[views.group_of["novine-p1-1"].id]
    assert {"herald", "kurier", "novine"} <= set(fact.cells)
    omitted = {f.id for f in views.facts.provenance["postimees"].omitted}
    assert fact.id in omitted or len(fact.cells) < 2


# --- aligning -----------------------------------------------------------------------------------

def test_cross_language_parallels_link_with_matched_words_in_both_languages():
    passages = (passage("herald", 1, HERALD.split("\n\n")[0].strip()),
                passage("herald", 2, HERALD.split("\n\n")[2].strip()),
                passage("kurier", 1, KURIER.split("\n\n")[0].strip(), "de"),
                passage("kurier", 2, KURIER.split("\n\n")[1].strip(), "de"),
                passage("novine", 1, NOVINE.strip(), "sr"))
    links = {(l.a, l.b): l for l in align(passages).links}
    assert ("herald-p1-1", "kurier-p1-1") in links
    assert ("herald-p1-1", "novine-p1-1") in links
    link = links[("herald-p1-1", "kurier-p1-1")]
    assert link.explanation["languages"] == ["en", "de"]
    matched = {tuple(pair) for pair in link.explanation["matched"]}
    assert ("engineers", "Ingenieure") in matched and ("cracks", "Risse") in matched
    a_span, b_span = link.spans
    assert "Ingenieure" in passages[2].text[b_span[0]:b_span[1]]  # spans point into the German text
    # hard negatives: same place and topic, another fact
    assert ("herald-p2-1", "kurier-p1-1") not in links and ("herald-p2-1", "kurier-p2-1") not in links
    assert ("herald-p2-1", "novine-p1-1") not in links


def test_english_only_passages_take_the_english_path_and_keep_their_keys():
    from dossier.align import PairIndex, passage_key
    english = (passage("a", 1, "The old river bridge will be closed for six weeks, the mayor said."),
               passage("b", 1, "The mayor said the old bridge over the river will close for six weeks."))
    alignment, index = align_incremental(english)
    assert len(alignment.links) == 1 and "languages" not in alignment.links[0].explanation
    assert index.keys == {passage_key(p) for p in english}
    assert isinstance(index, PairIndex)


def test_adding_a_german_article_incrementally_equals_a_clean_run():
    english = (passage("herald", 1, HERALD.split("\n\n")[0].strip()),
               passage("herald", 2, HERALD.split("\n\n")[1].strip()))
    german = (passage("kurier", 1, KURIER.split("\n\n")[0].strip(), "de"),
              passage("kurier", 2, KURIER.split("\n\n")[1].strip(), "de"))
    _, first = align_incremental(english)
    incremental, _ = align_incremental(english + german, (), first)
    clean = align(english + german)
    assert [(l.a, l.b, l.score, l.kind) for l in incremental.links] == [(l.a, l.b, l.score, l.kind) for l in clean.links]
    assert len(clean.links) == 2


def test_a_language_without_a_dictionary_is_not_compared():
    passages = (passage("herald", 1, HERALD.split("\n\n")[0].strip()),
                passage("postimees", 1, POSTIMEES.strip(), "et"))
    assert align(passages).links == ()


# --- the pipeline, check and the site -------------------------------------------------------------

@pytest.fixture
def international(fixture_dossier):
    d = fixture_dossier
    d.article("herald", HERALD, language="en")
    d.article("kurier", KURIER, language="de", translated_from="herald")
    d.article("novine", NOVINE)  # no language: detected
    d.article("postimees", POSTIMEES, language="et")
    d.article("wire", WIRE, language="en")
    return d


def test_languages_are_given_detected_and_read_per_passage(international):
    from dossier.pipeline import run
    dossier = run(international.content)
    records = {r.article: r for r in dossier.languages}
    assert records["kurier"].language == "de" and records["kurier"].given == "de"
    assert records["novine"].language == "sr" and records["novine"].given is None
    assert records["postimees"].compared is False
    assert records["postimees"].note == "not compared: no Estonian–English resource"
    assert records["wire"].passages == (("wire-p2-1", "de"),)  # the quoted statement in German
    language = {p.id: p.language for p in dossier.passages}
    assert language["wire-p1-1"] is None and language["wire-p2-1"] == "de" and language["novine-p1-1"] == "sr"
    linked = {(l.a, l.b) for l in dossier.alignment.links}
    assert ("herald-p1-1", "kurier-p1-1") in linked and ("herald-p1-1", "novine-p1-1") in linked
    assert not any("postimees" in a or "postimees" in b for a, b in linked)


def test_front_matter_that_contradicts_the_text_warns(fixture_dossier):
    from dossier.pipeline import run
    fixture_dossier.article("herald", HERALD, language="en")
    fixture_dossier.article("kurier", KURIER, language="en")
    dossier = run(fixture_dossier.content)
    assert any("kurier.md:1: front matter says language 'en', but the text reads as German" in w
               for w in dossier.warnings)
    assert {r.article: r.language for r in dossier.languages}["kurier"] == "en"  # the maintainer decides


def test_a_language_that_is_not_a_tag_warns_and_is_detected(fixture_dossier):
    from dossier.pipeline import run
    fixture_dossier.article("herald", HERALD, language="en")
    fixture_dossier.article("kurier", KURIER, language="German")
    dossier = run(fixture_dossier.content)
    assert any("kurier.md:1: language 'German' is not a BCP 47 tag" in w for w in dossier.warnings)
    assert {r.article: r.language for r in dossier.languages}["kurier"] == "de"


def test_check_says_which_articles_were_not_compared(international):
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--content", str(international.content),
                             "--cache", str(international.root / "cache")], capture_output=True, text=True,
                            cwd=international.root)
    assert result.returncode == 0, result.stderr
    assert "NOTE: content/articles/postimees.md: not compared: no Estonian–English resource" in result.stderr


def test_translated_from_must_name_an_article_or_a_url(fixture_dossier):
    from dossier.load import load
    fixture_dossier.article("herald", HERALD, language="en")
    fixture_dossier.article("kurier", KURIER, language="de", translated_from="herlad")
    with pytest.raises(DossierError) as raised:
        load(fixture_dossier.content)
    problem = raised.value.problems[0]
    assert problem.file.endswith("kurier.md") and problem.line == 5  # the `translated_from` line
    assert "no article 'herlad'" in problem.message and "herald" in problem.hint
    fixture_dossier.article("kurier", KURIER, language="de", translated_from="https://example.org/original")
    load(fixture_dossier.content)


def test_article_pages_show_languages_glosses_and_cross_language_links(international):
    from dossier.pipeline import run
    from dossier.render import Views, render
    dossier = run(international.content)
    pages = render(dossier, ROOT / "templates").pages
    kurier, novine, herald = pages["articles/kurier.md"], pages["articles/novine.md"], pages["articles/herald.md"]
    assert '<dt>Translation of</dt><dd><a href="herald.html">Outlet herald</a></dd>' in kurier
    assert '<dt>Translated as</dt><dd><a href="kurier.html">Outlet kurier</a></dd>' in herald
    assert 'id="kurier-p1-1" lang="de"' in kurier
    assert "Machine gloss, word by word (FreeDict):" in kurier and "bridge" in kurier.split("Machine gloss")[1]
    assert "↔ Outlet herald ¶1.1 [en]" in kurier
    assert "English–German, parallel score" in kurier and "engineers = Ingenieure" in kurier
    assert "translation, parallel" in kurier  # the link to its own original says so
    assert "<dt>Language detected</dt><dd>Serbian" in novine
    assert "Machine translation (Apertium):" in novine and "bridge" in novine.split("Machine translation")[1]
    assert "not compared: no Estonian–English resource" in pages["articles/postimees.md"]
    assert "Machine gloss" not in herald  # English passages have none
    compare = pages["compare/herald.md"] if "compare/herald.md" in pages else pages["compare/herald--kurier.md"]
    assert "English–German, parallel score" in compare and "Machine gloss" in compare
    assert "<del>" not in compare.split("English–German")[0].rsplit("<tr>", 1)[-1]  # no word diff across languages
    facts = pages["facts/index.md"]  # the facts view marks languages: columns, and cells across languages
    assert "Outlet postimees</a> <small>[et, not compared]</small>" in facts
    assert "Outlet kurier</a> <small>[de]</small>" in facts
    assert re.search(r'href="\.\./articles/kurier\.html#kurier-p1-1">. ¶1\.1 \[de\]</a>', facts)
    views = Views(dossier)
    # herald's own translation (kurier) carries its first fact, but is not another outlet agreeing
    told_by = {views.passages[q].article for q in views.group_of["herald-p1-1"].passages}
    assert {"kurier", "novine"} <= told_by
    assert views.carried_by("herald-p1-1") == len(told_by - {"herald", "kurier"})


def test_an_english_only_dossier_never_loads_the_language_detector():
    code = ("import sys; from pathlib import Path; from dossier.pipeline import run; "
            f"d = run(Path({str(ROOT / 'content')!r})); "
            "assert all(p.language is None for p in d.passages); "
            "assert not any(m.startswith('lingua') for m in sys.modules), 'lingua loaded'; "
            "from dossier.align import freedict; assert freedict.dictionary.cache_info().currsize == 0; "
            "assert 'simplemma' not in sys.modules, 'simplemma loaded'; "
            "from dossier.align import apertium; assert not apertium.MEMO, 'apertium ran'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_cross_language_precision_holds_on_committed_near_misses():
    """Precision across languages on the committed invented sets (crosslang_dev.yml and the near
    misses of crosslang_near.yml: same names, place and topic, another fact). Measured with
    scoring.CROSS = 0.7: 64 true and 6 false links (P 0.91); CROSS = 0.55 gives 9 false links (P 0.88),
    CROSS = 0.4 10 (P 0.87): either fails."""
    sys.path.insert(0, str(ROOT))
    from bench.crosslang import NEAR, measure
    true = false = 0
    for path in (NEAR, NEAR.with_name("crosslang_dev.yml")):
        for pair, row in measure(True, path).items():
            if "(" not in pair:  # per-script rows repeat the language's
                true, false = true + row["tp"], false + row["fp"]
    assert false <= 6 and true / (true + false) >= 0.9, (true, false)


def test_dev_set_floor_for_german_and_serbian():
    """The issue's target (recall >= 0.7 at precision >= 0.8) held on the dev set (bench.crosslang)."""
    sys.path.insert(0, str(ROOT))
    from bench.crosslang import measure
    rows = measure(True)
    for pair in ("de-en", "sr-en"):
        assert rows[pair]["recall"] >= 0.7 and rows[pair]["precision"] >= 0.8, (pair, rows[pair])


def test_the_export_says_which_language_each_passage_and_link_is_in(international):
    import json

    import jsonschema

    from dossier.exports import export_json
    from dossier.pipeline import run
    dossier = run(international.content)
    export = json.loads(export_json(dossier))
    jsonschema.validate(export, json.loads((ROOT / "dossier/schemas/export.schema.json").read_text(encoding="utf-8")))
    articles = {a["id"]: a for a in export["articles"]}
    assert articles["kurier"]["translated_from"] == "herald"
    assert articles["postimees"]["not_compared"] == "not compared: no Estonian–English resource"
    assert articles["novine"]["language_compared"] == "sr" and articles["novine"]["language_detected"] == "sr"
    assert {p["id"]: p.get("language") for p in articles["wire"]["passages"]} == {"wire-p1-1": None, "wire-p2-1": "de"}
    cross = [l for l in export["links"] if "languages" in l["explanation"]]
    assert cross and all(len(pair) == 2 for l in cross for pair in l["explanation"]["matched"])
