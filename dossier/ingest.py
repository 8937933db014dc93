"""`add`: turn a saved web page (.html) or a plain-text file into content/articles/<id>.md.

The main text is extracted with trafilatura; the front matter is filled from the page's own
metadata (title, author, date, site name, canonical URL). What the page does not give stays
null, and is reported: never invented.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import DossierError, Problem
from .load import ID_PATTERN

FIELDS = ("title", "outlet", "author", "published", "url", "language")
HTML_LANG = re.compile(r"<html\b[^>]*\blang=[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)", re.I)


@dataclass(frozen=True)
class Added:
    path: Path
    article_id: str
    missing: tuple[str, ...]  # front matter fields the page did not give


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
                                      favor_precision=True, as_dict=True)
    if not doc or not (doc.get("text") or "").strip():
        return {}, ""
    meta = {"title": doc.get("title"), "outlet": doc.get("sitename"), "author": doc.get("author"),
            "published": doc.get("date"), "url": doc.get("url"),
            "language": doc.get("language") or (m.group(1) if (m := HTML_LANG.search(html)) else None)}
    # trafilatura separates paragraphs with single newlines; the dossier's format wants blank lines
    body = "\n\n".join(line.strip() for line in doc["text"].splitlines() if line.strip())
    return {k: (v.strip() if isinstance(v, str) and v.strip() else None) for k, v in meta.items()}, body


def front_matter(meta: dict, source: Path) -> str:
    lines = ["---", "# yaml-language-server: $schema=../../dossier/schemas/article.schema.json"]
    for key in FIELDS:
        value = meta.get(key)
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False) if value else 'null'}"
                     + ("" if value else "  # not found in the source"))
    lines.append(f"notes: {json.dumps(f'Added from {source.name}.', ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines)


def add(source: Path, content: Path, article_id: str | None = None) -> Added:
    if not source.is_file():
        raise DossierError(Problem(str(source), None, "no such file"))
    raw = source.read_bytes()
    text = raw.decode("utf-8", errors="replace")
    if source.suffix.lower() in (".html", ".htm"):
        meta, body = extract_html(text)
        if not body:
            raise DossierError(Problem(str(source), None, "no article text found in the page",
                                       "save the page as plain text and add that instead"))
    else:
        meta = dict.fromkeys(FIELDS)
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
        out.write(front_matter(meta, source) + "\n" + body + "\n")
    missing = tuple(k for k in FIELDS if not meta.get(k))
    return Added(target, article_id, missing)
