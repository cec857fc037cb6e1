"""Exceptions raised by ActorGraph.

ActorGraphError            anything ActorGraph reports to its user
 ├── SourcesNotFound       the sources folder or one of its files is missing
 ├── SourcesInvalid        the curated files have problems (carries every Problem)
 ├── GraphInvalid          the built RDF graph breaks the SHACL shapes
 └── UnknownActor          a name on the command line names no actor
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the curated files, with where it is and how to fix it.

    >>> str(Problem("sources/a/claims.yaml", 4, "claim a-01", "unknown relation 'suports'", "did you mean 'supports'?"))
    "sources/a/claims.yaml:4: claim a-01: unknown relation 'suports' — did you mean 'supports'?"
    """

    file: str
    line: int
    what: str
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        what = f" {self.what}:" if self.what else ""
        return f"{where}:{what} {self.message} — {self.fix}"


class ActorGraphError(Exception):
    """Base of every error ActorGraph reports to its user."""


class SourcesNotFound(ActorGraphError):
    """The sources folder, or a file it must hold, does not exist."""


class SourcesInvalid(ActorGraphError):
    """The curated files have problems; ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the sources")


class GraphInvalid(ActorGraphError):
    """The built graph does not conform to the SHACL shapes; ``problems`` lists them."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} SHACL violation(s) in the built graph")


class UnknownActor(ActorGraphError):
    """A name (id, label or alias) matches no actor; the message says which actor may be meant."""
