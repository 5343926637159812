"""Sign-in and roles: Flask-Login sessions, scrypt-hashed passwords, CSRF on every write, public access rules.

Roles: Board members read everything; regional secretaries read everything and write for their region;
the Secretariat writes everything and manages users. Anonymous visitors see the aggregate pages and embeds
(or nothing, with PUBLIC_ACCESS=none) and never a member's fee payments.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import secrets
import time
from html import escape
from pathlib import Path
from urllib.parse import urlparse

from flask import Blueprint, Response, current_app, g, redirect, request, url_for
from flask import session as flask_session
from flask_limiter import Limiter, RequestLimit
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length, Regexp

from dashboard.i18n import _, ngettext
from dashboard.responses import html_page, json_error
from dashboard.static import STATIC_PATHS
from db import models as m
from db.commands.base import Actor
from db.commands.users import end_sessions
from db.queries.users import account_by_email, account_by_id, account_region
from db.session import Session, write_session

logger = logging.getLogger(__name__)

login_manager = LoginManager()
csrf = CSRFProtect()
# Failed sign-ins per e-mail and per client address (init_auth gives the storage: Redis when REDIS_URL is set, so
# every worker counts together). A storage outage lets sign-in through unlimited rather than failing it.
limiter = Limiter(key_func=get_remote_address, strategy="moving-window", swallow_errors=True,
                  in_memory_fallback_enabled=True, key_prefix="metropolis-signin")
auth = Blueprint("auth", __name__)
CSRF_COOKIE = "_csrf_token"  # dash-renderer sends it back as X-CSRFToken on every callback
PUBLIC_PATHS = ("/login", "/healthz", "/api/v1/version", *STATIC_PATHS)  # open without signing in


class SignedInUser(UserMixin):
    """The signed-in user as Flask-Login keeps it (no database object leaves its session)."""

    def __init__(self, row: m.UserAccount, region: str | None):
        self.id = str(row.id)
        self.user_id = row.id
        self.email = row.email
        self.name = row.name
        self.role = row.role
        self.region = region
        self.active_flag = row.active
        self.generation = row.session_generation

    @property
    def is_active(self) -> bool:
        return self.active_flag

    def get_id(self) -> str:
        # Flask-Login's alternative token: the session names the user *and* its generation, so bumping the
        # generation (sign-out, disable, new password) makes every earlier session cookie load no one.
        return f"{self.user_id}:{self.generation}"

    def actor(self) -> Actor:
        return Actor(user_id=self.user_id, name=self.name, role=self.role, region=self.region)


def hash_password(password: str) -> str:
    """A scrypt hash (werkzeug's current default) of `password`."""
    return generate_password_hash(password, method="scrypt")


def check_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


# Checked against when the e-mail is unknown, so an unknown e-mail costs one scrypt hash like a wrong password
# (the answer's timing does not tell which accounts exist).
_DUMMY_HASH = hash_password(secrets.token_urlsafe(24))


@login_manager.user_loader
def _load_user(session_id: str):
    """The user named by a session's "<user id>:<generation>", if that generation is still the user's."""
    user_id, _sep, generation = session_id.partition(":")
    if not (user_id.isdigit() and generation.isdigit()):
        return None  # also a cookie from before generations existed: signed out
    with Session() as session:
        row = account_by_id(session, int(user_id))
        if row is None or not row.active or row.session_generation != int(generation):
            return None
        return SignedInUser(row, account_region(session, row))


def current_actor() -> Actor | None:
    """The signed-in user as an Actor for the write commands, or None for an anonymous visitor."""
    if getattr(current_user, "is_authenticated", False):
        return current_user.actor()
    return None


def current_role() -> str | None:
    actor = current_actor()
    return actor.role if actor else None


def fees_visible() -> bool:
    """Per-member fee payments are shown to signed-in users only (never public)."""
    return current_actor() is not None


def session_cookie(server, user: SignedInUser) -> tuple[str, str]:
    """The name and value of a session cookie that signs `user` in on `server`, as signing in would set it.

    For the Board pack's printer only (dashboard/packs.py): its headless browser reads the pages as the
    Secretariat who asked for the pack (Superset's report workers sign their browser in the same way). The
    cookie never leaves the process, and it stops working with every other session of the user (sign-out,
    disabling, a new password: the session names the user's generation)."""
    with server.test_request_context("/"):
        login_user(user)
        value = server.session_interface.get_signing_serializer(server).dumps(dict(flask_session))
    return server.config["SESSION_COOKIE_NAME"], value


def secret_key(configured: str, instance_dir: Path) -> str:
    """SECRET_KEY from the environment; for the embedded default, a random key kept in instance/secret_key
    (created once, readable by the owner only) so every process on the machine shares it."""
    if configured:
        return configured
    path = instance_dir / "secret_key"
    if not path.exists():
        instance_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
        logger.warning("SECRET_KEY is not set: created %s (set SECRET_KEY in production)", path)
    return path.read_text(encoding="utf-8").strip()


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Regexp(r"^[^@\s]+@[^@\s]+$"), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=500)])


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never an absolute URL): no open redirect through ?next=."""
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _account_key() -> str:
    """The sign-in limit's key per account: the e-mail as typed, normalised as the lookup normalises it."""
    return "account:" + request.form.get("email", "").strip().lower()[:254]


def _address_key() -> str:
    return "address:" + (get_remote_address() or "unknown")


def _too_many_attempts(limit: RequestLimit) -> Response:
    """The sign-in page, 429, saying when to try again (the limit's window, rounded up to minutes)."""
    seconds = max(1, math.ceil(limit.window[0] - time.time()))  # window[0]: when the oldest counted attempt expires
    minutes = max(1, math.ceil(seconds / 60))
    logger.warning("sign-in refused: too many failed attempts (%s, %s)", limit.key[:120], limit.limit)
    message = ngettext("Too many sign-in attempts: try again in %(n)d minute.",
                       "Too many sign-in attempts: try again in %(n)d minutes.", minutes)
    response = _login_page(LoginForm(), message, 429)
    response.headers["Retry-After"] = str(seconds)
    return response


def _failed(response: Response) -> bool:
    return response.status_code == 401


def _account_limit() -> str:
    return current_app.config["SIGNIN_LIMIT_PER_ACCOUNT"]


def _address_limit() -> str:
    return current_app.config["SIGNIN_LIMIT_PER_ADDRESS"]


@auth.route("/login", methods=["GET", "POST"])
@limiter.limit(_account_limit, key_func=_account_key, methods=["POST"], deduct_when=_failed,
               on_breach=_too_many_attempts, scope="signin-account")
@limiter.limit(_address_limit, key_func=_address_key, methods=["POST"], deduct_when=_failed,
               on_breach=_too_many_attempts, scope="signin-address")
def login():
    """Sign in with e-mail and password (the form carries a CSRF token). Failed attempts count towards the
    limits per e-mail and per address; past either, sign-in answers 429 until its window passes."""
    form = LoginForm()
    error = ""
    if request.method == "POST":
        if form.validate_on_submit():
            with write_session() as session:
                row = account_by_email(session, form.email.data.strip().lower())
                # Always one scrypt check, whether the e-mail is known, unknown or disabled: the same cost.
                matches = check_password(row.password_hash if row is not None else _DUMMY_HASH, form.password.data)
                valid = row is not None and row.active and matches
                if valid:
                    row.last_login_at = dt.datetime.now(dt.UTC)
                    session_id = f"{row.id}:{row.session_generation}"
            if valid:
                login_user(_load_user(session_id))
                logger.info("signed in: user %s", session_id.split(":")[0])
                return redirect(_safe_next(request.args.get("next")))
            logger.warning("failed sign-in for %s", (form.email.data or "")[:80])
            error = _("Wrong e-mail or password, or the account is disabled.")
        else:
            error = _("Nothing was sent: correct the fields below.")
    return _login_page(form, error, 401 if error else 200)


def _field_errors(form: LoginForm, error: str) -> dict[str, str]:
    """{field id: its message} for the fields a failed sign-in marks invalid: those the form rejected, or both
    fields (described by the summary) when the e-mail and password do not match an account."""
    messages = {}
    if "email" in form.errors:
        messages["email"] = (_("Enter your e-mail address.") if not (form.email.data or "").strip()
                             else _("Enter an e-mail address such as name@example.org."))
    if "password" in form.errors:
        messages["password"] = _("Enter your password.")
    if not messages and error and not form.errors:
        messages = {"email": "", "password": ""}  # a wrong pair: which one is wrong is not told (account privacy)
    return messages


def _login_field(name: str, label: str, attributes: str, invalid: dict[str, str]) -> str:
    """One labelled field; an invalid one says so (aria-invalid) and is described by its message or the summary."""
    aria, message = "", ""
    if name in invalid:
        described = f"{name}-error" if invalid[name] else "signin-errors"
        aria = f" aria-invalid='true' aria-describedby='{described}'"
        if invalid[name]:
            message = f"<div class='invalid-feedback d-block' id='{name}-error'>{escape(invalid[name])}</div>"
    css = "form-control is-invalid" if name in invalid else "form-control"
    return (f"<div class='mb-3'><label class='form-label' for='{name}'>{escape(label)}</label>"
            f"<input class='{css}' id='{name}' name='{name}' {attributes}{aria}>{message}</div>")


def _login_page(form: LoginForm, error: str, status: int) -> Response:
    """The sign-in form. After a failed attempt the error summary takes focus (autofocus on a tabindex=-1 alert:
    the page has no script) and lists each field's problem, linked to the field."""
    next_param = escape(_safe_next(request.args.get("next")))
    invalid = _field_errors(form, error) if status == 401 else {}
    summary = ""
    if error:
        items = "".join(f"<li><a href='#{name}'>{escape(text)}</a></li>" for name, text in invalid.items() if text)
        summary = (f"<div class='alert alert-danger py-2 error-summary' id='signin-errors' role='alert' tabindex='-1' "
                   f"autofocus><p class='mb-0'>{escape(error)}</p>"
                   + (f"<ul class='mb-0 mt-1'>{items}</ul>" if items else "") + "</div>")
    email = _login_field("email", _("E-mail"), "type='email' autocomplete='username' required "
                         f"value='{escape(form.email.data or '')}'", invalid)
    password = _login_field("password", _("Password"), "type='password' autocomplete='current-password' required",
                            invalid)
    # the texts are translated outside the f-strings: Babel does not extract a call inside an f-string
    heading, sign_in, back = _("Sign in to the Metropolis dashboard"), _("Sign in"), _("Back to the dashboard")
    body = (f"<h1 class='h4 mb-3'>{escape(heading)}</h1>" + summary
            + f"<form method='post' action='/login?next={next_param}' novalidate>"
            f"<input type='hidden' name='csrf_token' value='{escape(generate_csrf())}'>"
            + email + password
            + f"<button class='btn btn-primary' type='submit'>{escape(sign_in)}</button> "
            f"<a class='btn btn-link' href='/'>{escape(back)}</a></form>")
    return html_page(_("Sign in"), body, status)


@auth.route("/logout", methods=["POST"])
def logout():
    """Sign out: end this session and every other session of the user (a copied cookie no longer works)."""
    actor = current_actor()
    if actor is not None:
        with write_session() as session:  # waits for other writers (SQLite BEGIN IMMEDIATE), like every write
            row = account_by_id(session, actor.user_id)
            if row is not None:
                end_sessions(row)
        logger.info("signed out: user %s (every session ended)", actor.user_id)
    logout_user()
    return redirect("/")


def _csrf_failed(err: CSRFError):
    logger.warning("CSRF check failed on %s %s: %s", request.method, request.path, err.description)
    message = _("This form has expired or did not come from this site. Reload the page and try again.")
    if request.path.startswith(("/api/", "/_dash")):
        return json_error(400, message)
    sign_in = _("Sign in")
    return html_page(_("Form expired"), f"<p>{escape(message)}</p><p><a href='/login'>{escape(sign_in)}</a></p>", 400)


def init_auth(server, *, secret: str, cookie_secure: bool, public_access: str,
              signin_limits: tuple[str, str] = ("10 per 15 minutes", "30 per 15 minutes"),
              redis_url: str = "") -> None:
    """Sign-in, CSRF (forms, Dash callbacks and the JSON API), the sign-in limits (per account, per address;
    counted in Redis when `redis_url` is given) and the access rule on `server`."""
    server.config.update(
        SECRET_KEY=secret,
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=cookie_secure,
        REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SAMESITE="Lax", REMEMBER_COOKIE_SECURE=cookie_secure,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        SIGNIN_LIMIT_PER_ACCOUNT=signin_limits[0], SIGNIN_LIMIT_PER_ADDRESS=signin_limits[1],
        RATELIMIT_STORAGE_URI=redis_url or "memory://",
    )
    login_manager.init_app(server)
    login_manager.login_view = "auth.login"
    csrf.init_app(server)
    limiter.init_app(server)
    server.register_blueprint(auth)
    server.register_error_handler(CSRFError, _csrf_failed)

    @server.before_request
    def _access():
        g.public_access = public_access
        if public_access != "none":
            return None
        if request.path.startswith(PUBLIC_PATHS):
            return None  # before current_user: a static file must not load the session (no Vary: Cookie)
        if getattr(current_user, "is_authenticated", False):
            return None
        if request.path.startswith(("/api/", "/_dash", "/export/", "/embed/")):
            return json_error(401, _("Sign in to see the dashboard."))
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

    @server.after_request
    def _csrf_cookie(response):
        # Readable by the page's script (dash-renderer copies it into the X-CSRFToken header); Strict: never sent
        # cross-site. The token itself is bound to the signed session cookie.
        if request.path.startswith(STATIC_PATHS) or response.status_code >= 500:
            return response
        response.set_cookie(CSRF_COOKIE, generate_csrf(), samesite="Strict", secure=cookie_secure, httponly=False)
        return response
