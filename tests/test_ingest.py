"""`add` on saved pages whose text is not in the markup: the JSON-LD articleBody, else og:description."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from paths import ROOT

from dossier.ingest import MIN_TEXT, json_ld_article, read_page
from dossier.load import load

PAGES = Path(__file__).parent / "data" / "pages"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], capture_output=True, text=True)


def test_add_takes_the_text_from_the_json_ld_when_the_markup_holds_a_teaser(fixture_dossier):
    """Issue 11: a page that ships its body only in JSON-LD kept the 100-odd characters of its teaser."""
    result = cli("add", str(PAGES / "jsonld-body-page.html"), "--content", str(fixture_dossier.content))
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    (article,) = load(fixture_dossier.content).articles
    paragraphs = [p.text for p in article.paragraphs]
    text = "\n".join(paragraphs)
    assert len(text) >= 1500 and len(paragraphs) == 7
    assert paragraphs[0].startswith("The glass footbridge over the river Tarrow in Vellmouth was closed")
    assert paragraphs[-1].endswith("to contact it.")
    assert "“We do not yet know whether this is a manufacturing fault" in text
    for chrome in ("enable JavaScript", "Pedestrians are being sent over Mill Lane instead", "Privacy", "Sport"):
        assert chrome not in text, chrome
    meta = article.meta
    assert meta.title == "Glass footbridge over the Tarrow closed after cracks found in three panels"
    assert meta.outlet == "The Vellmouth Examiner"
    assert "Ines Havlund" in meta.author and "Tomas Brekke" in meta.author
    assert meta.published == "2026-03-02"
    # trafilatura finds no URL in this page; the JSON-LD's mainEntityOfPage gives it
    assert meta.url == "https://vellmouth-examiner.example/news/local/glass-footbridge-closed"
    assert "JSON-LD articleBody" in meta.notes, "the front matter says where the text came from"
    assert cli("check", "--content", str(fixture_dossier.content)).returncode == 0


def test_add_keeps_the_page_summary_only_with_a_warning(fixture_dossier):
    result = cli("add", str(PAGES / "summary-only-page.html"), "--content", str(fixture_dossier.content))
    assert result.returncode == 0, result.stderr
    assert ("WARNING: summary-only-page.html: the page holds no article text, only a summary "
            "(og:description, 223 characters) was kept") in result.stderr
    (article,) = load(fixture_dossier.content).articles
    assert [p.text for p in article.paragraphs] == [
        "The only ferry to the island of Skarholm will not sail between December and March after its operator "
        "failed to find a replacement for its ageing vessel, leaving the island's ninety residents to rely on a "
        "weekly supply boat."]
    assert article.meta.title == "Ferry service to Skarholm suspended for the winter"
    assert article.meta.outlet == "Western Isles Bulletin"
    assert "og:description (a summary only)" in article.meta.notes


def test_a_short_text_with_nothing_better_is_kept_with_a_warning(fixture_dossier):
    result = cli("add", str(PAGES / "bare-page.html"), "--content", str(fixture_dossier.content))
    assert result.returncode == 0, result.stderr
    assert "WARNING: bare-page.html: only 353 characters of text found; check that it is the whole article" in result.stderr


def test_a_long_extraction_is_kept_even_with_a_json_ld_body():
    html = (PAGES / "harbour-report.html").read_text(encoding="utf-8")
    extra = ('<script type="application/ld+json">{"@type": "NewsArticle", "articleBody": "'
             + "Invented teaser text for a different story. " * 40 + '"}</script>')
    meta, body, origin, warnings = read_page(html.replace("</head>", extra + "</head>"), "harbour-report.html")
    assert len(body) >= MIN_TEXT and origin == "" and warnings == []
    assert "Dock workers at the northern harbour returned to work" in body and "Invented teaser" not in body


def test_json_ld_is_read_from_lists_graphs_references_and_html_bodies():
    html = """<html><head>
    <script type="application/ld+json">{"@context": "https://schema.org", "@type": "WebSite", "name": "Site"}</script>
    <script type="application/ld+json">{ this block is broken </script>
    <script type='application/ld+json'>
    [{"@context": "https://schema.org", "@graph": [
      {"@type": "Organization", "@id": "#publisher", "name": "The Dunmore Tribune"},
      {"@type": "http://schema.org/ReportageNews", "headline": "Short one", "articleBody": "Too short."},
      {"@type": ["Article", "NewsArticle"], "headline": "  Canal lock reopens  ",
       "author": "Petra Lund", "datePublished": "2025-09-30T07:00:00Z", "url": "https://tribune.example/canal",
       "publisher": {"@id": "#publisher"},
       "articleBody": "<p>The canal lock reopened on Tuesday.</p><p>Boats &amp; barges queued   for an hour.<br>The keeper waved them through.</p>"}
    ]}]
    </script></head><body></body></html>"""
    meta, body = json_ld_article(html)
    assert body == "The canal lock reopened on Tuesday.\n\nBoats & barges queued for an hour.\n\nThe keeper waved them through."
    assert meta == {"title": "Canal lock reopens", "outlet": "The Dunmore Tribune", "author": "Petra Lund",
                    "published": "2025-09-30", "url": "https://tribune.example/canal", "language": None}
    assert json_ld_article("<html><script type='application/ld+json'>{\"@type\": \"WebPage\"}</script></html>") == ({}, "")


def test_add_marks_a_primary_source_or_wire_story_with_role(fixture_dossier):
    result = cli("add", str(PAGES / "jsonld-body-page.html"), "--role", "wire", "--content", str(fixture_dossier.content))
    assert result.returncode == 0, result.stderr
    (article,) = load(fixture_dossier.content).articles
    assert article.meta.role == "wire"
    bad = cli("add", str(PAGES / "bare-page.html"), "--role", "press", "--content", str(fixture_dossier.content))
    assert bad.returncode == 2 and "invalid choice: 'press'" in bad.stderr


def test_add_reads_the_declared_encoding_and_never_replaces_letters(fixture_dossier, tmp_path):
    """A windows-1252 page, a UTF-16 or BOM-prefixed text file: each letter kept; a text in an
    unknown encoding is refused, where it used to be added with U+FFFD in place of its letters."""
    body = "The café on the quay – open since 1986 – expects more visitors once the bridge opens."
    page = (f'<html lang="en"><head><meta charset="windows-1252"><title>Café by the bridge</title></head>'
            f"<body><article><h1>Café by the bridge</h1><p>{body}</p></article></body></html>")
    (tmp_path / "cafe.html").write_bytes(page.encode("cp1252"))
    (tmp_path / "notepad.txt").write_bytes(f"Notepad text\n\n{body}\n".encode("utf-16"))
    (tmp_path / "bom.txt").write_bytes(f"Text with a BOM\n\n{body}\n".encode("utf-8-sig"))
    (tmp_path / "latin.txt").write_bytes(f"Latin text\n\n{body}\n".encode("latin-1", errors="ignore"))
    for name in ("cafe.html", "notepad.txt", "bom.txt"):
        result = cli("add", str(tmp_path / name), "--content", str(fixture_dossier.content))
        assert result.returncode == 0, (name, result.stderr)
    refused = cli("add", str(tmp_path / "latin.txt"), "--content", str(fixture_dossier.content))
    assert refused.returncode == 1 and "latin.txt:3: not valid UTF-8 at byte offset" in refused.stderr
    articles = load(fixture_dossier.content).articles
    assert sorted(a.id for a in articles) == ["bom", "cafe-by-the-bridge", "notepad"]
    for article in articles:
        text = "\n".join(p.text for p in article.paragraphs)
        assert "\ufffd" not in text and "\ufeff" not in text, article.id
    assert {a.paragraphs[0].text for a in articles if a.id != "cafe-by-the-bridge"} == {"Notepad text", "Text with a BOM"}
    assert body in [p.text for a in articles if a.id == "cafe-by-the-bridge" for p in a.paragraphs]


def test_add_into_a_mistyped_content_folder_writes_nothing(fixture_dossier):
    """`--content contnet` used to create contnet/articles/ID.md, a folder no build reads."""
    mistyped = fixture_dossier.root / "contnet"
    result = cli("add", str(PAGES / "bare-page.html"), "--content", str(mistyped))
    assert result.returncode == 1 and f"{mistyped}: content folder not found" in result.stderr
    assert not mistyped.exists()
    folder = cli("add", str(PAGES), "--content", str(fixture_dossier.content))
    assert folder.returncode == 1 and f"{PAGES}: a folder, not a file" in folder.stderr


def test_add_refuses_a_web_archive_and_reads_a_page_by_its_markup(fixture_dossier, tmp_path):
    """Chrome's default "Web Page, Single File" (.mhtml) was added as a text of MIME parts, and a
    page whose saved name kept the site's .php as markup: the one is refused, the other read as a page."""
    page = (PAGES / "bare-page.html").read_text(encoding="utf-8")
    archive = tmp_path / "library.mhtml"
    archive.write_text("From: <Saved by Blink>\r\nSubject: Library reopens\r\nMIME-Version: 1.0\r\n"
                       'Content-Type: multipart/related; type="text/html"; boundary="----b"\r\n\r\n------b\r\n'
                       "Content-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                       + page.replace("=", "=3D") + "\r\n------b--\r\n", encoding="utf-8")
    refused = cli("add", str(archive), "--content", str(fixture_dossier.content))
    assert refused.returncode == 1 and "library.mhtml: a web archive" in refused.stderr
    assert not list((fixture_dossier.content / "articles").iterdir())
    (tmp_path / "article.php").write_text(page, encoding="utf-8")
    added = cli("add", str(tmp_path / "article.php"), "--content", str(fixture_dossier.content))
    assert added.returncode == 0, added.stderr
    (article,) = load(fixture_dossier.content).articles
    assert article.id == "library-reopens" and not any("<" in p.text for p in article.paragraphs)


def test_json_ld_nested_past_the_recursion_limit_is_skipped_like_a_broken_block():
    """Once a RecursionError traceback from `add`: the deep block is passed over, the others are read."""
    deep = '<script type="application/ld+json">' + '{"a": ' * 100000 + "1" + "}" * 100000 + "</script>"
    good = '<script type="application/ld+json">{"@type": "NewsArticle", "articleBody": "The lock reopened."}</script>'
    meta, body = json_ld_article(f"<html><head>{deep}{good}</head></html>")
    assert body == "The lock reopened."


def test_add_refuses_a_binary_file_the_build_would_refuse(fixture_dossier, tmp_path):
    """A PDF given to `add` once became an article of replacement characters and NUL bytes, which
    `check` then refused as a binary file: `add` refuses it and writes nothing."""
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n\x00\x00\xff\xfe stream\n")
    result = cli("add", str(pdf), "--content", str(fixture_dossier.content))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"{pdf}: binary file (contains NUL bytes) (add a saved web page (.html) or the text in a .txt file)" \
        in result.stderr
    assert list((fixture_dossier.content / "articles").iterdir()) == []


def test_add_keeps_the_accents_of_a_page_saved_in_latin_1_and_refuses_a_text_file_not_in_utf_8(fixture_dossier, tmp_path):
    """Every byte was once decoded as UTF-8 with replacement: a page saved in ISO-8859-1 lost each
    accented letter to U+FFFD, without a word; so did a text file, which is now refused instead."""
    page = tmp_path / "page.html"
    sentence = "Le café est délicieux à Paris, dit le ministre français de l'Économie. "
    page.write_bytes(("<html><head><meta charset='iso-8859-1'><title>Café crème</title></head><body><article><p>"
                      + sentence * 12 + "</p></article></body></html>").encode("latin-1"))
    result = cli("add", str(page), "--id", "cafe", "--content", str(fixture_dossier.content))
    assert result.returncode == 0, result.stderr
    (article,) = load(fixture_dossier.content).articles
    assert article.meta.title == "Café crème" and sentence.strip() in article.paragraphs[0].text
    text = tmp_path / "notes.txt"
    text.write_bytes("Première ligne.\nDeuxième ligne, café.\n".encode("latin-1"))
    result = cli("add", str(text), "--content", str(fixture_dossier.content))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"{text}:1: not valid UTF-8 at byte offset 5, and no other encoding declared (save the file as UTF-8 " \
        "and add it again)" in result.stderr
    assert [p.name for p in (fixture_dossier.content / "articles").iterdir()] == ["cafe.md"]


def test_a_stray_nul_byte_in_a_saved_page_is_dropped_by_the_extraction(fixture_dossier, tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(b"<html><body><article><p>" + b"The ministers agreed\x00 on a new treaty for the coast. " * 12
                     + b"</p></article></body></html>")
    result = cli("add", str(page), "--id", "treaty", "--content", str(fixture_dossier.content))
    assert result.returncode == 0, result.stderr
    assert cli("check", "--content", str(fixture_dossier.content)).returncode == 0
