# plain comment
$s = "# ai: in a string"
$h = @"
# prompt: in a here-string
"@
<#
ai: block comment prompt
spanning lines
#>
$e = "🚀" # ai: add a backup job for the database
# that keeps seven days
