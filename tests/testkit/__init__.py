"""Helpers shared by the test folders, importable from any of them (``tests`` is on
the path): ``testkit.cli`` runs the command line, ``testkit.lsp`` drives a language
server client, ``testkit.markdown`` gives the Markdown reader's paragraphs."""
