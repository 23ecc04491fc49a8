"""Kibana Fleet API: EPM packages (upload, get, delete) and agent / package policies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from .errors import LiveError, one_line, scrub
from .http import KibanaClient, Response, status_error

EPM = "/api/fleet/epm/packages"
OLD_KIBANA = "Kibana has no Fleet package upload API (404); uploading a zip needs Kibana ≥ 8.7"


@dataclass(frozen=True, slots=True)
class Asset:
    type: str
    id: str


def assets_of(body: Any) -> list[Asset]:
    """Assets of an install/uninstall response: ``items`` (8.x+) or ``response`` (7.x)."""
    items = body.get("items", body.get("response")) if isinstance(body, dict) else None
    out = [
        Asset(str(item.get("type", "?")), str(item.get("id", "?")))
        for item in items or ()
        if isinstance(item, dict)
    ]
    return sorted(out, key=lambda a: (a.type, a.id))


def installed_version(item: dict[str, Any]) -> str | None:
    """The installed version of a ``GET epm/packages/<name>`` item (None when not installed)."""
    info = item.get("installationInfo")
    if isinstance(info, dict) and info.get("version"):
        return str(info["version"])
    saved = item.get("savedObject")
    attributes = saved.get("attributes") if isinstance(saved, dict) else None
    if isinstance(attributes, dict) and attributes.get("version"):
        return str(attributes["version"])
    if item.get("status") == "installed":
        return str(item.get("version"))
    return None


class Fleet:
    """The Fleet endpoints fleetpkg uses."""

    def __init__(self, kibana: KibanaClient) -> None:
        self.kibana = kibana

    def _error(self, action: str, response: Response) -> LiveError:
        return status_error(self.kibana.conn, "Kibana", action, response)

    def _text(self, response: Response) -> str:
        return one_line(scrub(response.message(), self.kibana.conn.secrets()))

    # --- packages -------------------------------------------------------------------------
    def upload(self, zip_bytes: bytes, name: str, version: str) -> list[Asset]:
        action = f"install package {name} {version}"
        response = self.kibana.request(
            "POST",
            EPM,
            data=zip_bytes,
            headers={"Content-Type": "application/zip"},
            action=action,
            ok=(400, 404, 409),
        )
        if response.status == 404:
            raise LiveError(OLD_KIBANA, status=404)
        if response.status == 409:
            raise LiveError(
                f"{name} {version} is already installed (409 Conflict); use --force to reinstall",
                status=409,
            )
        if response.status == 400:
            text = self._text(response)
            if "newer" in text or "out-of-date" in text or "older" in text:
                raise LiveError(f"version conflict installing {name} {version}: {text}", status=400)
            raise self._error(action, response)
        return assets_of(response.body)

    def package(self, name: str) -> dict[str, Any] | None:
        """The EPM item of ``name`` (None when Kibana does not know it)."""
        response = self.kibana.request(
            "GET", f"{EPM}/{quote(name)}", action=f"get package {name}", ok=(404,)
        )
        if response.status == 404:
            return None
        body = response.body if isinstance(response.body, dict) else {}
        item = body.get("item", body.get("response"))
        return item if isinstance(item, dict) else None

    def installed(self, name: str) -> str | None:
        item = self.package(name)
        return installed_version(item) if item is not None else None

    def delete(self, name: str, version: str, *, force: bool = False) -> list[Asset]:
        action = f"uninstall package {name} {version}"
        query = "?force=true" if force else ""
        response = self.kibana.request(
            "DELETE",
            f"{EPM}/{quote(name)}/{quote(version)}{query}",
            action=action,
            ok=(400, 404),
        )
        if response.status == 404:
            raise LiveError(f"{name} {version} is not installed (404)", status=404)
        if response.status == 400:
            text = self._text(response)
            if "package polic" in text:
                raise LiveError(
                    f"cannot uninstall {name} {version}: package policies still use it ({text}); "
                    "delete them first or pass --force",
                    status=400,
                )
            raise self._error(action, response)
        return assets_of(response.body)

    # --- policies -------------------------------------------------------------------------
    def agent_policy_by_name(self, name: str) -> dict[str, Any] | None:
        for page in range(1, 51):  # bounded: 50 pages of 100 policies
            response = self.kibana.request(
                "GET",
                f"/api/fleet/agent_policies?page={page}&perPage=100",
                action="list agent policies",
            )
            body = response.body if isinstance(response.body, dict) else {}
            items = [i for i in body.get("items") or () if isinstance(i, dict)]
            for item in items:
                if item.get("name") == name:
                    return item
            if len(items) < 100:
                return None
        return None

    def create_agent_policy(self, body: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """The agent policy named ``body["name"]``: created, or the existing one (409 → reuse)."""
        name = str(body["name"])
        existing = self.agent_policy_by_name(name)
        if existing is not None:
            return existing, False
        action = f"create agent policy {name!r}"
        response = self.kibana.request(
            "POST", "/api/fleet/agent_policies", json_body=body, action=action, ok=(404, 409)
        )
        if response.status == 404:
            raise LiveError(
                "Kibana has no Fleet agent policy API (404); is Fleet enabled?", status=404
            )
        if response.status == 409:  # created concurrently (or by an earlier retried attempt)
            existing = self.agent_policy_by_name(name)
            if existing is None:
                raise self._error(action, response)
            return existing, False
        return _item(response.body), True

    def create_package_policy(self, body: dict[str, Any]) -> dict[str, Any]:
        name = str(body.get("name"))
        action = f"create package policy {name!r}"
        response = self.kibana.request(
            "POST", "/api/fleet/package_policies", json_body=body, action=action, ok=(400, 409)
        )
        if response.status == 409:
            raise LiveError(
                f"package policy {name!r} already exists (409 Conflict); choose another --name",
                status=409,
            )
        if response.status == 400:
            text = self._text(response)
            if "not installed" in text or "out-of-date" in text or "newer" in text:
                raise LiveError(f"version conflict creating {name!r}: {text}", status=400)
            raise self._error(action, response)
        return _item(response.body)


def _item(body: Any) -> dict[str, Any]:
    item = body.get("item") if isinstance(body, dict) else None
    if not isinstance(item, dict):
        raise LiveError("unexpected Fleet response: no 'item' in the body")
    return item
