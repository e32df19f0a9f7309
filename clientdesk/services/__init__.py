"""Use cases. Each public method is one transaction and says what it changed; nothing here knows Qt."""
