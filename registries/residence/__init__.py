"""The residence registry: where each person lives, with history."""
