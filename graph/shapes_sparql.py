"""Compile SHACL shapes into SPARQL SELECT queries, one per constraint, whose solutions are the violations.

Covers the part of SHACL Core that ``graph/shapes.ttl`` uses: class targets, node and property
shapes (a single IRI as sh:path), sh:minCount, sh:maxCount, sh:datatype, sh:class, sh:in, the
value ranges (sh:minInclusive and kin), sh:minLength, sh:pattern, sh:disjoint, sh:or, and
SPARQL-based constraints (sh:sparql). Anything else raises UnsupportedShape naming it, so no
constraint goes unchecked unnoticed. Queries read the data graph as their default graph: run
them over the merged graph.

The queries are shaped for Oxigraph: they start from the values of a path and test the focus
node's class only for the few that fail, batch the sh:minCount 1 of a shape into one pass, and
keep EXISTS to single patterns where it can (Oxigraph re-evaluates a join inside EXISTS for every row).

>>> shapes = Graph().parse(format="turtle", data='''
...     @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
...     ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:name ; sh:minLength 1 ] .''')
>>> [check] = compile_shapes(shapes)
>>> check.message
'String length not >= 1'
>>> print(check.query.replace(str(RDF), "rdf:").replace(str(RDFS), "rdfs:"))
SELECT DISTINCT ?this ?value WHERE {
  { SELECT * WHERE { ?this <http://example.org/name> ?value . FILTER(isBlank(?value) || STRLEN(STR(?value)) < 1) } }
  FILTER EXISTS { { ?this <rdf:type>/<rdfs:subClassOf>* <http://example.org/C> . } }
}
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

from .terms import compact, to_oxigraph

__all__ = ["Check", "UnsupportedShape", "compile_shapes", "repeated_paths_query"]


class UnsupportedShape(ValueError):
    """The shapes use a SHACL feature the compiler does not implement."""


@dataclass(frozen=True)
class Check:
    """One constraint of one shape: each solution of ``query`` is a violation.

    Solutions bind ``?this`` (the focus node) and, for constraints on values, ``?value``;
    SPARQL-based constraints may also bind ``?path``. ``message`` may hold ``{?var}`` or
    ``{$var}`` placeholders for the solution's bindings.
    """

    shape: str
    component: str
    query: str
    message: str
    path: str | None = None
    screened: bool = False
    """A sh:maxCount check, needed only when :func:`repeated_paths_query` lists its path."""


RDF_TYPE_CLOSURE = f"<{RDF.type}>/<{RDFS.subClassOf}>*"
ANNOTATIONS = {RDF.type, RDFS.label, RDFS.comment, SH.name, SH.description, SH.order, SH.group, SH.message}
SHAPE_KEYS = {SH.targetClass, SH.property, SH.path, SH.severity, SH.deactivated, SH.flags}
COMPONENTS = {
    SH.minCount: "MinCount",
    SH.maxCount: "MaxCount",
    SH.datatype: "Datatype",
    SH["class"]: "Class",
    SH["in"]: "In",
    SH.minInclusive: "MinInclusive",
    SH.minExclusive: "MinExclusive",
    SH.maxInclusive: "MaxInclusive",
    SH.maxExclusive: "MaxExclusive",
    SH.minLength: "MinLength",
    SH.pattern: "Pattern",
    SH.disjoint: "Disjoint",
    SH["or"]: "Or",
    SH.sparql: "SPARQL",
}
RANGES = {SH.minInclusive: ">=", SH.minExclusive: ">", SH.maxInclusive: "<=", SH.maxExclusive: "<"}
"""The value range components, each with the comparison a value must pass."""
SPARQL_KEYS = {RDF.type, RDFS.label, RDFS.comment, SH.select, SH.message, SH.prefixes, SH.deactivated}
OTHER_TARGETS = (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)

CASTABLE = {
    XSD.boolean, XSD.integer, XSD.decimal, XSD.float, XSD.double, XSD.date, XSD.dateTime, XSD.time,
    XSD.duration, XSD.dayTimeDuration, XSD.yearMonthDuration,
    XSD.gYear, XSD.gYearMonth, XSD.gMonth, XSD.gMonthDay, XSD.gDay,
}  # fmt: skip
"""Datatypes whose well-formedness a SPARQL cast of the lexical form decides (Oxigraph has these casts)."""

INTEGER_RANGES: dict[URIRef, tuple[int | None, int | None]] = {
    XSD.nonNegativeInteger: (0, None),
    XSD.positiveInteger: (1, None),
    XSD.nonPositiveInteger: (None, 0),
    XSD.negativeInteger: (None, -1),
    XSD.long: (-(2**63), 2**63 - 1),
    XSD.int: (-(2**31), 2**31 - 1),
    XSD.short: (-(2**15), 2**15 - 1),
    XSD.byte: (-(2**7), 2**7 - 1),
    XSD.unsignedLong: (0, None),  # Oxigraph's integers are 64-bit: larger ones fail the cast anyway
    XSD.unsignedInt: (0, 2**32 - 1),
    XSD.unsignedShort: (0, 2**16 - 1),
    XSD.unsignedByte: (0, 2**8 - 1),
}
"""Types derived from xsd:integer, which Oxigraph stores as xsd:integer: such a value passes when in range."""


def compile_shapes(shapes: Graph) -> list[Check]:
    """Every constraint of every shape with a class target, as Checks in a stable order."""
    for target in OTHER_TARGETS:
        for shape in shapes.subjects(target, None):
            raise UnsupportedShape(f"{_name(shape)}: {_name(target)} is not supported; use sh:targetClass")
    compiler = _Compiler(shapes)
    shapes_with_targets = sorted(set(shapes.subjects(SH.targetClass, None)), key=str)
    return [check for shape in shapes_with_targets for check in compiler.shape_checks(shape)]


class _Compiler:
    """Turns shapes into query text; holds the shapes graph and a counter for fresh variable names."""

    def __init__(self, shapes: Graph):
        self.shapes = shapes
        self.counter = itertools.count(1)

    # -- top level: one query per constraint ----------------------------------------------------

    def shape_checks(self, shape: URIRef | BNode) -> Iterator[Check]:
        """The Checks of a shape with targets and of its property shapes."""
        if (shape, RDF.type, RDFS.Class) in self.shapes:
            raise UnsupportedShape(
                f"{self._where(shape)}: implicit class targets (a shape that is a class) are not supported"
            )
        classes = sorted(self.shapes.objects(shape, SH.targetClass), key=str)
        target = " UNION ".join(
            f"{{ ?this {RDF_TYPE_CLOSURE} {_sparql(_iri(c, 'sh:targetClass'))} . }}" for c in classes
        )
        yield from self._checks(shape, target, shape)

    def _checks(
        self, shape: URIRef | BNode, target: str, node_shape: URIRef | BNode, required_checked: bool = False
    ) -> Iterator[Check]:
        if self._deactivated(shape):
            return
        path = self._path(shape)
        for predicate, value in self._constraints(shape, nested=False):
            if required_checked and predicate == SH.minCount and _integer(value, predicate) == 1:
                continue
            if predicate == SH.sparql:
                if not self._deactivated(value):
                    yield self._sparql_check(shape, value, target, path)
                continue
            pattern = self._pattern(predicate, value, shape, "?this", path, nested=False)
            if pattern is None:
                continue
            has_value = path is not None and predicate not in (SH.minCount, SH.maxCount)
            select = "SELECT DISTINCT ?this ?value" if has_value else "SELECT DISTINCT ?this"
            if path is not None and predicate != SH.minCount:
                # Start from the path's values and test the focus node's class only for violations: a
                # subquery, as Oxigraph would evaluate the EXISTS for every value in a conjunction.
                query = f"{select} WHERE {{\n  {{ SELECT * WHERE {{ {pattern} }} }}\n  FILTER EXISTS {{ {target} }}\n}}"
            else:
                query = f"{select} WHERE {{\n  {target}\n  {pattern}\n}}"
            message = self._message(shape) or self._default_message(predicate, value, path)
            component = f"sh:{COMPONENTS[predicate]}ConstraintComponent"
            screened = predicate == SH.maxCount and _integer(value, predicate) > 0
            yield Check(_name(node_shape), component, query, message, path, screened)
        children = self._property_shapes(shape, path)
        required = [child for child in children if self._required(child)]
        if required:
            yield self._required_check(required, target, node_shape)
        for child in children:
            yield from self._checks(child, target, node_shape, required_checked=child in required)

    def _required(self, shape: URIRef | BNode) -> bool:
        """Whether a property shape has sh:minCount 1 and no sh:message of its own."""
        counts = {_integer(value, SH.minCount) for value in self.shapes.objects(shape, SH.minCount)}
        return 1 in counts and not self._deactivated(shape) and self._message(shape) is None

    def _required_check(self, shapes: list[URIRef | BNode], target: str, node_shape: URIRef | BNode) -> Check:
        """sh:minCount 1 of several property shapes in one query: one pass over the focus nodes for all paths."""
        paths = " ".join(sorted(f"<{self._path(shape)}>" for shape in shapes))
        query = (
            f"SELECT DISTINCT ?this ?path WHERE {{\n  {target}\n  VALUES ?path {{ {paths} }}\n"
            f"  FILTER NOT EXISTS {{ ?this ?path ?value }}\n}}"
        )
        return Check(
            _name(node_shape), "sh:MinCountConstraintComponent", query, "Less than 1 values on {$this}->{?path}"
        )

    def _sparql_check(self, shape: URIRef | BNode, constraint: object, target: str, path: str | None) -> Check:
        """A SPARQL-based constraint: its SELECT joined with the focus nodes (it must project $this)."""
        if path is not None:
            raise UnsupportedShape(f"{self._where(shape)}: sh:sparql is only supported on node shapes")
        if not isinstance(constraint, URIRef | BNode):
            raise UnsupportedShape(f"{self._where(shape)}: sh:sparql must name a constraint node")
        self._only(constraint, SPARQL_KEYS, "a SPARQL-based constraint")
        selects = list(self.shapes.objects(constraint, SH.select))
        if len(selects) != 1:
            raise UnsupportedShape(f"{self._where(shape)}: a SPARQL-based constraint needs exactly one sh:select")
        select = str(selects[0]).strip()
        if re.match(r"(?i)(PREFIX|BASE)\b", select):
            raise UnsupportedShape(
                f"{self._where(shape)}: declare the sh:select's prefixes with sh:prefixes, not PREFIX"
            )
        if re.search(r"[?$](shapesGraph|currentShape)\b", select):
            raise UnsupportedShape(
                f"{self._where(shape)}: $shapesGraph and $currentShape are not supported in sh:select"
            )
        if not re.match(r"(?is)SELECT\s+((DISTINCT|REDUCED)\s+)?(\*|[^{]*?[?$]this\b)", select):
            raise UnsupportedShape(
                f"{self._where(shape)}: the sh:select must project $this (it runs once for all focus nodes)"
            )
        query = f"{self._prefixes(constraint)}SELECT * WHERE {{\n  {target}\n  {{ {select} }}\n}}"
        message = self._message(constraint) or self._message(shape) or "Violation of a SPARQL-based constraint"
        return Check(_name(shape), "sh:SPARQLConstraintComponent", query, message)

    # -- one constraint as a graph pattern that matches when it is violated ---------------------

    def _pattern(
        self, predicate: URIRef, value: object, shape: URIRef | BNode, focus: str, path: str | None, nested: bool
    ) -> str | None:
        """A pattern matching the constraint's violations at ``focus``; None when it can never fail.

        At top level (``nested`` false) the value variable is ``?value``; inside sh:or the pattern
        sits in FILTER EXISTS, so it uses fresh variables and avoids MINUS and subqueries.
        """
        value_var = focus if path is None else ("?value" if not nested else self._fresh())
        values = "" if path is None else f"{focus} <{path}> {value_var} . "
        if predicate in (SH.minCount, SH.maxCount):
            if path is None:
                raise UnsupportedShape(f"{self._where(shape)}: {_name(predicate)} needs a property shape (sh:path)")
            count = _integer(value, predicate)
            if predicate == SH.minCount:
                return self._min_count(focus, path, count)
            return self._max_count(focus, path, count, nested)
        if predicate == SH.datatype:
            return f"{values}FILTER(!COALESCE({_well_formed(value_var, _iri(value, 'sh:datatype'))}, false))"
        if predicate == SH["class"]:
            instance = f"{value_var} {RDF_TYPE_CLOSURE} {_sparql(_iri(value, 'sh:class'))}"
            return f"{values}FILTER NOT EXISTS {{ {instance} }}" if nested else f"{values}MINUS {{ {instance} }}"
        if predicate == SH["in"]:
            allowed = [_sparql(member) for member in self._list(value, "sh:in")]
            same = " || ".join(f"sameTerm({value_var}, {member})" for member in allowed) or "false"
            return f"{values}FILTER(!({same}))"
        if predicate in RANGES:
            bound = _sparql(_string(value, _name(predicate)))
            return f"{values}FILTER(!COALESCE({value_var} {RANGES[predicate]} {bound}, false))"
        if predicate == SH.minLength:
            return f"{values}FILTER(isBlank({value_var}) || STRLEN(STR({value_var})) < {_integer(value, predicate)})"
        if predicate == SH.pattern:
            flags = "".join(f", {_sparql(flag)}" for flag in self.shapes.objects(shape, SH.flags))
            regex = f"REGEX(STR({value_var}), {_sparql(_string(value, 'sh:pattern'))}{flags})"
            return f"{values}FILTER(isBlank({value_var}) || !{regex})"
        if predicate == SH.disjoint:
            return f"{values}{focus} {_sparql(_iri(value, 'sh:disjoint'))} {value_var} ."
        if predicate == SH["or"]:
            members = [f"EXISTS {{ {self._violated(member, value_var)} }}" for member in self._list(value, "sh:or")]
            return f"{values}FILTER({' && '.join(members) or 'true'})"
        raise AssertionError(predicate)  # _constraints lets only the components above through

    def _min_count(self, focus: str, path: str, count: int) -> str | None:
        if count == 0:
            return None
        names = [self._fresh() for _ in range(count)]
        return f"FILTER NOT EXISTS {{ {focus} <{path}> {', '.join(names)} . {_all_different(names)}}}"

    def _max_count(self, focus: str, path: str, count: int, nested: bool) -> str:
        if nested or count == 0:  # count + 1 distinct values; fine for the small counts shapes use
            names = [self._fresh() for _ in range(count + 1)]
            return f"{focus} <{path}> {', '.join(names)} . {_all_different(names)}"
        name = self._fresh()
        grouped = f"SELECT {focus} WHERE {{ {focus} <{path}> {name} }} GROUP BY {focus}"
        return f"{{ {grouped} HAVING (COUNT(DISTINCT {name}) > {count}) }}"

    def _violated(self, shape: object, focus: str) -> str:
        """A pattern matching when ``focus`` does not conform to ``shape`` (a member of sh:or)."""
        if not isinstance(shape, URIRef | BNode):
            raise UnsupportedShape(f"{self._where(shape)}: a member of sh:or must be a shape")
        if self._deactivated(shape):
            return "FILTER(false)"
        path = self._path(shape)
        patterns = [
            pattern
            for predicate, value in self._constraints(shape, nested=True)
            if (pattern := self._pattern(predicate, value, shape, focus, path, nested=True)) is not None
        ]
        patterns += [self._violated(child, focus) for child in self._property_shapes(shape, path)]
        return " UNION ".join(f"{{ {pattern} }}" for pattern in patterns) or "FILTER(false)"

    # -- reading the shapes graph ---------------------------------------------------------------

    def _constraints(self, shape: URIRef | BNode, nested: bool) -> list[tuple[URIRef, object]]:
        """The shape's (component parameter, value) pairs, after refusing anything unsupported."""
        self._only(shape, ANNOTATIONS | SHAPE_KEYS | COMPONENTS.keys(), "a shape")
        for severity in self.shapes.objects(shape, SH.severity):
            if severity != SH.Violation:
                raise UnsupportedShape(f"{self._where(shape)}: sh:severity {_name(severity)} is not supported")
        if nested and (shape, SH.sparql, None) in self.shapes:
            raise UnsupportedShape(f"{self._where(shape)}: sh:sparql is not supported inside sh:or")
        pairs = [(p, o) for p, o in self.shapes.predicate_objects(shape) if p in COMPONENTS]
        return sorted(pairs, key=lambda pair: (list(COMPONENTS).index(pair[0]), str(pair[1])))

    def _only(self, node: URIRef | BNode, allowed: set[URIRef], what: str) -> None:
        for predicate in sorted(set(self.shapes.predicates(node, None)) - allowed, key=str):
            raise UnsupportedShape(
                f"{self._where(node)}: {_name(predicate)} on {what} is not supported by graph/shapes_sparql.py"
            )

    def _path(self, shape: URIRef | BNode) -> str | None:
        paths = list(self.shapes.objects(shape, SH.path))
        if len(paths) > 1 or (paths and not isinstance(paths[0], URIRef)):
            raise UnsupportedShape(f"{self._where(shape)}: only a single IRI is supported as sh:path")
        return str(paths[0]) if paths else None

    def _property_shapes(self, shape: URIRef | BNode, path: str | None) -> list[URIRef | BNode]:
        children = sorted(self.shapes.objects(shape, SH.property), key=str)
        if children and path is not None:
            raise UnsupportedShape(f"{self._where(shape)}: sh:property is only supported on node shapes")
        for child in children:
            if not isinstance(child, URIRef | BNode) or self._path(child) is None:
                raise UnsupportedShape(f"{self._where(shape)}: sh:property must name a shape with a sh:path")
        return children

    def _deactivated(self, shape: URIRef | BNode) -> bool:
        return any(value.toPython() is True for value in self.shapes.objects(shape, SH.deactivated))

    def _message(self, node: URIRef | BNode) -> str | None:
        """The node's sh:message, preferring one without a language tag or in English."""
        messages = list(self.shapes.objects(node, SH.message))
        if not messages:
            return None
        return str(min(messages, key=lambda m: (getattr(m, "language", None) not in (None, "en"), str(m))))

    def _list(self, head: object, what: str) -> list:
        if not isinstance(head, URIRef | BNode):
            raise UnsupportedShape(f"{what} must be an RDF list, not {_name(head)}")
        return list(Collection(self.shapes, head))

    def _prefixes(self, constraint: URIRef | BNode) -> str:
        """PREFIX lines for the sh:declare of every node named by the constraint's sh:prefixes."""
        lines = []
        for node in self.shapes.objects(constraint, SH.prefixes):
            for declaration in self.shapes.objects(node, SH.declare):
                prefix = self.shapes.value(declaration, SH.prefix)
                namespace = self.shapes.value(declaration, SH.namespace)
                lines.append(f"PREFIX {prefix}: <{namespace}>\n")
        return "".join(sorted(set(lines)))

    def _default_message(self, predicate: URIRef, value: object, path: str | None) -> str:
        """A message in pySHACL's words; ``{$this}`` stands for the focus node."""
        on = f"{{$this}}->{_name(URIRef(path))}" if path else "{$this}"
        if predicate == SH.minCount:
            return f"Less than {value} values on {on}"
        if predicate == SH.maxCount:
            return f"More than {value} values on {on}"
        if predicate == SH.datatype:
            return f"Value is not Literal with datatype {_name(value)}"
        if predicate == SH["class"]:
            return f"Value does not have class {_name(value)}"
        if predicate == SH["in"]:
            members = ", ".join(_name(member) for member in self._list(value, "sh:in"))
            return f"Value {'{?value}' if path else '{$this}'} not in list [{members}]"
        if predicate in RANGES:
            return f"Value is not {RANGES[predicate]} {value}"
        if predicate == SH.minLength:
            return f"String length not >= {value}"
        if predicate == SH.pattern:
            return f"Value does not match pattern {str(value)!r}"
        if predicate == SH.disjoint:
            return f"Value of {on} is also a value of {_name(value)}"
        return "Node {$this} does not conform to any shape in sh:or"

    def _where(self, node: object) -> str:
        """A shape as an error message names it: its IRI, or its parent's and its path."""
        if not isinstance(node, BNode):
            return _name(node)
        path = self.shapes.value(node, SH.path)
        parent = next(self.shapes.subjects(SH.property, node), None)
        if path is None:
            owner = next(self.shapes.subjects(SH.sparql, node), None)
            return f"{self._where(owner)}, sh:sparql" if owner is not None else "a blank-node shape"
        return (f"{self._where(parent)}, " if parent is not None else "") + f"property shape of {_name(path)}"

    def _fresh(self) -> str:
        return f"?v{next(self.counter)}"


def repeated_paths_query(paths: Iterable[str]) -> str:
    """A query for those of ``paths`` that some node has more than one triple of.

    No sh:maxCount of a path elsewhere can fail (its count is at least 1): one pass over the
    triples of every path instead of a grouping per check. Duplicates across graphs count too,
    which only costs a needless check.

    >>> print(repeated_paths_query(["http://example.org/p"]))
    SELECT ?path WHERE { VALUES ?path { <http://example.org/p> } ?node ?path ?value }
    GROUP BY ?path HAVING (COUNT(*) > COUNT(DISTINCT ?node))
    """
    values = " ".join(f"<{path}>" for path in sorted(paths))
    return (
        f"SELECT ?path WHERE {{ VALUES ?path {{ {values} }} ?node ?path ?value }}\n"
        "GROUP BY ?path HAVING (COUNT(*) > COUNT(DISTINCT ?node))"
    )


def _well_formed(var: str, datatype: URIRef) -> str:
    """An expression true when ``var`` is a well-formed literal of ``datatype`` (false or an error otherwise)."""
    if datatype == RDF.langString:
        return f'isLiteral({var}) && LANG({var}) != ""'
    same = f"isLiteral({var}) && sameTerm(DATATYPE({var}), {_sparql(datatype)})"
    if datatype in CASTABLE:
        return f"{same} && isLiteral({_sparql(datatype)}(STR({var})))"
    if datatype in INTEGER_RANGES:
        low, high = INTEGER_RANGES[datatype]
        number = f"<{XSD.integer}>(STR({var}))"
        bounds = (f" && {number} >= {low}" if low is not None else "") + (
            f" && {number} <= {high}" if high is not None else ""
        )
        integer = f"sameTerm(DATATYPE({var}), <{XSD.integer}>)"
        return f"isLiteral({var}) && ({integer} || {same}) && isLiteral({number}){bounds}"
    return same


def _all_different(names: list[str]) -> str:
    pairs = [f"!sameTerm({a}, {b})" for a, b in itertools.combinations(names, 2)]
    return f"FILTER({' && '.join(pairs)}) " if pairs else ""


def _sparql(term: object) -> str:
    """A shapes-graph IRI or literal written in SPARQL."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise UnsupportedShape(f"blank node {term} cannot be matched in the data graph")


def _iri(term: object, what: str) -> URIRef:
    if not isinstance(term, URIRef):
        raise UnsupportedShape(f"{what} must be an IRI, not {_name(term)}")
    return term


def _integer(term: object, predicate: URIRef) -> int:
    if not (isinstance(term, Literal) and isinstance(term.toPython(), int)) or term.toPython() < 0:
        raise UnsupportedShape(f"{_name(predicate)} must be a non-negative integer, not {_name(term)}")
    return term.toPython()


def _string(term: object, what: str) -> Literal:
    if not isinstance(term, Literal):
        raise UnsupportedShape(f"{what} must be a literal, not {_name(term)}")
    return term


def _name(term: object) -> str:
    """A term as it reads in messages: ``sh:maxLength``, ``ag:Actor``, ``<http://…>``."""
    if isinstance(term, URIRef) and term.startswith(str(SH)):
        return f"sh:{term[len(str(SH)) :]}"
    if isinstance(term, URIRef | Literal):
        return compact(to_oxigraph(term))
    return f"[{term}]" if isinstance(term, BNode) else str(term)
