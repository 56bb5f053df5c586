"""Where uploaded evidence lives: under MEDIA_ROOT, readable only through a view.

There is no MEDIA_URL and nothing serves MEDIA_ROOT: a file leaves the server
only through a view that applies the record's access helper and audits the read.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

# Detected kind -> (extensions accepted, stored extension, content type, leading bytes).
EVIDENCE_KINDS = {
    "pdf": ({".pdf"}, "pdf", "application/pdf", (b"%PDF-",)),
    "jpeg": ({".jpg", ".jpeg"}, "jpg", "image/jpeg", (b"\xff\xd8\xff",)),
    "png": ({".png"}, "png", "image/png", (b"\x89PNG\r\n\x1a\n",)),
}


@deconstructible
class PrivateStorage(FileSystemStorage):
    """MEDIA_ROOT (followed when a test overrides it), owner-only, and without URLs."""

    def __init__(self):
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through a view.")


private_storage = PrivateStorage()


def detect_kind(upload) -> str | None:
    """The evidence kind an upload really is, from its first bytes and its name."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    suffix = PurePosixPath(upload.name or "").suffix.lower()
    for kind, (suffixes, _stored, _content, signatures) in EVIDENCE_KINDS.items():
        if suffix in suffixes and head.startswith(signatures):
            return kind
    return None


def _kind_of_name(filename: str) -> str | None:
    suffix = PurePosixPath(filename).suffix.lower()
    for kind, (suffixes, *_rest) in EVIDENCE_KINDS.items():
        if suffix in suffixes:
            return kind
    return None


def evidence_path(instance, filename: str) -> str:
    """A random name: the uploaded file name may itself identify someone."""
    kind = _kind_of_name(filename)
    if kind is None:  # the actions check the content before anything is saved
        raise ValueError(f"not an evidence file name: {filename!r}")
    return f"private/consents/{uuid.uuid4().hex}.{EVIDENCE_KINDS[kind][1]}"


def content_type(name: str) -> str:
    kind = _kind_of_name(name)
    return EVIDENCE_KINDS[kind][2] if kind else "application/octet-stream"
