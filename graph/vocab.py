"""Namespaces and IRIs of the graph: the public interface SPARQL users write against."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace

BASE = "https://w3id.org/actorgraph/"

REL = Namespace(BASE + "rel/")
ACTOR = Namespace(BASE + "actor/")
CLAIM = Namespace(BASE + "claim/")
CITATION = Namespace(BASE + "citation/")
SOURCE = Namespace(BASE + "source/")
GRAPH = Namespace(BASE + "graph/")
CONTEST = Namespace(BASE + "contest/")


class AG(DefinedNamespace):
    """The ActorGraph ontology (``graph/ontology.ttl`` defines every term)."""

    _NS = Namespace(BASE + "ns#")
    _fail = True

    # classes
    Actor: URIRef
    State: URIRef
    ArmedGroup: URIRef
    PoliticalParty: URIRef
    Person: URIRef
    GovernmentBody: URIRef
    MediaOutlet: URIRef
    Organisation: URIRef
    GroupOfPeople: URIRef
    Bloc: URIRef
    Relation: URIRef
    Claim: URIRef
    Citation: URIRef
    Article: URIRef
    Certainty: URIRef
    Contest: URIRef
    # individuals
    asserted: URIRef
    reported: URIRef
    alleged: URIRef
    denied: URIRef
    unnamedSource: URIRef
    relations: URIRef
    certainties: URIRef
    # properties
    certainty: URIRef
    establishesRelation: URIRef
    saidBy: URIRef
    citation: URIRef
    quote: URIRef
    quoteLine: URIRef
    sign: URIRef
    symmetric: URIRef
    represents: URIRef
    titleSupplied: URIRef
    dateNote: URIRef
    originalFile: URIRef
    textSha256: URIRef
    # analysis measures (in the graph:analysis named graph)
    pageRank: URIRef
    betweenness: URIRef
    camp: URIRef
    community: URIRef
    frustrated: URIRef
    corroborated: URIRef
    contestKind: URIRef
    firstActor: URIRef
    secondActor: URIRef
    contestedRelation: URIRef
    representative: URIRef
    affirmingClaims: URIRef
    opposingClaims: URIRef


ACTOR_CLASSES = {
    "state": AG.State,
    "armed-group": AG.ArmedGroup,
    "political-party": AG.PoliticalParty,
    "person": AG.Person,
    "government-body": AG.GovernmentBody,
    "media-outlet": AG.MediaOutlet,
    "organisation": AG.Organisation,
    "group-of-people": AG.GroupOfPeople,
    "bloc": AG.Bloc,
}

CERTAINTY_TERMS = {
    "asserted": AG.asserted,
    "reported": AG.reported,
    "alleged": AG.alleged,
    "denied": AG.denied,
}

REGISTRY_GRAPH = GRAPH["registry"]
"""The named graph holding the ontology, the relation vocabulary and the actors."""

ANALYSIS_GRAPH = GRAPH["analysis"]
"""The named graph holding the measures of the analysis: PageRank, betweenness, camp, community."""

PREFIXES = {
    "ag": AG._NS,
    "rel": REL,
    "actor": ACTOR,
    "claim": CLAIM,
    "citation": CITATION,
    "source": SOURCE,
    "graph": GRAPH,
    "rdf": RDF._NS,
    "rdfs": RDFS._NS,
    "owl": OWL._NS,
    "xsd": XSD._NS,
    "skos": SKOS._NS,
    "dcterms": DCTERMS._NS,
    "prov": PROV._NS,
    "schema": SDO._NS,
}
"""Prefixes bound in every export and offered to every query."""

PREFIX_IRIS = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
"""The same prefixes as plain strings, as Oxigraph takes them."""
