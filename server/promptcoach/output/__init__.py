"""Output formats of ``promptcoach check``: text, JSON and SARIF.

Each format module has ``render(reports, ...) -> str``; :data:`FORMATS` names them.
"""

FORMATS = ("text", "json", "sarif")
