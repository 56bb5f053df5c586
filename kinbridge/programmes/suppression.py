"""Small-count suppression for published (external) figures.

Counts of people from 1 to ``threshold - 1`` are *primary* suppressed and
shown as "<5" (for the default threshold of 5); zero is shown as 0. In a
table with totals, hiding a cell is not enough: if a row has one hidden
cell, its total minus the shown cells gives the hidden figure back. So a
table also gets *secondary* suppression:

1. Every line of the table is a relation "cells add up to the total": each
   row with its row total, each column with its column total, the row of
   column totals with the grand total, the column of row totals with the
   grand total.
2. While some relation has exactly one hidden entry, hide another shown
   non-zero entry of that relation: preferably one whose other line already
   has a hidden entry (it settles both lines), else the smallest (a cell
   before its total on a tie). Repeat until no relation has exactly one
   hidden entry.
3. Audit: treat the hidden entries as unknowns of the relations. An entry
   the relations fix exactly — by linear algebra across rows and columns
   together (``rank`` test), or by the bounds a reader knows (a "<5" is
   1..4, a "*" is at least 5, nothing is negative) — is still recoverable:
   hide the smallest shown non-zero entry of its row (else its column, else
   of the table) and go back to step 2.

Secondary suppressed entries are shown as "*" (hidden so that a small number
elsewhere cannot be worked out); they are never zero and never below the
threshold. Pure Python, no Django: the report module calls it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

PRIMARY = "primary"
SECONDARY = "secondary"


@dataclass(frozen=True)
class Hidden:
    """A count that is not published; ``str()`` is what stands in its place."""

    reason: str  # PRIMARY or SECONDARY
    threshold: int

    def __str__(self) -> str:
        return f"<{self.threshold}" if self.reason == PRIMARY else "*"


def is_small(value: int, threshold: int) -> bool:
    return 0 < value < threshold


def hide_small(value: int, threshold: int) -> int | Hidden:
    """One count with no totals around it (a KPI actual, a beneficiary figure)."""
    return Hidden(PRIMARY, threshold) if is_small(value, threshold) else value


@dataclass
class Grid:
    """A table of counts with row totals, column totals and a grand total."""

    rows: list[list[int | Hidden]]
    row_totals: list[int | Hidden]
    column_totals: list[int | Hidden]
    total: int | Hidden

    @classmethod
    def of(cls, body: list[list[int]]) -> Grid:
        """The table with its totals, nothing hidden."""
        width = len(body[0]) if body else 0
        return cls(
            rows=[list(row) for row in body],
            row_totals=[sum(row) for row in body],
            column_totals=[sum(row[j] for row in body) for j in range(width)],
            total=sum(sum(row) for row in body),
        )

    def hidden_count(self) -> int:
        entries = [*self.row_totals, *self.column_totals, self.total]
        entries += [cell for row in self.rows for cell in row]
        return sum(isinstance(entry, Hidden) for entry in entries)


def suppress_table(body: list[list[int]], threshold: int) -> Grid:
    """``body`` (rows of non-negative counts) with totals, small counts hidden (see above)."""
    grid = Grid.of(body)
    if threshold <= 1 or not body or not body[0]:
        return grid
    height, width = len(body), len(body[0])
    # The full table: body, then the row totals as column ``width``, then the
    # column totals as row ``height`` with the grand total at its end.
    values = [[*row, sum(row)] for row in body]
    values.append([*(sum(row[j] for row in body) for j in range(width)), sum(map(sum, body))])
    hidden: dict[tuple[int, int], str] = {}
    for i in range(height + 1):
        for j in range(width + 1):
            if is_small(values[i][j], threshold):
                hidden[(i, j)] = PRIMARY
    # Each relation: its cells (last one is the total; coefficient -1).
    relations = [[(i, j) for j in range(width + 1)] for i in range(height + 1)]
    relations += [[(i, j) for i in range(height + 1)] for j in range(width + 1)]

    def hide_smallest(cells) -> bool:
        shown = [cell for cell in cells if cell not in hidden and values[cell[0]][cell[1]] > 0]
        if not shown:
            return False

        # Prefer a cell whose other line already has one hidden entry (hiding it
        # settles that line too instead of starting a new chain), then the smallest
        # value, then a cell before a total, then the first.
        def cost(cell):
            lone = sum(
                sum(other in hidden for other in line) == 0
                for line in lines_of[cell]
                if line is not cells
            )
            return (lone, values[cell[0]][cell[1]], cell in totals)

        hidden[min(shown, key=cost)] = SECONDARY
        return True

    totals = {(i, width) for i in range(height + 1)} | {(height, j) for j in range(width + 1)}
    lines_of = {
        (i, j): (relations[i], relations[height + 1 + j])
        for i in range(height + 1)
        for j in range(width + 1)
    }
    while True:
        changed = True
        while changed:
            changed = False
            for cells in relations:
                if sum(cell in hidden for cell in cells) == 1 and hide_smallest(cells):
                    changed = True
        exposed = _recoverable(values, hidden, relations, threshold)
        if not exposed:
            break
        i, j = exposed
        if not (
            hide_smallest(relations[i])
            or hide_smallest(relations[height + 1 + j])
            or hide_smallest([cell for line in relations for cell in line])
        ):
            break  # everything non-zero is hidden already
    for (i, j), reason in hidden.items():
        mark = Hidden(reason, threshold)
        if i < height and j < width:
            grid.rows[i][j] = mark
        elif i < height:
            grid.row_totals[i] = mark
        elif j < width:
            grid.column_totals[j] = mark
        else:
            grid.total = mark
    return grid


def _recoverable(values, hidden, relations, threshold) -> tuple[int, int] | None:
    """A hidden entry that the published figures fix exactly, or None."""
    if not hidden:
        return None
    unknowns = sorted(hidden)
    index = {cell: k for k, cell in enumerate(unknowns)}
    equations = []  # (coefficients by unknown index, constant)
    for cells in relations:
        total_cell = cells[-1]
        coefficients: dict[int, int] = {}
        constant = 0
        for cell in cells:
            sign = -1 if cell == total_cell else 1
            if cell in hidden:
                coefficients[index[cell]] = sign
            else:
                constant -= sign * values[cell[0]][cell[1]]
        if coefficients:
            equations.append((coefficients, constant))
    # Linear algebra: an unknown is fixed exactly when its unit vector lies in the
    # row space, i.e. when a row of the reduced echelon form has no other entry.
    size = len(unknowns)
    reduced = _row_echelon(equations, size)
    for row in reduced:
        nonzero = [k for k in range(size) if row[k]]
        if len(nonzero) == 1:
            return unknowns[nonzero[0]]
    # The reduced rows are relations too ("these two hidden cells add up to 2"):
    # the bounds below are tightened over them as well as over the table's lines.
    equations = equations + [
        ({k: row[k] for k in range(size) if row[k]}, row[size]) for row in reduced
    ]
    # Bounds a reader knows: "<5" is 1..threshold-1, "*" is at least the threshold
    # and at most the grand total when that is published.
    grand = (len(values) - 1, len(values[0]) - 1)
    ceiling = values[grand[0]][grand[1]] if grand not in hidden else 10**12
    low = {k: (1 if hidden[cell] == PRIMARY else threshold) for k, cell in enumerate(unknowns)}
    high = {
        k: (threshold - 1 if hidden[cell] == PRIMARY else ceiling)
        for k, cell in enumerate(unknowns)
    }

    def term(k, a):  # the range of a * x_k
        return (a * low[k], a * high[k]) if a > 0 else (a * high[k], a * low[k])

    for _round in range(200):
        moved = False
        for coefficients, constant in equations:
            # a_k * x_k = constant - (the other terms), whose range is known.
            ranges = {k: term(k, a) for k, a in coefficients.items()}
            terms_low = sum(lo for lo, _hi in ranges.values())
            terms_high = sum(hi for _lo, hi in ranges.values())
            for k, a in coefficients.items():
                own_low, own_high = ranges[k]
                lo = (constant - (terms_high - own_high)) / a
                hi = (constant - (terms_low - own_low)) / a
                if a < 0:
                    lo, hi = hi, lo
                lo, hi = math.ceil(lo), math.floor(hi)  # counts are whole numbers
                if lo > low[k] or hi < high[k]:
                    low[k], high[k], moved = max(low[k], lo), min(high[k], hi), True
        if not moved:
            break
    for k, cell in enumerate(unknowns):
        if low[k] >= high[k]:
            return cell
    return None


def _row_echelon(equations: list[tuple[dict, int]], size: int) -> list[list[Fraction]]:
    """Reduced row echelon form of the equations (coefficients, then the constant)."""
    matrix = [
        [Fraction(coefficients.get(k, 0)) for k in range(size)] + [Fraction(constant)]
        for coefficients, constant in equations
    ]
    pivot_row = 0
    for column in range(size):
        pivot = next((r for r in range(pivot_row, len(matrix)) if matrix[r][column]), None)
        if pivot is None:
            continue
        matrix[pivot_row], matrix[pivot] = matrix[pivot], matrix[pivot_row]
        lead = matrix[pivot_row][column]
        matrix[pivot_row] = [value / lead for value in matrix[pivot_row]]
        for r in range(len(matrix)):
            if r != pivot_row and matrix[r][column]:
                factor = matrix[r][column]
                matrix[r] = [
                    a - factor * b for a, b in zip(matrix[r], matrix[pivot_row], strict=True)
                ]
        pivot_row += 1
    return [row for row in matrix if any(row[:size])]
