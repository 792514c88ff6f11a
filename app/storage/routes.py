"""The download endpoint behind FilesystemStore signed URLs: `GET /files/{key:path}`.

Authorisation is the URL itself: the HMAC binds key (and so the owner's UUID), expiry and
filename. There is deliberately no session/JWT check, so the URL works from a plain browser
download, exactly like an S3 presigned URL.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from app.storage.filesystem import FilesystemStore
from app.storage.headers import attachment_disposition, default_filename
from app.storage.keys import InvalidKey, validate_key
from app.storage.protocol import ObjectNotFound
from app.storage.signing import SignatureError

FILES_PATH = "/files/{key:path}"

# Downloads are private and may be user-controlled content (an uploaded "resume.html"):
# never cache them in shared caches, never let the browser sniff or run them.
_SECURITY_HEADERS = {
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


def _forbidden(reason: str) -> Response:
    return PlainTextResponse(reason, status_code=403, headers={"Cache-Control": "no-store"})


def files_route(store: FilesystemStore) -> Route:
    """A route to mount at the root of the app whose URL is the store's `base_url`."""

    async def download(request: Request) -> Response:
        key: str = request.path_params["key"]
        try:
            # Refuses anything outside users/{uuid}/ and any traversal attempt before the
            # signature is even looked at.
            validate_key(key)
        except InvalidKey:
            return _forbidden("invalid key")
        exp = request.query_params.get("exp")
        sig = request.query_params.get("sig")
        filename = request.query_params.get("fn")
        if exp is None or sig is None:
            return _forbidden("missing signature")
        try:
            store.verify_signed_request(key, exp, sig, filename=filename)
        except SignatureError as exc:
            # Telling "expired" from "invalid" helps users (ask for a new link) and leaks
            # nothing an attacker could use: both are refused.
            return _forbidden(exc.reason.value)
        try:
            obj = await store.read(key)
        except ObjectNotFound:
            return PlainTextResponse("not found", status_code=404)
        headers = {
            **_SECURITY_HEADERS,
            "Content-Type": obj.content_type,
            "Content-Disposition": attachment_disposition(filename or default_filename(key)),
        }
        # media_type=None so Starlette does not append a charset to the stored content type.
        return Response(obj.data, headers=headers, media_type=None)

    return Route(FILES_PATH, download, methods=["GET"], name="storage_files")
