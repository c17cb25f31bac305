"""The build date: the day of SOURCE_DATE_EPOCH when it is set (reproducible builds), else today.

Only what is meant to carry the day of the build asks for it (the accessibility statement's
dates when programm.yaml gives none); everything else is dated by its content.
"""

from __future__ import annotations

import datetime
import os


def build_date() -> datetime.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
    return datetime.date.today()
