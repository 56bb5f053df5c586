"""How alike two folded names are. Pure functions, no Django.

Names are compared after :func:`kinbridge.lib.names.fold`, so Мария, Mariya,
Mariia and Maria are already equal; what is left are typing slips
(Kazlauskiene / Kazlauskine) and short forms.
"""

from __future__ import annotations

EQUAL = 3
SIMILAR = 2
PREFIX = 1
DIFFERENT = 0


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, stopping early once it exceeds ``limit`` (returns limit + 1)."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(
                    previous[j] + 1,
                    current[j - 1] + 1,
                    previous[j - 1] + (char_a != char_b),
                )
            )
        if min(current) > limit:
            return limit + 1
        previous = current
    return min(previous[-1], limit + 1)


def allowed_slips(word: str) -> int:
    """Typing slips tolerated in a name of this length: none below 4 letters, 2 from 8."""
    if len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


def word_likeness(a: str, b: str) -> int:
    """EQUAL, SIMILAR (a slip or two), PREFIX (a short form of 3+ letters) or DIFFERENT."""
    if not a or not b:
        return DIFFERENT
    if a == b:
        return EQUAL
    slips = allowed_slips(min(a, b, key=len))
    if slips and edit_distance(a, b, slips) <= slips:
        return SIMILAR
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= 3 and longer.startswith(shorter):
        return PREFIX
    return DIFFERENT


def name_likeness(a: str, b: str) -> int:
    """The best likeness between any word of ``a`` and any word of ``b``.

    Multi-word names (double-barrelled family names, two given names) match
    on any of their words.
    """
    best = DIFFERENT
    for word_a in a.split():
        for word_b in b.split():
            best = max(best, word_likeness(word_a, word_b))
            if best == EQUAL:
                return best
    return best
