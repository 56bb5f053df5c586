"""The Russian and Lithuanian catalogues are complete and compiled."""

import gettext
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[1] / "locale"


def lookup(compiled, entry):
    """The compiled translation of entry, in its msgctxt when it has one."""
    if entry.msgctxt is not None:
        return compiled.pgettext(entry.msgctxt, entry.msgid)
    return compiled.gettext(entry.msgid)


@pytest.mark.parametrize("language", ["ru", "lt"])
def test_catalogue_is_complete_and_compiled(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert len(po.translated_entries()) > 200
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        entry.msgid
        for entry in po.translated_entries()
        if not entry.msgid_plural and lookup(compiled, entry) != entry.msgstr
    ]
    assert stale == [], "django.mo is older than django.po: run compilemessages"


@pytest.mark.parametrize("language", ["ru", "lt"])
def test_placeholders_survive_translation(language):
    import re

    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    pattern = re.compile(r"%\((\w+)\)[sd]")
    for entry in po.translated_entries():
        if entry.msgid_plural:
            continue
        assert set(pattern.findall(entry.msgid)) == set(pattern.findall(entry.msgstr)), entry.msgid
