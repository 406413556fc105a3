"""The civil registry: persons, and birth, death and marriage records with their lifecycle."""
