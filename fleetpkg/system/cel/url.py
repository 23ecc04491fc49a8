"""URL extensions: ``parse_url``, ``format_url``, ``parse_query`` and ``format_query``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from celpy import celtypes

from .values import as_str, to_cel, to_python


def _parse_url(value: Any) -> Any:
    parts = urlsplit(as_str(value))
    user = None
    if parts.username is not None:
        user = {
            "Username": parts.username,
            "Password": parts.password or "",
            "PasswordSet": parts.password is not None,
        }
    return to_cel(
        {
            "Scheme": parts.scheme,
            "Opaque": "",
            "User": user,
            "Host": parts.netloc.rsplit("@", 1)[-1],
            "Path": parts.path,
            "RawPath": "",
            "ForceQuery": False,
            "RawQuery": parts.query,
            "Fragment": parts.fragment,
            "RawFragment": "",
        }
    )


def _format_url(value: Any) -> Any:
    url = to_python(value)
    text = f"{url.get('Scheme', '')}://" if url.get("Scheme") else ""
    user = url.get("User")
    if user:
        text += quote(user.get("Username", ""), safe="")
        if user.get("PasswordSet"):
            text += ":" + quote(user.get("Password", ""), safe="")
        text += "@"
    text += url.get("Host", "") + url.get("Path", "")
    if url.get("RawQuery"):
        text += "?" + url["RawQuery"]
    if url.get("Fragment"):
        text += "#" + url["Fragment"]
    return celtypes.StringType(text)


def _parse_query(value: Any) -> Any:
    out: dict[str, list[str]] = {}
    for key, item in parse_qsl(as_str(value), keep_blank_values=True):
        out.setdefault(key, []).append(item)
    return to_cel(out)


def _format_query(value: Any) -> Any:
    pairs: list[tuple[str, str]] = []
    for key in sorted(value):  # Go's url.Values.Encode sorts by key
        items = value[key]
        for item in items if isinstance(items, list) else [items]:
            pairs.append((str(key), str(to_python(item))))
    return celtypes.StringType(urlencode(pairs, quote_via=quote, safe=""))


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "parse_url": _parse_url,
    "format_url": _format_url,
    "parse_query": _parse_query,
    "format_query": _format_query,
}
