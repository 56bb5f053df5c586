"""Figures of the funder report as people read them: hidden counts, money, per cent."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from kinbridge.programmes.suppression import Hidden

register = template.Library()


@register.filter
def figure(value):
    """A count or a hidden mark ("<5", "*"); whole decimals without their ".00"."""
    if value is None:
        return "—"
    if isinstance(value, Hidden):
        return str(value)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    return number_format(value, 2, force_grouping=True)


@register.filter
def money(value):
    if value is None:
        return "—"
    return number_format(value, 2, force_grouping=True)


@register.filter
def percent(value):
    if value is None:
        return "—"
    decimals = 0 if value == int(value) else 1
    return f"{number_format(value, decimals)} %"


@register.filter
def hidden(value) -> bool:
    return isinstance(value, Hidden)
