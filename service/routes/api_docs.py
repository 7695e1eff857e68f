"""/docs: Swagger UI over the OpenAPI document, its files served from here (no CDN)."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, Response
from fastapi.openapi.docs import get_swagger_ui_html

from service.errors import NotFound

router = APIRouter()

# Swagger UI's files ship inside the fastapi-offline package, so /docs needs no CDN.
DOCS_ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon.png": "image/png",
}


@router.get("/docs", include_in_schema=False)
async def docs() -> Response:
    """Swagger UI over /openapi.json, with its assets served from here."""
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="Osaamiskartta API",
        swagger_js_url="/docs/assets/swagger-ui-bundle.js",
        swagger_css_url="/docs/assets/swagger-ui.css",
        swagger_favicon_url="/docs/assets/favicon.png",
    )


@router.get("/docs/assets/{file}", include_in_schema=False)
async def docs_asset(file: str) -> Response:
    media_type = DOCS_ASSETS.get(file)
    if media_type is None:
        raise NotFound(f"no documentation asset {file!r}")
    content = (resources.files("fastapi_offline") / "static" / file).read_bytes()
    return Response(content, media_type=media_type, headers={"Cache-Control": "max-age=86400"})
