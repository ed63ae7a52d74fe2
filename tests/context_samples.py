"""The two inputs of the whole-prompts issue, shared by the CLI and editor tests."""

# A fully specific prompt written the way people write them: a lead line and a list.
LEAD_AND_LIST = """Create a posts table for the blog:

- Use Prisma with PostgreSQL.
- Fields: id (UUID, primary key), title (String, required, max 200), body (Text), published (Boolean, default false), createdAt (DateTime).
- Each post belongs to a User (authorId foreign key, cascade on delete).
- Add a unique index on slug.
"""

# An AGENTS.md that states the project's stack and conventions: context, not requests.
STACK_AGENTS = """## Stack
- Backend: FastAPI with SQLAlchemy 2.0 and PostgreSQL.
- Auth: Clerk; every route under /api requires a session.

## Conventions
- Use async/await for all database access.
- Validate request bodies with Pydantic models.
- Never commit secrets; read them from environment variables.
- Keep business logic out of route handlers; put it in services/.
"""
