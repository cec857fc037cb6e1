"""Cross-checks over the whole corpus: ids, references, attribution and quotes."""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .errors import Problem
from .model import CERTAINTIES, NEEDS_SPEAKER, UNNAMED_SPEAKER, Actor, Claim, Relation
from .parse import Located
from .quotes import ArticleText


@dataclass(frozen=True)
class Registry:
    """What every claim is checked against: the actors' names and the relation vocabulary."""

    actors: ActorNames
    relations: dict[str, Relation]

    @classmethod
    def of(cls, relations: Iterable[Relation], actors: Iterable[Actor]) -> Registry:
        return cls(ActorNames(actors), {relation.id: relation for relation in relations})


def check_registry(
    relations: Sequence[Located[Relation]], actors: Sequence[Located[Actor]]
) -> tuple[Registry, list[Problem]]:
    """Check the relation vocabulary and the actors; return them as a Registry, and every problem."""
    problems = _duplicates(relations, "relation") + _duplicates(actors, "actor")
    registry = Registry.of((entry.item for entry in relations), (entry.item for entry in actors))
    problems += _check_actors(actors, registry.actors)
    return registry, problems


def check_claims(
    claims: Sequence[Located[Claim]], article: str | None, registry: Registry
) -> tuple[list[Claim], list[Problem]]:
    """Check one source's claims against the registry and their quotes against its ``article``.

    Returns the claims with their quote lines, and every problem.
    """
    text = ArticleText(article) if article is not None else None
    checked, problems = [], []
    for entry in claims:
        problems += _check_claim(entry, registry.actors, registry.relations)
        quote_line, quote_problems = _check_quote(entry, text)
        problems += quote_problems
        checked.append(dataclasses.replace(entry.item, quote_line=quote_line or 0))
    return checked, problems


def duplicate_claims(claims: Sequence[Located[Claim]]) -> list[Problem]:
    """A problem for each claim whose id an earlier claim (in any source) already has."""
    return _duplicates(claims, "claim")


class ActorNames:
    """Actor ids, and every label and alias by which someone may mean one, for lookups and suggestions."""

    def __init__(self, actors: Iterable[Actor] = ()):
        self.ids: set[str] = set()
        self.by_name: dict[str, str] = {}
        for actor in actors:
            self.add(actor.id, actor.id, actor.label, *actor.aliases)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> ActorNames:
        """Names from (actor id, name) pairs, as a query of the graph returns them."""
        names = cls()
        for ident, name in pairs:
            names.add(ident, name)
        return names

    def add(self, ident: str, *names: str) -> None:
        self.ids.add(ident)
        for name in names:
            self.by_name.setdefault(name.lower(), ident)

    def find(self, name: str) -> str | None:
        """The id an id, label or alias (in any case) names, or None."""
        return self.by_name.get(name.strip().lower())

    def closest(self, name: str) -> str | None:
        """The id of the actor whose name is most like ``name``, if any is close."""
        close = difflib.get_close_matches(name.strip().lower(), list(self.by_name), n=1, cutoff=0.6)
        return self.by_name[close[0]] if close else None

    def suggest(self, name: str) -> str:
        """A did-you-mean for an unknown actor name.

        >>> ActorNames([Actor("russia", "Russia", "state", ("Moscow",))]).suggest("Moscow")
        "did you mean 'russia'? ('Moscow' names it)"
        """
        if self.find(name):
            return f"did you mean '{self.find(name)}'? ('{name}' names it)"
        if self.closest(name):
            return f"did you mean '{self.closest(name)}'?"
        return "add the actor to sources/actors.yaml, or use an id listed there"


def _duplicates(entries: Sequence[Located], kind: str) -> list[Problem]:
    first: dict[str, Located] = {}
    problems = []
    for entry in entries:
        ident = entry.item.id
        if not ident:
            continue
        if ident in first:
            earlier = first[ident]
            problems.append(
                Problem(
                    entry.file,
                    entry.line_of("id"),
                    f"{kind} {ident}",
                    f"duplicate id, first used at {earlier.file}:{earlier.line_of('id')}",
                    "give this one a new id",
                )
            )
        else:
            first[ident] = entry
    return problems


def _check_actors(actors: Sequence[Located[Actor]], names: ActorNames) -> list[Problem]:
    problems = []
    owner: dict[str, str] = {}
    for entry in actors:
        actor = entry.item
        what = f"actor {actor.id}"
        if actor.represents and actor.represents not in names.ids:
            problems.append(
                Problem(
                    entry.file,
                    entry.line_of("represents"),
                    what,
                    f"unknown actor '{actor.represents}' in 'represents'",
                    names.suggest(actor.represents),
                )
            )
        if actor.represents == actor.id:
            problems.append(
                Problem(
                    entry.file,
                    entry.line_of("represents"),
                    what,
                    "an actor cannot represent itself",
                    "name the actor it leads or speaks for",
                )
            )
        for alias in actor.aliases:
            other = owner.setdefault(alias.lower(), actor.id)
            if other != actor.id:
                problems.append(
                    Problem(
                        entry.file,
                        entry.line_of("aliases"),
                        what,
                        f"alias '{alias}' also names actor '{other}'",
                        "keep the alias on one actor only",
                    )
                )
    return problems


def _check_claim(entry: Located[Claim], actors: ActorNames, relations: dict[str, Relation]) -> list[Problem]:
    claim = entry.item
    what = f"claim {claim.id}" if claim.id else "claim"
    problems = []

    def problem(field: str, message: str, fix: str) -> None:
        problems.append(Problem(entry.file, entry.line_of(field), what, message, fix))

    for role in ("subject", "object"):
        name = getattr(claim, role)
        if name and name not in actors.ids:
            problem(role, f"unknown actor '{name}' as {role}", actors.suggest(name))
    if claim.subject and claim.subject == claim.object:
        problem(
            "object", f"subject and object are the same actor '{claim.subject}'", "a claim links two different actors"
        )
    if claim.relation and claim.relation not in relations:
        close = difflib.get_close_matches(claim.relation, list(relations), n=1)
        fix = f"did you mean '{close[0]}'?" if close else "use a relation id from sources/relations.yaml"
        problem("relation", f"unknown relation '{claim.relation}'", fix)
    if claim.certainty and claim.certainty not in CERTAINTIES:
        close = difflib.get_close_matches(claim.certainty, CERTAINTIES, n=1)
        fix = f"did you mean '{close[0]}'?" if close else f"use one of: {', '.join(CERTAINTIES)}"
        problem("certainty", f"unknown certainty '{claim.certainty}'", fix)
    if claim.certainty in NEEDS_SPEAKER and not claim.said_by:
        problem(
            "certainty",
            f"a {claim.certainty} claim needs 'said_by'",
            f"add 'said_by: <actor id>', or 'said_by: {UNNAMED_SPEAKER}' if the article names no one",
        )
    if claim.certainty == "asserted" and claim.said_by:
        problem(
            "said_by",
            "an asserted claim is the article's own statement and has no 'said_by'",
            "remove 'said_by', or make the certainty 'reported' or 'alleged'",
        )
    if claim.said_by and claim.said_by != UNNAMED_SPEAKER and claim.said_by not in actors.ids:
        problem("said_by", f"unknown actor '{claim.said_by}' in 'said_by'", actors.suggest(claim.said_by))
    return problems


def _check_quote(entry: Located[Claim], article: ArticleText | None) -> tuple[int | None, list[Problem]]:
    claim = entry.item
    if article is None or not claim.quote:
        return None, []
    line = article.locate(claim.quote)
    if line is not None:
        return line, []
    what = f"claim {claim.id}" if claim.id else "claim"
    where = entry.line_of("quote")
    if article.differs_only_in_typography(claim.quote):
        close_line, _ = article.closest(claim.quote)
        return None, [
            Problem(
                entry.file,
                where,
                what,
                f"quote differs from article.txt line {close_line} in its quotation marks, apostrophes or dashes",
                "copy them exactly as the article has them (e.g. ’ “ ”)",
            )
        ]
    close_line, excerpt = article.closest(claim.quote)
    return None, [
        Problem(
            entry.file,
            where,
            what,
            "quote not found in article.txt",
            f'copy the words exactly; closest passage at line {close_line}: "{excerpt}…"',
        )
    ]
