"""Figure builders are pure: their texts and numbers come from the translator they are handed (`tr`), never from
the request being answered, and dashboard/figures imports neither Flask, Dash nor the store."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import plotly.io as pio
import pytest
from babel.support import NullTranslations
from flask import Flask

from dashboard import i18n, translation
from dashboard.figures import action_plan, engagement, events, gender, indicators, overview, style
from dashboard.figures import map as f_map
from dashboard.translation import Translator, translator
from tests.unit import test_figures as data
from tests.unit import test_indicator_figures as idata

ROOT = Path(__file__).resolve().parents[2]


class Marked(NullTranslations):
    """A stand-in catalogue that marks every text it translates, so a translated string shows in the output."""

    def gettext(self, message):
        return f"[fr]{message}"

    def ngettext(self, singular, plural, n):
        return f"[fr]{singular if n == 1 else plural}"


@pytest.fixture
def marked_fr(monkeypatch):
    """'fr' offered, with a catalogue that marks every text: `?lang=fr` then changes what `_` gives."""
    real = translation._translations
    monkeypatch.setattr(translation, "_translations", lambda locale: Marked() if locale == "fr" else real(locale))
    monkeypatch.setattr(translation, "available_locales", lambda: ("en", "fr"))
    monkeypatch.setattr(i18n, "available_locales", lambda: ("en", "fr"))


def _builds(tr: Translator) -> dict[str, object]:
    """Every figure builder (and text-making helper) of dashboard/figures, on the unit tests' frames."""
    common = {**idata.COMMON}
    result_rows = idata.results([("2.1. Action Line 1", "communication.videos", "count", 14, "14 new videos", "",
                                  (10, "10", ""))])
    funds = pd.DataFrame({"basis": ["cash", "cash"], "total": [936463.0] * 2, "total_printed": ["936,463 €"] * 2,
                          "fund_source": ["membership_fees", "partnerships_members"], "share_pct": [52.0, 46.0]})
    matrix = engagement.member_matrix_figure(data.ENG, columns=engagement.ENGAGEMENT_MATRIX, sort_by="region",
                                             title="t", subtitle="s", source="x", tr=tr, max_rows=2)
    additions = pd.DataFrame({"member": [data.ENG["member"].iloc[0]], "slug": [data.ENG["slug"].iloc[0]],
                              "dimension": ["learning_activities"], "added": [1]})
    return {
        "share": overview.share_by_region_figure(data.BY_REGION, measure="fee_paid", title="t", subtitle="s",
                                                 source="x", unknown=None, tr=tr),
        "funds": overview.funds_figure(funds, labels={"cash": "Funds", "membership_fees": "Fees",
                                                      "partnerships_members": "Members"},
                                       title="t", subtitle="s", source="x", tr=tr),
        "map-region": f_map.member_map_figure(data.MAP, year=2020, colour_by="region", zoom_to_data=False, title="t",
                                            subtitle="s", source="x", tr=tr),
        "map-engagement": f_map.member_map_figure(data.MAP, year=2020, colour_by="engagement", zoom_to_data=True,
                                                title="t", subtitle="s", source="x", tr=tr, show_fees=False,
                                                dimensions=10),
        "matrix": engagement.mark_recorded_additions(matrix, additions, columns=engagement.ENGAGEMENT_MATRIX,
                                                     legend="l", hover={}, tr=tr),
        "website": engagement.member_matrix_figure(
            data.ENG.assign(news=1, library_publications=0, publication_mentions=2, use_cases=0, c4gh_initiatives=1),
            columns=engagement.WEBSITE_MATRIX, sort_by="total", title="t", subtitle="s", source="x", tr=tr),
        "activations": engagement.activations_heatmap_figure(
            pd.DataFrame({"region": ["Africa"], "month": [3], "activations": [4], "members": [2]}),
            regions=["Africa", "Europe"], title="t", subtitle="s", source="x", tr=tr),
        "gender": gender.gender_parity_figure(data.GENDER, title="t", subtitle="s", source="x", tr=tr),
        "gender-empty": gender.gender_parity_figure(pd.DataFrame(columns=["women_pct"]), title="t", subtitle="s",
                                                    source="x", tr=tr),
        "gauges": action_plan.completion_gauges_figure(data.COMPLETION, title="t", subtitle="s", source="x", tr=tr),
        "status": action_plan.status_by_line_figure(data.COMPLETION, title="t", subtitle="s", source="x", tr=tr),
        "timeline": events.events_timeline_figure(data.EVENTS, year=2020, title="t", subtitle="s", source="x", tr=tr),
        "per-month": events.events_per_month_figure(data.EVENTS, title="t", subtitle="s", source="x", tr=tr),
        "indicator-map": indicators.indicator_map_figure(idata.ROWS, network_text="n", zoom_to_data=False, tr=tr,
                                                         **common),
        "indicator-ranking": indicators.indicator_ranking_figure(idata.ROWS, network_label="n", tr=tr, **common),
        "indicator-distribution": indicators.indicator_distribution_figure(idata.ROWS, network_label="n", tr=tr,
                                                                           **common),
        "indicator-empty": indicators.indicator_map_figure(idata.values([]), network_text="", zoom_to_data=False,
                                                           tr=tr, **common),
        "source": style.with_source(style.empty_figure("m"), "x", note="n", tr=tr),
        "value": indicators.format_value(2642.5, "inhabitants_per_km2", "almost", tr=tr),
        "cards": indicators.result_cards(result_rows, line_titles={"L1": "Urban diplomacy"}, tr=tr),
    }


def _as_json(built: dict[str, object]) -> dict[str, str]:
    return {k: pio.to_json(v) if hasattr(v, "to_plotly_json") else json.dumps(v, sort_keys=True, default=str)
            for k, v in built.items()}


def test_a_figure_depends_on_its_translator_not_on_the_request(marked_fr):
    english = translator("en")
    outside = _as_json(_builds(english))
    with Flask(__name__).test_request_context("/?lang=fr"):
        assert i18n.current_locale() == "fr" and i18n._("parity") == "[fr]parity"  # the request asks for French
        inside = _as_json(_builds(english))
        french_in_request = _as_json(_builds(i18n.current_translator()))
    assert inside == outside  # the same translator draws the same figure, whoever is asking
    assert "[fr]" not in "".join(outside.values())
    # and the translator is what decides: every builder's texts come from it
    french = _as_json(_builds(translator("fr")))
    assert french == french_in_request
    untranslated = [k for k in outside if "[fr]" not in french[k]]
    assert not untranslated, f"these builders ignore their translator: {untranslated}"


def test_the_label_constants_are_msgids_that_the_figure_translates(marked_fr):
    tr = translator("fr")
    fig = events.events_per_month_figure(data.EVENTS, title="t", subtitle="s", source="x", tr=tr)
    assert {t["name"] for t in fig["data"] if t.get("name")} <= {f"[fr]{v}" for v in events.KIND_LABELS.values()}
    assert all(isinstance(v, str) for v in [*events.KIND_LABELS.values(), *events.ROLE_LABELS.values(),
                                             *action_plan.STATUS_LABELS.values()])
    assert all(isinstance(c.label, str) for c in engagement.ENGAGEMENT_MATRIX + engagement.WEBSITE_MATRIX)


def test_figures_import_neither_flask_dash_nor_the_store():
    """Importing every figure module (in a fresh interpreter) loads no Flask, Dash, db or request-bound i18n."""
    modules = sorted(p.stem for p in (ROOT / "dashboard" / "figures").glob("*.py") if p.stem != "__init__")
    code = ("import sys\n" + "".join(f"import dashboard.figures.{m}\n" for m in modules)
            + "print('\\n'.join(sorted(sys.modules)))")
    loaded = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    names = set(loaded.stdout.split())
    forbidden = sorted(n for n in names if n.split(".")[0] in {"flask", "dash", "db", "werkzeug", "sqlalchemy"}
                       or n == "dashboard.i18n")
    assert modules and not forbidden, forbidden
