"""Every component ID of the dashboard, one class per page; tests select elements with the same constants."""

import json


def dom_id(component_id: str | dict) -> str:
    """The id a component gets in the page: Dash writes a pattern-matching id as compact JSON with sorted keys
    (what a <label for=...> must name; passing the dict itself renders for="[object Object]")."""
    if isinstance(component_id, str):
        return component_id
    return json.dumps(component_id, sort_keys=True, separators=(",", ":"))


class Shell:
    ROOT = "shell-root"
    URL = "shell-url"
    DATA_VERSION = "shell-data-version"
    MEETING_BANNER = "shell-meeting-banner"
    POLL = "shell-poll"
    ACCOUNT = "shell-account"
    SIGN_IN = "shell-sign-in"
    REGION = "shell-region"
    YEAR = "shell-year"
    MEMBER_SEARCH = "shell-member-search"
    ERROR_TOAST = "shell-error-toast"
    PAGE_FILTERS = "shell-page-filters"  # a store each page renders with its parsed filters
    NOTICE = "shell-notice"
    QUOTED_NOTE = "shell-quoted-note"  # said once per page (not in English): the reports are quoted in English
    SYNTHETIC = "shell-synthetic"  # the banner of a synthetic (benchmark) store
    FILTER_WORDS = "shell-filter-words"
    ANNOUNCE = "shell-announce"  # a polite live region: "Copied to the clipboard", ...
    MAIN = "main"  # the skip link's target: a short, stable fragment (#main)
    REGION_LABEL = "shell-region-label"
    YEAR_LABEL = "shell-year-label"
    MEMBER_SEARCH_LABEL = "shell-member-search-label"
    YEAR_KIND = "shell-year-kind"  # which kind of year a page shows (reported / in progress) and its coverage

    LANGUAGES = "shell-languages"

    @staticmethod
    def nav_link(page: str) -> dict:
        return {"type": "shell-nav-link", "page": page}

    @staticmethod
    def lang_link(lang: str) -> dict:
        return {"type": "shell-lang-link", "lang": lang}


class Charts:
    """The export menu and anchor of each registered chart (dashboard.charts)."""

    @staticmethod
    def block(chart_id: str) -> str:
        return f"chart-{chart_id}"

    @staticmethod
    def menu(chart_id: str) -> dict:
        return {"type": "chart-menu", "chart": chart_id}

    # its name, description, "Show as table" button and table, and the filters its table is built for
    @staticmethod
    def name(chart_id: str) -> dict:
        return {"type": "chart-name", "chart": chart_id}

    @staticmethod
    def description(chart_id: str) -> dict:
        return {"type": "chart-description", "chart": chart_id}

    @staticmethod
    def table_toggle(chart_id: str) -> dict:
        return {"type": "chart-table-toggle", "chart": chart_id}

    @staticmethod
    def table_label(chart_id: str) -> dict:
        return {"type": "chart-table-label", "chart": chart_id}

    @staticmethod
    def table(chart_id: str) -> dict:
        return {"type": "chart-table", "chart": chart_id}

    @staticmethod
    def state(chart_id: str) -> dict:
        return {"type": "chart-state", "chart": chart_id}


class Embed:
    GRAPH = "embed-graph"


class Overview:
    KPIS = "overview-kpis"
    SUMMARY = "overview-summary"
    ACTIVE_CHART = "overview-active-chart"
    FEE_CHART = "overview-fee-chart"
    FUNDS_CHART = "overview-funds-chart"
    SINCE_MEETING = "overview-since-meeting"  # "Since the last Board meeting (…): …", linking to what changed

    @staticmethod
    def kpi_card(metric: str) -> dict:
        return {"type": "overview-kpi-card", "metric": metric}


class Map:
    COLOUR_BY = "map-colour-by"
    GRAPH = "map-graph"


class Engagement:
    SORT = "engagement-sort"
    MATRIX = "engagement-matrix"
    ACTIVATIONS = "engagement-activations"
    WEBSITE = "engagement-website"
    MATRIX_PRINT = "engagement-matrix-print"  # the member heatmaps as tables, for print only, drawn by the browser
    WEBSITE_PRINT = "engagement-website-print"
    MATRIX_PRINT_DATA = "engagement-matrix-print-data"  # what those tables hold (rows, cells, fills)
    WEBSITE_PRINT_DATA = "engagement-website-print-data"


class Gender:
    CHART = "gender-chart"
    BY_REGION = "gender-by-region"
    RECORDED = "gender-recorded"  # the events recorded in the dashboard, a series of its own
    TABLE = "gender-table"


class ActionPlan:
    GAUGES = "action-plan-gauges"
    STATUS_CHART = "action-plan-status-chart"
    GRID = "action-plan-grid"
    LINE_FILTER = "action-plan-line-filter"
    LINE_CHOOSER = "action-plan-line-chooser"
    MARKS = "action-plan-marks"
    FUTURE = "action-plan-future"


class Events:
    KINDS = "events-kinds"
    TIMELINE = "events-timeline"
    PER_MONTH = "events-per-month"
    GRID = "events-grid"
    COUNT = "events-count"


class Members:
    GRID = "members-grid"
    SEARCH = "members-search"


class Member:
    INDICATORS = "member-indicators"
    PROFILE = "member-profile"
    LOCATION = "member-location"
    LOCATION_BLOCK = "member-location-block"  # the map as one image with its name, description and table
    HISTORY = "member-history"
    ENGAGEMENT = "member-engagement"
    EVENTS = "member-events"


class Record:
    TABS = "record-tabs"
    UPLOAD = "record-upload"
    IMPORT_PREVIEW = "record-import-preview"
    IMPORT_FILE = "record-import-file"
    IMPORT_GRID = "record-import-grid"

    @staticmethod
    def field(form: str, name) -> dict:
        return {"type": "record-field", "form": form, "field": name}

    @staticmethod
    def feedback(form: str, name) -> dict:
        return {"type": "record-feedback", "form": form, "field": name}

    @staticmethod
    def group(form: str, name) -> dict:
        return {"type": "record-group", "form": form, "field": name}

    @staticmethod
    def label(form: str, name) -> dict:
        return {"type": "record-label", "form": form, "field": name}

    @staticmethod
    def submit(form: str) -> str:
        return f"record-{form}-submit"

    @staticmethod
    def result(form: str) -> str:
        return f"record-{form}-result"


class Meetings:
    """The Board meetings page (the list, and the Secretariat's form to record one)."""

    TABLE = "meetings-table"
    EMPTY = "meetings-empty"
    LIST = "meetings-list"
    SUBMIT = "meetings-submit"
    RESULT = "meetings-result"

    @staticmethod
    def field(name: str) -> dict:
        return {"type": "meetings-field", "field": name}

    @staticmethod
    def feedback(name: str) -> dict:
        return {"type": "meetings-feedback", "field": name}

    @staticmethod
    def group(name: str) -> dict:
        return {"type": "meetings-group", "field": name}

    @staticmethod
    def row(slug: str) -> str:
        return "meetings-row-" + slug


class MeetingChanges:
    """What changed since a Board meeting (/meetings/<slug>/changes)."""

    HEADING = "meeting-changes-heading"
    COMPARED = "meeting-changes-compared"
    OTHERS = "meeting-changes-others"
    KPIS = "meeting-changes-kpis"
    MEMBERS = "meeting-changes-members"
    RECORDED = "meeting-changes-recorded"
    FEES_HIDDEN = "meeting-changes-fees-hidden"
    DISCREPANCIES = "meeting-changes-discrepancies"
    UNKNOWN = "meeting-changes-unknown"

    @staticmethod
    def kpi(metric: str) -> str:
        return "meeting-changes-kpi-" + metric

    @staticmethod
    def members(part: str) -> str:
        return "meeting-changes-members-" + part


class Audit:
    GRID = "audit-grid"
    CHANGE = "audit-change"
    REVERT = "audit-revert"
    RESULT = "audit-result"


class MeetingPage:
    """One Board meeting's page (/meetings/<slug>) and its Board pack panel."""

    SLUG = "meeting-slug"
    AS_PRESENTED = "meeting-as-presented"
    CHANGES = "meeting-changes"
    PACK = "meeting-pack"
    PACK_FILES = "meeting-pack-files"
    PACK_PROGRESS = "meeting-pack-progress"
    PACK_MAKE = "meeting-pack-make"
    PACK_MESSAGE = "meeting-pack-message"
    PACK_POLL = "meeting-pack-poll"

    @staticmethod
    def pack_file(kind: str) -> str:
        return f"meeting-pack-file-{kind}"


class NotFound:
    MESSAGE = "not-found-message"


class Sources:
    DOCUMENTS = "sources-documents"
    RECONCILIATION = "sources-reconciliation"
    DISCREPANCIES = "sources-discrepancies"
    DATASETS = "sources-datasets"
    SCROLLED = "sources-scrolled"

    @staticmethod
    def discrepancy_anchor(code: str) -> str:
        """HTML id of a discrepancy's row (Dash IDs cannot contain '.')."""
        return "discrepancy-" + code.replace(".", "-").replace("_", "-").lower()


class Indicators:
    SUMMARY = "indicators-summary"
    TABLE = "indicators-table"
    CHOOSER = "indicators-chooser"
    DETAIL = "indicators-detail"
    COVERAGE = "indicators-coverage"
    EMPTY = "indicators-empty"
    IMPORT_LINK = "indicators-import-link"
    MAP = "indicators-map"
    RANKING = "indicators-ranking"
    DISTRIBUTION = "indicators-distribution"
    RESULTS = "indicators-results"

    @staticmethod
    def choice(code: str) -> dict:
        return {"type": "indicators-choice", "code": code}

    @staticmethod
    def result_card(code: str) -> dict:
        return {"type": "indicators-result-card", "code": code}


class IndicatorPage:
    DEFINITION = "indicator-page-definition"
    COVERAGE = "indicator-page-coverage"
    PRINTED = "indicator-page-printed"
    GRID = "indicator-page-grid"
    EMPTY = "indicator-page-empty"
    COLLECTED = "indicator-page-collected"
    HISTORY = "indicator-page-history"
    MAP = "indicator-page-map"
    RANKING = "indicator-page-ranking"
    DISTRIBUTION = "indicator-page-distribution"
