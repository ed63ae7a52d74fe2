-- plain comment
s = "-- ai: in a string"
{- block {- nested -} still -}
e = "λ🚀" -- ai: add a Servant endpoint for /users
-- returning JSON
