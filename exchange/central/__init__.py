"""Central server: member directory, trust anchors, service catalogue, global configuration."""
