% plain comment
s = "% ai: in a string";
e = "🚀"; % ai: vectorize this loop
% and preallocate the output
