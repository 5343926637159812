"""The OpenAPI 3.1 description of /api/v1 (served at /api/v1/openapi.json, read at /api/v1/docs), assembled from
the operations the endpoints register with their pydantic models: the models that validate an endpoint's query
parameters and body are the ones described, so the description cannot drift from the checks."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from dashboard.api_models import ErrorBody, allowed_key

API_PREFIX = "/api/v1"
ERROR_TEXT = {400: "Invalid input: the message names the parameter or field and the valid values",
              401: "Not signed in", 403: "Your role or region may not do this (the refusal is logged)",
              404: "No such row", 409: "The row changed since (revert the later change first)",
              413: "The upload is too large", 422: "The file has rows with problems (nothing was written)",
              503: "The store is busy or unreachable; nothing was saved; try again (Retry-After)"}


@dataclass(frozen=True)
class Operation:
    """One documented operation: its method, Flask rule, the models that check its input and describe its answers."""

    method: str
    rule: str  # the Flask rule under API_PREFIX, e.g. /members/<slug>
    summary: str
    description: str
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    upload: bool = False  # a multipart/form-data body with one file
    ok: dict[int, type[BaseModel]] = field(default_factory=dict)  # status -> JSON answer model
    csv: bool = False  # ?format=csv answers text/csv
    errors: tuple[int, ...] = (400,)
    path_params: dict[str, dict] = field(default_factory=dict)  # name -> JSON schema
    signed_in: bool = False
    tag: str = "data"
    example: dict | None = None  # a body that works on the curated store (the API page shows it)

    @property
    def path(self) -> str:
        return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", self.rule)


OPERATIONS: list[Operation] = []


def register(operation: Operation) -> Operation:
    """Add `operation` to the description (each method and path once)."""
    OPERATIONS[:] = [op for op in OPERATIONS if (op.method, op.rule) != (operation.method, operation.rule)]
    OPERATIONS.append(operation)
    return operation


def summary_and_description(func: Callable) -> tuple[str, str]:
    """The first sentence of the docstring, and the whole of it on one line."""
    text = " ".join((func.__doc__ or func.__name__).split())
    return text.split(". ")[0].rstrip("."), text


class _Components:
    """The schemas of the models used, under #/components/schemas (pydantic's own JSON schema of each)."""

    def __init__(self):
        self.schemas: dict[str, Any] = {}

    def ref(self, model: type[BaseModel], *, mode: str) -> dict:
        schema = model.model_json_schema(mode=mode, ref_template="#/components/schemas/{model}")
        for name, sub in schema.pop("$defs", {}).items():
            self.schemas.setdefault(_component_name(name), sub)
        name = _component_name(schema.get("title", model.__name__))
        self.schemas.setdefault(name, schema)
        return {"$ref": f"#/components/schemas/{name}"}


def _component_name(name: str) -> str:
    """OpenAPI's component names allow letters, digits, '.', '-' and '_': Listing[MemberRow] -> Listing_MemberRow."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_")


def _without_null(schema: dict) -> dict:
    """A query parameter is absent or has a value: drop pydantic's `null` alternative and its null default."""
    schema = {k: v for k, v in schema.items() if k not in ("title",) and not (k == "default" and v is None)}
    options = [s for s in schema.pop("anyOf", []) if s.get("type") != "null"]
    if len(options) == 1:
        schema.update(options[0])
    elif options:
        schema["anyOf"] = options
    return schema


def _query_parameters(model: type[BaseModel], allowed: Callable[[str], list]) -> list[dict]:
    properties = model.model_json_schema(mode="validation")["properties"]
    parameters = []
    for name, info in model.model_fields.items():
        schema = _without_null(properties[name])
        description = schema.pop("description", "")
        key = allowed_key(info)
        if key is not None:
            values = allowed(key)
            target = schema["items"] if schema.get("type") == "array" else schema
            if target.get("type") == "integer":
                values = [int(v) for v in values]
            target["enum"] = values
        parameter = {"name": name, "in": "query", "required": False, "description": description, "schema": schema}
        if getattr(model, "empty_means_default", False):
            parameter["allowEmptyValue"] = True  # `?year=` is `year` left out (what an HTML form sends)
        if schema.get("type") == "array":
            parameter.update(style="form", explode=True)
        parameters.append(parameter)
    return parameters


def document(operations: Iterable[Operation], *, allowed: Callable[[str], list], server_url: str) -> dict:
    """The OpenAPI 3.1 document of `operations`; `allowed(key)` gives the values the store accepts for a
    parameter marked Allowed(key) (regions, years, plans ...), so the description lists today's values."""
    components = _Components()
    error = components.ref(ErrorBody, mode="serialization")
    paths: dict[str, dict] = {}
    for op in operations:
        parameters = [{"name": name, "in": "path", "required": True, "schema": schema}
                      for name, schema in op.path_params.items()]
        if op.query is not None:
            parameters += _query_parameters(op.query, allowed)
        responses: dict[str, Any] = {}
        for status, model in op.ok.items():
            content = {"application/json": {"schema": components.ref(model, mode="serialization")}}
            if op.csv:
                content["text/csv"] = {"schema": {"type": "string"}}
            responses[str(status)] = {"description": "OK" if status < 300 else str(status), "content": content}
        for status in sorted({*op.errors, 503}):
            responses[str(status)] = {"description": ERROR_TEXT.get(status, "Error"),
                                      "content": {"application/json": {"schema": error}}}
        entry: dict[str, Any] = {"operationId": f"{op.method.lower()}_{re.sub(r'[^a-z0-9]+', '_', op.path.lower()).strip('_') or 'index'}",
                                 "summary": op.summary, "description": op.description, "tags": [op.tag],
                                 "parameters": parameters, "responses": responses}
        if op.body is not None:
            media = {"schema": components.ref(op.body, mode="validation")}
            if op.example is not None:
                media["example"] = op.example
            entry["requestBody"] = {"required": True, "content": {"application/json": media}}
        if op.upload:
            entry["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": {
                "type": "object", "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary",
                                        "description": "a CSV (UTF-8) or .xlsx file"}}}}}}
        if op.signed_in:
            entry["security"] = [{"session": [], "csrf": []}] if op.method != "GET" else [{"session": []}]
        paths.setdefault(op.path, {})[op.method.lower()] = entry
    return {
        "openapi": "3.1.0",
        "info": {"title": "Metropolis dashboard API", "version": "1",
                 "description": "The dashboard's data (read, JSON or CSV) and its writes (signed-in users, with the "
                                "X-CSRFToken header from the _csrf_token cookie). Every row names its source."},
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {"schemas": copy.deepcopy(components.schemas), "securitySchemes": {
            "session": {"type": "apiKey", "in": "cookie", "name": "session",
                        "description": "the session cookie set by signing in at /login"},
            "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken",
                     "description": "the value of the _csrf_token cookie (every write)"}}},
    }
