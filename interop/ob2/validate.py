"""Run the 1EdTech Open Badges 2.0 validator (``openbadges`` 1.1.2) offline on a batch of inputs.

Run with ``interop/.venv-ob2/bin/python`` (installed by ``interop/ob2/setup.sh``)::

    validate.py --allow http://localhost:8000 INPUT...        # one JSON line per INPUT
    validate.py --allow http://localhost:8000 --batch FILE|-  # JSON array of {"id", "url"|"text"|"file", ...}

An INPUT is a URL (hosted Assertion), a JWS or JSON text (signed Assertion), or ``@PATH`` (a baked PNG or SVG,
read as a file object). A batch entry may add ``"recipient": "<email>"``: the validator then also checks that the
Assertion was awarded to that email (its ``recipient_profile``). Each result is one JSON line
``{"id", "valid", "errors", "warnings", "workarounds", "fetched", "openBadgesVersion"}``: ``valid`` is the
validator's own verdict, ``errors``/``warnings`` its messages (``name``, ``result``, and ``node_id``/``prop_name``
when it gives them), ``fetched`` every URL it asked for and how it was answered. When the validator crashes
(it does on an image without Open Badges metadata), the result is ``valid: false`` with a ``VALIDATOR_CRASHED``
error.

Network: every request the validator makes goes through ``requests``' ``HTTPAdapter.send``, which is replaced
here. Requests to an ``--allow`` origin (scheme://host:port, exact) go to the network. The OB v2 context
(``https://w3id.org/openbadges/v2``, ``https://openbadgespec.org/v2/context.json``) is answered from
``--context`` (default: ``tests/vectors/contexts/openbadges-v2-context.json``). Anything else is refused with a
``ConnectionError`` (and so shows up in the validator's messages). As a second guard, sockets may only connect to
loopback addresses.

One workaround, on by default (``"workarounds": false`` in a batch entry, or ``--no-workarounds``, turns it off):
openbadges-bakery 1.2.4 returns the ``verify`` attribute of a baked SVG as ``bytes``, and the validator's URL
check wants ``str``: every SVG baked with a hosted URL in ``verify`` then fails with ``DETECT_INPUT_TYPE``
``NotImplementedError`` (upstream 1EdTech/openbadges-validator-core#226; a JWS in ``verify`` happens to pass).
That layout (``verify`` + the JSON in a CDATA body) is the one the baking spec gives, and the one the bakery's own
``bake`` writes. The workaround decodes those bytes as UTF-8, as the bakery's PNG path already does; the
validator then runs unchanged. When it was applied, ``workarounds`` in the result says so.

The exit code is 0 whatever the verdicts; non-zero only when this script itself fails (bad arguments).
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import socket
import sys
import traceback
from pathlib import Path
from urllib.parse import urlsplit

import requests
import requests.adapters
from requests.structures import CaseInsensitiveDict

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONTEXT = ROOT / "tests" / "vectors" / "contexts" / "openbadges-v2-context.json"
CONTEXT_URLS = {
    "https://w3id.org/openbadges/v2",
    "https://openbadgespec.org/v2/context.json",
}

fetched: list[dict[str, object]] = []
workarounds = {"enabled": True, "applied": []}
ISSUE_226 = ("openbadges-validator-core#226: openbadges-bakery returned the SVG verify attribute as bytes; "
             "decoded as UTF-8")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme, 0)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


def _install_guard(allowed: list[str], context: bytes) -> None:
    allowed_origins = {_origin(a) for a in allowed}
    original_send = requests.adapters.HTTPAdapter.send

    def send(self, request, **kwargs):  # type: ignore[no-untyped-def]
        url = request.url
        bare = url.split("#", 1)[0].rstrip("/")
        if bare in {u.rstrip("/") for u in CONTEXT_URLS}:
            response = requests.Response()
            response.status_code = 200
            response.headers = CaseInsensitiveDict({"Content-Type": "application/ld+json"})
            response._content = context
            response.encoding = "utf-8"
            response.url = url
            response.request = request
            response.reason = "OK"
            response.connection = self
            fetched.append({"url": url, "answer": "bundled context"})
            return response
        if _origin(url) in allowed_origins:
            try:
                response = original_send(self, request, **kwargs)
            except Exception as error:
                fetched.append({"url": url, "answer": f"error: {error!r}"})
                raise
            fetched.append({"url": url, "answer": response.status_code,
                            "content_type": response.headers.get("content-type")})
            return response
        fetched.append({"url": url, "answer": "refused"})
        raise requests.ConnectionError(f"validate.py refuses to fetch {url} (not an --allow origin)")

    requests.adapters.HTTPAdapter.send = send  # type: ignore[method-assign]

    original_connect = socket.socket.connect

    def connect(self, address):  # type: ignore[no-untyped-def]
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0]
            if not ipaddress.ip_address(host.split("%", 1)[0]).is_loopback:
                raise ConnectionRefusedError(f"validate.py: no network beyond loopback ({host})")
        return original_connect(self, address)

    socket.socket.connect = connect  # type: ignore[method-assign]


def _install_workarounds() -> None:
    from openbadges.verifier import verifier

    original_unbake = verifier.unbake

    def unbake(image_file):  # type: ignore[no-untyped-def]
        data = original_unbake(image_file)
        if isinstance(data, bytes) and workarounds["enabled"]:
            workarounds["applied"].append(ISSUE_226)  # type: ignore[attr-defined]
            return data.decode("utf-8")
        return data

    verifier.unbake = unbake


def _message(message: dict[str, object]) -> dict[str, object]:
    return {k: message[k] for k in ("name", "result", "node_id", "prop_name") if k in message}


def _run_one(openbadges, job: dict[str, str]) -> dict[str, object]:  # type: ignore[no-untyped-def]
    start = len(fetched)
    workarounds["enabled"] = bool(job.get("workarounds", True))
    workarounds["applied"] = []
    result: dict[str, object] = {"id": job.get("id")}
    profile = {"email": job["recipient"]} if job.get("recipient") else None
    try:
        if "file" in job:
            with open(job["file"], "rb") as handle:
                report = openbadges.verify(handle, recipient_profile=profile, use_cache=False)
        else:
            report = openbadges.verify(job.get("url") or job["text"], recipient_profile=profile, use_cache=False)
    except Exception as error:
        # The validator crashes on some inputs (e.g. an image without Open Badges metadata): not a verdict of valid.
        result.update(valid=False, warnings=[], errors=[{
            "name": "VALIDATOR_CRASHED", "result": "".join(traceback.format_exception_only(type(error), error)).strip(),
            "traceback": traceback.format_exc()[-2000:]}])
    else:
        messages = report["report"]["messages"]
        result.update(
            valid=bool(report["report"]["valid"]),
            errors=[_message(m) for m in messages if m.get("messageLevel") == "ERROR"],
            warnings=[_message(m) for m in messages if m.get("messageLevel") == "WARNING"],
            openBadgesVersion=report["report"].get("openBadgesVersion"),
        )
    result["workarounds"] = list(workarounds["applied"])  # type: ignore[call-overload]
    result["fetched"] = fetched[start:]
    return result


def _jobs_from_args(inputs: list[str]) -> list[dict[str, str]]:
    jobs = []
    for index, value in enumerate(inputs):
        if value.startswith("@"):
            jobs.append({"id": str(index), "file": value[1:]})
        elif value.startswith(("http://", "https://")):
            jobs.append({"id": str(index), "url": value})
        else:
            jobs.append({"id": str(index), "text": value})
    return jobs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--allow", action="append", default=[], metavar="ORIGIN",
                        help="an origin (http://host:port) that may be fetched over the network (repeatable)")
    parser.add_argument("--context", type=Path, default=DEFAULT_CONTEXT, help="the OB v2 JSON-LD context file")
    parser.add_argument("--batch", metavar="FILE",
                        help='JSON array of {"id", "url"|"text"|"file", "recipient"?, "workarounds"?} ("-" = stdin)')
    parser.add_argument("--no-workarounds", action="store_true", help="run the validator exactly as released")
    parser.add_argument("inputs", nargs="*", help="URL, JWS/JSON text, or @PATH of a baked image")
    args = parser.parse_args(argv)

    jobs = _jobs_from_args(args.inputs)
    if args.batch:
        text = sys.stdin.read() if args.batch == "-" else Path(args.batch).read_text()
        jobs += json.loads(text)
    if not jobs:
        parser.error("no input")
    for job in jobs:
        if sum(k in job for k in ("url", "text", "file")) != 1:
            parser.error(f"each batch entry needs exactly one of url, text, file: {job!r}")

    _install_guard(args.allow, args.context.read_bytes())
    import openbadges  # after the guard, so that nothing it sets up at import time escapes it

    _install_workarounds()
    for job in jobs:
        if args.no_workarounds:
            job["workarounds"] = False
        print(json.dumps(_run_one(openbadges, job), ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
