"""Data exchange (X-Road model): central server, security gateways, consent, transparency log."""
