# plain comment
let s = "# ai: in a string"
#[ block comment #[ nested ]# ]#
let e = "👑" # ai: add an HTTP handler with jester
# returning JSON
