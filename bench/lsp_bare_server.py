"""The baseline for bench_lsp: a bare pygls server that only answers initialize and takes didOpen."""

from lsprotocol import types
from pygls.lsp.server import LanguageServer

server = LanguageServer("bare", "0")


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls, params: types.DidOpenTextDocumentParams) -> None:
    pass


if __name__ == "__main__":
    server.start_io()
