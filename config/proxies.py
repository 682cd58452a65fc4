"""The client's address behind trusted reverse proxies (DJANGO_TRUSTED_PROXIES)."""

from django.conf import settings


def client_address(request) -> str | None:
    """REMOTE_ADDR, or with N trusted proxies in front, the address the outermost of them
    received the request from: the N-th entry from the right of X-Forwarded-For (each
    proxy appends what it saw; anything further left is the client's to invent)."""
    hops = settings.TRUSTED_PROXIES
    if hops:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
        if len(addresses) >= hops:
            return addresses[-hops]
    return request.META.get("REMOTE_ADDR")
