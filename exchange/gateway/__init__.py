"""The security gateway: one per member, between its member systems and the other gateways."""
