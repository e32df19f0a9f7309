from __future__ import annotations

from clientdesk.gui.row_blocks import RowBlocks


def test_rows_are_read_a_block_at_a_time_and_old_blocks_are_forgotten():
    reads: list[tuple[int, int]] = []

    def read(offset: int, limit: int) -> list[int]:
        reads.append((offset, limit))
        return list(range(offset, min(offset + limit, 1000)))

    blocks = RowBlocks(read, block_size=10, kept=2)
    blocks.reset(list(range(10)))
    assert blocks.row(3) == 3 and reads == []           # the first block came with the count
    assert blocks.row(25) == 25 and reads == [(20, 10)]
    assert blocks.row(29) == 29 and len(reads) == 1     # same block
    assert blocks.cached_block_of(21)[0] == 20
    blocks.row(55)                                      # a third block: the least recently used goes
    assert blocks.cached_block_of(5) == []
    assert blocks.row(1) == 1 and reads[-1] == (0, 10)


def test_a_block_cut_short_since_the_count_gives_blank_rows():
    blocks = RowBlocks(lambda offset, limit: [offset], block_size=10)
    assert blocks.row(10) == 10
    assert blocks.row(11) is None
