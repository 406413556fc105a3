"""The operator's view: applications and ratings per centre, exchange traffic per member."""
