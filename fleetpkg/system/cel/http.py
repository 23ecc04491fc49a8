"""HTTP extensions: requests as Go ``http.Request`` maps, sent through a :class:`Transport`."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import urlsplit

from celpy import celtypes
from celpy.evaluation import CELEvalError

from .collections import with_
from .values import as_bytes, as_str, to_cel, to_python


class Transport(Protocol):
    """Executes one HTTP request (a Go ``http.Request`` as a map) and returns the response map.

    Raises :class:`TransportError` when no response arrives (after its own retries).
    """

    def do(self, request: dict[str, Any]) -> dict[str, Any]: ...


class TransportError(Exception):
    pass


def _canonical(name: str) -> str:
    return "-".join(p[:1].upper() + p[1:].lower() for p in name.split("-"))


def new_request(method: str, url: str, body: bytes | None = None) -> dict[str, Any]:
    parts = urlsplit(url)
    return {
        "Method": method,
        "URL": url,
        "Proto": "HTTP/1.1",
        "ProtoMajor": 1,
        "ProtoMinor": 1,
        "Header": {},
        "Body": body if body is not None else b"",
        "ContentLength": len(body or b""),
        "Close": False,
        "Host": parts.netloc,
    }


def new_response(
    request: dict[str, Any], status: int, reason: str, headers: list[tuple[str, str]], body: bytes
) -> dict[str, Any]:
    header: dict[str, list[str]] = {}
    for name, value in headers:
        header.setdefault(_canonical(name), []).append(value)
    return {
        "Status": f"{status} {reason}".strip(),
        "StatusCode": status,
        "Proto": "HTTP/1.1",
        "ProtoMajor": 1,
        "ProtoMinor": 1,
        "Header": header,
        "ContentLength": len(body),
        "Body": body,
        "Trailer": {},
        "TransferEncoding": [],
        "Close": False,
        "Uncompressed": False,
        "Request": {k: v for k, v in request.items() if k != "Body"},
    }


class _Http:
    def __init__(self, transport: Transport | None) -> None:
        self.transport = transport

    def do(self, request: Any) -> Any:
        if self.transport is None:
            raise CELEvalError("no HTTP transport configured", RuntimeError, ())
        req = to_python(request)
        if not isinstance(req, dict) or not isinstance(req.get("URL"), str):
            raise TypeError("do_request needs a request map with a URL")
        req.setdefault("Method", "GET")
        req["Header"] = {
            _canonical(k): ([str(x) for x in v] if isinstance(v, list) else [str(v)])
            for k, v in (req.get("Header") or {}).items()
        }
        try:
            response = self.transport.do(req)
        except TransportError as err:
            verb = str(req["Method"]).capitalize()
            raise CELEvalError(f'{verb} "{req["URL"]}": {err}', TransportError, ()) from None
        return to_cel(response)

    def get(self, url: Any) -> Any:
        return self.do(to_cel(new_request("GET", as_str(url))))

    def head(self, url: Any) -> Any:
        return self.do(to_cel(new_request("HEAD", as_str(url))))

    def post(self, url: Any, content_type: Any, body: Any) -> Any:
        return self.do(self.post_request(url, content_type, body))

    @staticmethod
    def request(method: Any, url: Any, body: Any = None) -> Any:
        data = None if body is None else as_bytes(body)
        return to_cel(new_request(as_str(method), as_str(url), data))

    @staticmethod
    def get_request(url: Any) -> Any:
        return to_cel(new_request("GET", as_str(url)))

    @staticmethod
    def post_request(url: Any, content_type: Any, body: Any) -> Any:
        req = new_request("POST", as_str(url), as_bytes(body))
        req["Header"] = {"Content-Type": [as_str(content_type)]}
        return to_cel(req)

    @staticmethod
    def basic_authentication(request: Any, user: Any, password: Any) -> Any:
        token = base64.b64encode(f"{as_str(user)}:{as_str(password)}".encode()).decode()
        headers = dict(request.get("Header") or {})
        headers[celtypes.StringType("Authorization")] = to_cel([f"Basic {token}"])
        return with_(request, {celtypes.StringType("Header"): celtypes.MapType(headers)})


def transport_functions(transport: Transport | None) -> dict[str, Callable[..., Any]]:
    """The HTTP functions, sending requests through ``transport``."""
    http = _Http(transport)
    return {
        "get": http.get,
        "head": http.head,
        "post": http.post,
        "request": http.request,
        "get_request": http.get_request,
        "post_request": http.post_request,
        "do_request": http.do,
        "basic_authentication": http.basic_authentication,
    }
