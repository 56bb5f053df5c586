from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kinbridge.api"

    def ready(self):
        # Nightly housekeeping runs on the task queue's worker.
        from kinbridge.api import tasks  # noqa: F401
