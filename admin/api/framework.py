"""This module turns small typed handlers into Starlette routes, and describes them in OpenAPI.

A handler is declared once, with its method, path, summary and request model; the same table
makes the routes, checks bearer tokens and bodies, and writes `/api/v1/openapi.json`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from admin.api.errors import ApiError, error_response, from_service, from_validation
from admin.api.params import path_id
from bot.services.errors import ServiceError
from bot.services.ids import MAX_ID

log = logging.getLogger(__name__)

Handler = Callable[..., Awaitable[Any]]
#: Checks a bearer token: the token's role ("admin" or "client"), or None if it is not valid.
Authenticate = Callable[[str], Awaitable[str | None]]

MAX_BODY = 64 * 1024


@dataclass(frozen=True, slots=True)
class Query:
    """A query-string parameter, described in the OpenAPI document."""

    name: str
    description: str
    schema: dict[str, Any]


#: The schema of an id, wherever one is written.
ID_SCHEMA: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


@dataclass(frozen=True, slots=True)
class Endpoint:
    method: str
    path: str
    summary: str
    handler: Handler
    body: type[BaseModel] | None = None
    status: int = 200
    public: bool = False
    #: Only an admin token may call it (managing tokens); a client token gets 403.
    admin_only: bool = False
    query: tuple[Query, ...] = ()


def route(endpoint: Endpoint, authenticate: Authenticate) -> Route:
    async def run(request: Request) -> Response:
        try:
            if not endpoint.public:
                await _check_token(request, authenticate, endpoint.admin_only)
            args: dict[str, Any] = {
                name: path_id(name, value) for name, value in request.path_params.items()
            }
            if endpoint.body is not None:
                args["body"] = await _body(request, endpoint.body)
            if "query" in endpoint.handler.__code__.co_varnames:
                args["query"] = dict(request.query_params)
            result = await endpoint.handler(**args)
        except ApiError as exc:
            return error_response(exc.status, exc.error, exc.errors, retry_after=exc.retry_after)
        except ServiceError as exc:
            failed = from_service(exc)
            return error_response(
                failed.status, failed.error, failed.errors, retry_after=failed.retry_after
            )
        except Exception:
            log.exception("API request failed", extra={"path": endpoint.path})
            return error_response(500, "Something went wrong on our side; it has been logged.")
        if isinstance(result, Response):
            return result
        return JSONResponse(result, status_code=endpoint.status)

    return Route(endpoint.path, run, methods=[endpoint.method])


async def _check_token(request: Request, authenticate: Authenticate, admin_only: bool) -> None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "Send an API token as 'Authorization: Bearer <token>'.")
    role = await authenticate(token.strip())
    if role is None:
        raise ApiError(
            401,
            "That API token is unknown or has been revoked. Ask the operator for a new one "
            "('companion tokens create NAME').",
        )
    if admin_only and role != "admin":
        raise ApiError(
            403,
            "Only an admin token may do this; this token's role is "
            f"'{role}' ('companion tokens create NAME' makes an admin token).",
        )


async def _body(request: Request, model: type[BaseModel]) -> BaseModel:
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise ApiError(413, f"The request body is over {MAX_BODY // 1024} KB.")
    try:
        data = json.loads(raw or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise ApiError(422, "The request body should be a JSON object.")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise from_validation(exc) from None


def openapi(endpoints: list[Endpoint], title: str, version: str) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    schemas: dict[str, Any] = {}
    for endpoint in endpoints:
        operation: dict[str, Any] = {
            "summary": endpoint.summary,
            "operationId": endpoint.handler.__name__,
            "responses": {
                str(endpoint.status): {
                    "description": "Success",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                "401": {"description": "Missing, unknown or revoked API token"},
                "404": {"description": "No such thing"},
                "422": {"description": "Invalid values; `errors` lists each field"},
            },
        }
        if endpoint.public:
            operation["security"] = []
        if endpoint.admin_only:
            operation["responses"]["403"] = {"description": "Needs an admin token"}
        params = [part[1:-1] for part in endpoint.path.split("/") if part.startswith("{")]
        described: list[dict[str, Any]] = [
            {"name": name, "in": "path", "required": True, "schema": ID_SCHEMA} for name in params
        ]
        described += [
            {"name": q.name, "in": "query", "required": False, "description": q.description}
            | {"schema": q.schema}
            for q in endpoint.query
        ]
        if described:
            operation["parameters"] = described
        if endpoint.body is not None:
            schema = endpoint.body.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(schema.pop("$defs", {}))
            schemas[endpoint.body.__name__] = schema
            operation["requestBody"] = {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"$ref": f"#/components/schemas/{endpoint.body.__name__}"}
                    }
                },
            }
        paths.setdefault("/api/v1" + endpoint.path, {})[endpoint.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    }
