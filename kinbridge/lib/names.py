"""Names in any script, made searchable.

A name is kept as written (Cyrillic, Lithuanian, Latin…). For search, each name is
transliterated to Latin (anyascii) and then *folded* so that the usual
transliteration variants meet: Мария, Mariya, Mariia and Maria all fold to
"maria"; Šarūnė and sarune to "sarune"; Юлия, Yuliya, Iuliia and Julija to
"iulia". Folding trades a little precision for recall, which is what a
search box for people needs. Pure functions, no Django.
"""

from __future__ import annotations

import re

from anyascii import anyascii

# Applied in order to lower-case ASCII. Multi-letter groups first.
_FOLDS = [
    ("shch", "sc"),
    ("sch", "sc"),
    ("sh", "s"),
    ("ch", "c"),
    ("zh", "z"),
    ("kh", "h"),
    ("ts", "c"),
    ("tz", "c"),
    ("x", "ks"),
    ("ph", "f"),
    ("w", "v"),
    ("q", "k"),
    ("j", "i"),
    ("y", "i"),
]
_NOT_LETTER = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")
_DOUBLE = re.compile(r"([a-z])\1+")


def to_latin(text: str) -> str:
    """A readable Latin transliteration: 'Иванова Мария' -> 'Ivanova Mariya'."""
    return anyascii(text or "").strip()


def fold(text: str) -> str:
    """The search key of a name or a query: lower-case, Latin, variants merged."""
    value = anyascii(text or "").lower()
    value = value.replace("'", "").replace("`", "")
    value = _NOT_LETTER.sub(" ", value)
    for group, replacement in _FOLDS:
        value = value.replace(group, replacement)
    value = _DOUBLE.sub(r"\1", value)
    return _SPACES.sub(" ", value).strip()


def search_key(*parts: str) -> str:
    """The folded key of several name parts, each word once, space-separated."""
    words: list[str] = []
    for part in parts:
        for word in fold(part).split():
            if word not in words:
                words.append(word)
    return " ".join(words)


def query_terms(query: str) -> list[str]:
    """The folded words of a search query; every one must match."""
    return [word for word in fold(query).split() if word]
