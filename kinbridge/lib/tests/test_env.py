import os
import subprocess
import sys
from pathlib import Path

import pytest

from kinbridge.lib.env import (
    ConfigError,
    envbool,
    envchoice,
    envint,
    envlist,
    envsecret,
    persistent_secret,
)
from kinbridge.lib.spreadsheet import safe_cell

ROOT = Path(__file__).resolve().parents[3]


def test_envbool_reads_common_words_and_rejects_others():
    assert envbool("X", False, environ={"X": "yes"}) is True
    assert envbool("X", True, environ={"X": "off"}) is False
    assert envbool("X", True, environ={}) is True
    with pytest.raises(ConfigError, match="X must be true or false"):
        envbool("X", False, environ={"X": "maybe"})


def test_envint_checks_type_and_bounds():
    assert envint("N", 5, environ={}) == 5
    assert envint("N", 5, environ={"N": " 12 "}) == 12
    with pytest.raises(ConfigError, match="N must be a whole number"):
        envint("N", 5, environ={"N": "ten"})
    with pytest.raises(ConfigError, match="N must be at least 1"):
        envint("N", 5, minimum=1, environ={"N": "0"})
    with pytest.raises(ConfigError, match="N must be at most 3"):
        envint("N", 1, maximum=3, environ={"N": "4"})


def test_envlist_and_envchoice():
    assert envlist("L", ["a"], environ={}) == ["a"]
    assert envlist("L", environ={"L": "a, b,,c "}) == ["a", "b", "c"]
    assert envchoice("C", "x", {"x", "y"}, environ={"C": "y"}) == "y"
    with pytest.raises(ConfigError, match="C must be one of x, y"):
        envchoice("C", "x", {"x", "y"}, environ={"C": "z"})


def test_envsecret_from_file_and_never_echoed(tmp_path):
    secret_file = tmp_path / "key"
    secret_file.write_text("s3cret\n")
    assert envsecret("KEY", environ={"KEY_FILE": str(secret_file)}) == "s3cret"
    with pytest.raises(ConfigError) as info:
        envsecret("KEY", environ={"KEY_FILE": str(tmp_path / "missing")})
    assert "KEY_FILE" in str(info.value)
    with pytest.raises(ConfigError, match=r"KEY \(or KEY_FILE\) must be set"):
        envsecret("KEY", required=True, environ={})


def test_persistent_secret_is_created_once_and_private(tmp_path):
    path = tmp_path / "var" / "secret_key"
    first = persistent_secret(path)
    assert len(first) >= 50
    assert persistent_secret(path) == first
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_safe_cell_neutralises_formulas():
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("-2+3") == "'-2+3"
    assert safe_cell("Ivanova") == "Ivanova"
    assert safe_cell(-5) == -5


LEAVE_OUT = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _manage(env_overrides, *args):
    env = {k: v for k, v in os.environ.items() if k not in LEAVE_OUT}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DATABASE_URL": "mysql-ish://nowhere"}, "DATABASE_URL"),
        ({"KINBRIDGE_PRODUCTION": "true"}, "SECRET_KEY (or SECRET_KEY_FILE) must be set"),
        (
            {"KINBRIDGE_PRODUCTION": "true", "SECRET_KEY": "x" * 60},
            "ALLOWED_HOSTS must be set",
        ),
        ({"SESSION_IDLE_MINUTES": "half an hour"}, "SESSION_IDLE_MINUTES must be a whole number"),
    ],
)
def test_bad_configuration_stops_with_one_clear_line(tmp_path, overrides, message):
    result = _manage({"KINBRIDGE_VAR_DIR": str(tmp_path), **overrides}, "check")
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kinbridge: configuration error:")
    assert message in lines[0]
    assert "Traceback" not in result.stderr


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = _manage(
        {
            "KINBRIDGE_VAR_DIR": str(tmp_path),
            "KINBRIDGE_PRODUCTION": "true",
            "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-0123456789abcdef",
            "ALLOWED_HOSTS": "kinbridge.example.org",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
