"""The one-question service rating a citizen gives after a completed application."""
