"""Connection settings: URL, credentials from environment variables or files, TLS, retries.

Secrets never come from the command line: ``--api-key`` and ``--password-env`` name environment
variables, ``--api-key-file`` and ``--password-file`` name files.
"""

from __future__ import annotations

import argparse
import base64
import os
import re
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .errors import UsageError
from .retry import RetryPolicy

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SHOWN_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]{0,63}$")


@dataclass(frozen=True, slots=True)
class Credentials:
    """An API key or a username and password; ``repr`` never shows them."""

    api_key: str | None = field(default=None, repr=False)
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    def headers(self) -> dict[str, str]:
        if self.api_key:
            return {"Authorization": f"ApiKey {self.api_key}"}
        if self.username is not None:
            token = base64.b64encode(f"{self.username}:{self.password or ''}".encode()).decode()
            return {"Authorization": f"Basic {token}"}
        return {}

    def secrets(self) -> tuple[str, ...]:
        """Every string that must never be printed (values and their encodings)."""
        out = [s for s in (self.api_key, self.password) if s]
        out.extend(h.split(" ", 1)[1] for h in self.headers().values())
        return tuple(out)


@dataclass(frozen=True, slots=True)
class Connection:
    """Where and how to connect: base URL, credentials, TLS, timeout and retry policy."""

    url: str
    credentials: Credentials = field(default_factory=Credentials)
    ca_cert: str | None = None
    insecure: bool = False
    timeout: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    def ssl_context(self) -> ssl.SSLContext | None:
        if not self.url.startswith("https:"):
            return None
        context = ssl.create_default_context(cafile=self.ca_cert)
        if self.insecure:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context

    def secrets(self) -> tuple[str, ...]:
        return self.credentials.secrets()


def check_url(url: str, what: str) -> str:
    """A base URL without credentials, path kept, trailing slash dropped."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{what} must be an http:// or https:// URL")
    if parts.username is not None or parts.password is not None:
        raise UsageError(
            f"{what} must not contain credentials; use --api-key ENV or --username with "
            "--password-env ENV"
        )
    return url.rstrip("/")


def _from_env(name: str, option: str) -> str:
    if not _ENV_NAME.match(name):
        raise UsageError(f"{option} takes the NAME of an environment variable, not a secret")
    value = os.environ.get(name)
    if not value:
        shown = f" {name}" if _SHOWN_ENV_NAME.match(name) else ""
        raise UsageError(f"environment variable{shown} (given by {option}) is not set or empty")
    return value


def _from_file(path: Path, option: str) -> str:
    try:
        value = path.read_text(encoding="utf-8").strip()
    except OSError as err:
        raise UsageError(f"{option}: cannot read {path}: {err.strerror}") from None
    if not value:
        raise UsageError(f"{option}: {path} is empty")
    return value


def credentials_from(args: argparse.Namespace) -> Credentials:
    """Credentials named by the auth options (see ``add_connection_arguments``)."""
    api_key_env = getattr(args, "api_key", None)
    api_key_file = getattr(args, "api_key_file", None)
    username = getattr(args, "username", None)
    password_env = getattr(args, "password_env", None)
    password_file = getattr(args, "password_file", None)
    if (api_key_env or api_key_file) and username is not None:
        raise UsageError("use either an API key or --username, not both")
    if api_key_env and api_key_file:
        raise UsageError("use either --api-key or --api-key-file, not both")
    if api_key_env:
        return Credentials(api_key=_from_env(api_key_env, "--api-key"))
    if api_key_file:
        return Credentials(api_key=_from_file(api_key_file, "--api-key-file"))
    if (password_env or password_file) and username is None:
        raise UsageError("--password-env/--password-file need --username")
    if username is not None:
        if password_env and password_file:
            raise UsageError("use either --password-env or --password-file, not both")
        if password_env:
            return Credentials(
                username=username, password=_from_env(password_env, "--password-env")
            )
        if password_file:
            return Credentials(
                username=username, password=_from_file(password_file, "--password-file")
            )
        raise UsageError("--username needs --password-env ENV or --password-file FILE")
    return Credentials()


def connection_from(args: argparse.Namespace, url: str, what: str) -> Connection:
    """The ``Connection`` described by the parsed options (URL checked, secrets loaded)."""
    if args.retries < 0 or args.retry_wait < 0 or args.timeout <= 0:
        raise UsageError("--timeout must be positive, --retries and --retry-wait not negative")
    return Connection(
        url=check_url(url, what),
        credentials=credentials_from(args),
        ca_cert=str(args.ca_cert) if args.ca_cert else None,
        insecure=args.insecure,
        timeout=args.timeout,
        retry=RetryPolicy(attempts=args.retries + 1, base_delay=args.retry_wait),
    )


def add_connection_arguments(parser: argparse.ArgumentParser) -> None:
    """Auth, TLS, timeout and retry options shared by every live command."""
    auth = parser.add_argument_group("credentials (never on the command line)")
    auth.add_argument("--api-key", metavar="ENV", help="environment variable holding an API key")
    auth.add_argument("--api-key-file", type=Path, metavar="FILE", help="file holding an API key")
    auth.add_argument("--username", metavar="USER", help="basic-auth user")
    auth.add_argument(
        "--password-env", metavar="ENV", help="environment variable holding the password"
    )
    auth.add_argument("--password-file", type=Path, metavar="FILE", help="file holding it")
    net = parser.add_argument_group("connection")
    net.add_argument("--ca-cert", type=Path, metavar="FILE", help="CA certificate (PEM)")
    net.add_argument("--insecure", action="store_true", help="do not verify TLS certificates")
    net.add_argument(
        "--timeout", type=float, default=30.0, metavar="S", help="per request (default 30)"
    )
    net.add_argument(
        "--retries", type=int, default=3, metavar="N", help="retries of failed requests (default 3)"
    )
    net.add_argument(
        "--retry-wait",
        type=float,
        default=0.5,
        metavar="S",
        help="first backoff delay, doubled each retry (default 0.5)",
    )
