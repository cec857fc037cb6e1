"""Find a curated quote in its article's text, ignoring differences in whitespace."""

from __future__ import annotations

import bisect
import difflib
import re

_WORD = re.compile(r"\S+")
_TYPOGRAPHIC = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def normalise_space(text: str) -> str:
    """Collapse every run of whitespace to one space and trim the ends.

    >>> normalise_space("  a\\n  b\\tc ")
    'a b c'
    """
    return " ".join(text.split())


class ArticleText:
    """An article's text, indexed once so that many quotes can be located in it.

    >>> article = ArticleText("first line\\nIran has been a patron\\n  of Hamas for years.")
    >>> article.locate("a patron of   Hamas")
    2
    >>> article.locate("a patron of Hezbollah") is None
    True
    """

    def __init__(self, text: str):
        self.text = text
        words = list(_WORD.finditer(text))
        self.normalised = " ".join(word.group() for word in words)
        self._starts: list[int] = []  # where each word starts, in the normalised text
        self._offsets: list[int] = []  # ... and in the original text
        position = 0
        for word in words:
            self._starts.append(position)
            self._offsets.append(word.start())
            position += len(word.group()) + 1

    def locate(self, quote: str) -> int | None:
        """Return the 1-based line where ``quote`` starts, or None if the text lacks it."""
        wanted = normalise_space(quote)
        if not wanted:
            return None
        found = self.normalised.find(wanted)
        return None if found < 0 else self._line_at(found)

    def differs_only_in_typography(self, quote: str) -> bool:
        """Whether the quote matches once curly quotes, apostrophes and dashes are made plain."""
        wanted = normalise_space(quote).translate(_TYPOGRAPHIC)
        return bool(wanted) and wanted in self.normalised.translate(_TYPOGRAPHIC)

    def closest(self, quote: str, width: int = 60) -> tuple[int, str]:
        """Return the line and an excerpt of the passage most like ``quote``."""
        wanted = normalise_space(quote)
        matcher = difflib.SequenceMatcher(None, self.normalised, wanted, autojunk=False)
        match = matcher.find_longest_match(0, len(self.normalised), 0, len(wanted))
        start = max(0, match.a - match.b)
        excerpt = self.normalised[start : start + min(width, max(len(wanted), 1))]
        return self._line_at(start), excerpt

    def _line_at(self, normalised_position: int) -> int:
        index = max(0, bisect.bisect_right(self._starts, normalised_position) - 1)
        offset = self._offsets[index] if self._offsets else 0
        return self.text.count("\n", 0, offset) + 1
