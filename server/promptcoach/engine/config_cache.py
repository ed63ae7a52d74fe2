"""Configurations kept by file and reloaded when a file changes, for the language
server: a broken file keeps the last good configuration in force."""

from __future__ import annotations

import os
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path

from promptcoach.engine.config import ProjectConfig, load_project_config
from promptcoach.engine.config_loading import ConfigLoader
from promptcoach.engine.safe_files import read_regular, stamp
from promptcoach.engine.yamldata import MAX_DATA_BYTES, DataError


@dataclass(frozen=True)
class ConfigState:
    """A configuration file as it is now: the configuration in force (the last good
    one while the file is broken; None means the defaults) and the current error."""

    path: Path
    config: ProjectConfig | None
    error: DataError | None = None
    watched: tuple[Path, ...] = ()  # a change to one of these reloads the file


class ConfigCache:
    """Configurations by file, reloaded when the file or one it extends changes
    (checked by mtime and size on every :meth:`get`). A broken file keeps the last
    good configuration in force and reports its error; fixing it takes effect on
    the next :meth:`get`. For the language server, which must never stop on a
    bad file."""

    def __init__(self) -> None:
        self._entries: dict[Path, tuple[_Stamps, ConfigState]] = {}
        self._lock = threading.Lock()

    def get(self, path: str | Path) -> ConfigState:
        # by the path as found, not its target: whether a linked file may be read depends
        # on where the link is (two links to one file can get different answers)
        key = Path(os.path.abspath(path))
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and entry[0] == _stamps(entry[1], key):
            return entry[1]
        state = self._reload(Path(path), entry[1] if entry else None)
        with self._lock:
            self._entries[key] = (_stamps(state, key), state)
        return state

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    @staticmethod
    def _reload(path: Path, previous: ConfigState | None) -> ConfigState:
        loader = ConfigLoader()
        try:
            config = load_project_config(path, loader)
        except DataError as error:
            last_good = previous.config if previous is not None else None
            # nothing attempted: the file itself was refused (a link out of the project)
            return ConfigState(path, last_good, error, tuple(loader.attempted) or (path,))
        return ConfigState(path, config, None, config.files)


_Stamps = tuple[tuple[Path, tuple[int, int] | None], ...]


def _stamps(state: ConfigState, key: Path) -> _Stamps:
    return tuple((file, _content_stamp(file)) for file in state.watched or (key,))


def _content_stamp(path: Path) -> tuple[int, int] | None:
    """Size and checksum of a (small) configuration file, None when it cannot be read:
    an edit is seen even when it keeps the size and lands within the same mtime tick.
    Read as the loader reads it: a regular file of at most ``MAX_DATA_BYTES``, opened
    without blocking (a FIFO it extends must not stop the server). A symbolic link is not
    read through (it may lead out of the project): its own change time and size stand in."""
    if os.path.islink(path):
        return stamp(path)
    try:
        data = read_regular(path, MAX_DATA_BYTES)
    except OSError:
        return None
    return len(data), zlib.crc32(data)
