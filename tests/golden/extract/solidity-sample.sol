// plain comment
string constant s = "// ai: in a string";
string e = unicode"🚀"; // ai: add an ERC-20 transfer function
// with an allowance check
