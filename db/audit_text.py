"""The audit log's summaries: what the commands write (English text, as stored since the first entry) and the
way back from a stored summary to its msgid and parameters, so that the interface shows it in the reader's
language (dashboard.audit_text).

The stored text is never changed (old entries included): a summary is a `Msg` of one of the templates below, and
`summary_message` reads any stored summary back into that `Msg` (nested for a revert, two parts for a refusal);
a text no template matches (written before a template existed, or by hand) is returned as it is.
"""

from __future__ import annotations

import functools
import re

from db.messages import N_, Msg

# What the commands write, one template per kind of change. The placeholders' names say what a value is, which the
# interface needs to show it: `member`, `name`, `title`, `alias`, `printed` and `indicator` as written (names and
# document text), `date` an ISO day, `month` a month ('July 2020'), `fields` store columns (', '), `status` an
# action-plan status code, `code` and `year` as they are, `change` another summary (a revert).
EVENT_RECORDED = N_("Event '%(title)s' (%(date)s)")
MEMBER_ACTIVATED = N_("%(member)s activated by '%(title)s'")
MEMBER_ACTIVATED_IMPORT = N_("%(member)s activated by '%(title)s' (import)")
DELIVERABLE_SERVED = N_("'%(title)s' served %(code)s")
FEE_PAID = N_("%(member)s: %(year)s fee paid")
FEE_NOT_PAID = N_("%(member)s: %(year)s fee not paid")
BILATERAL_MEETING = N_("Bilateral meeting with %(member)s, %(month)s")
PLAN_STATUS = N_("%(code)s %(year)s: %(status)s")
MEMBER_EDITED = N_("%(member)s: %(fields)s")
GOVERNED_BY_WOMAN = N_("%(member)s governed by a woman on %(date)s: yes")
NOT_GOVERNED_BY_WOMAN = N_("%(member)s governed by a woman on %(date)s: no")
ALIAS_ADDED = N_("%(member)s also written '%(alias)s'")
INDICATOR_IMPORTED = N_("%(member)s: %(indicator)s %(year)s = %(printed)s (import)")
BOARD_MEETING_RECORDED = N_("Board meeting recorded: %(name)s (%(date)s)")
REVERTED = N_("Reverted: %(change)s")

# Most specific first (a revert holds any other summary): a text that two templates match is read with the first ('X: 2020 fee paid' is a fee, not
# a member's edited fields; '... (import)' is an import).
SUMMARIES = (REVERTED, EVENT_RECORDED, MEMBER_ACTIVATED_IMPORT, MEMBER_ACTIVATED, DELIVERABLE_SERVED, FEE_PAID, FEE_NOT_PAID,
             BILATERAL_MEETING, GOVERNED_BY_WOMAN, NOT_GOVERNED_BY_WOMAN, ALIAS_ADDED, INDICATOR_IMPORTED,
             BOARD_MEETING_RECORDED, PLAN_STATUS, MEMBER_EDITED)

# A refused write is logged as '<what was tried>: <why it was refused>' (db.commands.base.log_refusal): the
# attempts the interface names (run_command's `what`) and the refusals' messages (db.commands.base).
REFUSED = N_("%(attempt)s: %(reason)s")
ATTEMPTS = (N_("record an event"), N_("record a fee payment"), N_("record a fee payment of %(member)s"),
            N_("record a bilateral meeting"), N_("record a bilateral meeting with %(member)s"),
            N_("set an action-plan status"), N_("edit member %(member)s"), N_("record a Board meeting"),
            N_("revert change %(code)s"), N_("import %(kind)s"), N_("preview an import of %(kind)s"),
            N_("make the Board pack of %(name)s"))
REASONS = (N_("Sign in to record data."), N_("Your role can read the dashboard but not record data."),
           N_("Only the Secretariat can %(what)s."),
           N_("As regional secretary for %(region)s, you cannot %(what)s for the whole network."),
           N_("As regional secretary for %(region)s, you cannot %(what)s for %(where)s."),
           N_("Sign in to make a Board pack."))
ACTIONS_REFUSED = (N_("record an event"), N_("record %(member)s's attendance"), N_("record %(member)s's fee"),
                   N_("record a meeting with %(member)s"), N_("set the status of the action plan"),
                   N_("edit %(member)s"), N_("revert a change"), N_("record a Board meeting"),
                   N_("make a Board pack"))
REGIONS_NAMED = ("region", "where")  # a refusal's parameters that name a region (translated where shown)

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# What a value of each kind looks like (any other: the shortest text that lets the rest match), so that a member's
# name with a space in it is not read as an action-plan code and a year
_VALUES = {"year": r"\d{4}", "date": r"\d{4}-\d{2}-\d{2}", "status": r"[a-z_]+", "code": r"[^\s:]+",
           "fields": r"[a-z_0-9]+(?:, [a-z_0-9]+)*", "month": r"[^\W\d_]+ \d{4}"}


@functools.cache
def _pattern(msgid: str) -> re.Pattern:
    """`msgid` as an anchored pattern: each %(name)s a named group (the shortest that lets the rest match)."""
    parts = _PLACEHOLDER.split(msgid)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>{_VALUES.get(p, '.+?')})" for i, p in enumerate(parts)) + r"\Z",
                      re.DOTALL)


def _match(text: str, msgids) -> Msg | None:
    for msgid in msgids:
        found = _pattern(msgid).match(text)
        if found:
            return Msg(msgid, **found.groupdict())
    return None


def summary_message(text: str, *, action: str | None = None) -> str:
    """The stored summary `text` as the Msg a command wrote (its msgid and parameters; a revert's summary holds
    the reverted one's, a refusal's the attempt and the reason, each a Msg), or `text` itself if no template reads
    it. The Msg's English is `text`, exactly."""
    if not isinstance(text, str) or not text:
        return text
    if action == "refused":
        for at in [i for i, c in enumerate(text) if text.startswith(": ", i)]:
            attempt, reason = _match(text[:at], ATTEMPTS), _reason(text[at + 2:])
            if attempt is not None and reason is not None:
                return Msg(REFUSED, attempt=attempt, reason=reason)
        return text
    found = _match(text, SUMMARIES)
    if found is None:
        return text
    if found.msgid == REVERTED:
        return Msg(REVERTED, change=summary_message(found.params["change"]))
    return found


def _reason(text: str) -> Msg | None:
    found = _match(text, REASONS)
    if found is None:
        return None
    params = dict(found.params)
    if "what" in params:
        what = _match(params["what"], ACTIONS_REFUSED)
        if what is None:
            return None
        params["what"] = what
    for name in REGIONS_NAMED:
        if name in params:
            params[name] = Msg(params[name])  # a region's name is its msgid (db.reference.REGIONS)
    return Msg(found.msgid, **params)
