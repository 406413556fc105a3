"""X-Road vocabulary: typed identifiers, error classes and the REST protocol's header names."""
