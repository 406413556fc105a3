"""The family book: households, their members and relationships."""
