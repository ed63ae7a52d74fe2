// plain header comment
const url = "https://example.com/#top"; // not a marker here
const re = /\/\/ ai: regex literal/g;
const tpl = `// ai: template ${url} # not a comment`;
const s = 'it\'s // prompt: string';
const label = "🚀 café"; // ai: build a POST /api/posts endpoint with Express
// that validates the body and returns 201

/*
 * @ai add JWT authentication middleware
 * using the existing session store
 */
const half = 10 / 2; // division then a comment
