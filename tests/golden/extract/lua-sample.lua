-- plain comment
local s = "-- ai: in a string"
local long = [[
-- prompt: in a long string
]]
--[==[
ai: a long comment prompt
over two lines
]==]
local e = "🌙" -- ai: add a rate limiter for the nginx handler
-- using a shared dict
