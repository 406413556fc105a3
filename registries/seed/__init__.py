"""A deterministic synthetic population of Lao PDR for the demo, tests and benchmarks."""
