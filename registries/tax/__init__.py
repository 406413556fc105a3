"""The tax administration: taxpayers, persons and enterprises."""
