"""`add`: turn a saved web page (.html) or a plain-text file into content/articles/<id>.md.

The main text is extracted with trafilatura; the front matter is filled from the page's own
metadata (title, author, date, site name, canonical URL). What the page does not give stays
null, and is reported: never invented.

Many news sites render the text with JavaScript and ship it only in the page's JSON-LD
(`articleBody` of a NewsArticle). When the extraction keeps under MIN_TEXT characters, the
longest such body is taken instead, with the JSON-LD's headline, authors, date and publisher for
what the page gives nowhere else; failing that, the page's `og:description`, with a warning that
only a summary was kept.
"""

from __future__ import annotations

import codecs
import html as htmllib
import json
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import DossierError, Problem
from .load import ID_PATTERN

FIELDS = ("title", "outlet", "author", "published", "url", "language")
HTML_LANG = re.compile(r"<html\b[^>]*\blang=[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)", re.I)
MIN_TEXT = 500  # characters: an extraction shorter than this is likely a teaser, not the article
JSON_LD = re.compile(r"<script\b[^>]*\btype\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>(.*?)</script\s*>", re.I | re.S)
META = re.compile(r"<meta\b[^>]*>", re.I)
ATTRIBUTE = re.compile(r"""([a-zA-Z_:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
# schema.org types whose articleBody is an article's text (NewsArticle and its subtypes, Article...)
ARTICLE_TYPES = {"Article", "NewsArticle", "ReportageNews", "AnalysisNewsArticle", "AskPublicNewsArticle",
                 "BackgroundNewsArticle", "OpinionNewsArticle", "ReviewNewsArticle", "SatiricalArticle",
                 "BlogPosting", "LiveBlogPosting", "Report", "ScholarlyArticle", "TechArticle", "SocialMediaPosting"}


@dataclass(frozen=True)
class Added:
    path: Path
    article_id: str
    missing: tuple[str, ...]  # front matter fields the page did not give
    warnings: tuple[str, ...] = ()  # what the maintainer should check (a short text, a summary kept)


def slug(text: str, limit: int = 60) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > limit:
            break
        out = f"{out}-{word}" if out else word
    return out


def extract_html(html: str) -> tuple[dict, str]:
    import trafilatura  # imported here: only `add` needs it

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False,
                                      favor_precision=True)
    doc = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else (doc or {})
    meta = {"title": doc.get("title"), "outlet": doc.get("sitename"), "author": doc.get("author"),
            "published": doc.get("date"), "url": doc.get("url"),
            "language": doc.get("language") or (m.group(1) if (m := HTML_LANG.search(html)) else None)}
    # trafilatura separates paragraphs with single newlines; the dossier's format wants blank lines
    body = _paragraphs(doc.get("text") or "")
    return {k: (v.strip() if isinstance(v, str) and v.strip() else None) for k, v in meta.items()}, body


def _paragraphs(text: str) -> str:
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def _json_ld_nodes(html: str) -> list[dict]:
    """Every object in the page's JSON-LD blocks: top level, in lists and in @graph, nested ones too."""
    nodes: list[dict] = []

    def walk(value) -> None:
        if isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            nodes.append(value)
            for item in value.values():
                if isinstance(item, (list, dict)):
                    walk(item)

    for block in JSON_LD.findall(html):
        block = re.sub(r"^\s*(?:<!--|/\*\s*<!\[CDATA\[\s*\*/)|(?:-->|/\*\s*\]\]>\s*\*/)\s*$", "", block)
        try:
            walk(json.loads(block, strict=False))  # strict=False: raw line breaks inside strings
        except (ValueError, RecursionError):  # a broken block (sites ship them), or one nested past
            continue  # Python's recursion limit: the others may still hold the text
    return nodes


def _types(node: dict) -> set[str]:
    kinds = node.get("@type") or node.get("type") or []
    return {str(k).rsplit("/", 1)[-1].rsplit(":", 1)[-1] for k in (kinds if isinstance(kinds, list) else [kinds])}


def _names(value, by_id: dict[str, dict]) -> list[str]:
    """The names in an author or publisher value: text, a Person/Organization, an @id reference, a list."""
    if isinstance(value, list):
        return [n for item in value for n in _names(item, by_id)]
    if isinstance(value, dict):
        if "name" not in value and value.get("@id") in by_id:
            value = by_id[value["@id"]]
        name = value.get("name")
        return [name.strip()] if isinstance(name, str) and name.strip() else []
    return [value.strip()] if isinstance(value, str) and value.strip() else []


def _text_of(body: str) -> str:
    """An articleBody as paragraphs: some sites ship HTML or entities in it."""
    if re.search(r"</?(p|br|div)\b", body, re.I):
        body = re.sub(r"<br\s*/?>|</(p|div)\s*>", "\n", body, flags=re.I)
        body = re.sub(r"<[^>]+>", "", body)
    return _paragraphs(re.sub(r"[ \t\u00a0]+", " ", htmllib.unescape(body)))


def json_ld_article(html: str) -> tuple[dict, str]:
    """(metadata, text) of the page's JSON-LD article with the longest articleBody; ({}, "") if none."""
    nodes = _json_ld_nodes(html)
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str) and len(n) > 1}
    articles = [n for n in nodes if _types(n) & ARTICLE_TYPES and isinstance(n.get("articleBody"), str)]
    if not articles:
        return {}, ""
    node = max(articles, key=lambda n: len(n["articleBody"]))
    headline = node.get("headline") or node.get("name")
    published = node.get("datePublished") or node.get("dateCreated")
    page = node.get("mainEntityOfPage")
    url = node.get("url") or (page.get("@id") if isinstance(page, dict) else page)
    language = node.get("inLanguage")
    meta = {
        "title": headline.strip() if isinstance(headline, str) and headline.strip() else None,
        "outlet": next(iter(_names(node.get("publisher"), by_id)), None),
        "author": ", ".join(dict.fromkeys(_names(node.get("author"), by_id))) or None,
        "published": m.group(0) if isinstance(published, str) and (m := re.match(r"\d{4}-\d{2}-\d{2}", published)) else None,
        "url": url if isinstance(url, str) and url.startswith(("https://", "http://")) else None,
        "language": language if isinstance(language, str) and re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", language) else None,
    }
    return meta, _text_of(node["articleBody"])


def og_description(html: str) -> str | None:
    for tag in META.findall(html):
        attrs = {m.group(1).lower(): htmllib.unescape(m.group(2) or m.group(3) or m.group(4) or "")
                 for m in ATTRIBUTE.finditer(tag)}
        if (attrs.get("property") or attrs.get("name") or "").lower() == "og:description":
            return " ".join(attrs.get("content", "").split()) or None
    return None


def read_page(html: str, name: str) -> tuple[dict, str, str, list[str]]:
    """(metadata, text, where the text came from, warnings) of a saved page.

    The extraction when it keeps MIN_TEXT characters or more; else the JSON-LD articleBody when
    longer; else og:description (a summary: warned); else the short extraction, warned."""
    meta, body = extract_html(html)
    if len(body) >= MIN_TEXT:
        return meta, body, "", []
    ld_meta, ld_body = json_ld_article(html)
    for key, value in ld_meta.items():  # what the page gives nowhere else
        if value and not meta.get(key):
            meta[key] = value
    if len(ld_body) > len(body):
        return meta, ld_body, "the page's JSON-LD articleBody", []
    summary = og_description(html)
    if summary and len(summary) > len(body):
        return meta, summary, "the page's og:description (a summary only)", [
            f"{name}: the page holds no article text, only a summary (og:description, {len(summary)} characters) "
            f"was kept; save the page again once its text has loaded, or copy the text by hand"]
    if body:
        return meta, body, "", [f"{name}: only {len(body)} characters of text found; check that it is the whole article"]
    return meta, "", "", []


def front_matter(meta: dict, source: Path, origin: str = "", role: str = "report") -> str:
    lines = ["---", "# yaml-language-server: $schema=../../dossier/schemas/article.schema.json"]
    for key in FIELDS:
        value = meta.get(key)
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False) if value else 'null'}"
                     + ("" if value else "  # not found in the source"))
    if role != "report":
        lines.append(f"role: {role}")
    note = f"Added from {source.name}" + (f"; the text is {origin}" if origin else "") + "."
    lines.append(f"notes: {json.dumps(note, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines)


DECLARED_CHARSET = re.compile(rb"<meta\b[^>]*\bcharset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)


def _binary(source: Path) -> DossierError:
    """A PDF, a word processor's file, an image: the build would refuse what `add` wrote of it."""
    return DossierError(Problem(str(source), None, "binary file (contains NUL bytes)",
                                "add a saved web page (.html) or the text in a .txt file"))


def decode(raw: bytes, source: Path) -> str:
    """The file's text: UTF-8 (a BOM dropped), UTF-16 with its BOM (Windows' "Unicode"), or the
    charset a page declares (older news sites serve windows-1252). Never with characters replaced:
    a text that cannot be read whole is refused, not added with the letters it lost."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        failed = exc
    declared = DECLARED_CHARSET.search(raw)
    if declared:  # a page, whatever its saved name
        try:
            return raw.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    if b"\x00" in raw:
        raise _binary(source)
    line = raw[: failed.start].count(b"\n") + 1
    raise DossierError(Problem(str(source), line, f"not valid UTF-8 at byte offset {failed.start}, and no other "
                               "encoding declared", "save the file as UTF-8 and add it again"))


def _stderr(message: str) -> None:
    print(f"WARNING: {message}", file=sys.stderr)


def add(source: Path, content: Path, article_id: str | None = None,
        warn: Callable[[str], None] = _stderr, role: str = "report") -> Added:
    """Write content/articles/ID.md from a saved page or text file; `warn` is told what to check.
    `role`: "primary-source" or "wire" for a text other articles repeat."""
    if not source.is_file():
        raise DossierError(Problem(str(source), None, "a folder, not a file" if source.is_dir() else "no such file"))
    if not content.is_dir():  # a mistyped --content: the article would land in a folder no build reads
        raise DossierError(Problem(str(content), None, "content folder not found",
                                   "give the dossier's folder with --content (the one holding dossier.yml)"))
    text = decode(source.read_bytes(), source)
    head = text[:4000]
    if re.search(r"(?im)^MIME-Version:", head) and "multipart/related" in head.lower():
        raise DossierError(Problem(str(source), None, "a web archive (.mhtml, \"Web Page, Single File\"): its text "
                                   "would be added as MIME parts", "save the page as \"Web Page, HTML only\" and add that"))
    if source.suffix.lower() in (".html", ".htm", ".xhtml") or re.match(r"\s*<(?:!doctype\s+html|html)\b", head, re.I):
        meta, body, origin, warnings = read_page(text, source.name)
        if not body:
            raise DossierError(Problem(str(source), None, "no article text found in the page",
                                       "save the page as plain text and add that instead"))
    else:
        if "\x00" in text:
            raise _binary(source)
        meta, origin, warnings = dict.fromkeys(FIELDS), "", []
        body = text.replace("\r\n", "\n").strip()
        if not body:
            raise DossierError(Problem(str(source), None, "the file is empty"))
    article_id = article_id or slug(meta.get("title") or source.stem)
    if not ID_PATTERN.fullmatch(article_id or ""):
        raise DossierError(Problem(str(source), None, f"cannot make an article id from '{article_id}'",
                                   "give one with --id (a-z, 0-9, single hyphens)"))
    target = content / "articles" / f"{article_id}.md"
    if target.exists():
        raise DossierError(Problem(str(target), None, "an article with this id already exists; nothing was written",
                                   "choose another id with --id"))
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as out:  # "x": never overwrite, even in a race
        out.write(front_matter(meta, source, origin, role) + "\n" + body + "\n")
    for warning in warnings:
        warn(warning)
    missing = tuple(k for k in FIELDS if not meta.get(k))
    return Added(target, article_id, missing, tuple(warnings))
