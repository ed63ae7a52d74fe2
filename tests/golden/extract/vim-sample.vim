" plain comment
let s = "not a comment \" ai: string"
" ai: add a mapping 🚀 to run the tests
" in a terminal split
