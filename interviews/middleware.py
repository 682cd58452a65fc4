"""Failures answered as JSON: a database that is down is a 503, never a hang or an HTML 500."""

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import JsonResponse
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
