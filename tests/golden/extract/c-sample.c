/* plain block comment */
#include <stdio.h>
const char *url = "http://example.com/#x // ai: string";
char c = '"';
int main(void) {
    const char *e = "🚀 ü"; // ai: parse the config file with libyaml
    // and report missing keys
    return 0;
}
