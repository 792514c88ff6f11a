"""Who may scrape /metrics: a bearer token when one is configured, else an address list.

Metrics reveal traffic, error rates and job volumes; they are not for the open internet.
With TAILOR_METRICS_TOKEN set, scrapers send `Authorization: Bearer <token>`; without it,
only clients in TAILOR_METRICS_ALLOWED_IPS (loopback by default) are answered.
"""

from __future__ import annotations

import hmac

from starlette.requests import Request

from app.config import Settings


def metrics_allowed(request: Request, settings: Settings) -> bool:
    expected = settings.metrics_token.get_secret_value() if settings.metrics_token else ""
    if expected:  # an empty value (compose's default) means "no token", never "any token"
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        presented = value.strip().encode()
        return scheme.lower() == "bearer" and hmac.compare_digest(presented, expected.encode())
    client = request.client.host if request.client else ""
    return client in settings.metrics_allowed_ips
