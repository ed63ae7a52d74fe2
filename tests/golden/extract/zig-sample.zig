// plain comment
const s = "// ai: in a string";
const m =
    \\// prompt: zig multiline string line
;
const e = "⚡🦎"; // ai: write an allocator-aware JSON parser
// that reports line numbers
