"""What an operation changed, so each open screen can decide whether it must refresh."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Changes:
    contacts: bool = False
    profile: bool = False
    contact_ids: frozenset[int] = field(default_factory=frozenset)
    everything: bool = False  # a restore or an import: every screen reloads

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            contacts=self.contacts or other.contacts,
            profile=self.profile or other.profile,
            contact_ids=self.contact_ids | other.contact_ids,
            everything=self.everything or other.everything,
        )


NOTHING = Changes()
