"""JSON Schema validation of content files, with errors at `file:line` in a maintainer's words.

The schemas in dossier/schemas/ are the single description of every content format: the build
validates with them, and editors use them through `# yaml-language-server: $schema=...`.
"""

from __future__ import annotations

import difflib
import json
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from .errors import Collector
from .yamlio import LineDict

SCHEMAS = Path(__file__).resolve().parent / "schemas"
TYPE_NAMES = {"string": "text", "null": "null", "array": "a list", "object": "a mapping", "integer": "a whole number",
              "boolean": "true or false", "number": "a number"}


@lru_cache(maxsize=None)
def validator(name: str) -> Draft202012Validator:
    resources = [(p.name, Resource.from_contents(json.loads(p.read_text(encoding="utf-8"))))
                 for p in SCHEMAS.glob("*.schema.json")]
    registry = Registry().with_resources(resources)
    return Draft202012Validator(json.loads((SCHEMAS / name).read_text(encoding="utf-8")), registry=registry)


def _locate(data, path) -> tuple[int | None, str]:
    """The line of the innermost mapping key on the path, and the path as `a.b[2].c`."""
    line, node, shown = getattr(data, "line", None), data, ""
    for step in path:
        if isinstance(node, LineDict):
            line = node.line_of(step)
        shown += f"[{step}]" if isinstance(step, int) else (f".{step}" if shown else str(step))
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, LineDict):
            line = node.line
    return line, shown


def _message(error, data) -> tuple[int | None, str, str | None]:
    line, where = _locate(data, error.absolute_path)
    field = f"field '{where}'" if where else "the file"
    if error.validator == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed), key=str)  # a YAML key may be a number or null
        key = extra[0] if extra else "?"
        node = error.instance
        line = node.line_of(key) if isinstance(node, LineDict) else line
        near = difflib.get_close_matches(str(key), allowed, n=1)
        name = f"{where}.{key}" if where else str(key)
        return line, f"unknown field '{name}'", f"did you mean '{near[0]}'?" if near else f"known fields: {', '.join(allowed)}"
    if error.validator == "required":
        missing = error.message.split("'")[1]
        name = f"{where}.{missing}" if where else missing
        wanted = error.schema.get("properties", {}).get(missing, {})
        if "enum" in wanted:
            return line, f"missing required field '{name}'", f"one of: {', '.join(map(str, wanted['enum']))}"
        nullable = "null" in json.dumps(wanted.get("type", ""))
        return line, f"missing required field '{name}'", "write `null` where the value is unknown" if nullable else None
    if error.validator == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        got = _kind(error.instance)
        hint = None
        if "string" in wanted and isinstance(error.instance, (bool, int, float)):  # YAML read `yes` or `2016` as no text
            hint = "put the value in quotes" + (": YAML reads yes, no, on, off, true and false as true or false"
                                                if isinstance(error.instance, bool) else "")
        elif "array" in wanted and error.instance is None:  # every entry removed or commented out
            hint = "an empty list is written `[]`"
        elif "array" in wanted and isinstance(error.instance, str):  # `verdict: misleading` for `[misleading]`
            hint = f"a list of one is written `[{error.instance}]`"
        return line, f"{field} must be {' or '.join(TYPE_NAMES.get(t, t) for t in wanted)}, not {got}", hint
    if error.validator == "enum":
        return line, f"{field} must be one of: {', '.join(map(str, error.validator_value))}", \
            _nearest(error.instance, error.validator_value)
    if error.validator == "pattern":
        return line, f"{field} does not have the expected form ({error.instance!r})", \
            FORMS.get(error.validator_value, error.schema.get("description"))
    return line, f"{field}: {error.message}", None


FORMS = {  # a pattern's form in a maintainer's words; a field's description says what it is for, not how it is written
    "^[a-z0-9]+(-[a-z0-9]+)*$": "a-z, 0-9 and single hyphens, such as nato-surveillance-over-ukraine",
    "^https?://": "an address starting with http:// or https://",
}


def _kind(value) -> str:
    """A YAML value's kind in a maintainer's words (Python's `bool` or `LineDict` mean nothing to them)."""
    if isinstance(value, bool):  # before int: a bool is an int to Python
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "null" if value is None else "text"


def _nearest(value, choices) -> str | None:
    near = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1)
    return f"did you mean '{near[0]}'?" if near else None


def _leaves(errors):
    """Conditional schemas (allOf/if-then) wrap the real error: report the innermost ones."""
    for error in errors:
        if error.context:
            yield from _leaves(error.context)
        else:
            yield error


def validate(data, schema: str, source: str, problems: Collector) -> bool:
    """Add a problem per schema error; True when the data is valid."""
    errors = sorted(_leaves(validator(schema).iter_errors(data)), key=lambda e: list(map(str, e.absolute_path)))
    for error in errors:
        line, message, hint = _message(error, data)
        problems.add(source, line, message, hint)
    return not errors
