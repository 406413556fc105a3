"""Versioned XML Schemas: the contract of every record and service (shipped as package data)."""

from pathlib import Path

SCHEMA_DIR = Path(__file__).parent
