// plain comment
var s = '// ai: in a string';
var t = """# prompt: triple""";
var e = '🎯'; // ai: add a Flutter repository for /api/posts
// using the http package
