"""Identity proofing at a centre: match a citizen against the civil registry, record evidence."""
