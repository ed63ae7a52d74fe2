# plain comment
s = "# ai: in a string"
#= block #= nested =# still =#
e = "🚀" # ai: add a function that loads the CSV
# into a DataFrame
