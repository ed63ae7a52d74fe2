// plain comment
const link = <a href="https://x.dev/#id">// not a comment in JSX text?</a>;
const t = "ai: string // only";
const star = "⭐🌟"; // ai: render the user list from the /api/users endpoint
// with loading state
