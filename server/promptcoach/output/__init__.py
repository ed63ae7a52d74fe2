"""Output formats of ``promptcoach check``: text, JSON, SARIF and GitHub annotations.

Each format module has ``render(reports, ...) -> str``; :func:`promptcoach.cli.render`
picks one.
"""
