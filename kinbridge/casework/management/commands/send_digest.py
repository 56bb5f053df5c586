"""``manage.py send_digest [--date YYYY-MM-DD] [--dry-run]``: the daily digest, from cron.

The worker sends the same digest at ``KINBRIDGE_DIGEST_HOUR``; running both is
safe, each user gets one e-mail a day.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kinbridge.casework import digest


class Command(BaseCommand):
    help = "E-mail each worker their tasks due (once per user and day)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to send for (YYYY-MM-DD; default: today).")
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would get what; send nothing."
        )

    def handle(self, *args, date=None, dry_run=False, **options):
        try:
            day = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"--date must look like 2026-11-23 (got {date!r})") from None
        digests = digest.send_digests(day, dry_run=dry_run)
        for sent in digests:
            self.stdout.write(
                f"{sent.user.username}: {len(sent.overdue)} overdue, {len(sent.today)} today, "
                f"{len(sent.this_week)} this week, {len(sent.reviews)} plan reviews"
            )
        verb = "would send" if dry_run else "sent"
        self.stdout.write(f"{day}: {verb} {len(digests)} digest(s).")
