"""Big files: read as a stream in constant memory, with a progress figure that only grows."""

from __future__ import annotations

import base64
import tracemalloc

from clientdesk.interchange import ImportedContact, open_source


def test_a_100000_row_csv_is_read_in_a_few_megabytes(tmp_path):
    path = tmp_path / "big.csv"
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("First Name,Last Name,Email,Phone,Company,Notes,Tags\r\n")
        for n in range(100_000):
            out.write(f'Given{n},Family{n},user{n}@example.com,+44 7700 9{n % 100000:05d},Company {n % 300},'
                      f'"Notes for {n}, with a comma",client;vip\r\n')
    source = open_source(path)
    count = 0
    last = -1
    tracemalloc.start()
    try:
        for n, record in enumerate(source.records()):
            assert isinstance(record, ImportedContact)
            count += 1
            if n % 10_000 == 0:
                now = source.bytes_read()
                assert last <= now <= source.size
                last = now
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 100_000
    assert source.size > 8_000_000 and peak < 20_000_000, peak
    assert source.bytes_read() == source.size


def test_big_photos_in_a_vcard_file_never_pile_up(tmp_path):
    path = tmp_path / "photos.vcf"
    photo = base64.b64encode(bytes(range(256)) * 60).decode()  # 20 KB a card
    folded = "\r\n ".join(photo[i:i + 74] for i in range(0, len(photo), 74))
    with open(path, "w", encoding="utf-8", newline="") as out:
        for n in range(1_500):
            out.write(f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Family{n};Given{n};;;\r\nFN:Given{n} Family{n}\r\n"
                      f"PHOTO;ENCODING=b;TYPE=JPEG:{folded}\r\nTEL;TYPE=CELL:0770090{n:04d}\r\nEND:VCARD\r\n")
    source = open_source(path)
    tracemalloc.start()
    try:
        count = sum(1 for record in source.records() if isinstance(record, ImportedContact))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 1_500
    assert source.size > 30_000_000 and peak < 20_000_000, peak


def test_bytes_read_starts_at_nothing_and_ends_at_the_size(tmp_path):
    path = tmp_path / "small.csv"
    path.write_text("Name\nAnn\nBen\n")
    source = open_source(path)
    assert source.bytes_read() == 0
    records = source.records()
    next(records)
    assert 0 < source.bytes_read() <= source.size
    list(records)
    assert source.bytes_read() == source.size
    source.preview()  # a preview does not move the progress figure
    assert source.bytes_read() == source.size
