"""What the end-to-end journeys share: the mailbox of a real SMTP server (aiosmtpd), read as a mail client would,
and pages read and submitted as a browser without script would (hidden fields kept, a button pressed)."""

from __future__ import annotations

import email
import email.policy
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from html.parser import HTMLParser

import httpx

from tests.mail.conftest import Recorder

__all__ = ["CODE", "Forms", "Mail", "Mailbox", "code_in", "form_to", "read", "submit", "title"]

#: the six digits of a sign-in message, as it writes them ("    123 456")
CODE = re.compile(r"^ {4}(\d{3}) (\d{3})\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Mail:
    to: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None, self.message
        return str(part.get_content()).replace("\r\n", "\n")

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        assert part is not None, self.message
        return str(part.get_content())

    def links(self, base: str) -> list[str]:
        return re.findall(rf"^({re.escape(base)}/\S+)$", self.text, re.MULTILINE)


class Mailbox:
    """What the SMTP server received, read as a mail client would (MIME parsed)."""

    def __init__(self, recorder: Recorder) -> None:
        self._recorder = recorder

    def all(self) -> list[Mail]:
        return [Mail(list(e.rcpt_tos), email.message_from_bytes(e.content, policy=email.policy.default))  # type: ignore[arg-type]
                for e in self._recorder.received]

    def wait(self, to: str, seen: int = 0, *, where: Callable[[Mail], bool] = lambda m: True,
             timeout: float = 30) -> Mail:
        """The first message to ``to`` after the ``seen`` first ones that matches ``where`` (the worker sends it)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [m for m in self.all() if to in m.to][seen:]
            matching = [m for m in found if where(m)]
            if matching:
                return matching[0]
            time.sleep(0.05)
        received = [(m.to, m.subject) for m in self.all()]
        raise AssertionError(f"no message to {to} within {timeout} s; received: {received}")


class Forms(HTMLParser):
    """Each form of a page: its action, and the values a browser would send without anyone typing (hidden
    fields); the images' sources; the links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict[str, str]]] = []
        self.images: list[dict[str, str]] = []
        self.links: list[dict[str, str]] = []
        self.title: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append((values.get("action", ""), {}))
        elif tag == "input" and values.get("type") == "hidden" and self.forms and values.get("name"):
            self.forms[-1][1][values["name"]] = values.get("value", "")
        elif tag == "img":
            self.images.append(values)
        elif tag == "a" and values.get("href"):
            self.links.append(values)
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)


def read(page: httpx.Response) -> Forms:
    assert page.status_code == 200, f"{page.request.url}: {page.status_code} {page.text[:500]}"
    parser = Forms()
    parser.feed(page.text)
    return parser


def submit(client: httpx.Client, page: httpx.Response, fields: dict[str, str], *, form: int = 0,
           files: list[tuple[str, tuple[str, bytes, str]]] | None = None) -> httpx.Response:
    """Fill form number ``form`` of ``page`` with ``fields`` and press its button (redirects not followed)."""
    action, hidden = read(page).forms[form]
    target = httpx.URL(str(page.url)).join(action) if action else page.url
    return client.post(target, data={**hidden, **fields}, files=files, follow_redirects=False)


def form_to(page: httpx.Response, ending: str) -> int:
    [number] = [i for i, (action, _) in enumerate(read(page).forms) if action.split("?")[0].endswith(ending)]
    return number


def title(page: httpx.Response) -> str:
    return re.sub(r"[ \t\r\n]+", " ", "".join(read(page).title)).strip()  # a no-break space is kept


def code_in(mail: Mail) -> str:
    found = CODE.search(mail.text)
    assert found, mail.text
    return found.group(1) + found.group(2)
