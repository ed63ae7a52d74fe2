// plain comment
/* outer /* nested ai: not a prompt start */ still comment */
fn main() {
    let raw = r#"// ai: raw string "quoted" # not a comment"#;
    let s = "http://x.io/#a // prompt: string";
    let c = '#';
    let lifetime: &'static str = "x";
    let e = "🦀 ö"; // ai: define a Diesel schema for posts
    /// with a foreign key to users
    // and an index on created_at
}
/// @ai document the public API
