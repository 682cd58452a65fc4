"""Failures answered as JSON (a database that is down is a 503, never a hang or an HTML
500), kept connections tested for editors, and ETags hashed cheaply."""

import hashlib

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import JsonResponse
from django.middleware import http
from django.utils.http import quote_etag
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

RETRY_AFTER_SECONDS = 5
UNAVAILABLE = "The database is unavailable; try again shortly."


def unavailable_response():
    response = JsonResponse({"detail": UNAVAILABLE}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Outside DRF views (the admin, middleware, sessions): connection failures become 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except (OperationalError, InterfaceError):
            return unavailable_response()

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            return unavailable_response()
        return None


class KeptConnectionCheckMiddleware:
    """In the admin, a kept database connection is tested before a request uses it.

    Health checks are off for the API (a round trip per request; a connection that
    PostgreSQL dropped costs one 503 there). Editors' pages are few and their forms
    are work in progress: for them a dead connection is replaced before use, not
    discovered by their submission.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/admin/"):
            for connection in connections.all(initialized_only=True):
                kept = connection.connection is not None and not connection.in_atomic_block
                if kept and not connection.is_usable():
                    connection.close()
        return self.get_response(request)


def api_exception_handler(exc, context):
    """DRF's handler, plus: database connection failures are a 503 with Retry-After."""
    if isinstance(exc, OperationalError | InterfaceError):
        return Response(
            {"detail": UNAVAILABLE},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    if isinstance(exc, DatabaseError):
        return None  # a real bug: the 500 handler answers, without details
    return exception_handler(exc, context)


def server_error(request, *args, **kwargs):
    """handler500: a short JSON body, no traceback, no SQL."""
    return JsonResponse({"detail": "Server error."}, status=500)


class ConditionalGetMiddleware(http.ConditionalGetMiddleware):
    """Django's ETag and 304s, with the ETag a SHA-1 of the body instead of an MD5.

    Every GET pays for hashing its body: 60 µs for a 48 KB page of turns, 170 µs for an
    87-turn transcript with MD5 on the 2-core machines, 2.5× less with SHA-1 (hashed in
    hardware there). An ETag is opaque to clients, so only its cost changes.
    """

    def process_response(self, request, response):
        if (
            request.method == "GET"
            and not response.streaming
            and not response.has_header("ETag")
            and self.needs_etag(response)
            and response.content
        ):
            digest = hashlib.sha1(response.content, usedforsecurity=False).hexdigest()
            response.headers["ETag"] = quote_etag(digest)
        return super().process_response(request, response)
