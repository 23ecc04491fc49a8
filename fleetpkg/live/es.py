"""Elasticsearch through the official client: retries, timeouts and one-line, scrubbed errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import elastic_transport
from elasticsearch import ApiError, Elasticsearch, UnsupportedProductError

from .auth import Connection
from .errors import LiveError, one_line, scrub
from .http import RETRY_STATUS
from .retry import Retryable

T = TypeVar("T")
# Accepted by Elasticsearch 8.x and 9.x alike (the 9.x client's default, compatible-with=9, is
# rejected by 8.x clusters).
COMPAT = "application/vnd.elasticsearch+json; compatible-with=8"


class ElasticsearchClient:
    """A client for one cluster; ``call`` runs an API call with retries and clear errors."""

    service = "Elasticsearch"

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        creds = conn.credentials
        options: dict[str, Any] = {
            "request_timeout": conn.timeout,
            "max_retries": 0,
            "retry_on_timeout": False,
            "headers": {"accept": COMPAT, "content-type": COMPAT},
        }
        if creds.api_key:
            options["api_key"] = creds.api_key
        elif creds.username is not None:
            options["basic_auth"] = (creds.username, creds.password or "")
        if conn.url.startswith("https:"):
            options["verify_certs"] = not conn.insecure
            if conn.ca_cert:
                options["ca_certs"] = conn.ca_cert
            if conn.insecure:
                options["ssl_show_warn"] = False
        self.es = Elasticsearch(conn.url, **options)

    def close(self) -> None:
        self.es.close()

    def call(self, action: str, fn: Callable[[Elasticsearch], T], ok: tuple[int, ...] = ()) -> T:
        """``fn(es)`` with retries on 429/5xx, timeouts and refused connections."""

        def attempt() -> T:
            try:
                return fn(self.es)
            except UnsupportedProductError:
                raise LiveError(
                    f"{self.conn.url} is not Elasticsearch (no X-Elastic-Product header)"
                ) from None
            except ApiError as err:
                if err.meta.status in ok:
                    raise
                error = self.api_error(action, err)
                if err.meta.status in RETRY_STATUS:
                    raise Retryable(error) from None
                raise error from None
            except elastic_transport.TlsError as err:
                raise self.transport_error(err) from None
            except elastic_transport.TransportError as err:
                raise Retryable(self.transport_error(err)) from None

        return self.conn.retry.run(attempt)

    # --- the ingest APIs fleetpkg uses ---------------------------------------------------------
    def put_pipeline(self, name: str, definition: dict[str, Any], ok: tuple[int, ...] = ()) -> None:
        self.call(
            f"install pipeline {name}",
            lambda es: es.ingest.put_pipeline(id=name, body=definition),
            ok=ok,
        )

    def delete_pipeline(self, name: str) -> bool:
        """Delete a pipeline; False when it was not there."""
        try:
            self.call(
                f"delete pipeline {name}", lambda es: es.ingest.delete_pipeline(id=name), ok=(404,)
            )
        except ApiError:
            return False
        return True

    def simulate(
        self, name: str, docs: list[dict[str, Any]], ok: tuple[int, ...] = ()
    ) -> dict[str, Any]:
        response = self.call(
            f"simulate pipeline {name}", lambda es: es.ingest.simulate(id=name, docs=docs), ok=ok
        )
        return dict(response.body)

    def ingest_stats(self) -> dict[str, Any]:
        response = self.call("read node ingest stats", lambda es: es.nodes.stats(metric="ingest"))
        return dict(response.body)

    def api_error(self, action: str, err: ApiError) -> LiveError:
        status = err.meta.status
        reason = one_line(scrub(_reason(err.body), self.conn.secrets()))
        if status == 401:
            return LiveError(
                f"Elasticsearch at {self.conn.url} rejected the credentials (401 Unauthorized) "
                f"while trying to {action}; check --api-key or --username/--password-env",
                status=status,
            )
        if status == 403:
            return LiveError(
                f"Elasticsearch refused to {action} (403 Forbidden): the user lacks privileges: "
                f"{reason}",
                status=status,
            )
        return LiveError(f"could not {action}; status {status}: {reason}", status=status)

    def transport_error(self, err: elastic_transport.TransportError) -> LiveError:
        where = f"Elasticsearch at {self.conn.url}"
        text = one_line(scrub(str(err.message), self.conn.secrets()))
        if isinstance(err, elastic_transport.ConnectionTimeout):
            return LiveError(f"{where} did not answer within {self.conn.timeout:g} s (timeout)")
        if isinstance(err, elastic_transport.TlsError):
            if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
                return LiveError(
                    f"TLS certificate of {where} not trusted; pass --ca-cert FILE (or --insecure)"
                )
            return LiveError(
                f"TLS handshake with {where} failed; is it really https? Check the URL scheme "
                f"and port ({text})"
            )
        if "refused" in text.lower():
            return LiveError(f"cannot connect to {where}: connection refused (is it running?)")
        return LiveError(f"cannot connect to {where}: {text}")


def _reason(body: Any) -> str:
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            root = error.get("root_cause")
            first = root[0] if isinstance(root, list) and root else error
            if isinstance(first, dict):
                return f"{first.get('type', 'error')}: {first.get('reason', '')}"
        if isinstance(error, str):
            return error
    return str(body)
