"""Kolada as recorded: responses in Kolada's own format (the JSON files here), and two ways to answer the
client with them, so that no test ever goes on the network.

* ``RecordedKolada`` replaces the client's transport in this process (``tillit.followup.kolada.http_get``),
  which also covers pytest-django's live server, a thread of the test process::

      monkeypatch.setattr("tillit.followup.kolada.http_get", RecordedKolada({N03937_2019_2024: "n03937-…json"}))

* ``serve_recorded`` is a real HTTP server on the loopback interface for ``KOLADA_URL`` to point at
  (``settings.KOLADA_URL = url``); it answers with the same files, their ``next_url`` pointing back at it.
"""

import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

RECORDED = Path(__file__).resolve().parent
KOLADA = "https://api.kolada.se/v3"

# The addresses the recorded files answer, as paths under the API's base address.
N03937_2019_2024 = "/data/kpi/N03937/municipality/1283/year/2019,2020,2021,2022,2023,2024"
N00945_2015_2022 = "/data/kpi/N00945/municipality/0180/year/2015,2016,2017,2018,2019,2020,2021,2022"
N00945_2015_2022_PAGE_2 = N00945_2015_2022 + "?page=2&per_page=5"
RECORDINGS = {
    N03937_2019_2024: "n03937-1283-2019-2024.json",
    N00945_2015_2022: "n00945-0180-2015-2022-page-1.json",
    N00945_2015_2022_PAGE_2: "n00945-0180-2015-2022-page-2.json",
}


def recording(name: str) -> str:
    return (RECORDED / name).read_text(encoding="utf-8")


class FakeResponse:
    """What the client uses of a requests.Response."""

    def __init__(self, status_code: int = 200, text: str = "") -> None:
        self.status_code = status_code
        self.text = text

    def json(self) -> Any:
        return json.loads(self.text)


class RecordedKolada:
    """Answers each address (the part after the base address) with a recorded file, a FakeResponse, or by
    raising an exception (e.g. requests.Timeout); an address it does not know gets Kolada's 404. Remembers the
    addresses it was asked for."""

    def __init__(self, answers: Mapping[str, str | FakeResponse | BaseException] | None = None) -> None:
        self.answers = dict(RECORDINGS if answers is None else answers)
        self.asked: list[str] = []

    def __call__(self, url: str) -> FakeResponse:
        self.asked.append(url)
        answer = self.answers.get(_path(url))
        if isinstance(answer, BaseException):
            raise answer
        if isinstance(answer, FakeResponse):
            return answer
        if answer is None:
            return FakeResponse(404, '{"error": "Not found"}')
        return FakeResponse(200, recording(answer))


def _path(url: str) -> str:
    """The address after the API's base: ".../v3/data/kpi/..." → "/data/kpi/..."."""
    return "/data/" + url.split("/data/", 1)[1] if "/data/" in url else url


@contextmanager
def serve_recorded(answers: Mapping[str, str] | None = None) -> Iterator[str]:
    """A local Kolada answering with recorded files; yields its base address for KOLADA_URL."""
    files = dict(RECORDINGS if answers is None else answers)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            name = files.get(self.path)
            body = (
                recording(name).replace(KOLADA, base).encode()
                if name is not None
                else b'{"error": "Not found"}'
            )
            self.send_response(200 if name is not None else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
