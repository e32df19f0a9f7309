"""Files as Google, Outlook, an iPhone, an Android phone and a vCard 4.0 writer make them."""

from __future__ import annotations

from clientdesk.domain.contacts import Address, Birthday, ContactKind
from clientdesk.interchange import ImportedContact, RejectedRecord, SourceFormat, open_source

from .common import DATA, imported, read


def test_google_current_csv():
    source = open_source(DATA / "google-new.csv")
    assert (source.format, source.encoding, source.delimiter) == (SourceFormat.GOOGLE, "utf-8", ",")
    assert source.headers[:3] == ["First Name", "Middle Name", "Last Name"]
    ada, northwind, bob, nobody, carol = source.records()

    assert ada.line == 2
    d = ada.draft
    assert (d.kind, d.given_name, d.family_name, d.display_name) == (ContactKind.PERSON, "Ada", "Lovelace",
                                                                     "Ada Lovelace")
    assert ada.organisation == "Analytical Engines Ltd"
    # " ::: " in one cell: two numbers with the same label.
    assert d.phones == (("mobile", "+44 20 7946 0958"), ("mobile", "07700 900123"), ("fax", "020 7946 0000"))
    assert d.emails == (("work", "ada@engines.example"), ("home", "ada.home@example.com"))
    assert d.addresses == (Address("12 Babbage Row", "London", "", "SW1A 1AA", "United Kingdom", "work"),)
    assert d.birthday == Birthday(10, 12, 1985)
    assert d.tags == ("Clients", "starred")  # the system group "* myContacts" is not a tag
    assert d.notes == "Met at the conference.\nPrefers email."
    assert d.organisation_id is None and ada.warnings == ()

    # Ada's quoted cells span lines 2–5, so the next record starts on line 6.
    assert northwind.line == 6
    assert northwind.draft.kind is ContactKind.ORGANISATION
    assert northwind.draft.display_name == "Northwind Traders" and northwind.organisation == ""
    assert northwind.draft.phones == (("main", "+1 206 555 0100"),)
    assert northwind.draft.tags == ("Suppliers",)

    assert bob.line == 7
    assert bob.draft.display_name == "Bobby O'Neil"  # from File As
    assert bob.draft.birthday == Birthday(12, 4)
    assert bob.draft.phones == (("Boat", "07700 900456"),)  # a custom label kept as written

    assert nobody == RejectedRecord(8, "The record has no name.", nobody.text)
    assert "nobody@example.com" in nobody.text

    assert carol.line == 9
    assert carol.draft.birthday is None
    assert carol.draft.notes == "Pilot\n\nBirthday (as imported): sometime in May"
    assert len(carol.warnings) == 1 and "sometime in May" in carol.warnings[0]


def test_google_old_csv_with_group_membership_and_multi_values():
    source = open_source(DATA / "google-old.csv")
    assert source.format is SourceFormat.GOOGLE
    grace, linus = source.records()
    d = grace.draft
    assert grace.line == 2
    assert (d.given_name, d.family_name, d.display_name) == ("Grace Brewster", "Hopper", "Grace Hopper")
    assert grace.organisation == "US Navy"
    assert d.phones == (("mobile", "+1 202 555 0143"), ("mobile", "+1 202 555 0199"), ("work", "(202) 555-0100"))
    assert d.emails == (("work", "grace@navy.example"), ("work", "g.hopper@example.org"))
    assert d.addresses == (Address("1 Navy Way", "Arlington", "VA", "22202", "USA", "home"),)
    assert d.birthday == Birthday(9, 12, 1986)
    assert d.tags == ("Navy", "Starred")
    assert d.notes == "Rear admiral"
    assert linus.line == 5  # Grace's formatted address spans lines 2–4
    assert (linus.draft.display_name, linus.draft.tags) == ("Linus", ())


def test_outlook_csv_in_windows_1252_with_crlf():
    raw = (DATA / "outlook.csv").read_bytes()
    assert b"\r\n" in raw and "£".encode("cp1252") in raw  # the fixture is what Outlook writes
    source = open_source(DATA / "outlook.csv")
    assert (source.format, source.encoding) == (SourceFormat.OUTLOOK, "cp1252")
    jose, renee = source.records()
    d = jose.draft
    assert (d.given_name, d.family_name) == ("José", "Núñez")
    assert jose.organisation == "Café Crème Ltd"
    assert d.phones == (("mobile", "07700 900789"), ("work", "020 7946 0123"), ("fax", "020 7946 0999"))
    assert d.emails == (("other", "jose@cafe.example"), ("other", "jose.nunez@example.com"))
    assert d.addresses == (Address("1 Rue de la Paix", "Paris", "", "75002", "France", "work"),)
    assert d.birthday is None and jose.warnings == ()  # Outlook's 0/0/00 means none
    assert d.notes == "Owes £12.50\nPays in €, always late"
    assert d.tags == ("Clients", "VIP")

    assert renee.line == 4  # José's notes take two lines
    r = renee.draft
    assert (r.given_name, r.family_name) == ("Renée", "Müller")
    assert r.phones == (("main", "01632 960000"), ("home", "01632 960123"))
    assert r.addresses == (Address("5 Rose Lane", "Bath", "Somerset", "BA1 1AA", "United Kingdom", "home"),)
    assert r.birthday == Birthday(4, 12, 1980)  # day first
    assert read(DATA / "outlook.csv", day_first=False)[1].draft.birthday == Birthday(12, 4, 1980)


def test_iphone_vcard():
    source = open_source(DATA / "iphone.vcf")
    assert (source.format, source.delimiter, source.headers) == (SourceFormat.VCARD, None, [])
    johnny, orchard, jane = source.records()
    d = johnny.draft
    assert johnny.line == 1
    assert (d.given_name, d.family_name, d.display_name) == ("Johnny", "Appleseed", "Johnny Appleseed")
    assert johnny.organisation == "Apple Inc."
    assert d.phones == (("mobile", "+1 (408) 555-0101"), ("mobile", "(408) 555-0102"), ("Orchard", "+1 408 555 0103"))
    assert d.emails == (("home", "johnny@example.com"),)
    assert d.addresses == (Address("1 Infinite Loop", "Cupertino", "CA", "95014", "United States", "home"),)
    assert d.birthday == Birthday(11, 3)  # 1604 with X-APPLE-OMIT-YEAR: the year is not known
    assert d.tags == ("Farmers", "Friends")
    assert d.notes == "Plant trees.\nMany of them, everywhere."

    # The PHOTO's folded base64 block is skipped; the line numbers still count it.
    assert orchard.line == 57
    assert orchard.draft.kind is ContactKind.ORGANISATION  # X-ABShowAs:COMPANY
    assert orchard.draft.display_name == "Orchard Supplies Ltd" and orchard.organisation == ""
    assert orchard.draft.phones == (("main", "020 7946 0555"), ("fax", "020 7946 0556"))  # Apple's _$!<Main>!$_

    assert jane.line == 68
    assert (jane.draft.given_name, jane.draft.family_name, jane.draft.display_name) == ("Jane Q", "Smith",
                                                                                     "Dr. Jane Q Smith")
    assert jane.draft.emails == (("other", "jane@smith.example"),)
    assert jane.draft.birthday == Birthday(30, 8, 1979)


def test_android_vcard_21_quoted_printable():
    first, anna, bakery = read(DATA / "android-21.vcf")
    d = first.draft
    # N is split by a soft line break inside "Jürgen"; both are decoded from UTF-8.
    assert (d.given_name, d.family_name, d.display_name) == ("Jürgen", "Müller", "Jürgen Müller")
    assert d.phones == (("mobile", "+49 170 1234567"), ("home", "+49 30 1234567"), ("fax", "+49 30 7654321"))
    assert d.emails == (("home", "juergen@example.de"),)
    assert d.notes == "Erste Zeile\nZweite Zeile: Straße und Äpfel, eine lange Notiz."
    assert anna.line == 17
    assert anna.draft.phones == (("work", "030 9876543"), ("mobile", "0171 5550000"), ("other", "030 1111111"))
    assert anna.organisation == "Schmidt GmbH"
    assert anna.draft.birthday == Birthday(4, 7, 1985)  # 2.1's basic form, 19850704
    assert bakery.line == 27
    assert bakery.draft.kind is ContactKind.ORGANISATION  # no person's name, only the organisation's
    assert bakery.draft.display_name == "Bäckerei Krause"


def test_vcard_40_kind_org_and_birthday_without_year():
    org, simon = read(DATA / "v4.vcf")
    assert org.draft.kind is ContactKind.ORGANISATION
    assert org.draft.display_name == "ABC Marketing"
    assert org.draft.phones == (("work", "+1-555-555-5555"),)  # the tel: URI's number
    assert org.draft.emails == (("work", "info@abc.example"),)
    assert org.draft.addresses == (Address("100 Waters Edge", "Baytown", "LA", "30314", "United States of America",
                                           "work"),)
    assert simon.line == 10
    assert simon.draft.kind is ContactKind.PERSON
    assert simon.draft.birthday == Birthday(12, 4)
    assert simon.draft.phones == (("mobile", "+1-418-262-6501"), ("home", "+1-418-656-9254"))
    assert simon.draft.tags == ("Clients", "Québec")


def test_every_fixture_reads_without_a_reject_but_the_ones_meant():
    for name in ("google-old.csv", "outlook.csv", "iphone.vcf", "android-21.vcf", "v4.vcf"):
        records = read(DATA / name)
        assert all(isinstance(r, ImportedContact) for r in records), name
        assert len(imported(records)) >= 2


def test_vcard_preview_shows_name_organisation_phone_and_email():
    assert open_source(DATA / "iphone.vcf").preview(2) == [
        ["Johnny Appleseed", "Apple Inc.", "+1 (408) 555-0101", "johnny@example.com"],
        ["Orchard Supplies Ltd", "", "020 7946 0555", ""],
    ]


def test_csv_preview_shows_the_first_data_rows():
    preview = open_source(DATA / "outlook.csv").preview(1)
    assert len(preview) == 1
    assert preview[0][:3] == ["José", "", "Núñez"]
