"""Health: immunisation schedules."""
