"""Audit trail as CSV, streamed so a large export never sits in memory."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator

from kinbridge.lib.spreadsheet import safe_cell

HEADER = [
    "id",
    "time_utc",
    "actor",
    "action",
    "record_type",
    "record_id",
    "record",
    "changes",
    "ip",
    "request_id",
    "path",
]


class _Echo:
    def write(self, value):
        return value


def rows(events: Iterable) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(HEADER)
    for event in events:
        yield writer.writerow(
            [
                safe_cell(value)
                for value in (
                    event.pk,
                    event.at.isoformat(),
                    event.actor_name,
                    event.action,
                    event.object_type,
                    event.object_id,
                    event.object_repr,
                    json.dumps(event.changes, ensure_ascii=False, sort_keys=True)
                    if event.changes
                    else "",
                    event.ip or "",
                    event.request_id,
                    event.path,
                )
            ]
        )
