"""The language server: thin glue from the engine to the Language Server Protocol (pygls).

``promptcoach serve`` calls :func:`promptcoach.lsp.server.start`; one module per feature.
"""
