// unmarked comment
const apiUrl: string = "http://localhost:3000//api"; // ai: not here? yes here, marker at start
const msg = `ai: template literal with // and #`;
const emoji = "😀🎉"; /* prompt: create a users table
   with email and password hash */
// ai: add pagination to the posts query
// with cursor and limit
//
// this line is after a blank comment line
