"""geo.intake.geocode: answers that are not Tianditu's documented JSON object are a
GeocoderError."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from geo.intake.geocode import Geocoder, GeocoderError


@pytest.fixture
def service_answering():
    """A loopback service that answers every request with the body set by the test."""
    answer = {"body": b""}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            body = answer["body"]
            self.send_response(200)
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # keep the test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/geocoder"

    def set_body(body: bytes) -> Geocoder:
        answer["body"] = body
        return Geocoder(url=url, token="t" * 32)

    yield set_body
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("body", [b"[]", b'"ok"', b"null", b"not json"])
def test_an_answer_that_is_not_a_json_object_is_a_geocoder_error(service_answering, body):
    geocoder = service_answering(body)
    with pytest.raises(GeocoderError):
        geocoder.lookup("纬二路1号")


def test_a_documented_answer_is_read(service_answering):
    geocoder = service_answering(
        '{"status": "0", "msg": "ok", "location": {"lon": "117.0", "lat": "36.6", '
        '"level": "门址"}}'.encode()
    )
    answer = geocoder.lookup("纬二路1号")
    assert (answer["lon"], answer["lat"], answer["location_precision"]) == (117.0, 36.6, "exact")
