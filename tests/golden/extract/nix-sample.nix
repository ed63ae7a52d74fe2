# plain comment
{ s = "# ai: in a string"; t = ''
  # prompt: indented string
''; e = "❄️🐧"; } # ai: add a devShell with Python 3.11
# and poetry
