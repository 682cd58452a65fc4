"""Failures answered as JSON (a database that is down is a 503, never a hang or an HTML
500), kept connections tested for editors, ETags hashed cheaply, the CSP header built
once, responses freed when sent, and the site's own middleware (sessions, users,
messages, history) kept off the API."""

from functools import cache

import xxhash
from csp import middleware as csp_middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.contrib.messages import middleware as messages_middleware
from django.contrib.sessions import middleware as sessions_middleware
from django.core.signals import setting_changed
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.dispatch import receiver
from django.http import JsonResponse
from django.middleware import http
from django.utils.http import quote_etag
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler
from simple_history import middleware as history_middleware

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
    """Django's ETag and 304s, with the ETag an xxh3-128 hash of the body instead of an MD5.

    Every GET pays for hashing its body: for an 87-turn transcript (130 KB) MD5 took
    ~200 µs on the 2-core machines, SHA-1 ~75 µs, xxh3-128 ~6 µs. An ETag only has to
    change when the body does (a 128-bit hash: a collision by chance is out of reach);
    it is opaque to clients, so only its cost changes.
    """

    def process_response(self, request, response):
        if (
            request.method == "GET"
            and not response.streaming
            and not response.has_header("ETag")
            and self.needs_etag(response)
            and response.content
        ):
            digest = xxhash.xxh3_128_hexdigest(response.content)
            response.headers["ETag"] = quote_etag(digest)
        return super().process_response(request, response)


# What a view or template can set to change a response's policy (django-csp's decorators
# and nonces); a response or request with any of them goes through django-csp itself.
_CSP_RESPONSE_PARTS = tuple(
    f"_csp_{part}{suffix}"
    for part in ("config", "update", "replace", "exempt")
    for suffix in ("", "_ro")
)


class CSPMiddleware(csp_middleware.CSPMiddleware):
    """django-csp's middleware, with the settings' policy built once instead of per response.

    django-csp builds both headers (the policy and the report-only one) from the settings
    on every response: ~6% of a page of turns' time in a profile. Most responses (the
    whole API) change nothing in the policy and use no nonce; they get the headers the
    settings alone make, kept until a CSP setting changes. A response a decorator changed
    or exempted, a request that used a nonce, and Django's debug 404/500 pages go
    through django-csp itself; tests compare both paths.
    """

    def process_response(self, request, response):
        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _CSP_RESPONSE_PARTS)
            or (settings.DEBUG and response.status_code in (404, 500))
        ):
            return super().process_response(request, response)
        for header, policy, excluded in settings_csp_headers():
            if policy and header not in response and not request.path_info.startswith(excluded):
                response[header] = policy
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = csp_middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response


@cache
def settings_csp_headers() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(header, policy, excluded path prefixes) for the policy and the report-only one,
    as the settings alone make them."""
    return tuple(
        (
            header,
            build_policy(report_only=report_only),
            tuple((getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()),
        )
        for header, name, report_only in (
            (HEADER, "CONTENT_SECURITY_POLICY", False),
            (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
        )
    )


@receiver(setting_changed)
def _csp_setting_changed(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        settings_csp_headers.cache_clear()


class ReleaseResponseMiddleware:
    """A DRF response, and all the data it was rendered from, freed once it is sent.

    DRF ties each response into reference cycles: its renderer_context holds the view
    and the response itself, and the view holds the response. A page of turns (a few
    hundred dicts and lists) then outlives its request until the garbage collector
    finds the cycle, and the collector, run every other request or so by the objects
    piling up, spent ~14% of an 87-turn transcript's time tracing them. With the two
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


# --- the site's own middleware, not the API's ------------------------------------------------

API_PREFIX = "/api/"


def _for_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


class SiteOnly:
    """Mixin for a middleware that serves the site (the admin) and not the API.

    The API under /api/ is read-only and anonymous: no authentication classes, no forms,
    no messages, no history to attribute. Sessions, users, messages and history did
    nothing for its requests but still cost ~3% of them (callgrind: a page of turns 4.36 M
    -> 4.24 M instructions, an 87-turn transcript 6.49 M -> 6.28 M); its requests now go
    around them. The classes stay subclasses of Django's, as the admin's checks require.
    """

    def __call__(self, request):
        if _for_api(request):
            return self.get_response(request)
        return super().__call__(request)


class SessionMiddleware(SiteOnly, sessions_middleware.SessionMiddleware):
    pass


class AuthenticationMiddleware(SiteOnly, auth_middleware.AuthenticationMiddleware):
    pass


class MessageMiddleware(SiteOnly, messages_middleware.MessageMiddleware):
    pass


def HistoryRequestMiddleware(get_response):
    """simple_history's middleware (who made a change), for the site only."""
    recording = history_middleware.HistoryRequestMiddleware(get_response)

    def middleware(request):
        if _for_api(request):
            return get_response(request)
        return recording(request)

    return middleware
