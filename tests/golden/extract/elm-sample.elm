-- plain comment
s = "-- ai: in a string"
e = "🌳" -- ai: add a decoder for the posts response
-- with optional fields
