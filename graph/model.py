"""The curated corpus as plain, frozen objects: no I/O, no RDF."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from functools import cached_property

ACTOR_TYPES = (
    "state",
    "armed-group",
    "political-party",
    "person",
    "government-body",
    "media-outlet",
    "organisation",
    "group-of-people",
    "bloc",
)

CERTAINTIES = ("asserted", "reported", "alleged", "denied")
"""How sure the article is: stated as fact, attributed, claimed without evidence, said not to be so."""

ESTABLISHING_CERTAINTIES = frozenset({"asserted"})
"""Certainties whose claims become a direct actor-to-actor triple in the graph."""

NEEDS_SPEAKER = frozenset({"reported", "alleged"})
"""Certainties whose claims must say who makes the statement (``said_by``)."""

UNNAMED_SPEAKER = "unnamed"
"""``said_by`` value for a statement the article does not attribute to anyone in particular."""


@dataclass(frozen=True)
class Relation:
    """A term of the relation vocabulary."""

    id: str
    label: str
    definition: str
    sign: int
    symmetric: bool = False


@dataclass(frozen=True)
class Actor:
    """A state, group, organisation or person that claims link."""

    id: str
    label: str
    type: str
    aliases: tuple[str, ...] = ()
    represents: str | None = None
    role: str = ""


@dataclass(frozen=True)
class Source:
    """A source article: its metadata and its exact text."""

    id: str
    title: str
    date: dt.date
    title_supplied: bool = False
    publisher: str = ""
    author: str = ""
    url: str = ""
    language: str = "en"
    date_note: str = ""
    original_file: str = ""
    text: str = field(default="", repr=False)


@dataclass(frozen=True, slots=True)
class Claim:
    """One relationship between two actors, as one source states or reports it."""

    id: str
    subject: str
    relation: str
    object: str
    source: str = ""
    certainty: str = "asserted"
    quote: str = ""
    said_by: str | None = None
    note: str = ""
    quote_line: int = 0

    @property
    def establishes(self) -> bool:
        """Whether the claim counts as evidence that the relation holds.

        >>> Claim("c1", "iran", "supports", "hamas").establishes
        True
        >>> Claim("c2", "ukraine", "supplies-arms-to", "hamas", certainty="alleged").establishes
        False
        """
        return self.certainty in ESTABLISHING_CERTAINTIES


def shared(name: str) -> str:
    """A name many claims repeat (an actor, a relation, a source, a certainty, a speaker), kept once in memory.

    >>> shared("ira" + "n") is shared("iran")
    True
    """
    return sys.intern(name)


@dataclass(frozen=True)
class Corpus:
    """Everything curated: vocabulary, actors, sources and their claims, in file order."""

    relations: tuple[Relation, ...]
    actors: tuple[Actor, ...]
    sources: tuple[Source, ...]
    claims: tuple[Claim, ...]

    @cached_property
    def relations_by_id(self) -> dict[str, Relation]:
        return {relation.id: relation for relation in self.relations}

    @cached_property
    def actors_by_id(self) -> dict[str, Actor]:
        return {actor.id: actor for actor in self.actors}

    @cached_property
    def sources_by_id(self) -> dict[str, Source]:
        return {source.id: source for source in self.sources}
