(* plain comment *)
let s = "(* ai: in a string *)"
let e = "🐫" (* ai: add a Dream route for /api/posts
   returning JSON *)
