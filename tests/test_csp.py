"""interviews.middleware.CSPMiddleware gives the headers django-csp's own middleware gives.

Each case runs the same request and response through both and compares the headers;
no database is needed.
"""

import pytest
from csp.constants import NONCE
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware as LibraryCSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from interviews.middleware import CSPMiddleware, settings_csp_headers

HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")
REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'none'"], "report-uri": "/csp-report/"}}


def respond(middleware_class, path="/api/turns", *, status=200, use_nonce=False, **attributes):
    """The request and the response after middleware_class, with the headers it set."""
    request = RequestFactory().get(path)
    response = HttpResponse("{}", status=status)
    for name, value in attributes.items():
        setattr(response, name, value)

    def view(request):
        if use_nonce:
            str(request.csp_nonce)  # a template that puts the nonce in a <script> tag
        return response

    middleware = middleware_class(view)
    middleware.process_request(request)
    return request, middleware.process_response(request, view(request))


def headers(response):
    return {name: response.get(name) for name in HEADERS}


CASES = {
    "plain": {},
    "csp_update": {"_csp_update": {"img-src": ["https://example.org"]}},
    "csp_replace": {"_csp_replace": {"script-src": ["'self'", "https://cdn.example"]}},
    "csp_config": {"_csp_config": {"default-src": ["'none'"]}},
    "exempt": {"_csp_exempt": True},
    "report-only exempt": {"_csp_exempt_ro": True},
    "not found": {"status": 404},
    "server error": {"status": 500},
}


@pytest.mark.parametrize("report_only", [False, True], ids=["policy", "with report-only"])
@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
@pytest.mark.parametrize("case", CASES)
def test_the_headers_are_django_csps(settings, case, debug, report_only):
    settings.DEBUG = debug
    if report_only:
        settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = REPORT_ONLY
    _, ours = respond(CSPMiddleware, **CASES[case])
    _, theirs = respond(LibraryCSPMiddleware, **CASES[case])
    assert headers(ours) == headers(theirs)
    if case == "plain":
        assert "default-src 'self'" in ours["Content-Security-Policy"]
        assert ("Content-Security-Policy-Report-Only" in ours) is report_only


def test_a_nonce_used_by_the_page_is_in_its_header(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}
    ours, theirs = [
        (response["Content-Security-Policy"], request._csp_nonce)
        for request, response in (
            respond(CSPMiddleware, use_nonce=True),
            respond(LibraryCSPMiddleware, use_nonce=True),
        )
    ]
    assert f"script-src 'self' 'nonce-{ours[1]}'" in ours[0]
    assert ours[0].replace(ours[1], "N") == theirs[0].replace(theirs[1], "N")
    # A page that used no nonce: the policy without one, as django-csp writes it.
    without = respond(CSPMiddleware)[1]["Content-Security-Policy"]
    assert "nonce" not in without
    assert without == respond(LibraryCSPMiddleware)[1]["Content-Security-Policy"]


def test_a_nonce_asked_for_after_the_header_is_an_error():
    request, _ = respond(CSPMiddleware)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_a_header_already_set_is_kept():
    _, response = respond(CSPMiddleware)
    preset = HttpResponse("{}")
    preset["Content-Security-Policy"] = "default-src 'none'"
    request = RequestFactory().get("/api/turns")
    middleware = CSPMiddleware(lambda request: preset)
    middleware.process_request(request)
    assert middleware.process_response(request, preset)["Content-Security-Policy"] == (
        "default-src 'none'"
    )
    assert response["Content-Security-Policy"] != "default-src 'none'"


def test_excluded_prefixes_and_changed_settings_are_followed(settings):
    policy = dict(settings.CONTENT_SECURITY_POLICY)
    settings.CONTENT_SECURITY_POLICY = {**policy, "EXCLUDE_URL_PREFIXES": ["/api/"]}
    for path in ("/api/turns", "/admin/"):
        _, ours = respond(CSPMiddleware, path)
        _, theirs = respond(LibraryCSPMiddleware, path)
        assert headers(ours) == headers(theirs)
    assert "Content-Security-Policy" not in respond(CSPMiddleware, "/api/turns")[1]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert respond(CSPMiddleware)[1]["Content-Security-Policy"] == "default-src 'none'"


def test_the_settings_policy_is_built_once(monkeypatch):
    settings_csp_headers.cache_clear()
    respond(CSPMiddleware)
    built = []
    monkeypatch.setattr("interviews.middleware.build_policy", lambda **kw: built.append(kw))
    respond(CSPMiddleware)
    respond(CSPMiddleware, "/admin/")
    assert built == []
