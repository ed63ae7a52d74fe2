// plain comment
NSString *s = @"// ai: an NSString literal";
NSString *e = @"🚀"; // ai: add a login view controller
// calling the /api/login endpoint
