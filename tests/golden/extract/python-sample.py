#!/usr/bin/env python3
"""Module docstring: # ai: not a prompt, it is a string."""
import os

URL = "https://example.com/#anchor"  # plain comment, no marker
PATTERN = r'# prompt: raw string, not a comment'
TEMPLATE = f"{URL} // ai: still a string"
BLOCK = """
# ai: inside a triple-quoted string
"""
label = "🚀 ünïcode"  # ai: create a posts table with Prisma
# including title and authorId fields
# and a unique slug

# TODO(ai): add rate limiting to the login route
x = 1  # just a trailing note
