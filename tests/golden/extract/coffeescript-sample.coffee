# plain comment
s = "# ai: in a string"
###
ai: block comment prompt
###
e = "☕🚀" # ai: add an Express route for /api/posts
# that returns 201
