"""Network processors: community_id, network_direction, uri_parts, registered_domain."""

from __future__ import annotations

from .base import Factory
from .network_community import CommunityId
from .network_direction import NetworkDirection
from .network_domain import RegisteredDomain
from .network_uri import UriPartsProcessor

FACTORIES: dict[str, Factory] = {
    "community_id": CommunityId,
    "network_direction": NetworkDirection,
    "uri_parts": UriPartsProcessor,
    "registered_domain": RegisteredDomain,
}
