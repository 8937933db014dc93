"""Stage 1: read content/ into a Content: dossier description, articles, rules and annotations.

Every file is validated against its JSON Schema (dossier/schemas/); all problems of all files
are gathered, then reported together as `file:line: message`.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from .clean import compile_pattern
from .errors import Collector, DossierError, Problem
from .model import (AlignmentRule, Annotation, Article, ArticleMeta, CleaningRule, Content, Criterion,
                    DossierMeta, Paragraph, QuoteRef, Source, Target, Verdict)
from .schema import validate
from .yamlio import LineDict, parse_mapping, read_text

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
KNOWN_ENTRIES = ("dossier.yml", "cleaning.yml", "alignments.yml", "articles", "annotations")
PLACEHOLDER = re.compile(r"\{\{\s*\w+\s*\}\}")


def _read_yaml(path: Path, shown: str, problems: Collector) -> LineDict | None:
    """The file's mapping; None when it has a problem (added to `problems`)."""
    try:
        return parse_mapping(read_text(path, shown), shown)
    except DossierError as exc:
        problems.extend(exc)
        return None


def load_dossier_meta(content: Path, problems: Collector) -> DossierMeta | None:
    path = content / "dossier.yml"
    shown = _shown(path, content)
    if not _present(path):
        problems.add(shown, None, "missing dossier description", "create content/dossier.yml with at least `title:`")
        return None
    data = _read_yaml(path, shown, problems)
    if data is None or not validate(data, "dossier.schema.json", shown, problems):
        return None
    verdicts = tuple(Verdict(**v) for v in data.get("verdicts", []))
    seen = set()
    for item, verdict in zip(data.get("verdicts", []), verdicts):
        if verdict.id in seen:
            problems.add(shown, item.line, f"duplicate verdict id '{verdict.id}'")
        seen.add(verdict.id)
    return DossierMeta(**{**data, "verdicts": verdicts})


def load_rules(items: list, shown: str, problems: Collector) -> tuple[CleaningRule, ...]:
    """Cleaning rules (already schema-checked); the regex is compiled here to report errors early."""
    rules = []
    for item in items:
        try:
            compile_pattern(PLACEHOLDER.sub("x", item["pattern"]))
        except re.error as exc:
            problems.add(shown, item.line_of("pattern"), f"rule '{item['name']}': bad pattern: {exc}")
            continue
        rules.append(CleaningRule(name=item["name"], pattern=item["pattern"], file=shown, line=item.line,
                                  rest=item.get("rest", False), metadata=item.get("metadata")))
    return tuple(rules)


def load_shared_rules(content: Path, problems: Collector) -> tuple[CleaningRule, ...]:
    path = content / "cleaning.yml"
    if not _present(path):
        return ()
    shown = _shown(path, content)
    data = _read_yaml(path, shown, problems)
    if data is None or not validate(data, "cleaning.schema.json", shown, problems):
        return ()
    return load_rules(data["rules"], shown, problems)


def split_paragraphs(body: str, first_line: int) -> tuple[Paragraph, ...]:
    """Blank lines separate paragraphs; each keeps the line it starts on."""
    paragraphs = []
    line, counted = first_line, 0
    for match in re.finditer(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*", body):
        line += body.count("\n", counted, match.start())  # counted once: linear in the body's size
        counted = match.start()
        text = "\n".join(part.strip() for part in match.group().split("\n"))
        paragraphs.append(Paragraph(text=text, line=line))
    return tuple(paragraphs)


def load_article(path: Path, content: Path, problems: Collector, refs: list | None = None) -> Article | None:
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
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        problems.add(shown, 1, "front matter is not closed", "add a `---` line after the fields")
        return None
    try:
        data = parse_mapping("\n".join(lines[1:end]), shown, line_offset=1, what="the front matter")
    except DossierError as exc:
        problems.extend(exc)
        return None
    before = len(problems.problems)
    validate(data, "article.schema.json", shown, problems)
    rules = load_rules(data.get("cleaning", []), shown, problems) if len(problems.problems) == before else ()
    paragraphs = split_paragraphs("\n".join(lines[end + 1:]), first_line=end + 2)
    if not paragraphs:
        problems.add(shown, end + 2, "the article has no text after its front matter")
    if len(problems.problems) > before:
        return None
    meta = ArticleMeta(**{k: v for k, v in data.items() if k != "cleaning"})
    if meta.translated_from and refs is not None:
        refs.append((article_id, meta.translated_from, shown, data.line_of("translated_from")))
    return Article(id=article_id, path=shown, meta=meta, paragraphs=paragraphs, rules=rules)


def load_articles(content: Path, problems: Collector, memo: dict | None = None) -> tuple[Article, ...]:
    """`memo`: articles parsed by an earlier run, by path and bytes; it is left holding this run's."""
    folder = content / "articles"
    if not folder.is_dir():
        problems.add(_shown(folder, content), None, "missing articles folder", "put one .md file per article there")
        return ()
    articles, refs = [], []
    seen, kept = (dict(memo), {}) if memo is not None else ({}, {})
    for path in sorted(folder.iterdir()):  # sorted: the same order whatever the file system's
        if editor_leftover(path):
            continue
        if path.suffix != ".md":
            problems.add(_shown(path, content), None, "not an article", "articles are .md files")
            continue
        key = (str(path), _bytes(path)) if memo is not None else None
        article, own_refs = seen.get(key, (None, [])) if key else (None, [])
        if article is None:
            own_refs = []
            article = load_article(path, content, problems, own_refs)
        refs += own_refs
        if article:
            articles.append(article)
            if key:
                kept[key] = (article, own_refs)
    ids = {a.id for a in articles} | {p.stem for p in folder.iterdir() if p.suffix == ".md" and not editor_leftover(p)}
    for article_id, original, shown, line in refs:  # an article id of this dossier, or a URL
        if re.match(r"https?://", original):
            continue
        if original == article_id:
            problems.add(shown, line, "`translated_from` names the article itself")
        elif original not in ids:
            near = difflib.get_close_matches(original, sorted(ids), n=1)
            problems.add(shown, line, f"`translated_from`: no article '{original}' in this dossier",
                         f"did you mean '{near[0]}'?" if near else "give an article id or the original's URL (http...)")
    if not articles and not problems.problems:
        problems.add(_shown(folder, content), None, "no articles", "add content/articles/<id>.md files")
    if memo is not None:
        memo.clear()
        memo.update(kept)
    return tuple(articles)


def _bytes(path: Path) -> bytes | None:
    if not path.is_file():  # never read a named pipe: load_article reports what it is
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def load_alignment_rules(content: Path, problems: Collector) -> tuple[AlignmentRule, ...]:
    """content/alignments.yml: links to assert or reject, and passages that do or do not tell the
    fact of another, each by quoting both passages."""
    path = content / "alignments.yml"
    if not _present(path):
        return ()
    shown = _shown(path, content)
    data = _read_yaml(path, shown, problems)
    if data is None or not validate(data, "alignments.schema.json", shown, problems):
        return ()
    rules = []
    for kind in ("link", "reject", "fact", "not-fact"):
        for item in data.get(kind) or []:
            refs = [QuoteRef(item[s]["article"], item[s]["quote"], item[s].line) for s in ("a", "b")]
            rules.append(AlignmentRule(kind, refs[0], refs[1], shown, item.line, item.get("note")))
    return tuple(rules)


def _annotation(item: LineDict, shown: str) -> Annotation:
    fields = dict(item)
    sources = tuple(Source(**s) for s in fields.pop("sources", []))
    target = Target(**fields.pop("target"), line=item["target"].line) if "target" in fields else None
    criteria = tuple(Criterion(**{**c, "annotations": tuple(c.get("annotations", []))})
                     for c in fields.pop("criteria", []))
    verdict = tuple(fields.pop("verdict", []))
    return Annotation(**fields, file=shown, line=item.line, sources=sources, target=target,
                      criteria=criteria, verdict=verdict, field_lines=tuple(item.lines.items()))


def source_warnings(item: LineDict, shown: str, seen: set) -> list[str]:
    """A source needs a URL or a note saying why it has none (once per source, even when aliased)."""
    found = []
    for source in item.get("sources") or []:
        if source.get("url") or source.get("note") or (shown, source.line) in seen:
            continue
        seen.add((shown, source.line))
        found.append(f"{shown}:{source.line}: annotation '{item['id']}': source '{source['title']}' has neither "
                     f"a url nor a note saying why (add `url:`, or `note:` such as \"original not seen; quoted in ...\")")
    return found


NOTE_WORDS_MAX = 120  # the methodology's limit for a note, a correction or a rationale; later events go into the sources


def length_warnings(item: LineDict, shown: str) -> list[str]:
    """A note, correction or rating rationale over NOTE_WORDS_MAX words."""
    found = []
    for field in ("note", "correction", "rationale"):
        words = len(str(item.get(field) or "").split())
        if words > NOTE_WORDS_MAX:
            found.append(f"{shown}:{item.line_of(field)}: annotation '{item['id']}': the {field} has {words} words, "
                         f"more than {NOTE_WORDS_MAX} (one point per note; list later events in its sources)")
    return found


def load_annotations(content: Path, problems: Collector, warnings: list[str] | None = None) -> tuple[Annotation, ...]:
    """Every content/annotations/*.yml file; ids must be unique across files. Warnings are appended to `warnings`."""
    folder = content / "annotations"
    if not _present(folder):
        return ()
    if not folder.is_dir():  # a file named annotations would drop every note silently
        problems.add(_shown(folder, content), None, "not a folder", "annotations/ holds the .yml files of notes")
        return ()
    found: list[Annotation] = []
    seen: set = set()
    for path in sorted(folder.iterdir()):
        shown = _shown(path, content)
        if editor_leftover(path):
            continue
        if path.suffix not in (".yml", ".yaml"):
            problems.add(shown, None, "not an annotation file", "annotation files end in .yml")
            continue
        data = _read_yaml(path, shown, problems)
        if data is None or not validate(data, "annotations.schema.json", shown, problems):
            continue
        found.extend(_annotation(item, shown) for item in data["annotations"])
        for item in data["annotations"]:
            (warnings if warnings is not None else []).extend(source_warnings(item, shown, seen) +
                                                              length_warnings(item, shown))
    first: dict[str, Annotation] = {}
    for annotation in found:
        if annotation.id in first:
            other = first[annotation.id]
            problems.add(annotation.file, annotation.line, f"duplicate annotation id '{annotation.id}'",
                         f"first used at {other.file}:{other.line}")
        first.setdefault(annotation.id, annotation)
    return tuple(found)


def editor_leftover(path: Path) -> bool:
    """What editors and systems leave beside the files: hidden ones (vim's .x.md.swp, emacs' .#x.md
    lock, a link to nowhere; .DS_Store), backups (x.md~) and autosaves (#x.md#). Never read, so
    never a problem: reported as strays, they failed every rebuild under serve while a file was open."""
    name = path.name
    return name.startswith(".") or name.endswith("~") or (name.startswith("#") and name.endswith("#"))


def check_entries(content: Path, problems: Collector) -> None:
    """Only known files, and nothing that leads outside content/ (symlinks are followed nowhere)."""
    for path in sorted(content.rglob("*")):
        shown = _shown(path, content)
        if any(editor_leftover(Path(part)) for part in path.relative_to(content).parts):
            continue
        if path.is_symlink() and (wrong := _link_problem(path, content)):
            problems.add(shown, None, wrong, "copy the file in instead")
        elif path.parent == content and path.name not in KNOWN_ENTRIES:
            near = difflib.get_close_matches(path.name, KNOWN_ENTRIES, n=1)
            problems.add(shown, None, "unknown file in the content folder",
                         f"did you mean '{near[0]}'?" if near else f"known: {', '.join(KNOWN_ENTRIES)}")


def _present(path: Path) -> bool:
    """Something is there, even a link to nothing: reading it says what is wrong with it (a
    folder or a pipe where a file belongs), where skipping it would drop its content silently."""
    return path.exists() or path.is_symlink()


def _link_problem(link: Path, content: Path) -> str | None:
    """What is wrong with a symbolic link in content/, if anything: it must lead to a file inside."""
    try:
        target = link.resolve()
    except (OSError, RuntimeError):  # RuntimeError: Python before 3.13 on a loop
        return "symbolic link in a loop of links"  # one that leads to itself ends nowhere
    return None if content.resolve() in target.parents else "symbolic link leading outside the content folder"


def load(content: Path, memo: dict | None = None) -> Content:
    """Read everything, report every problem at once. `memo` (see load_articles) spares re-parsing
    the articles that did not change since the last run."""
    problems = Collector()
    if not content.is_dir():
        raise DossierError(Problem(str(content), None, "content folder not found"))
    check_entries(content, problems)
    if problems.problems:  # a link leading out is never followed, not even to report more
        problems.raise_if_any()
    meta = load_dossier_meta(content, problems)
    cleaning = load_shared_rules(content, problems)
    articles = load_articles(content, problems, memo)
    alignment_rules = load_alignment_rules(content, problems)
    warnings: list[str] = []
    annotations = load_annotations(content, problems, warnings)
    problems.raise_if_any()
    return Content(meta, articles, cleaning, alignment_rules, annotations, tuple(warnings))


def _shown(path: Path, content: Path) -> str:
    """Paths in messages are relative to the content folder's parent, as a maintainer types them."""
    try:
        return str(path.relative_to(content.parent))
    except ValueError:
        return str(path)
