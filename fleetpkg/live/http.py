"""Plain HTTP to Kibana: JSON or zip bodies, retries, and one-line errors for real failures."""

from __future__ import annotations

import errno
import json
import socket
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from .auth import Connection
from .errors import LiveError, one_line, scrub
from .retry import Retryable

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
XSRF = "fleetpkg"
API_VERSION = "2023-10-31"  # Kibana public API version


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: Any  # parsed JSON, or the text when it is not JSON

    def message(self) -> str:
        """Kibana's/ES's own error message, if the body has one."""
        body = self.body
        if isinstance(body, dict):
            error = body.get("error")
            if isinstance(body.get("message"), str):
                return str(body["message"])
            if isinstance(error, dict):
                return str(error.get("reason") or error.get("type") or error)
            if isinstance(error, str):
                return error
        return json.dumps(body) if not isinstance(body, str) else body


def connection_error(conn: Connection, service: str, err: BaseException) -> LiveError:
    """The one-line message for a request that got no HTTP answer."""
    where = f"{service} at {conn.url}"
    reason = err.reason if isinstance(err, urllib.error.URLError) else err
    if isinstance(reason, ssl.SSLCertVerificationError):
        detail = reason.verify_message or "certificate verify failed"
        hint = "pass --ca-cert FILE (or --insecure)"
        return LiveError(f"TLS certificate of {where} not trusted: {detail}; {hint}")
    if isinstance(reason, ssl.SSLError):
        detail = reason.reason or str(reason)
        return LiveError(
            f"TLS handshake with {where} failed ({detail}); is it really https? "
            "Check the URL scheme and port"
        )
    if isinstance(reason, TimeoutError | socket.timeout):
        return LiveError(f"{where} did not answer within {conn.timeout:g} s (timeout)")
    if isinstance(reason, ConnectionRefusedError) or getattr(reason, "errno", None) in (
        errno.ECONNREFUSED,
    ):
        return LiveError(f"cannot connect to {where}: connection refused (is it running?)")
    if isinstance(reason, socket.gaierror):
        return LiveError(f"cannot resolve the host of {where}")
    text = scrub(str(reason), conn.secrets())
    return LiveError(f"cannot connect to {where}: {one_line(text)}")


def status_error(conn: Connection, service: str, action: str, response: Response) -> LiveError:
    """The one-line message for an HTTP error status (401, 403, … anything not handled)."""
    status = response.status
    text = one_line(scrub(response.message(), conn.secrets()))
    if status == 401:
        return LiveError(
            f"{service} at {conn.url} rejected the credentials (401 Unauthorized) while trying "
            f"to {action}; check --api-key or --username/--password-env",
            status=status,
        )
    if status == 403:
        return LiveError(
            f"{service} refused to {action} (403 Forbidden): the user lacks privileges: {text}",
            status=status,
        )
    return LiveError(
        f"could not {action}; API status code = {status}; response body = {text}", status=status
    )


class KibanaClient:
    """Kibana's HTTP API (Fleet lives under ``/api/fleet``)."""

    service = "Kibana"

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        action: str,
        ok: tuple[int, ...] = (),
    ) -> Response:
        """Send with retries; statuses in ``ok`` (and 2xx) come back, others raise ``LiveError``."""
        all_headers = {
            "kbn-xsrf": XSRF,
            "Accept": "application/json",
            "elastic-api-version": API_VERSION,
        }
        all_headers.update(self.conn.credentials.headers())
        if json_body is not None:
            data = json.dumps(json_body).encode()
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        request = urllib.request.Request(
            self.conn.url + path, data=data, headers=all_headers, method=method
        )

        def attempt() -> Response:
            response = self._send(request)
            if 200 <= response.status < 300 or response.status in ok:
                return response
            error = status_error(self.conn, self.service, action, response)
            if response.status in RETRY_STATUS:
                raise Retryable(error)
            raise error

        return self.conn.retry.run(attempt)

    def _send(self, request: urllib.request.Request) -> Response:
        context = self.conn.ssl_context()
        opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context))
        try:
            with opener.open(request, timeout=self.conn.timeout) as reply:
                return Response(reply.status, _parse(reply.read()))
        except urllib.error.HTTPError as err:
            with err:
                return Response(err.code, _parse(err.read()))
        except (urllib.error.URLError, OSError) as err:
            error = connection_error(self.conn, self.service, err)
            reason = err.reason if isinstance(err, urllib.error.URLError) else err
            if isinstance(reason, ssl.SSLError):
                raise error from None
            raise Retryable(error) from None


def _parse(raw: bytes) -> Any:
    text = raw.decode("utf-8", "replace")
    try:
        return json.loads(text) if text.strip() else {}
    except json.JSONDecodeError:
        return text
