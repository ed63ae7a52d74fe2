"""Shared by every test: the cache of parsed data files and compiled patterns (engine/datacache.py)
lives in a directory of this test run, not in the user's cache."""

from __future__ import annotations

import os
import tempfile

os.environ["PROMPTCOACH_CACHE_DIR"] = tempfile.mkdtemp(prefix="promptcoach-test-cache-")
