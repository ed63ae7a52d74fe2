# plain comment
set(S "# ai: in a string")
set(E "🚀") # ai: add a test target with ctest
# that runs in parallel
