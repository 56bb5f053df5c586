from django.core.management.base import BaseCommand

from kinbridge.api.housekeeping import clear_idempotency_keys


class Command(BaseCommand):
    help = "Forget Idempotency-Key entries older than IDEMPOTENCY_KEY_DAYS (also run nightly)."

    def handle(self, *args, **options):
        count = clear_idempotency_keys()
        self.stdout.write(f"{count} old idempotency keys removed")
