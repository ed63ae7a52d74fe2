// plain comment
val url = "https://example.com/#x" // nothing here
val raw = """// ai: raw string # not a comment"""
/* outer /* nested */ still a comment */
val e = "🚀 é" // ai: create a Ktor route for /api/users
// returning JSON with 404 when missing
