// plain comment
let s = "// ai: string"
(* a block comment (* nested *) done *)
let e = "🚀" // ai: add a Giraffe handler for /api/todos
// with JSON responses
