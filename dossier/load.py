"""Stage 1: read content/ into a dossier description, articles and cleaning rules."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import Collector, DossierError, Problem
from .model import AlignmentRule, Article, ArticleMeta, CleaningRule, Content, DossierMeta, Paragraph, QuoteRef
from .yamlio import LineDict, check_fields, parse_yaml, read_text

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
TEXT = (str, type(None))

DOSSIER_FIELDS = {"title": (str,), "summary": TEXT, "date": TEXT, "language": TEXT}
ARTICLE_FIELDS = {
    "title": TEXT, "outlet": TEXT, "author": TEXT, "published": TEXT, "url": TEXT,
    "language": TEXT, "notes": TEXT, "cleaning": (list,),
}
RULE_FIELDS = {"name": (str,), "pattern": (str,), "rest": (bool,), "metadata": (str,)}
METADATA_FROM_TEXT = {"title", "author", "published"}
ALIGNMENT_FIELDS = {"link": (list,), "reject": (list,)}
ALIGNMENT_RULE_FIELDS = {"a": (dict,), "b": (dict,), "note": (str,)}
QUOTE_FIELDS = {"article": (str,), "quote": (str,)}


def load_dossier_meta(content: Path, problems: Collector) -> DossierMeta | None:
    path = content / "dossier.yml"
    shown = _shown(path, content)
    if not path.is_file():
        problems.add(shown, None, "missing dossier description", "create content/dossier.yml with at least `title:`")
        return None
    try:
        data = parse_yaml(read_text(path, shown), shown)
    except DossierError as exc:
        problems.extend(exc)
        return None
    if not isinstance(data, LineDict):
        problems.add(shown, 1, "expected a mapping of fields (title, summary, date, language)")
        return None
    before = len(problems.problems)
    check_fields(data, DOSSIER_FIELDS, {"title"}, shown, problems)
    if len(problems.problems) > before:
        return None
    return DossierMeta(**data)


def load_rules(items, shown: str, problems: Collector, where: str = "") -> tuple[CleaningRule, ...]:
    """Cleaning rules from a list of mappings; the regex is compiled here to report errors early."""
    if not isinstance(items, list):
        problems.add(shown, getattr(items, "line", None), f"{where}rules must be a list")
        return ()
    rules = []
    for item in items:
        if not isinstance(item, LineDict):
            problems.add(shown, None, f"{where}each cleaning rule must be a mapping with name and pattern")
            continue
        before = len(problems.problems)
        check_fields(item, RULE_FIELDS, {"name", "pattern"}, shown, problems, where)
        if len(problems.problems) > before:
            continue
        try:
            re.compile(re.sub(r"\{\{\s*\w+\s*\}\}", "x", item["pattern"]))
        except re.error as exc:
            problems.add(shown, item.line_of("pattern"), f"rule '{item['name']}': bad pattern: {exc}")
            continue
        if item.get("metadata") and item["metadata"] not in METADATA_FROM_TEXT:
            problems.add(shown, item.line_of("metadata"), f"rule '{item['name']}': metadata must be one of "
                         f"{', '.join(sorted(METADATA_FROM_TEXT))}")
            continue
        rules.append(CleaningRule(name=item["name"], pattern=item["pattern"], file=shown,
                                  line=item.line, rest=item.get("rest", False), metadata=item.get("metadata")))
    return tuple(rules)


def load_shared_rules(content: Path, problems: Collector) -> tuple[CleaningRule, ...]:
    path = content / "cleaning.yml"
    if not path.is_file():
        return ()
    shown = _shown(path, content)
    try:
        data = parse_yaml(read_text(path, shown), shown)
    except DossierError as exc:
        problems.extend(exc)
        return ()
    if not isinstance(data, LineDict) or "rules" not in data:
        problems.add(shown, 1, "expected `rules:` followed by a list of rules")
        return ()
    return load_rules(data["rules"], shown, problems)


def split_paragraphs(body: str, first_line: int) -> tuple[Paragraph, ...]:
    """Blank lines separate paragraphs; each keeps the line it starts on."""
    paragraphs = []
    for match in re.finditer(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*", body):
        text = "\n".join(line.strip() for line in match.group().split("\n"))
        line = first_line + body.count("\n", 0, match.start())
        paragraphs.append(Paragraph(text=text, line=line))
    return tuple(paragraphs)


def load_article(path: Path, content: Path, problems: Collector) -> Article | None:
    shown = _shown(path, content)
    article_id = path.stem
    if not ID_PATTERN.fullmatch(article_id):
        problems.add(shown, None, f"article id '{article_id}' (the file name) must use a-z, 0-9 and single hyphens")
        return None
    try:
        text = read_text(path, shown)
    except DossierError as exc:
        problems.extend(exc)
        return None
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.add(shown, 1, "missing front matter", "start the file with a `---` line, the fields, then `---`")
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        problems.add(shown, 1, "front matter is not closed", "add a `---` line after the fields")
        return None
    try:
        data = parse_yaml("\n".join(lines[1:end]), shown, line_offset=1)
    except DossierError as exc:
        problems.extend(exc)
        return None
    if not isinstance(data, LineDict):
        problems.add(shown, 2, "front matter must be a mapping of fields")
        return None
    before = len(problems.problems)
    check_fields(data, ARTICLE_FIELDS, {"title", "outlet"}, shown, problems)
    rules = load_rules(data["cleaning"], shown, problems, "cleaning: ") if "cleaning" in data else ()
    paragraphs = split_paragraphs("\n".join(lines[end + 1:]), first_line=end + 2)
    if not paragraphs:
        problems.add(shown, end + 2, "the article has no text after its front matter")
    if len(problems.problems) > before:
        return None
    meta = ArticleMeta(**{k: v for k, v in data.items() if k != "cleaning"})
    return Article(id=article_id, path=shown, meta=meta, paragraphs=paragraphs, rules=rules)


def load_articles(content: Path, problems: Collector) -> tuple[Article, ...]:
    folder = content / "articles"
    if not folder.is_dir():
        problems.add(_shown(folder, content), None, "missing articles folder", "put one .md file per article there")
        return ()
    articles = []
    for path in sorted(folder.iterdir()):  # sorted: the same order whatever the file system's
        if path.suffix != ".md":
            problems.add(_shown(path, content), None, "not an article", "articles are .md files")
            continue
        article = load_article(path, content, problems)
        if article:
            articles.append(article)
    if not articles and not problems.problems:
        problems.add(_shown(folder, content), None, "no articles", "add content/articles/<id>.md files")
    return tuple(articles)


def load_alignment_rules(content: Path, problems: Collector) -> tuple[AlignmentRule, ...]:
    """content/alignments.yml: links to assert and links to reject, each by quoting both passages."""
    path = content / "alignments.yml"
    if not path.is_file():
        return ()
    shown = _shown(path, content)
    try:
        data = parse_yaml(read_text(path, shown), shown)
    except DossierError as exc:
        problems.extend(exc)
        return ()
    if data is None:
        return ()
    if not isinstance(data, LineDict):
        problems.add(shown, 1, "expected `link:` and/or `reject:` lists")
        return ()
    check_fields(data, ALIGNMENT_FIELDS, set(), shown, problems)
    rules = []
    for kind in ("link", "reject"):
        for item in data.get(kind) or []:
            if not isinstance(item, LineDict):
                problems.add(shown, data.line_of(kind), f"each {kind} entry needs `a:` and `b:`")
                continue
            before = len(problems.problems)
            check_fields(item, ALIGNMENT_RULE_FIELDS, {"a", "b"}, shown, problems, f"{kind}: ")
            for side in ("a", "b"):
                if isinstance(item.get(side), LineDict):
                    check_fields(item[side], QUOTE_FIELDS, {"article", "quote"}, shown, problems, f"{kind}: {side}.")
            if len(problems.problems) > before:
                continue
            refs = [QuoteRef(item[s]["article"], item[s]["quote"], item[s].line) for s in ("a", "b")]
            rules.append(AlignmentRule(kind, refs[0], refs[1], shown, item.line, item.get("note")))
    return tuple(rules)


def load(content: Path) -> Content:
    """Read everything, report every problem at once."""
    problems = Collector()
    if not content.is_dir():
        raise DossierError(Problem(str(content), None, "content folder not found"))
    meta = load_dossier_meta(content, problems)
    cleaning = load_shared_rules(content, problems)
    articles = load_articles(content, problems)
    alignment_rules = load_alignment_rules(content, problems)
    problems.raise_if_any()
    return Content(meta, articles, cleaning, alignment_rules)


def _shown(path: Path, content: Path) -> str:
    """Paths in messages are relative to the content folder's parent, as a maintainer types them."""
    try:
        return str(path.relative_to(content.parent))
    except ValueError:
        return str(path)
