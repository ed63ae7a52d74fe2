// plain comment
def s = "// ai: in a string"
def e = "🚀" // ai: add a Gradle task that runs the migrations
// before the tests
