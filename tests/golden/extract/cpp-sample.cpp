// plain comment
#include <string>
std::string s = "// prompt: string not comment # either";
int n = 1'000'000; // digit separators
auto e = "🚀 ü"; // ai: implement an LRU cache class
// with get and put in O(1)
/* TODO(ai): add thread safety */
