"""The command line: the scriptable twin of the window. Never imports PySide6."""
