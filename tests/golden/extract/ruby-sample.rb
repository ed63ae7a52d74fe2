# plain comment
url = "https://example.com/#anchor" # trailing plain comment
s = 'it is # not a comment'
sql = <<~SQL
  # ai: inside a heredoc
SQL
=begin
ai: a block comment prompt
spanning two lines
=end
e = "🚀 ü" # ai: add a Rails model for Post
# with validations on title
