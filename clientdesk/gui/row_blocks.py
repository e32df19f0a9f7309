"""Rows of a long list read by position, a block at a time, keeping the most recently used blocks: a
model's memory stays flat however far the user scrolls (the contact list, a timeline)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

Row = TypeVar("Row")
BLOCK = 128
CACHED_BLOCKS = 16


class RowBlocks(Generic[Row]):
    def __init__(self, read: Callable[[int, int], list[Row]], block_size: int = BLOCK, kept: int = CACHED_BLOCKS):
        """`read(offset, limit)` returns the rows from `offset`: fewer when the list got shorter since it
        was counted."""
        self._read = read
        self.block_size = block_size
        self._kept = kept
        self._blocks: OrderedDict[int, list[Row]] = OrderedDict()

    def reset(self, first_block: list[Row] | None = None) -> None:
        """Forget every block; `first_block`, read together with the count, is kept as block 0."""
        self._blocks.clear()
        if first_block is not None:
            self._blocks[0] = list(first_block)

    def row(self, row: int) -> Row | None:
        """Row `row` (0 ≤ row < the model's count), reading its block if needed; None for a row that
        vanished since the count."""
        number, offset = divmod(row, self.block_size)
        block = self._blocks.get(number)
        if block is None:
            block = self._blocks[number] = self._read(number * self.block_size, self.block_size)
            while len(self._blocks) > self._kept:
                self._blocks.popitem(last=False)
        else:
            self._blocks.move_to_end(number)
        return block[offset] if offset < len(block) else None

    def cached_block_of(self, row: int) -> list[Row]:
        """The rows read with `row` (none when its block is not held): neighbours worth one query together."""
        return self._blocks.get(row // self.block_size, [])
