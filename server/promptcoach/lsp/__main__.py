"""``python -m promptcoach.lsp``: the language server on stdio."""

from promptcoach.lsp.server import start

start()
