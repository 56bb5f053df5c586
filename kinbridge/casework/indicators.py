"""Casework's KPI indicator kinds, registered with the programmes engine.

(Filled in by the KPI area: "persons receiving a service type" and
"cases opened/closed".)
"""
