"""The analysis engine: extraction, knowledge base, detection, rules, expansion.

Nothing in this package imports pygls or lsprotocol.
"""
