"""An IPv6 target end to end: scope ``::1/128``, nmap with ``-6``, an HTTP follow-up."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from scan_support import query, run_socaudit

pytestmark = pytest.mark.integration


class V6Server(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6


class Quiet(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<h1>C\xe1\xbb\x95ng th\xc3\xb4ng tin</h1>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return None


@pytest.fixture
def v6_http() -> Iterator[int]:
    server = V6Server(("::1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_ipv6_target_is_scanned_with_dash_6(v6_http: int, tmp_path: Path) -> None:
    today = dt.datetime.now(dt.UTC).date()
    asset = {"id": "web6", "address": "::1", "services": [{"port": v6_http, "name": "http"}]}
    data = {
        "schema_version": 1,
        "organization": {"name": "Sở Nội vụ"},
        "authorization": {
            "reference": "Quyết định số 6/QĐ-UBND",
            "approved_by": "Chủ tịch",
            "window": {"from": today, "to": today},
            "scope": ["::1/128"],
        },
        "systems": [
            {
                "id": "cong-v6",
                "name": "Cổng IPv6",
                "level": 1,
                "level_approval": {"status": "approved"},
                "assets": [asset],
            }
        ],
    }
    inventory = tmp_path / "inv.yaml"
    inventory.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    db = tmp_path / "socaudit.db"
    result = run_socaudit(db, "scan", "-i", str(inventory), "--top-ports", "0")
    assert result.returncode == 0, result.stdout + result.stderr
    (xml,) = query(db, "select payload from evidence where kind = 'nmap_xml'")
    assert " -6" in json.loads(xml[0])["payload"]["xml"]
    (ports,) = query(db, "select payload from evidence where kind = 'ports'")
    (observed,) = json.loads(ports[0])["payload"]["ports"]
    assert (observed["port"], observed["state"], observed["service"]) == (v6_http, "open", "http")
    (http_row,) = query(db, "select target, payload from evidence where kind = 'http'")
    assert http_row[0] == f"[::1]:{v6_http}"
    assert json.loads(http_row[1])["payload"]["status_code"] == 200
