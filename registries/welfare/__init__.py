"""Social welfare: child-allowance cases."""
