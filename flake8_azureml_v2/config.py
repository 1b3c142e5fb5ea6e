"""Reads ``[tool.azureml-v2]`` from pyproject.toml for the CLI and the flake8 plugin."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from .engine.settings import Settings
from .notebooks import CHECKPOINT_FOLDERS

SECTION = "azureml-v2"


class ConfigError(Exception):
    pass


@dataclass(frozen=True)
class ProjectConfig:
    path: Path | None = None
    training_scripts: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    unknown: tuple[str, ...] = field(default=())

    @property
    def folder(self) -> Path:
        return self.path.parent if self.path is not None else Path.cwd()

    def settings(self, **overrides: object) -> Settings:
        values: dict[str, object] = {
            "training_scripts": self.training_scripts,
            "base": self.folder,
            "project_root_hint": self.folder,
            "exclude": self.exclude,
        }
        values.update(overrides)
        # the project's autosaved notebook copies, which the walk never checks, are no launchers either
        # (audit, stop 63, g: a studio checkpoint "still ran" a script with v1)
        values["exclude"] = (*values["exclude"], *(f"{folder}/" for folder in sorted(CHECKPOINT_FOLDERS)))  # type: ignore[misc]
        return Settings(**values)  # type: ignore[arg-type]


def find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def _strings(table: dict[str, object], key: str, path: Path) -> tuple[str, ...]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: [tool.{SECTION}] {key} must be a list of strings")
    return tuple(value)


KEYS = ("training-scripts", "select", "ignore", "exclude")


def load(path: Path | None = None, start: Path | None = None) -> ProjectConfig:
    """Load the given pyproject.toml, or the nearest one above ``start`` (default: cwd)."""
    if path is None:
        path = find_pyproject((start or Path.cwd()).resolve())
        if path is None:
            return ProjectConfig()
    if sys.version_info >= (3, 11):  # imported here: most folders have no pyproject.toml to read
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    table = data.get("tool", {}).get(SECTION)
    if table is None:
        return ProjectConfig(path=path)
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.{SECTION}] must be a table")
    unknown = tuple(sorted(set(table) - set(KEYS)))
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) in [tool.{SECTION}]: {', '.join(unknown)}")
    return ProjectConfig(
        path=path,
        training_scripts=_strings(table, "training-scripts", path),
        select=_strings(table, "select", path),
        ignore=_strings(table, "ignore", path),
        exclude=_strings(table, "exclude", path),
    )
