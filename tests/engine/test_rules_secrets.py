"""hardcoded-secret, plaintext-password and empty-prompt: positives, negatives, fixes."""

from __future__ import annotations

import pytest
from test_rules_helpers import context, findings, fixed

from promptcoach.engine.model import Prompt, Segment
from promptcoach.engine.rules import run_rules
from promptcoach.engine.rules.empty_prompt import emptiness
from promptcoach.engine.rules.hardcoded_secret import find_secrets
from promptcoach.engine.rules.plaintext_password import find_plaintext_passwords

# (prompt, the prompt after the quick fix)
SECRET_POSITIVES = [
    (
        "Call the Stripe API with axios and hardcode the Stripe key.",
        "Call the Stripe API with axios and read the Stripe key from the `STRIPE_SECRET_KEY` environment variable.",
    ),
    ("Put the API key in the file.", "Read the API key from the `API_KEY` environment variable."),
    (
        "Use password 'hunter2' for the admin user.",
        "Use the password from the `ADMIN_PASSWORD` environment variable for the admin user.",
    ),
    (
        "Charge the card using the key sk_live_51HxyzABCdef.",
        "Charge the card using the key from the `STRIPE_SECRET_KEY` environment variable.",
    ),
    (
        "Use sk_live_... to charge customers.",
        "Use the key from the `STRIPE_SECRET_KEY` environment variable to charge customers.",
    ),
    (
        "Connect to OpenAI with a hardcoded API key.",
        "Connect to OpenAI with the API key from the `OPENAI_API_KEY` environment variable.",
    ),
    (
        "The GitHub token is hard-coded in `client.ts`.",
        "The GitHub token is read from the `GITHUB_TOKEN` environment variable.",
    ),
    (
        "Paste my SendGrid API key directly into the code.",
        "Read the SendGrid API key from the `SENDGRID_API_KEY` environment variable.",
    ),
    (
        "Set the SMTP password to 'p4ssw0rd!' in mailer.py.",
        "Set the SMTP password from the `SMTP_PASSWORD` environment variable in mailer.py.",
    ),
    (
        "Embed the Mapbox token in the frontend bundle.",
        "Read the Mapbox token from the `MAPBOX_TOKEN` environment variable.",
    ),
    (
        "Use the AWS key AKIAABCDEFGHIJKLMNOP for uploads.",
        "Use the AWS key from the `AWS_ACCESS_KEY_ID` environment variable for uploads.",
    ),
    (
        "Connect with postgres://app:s3cr3t@db.example.com:5432/shop.",
        "Connect with the database URL from the `DATABASE_URL` environment variable.",
    ),
    (
        "Call the Twilio API and hardcode the auth token for now.",
        "Call the Twilio API and read the auth token from the `TWILIO_AUTH_TOKEN` environment variable for now.",
    ),
    # NAME=value, quoted or not, in a code span or not
    ("Set API_KEY=abc123 in the config.", "Set the `API_KEY` environment variable in the config."),
    (
        'Use API_KEY="9d8f7a6b5c4e3d2f1a0b" for the weather client.',
        "Use the `API_KEY` environment variable for the weather client.",
    ),
    ('Set `dbPassword: "s3cret!!"` in settings.ts.', "Set the `DB_PASSWORD` environment variable in settings.ts."),
    ("STRIPE_KEY=abc123xyz789 is what we use.", "The `STRIPE_KEY` environment variable is what we use."),
    (
        "Use `STRIPE_KEY=sk_live_abcdefghijklmnop1234` in the handler.",  # the whole assignment, not the key alone
        "Use the `STRIPE_KEY` environment variable in the handler.",
    ),
    # an unquoted value that looks like a secret
    (
        "Use password hunter2 to connect to MySQL.",
        "Use the password from the `DATABASE_PASSWORD` environment variable to connect to MySQL.",
    ),
    ("The admin password is Tr0ub4dor&3.", "The admin password from the `ADMIN_PASSWORD` environment variable."),
    (
        "Connect to redis://:p4ssw0rd@cache.internal:6379 for sessions.",  # no user name before the password
        "Connect to the database URL from the `DATABASE_URL` environment variable for sessions.",
    ),
]

SECRET_NEGATIVES = [
    "The API key must be read securely from an environment variable, not hardcoded.",
    "Never hardcode the Stripe key.",
    "Don't put the API key in the code.",
    "Remove the hardcoded API key from `config.ts`.",
    "Put the API key in the .env file.",
    "Store the API key in AWS Secrets Manager.",
    "Read the key from the STRIPE_SECRET_KEY environment variable.",
    "Add a primary key and a foreign key to the orders table.",
    "Store the JWT in an httpOnly cookie.",
    "Add a password field to the signup form.",
    "Seed a test user with password 'password123'.",
    "Hash the password with bcrypt before saving it.",
    "Set the password to `<your password>` in the example config.",
    "The token expires after 15 minutes.",
    "Is it ok to hardcode the API key for a prototype?",
    "Use postgres://postgres:postgres@localhost:5432/app for local development.",
    "Return 401 when the API key header is missing.",
    "Hardcoded API keys are not allowed.",
    "Validate that the key starts with sk_live_ before saving it.",
    "Create an `api_keys` table with a hashed `key` column.",
    "4. **Secrets**: hardcoded keys/tokens, secrets in logs, secrets in client bundles.",
    "password: \"{{ env_var('SNOWFLAKE_PASSWORD') }}\"",
    "Put API_KEY=abc123 in the .env file.",  # a safe place
    "Set API_KEY=your_api_key_here in the example.",
    "Never use API_KEY=abc123 in code.",
    "Add a sortKey: createdAt index.",  # not every key is a credential
    "Store the password as sha256 hashes.",
    "Use JWT tokens signed with HS256.",
    "The password must be at least 12 characters.",
    "The token expires in 15m.",
    "Read OPENAI_API_KEY from the environment.",
    "Integrate Auth0 with email and password.",
    # code expressions and words, not literals
    "reset_token = generate_token(32)",
    "csrf_token = secrets.token_hex(16)",
    "const secretKey = crypto.randomBytes(32)",
    "session_token: uuid4()",
    'const authToken = localStorage.getItem("token")',
    "API_KEY = settings.OPENAI_API_KEY",
    "The token is sha256-hashed before storage.",
    "The token is base64url-encoded",
    "Require a password of 12chars minimum",
    "The password of user42 must be reset",
    "Use the OpenAI API key of gpt-4o",
    "The Redis key is session:abc123",
    "The S3 key is avatars/user1.png",
    "the api key is 1password-managed",
]


@pytest.mark.parametrize(("text", "expected"), SECRET_POSITIVES)
def test_hardcoded_secret_positives_and_fix(text, expected):
    (found,) = findings(text, "hardcoded-secret")
    assert found.severity == "warning"
    assert "environment variable" in found.message
    assert fixed(text, "hardcoded-secret") == expected
    assert found.fixes[0].preferred and not found.fixes[0].safe


@pytest.mark.parametrize("text", SECRET_NEGATIVES)
def test_hardcoded_secret_negatives(text):
    assert find_secrets(text) == []


def test_hardcoded_secret_message_and_data():
    (found,) = findings("Call Stripe and hardcode the Stripe key.", "hardcoded-secret")
    assert found.message.startswith("This asks to put the Stripe key directly into the code.")
    assert found.data["env"] == "STRIPE_SECRET_KEY" and found.data["kind"] == "request"
    (literal,) = findings("Charge with sk_live_51HxyzABCdef now.", "hardcoded-secret")
    assert literal.data["kind"] == "key" and "Stripe secret key" in literal.message


PASSWORD_POSITIVES = [
    (
        "Store user passwords in plain text in the users table.",
        "Store user passwords as Argon2id hashes in the users table.",
    ),
    ("Save the password without hashing.", "Save the password hashed with Argon2id."),
    ("Don't hash the passwords, we need to read them.", "Hash the passwords, we need to read them."),
    ("Hash passwords with MD5 before saving them.", "Hash passwords with Argon2id before saving them."),
    ("Store the plaintext password in `users.password`.", "Store the Argon2id-hashed password in `users.password`."),
    ("Encode the password in base64 and store it.", "Encode the password in Argon2id and store it."),
    (
        "Keep passwords unhashed so support can see them.",
        "Keep passwords hashed with Argon2id so support can see them.",
    ),
    ("Store MD5-hashed passwords in the users table.", "Store Argon2id-hashed passwords in the users table."),
    ("Save the password as an unsalted SHA-256 hash.", "Save the password as an unsalted Argon2id hash."),
]

PASSWORD_NEGATIVES = [
    "Never store passwords in plain text.",
    "Passwords must be hashed, not stored in plain text.",
    "Use bcrypt instead of MD5 for passwords.",
    "We currently hash passwords with MD5; migrate them to Argon2id on next login.",  # what is, not what to do
    "Migrate the old MD5 password hashes to Argon2id on next login.",
    "Hash passwords with Argon2id.",
    "Let users sign in with email and password.",
    "Store the SHA-256 checksum of each uploaded file.",
    "Add a password strength meter to the signup page.",
    "Show the API response in plain text.",
    "Encrypt the wallet with a passphrase-derived key (HKDF-SHA256 + AES-256-GCM).",
    "Sign the webhook payload with SHA-256 and compare it to the header.",
]


@pytest.mark.parametrize(("text", "expected"), PASSWORD_POSITIVES)
def test_plaintext_password_positives_and_fix(text, expected):
    (found,) = findings(text, "plaintext-password")
    assert found.severity == "warning"
    assert fixed(text, "plaintext-password") == expected


@pytest.mark.parametrize("text", PASSWORD_NEGATIVES)
def test_plaintext_password_negatives(text):
    assert find_plaintext_passwords(text) == []


def test_plaintext_password_messages():
    (plain,) = findings("Store passwords in plain text.", "plaintext-password")
    assert "Argon2id (or bcrypt)" in plain.message and plain.data["kind"] == "plaintext"
    (weak,) = findings("Hash passwords with SHA-1.", "plaintext-password")
    assert weak.message.startswith("'SHA-1' is not a password hash") and weak.data["kind"] == "weak-hash"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("...", "empty"),
        ("", "empty"),
        ("?!", "empty"),
        ("TODO", "placeholder"),
        ("tbd.", "placeholder"),
        ("Fill me in", "placeholder"),
        ("TODO: add a posts table", None),
        ("Add user login.", None),
    ],
)
def test_empty_prompt(text, kind):
    assert emptiness(text) == kind


def test_punctuation_only_is_empty_only_in_a_marked_comment():
    paragraph = context("} }")
    assert [f for f in run_rules(paragraph) if f.rule == "empty-prompt"] == []
    comment = context("...")
    comment.prompt = Prompt("...", (Segment(0, 0, 3),), "comment", "prompt:")
    (found,) = [f for f in run_rules(comment) if f.rule == "empty-prompt"]
    assert found.message.startswith("This prompt is empty")


def test_a_bare_marker_is_reported_empty_at_the_marker():
    from promptcoach.engine.analyze import Engine

    source = "const a = 1;\n// prompt:\nconst b = 2;\n"
    (found,) = [f for p in Engine().analyze(source, "app.ts").prompts for f in p.findings]
    assert found.rule == "empty-prompt" and found.message.startswith("This prompt is empty")
    assert found.start == found.end == source.index("// prompt:") + len("// prompt:")


def test_empty_prompt_finding():
    (found,) = findings("TODO", "empty-prompt")
    assert found.severity == "warning" and found.fixes == ()
    assert found.message == "This prompt is only a placeholder ('TODO'): write what the assistant should build."
    assert findings("Make a posts table.", "empty-prompt") == []


@pytest.mark.parametrize(
    "text",
    [
        "Use the Anthropic key sk-ant-abcdefghijklmnopqrstuvwx to call the API.",
        "Call Claude with sk-ant-abcdefghijklmnopqrstuvwx.",  # no secret noun at all
    ],
)
def test_overlapping_key_literals_are_one_finding(text):
    """ "sk-ant-..." also matches the OpenAI "sk-..." pattern: the first listed wins."""
    (found,) = findings(text, "hardcoded-secret")
    assert found.data["env"] == "ANTHROPIC_API_KEY"


def test_a_long_run_of_blanks_is_checked_in_linear_time():
    import time

    start = time.perf_counter()
    for blanks in (20_000, 40_000):
        assert find_secrets("Put the password" + " " * blanks + "x") == []
    assert time.perf_counter() - start < 1.0  # a search per blank of the run took 50 s


@pytest.mark.parametrize(
    "text",
    [
        "Put the Stripe key into CONFIG.TS for now.",  # a file name, in any case
        "Paste the API key in the repo.",
        "Store the API key inside our client side code.",
    ],
)
def test_weak_requests_name_a_place_by_word_or_file_name(text):
    (found,) = findings(text, "hardcoded-secret")
    assert found.data["kind"] == "request"


def test_a_weak_verb_without_a_place_skips_the_sentence_work(monkeypatch):
    from promptcoach.engine.rules import hardcoded_secret

    monkeypatch.setattr(hardcoded_secret, "sentence_nouns", lambda *args: pytest.fail("sentence work done"))
    assert find_secrets("Integrate Auth0 with email and password, keep a JWT in an httpOnly cookie.") == []


def test_long_inputs_stay_fast():
    import time

    many = "\n".join(f"SVC{i}_API_KEY=Abc{i}def{i}xyz" for i in range(3000))
    dots = "The API key is a1" + "." * 40000 + "x"
    started = time.perf_counter()
    assert len(find_secrets(many)) == 3000
    assert find_secrets(dots) == []
    assert time.perf_counter() - started < 2.0
