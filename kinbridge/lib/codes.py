"""Short reference codes printed on paper instead of names."""

import secrets

# No 0/O, 1/I/L, 5/S, 2/Z: codes are read aloud and copied by hand.
ALPHABET = "346789ABCDEFGHJKMNPQRTUVWXY"


def reference_code(prefix: str, length: int = 6) -> str:
    return prefix + "-" + "".join(secrets.choice(ALPHABET) for _ in range(length))
