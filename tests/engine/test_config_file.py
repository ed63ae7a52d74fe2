"""The project configuration file: discovery, loading, every kind of broken file,
``extends`` and knowledge packs, editor settings of the wrong type, the CLI."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from promptcoach.engine import config_nodes, config_settings
from promptcoach.engine.config import CONFIG_FILE, find_config, load_config
from promptcoach.engine.config_settings import merge_settings, overrides_from_mapping
from promptcoach.engine.settings import DEFAULT_MARKERS, Settings
from promptcoach.engine.yamldata import DataError

REPO = Path(__file__).resolve().parents[2]


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(DataError) as caught:
        load_config(path)
    return str(caught.value)


@pytest.fixture()
def no_rule_registry(monkeypatch):
    """Rule-id checking without depending on the rules package's state."""
    monkeypatch.setattr(
        config_nodes, "known_rule_ids", lambda: frozenset({"missing-detail", "vague-term", "stack-mismatch"})
    )


# --------------------------------------------------------------------------- discovery


def test_find_config_nearest_ancestor(tmp_path):
    top = write(tmp_path, CONFIG_FILE, "threshold: 0.4\n")
    inner = write(tmp_path, f"app/{CONFIG_FILE}", "threshold: 0.6\n")
    write(tmp_path, "app/prompts/a.prompt.md", "x\n")
    assert find_config(tmp_path / "app" / "prompts" / "a.prompt.md") == inner.resolve()
    assert find_config(tmp_path / "app" / "prompts") == inner.resolve()
    assert find_config(tmp_path / "other") == top.resolve()  # a directory that does not exist yet


def test_find_config_stops_at_the_workspace_root(tmp_path):
    write(tmp_path, CONFIG_FILE, "threshold: 0.4\n")
    (tmp_path / "ws" / "src").mkdir(parents=True)
    assert find_config(tmp_path / "ws" / "src", stop=tmp_path / "ws") is None


# --------------------------------------------------------------------------- valid files


FULL = """\
# every setting
include: ["docs/prompts/**/*.md", "**/*.prompt.md"]
exclude: ["**/vendor/**"]
markers: ["prompt:", "llm:"]
rules:
  missing-detail: error
  vague-term: off
  stack-mismatch: true
threshold: 0.7
assumeStack: true
"""


def test_valid_config(tmp_path, no_rule_registry):
    path = write(tmp_path, CONFIG_FILE, FULL)
    config = load_config(path)
    settings = config.settings
    assert settings.include == ("docs/prompts/**/*.md", "**/*.prompt.md")
    assert settings.exclude == ("**/vendor/**",)
    assert settings.markers == ("prompt:", "llm:")
    assert settings.severities == {"missing-detail": "error", "vague-term": "off"}  # true: the default
    assert settings.threshold == 0.7 and settings.assume_stack is True
    assert config.root == tmp_path.resolve() and config.path == path
    assert config.files == (path.resolve(),)
    assert config.packs == () and config.knowledge_base is None


def test_empty_file_means_defaults(tmp_path):
    config = load_config(write(tmp_path, CONFIG_FILE, "# nothing yet\n"))
    assert config.settings == Settings(glob_base=str(tmp_path.resolve())) and config.overrides == {}


def test_apply_to_keeps_what_the_file_does_not_set(tmp_path, no_rule_registry):
    config = load_config(write(tmp_path, CONFIG_FILE, "rules: {missing-detail: hint}\n"))
    editor = Settings(markers=("ai:",), severities={"vague-term": "error", "missing-detail": "warning"})
    merged = config.apply_to(editor)
    assert merged.markers == ("ai:",)
    assert merged.severities == {"vague-term": "error", "missing-detail": "hint"}


# --------------------------------------------------------------------------- broken files


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("include: [a,\n  b\nrules: x\n", 3, "invalid YAML"),
        ("threshold: 0.5\nthreshold: 0.6\n", 2, "duplicate key 'threshold'"),
        ("threshold: high\n", 1, "threshold must be number"),
        ("\n\nthreshold: 1.5\n", 3, "threshold must be smaller than or equal to 1"),
        ("assume_stack: true\n", 1, "unknown key 'assume_stack'; did you mean 'assumeStack'?"),
        ("colour: red\n", 1, "unknown key 'colour' (known keys: include,"),
        ("threshold: 0.5\ncategories: []\n", 2, "unknown key 'categories'; knowledge goes under 'knowledge:'"),
        (
            "rules:\n  missing-detail: loud\n",
            2,
            "rules.missing-detail: expected error, warning, information, hint or off, got 'loud'",
        ),
        ("rules:\n  missing-detail: [warning]\n", 2, "got a list"),
        ("rules:\n  missing-detial: off\n", 2, "rules: unknown rule 'missing-detial'; did you mean 'missing-detail'?"),
        ("markers:\n  - 'prompt:'\n  - ' '\n", 3, "markers[1] must match pattern"),
        ("markers:\n  - ai\n  - prompt:\n", 3, 'markers[1]: quote a marker that ends with a colon: "prompt:"'),
        ("include: '**/*.md'\n", 1, "include must be array"),
        ("- a\n- b\n", 1, "the document must be object or null"),
        ("extends: https://example.invalid/pack.yaml\n", 1, "is not a local file"),
        ("extends:\n  - ok.yaml\n  - missing.yaml\n", 3, "missing.yaml: no such file"),
        ("threshold: 0.5\nrules:\n  x: \x00\n", 3, "invalid YAML: character #x0000 is not allowed"),
        ("threshold: 0.5\rrules:\r  x: \x00\r", 3, "invalid YAML: character #x0000"),  # lone CR line breaks
    ],
)
def test_broken_config_names_file_and_line(tmp_path, no_rule_registry, text, line, message):
    write(tmp_path, "ok.yaml", "threshold: 0.2\n")
    path = write(tmp_path, CONFIG_FILE, text)
    error = error_of(path)
    assert error.startswith(f"{path}:{line}: "), error
    assert message in error


def test_not_utf8(tmp_path):
    path = tmp_path / CONFIG_FILE
    path.write_bytes(b"# settings\nthreshold: 0.5 # \xff\xfe\n")
    assert error_of(path) == f"{path}:2: not UTF-8 text (invalid byte 0xff)"
    path.write_bytes(b"# settings\rthreshold: 0.5\r# \xff\r")  # lone CR line breaks
    assert error_of(path) == f"{path}:3: not UTF-8 text (invalid byte 0xff)"


def test_missing_config_file(tmp_path):
    assert error_of(tmp_path / "nope.yaml") == f"{tmp_path / 'nope.yaml'}: cannot read: no such file"


# --------------------------------------------------------------------------- extends


def test_extends_merges_in_order(tmp_path, no_rule_registry):
    write(
        tmp_path,
        "team/base.yaml",
        'markers: ["ai:"]\nthreshold: 0.3\nrules:\n  missing-detail: hint\n  vague-term: error\n',
    )
    write(tmp_path, "team/strict.yaml", "extends: base.yaml\nrules:\n  missing-detail: error\n")
    path = write(tmp_path, CONFIG_FILE, "extends: [team/strict.yaml]\nthreshold: 0.9\n")
    config = load_config(path)
    assert config.settings.markers == ("ai:",)
    assert config.settings.threshold == 0.9  # the extending file wins
    assert config.settings.severities == {"missing-detail": "error", "vague-term": "error"}
    assert [p.relative_to(tmp_path.resolve()).as_posix() for p in config.files] == [
        CONFIG_FILE,
        "team/strict.yaml",
        "team/base.yaml",
    ]


def test_extends_diamond_is_not_a_cycle(tmp_path):
    write(tmp_path, "d.yaml", "threshold: 0.1\n")
    write(tmp_path, "b.yaml", "extends: d.yaml\n")
    write(tmp_path, "c.yaml", "extends: d.yaml\n")
    config = load_config(write(tmp_path, CONFIG_FILE, "extends: [b.yaml, c.yaml]\n"))
    assert config.settings.threshold == 0.1 and len(config.files) == 4


def test_extends_cycle_names_file_line_and_chain(tmp_path):
    write(tmp_path, "packs/a.yaml", "# a\nextends: [b.yaml]\n")
    write(tmp_path, "packs/b.yaml", "threshold: 0.5\nextends:\n  - a.yaml\n")
    path = write(tmp_path, CONFIG_FILE, "extends: packs/a.yaml\n")
    error = error_of(path)
    b = str(Path(str(path)).parent / "packs" / "b.yaml")
    a = str(Path(str(path)).parent / "packs" / "a.yaml")
    assert error == f"{b}:3: extends cycle: {a} -> {b} -> {a}"


def test_self_extension_is_a_cycle(tmp_path):
    path = write(tmp_path, CONFIG_FILE, f"extends: {CONFIG_FILE}\n")
    assert error_of(path) == f"{path}:1: extends cycle: {path} -> {path}"


def test_missing_file_in_an_extended_file_names_that_file(tmp_path):
    write(tmp_path, "base.yaml", "threshold: 0.5\n\nextends: [gone.yaml]\n")
    path = write(tmp_path, CONFIG_FILE, "extends: base.yaml\n")
    base = str(path.parent / "base.yaml")
    assert error_of(path) == f"{base}:3: extends: cannot read {path.parent / 'gone.yaml'}: no such file"


def test_error_inside_an_extended_file(tmp_path):
    write(tmp_path, "base.yaml", "threshold: 0.5\nmarkers: 7\n")
    path = write(tmp_path, CONFIG_FILE, "extends: base.yaml\n")
    assert error_of(path).startswith(f"{path.parent / 'base.yaml'}:2: markers must be array")


# --------------------------------------------------------------------------- knowledge


KNOWLEDGE = """\
knowledge:
  common_words: [blorp]
  categories:
    - id: database-schema
      details:
        - id: technology
          terms: [edgedb]
          patterns: ['edge ?db']
    - id: payments
      kind: backend
      title: Payments
      summary: Prompts that charge customers, refund them or manage subscriptions.
      signals: {payment: 3, refund: 3, subscription: 3, invoice: 2}
      details:
        - id: provider
          title: Payment provider
          description: The payment service that moves the money.
          terms: [stripe, paddle, adyen]
          completions:
            - {label: Stripe, documentation: "Payments API with hosted checkout and billing."}
          clause: {text: " Use {value}.", placeholder: "<payment provider>"}
      template: "Using {provider}, implement {resource}."
      example:
        basic: Add payments.
        specific: Using Stripe Checkout, charge the customer and record the payment.
        why: It names the provider, the flow and what is stored.
"""


def test_knowledge_extends_existing_details_and_adds_categories(tmp_path):
    config = load_config(write(tmp_path, CONFIG_FILE, KNOWLEDGE))
    knowledge = config.knowledge()
    assert "edgedb" in knowledge.category("database-schema").detail("technology").terms
    payments = knowledge.category("payments")
    assert payments is not None and payments.is_backend and payments.detail_ids == ("provider",)
    assert knowledge.category("api-endpoint") is not None  # the built-in ones stay
    assert [p.source for p in config.packs] == [str(tmp_path / CONFIG_FILE)]


def test_knowledge_terms_reach_the_classifier(tmp_path):
    detect = pytest.importorskip("promptcoach.engine.detect")
    knowledge = load_config(write(tmp_path, CONFIG_FILE, KNOWLEDGE)).knowledge()
    result = detect.classify("Using EdgeDB, make a posts table with a title and an author relation.", knowledge)
    assert result.category == "database-schema" and "technology" in result.present


def test_knowledge_pack_files_via_extends(tmp_path):
    write(
        tmp_path,
        "packs/terms.yaml",
        "categories:\n  - id: database-schema\n    details:\n      - id: technology\n        terms: [surrealdb]\n",
    )
    config = load_config(write(tmp_path, CONFIG_FILE, "extends: packs/terms.yaml\n" + KNOWLEDGE))
    terms = config.knowledge().category("database-schema").detail("technology").terms
    assert "surrealdb" in terms and "edgedb" in terms
    assert [Path(p.source).name for p in config.packs] == ["terms.yaml", CONFIG_FILE]


@pytest.mark.parametrize(
    "knowledge, line, message",
    [
        ("knowledge:\n  categories:\n    - id: Bad Id\n", 3, "categories[0].id must match pattern"),
        ("knowledge:\n  categoriez: []\n", 2, "must not contain {'categoriez'}"),
        (
            "knowledge:\n  categories:\n    - id: payments\n      kind: backend\n      title: Payments\n",
            3,
            "new category 'payments' needs summary, signals",
        ),
        (
            "# not for RE2\nknowledge:\n  categories:\n    - id: database-schema\n      details:\n        - id: technology\n"
            "          patterns: ['(a)\\1']\n",
            7,
            "pattern '(a)\\\\1'",
        ),
        (
            "knowledge:\n  categories:\n    - id: database-schema\n      details:\n        - id: technology\n"
            "          patterns:\n            - regex: 'x'\n            - regex: '(?=a)'\n",
            8,
            "pattern '(?=a)'",
        ),
        (
            "knowledge:\n  categories:\n    - id: database-schema\n      details:\n        - id: technology\n"
            "          terms: [x]\n          bogus: 1\n",
            7,
            "must not contain {'bogus'}",
        ),  # at the key, not its detail
        (
            "knowledge:\n  categories:\n    - id: database-schema\n      details:\n        - id: technology\n"
            f"          patterns: ['{'x' * 201}']\n",
            6,
            "categories[0].details[0].patterns[0]",
        ),
    ],
)
def test_broken_knowledge_names_file_and_line(tmp_path, knowledge, line, message):
    path = write(tmp_path, CONFIG_FILE, knowledge)
    error = error_of(path)
    assert error.startswith(f"{path}:{line}: "), error
    assert message in error


def test_broken_pack_file_names_the_pack(tmp_path):
    write(
        tmp_path,
        "packs/p.yaml",
        "categories:\n  - id: database-schema\n    details:\n      - id: technology\n        terms: 5\n",
    )
    path = write(tmp_path, CONFIG_FILE, "extends: [packs/p.yaml]\n")
    error = error_of(path)
    assert error.startswith(f"{path.parent / 'packs' / 'p.yaml'}:5: "), error


# --------------------------------------------------------------------------- editor settings


def settings_from_mapping(raw):
    """The engine settings the language server makes of editor settings ``raw`` (no
    project file), and its warnings."""
    from promptcoach.lsp.config import engine_settings, parse_editor_settings

    editor, warnings = parse_editor_settings(raw)
    return engine_settings(editor, None), warnings


def test_editor_settings_of_the_wrong_type_warn_and_fall_back():
    settings, warnings = settings_from_mapping(
        {
            "threshold": "high",
            "markers": "prompt:",
            "include": ["**/*.md", 3],
            "assumeStack": "yes",
            "rules": {"missing-detail": "loud", "vague-term": "off"},
            "exclude": ["**/gen/**"],
            "enable": False,  # a client-side setting: not ours, no warning
        }
    )
    assert settings.threshold == 0.5 and settings.markers == DEFAULT_MARKERS
    assert settings.include == Settings().include and settings.assume_stack is False
    assert settings.severities == {"vague-term": "off"} and settings.exclude == ("**/gen/**",)
    assert len(warnings) == 5
    assert all(w.startswith("promptcoach.") and ("using the default" in w or "ignored" in w) for w in warnings)
    assert any("promptcoach.threshold: threshold must be number, got 'high'" in w for w in warnings)


@pytest.mark.parametrize("raw", [None, {}, {"promptcoach": {}}])
def test_editor_settings_absent(raw):
    assert settings_from_mapping(raw) == (Settings(), [])


@pytest.mark.parametrize("raw", [[1, 2], "text", 3, {"promptcoach": [1]}])
def test_editor_settings_not_an_object(raw):
    settings, warnings = settings_from_mapping(raw)
    assert settings == Settings() and len(warnings) == 1


def test_editor_settings_section_and_aliases():
    settings, warnings = settings_from_mapping(
        {"promptcoach": {"severities": {"missing-detail": "hint"}, "assume_stack": True}}
    )
    assert warnings == [] and settings.severities == {"missing-detail": "hint"} and settings.assume_stack


def test_editor_overrides_layer_under_the_project_file(tmp_path, no_rule_registry):
    overrides, _ = overrides_from_mapping({"markers": ["ai:"], "rules": {"vague-term": "error"}})
    editor = merge_settings(Settings(), overrides)
    config = load_config(write(tmp_path, CONFIG_FILE, "rules: {vague-term: hint}\nthreshold: 0.9\n"))
    final = config.apply_to(editor)
    assert final.markers == ("ai:",) and final.severities == {"vague-term": "hint"} and final.threshold == 0.9


# --------------------------------------------------------------------------- the documented example


def documented_files(markdown: str) -> dict[str, str]:
    """```yaml blocks of docs/configuration.md whose first line is ``# file: NAME``."""
    files = {}
    for block in re.findall(r"```yaml\n(.*?)```", markdown, re.DOTALL):
        first = block.splitlines()[0]
        if first.startswith("# file: "):
            files[first[len("# file: ") :].strip()] = block
    return files


def test_documented_example_validates(tmp_path):
    files = documented_files((REPO / "docs" / "configuration.md").read_text(encoding="utf-8"))
    assert CONFIG_FILE in files, "docs/configuration.md must show a complete .promptcoach.yaml"
    for name, text in files.items():
        write(tmp_path, name, text)
    config = load_config(tmp_path / CONFIG_FILE)
    data_keys = {line.split(":")[0] for line in files[CONFIG_FILE].splitlines() if re.match(r"^[a-zA-Z]", line)}
    assert data_keys == set(config_settings.CONFIG_KEYS), "the complete example should use every key"
    assert config.packs and config.knowledge_base is not None
    # the documented pack coaches its own examples
    from promptcoach.engine.analyze import Engine

    knowledge = config.knowledge(config.settings)
    engine = Engine(config.settings, knowledge)
    added = [c for c in knowledge.categories if c.id == "payments"]
    assert added, "the documented pack adds the payments category"
    for text in (added[0].example.basic, added[0].example.specific):
        assert engine.classify(text).category == "payments", text


# --------------------------------------------------------------------------- the CLI


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "promptcoach", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_cli_broken_config_exits_2_with_file_and_line(tmp_path):
    write(tmp_path, "bad.yaml", "threshold: 0.5\nrules:\n  missing-detail: loud\n")
    write(tmp_path, "a.prompt.md", "Make a posts table.\n")
    result = run_cli("check", "--config", "bad.yaml", "a.prompt.md", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "bad.yaml:3: rules.missing-detail: expected error" in result.stderr


def test_cli_discovered_broken_config_exits_2(tmp_path):
    write(tmp_path, CONFIG_FILE, "extends: [nowhere.yaml]\n")
    write(tmp_path, "a.prompt.md", "Make a posts table.\n")
    result = run_cli("check", "a.prompt.md", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert re.search(r"\.promptcoach\.yaml:1: extends: cannot read .*nowhere\.yaml: no such file", result.stderr)


# --------------------------------------------------------------------------- reloading (the server's view)


def touch(path: Path, text: str, tick: int) -> None:
    import os

    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(tick * 10**9, tick * 10**9))  # distinct mtimes even on coarse clocks


def test_cache_keeps_the_last_good_config_and_reloads_when_fixed(tmp_path, no_rule_registry):
    from promptcoach.engine.config_cache import ConfigCache

    path = tmp_path / CONFIG_FILE
    touch(path, "threshold: 0.8\n", 1)
    cache = ConfigCache()
    good = cache.get(path)
    assert good.error is None and good.config.settings.threshold == 0.8
    assert cache.get(path) is good  # unchanged: no reload

    touch(path, "threshold: 0.8\nrules:\n  missing-detail: loud\n", 2)
    broken = cache.get(path)
    assert broken.error is not None and (broken.error.file, broken.error.line) == (str(path), 3)
    assert broken.config is good.config  # still in force

    touch(path, "threshold: 0.3\n", 3)
    fixed = cache.get(path)
    assert fixed.error is None and fixed.config.settings.threshold == 0.3


def test_cache_watches_extended_files_and_missing_ones(tmp_path):
    from promptcoach.engine.config_cache import ConfigCache

    path = tmp_path / CONFIG_FILE
    touch(path, "extends: team.yaml\n", 1)
    cache = ConfigCache()
    missing = cache.get(path)
    assert missing.error is not None and missing.config is None  # nothing good yet: defaults
    assert (tmp_path / "team.yaml").resolve() in {file.resolve() for file in missing.watched}
    touch(tmp_path / "team.yaml", "threshold: 0.9\n", 2)  # creating it fixes the config
    assert cache.get(path).config.settings.threshold == 0.9
    touch(tmp_path / "team.yaml", "threshold: 0.1\n", 3)
    assert cache.get(path).config.settings.threshold == 0.1


def test_a_bad_glob_is_named_at_its_line(tmp_path):
    write(tmp_path, CONFIG_FILE, 'include:\n  - "*.md"\n  - "[z-a].md"\n')
    with pytest.raises(DataError) as caught:
        load_config(tmp_path / CONFIG_FILE)
    assert caught.value.line == 3 and "include[1]" in caught.value.message
