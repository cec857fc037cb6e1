"""Read curated YAML into records that remember the line of every field.

Scalars stay text exactly as written (no YAML guessing of dates, numbers or
booleans); the parsers decide what each field means and report where it is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from .errors import Problem

_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when PyYAML has it: ~5× faster


class _Loader(_PARSER):
    """Composes nodes without resolving implicit tags: every scalar stays text (a third of the time saved)."""

    def resolve(self, kind: type, value: object, implicit: object) -> str:
        return "tag:yaml.org,2002:str" if kind is yaml.ScalarNode else ""


@dataclass(frozen=True)
class Field:
    """A field's value (text, or a tuple of texts for a list) and its 1-based line."""

    value: str | tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Record:
    """One YAML mapping: its first line and its fields by name."""

    line: int
    fields: dict[str, Field]


def parse_record_list(text: str, file: str, what: str) -> tuple[list[Record], list[Problem]]:
    """Parse a YAML list of mappings, such as ``claims.yaml``.

    >>> records, problems = parse_record_list("- id: a\\n  tags: [x, y]\\n", "f.yaml", "claim")
    >>> records[0].fields["tags"], problems
    (Field(value=('x', 'y'), line=2), [])
    """
    root, problems = _compose(text, file)
    if root is None:
        return [], problems
    if not isinstance(root, yaml.SequenceNode):
        return [], [_problem(file, root, "", f"expected a list of {what}s", f"start each {what} with '- '")]
    records = []
    for item in root.value:
        record, item_problems = _record(item, file, what)
        problems += item_problems
        if record is not None:
            records.append(record)
    return records, problems


def parse_record(text: str, file: str, what: str) -> tuple[Record | None, list[Problem]]:
    """Parse a YAML file holding one mapping, such as ``source.yaml``."""
    root, problems = _compose(text, file)
    if root is None:
        return None, problems
    return _record(root, file, what)


def _compose(text: str, file: str) -> tuple[yaml.Node | None, list[Problem]]:
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark else 0
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        fix = "check indentation, and quote text containing ': ', '#' or starting with a quote mark"
        return None, [Problem(file, line, "", f"malformed YAML: {reason}", fix)]
    if root is None:
        return None, [Problem(file, 0, "", "file is empty", "add its content (see sources/README.md)")]
    return root, []


def _record(node: yaml.Node, file: str, what: str) -> tuple[Record | None, list[Problem]]:
    if not isinstance(node, yaml.MappingNode):
        return None, [_problem(file, node, "", f"expected a {what} with 'field: value' lines", "write it as a mapping")]
    fields: dict[str, Field] = {}
    problems = []
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
        if key in fields:
            problems.append(_problem(file, key_node, "", f"field '{key}' appears twice", "keep one of them"))
            continue
        value = _value(value_node)
        if value is None:
            problems.append(
                _problem(file, value_node, "", f"field '{key}' must be text or a list of texts", "remove the nesting")
            )
            continue
        fields[key] = Field(value, value_node.start_mark.line + 1)
    return Record(node.start_mark.line + 1, fields), problems


def _value(node: yaml.Node) -> str | tuple[str, ...] | None:
    if isinstance(node, yaml.ScalarNode):
        return node.value
    if isinstance(node, yaml.SequenceNode) and all(isinstance(item, yaml.ScalarNode) for item in node.value):
        return tuple(item.value for item in node.value)
    return None


def _problem(file: str, node: yaml.Node, what: str, message: str, fix: str) -> Problem:
    return Problem(file, node.start_mark.line + 1, what, message, fix)
