# plain comment
my $s = "http://example.com/#x # ai: string";
my $e = "🐪"; # ai: parse the CSV upload
# and insert rows into Postgres
