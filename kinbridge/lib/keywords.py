"""Word-prefix search keys for the names of organisations and places.

People are searched by any part of any name (``names.search_key``). The names
of facilities and partners carry numbers that matter ("IK-5" is not "IK-15"),
so here digits are kept and a query word matches the *start* of a word:
"ik 5" finds "IK-5" but not "IK-15"; "panevezio" and "Паневежио" find
"Panevėžio pataisos namai". Letters are folded as for people's names. Pure
functions, no Django.
"""

from __future__ import annotations

import re

from kinbridge.lib.names import fold

_CHUNK = re.compile(r"\d+|[^\W\d_]+")


def words(text: str) -> list[str]:
    """The folded words and the digit groups of ``text``, in order."""
    found: list[str] = []
    for chunk in _CHUNK.findall(text or ""):
        found.extend([chunk] if chunk.isdigit() else fold(chunk).split())
    return found


def keyword_key(*parts: str) -> str:
    """The stored key: every word once, with a space before and after each."""
    unique: list[str] = []
    for part in parts:
        for word in words(part):
            if word not in unique:
                unique.append(word)
    return f" {' '.join(unique)} " if unique else ""


def keyword_terms(query: str) -> list[str]:
    """What a query must contain, each as a substring of the key: ' word'."""
    return [f" {word}" for word in words(query)]
