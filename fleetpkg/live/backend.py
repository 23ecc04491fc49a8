"""Run stage on a real cluster: ``ElasticsearchBackend`` implements the test runner's ``Backend``.

Like elastic-package, every ``simulate`` installs the data stream's pipelines under test names
(``<id>-<nonce>``, with ``pipeline`` processor references renamed), runs
``POST _ingest/pipeline/<entry>-<nonce>/_simulate`` and deletes the pipelines again.
"""

from __future__ import annotations

import copy
import itertools
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from elasticsearch import ApiError

from fleetpkg.testing.backend import Backend, BackendError, CoverageData, SimulateRequest

from .auth import Connection
from .errors import LiveError
from .es import ElasticsearchClient

_COUNTER = itertools.count()


def test_names(pipeline_ids: Mapping[str, Any], nonce: str) -> dict[str, str]:
    return {pid: f"{pid}-{nonce}" for pid in pipeline_ids}


def renamed(value: Any, names: Mapping[str, str]) -> Any:
    """A copy of a pipeline definition whose ``pipeline`` processors call the test names."""
    if isinstance(value, list):
        return [renamed(v, names) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: renamed(v, names) for k, v in value.items()}
    call = out.get("pipeline")
    if isinstance(call, dict) and isinstance(call.get("name"), str) and call["name"] in names:
        out["pipeline"] = dict(call, name=names[call["name"]])
    return out


def _untested(value: Any, nonce: str) -> Any:
    """Test names turned back into package names inside error objects."""
    if isinstance(value, str):
        return value.replace(f"-{nonce}", "")
    if isinstance(value, list):
        return [_untested(v, nonce) for v in value]
    if isinstance(value, dict):
        return {k: _untested(v, nonce) for k, v in value.items()}
    return value


class ElasticsearchBackend:
    """Simulates on a cluster; pipelines exist only for the duration of one request."""

    def __init__(self, client: ElasticsearchClient) -> None:
        self.client = client
        self.installed: list[str] = []  # pipelines currently on the cluster (for tests / cleanup)

    def simulate(
        self, request: SimulateRequest, pipelines: Mapping[str, dict[str, Any]]
    ) -> dict[str, Any]:
        if request.pipeline not in pipelines:
            reason = f"pipeline with id [{request.pipeline}] does not exist"
            raise BackendError({"type": "resource_not_found_exception", "reason": reason})
        nonce = f"{time.time_ns()}{next(_COUNTER)}"
        names = test_names(pipelines, nonce)
        try:
            for pid, definition in pipelines.items():
                self._put(names[pid], renamed(copy.deepcopy(definition), names), nonce)
            body = self._simulate(names[request.pipeline], request, nonce)
        finally:
            self.cleanup()
        docs = body.get("docs") if isinstance(body, dict) else None
        if not isinstance(docs, list):
            raise LiveError("unexpected _simulate response: no 'docs' list")
        return {"docs": [_entry(d, nonce) for d in docs]}

    def _put(self, name: str, definition: dict[str, Any], nonce: str) -> None:
        try:
            self.client.put_pipeline(name, definition, ok=(400,))
        except ApiError as err:
            raise BackendError(_untested(_error_of(err), nonce)) from None
        self.installed.append(name)

    def _simulate(self, name: str, request: SimulateRequest, nonce: str) -> Any:
        try:
            return self.client.simulate(name, list(request.docs), ok=(400, 404))
        except ApiError as err:
            raise BackendError(_untested(_error_of(err), nonce)) from None

    def cleanup(self) -> None:
        """Delete the pipelines this backend installed (missing ones are fine)."""
        while self.installed:
            self.client.delete_pipeline(self.installed.pop())

    def coverage(self) -> CoverageData | None:
        return None


def _error_of(err: ApiError) -> dict[str, Any]:
    body = err.body
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return error
    return {"type": "http_error", "reason": f"status {err.meta.status}: {error or body}"}


def _entry(doc: Any, nonce: str) -> dict[str, Any] | None:
    if doc is None:
        return None
    if isinstance(doc, dict) and "error" in doc:
        return {"error": _untested(doc["error"], nonce)}
    if isinstance(doc, dict) and "doc" in doc:
        return {"doc": doc["doc"]}
    raise LiveError(f"unexpected _simulate response entry: {str(doc)[:200]}")


@dataclass(frozen=True, slots=True)
class ElasticsearchFactory:
    """Creates ``ElasticsearchBackend``s for the runner (picklable: only the connection)."""

    connection: Connection

    def __call__(self) -> Backend:
        return ElasticsearchBackend(ElasticsearchClient(self.connection))
