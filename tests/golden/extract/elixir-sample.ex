# plain comment
s = "# ai: in a string"
doc = """
# prompt: heredoc string
"""
e = "💧" # ai: add a Phoenix controller for /api/posts
# with index and show actions
