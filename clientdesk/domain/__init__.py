"""Pure business rules and value types. Imports nothing from the other layers, nor Qt or SQL."""
