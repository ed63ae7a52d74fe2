;; plain comment
(defvar s "; ai: in a string")
#| block #| nested |# comment |#
(defvar e "🚀") ; ai: add a function that parses the config
; and validates the keys
