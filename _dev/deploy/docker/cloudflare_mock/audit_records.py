"""Generated audit log records (v1 and v2 shapes), one hour at a time."""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from typing import Any

from .records import _AGENTS, NS, _ip, _rng, _uuid, rfc3339

_AUDIT_ACTIONS = (
    ("login", "user"),
    ("token_create", "token"),
    ("token_roll", "token"),
    ("token_revoke", "token"),
    ("API_key_view", "api_key"),
    ("rotate_API_key", "account"),
    ("purge", "zone"),
    ("rec_add", "DNS_record"),
    ("rec_del", "DNS_record"),
    ("change_setting", "zone"),
    ("tls_settings_deployed", "zone"),
)


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One audit log entry: ``ns`` is its exact time, ``v1``/``v2`` the API shapes."""

    ns: int
    id: str
    v1: dict[str, Any]
    v2: dict[str, Any]


@functools.lru_cache(maxsize=8192)
def _audit_hour(seed: int, per_hour: int, account: str, hour: int) -> tuple[AuditRecord, ...]:
    rng = _rng(seed, "audit", account, hour)
    times: list[int] = []
    for _ in range(rng.randint(0, per_hour)):
        second = hour * 3600 + rng.randint(0, 3599)
        ns = second * NS + (rng.randint(0, 999_999) * 1000 if rng.random() < 0.4 else 0)
        times.append(ns)
        if rng.random() < 0.25:  # records sharing one timestamp: the cursor boundary case
            times.extend([ns] * rng.randint(1, 2))
    records = [_audit_record(rng, account, ns) for ns in times]
    return tuple(sorted(records, key=lambda r: (r.ns, r.id)))


def _audit_record(rng: random.Random, account: str, ns: int) -> AuditRecord:
    action, resource_type = rng.choice(_AUDIT_ACTIONS)
    system = action == "tls_settings_deployed"
    ident = _uuid(rng)
    user_id = f"{rng.getrandbits(128):032x}"
    email = f"user{rng.randint(1, 9)}@example.com"
    ip = _ip(rng)
    micro = ns % NS != 0
    result = rng.random() < 0.9
    resource_id = f"{rng.getrandbits(128):032x}"
    interface = rng.choice(("", "UI", "API"))
    v1: dict[str, Any] = {
        "id": ident,
        "when": rfc3339(ns, micro),
        "action": {"type": action, "result": result},
        "actor": (
            {"id": "1", "type": "system"}
            if system
            else {"id": user_id, "email": email, "ip": ip, "type": "user"}
        ),
        "interface": interface,
        "metadata": {"zone_name": "example.com"} if resource_type != "account" else {},
        "newValue": "",
        "oldValue": "",
        "owner": {"id": account},
        "resource": {"id": resource_id, "type": resource_type},
    }
    if action == "rotate_API_key":
        v1["action"]["info"] = f"key digest: {rng.getrandbits(64):016x}"
    if action == "rec_add":
        v1["newValueJson"] = {"type": "A", "name": "www.example.com", "content": _ip(rng)}
    if action == "rec_del":
        v1["newValue"] = "null"
        v1["oldValue"] = "null"
        v1["oldValueJson"] = {"type": "A", "name": "old.example.com", "content": _ip(rng)}
    kind = {"add": "create", "del": "delete", "view": "view"}
    action_type = next((v for k, v in kind.items() if k in action.lower()), "update")
    v2: dict[str, Any] = {
        "id": ident,
        "account": {"id": account, "name": "Example account"},
        "action": {
            "description": action.replace("_", " "),
            "result": "success" if result else "failure",
            "time": rfc3339(ns, micro),
            "type": action_type,
        },
        "actor": {
            "id": "1" if system else user_id,
            "context": "dash" if interface == "UI" else "api_token",
            "email": "" if system else email,
            "ip_address": "" if system else ip,
            "token_id": "",
            "token_name": "",
            "type": "system" if system else "user",
        },
        "raw": {
            "cf_ray_id": f"{rng.getrandbits(64):016x}",
            "method": "POST",
            "status_code": 200 if result else 403,
            "uri": f"/accounts/{account}/{resource_type.lower()}",
            "user_agent": _AGENTS[1],
        },
        "resource": {
            "id": resource_id,
            "product": resource_type.lower(),
            "request": {},
            "response": {},
            "scope": "accounts",
            "type": resource_type.lower(),
        },
        "zone": {"id": "", "name": ""},
    }
    return AuditRecord(ns, ident, v1, v2)
