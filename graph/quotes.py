"""Find a curated quote in its article's text, ignoring differences in whitespace."""

from __future__ import annotations

import bisect
import difflib
import itertools

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
        self.normalised = " ".join(text.split())
        words_per_line = (len(line.split()) for line in text.split("\n"))
        self._words_to_line_end = list(itertools.accumulate(words_per_line))  # words up to each line's end

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
        word = self.normalised.count(" ", 0, normalised_position)  # the index of the word found there
        return min(bisect.bisect_right(self._words_to_line_end, word), len(self._words_to_line_end) - 1) + 1
