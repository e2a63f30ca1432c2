"""Message bodies from the templates of ``app/templates/mail/``: one layout (text and HTML), one template per
message and language (``<name>.fr.txt``, ``<name>.en.txt``) filling its blocks (see ``layout.txt``).

The HTML rendering escapes every value (autoescape); the text rendering escapes nothing (it is text). Undefined
values are errors, never blanks. The action link must be ``https://`` (or ``http://``): nothing else is clickable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

if TYPE_CHECKING:
    from app.mail.message import Language

__all__ = ["TEMPLATES", "Rendered", "render"]

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SPACES = re.compile(r"\s+")


def _paragraphs(html: str) -> Markup:
    """Escaped text, one ``<p>`` per paragraph (paragraphs are separated by a blank line)."""
    safe = html if isinstance(html, Markup) else escape(html)
    parts = [" ".join(p.split()) for p in _BLANK_LINE.split(str(safe).strip()) if p.strip()]
    return Markup("\n").join(Markup(f'<p style="margin:0 0 16px;">{p}</p>') for p in parts)  # noqa: S704 - escaped


def _environment(*, html: bool) -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=html,  # noqa: S701 - text is never escaped
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["paragraphs"] = _paragraphs
    return env


_TEXT, _HTML = _environment(html=False), _environment(html=True)


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(name: str, language: Language, *, org_name: str | None, action_url: str | None = None,
           **values: Any) -> Rendered:
    """The subject and both bodies of message ``name`` in ``language``.

    :param org_name: shown at the top and in the footer; None for a message from the service itself.
    :param action_url: the button's link (and the same link in clear text), or None.
    :param values: what the message's template uses.
    :raises ValueError: ``action_url`` is not an http(s) URL.
    :raises jinja2.TemplateError: no such template, or a value it uses is missing.
    """
    if action_url is not None and not re.match(r"https?://[^\s<>\"]+\Z", action_url):
        raise ValueError("action_url must be an http(s) URL")
    template = f"mail/{name}.{language}.txt"
    context = {"lang": language, "org_name": org_name, "action_url": action_url, **values}
    text_template = _TEXT.get_template(template)
    subject = _SPACES.sub(" ", "".join(text_template.blocks["subject"](text_template.new_context(context)))).strip()
    text = text_template.render(layout="mail/layout.txt", **context)
    html = _HTML.get_template(template).render(layout="mail/layout.html", **context)
    return Rendered(subject=subject, text=text, html=html)
