"""The tools' index and the login that gives a browser its write session."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from service.errors import ServiceError
from service.routes.common import app_state
from service.routes.tools_common import first, form, page, reader, same_origin
from service.tools.forms import FormErrors
from service.tools.html import TEXTS
from service.tools.session import COOKIE, check_token, session_value

router = APIRouter(include_in_schema=False)
TOOLS = (
    ("/tools/quality", "quality"),
    ("/tools/forums", "forums"),
    ("/tools/strategy", "strategy"),
    ("/tools/competence", "competence"),
    ("/tools/review", "review"),
)


def _next(value: str) -> str:
    """Only the tools' own pages are places to return to (no open redirect)."""
    return value if value.startswith("/tools") and "//" not in value else "/tools/"


@router.get("/tools", name="tools_index")
@router.get("/tools/")
async def index(request: Request) -> Response:
    """The list of tools."""
    return page(request, "index.html", tools=TOOLS)


@router.get("/tools/login")
async def login_page(request: Request) -> Response:
    """The token form."""
    return page(
        request, "login.html", next=_next(request.query_params.get("next", "")), errors=None
    )


@router.post("/tools/login")
async def login(request: Request) -> Response:
    """Check the posted token and set the session cookie."""
    same_origin(request)
    values = await form(request)
    target = _next(first(values, "next"))
    try:
        token = check_token(first(values, "token"), app_state(request).tokens)
    except ServiceError as exc:
        errors = FormErrors()
        errors.add("token", TEXTS[reader(request).lang]["bad_token"])
        return page(request, "login.html", exc.status, next=target, errors=errors)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(COOKIE, session_value(token), httponly=True, samesite="strict", path="/")
    return response


@router.post("/tools/logout")
async def logout(request: Request) -> Response:
    """Forget the session."""
    same_origin(request)
    response = RedirectResponse("/tools/", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response
