"""What an operation changed, so each open screen can decide whether it must refresh."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Changes:
    contacts: bool = False
    profile: bool = False
    contact_ids: frozenset[int] = field(default_factory=frozenset)
    everything: bool = False  # a restore or an import: every screen reloads
    purchases: bool = False  # purchases, agreements or out-of-scope requests: the figures are stale
    stages: bool = False  # life-cycle stages moved (a new day, a new lapse): the list's Stage column is stale
    reminders: bool = False  # reminders, cadences or an agenda item's handling: the Today page and its count are stale
