#!/usr/bin/env bash
# plain comment
url="https://example.com/#anchor" # trailing plain comment
echo "${#url} # ai: not a comment"
echo 'single # prompt: quoted'
cat <<EOF
# ai: inside a heredoc
EOF
e="🚀 ü" # ai: add a deploy script that runs migrations
# then restarts the service
echo a#b
