"""Casework's background tasks (huey; see settings.HUEY and docs/architecture.md).

(Filled in by the tasks area: the daily digest.)
"""
