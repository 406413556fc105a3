"""Access rights: denied by default; the provider grants a service to members, subsystems or
global groups, for one HTTP method or ``*``, under a REST path prefix."""

from __future__ import annotations

from exchange.central.globalconf import AccessRight, GlobalConfiguration, ServiceEntry
from exchange.xroad.errors import AccessDeniedError, InvalidXRoadRequestError
from exchange.xroad.identifiers import ClientId, ServiceId


def normalize_path(path: str) -> str:
    """The service path the member system sees; refuses dot segments and backslashes."""
    if not path:
        return "/"
    if not path.startswith("/"):
        path = "/" + path
    segments = path.split("/")
    if any(s in (".", "..") for s in segments) or "\\" in path or "\x00" in path:
        raise InvalidXRoadRequestError("service path must not contain dot segments")
    return path


def path_under(path: str, prefix: str) -> bool:
    """``/persons`` covers ``/persons`` and ``/persons/1`` but not ``/personsX``."""
    if prefix in ("", "/"):
        return True
    prefix = prefix.rstrip("/")
    return path == prefix or path.startswith(prefix + "/") or path.startswith(prefix + "?")


def subjects_for(configuration: GlobalConfiguration, client: ClientId) -> frozenset[str]:
    """Every grant subject that covers ``client``: itself, its member, its groups."""
    return frozenset({str(client), str(client.member)}) | configuration.groups_of(client)


def right_allows(right: AccessRight, *, method: str, path: str) -> bool:
    return right.method in ("*", method.upper()) and path_under(path, right.path_prefix)


def check_access(
    configuration: GlobalConfiguration,
    *,
    client: ClientId,
    service: ServiceId,
    method: str,
    path: str,
) -> None:
    """Raise AccessDeniedError unless a grant covers this client, method and path."""
    entry = configuration.service(service)
    subjects = subjects_for(configuration, client)
    if not any(
        right.subject in subjects and right_allows(right, method=method, path=path)
        for right in entry.access
    ):
        raise AccessDeniedError(f"{client} is not allowed to call {service}")


def allowed_services(
    configuration: GlobalConfiguration, *, client: ClientId, provider: ClientId
) -> list[ServiceEntry]:
    """Services of ``provider`` that ``client`` holds at least one grant for."""
    subjects = subjects_for(configuration, client)
    return [
        entry
        for entry in configuration.services_of(provider)
        if any(right.subject in subjects for right in entry.access)
    ]
