"""Building and starting a whole exchange from settings: central server, member gateways, their
keys, certificates and directory entries.

    members     who is in the exchange and what each publishes (``DEFAULT_MEMBERS``)
    keyfiles    each gateway's keys in the state dir and its certificates from the PKI
    provision   register members, CAs, TSA, services, grants and consent policies (idempotent)
    consentkeys ``load_consent_keys(settings)``: the consent service's signing key
    gateways    ``GatewayConfig`` of a member, built from settings and the state dir
    demo        ``start_demo_exchange``: every peer listener on loopback, client apps returned
    serve       ``serve_gateway``: one member's gateway as its own process
"""

from exchange.topology.consentkeys import load_consent_keys
from exchange.topology.demo import DemoExchange, start_demo_exchange
from exchange.topology.members import DEFAULT_MEMBERS, MemberSpec, Publication
from exchange.topology.provision import Topology, provision_exchange
from exchange.topology.serve import serve_gateway

__all__ = [
    "DEFAULT_MEMBERS",
    "DemoExchange",
    "MemberSpec",
    "Publication",
    "Topology",
    "load_consent_keys",
    "provision_exchange",
    "serve_gateway",
    "start_demo_exchange",
]
