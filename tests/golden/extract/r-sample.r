# plain comment
s <- "# ai: in a string"
e <- "📊" # ai: fit a linear model on the sales data
# and plot the residuals
