"""What an operation changed, so each open screen can decide whether it must refresh."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Changes:
    contacts: bool = False
    profile: bool = False
    contact_ids: frozenset[int] = field(default_factory=frozenset)
    everything: bool = False  # a restore or an import: every screen reloads
