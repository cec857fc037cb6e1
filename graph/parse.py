"""Turn parsed YAML records into model objects, reporting every field that is wrong.

Each parser is pure: records in, ``Located`` objects and ``Problem``\\ s out.
Checks that need more than one record (unknown ids, duplicates, quotes) live in
``validate``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from .errors import Problem
from .model import ACTOR_TYPES, Actor, Claim, Relation, Source, shared
from .yamlrecords import Record

T = TypeVar("T")

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")

RELATION_FIELDS = {"id": True, "label": True, "definition": True, "sign": True, "symmetric": True}
ACTOR_FIELDS = {"id": True, "label": True, "type": True, "aliases": False, "represents": False, "role": False}
SOURCE_FIELDS = {
    "title": True,
    "title_supplied": True,
    "publisher": True,
    "author": True,
    "date": True,
    "date_note": False,
    "url": True,
    "language": True,
    "original_file": False,
}
CLAIM_FIELDS = {
    "id": True,
    "subject": True,
    "relation": True,
    "object": True,
    "certainty": True,
    "said_by": False,
    "quote": True,
    "note": False,
}
_HINTS = {
    "id": "a short id of letters, digits and '-'",
    "certainty": "asserted, reported, alleged or denied",
    "date": "YYYY-MM-DD",
    "sign": "1, 0 or -1",
    "symmetric": "true or false",
    "title_supplied": "true or false",
    "type": ", ".join(ACTOR_TYPES),
    "quote": "the exact words from article.txt",
    "publisher": '"" if the article does not name one',
    "author": '"" if the article does not name one',
    "url": '"" if the article gives none',
    "language": "a language tag such as en",
}


@dataclass(frozen=True)
class Located(Generic[T]):
    """A parsed object with the file and lines it came from, for later messages."""

    item: T
    file: str
    line: int
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)


class _Reader:
    """Reads one record's fields, collecting a Problem for each that is missing or wrong."""

    def __init__(self, record: Record, file: str, what: str, schema: dict[str, bool], problems: list[Problem]):
        self.record, self.file, self.problems = record, file, problems
        self.what = what
        self.valid = True
        for name in record.fields:
            if name not in schema:
                close = difflib.get_close_matches(name, list(schema), n=1)
                fix = f"did you mean '{close[0]}'?" if close else f"remove it; known fields: {', '.join(schema)}"
                self.fail(name, f"unknown field '{name}'", fix)
        for name, required in schema.items():
            if required and name not in record.fields:
                hint = _HINTS.get(name, "its value")
                self.fail(None, f"missing field '{name}'", f"add '{name}: …' ({hint})")

    @property
    def lines(self) -> dict[str, int]:
        return {name: value.line for name, value in self.record.fields.items()}

    def fail(self, name: str | None, message: str, fix: str) -> None:
        line = self.record.fields[name].line if name in self.record.fields else self.record.line
        self.problems.append(Problem(self.file, line, self.what, message, fix))
        self.valid = False

    def text(self, name: str, required: bool = True) -> str:
        value = self.record.fields[name].value if name in self.record.fields else ""
        if isinstance(value, tuple):
            self.fail(name, f"field '{name}' must be text, not a list", f"write it as '{name}: …'")
            return ""
        if required and name in self.record.fields and not value.strip():
            self.fail(name, f"field '{name}' is empty", f"give it a value ({_HINTS.get(name, 'text')})")
        return value.strip()

    def texts(self, name: str) -> tuple[str, ...]:
        value = self.record.fields[name].value if name in self.record.fields else ()
        return (value,) if isinstance(value, str) else value

    def ident(self, name: str) -> str:
        value = self.text(name)
        if value and not ID_PATTERN.match(value):
            self.fail(name, f"'{value}' is not a valid {name}", f"use {_HINTS['id']}, e.g. 'north-korea'")
        return value

    def flag(self, name: str) -> bool:
        value = self.text(name)
        if value.lower() in ("true", "false"):
            return value.lower() == "true"
        if name in self.record.fields and value:
            self.fail(
                name, f"field '{name}' is '{value}', not true or false", f"write '{name}: true' or '{name}: false'"
            )
        return False

    def choice(self, name: str, allowed: tuple[str, ...]) -> str:
        value = self.text(name)
        if value and value not in allowed:
            close = difflib.get_close_matches(value, allowed, n=1)
            fix = f"did you mean '{close[0]}'?" if close else f"use one of: {', '.join(allowed)}"
            self.fail(name, f"unknown {name.replace('_', ' ')} '{value}'", fix)
        return value


def parse_relations(records: list[Record], file: str) -> tuple[list[Located[Relation]], list[Problem]]:
    """Parse ``relations.yaml``."""
    problems: list[Problem] = []
    relations = []
    for record in records:
        reader = _Reader(record, file, _what("relation", record), RELATION_FIELDS, problems)
        sign_text = reader.text("sign")
        sign = {"1": 1, "+1": 1, "0": 0, "-1": -1}.get(sign_text)
        if sign is None and sign_text:
            reader.fail(
                "sign", f"sign '{sign_text}' is not 1, 0 or -1", "use 1 (cooperative), -1 (hostile) or 0 (neutral)"
            )
        relation = Relation(
            id=reader.ident("id"),
            label=reader.text("label"),
            definition=reader.text("definition"),
            sign=sign or 0,
            symmetric=reader.flag("symmetric"),
        )
        relations.append(Located(relation, file, record.line, reader.lines))
    return relations, problems


def parse_actors(records: list[Record], file: str) -> tuple[list[Located[Actor]], list[Problem]]:
    """Parse ``actors.yaml``."""
    problems: list[Problem] = []
    actors = []
    for record in records:
        reader = _Reader(record, file, _what("actor", record), ACTOR_FIELDS, problems)
        actor = Actor(
            id=reader.ident("id"),
            label=reader.text("label"),
            type=reader.choice("type", ACTOR_TYPES),
            aliases=tuple(alias.strip() for alias in reader.texts("aliases") if alias.strip()),
            represents=reader.text("represents", required=False) or None,
            role=reader.text("role", required=False),
        )
        actors.append(Located(actor, file, record.line, reader.lines))
    return actors, problems


def parse_source(record: Record, file: str, source_id: str, text: str) -> tuple[Located[Source] | None, list[Problem]]:
    """Parse a ``source.yaml``; ``source_id`` is its folder's name, ``text`` its article."""
    problems: list[Problem] = []
    reader = _Reader(record, file, "", SOURCE_FIELDS, problems)
    url = reader.text("url", required=False)
    if url and not url.startswith(("http://", "https://")):
        reader.fail("url", f"url '{url}' is not an http(s) address", 'give the full address, or "" if unknown')
    language = reader.text("language")
    if language and not _LANGUAGE.match(language):
        reader.fail("language", f"language '{language}' is not a language tag", "use a tag such as en, fr or pt-BR")
    source = Source(
        id=source_id,
        title=reader.text("title"),
        title_supplied=reader.flag("title_supplied"),
        publisher=reader.text("publisher", required=False),
        author=reader.text("author", required=False),
        date=_date(reader),
        url=url,
        language=language,
        date_note=reader.text("date_note", required=False),
        original_file=reader.text("original_file", required=False),
        text=text,
    )
    return (Located(source, file, record.line, reader.lines) if reader.valid else None), problems


def parse_claims(records: list[Record], file: str, source_id: str) -> tuple[list[Located[Claim]], list[Problem]]:
    """Parse a ``claims.yaml`` of the source ``source_id``; cross-checks come later."""
    problems: list[Problem] = []
    claims = []
    for record in records:
        reader = _Reader(record, file, _what("claim", record), CLAIM_FIELDS, problems)
        said_by = reader.text("said_by", required=False)
        claim = Claim(
            id=reader.ident("id"),
            subject=shared(reader.text("subject")),
            relation=shared(reader.text("relation")),
            object=shared(reader.text("object")),
            source=shared(source_id),
            certainty=shared(reader.text("certainty")),
            quote=reader.text("quote"),
            said_by=shared(said_by) if said_by else None,
            note=reader.text("note", required=False),
        )
        claims.append(Located(claim, file, record.line, reader.lines))
    return claims, problems


def _what(kind: str, record: Record) -> str:
    ident = record.fields.get("id")
    return f"{kind} {ident.value}" if ident and isinstance(ident.value, str) and ident.value else kind


def _date(reader: _Reader) -> dt.date:
    value = reader.text("date")
    try:
        date = dt.date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None
    except ValueError:
        date = None
    if date is None:
        return _bad_date(reader, value)
    if date > dt.date.today():
        reader.fail("date", f"date '{value}' is in the future", "check the year, month and day against the article")
    return date


def _bad_date(reader: _Reader, value: str) -> dt.date:
    if value:
        reader.fail("date", f"date '{value}' is not a valid date", "write it as YYYY-MM-DD, e.g. 2023-10-21")
    return dt.date.min
