"""`stce refdata update` against a local HTTP server on 127.0.0.1 (nothing leaves the machine),
and the import/status/diff commands end to end."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import orjson
import pytest
from typer.testing import CliRunner

from stce.cli.app import app
from stce.config import get_settings
from stce.refdata.update import OfficialSource, download_all

FIXTURES = Path(__file__).parent / "fixtures"


class _Files:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.fail_next: dict[str, int] = {}
        self.requests: list[tuple[str, str | None]] = []


def _handler(state: _Files) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            self.state = state
            state.requests.append((self.path, self.headers.get("If-None-Match")))
            if state.fail_next.get(self.path, 0) > 0:
                state.fail_next[self.path] -= 1
                self.send_response(503)
                self.end_headers()
                return
            body = state.files.get(self.path)
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def server() -> Iterator[tuple[str, _Files]]:
    state = _Files()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", state
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("STCE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("STCE_DATABASE_URL", f"sqlite:///{tmp_path}/stce.db")
    return tmp_path


def test_download_conditional_and_retry(server: tuple[str, _Files], env: Path) -> None:
    base, state = server
    state.files["/eu.xml"] = (FIXTURES / "eu_fsf_sample.xml").read_bytes()
    state.fail_next["/eu.xml"] = 2
    src = [OfficialSource("eu-fsf", {"eu_fsf.xml": f"{base}/eu.xml"}, "eu_fsf.xml")]
    with httpx.Client() as client:
        first = download_all(get_settings(), src, client=client, retries=3, backoff=0.01)
        assert len(state.requests) == 3  # two 503s, then 200
        second = download_all(get_settings(), src, client=client, retries=3, backoff=0.01)
    assert first[0].changed and not second[0].changed  # type: ignore[union-attr]
    assert state.requests[-1][1] is not None  # sent If-None-Match, got 304


def test_update_command_imports_served_files(
    server: tuple[str, _Files], env: Path, mirror_file: object
) -> None:
    base, state = server
    un = Path(mirror_file("sanctions/un/consolidated.xml"))  # type: ignore[operator]
    state.files["/un.xml"] = un.read_bytes()
    state.files["/dpl.txt"] = b"broken"
    sources = env / "sources.yaml"
    sources.write_text(
        f"un-sc:\n  files: {{consolidated.xml: '{base}/un.xml'}}\n"
        f"us-bis-dpl:\n  files: {{dpl.txt: '{base}/dpl.txt'}}\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    res = runner.invoke(app, ["refdata", "update", "--sources", str(sources), "--retries", "0"])
    assert res.exit_code == 1, res.output  # the DPL download is not a list: reported, not fatal
    assert "un-sc" in res.output and "current" in res.output
    status = runner.invoke(app, ["refdata", "status", "--json"])
    data = orjson.loads(status.output)
    (un_row,) = [r for r in data["lists"] if r["list"] == "un-sc"]
    assert un_row["entries"] == 1003 and un_row["by_kind"] == {"person": 730, "organisation": 273}
    again = runner.invoke(app, ["refdata", "update", "--sources", str(sources), "--only", "un-sc"])
    assert again.exit_code == 0 and "not modified" in again.output


def test_import_status_diff_commands(env: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["refdata", "import", str(FIXTURES), "--show-skipped"])
    assert res.exit_code == 0, res.output
    assert "eu-fsf" in res.output and "watchlist:national_watchlist" in res.output
    # two UK fixtures: the XML is preferred over the CSV of the same date, the CSV is reported
    assert "uk_full_sample.csv" in res.output
    status = orjson.loads(
        runner.invoke(app, ["refdata", "status", "--json", "--stale-days", "36500"]).output
    )
    by_list = {r["list"]: r for r in status["lists"]}
    assert by_list["eu-fsf"]["entries"] == 3 and not by_list["eu-fsf"]["stale"]
    assert by_list["uk-fcdo"]["published"] == "2026-11-20"
    stale = orjson.loads(
        runner.invoke(app, ["refdata", "status", "--json", "--stale-days", "0"]).output
    )
    assert all(
        r["stale"] for r in stale["lists"] if r["published"] and r["published"] < "2026-11-27"
    )
    diff = orjson.loads(runner.invoke(app, ["refdata", "diff", "eu-fsf", "--json"]).output)
    assert sorted(diff["added"]) == ["eu-fsf:900101", "eu-fsf:900202", "eu-fsf:900303"]
    text = runner.invoke(app, ["refdata", "status"])
    assert text.exit_code == 0 and "eu-fsf" in text.output
