import pytest

from kinbridge.lib.keywords import keyword_key, keyword_terms


def matches(name: str, query: str) -> bool:
    key = keyword_key(name)
    return all(term in key for term in keyword_terms(query))


@pytest.mark.parametrize(
    ("name", "query", "found"),
    [
        ("IK-5", "ik 5", True),
        ("IK-5", "IK-5", True),
        ("IK-15", "IK-5", False),
        ("IK-15", "ik-1", True),
        ("Panevėžio pataisos namai", "panevezio", True),
        ("Panevėžio pataisos namai", "Паневежио", True),
        ("Panevėžio pataisos namai", "namai panev", True),
        ("Panevėžio pataisos namai", "evezio", False),  # words match from their start
        ("HMP Eastwood Park", "eastw", True),
        ("Фонд «Правовая опора»", "pravovaya", True),
        ("Фонд «Правовая опора»", "правовая", True),
    ],
)
def test_words_match_from_their_start_across_scripts(name, query, found):
    assert matches(name, query) is found


def test_keys_and_terms():
    assert keyword_key("IK-5 (IK-5)") == " ik 5 "
    assert keyword_key("") == ""
    assert keyword_terms("  ") == []
