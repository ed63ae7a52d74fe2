// plain comment
val s = "// ai: in a string"
val t = """# prompt: triple quoted"""
val e = "🚀" // ai: add an Akka HTTP endpoint for /orders
// with validation
