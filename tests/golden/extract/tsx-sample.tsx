// an ordinary comment
const s: string = "// prompt: inside a string";
const icon = "🔥"; // ai: create a login form posting to /api/login
// that handles 401 errors
/* TODO(ai): add tests */
