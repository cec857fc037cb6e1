"""Read the curated files under ``sources/`` and check them; the only module that reads them."""

from __future__ import annotations

from pathlib import Path

from .errors import Problem, SourcesInvalid, SourcesNotFound
from .model import Corpus
from .parse import ID_PATTERN, Located, parse_actors, parse_claims, parse_relations, parse_source
from .validate import validate
from .yamlrecords import parse_record, parse_record_list

RELATIONS_FILE = "relations.yaml"
ACTORS_FILE = "actors.yaml"
ARTICLE_FILE = "article.txt"
SOURCE_FILE = "source.yaml"
CLAIMS_FILE = "claims.yaml"


def load_corpus(root: Path | str) -> Corpus:
    """Read and check everything under ``root``; raise SourcesInvalid listing every problem."""
    corpus, problems = check_corpus(root)
    if problems:
        raise SourcesInvalid(problems)
    return corpus


def check_corpus(root: Path | str) -> tuple[Corpus, list[Problem]]:
    """Read everything under ``root``; return what could be read and every problem found."""
    root = Path(root)
    if not root.is_dir():
        raise SourcesNotFound(f"no sources folder at {root} — run from the project root or pass --sources DIR")
    problems: list[Problem] = []

    text = _read(root / RELATIONS_FILE, problems)
    records, found = parse_record_list(text, str(root / RELATIONS_FILE), "relation") if text is not None else ([], [])
    relations, more = parse_relations(records, str(root / RELATIONS_FILE))
    problems += found + more

    text = _read(root / ACTORS_FILE, problems)
    records, found = parse_record_list(text, str(root / ACTORS_FILE), "actor") if text is not None else ([], [])
    actors, more = parse_actors(records, str(root / ACTORS_FILE))
    problems += found + more

    sources, claims = [], []
    folders = sorted(path for path in root.iterdir() if path.is_dir() and not path.name.startswith((".", "_")))
    if not folders:
        problems.append(
            Problem(str(root), 0, "", "no source folders", "add one folder per article; see sources/README.md")
        )
    for folder in folders:
        source, source_claims = _read_source(folder, problems)
        if source is not None:
            sources.append(source)
        claims += source_claims

    checked_claims, more = validate(relations, actors, sources, claims)
    problems += more
    corpus = Corpus(
        relations=tuple(entry.item for entry in relations),
        actors=tuple(entry.item for entry in actors),
        sources=tuple(entry.item for entry in sources),
        claims=tuple(checked_claims),
    )
    return corpus, sorted(problems)


def _read_source(folder: Path, problems: list[Problem]) -> tuple[Located | None, list[Located]]:
    if not ID_PATTERN.match(folder.name):
        problems.append(
            Problem(
                str(folder),
                0,
                "",
                f"'{folder.name}' is not a valid source id",
                "rename the folder with letters, digits and '-' only",
            )
        )
        return None, []
    article = _read(folder / ARTICLE_FILE, problems)
    if article is not None and not article.strip():
        problems.append(
            Problem(str(folder / ARTICLE_FILE), 0, "", "file is empty", "paste the article's text, unchanged")
        )
    source = None
    meta = _read(folder / SOURCE_FILE, problems)
    if meta is not None:
        record, found = parse_record(meta, str(folder / SOURCE_FILE), "source")
        problems += found
        if record is not None:
            source, found = parse_source(record, str(folder / SOURCE_FILE), folder.name, article or "")
            problems += found
    claims_text = _read(folder / CLAIMS_FILE, problems)
    if claims_text is None:
        return source, []
    records, found = parse_record_list(claims_text, str(folder / CLAIMS_FILE), "claim")
    claims, more = parse_claims(records, str(folder / CLAIMS_FILE), folder.name)
    problems += found + more
    return source, claims


def _read(path: Path, problems: list[Problem]) -> str | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(str(path), 0, "", "file is missing", "create it; see sources/README.md for its format"))
        return None
    except OSError as error:
        problems.append(Problem(str(path), 0, "", f"cannot be read ({error.strerror})", "check the file's permissions"))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problems.append(Problem(str(path), line, "", "not valid UTF-8 text", "save the file as UTF-8"))
        return None
