% plain comment
S = "% ai: in a string",
C = $%,
E = "🚀", % ai: add a gen_server for sessions
% with a TTL cleanup
