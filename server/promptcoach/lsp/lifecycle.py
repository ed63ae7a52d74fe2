"""The server's start: what the client can do (``initialize``), then, once it is
ready (``initialized``), the file watchers and settings it is asked for, and a
warm-up that loads the knowledge base while the client is idle, so the first
document is quick."""

from __future__ import annotations

import logging
from pathlib import Path

from lsprotocol import types

from promptcoach.engine.config import CONFIG_FILE
from promptcoach.lsp.config import apply_editor_settings, pull_configuration

logger = logging.getLogger(__name__)


def register(server) -> None:
    from promptcoach.lsp.convert import ClientFeatures

    @server.feature(types.INITIALIZE)
    def initialize(ls, params: types.InitializeParams) -> None:
        import asyncio

        ls.event_loop = asyncio.get_running_loop()  # (the worker hands the loop its timers)
        ls.features = ClientFeatures(params.capabilities)
        apply_editor_settings(ls, params.initialization_options)

    @server.feature(types.INITIALIZED)
    async def initialized(ls, params: types.InitializedParams) -> None:
        await _register_watchers(ls)
        if ls.features.configuration:
            await pull_configuration(ls)
        import asyncio

        asyncio.get_running_loop().call_later(0.01, ls.in_order, _warm_up, ls)


async def _register_watchers(ls) -> None:
    registrations = []
    if ls.features.watched_files_dynamic:
        from promptcoach.lsp.context import WATCHED

        watchers = [types.FileSystemWatcher(glob_pattern=glob) for glob in (f"**/{CONFIG_FILE}", *WATCHED)]
        registrations.append(
            types.Registration(
                id="promptcoach-config-watcher",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
            )
        )
    if ls.features.config_dynamic:
        registrations.append(
            types.Registration(id="promptcoach-config", method=types.WORKSPACE_DID_CHANGE_CONFIGURATION)
        )
    if not registrations:
        return
    try:
        await ls.client_register_capability_async(types.RegistrationParams(registrations=registrations))
    except Exception as error:
        logger.warning("client/registerCapability failed: %s", error)


def _warm_up(ls) -> None:
    """Load the knowledge base once the client is idle, so the first document is quick."""
    try:
        root = ls.workspace.root_path or str(Path.cwd())
        engine = ls.engine_for(str(Path(root) / "x.prompt.md"))
        engine.warm_up()
    except Exception as error:
        logger.warning("warming up: %s", error)
    release_memory()


def release_memory() -> None:
    """Hand the memory freed after loading (YAML trees, schema compilation) back to the OS."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass
