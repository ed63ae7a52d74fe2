-- plain comment
SELECT '-- ai: a string, not a comment', "#col" FROM t;
SELECT 'it''s -- still a string';
SELECT '🚀' AS e; -- ai: create a posts table with a foreign key to users
-- and an index on created_at
/* prompt: add a view
   for published posts */
