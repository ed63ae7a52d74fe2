package main

// Plain doc comment for main.
var raw = `// ai: raw string
# not a comment`
var s = "http://example.com/#x" // trailing plain comment
var r = '#'

func main() {
	name := "🚀 gö" // ai: add a GET /health endpoint with net/http
	// returning 200 and JSON
	_ = name
	/* prompt: store sessions in Redis
	   with a 24h TTL */
}
