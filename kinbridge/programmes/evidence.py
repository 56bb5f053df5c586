"""Where a manual indicator's evidence file (a brochure, a photo) is kept.

Like a consent's evidence: private storage under MEDIA_ROOT with a random
name, no URL; it leaves the server only through a view that applies the
project's access helper and audits the download.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.utils.translation import gettext as _

from kinbridge.consents.storage import EVIDENCE_KINDS, detect_kind


def _stored_extension(filename: str) -> str | None:
    suffix = PurePosixPath(filename).suffix.lower()
    for suffixes, stored, _content, _signatures in EVIDENCE_KINDS.values():
        if suffix in suffixes:
            return stored
    return None


def indicator_evidence_path(instance, filename: str) -> str:
    """A random name: the uploaded file name may say more than it should."""
    extension = _stored_extension(filename)
    if extension is None:  # the actions check the content before anything is saved
        raise ValueError(f"not an evidence file name: {filename!r}")
    return f"private/indicators/{uuid.uuid4().hex}.{extension}"


def evidence_problem(upload) -> str | None:
    """Why an uploaded evidence file is refused, or None."""
    limit = settings.UPLOAD_MAX_MB
    if upload.size > limit * 1024 * 1024:
        return _("The file is larger than %(limit)s MB.") % {"limit": limit}
    if upload.size == 0 or detect_kind(upload) is None:
        return _("Upload a PDF, JPEG or PNG file (a scan, a photo or the published document).")
    return None
