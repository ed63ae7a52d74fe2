"""pytest-lsp fixtures: the real server over stdio, driven with VS Code's and Neovim's
recorded client capabilities (every test runs with both). The helpers are in
``testkit.lsp``."""

from __future__ import annotations

import os
import shlex
import sys

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

CLIENTS = ["visual-studio-code", "neovim"]
SERVER = shlex.split(os.environ.get("PROMPTCOACH_LSP_SERVER", "")) or [sys.executable, "-m", "promptcoach.lsp"]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), params=CLIENTS, scope="session")
async def client(lsp_client: LanguageClient, request, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("workspace")
    lsp_client.set_configuration({"debounceMs": 0}, section="promptcoach")

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params):
        lsp_client.registrations = getattr(lsp_client, "registrations", []) + list(params.registrations)

    lsp_client.applied_edits = []  # what the server asked to apply (workspace/applyEdit)

    @lsp_client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: types.ApplyWorkspaceEditParams):
        lsp_client.applied_edits.append(params)
        return types.ApplyWorkspaceEditResult(applied=True)

    @lsp_client.feature(types.WORKSPACE_INLAY_HINT_REFRESH)
    def inlay_hint_refresh(params):
        lsp_client.inlay_refreshes = getattr(lsp_client, "inlay_refreshes", 0) + 1

    lsp_client.client_name = request.param
    lsp_client.root = tmp_path
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities(request.param),
            root_uri=tmp_path.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name="ws")],
            initialization_options={"promptcoach": {"debounceMs": 0}},
        )
    )
    yield
    await lsp_client.shutdown_session()
