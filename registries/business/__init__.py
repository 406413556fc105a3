"""The business registry of the Ministry of Industry and Commerce."""
