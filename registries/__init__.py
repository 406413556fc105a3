"""Member systems behind their gateways: civil registry, family book and ministry systems."""
