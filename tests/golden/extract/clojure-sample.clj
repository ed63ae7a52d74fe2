;; plain comment
(def s "; ai: in a string")
(def c \;)
(def e "🚀") ; ai: add a Ring handler for /api/posts
; returning 201
