"""Deterministic test documents for the benchmarks: many different prompts.

The engine caches classifications by prompt text, so a benchmark that repeats one
prompt would measure the cache; these generators combine word lists so that
almost every prompt is different.
"""

from __future__ import annotations

import random

ENTITIES = (
    "post",
    "comment",
    "invoice",
    "order",
    "customer",
    "product",
    "ticket",
    "review",
    "booking",
    "payment",
    "subscription",
    "team",
    "project",
    "task",
    "message",
    "upload",
    "coupon",
    "shipment",
    "author",
    "tag",
    "category",
    "event",
    "report",
    "device",
)
ORMS = (
    "Prisma",
    "Drizzle",
    "SQLAlchemy",
    "Django ORM",
    "TypeORM",
    "Sequelize",
    "GORM",
    "Hibernate",
    "ActiveRecord",
    "Eloquent",
    "Mongoose",
    "Knex",
)
FRAMEWORKS = (
    "Express",
    "Next.js",
    "FastAPI",
    "Flask",
    "Django REST Framework",
    "NestJS",
    "Gin",
    "Spring Boot",
    "Rails",
    "Laravel",
    "Fastify",
    "Hono",
)
PROVIDERS = (
    "Supabase Auth",
    "Clerk",
    "Auth0",
    "Firebase Auth",
    "NextAuth",
    "Keycloak",
    "Devise",
    "Okta",
    "Cognito",
    "Passport.js",
)
SDKS = ("Stripe", "Twilio", "SendGrid", "Resend", "Slack", "Algolia", "S3", "Mailgun", "OpenAI")
APIS = (
    "OpenWeather",
    "GitHub",
    "Financial Modeling Prep",
    "Google Maps",
    "Spotify",
    "NewsAPI",
    "CoinGecko",
    "Shopify",
    "HubSpot",
)
CLIENTS = ("axios", "fetch", "httpx", "requests", "got", "ky", "net/http", "OkHttp", "Guzzle")
FIELDS = (
    ("title", "string"),
    ("amount", "decimal"),
    ("status", "enum"),
    ("createdAt", "timestamp"),
    ("email", "string"),
    ("quantity", "integer"),
    ("paid", "boolean"),
    ("dueDate", "date"),
    ("rating", "integer"),
    ("notes", "text"),
    ("slug", "string"),
    ("priceCents", "integer"),
)
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
UI = ("login button", "navbar", "pricing card", "footer", "modal", "sidebar", "avatar")
COLORS = ("blue", "rounded", "sticky", "responsive", "dark", "bigger")
VAGUE = ("and stuff", "etc.", "somehow", "properly", "some kind of", "and things like that")


def _plural(word: str) -> str:
    if word.endswith("y"):
        return word[:-1] + "ies"
    return word + ("es" if word.endswith(("s", "x", "ch")) else "s")


SHAPES = (  # vague, specific and non-backend prompts, in their own words
    "Make {a} {entities} table {vague}.",
    "Using {orm}, define a `{Model}` model with `{f1}` ({t1}, required) and `{f2}` ({t2}, default empty), "
    "and a many-to-one relation to `{Other}`.",
    "API to get {entities}.",
    "Create a {framework} endpoint {method} /api/{entities}/:id that returns the {entity} as JSON, 404 if it "
    "does not exist, and requires an admin session.",
    "Add user login for the {entity} dashboard {vague}.",
    "Integrate {provider} with email and password and Google sign-in, keep a JWT in an httpOnly cookie, and "
    "only let owners edit their {entities}.",
    "When a new {entity} is created, notify the {other} owner with {sdk}.",
    "When {a} {entity} is paid, use the {sdk} SDK to create a {other} record and store its id in the "
    "`{entities}` table.",
    "Get {entity} data from the {api} API.",
    "Call the {api} API with {client}, read the key from the {ENTITY}_API_KEY environment variable, and "
    "return only `{f1}` and `{f2}`.",
    "Make the {ui} on the {entity} page {color}.",
    "Write unit tests for the {entity} service and cover the {f1} edge cases.",
)


def prompt(rng: random.Random) -> str:
    """One prompt: a random shape filled with random names."""
    entity, other = rng.sample(ENTITIES, 2)
    (f1, t1), (f2, t2) = rng.sample(FIELDS, 2)
    return rng.choice(SHAPES).format(
        entity=entity,
        entities=_plural(entity),
        Model=entity.capitalize(),
        ENTITY=entity.upper(),
        a="an" if entity[0] in "aeiou" else "a",
        other=other,
        Other=other.capitalize(),
        f1=f1,
        t1=t1,
        f2=f2,
        t2=t2,
        vague=rng.choice(VAGUE),
        orm=rng.choice(ORMS),
        framework=rng.choice(FRAMEWORKS),
        method=rng.choice(METHODS),
        provider=rng.choice(PROVIDERS),
        sdk=rng.choice(SDKS),
        api=rng.choice(APIS),
        client=rng.choice(CLIENTS),
        ui=rng.choice(UI),
        color=rng.choice(COLORS),
    )


def _wrap(text: str, width: int = 100) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + [line]


def prompt_file(lines: int, seed: int = 1) -> str:
    """A Markdown prompt file of exactly ``lines`` lines: headings, paragraphs, list items, code."""
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < lines:
        roll = rng.random()
        if roll < 0.05:
            out += [f"## Section {len(out)}", ""]
        elif roll < 0.08:
            out += ["```ts", f"const n{len(out)} = {rng.randrange(1000)};", "```", ""]
        elif roll < 0.4:
            for _ in range(rng.randrange(1, 5)):  # a list of one to four items
                out += [f"- {line}" if i == 0 else f"  {line}" for i, line in enumerate(_wrap(prompt(rng), 90))]
            out.append("")
        else:
            out += _wrap(prompt(rng)) + [""]
    return "\n".join(out[:lines]) + "\n"


CODE_LINES = (
    "export function handler{n}(input: Input{n}): Output {{",
    "  const total = input.items.reduce((sum, item) => sum + item.price, 0);",
    '  if (total > LIMIT) {{ throw new Error("too much: // not a comment"); }}',
    "  return {{ id: input.id, total, at: new Date().toISOString() }};",
    "}}",
    "const label{n} = `value ${{{n}}} # not a comment`;",
    "// an ordinary comment about handler {n}",
    "",
)
MARKERS = ("// prompt:", "// ai:", "// @ai", "// TODO(ai):")


def source_file(lines: int, comments: int, seed: int = 2) -> str:
    """A TypeScript file of exactly ``lines`` lines with ``comments`` marked comments."""
    rng = random.Random(seed)
    every = lines // comments
    out: list[str] = []
    n = 0
    while len(out) < lines:
        if len(out) % every == 0 and n < comments:
            text = _wrap(prompt(rng), 80)
            out.append(f"{rng.choice(MARKERS)} {text[0]}")
            out += [f"// {line}" for line in text[1:2]]
            n += 1
            out.append(CODE_LINES[0].format(n=len(out)))  # code, so the comment ends here
        out.append(CODE_LINES[len(out) % len(CODE_LINES)].format(n=len(out)))
    return "\n".join(out[:lines]) + "\n"


def prompt_files(count: int, total_bytes: int, seed: int = 3) -> list[tuple[str, str]]:
    """``count`` (relative path, text) prompt files adding up to about ``total_bytes``."""
    rng = random.Random(seed)
    files = []
    per_file = total_bytes // count
    for index in range(count):
        text = prompt_file(max(4, per_file // 39), seed=rng.randrange(1 << 30))
        folder = f"team{index % 20:02d}"
        name = f"{folder}/task{index:04d}.prompt.md" if index % 3 else f"{folder}/prompts/note{index:04d}.md"
        files.append((name, text))
    return files
