"""Test infrastructure: a throwaway PostgreSQL server, free ports, subprocess helpers."""
