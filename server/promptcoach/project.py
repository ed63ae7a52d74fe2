"""The project a command runs with: the settings and knowledge of the
``.promptcoach.yaml`` in force (``--config``, none with ``--no-config``, else the
nearest one), or the defaults, and the engine built for it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from promptcoach.cli import UsageError

if TYPE_CHECKING:
    import argparse

    from promptcoach.engine.analyze import Engine


class Project:
    """The settings and knowledge a command runs with (from ``.promptcoach.yaml`` or defaults)."""

    def __init__(self, settings, config=None, root: Path | None = None) -> None:
        self.settings = settings
        self.config = config
        # the project root: where the stack (package.json ...) is read
        if config is not None:
            self.root = config.root
        else:
            from promptcoach.engine.stack import find_project_root

            self.root = find_project_root(root or Path.cwd())

    @property
    def knowledge(self):
        return make_engine(self).knowledge


def load_project(args: argparse.Namespace, start: Path) -> Project:
    return project_at(config_path(args, start), start)


def config_path(args: argparse.Namespace, start: Path) -> Path | None:
    """The configuration file for paths under ``start``: ``--config``, none with
    ``--no-config``, else the nearest ``.promptcoach.yaml``."""
    if args.no_config and args.config:
        raise UsageError("--config and --no-config cannot be used together")
    if args.no_config:
        return None
    if args.config:
        _refuse_config_link_out(args.config)
        if not Path(args.config).is_file():
            raise UsageError(f"{args.config}: no such configuration file")
        return Path(args.config)
    from promptcoach.engine.config import find_config

    return find_config(start.resolve())


def _refuse_config_link_out(name: str) -> None:
    """``--config`` through a symbolic link out of the project (``cfg -> /etc``, then
    ``--config cfg/x.yaml``) is not read, as any path named on the command line; a link
    into ``~/.config/promptcoach`` is."""
    from promptcoach.engine.config_loading import user_config_dir
    from promptcoach.engine.safe_files import inside
    from promptcoach.targets import refuse_named_link_out

    if not inside(Path(name), user_config_dir()):
        refuse_named_link_out(name)


def project_at(path: Path | None, start: Path) -> Project:
    from promptcoach.engine.settings import Settings

    if path is None:
        return Project(Settings(), root=start)
    from promptcoach.engine import config as config_module

    config = config_module.load_config(path)
    config.knowledge(config.settings)  # load the project's knowledge packs now: errors are usage errors
    return Project(config.settings, config)


def make_engine(project: Project, fixes: bool = True) -> Engine:
    from promptcoach.engine.config import create_engine
    from promptcoach.engine.stack import detect_stack

    # One run, one stack: read the manifests once rather than checking them for every file.
    return create_engine(project.config, project.settings, project.root, fixes=fixes, stack=detect_stack(project.root))


def rule_infos(project: Project) -> list:
    """SARIF rule descriptors for every rule the engine knows, in the registry's order."""
    from promptcoach.engine.rules import RULES
    from promptcoach.output.sarif import RuleInfo

    return [RuleInfo(r.id, r.title, r.docs_url, r.severity, r.summary) for r in (rule.meta for rule in RULES)]
