"""YAML reading that keeps line numbers and rejects duplicate keys (PyYAML keeps the last silently)."""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import DossierError, Problem


class LineDict(dict):
    """A mapping that remembers the line of itself and of each key."""

    line: int = 0
    lines: dict

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser when PyYAML has it: 5x faster
    pass


# Limits no content file comes near, against input that would otherwise hang or crash the build:
# nesting far deeper (`[[[[...`) exhausts Python's recursion limit in the constructor (about 300
# levels) and, near 50,000 levels, libyaml's composer, which recurses in C and kills the
# interpreter; aliases of aliases (a "billion laughs") expand a few lines into billions of values,
# which the schema validator then walks and prints.
MAX_DEPTH = 64
MAX_VALUES = 1_000_000


def _check_shape(text: str, source: str, line_offset: int) -> None:
    """Refuse nesting deeper than MAX_DEPTH and more than MAX_VALUES values once aliases are
    expanded, read from the parser's events (which neither recurse nor expand) before anything
    is composed or constructed."""
    events = _Loader(text)
    sizes: dict[str, int] = {}  # anchor -> the values it stands for, its own aliases expanded
    open_collections: list[list] = []  # per open list or mapping: [its anchor, the values in it so far]
    total = 0
    try:
        while events.check_event():
            event = events.get_event()
            line = event.start_mark.line + 1 + line_offset
            if isinstance(event, yaml.CollectionStartEvent):
                if len(open_collections) >= MAX_DEPTH:
                    raise DossierError(Problem(source, line, f"lists or mappings nested more than {MAX_DEPTH} levels deep",
                                               "no field of the content formats nests this deep"))
                open_collections.append([event.anchor, 1])
                total += 1
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                anchor, size = open_collections.pop()
            elif isinstance(event, yaml.ScalarEvent):
                anchor, size = event.anchor, 1
                total += 1
            elif isinstance(event, yaml.AliasEvent):
                anchor, size = None, sizes.get(event.anchor, 1)  # an unknown anchor is the composer's error
                total += size
            else:  # the start and end of the stream and of the document
                continue
            if total > MAX_VALUES:
                raise DossierError(Problem(source, line, f"aliases (`*name`) expand to more than {MAX_VALUES:,} values",
                                           "an alias of an alias repeats everything it names; no content file needs this many"))
            if anchor is not None:
                sizes[anchor] = size
            if open_collections:
                open_collections[-1][1] += size
    finally:
        events.dispose()


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    if not isinstance(node, yaml.MappingNode):  # `!!map word`: PyYAML's flattening would fail with a bare ValueError
        raise yaml.constructor.ConstructorError(None, None, "!!map on a value that is not a mapping", node.start_mark)
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1 + loader.line_offset
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1 + loader.line_offset
        if isinstance(key, (list, dict, set)):  # a `? ` complex key: unhashable, and no content field is one
            raise DossierError(Problem(loader.source_name, line, "a field name must be a plain word, not a list or mapping",
                                       "a line starting with `?` makes one; remove it"))
        if key in result:
            raise DossierError(Problem(loader.source_name, line, f"duplicate key '{key}'",
                                       f"first given on line {result.lines[key]}"))
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = line
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _strict(tag: str, construct):
    """PyYAML's constructor of an explicitly tagged scalar that is not one (`!!int x`, `!!float`,
    `!!timestamp x`) fails with a bare ValueError, KeyError or IndexError: made a YAML error at
    the value's line and column."""
    def constructed(loader: _Loader, node: yaml.Node):
        try:
            return construct(loader, node)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError):
            raise yaml.constructor.ConstructorError(None, None, f"{node.value!r} is not a valid !!{tag}",
                                                    node.start_mark) from None
    return constructed


for _tag in ("int", "float", "bool", "null", "timestamp"):
    _name = f"tag:yaml.org,2002:{_tag}"
    _Loader.add_constructor(_name, _strict(_tag, _Loader.yaml_constructors[_name]))
# Dates stay strings: the dossier shows and exports them as written.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_mapping(text: str, source: str, line_offset: int = 0, what: str = "the file") -> LineDict:
    """Parse YAML text that must hold `field: value` lines, as every content file and front matter
    does; errors read `source:line: message`. An empty text (a truncated save) is an error too:
    left to the caller as None, it would silently drop what the file held."""
    loader = _Loader(text)
    loader.source_name = source
    loader.line_offset = line_offset
    try:
        _check_shape(text, source, line_offset)
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        column = f", column {mark.column + 1}" if mark else ""
        raise DossierError(Problem(source, line, f"invalid YAML: {exc.problem}{column}")) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow: no mark, a position in the text
        line = text.count("\n", 0, exc.position) + 1 + line_offset
        column = exc.position - text.rfind("\n", 0, exc.position)
        character = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise DossierError(Problem(source, line, f"invalid YAML: the character U+{ord(character):04X} is not allowed, "
                                                 f"column {column}", "a control or non-text character, often pasted in "
                                                                     "with the text: delete it")) from None
    finally:
        loader.dispose()
    if root is None:
        raise DossierError(Problem(source, 1 + line_offset, f"{what} is empty",
                                   "was it saved whole? it needs `field: value` lines"))
    if not isinstance(data, LineDict):
        found = _KINDS.get(type(data), type(data).__name__)
        raise DossierError(Problem(source, root.start_mark.line + 1 + line_offset,
                                   f"{what} must be `field: value` lines, not {found}"))
    return data


_KINDS = {list: "a list", str: "text", int: "a number", float: "a number", bool: "true or false"}


def read_text(path: Path, shown: str) -> str:
    """Read UTF-8 text; accept a BOM and CRLF, name the byte offset of bad encoding."""
    if not path.is_file():  # a folder, a link to nothing, or a named pipe (whose reading waits forever)
        raise DossierError(Problem(shown, None, "not a file", "content/ holds text files and the folders "
                                                             "articles/ and annotations/"))
    try:
        data = path.read_bytes()
    except OSError as exc:  # no permission, or a disk error
        raise DossierError(Problem(shown, None, f"cannot be read: {exc.strerror or exc}")) from None
    if b"\x00" in data:
        raise DossierError(Problem(shown, None, "binary file (contains NUL bytes)", "content/ holds text only"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DossierError(Problem(shown, line, f"not valid UTF-8 at byte offset {exc.start}",
                                   "save the file as UTF-8")) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
