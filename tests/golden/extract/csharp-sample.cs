// plain comment
var path = @"C:\temp\// ai: verbatim ""quoted"" string";
var url = "https://example.com/#x";
var raw = """
    // prompt: raw string literal
    """;
var e = "🚀 ü"; // ai: create an ASP.NET Core minimal API endpoint for /api/items
// returning 201 with the Location header
/// @ai XML doc comment prompt
