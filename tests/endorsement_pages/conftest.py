"""Endorsement pages tests: the application on a clock the test moves, without its in-process job worker (messages
stay in the ``emails`` table, where :func:`tests.signin.conftest.sign_in` reads the code); a centre (``puchot``)
with a published badge in three levels and one award, the town hall (``mairie``), another organisation of the
service; and helpers that act as each person would: open a page, read its CSRF field, write, press a button."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

# the endorsement tests' fixtures and names, re-exported (``x as x``) for pytest and these tests; ``award`` takes the
# ``badge`` below, in three levels
from tests.endorsements.conftest import FATOU as FATOU
from tests.endorsements.conftest import MAIRIE_SAYS as MAIRIE_SAYS
from tests.endorsements.conftest import app as app
from tests.endorsements.conftest import ask, publish_badge, token_of
from tests.endorsements.conftest import award as award
from tests.endorsements.conftest import clock as clock
from tests.endorsements.conftest import key as key
from tests.endorsements.conftest import mairie as mairie
from tests.signin.conftest import csrf_of

BADGE = {"name": "Couture", "description": "Coudre ensemble, à l'atelier du jeudi.",
         "criteria": {"narrative": "Avoir cousu au moins trois fois avec le groupe."},
         "levels": [{"name": "Je soutiens", "description": "J'aide les autres à l'atelier."},
                    {"name": "J'explore"}, {"name": "J'agis"}]}
FATOU_SAYS = "Le Puchot m'a appris à coudre, et à transmettre."
ASKS = "Nous aimerions que vous disiez ce que l'atelier vous a apporté."
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
_AUTOFOCUS = re.compile(r"<[a-z]+ [^>]*\bautofocus\b[^>]*>")


@pytest.fixture
def badge(client: TestClient, key: dict[str, str]) -> str:
    return publish_badge(client, key, BADGE)


# ------------------------------------------------------------------------------------------------ asking


def ask_fatou(client: TestClient, key: dict[str, str], about: dict[str, Any], **more: Any) -> tuple[str, str]:
    """The centre asks Fatou (a person) to endorse ``about``: the endorsement's id and the private link's path."""
    asked = ask(client, key, about, {"name": "Fatou Diallo", "email": FATOU}, message=ASKS, **more)
    return str(asked["id"]), path_of(asked["link"])


def path_of(link: str) -> str:
    """``/recommander/…`` or ``/accord/…``: the page of a private link."""
    kind = "/accord/" if "/accord/" in link else "/recommander/"
    return kind + token_of(link)


def state_of(client: TestClient, key: dict[str, str], endorsement_id: str) -> str:
    found = client.get(f"/api/v1/endorsements/{endorsement_id}", headers=key)
    assert found.status_code == 200, found.text
    return str(found.json()["state"])


# ------------------------------------------------------------------------------------------------ acting on a page


def press(client: TestClient, path: str, fields: dict[str, str] | None = None, *, page: Response | None = None,
          csrf: str | None = None) -> Response:
    """Open ``path`` (or use ``page``, opened before), fill ``fields``, press the button: the answer, redirects not
    followed."""
    token = csrf if csrf is not None else csrf_of(page if page is not None else client.get(path))
    return client.post(path, data={"csrf": token, **(fields or {})}, follow_redirects=False)


def endorse(client: TestClient, path: str, comment: str = FATOU_SAYS, **more: Any) -> Response:
    """Write ``comment`` in « Votre recommandation » and press « Je recommande »."""
    return press(client, path, {"comment": comment}, **more)


def title(page: Response) -> str:
    found = re.search(r"<title>(.*?)</title>", page.text, re.S)
    assert found, page.text
    return html.unescape(found.group(1).strip())


def focused(page: Response) -> list[str]:
    """The elements that take the focus when the page loads."""
    return _AUTOFOCUS.findall(page.text)


def text_of(page: Response) -> str:
    """The page's words as a person reads them: tags removed, entities decoded, ASCII white space as one space (a
    no-break space is kept: it is part of what is written)."""
    body = re.sub(r"<(script|style|head)\b.*?</\1>", " ", page.text, flags=re.S)
    body = re.sub(r"</?(?:strong|span|a|em)\b[^>]*>", "", body)  # inline: part of the sentence around them
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body))).strip()
