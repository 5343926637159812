"""The catalogues are complete and follow the glossary: the test extracts the msgids from the code (as `make messages`
does) and compares them with the committed template and with every language's catalogue, so a string added to the
code without its translations, or a stale catalogue, fails here."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "dashboard" / "translations"
LANGUAGES = ("es", "fr")  # Metropolis' working languages besides English: each must have its catalogue
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")


def _keywords() -> list[str]:
    """The extraction keywords, read from the Makefile's `messages` target (one source of truth)."""
    line = next(li for li in (ROOT / "Makefile").read_text().splitlines() if li.startswith("EXTRACT_KEYWORDS"))
    return shlex.split(line.split(":=", 1)[1])


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The template extracted from the code now, in a temporary directory."""
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    # PYTHONPATH: babel.cfg names the seed files' extractor (seed/messages.py), as `make messages` runs it
    subprocess.run([str(pybabel), "-q", "extract", "-F", "babel.cfg", *_keywords(), "--no-location", "-o", str(out),
                    "."], cwd=ROOT, check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return read_po(out.open("rb"))


def _ids(catalog) -> set:
    return {m.id for m in catalog if m.id}


def _catalog(lang: str):
    path = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
    assert path.exists(), f"{path.relative_to(ROOT)} is missing: run `make messages` and translate it"
    return read_po(path.open("rb"), locale=lang)


def _placeholders(text: str) -> list[str]:
    return sorted(set(PLACEHOLDER.findall(text)))


def test_every_language_has_a_catalogue():
    found = sorted(p.parent.parent.name for p in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))
    assert found == sorted(LANGUAGES)


def test_the_template_is_up_to_date(extracted):
    committed = read_po((TRANSLATIONS / "messages.pot").open("rb"))
    missing, stale = _ids(extracted) - _ids(committed), _ids(committed) - _ids(extracted)
    assert not missing and not stale, (f"messages.pot is stale (run `make messages`): {len(missing)} msgids not in it "
                                       f"{sorted(map(str, missing))[:5]}, {len(stale)} no longer in the code "
                                       f"{sorted(map(str, stale))[:5]}")


def test_extraction_reaches_db_messages(extracted):
    """db/ messages (db.messages.Msg, N_) and the region names are extracted, so they are translated."""
    ids = _ids(extracted)
    assert "The end date is before the start date." in ids  # db/commands/records.py, Msg
    assert "Enter a whole number." in ids  # db/commands/records.py, N_ in a table
    assert "%(member)s is in %(region)s: not your region." in ids  # db/commands/imports.py, a row error
    assert {"Africa", "Asia-Pacific", "Europe", "Latin America and the Caribbean", "North America"} <= ids


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_is_complete(extracted, lang):
    """Every msgid of the code has a non-empty, non-fuzzy translation with the same placeholders and as many plural
    forms as the language has; no translation is left for a msgid the code no longer has."""
    catalog = _catalog(lang)
    problems = []
    for message in extracted:
        if not message.id:
            continue
        label = message.id[0] if isinstance(message.id, tuple) else message.id
        ours = catalog.get(message.id)
        if ours is None:
            problems.append(f"missing: {label!r}")
            continue
        if ours.fuzzy:
            problems.append(f"fuzzy: {label!r}")
        if isinstance(message.id, tuple):
            forms = ours.string if isinstance(ours.string, tuple) else (ours.string,)
            if len(forms) != catalog.num_plurals or catalog.num_plurals < 2:
                problems.append(f"{len(forms)} plural forms for {catalog.num_plurals}: {label!r}")
            wanted = _placeholders(message.id[1])
            for form in forms:
                if not form.strip():
                    problems.append(f"empty plural form: {label!r}")
                elif _placeholders(form) != wanted:
                    problems.append(f"placeholders {_placeholders(form)} instead of {wanted}: {label!r}")
        else:
            text = ours.string if isinstance(ours.string, str) else ""
            if not text.strip():
                problems.append(f"empty: {label!r}")
            elif _placeholders(text) != _placeholders(message.id):
                problems.append(f"placeholders {_placeholders(text)} instead of {_placeholders(message.id)}: "
                                f"{label!r}")
    obsolete = _ids(catalog) - _ids(extracted)
    problems += [f"no longer in the code: {m!r}" for m in sorted(map(str, obsolete))]
    assert not problems, f"{lang}: {len(problems)} problems (of {len(_ids(extracted))} msgids):\n" + "\n".join(
        problems[:40])


def _glossary() -> list[dict]:
    return tomllib.loads((TRANSLATIONS / "glossary.toml").read_text(encoding="utf-8"))["term"]


def test_glossary_names_the_five_regions_and_metropolis_terms():
    from db.reference import REGIONS

    terms = {t["en"] for t in _glossary()}
    assert set(REGIONS) <= terms
    assert {"World Metropolitan Day", "Secretariat General", "Board of Directors", "Annual meeting", "Congress",
            "member", "action plan"} <= terms
    for term in _glossary():
        assert term["fr"].strip() and term["es"].strip(), term


def _norm(text: str) -> str:
    return text.replace("'", "’").replace("<br>", " ").replace("\u00a0", " ").replace("\u202f", " ").casefold()


CODE = re.compile(r"\b[a-z_0-9]+(?:\.[a-z_0-9]+)+\b")  # a dotted code ('engagement.learning.members'): never translated


QUOTATION = re.compile(r"(?<!\w)'[^']+?'(?!\w)")  # a document's words quoted as printed: English in every language


def _bare(msgid: str) -> str:
    return QUOTATION.sub(" ", CODE.sub(" ", PLACEHOLDER.sub(" ", msgid).replace("<br>", " ")))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_follows_the_glossary(lang):
    """Wherever a glossary term appears in a msgid, each translation writes it as the glossary does."""
    catalog = _catalog(lang)
    problems = []
    for term in _glossary():
        found = re.compile(r"\b(?:" + term["en"] + r")(?:s|'s|’s)?\b", re.IGNORECASE)
        wanted = [_norm(term[lang])] + ([_norm(term[f"{lang}_plural"])] if f"{lang}_plural" in term else [])
        for message in catalog:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            if not message.id or not any(found.search(_bare(i)) for i in ids):
                continue
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            for form in forms:
                if form and not any(w in _norm(form) for w in wanted):
                    problems.append(f"{term['en']!r} -> {term[lang]!r} not in {form!r}")
    assert not problems, f"{lang}: {len(problems)} translations do not follow the glossary:\n" + "\n".join(
        problems[:40])


def test_compiled_catalogues_are_not_committed():
    tracked = subprocess.run(["git", "ls-files", "dashboard/translations"], cwd=ROOT, capture_output=True,
                             text=True).stdout.split()
    assert tracked, "git ls-files found nothing (not a checkout?)"
    assert not [p for p in tracked if p.endswith(".mo")]
