// plain comment
let s = "// ai: in a string"
let raw = #"raw "quoted" // prompt: not a comment"#
let multi = """
// ai: multiline string
"""
/* outer /* nested */ still comment */
let e = "🚀 é" // ai: create a Vapor route for /api/users
// returning 404 when the user is missing
