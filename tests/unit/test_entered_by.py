"""Who entered a record and when is read out in the page's language, from the section the store writes for it
('by <who> on <YYYY-MM-DD>', db.commands.base), instead of showing the store's English."""

from flask import Flask

from dashboard import years


def _in(lang: str, section: str) -> str:
    app = Flask(__name__)
    with app.test_request_context(f"/?lang={lang}"):
        return years.entered_by(section)


def test_entered_by_in_each_language():
    section = "by Ana Pérez (Secretariat) on 2026-12-01"
    assert _in("en", section) == "by Ana Pérez (Secretariat) on 1 Dec 2026"
    assert _in("fr", section) == "par Ana Pérez (Secretariat) le 1 déc. 2026"
    assert _in("es", section) == "por Ana Pérez (Secretariat) el 1 dic 2026"


def test_a_section_of_another_form_gives_nothing_rather_than_english():
    assert _in("fr", "Progress: Activated members") == ""
