"""Failures answered as JSON (a database that is down is a 503, never a hang or an HTML
500), kept connections tested for editors, ETags hashed cheaply, responses freed when
sent."""

import xxhash
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import JsonResponse
from django.middleware import http
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import parse_http_date_safe, quote_etag
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


class ContentSecurityPolicyMiddleware:
    """The Content-Security-Policy of settings.SECURE_CSP on every response without one.

    The setting has the shape of Django 6.0's (directive: list of sources), whose
    built-in middleware replaces this one on upgrade. The policy has no nonce, so it is
    one string, written once: django-csp rebuilt it for every response.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = "; ".join(
            " ".join([directive, *sources]) for directive, sources in settings.SECURE_CSP.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


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


# Data, not pages: the browsable API's HTML may hold a CSRF token, which no shared cache
# should keep.
CACHEABLE = ("application/json", "text/csv", "application/vnd.oai.openapi")


class ConditionalGetMiddleware(http.ConditionalGetMiddleware):
    """Django's ETag and 304s, for HEAD too, with the ETag an xxh3-128 hash of the body; and
    the API's caching headers.

    Every GET pays for hashing its body, and xxh3 hashes a transcript many times faster
    than MD5 or SHA-1 (numbers in bench/RESULTS.md). An ETag only has to change when the
    body does (a 128-bit hash: a collision by chance is out of reach); it is opaque to
    clients, so only its cost changes. Django skips HEAD because a HEAD response has no
    body by then; here the views answer HEAD as GET and the server drops the body after
    the middleware, so HEAD gets GET's ETag and its 304.

    A successful API answer may be kept API_CACHE_MAX_AGE seconds by clients and shared
    caches (corrections reach them after that), and varies with Accept (JSON, CSV or the
    browsable API from one URL). A streamed CSV has no ETag: it is not hashed whole.
    """

    def process_response(self, request, response):
        if request.method not in ("GET", "HEAD"):
            return response
        if (
            request.path_info.startswith("/api/")
            and response.status_code == 200
            and response.get("Content-Type", "").startswith(CACHEABLE)
        ):
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, public=True, max_age=settings.API_CACHE_MAX_AGE)
            patch_vary_headers(response, ("Accept",))
        if (
            not response.streaming
            and not response.has_header("ETag")
            and self.needs_etag(response)
            and response.content
        ):
            response.headers["ETag"] = quote_etag(xxhash.xxh3_128_hexdigest(response.content))
        etag = response.get("ETag")
        last_modified = parse_http_date_safe(response.get("Last-Modified") or "")
        if etag or last_modified:
            return get_conditional_response(
                request, etag=etag, last_modified=last_modified, response=response
            )
        return response


class ReleaseResponseMiddleware:
    """A DRF response, and all the data it was rendered from, freed once it is sent.

    DRF ties each response into reference cycles: its renderer_context holds the view
    and the response itself, and the view holds the response. A page of turns (a few
    hundred dicts and lists) then outlives its request until the garbage collector
    finds the cycle, and the collector, run often by the objects piling up, spent a good
    part of a transcript's time tracing them. With the two
    links to the response cut after rendering, reference counting frees it as soon as
    the server lets go.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        context = getattr(response, "renderer_context", None)
        if context and getattr(response, "is_rendered", False):
            context.pop("response", None)
            view = context.get("view")
            if getattr(view, "response", None) is response:
                view.response = None
        return response
