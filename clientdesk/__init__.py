"""ClientDesk: a desktop client manager for small businesses."""

__version__ = "0.1.0"
