"""A minimal browser-less HTTP client for tests against a running app: cookies, sign-in, CSRF-checked writes."""

from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from tests.conftest import PASSWORD


@dataclass
class Answer:
    """One HTTP answer: status, headers (case-insensitive lookup via `header`) and body text."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    text: str = ""

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)

    def json(self):
        return json.loads(self.text)


class Client:
    """A minimal browser-less client: cookies, the login form's CSRF token, JSON writes with X-CSRFToken."""

    def __init__(self, base: str, timeout: float = 30):
        self.base = base
        self.timeout = timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None) -> Answer:
        """Send one request (a JSON body if given, with the CSRF header once the cookie is set); never raise on
        an HTTP error status."""
        headers = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
            token = self.cookie("_csrf_token")
            if token:
                headers.setdefault("X-CSRFToken", token)
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=self.timeout) as r:
                return Answer(r.status, dict(r.headers.items()), r.read().decode())
        except urllib.error.HTTPError as err:
            return Answer(err.code, dict(err.headers.items()), err.read().decode())

    def get(self, path: str) -> tuple[int, str]:
        answer = self.request("GET", path)
        return answer.status, answer.text

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def sign_in(self, email: str, password: str = PASSWORD) -> None:
        _status, page = self.get("/login")
        token = re.search(r"name='csrf_token' value='([^']+)'", page).group(1)
        data = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token}).encode()
        self.opener.open(urllib.request.Request(self.base + "/login", data=data), timeout=self.timeout)

    def send(self, method: str, path: str, body: dict) -> tuple[int, dict]:
        answer = self.request(method, path, body)
        return answer.status, answer.json()
