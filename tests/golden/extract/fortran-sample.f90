! plain comment
s = "! ai: in a string"
e = "🚀" ! ai: parallelize the loop with OpenMP
! and check the reduction
