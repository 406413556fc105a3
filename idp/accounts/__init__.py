"""Accounts of the identity provider: citizens, centre officers, staff roles, passwords, lockout."""
