# plain comment
URL = https://example.com/\#anchor
e = "🚀" # ai: add a target that builds the Docker image
# and tags it with the git sha
