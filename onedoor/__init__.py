"""OneDoor core: settings, database, errors, logging and the command line shared by components."""

__version__ = "0.1.0"
