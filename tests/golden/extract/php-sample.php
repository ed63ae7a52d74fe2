<?php
// plain comment
$url = "https://example.com/#frag"; # plain hash comment
$s = '// ai: single quoted string';
#[Attribute]
$html = <<<EOT
# prompt: inside a heredoc
EOT;
$e = "🚀 ü"; // ai: create a Laravel migration for posts
// with title, body and user_id foreign key
# @ai add soft deletes
