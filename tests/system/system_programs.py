"""Small reference stream programs (and broken variants) for the driver and runner tests."""

from __future__ import annotations

from typing import Any

from fleetpkg.system.input import StreamConfig

LOGPULL = r"""
state.with(
  (has(state.cursor) && has(state.cursor.last_end) ?
    timestamp(state.cursor.last_end) : now - duration(state.initial_interval)).as(start,
  (start + duration("1h") < now - duration("1m") ?
    start + duration("1h") : now - duration("1m")).format(time_layout.RFC3339).as(end,
  timestamp(end) <= start ? {"events": [], "want_more": false} :
  request("GET", state.url + "/client/v4/zones/" + state.zone_id + "/logs/received?" + {
    "start": [start.format(time_layout.RFC3339)],
    "end": [end],
    "fields": ["RayID,ClientIP,EdgeStartTimestamp,EdgeEndTimestamp"],
    "timestamps": ["rfc3339"],
  }.format_query()).with({
    "Header": {"X-Auth-Email": [state.auth_email], "X-Auth-Key": [state.auth_key]}
  }).do_request().as(resp,
    resp.StatusCode != 200 ?
      {"events": [{"error": {"message": "HTTP " + string(resp.StatusCode)}}], "want_more": false}
    :
      string(resp.Body).split("\n").filter(l, l != "").as(lines,
        lines.exists(l, l == "Error streaming data") ?
          {"events": [{"error": {"message": "Error streaming data"}}], "want_more": false}
        : {
            "events": lines.map(l, {"message": l}),
            "cursor": {"last_end": end},
            "want_more": timestamp(end) < now - duration("1m") - duration("1s"),
          }
      )
  )))
)
"""

AUDIT = r"""
state.with(
  (has(state.cursor) ? state.cursor.since :
    (now - duration(state.initial_interval)).format(time_layout.RFC3339Nano)).as(since,
  (has(state.cursor) && has(state.cursor.page) ? int(state.cursor.page) : 1).as(page,
  request("GET", state.url + "/client/v4/accounts/" + state.account_id + "/audit_logs?" + {
    "since": [since], "direction": ["asc"], "page": [string(page)],
    "per_page": [string(int(state.per_page))],
  }.format_query()).with({
    "Header": {"X-Auth-Email": [state.auth_email], "X-Auth-Key": [state.auth_key]}
  }).do_request().as(resp,
    resp.StatusCode != 200 ?
      {"events": [{"error": {"message": "HTTP " + string(resp.StatusCode)}}], "want_more": false}
    :
      bytes(resp.Body).decode_json().result.as(records, {
        "events": records.map(r, {"message": r.encode_json()}),
        "cursor": size(records) == int(state.per_page) ?
          {"since": since, "page": page + 1, "newest": records[size(records) - 1].when} :
          {"since": size(records) > 0 ? records[size(records) - 1].when :
             (has(state.cursor.newest) ? state.cursor.newest : since), "page": 1},
        "want_more": size(records) == int(state.per_page),
      })
  )))
)
"""

BROKEN = {
    # windows of 2 h: Logpull answers 400
    "logpull-2h": ("logpull", LOGPULL, 'duration("1h") < now', 'duration("2h") < now'),
    # the trailer is not checked: the failed window is never read again
    "logpull-trailer": (
        "logpull",
        LOGPULL,
        'lines.exists(l, l == "Error streaming data")',
        "false",
    ),
    # the record time is corrupted on the way (a year off)
    "logpull-time": (
        "logpull",
        LOGPULL,
        'lines.map(l, {"message": l})',
        'lines.map(l, {"message": l.replace("2026-", "2025-")})',
    ),
    # the Global API key ends up in every event
    "audit-leak": (
        "audit",
        AUDIT,
        '{"message": r.encode_json()}',
        '{"message": r.encode_json(), "k": state.auth_key}',
    ),
    # the cursor jumps to "now" and ignores the pages not read yet
    "audit-skip": (
        "audit",
        AUDIT,
        '"page": page + 1, "newest"',
        '"page": 1, "since": now.format(time_layout.RFC3339Nano), "newest"',
    ),
}


def reference(data_stream: str, source: str | None = None, interval: str = "5m") -> Any:
    """A factory ``(url, stream_vars) -> StreamConfig`` for ``run_scenario(program=...)``."""
    program = source or (LOGPULL if data_stream == "logpull" else AUDIT)

    def factory(url: str, stream_vars: dict[str, Any]) -> StreamConfig:
        state = {"initial_interval": "1h" if data_stream == "logpull" else "24h", **stream_vars}
        return StreamConfig.from_mapping(
            {
                "interval": interval,
                "resource.url": url,
                "program": program,
                "state": state,
                "redact": {"fields": ["auth_key", "auth_token"]},
                "tags": ["forwarded"],
            }
        )

    return factory


def broken(name: str) -> tuple[str, Any]:
    data_stream, source, old, new = BROKEN[name]
    assert old in source, name
    return data_stream, reference(data_stream, source.replace(old, new))
