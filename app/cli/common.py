"""What every command shares: the settings, printing JSON, and our errors printed in both languages."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import NoReturn

import click

from app.config import Settings, load_settings
from app.errors import SavoirsError

__all__ = ["fail", "not_utf8", "print_json", "read_input", "settings", "usage_error"]


def settings() -> Settings:
    """The settings from the environment, or a plain error (no traceback) when they are invalid."""
    try:
        return load_settings()
    except Exception as exc:  # pydantic ValidationError: show it plainly
        raise click.ClickException(f"invalid configuration: {exc}") from exc


def print_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def fail(exc: SavoirsError) -> NoReturn:
    """Print one of our errors in both languages and exit 1."""
    click.echo(f"error: {exc.message_en}\nerreur : {exc.message_fr}", err=True)
    sys.exit(1)


def read_input(source: str) -> bytes:
    """The bytes of a file, or of stdin for ``-``."""
    if source == "-":
        return sys.stdin.buffer.read()
    path = Path(source)
    if not path.is_file():
        raise click.ClickException(f"no such file: {source}")
    return path.read_bytes()


def usage_error(exc: SavoirsError) -> click.ClickException:
    """One of our errors as a command-line error (exit 1), in both languages."""
    return click.ClickException(f"{exc.message_en}\n{exc.message_fr}")


def not_utf8() -> click.ClickException:
    return click.ClickException("The payload is not UTF-8 text.\nLe contenu n'est pas du texte UTF-8.")
