"""Signature Version 4, checked as AWS checks it, with botocore's own signer.

A request must carry `Authorization: AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/connect/aws4_request,
SignedHeaders=..., Signature=...` and an `X-Amz-Date` within 15 minutes of the service's
(real) time, signed with an access key this service issued. The signature is computed again
by botocore's `SigV4Auth` over the request as it arrived (method, raw path and query, the
signed headers, the body) and compared; the algorithm is never written out here.

The answers are AWS's common authentication errors (see `errors`).
"""

from __future__ import annotations

import hmac
from hashlib import sha256
import re
import time
from calendar import timegm
from typing import Mapping, Optional

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from . import regions
from .errors import (IncompleteSignature, InvalidSignature, MissingAuthenticationToken, RequestExpired,
                     ServiceError, UnrecognizedClient)

MAX_SKEW_SECONDS = 15 * 60
SERVICE = "connect"
_AUTHORIZATION = re.compile(
    r"AWS4-HMAC-SHA256 Credential=(?P<key>[^/,\s]+)/(?P<date>\d{8})/(?P<region>[^/,\s]+)/(?P<service>[^/,\s]+)"
    r"/aws4_request,\s*SignedHeaders=(?P<headers>[!#$%&'*+.^_`|~0-9a-z-]+(?:;[!#$%&'*+.^_`|~0-9a-z-]+)*),"
    r"\s*Signature=(?P<signature>[0-9a-f]{64})\Z")
_AMZ_DATE = re.compile(r"\d{8}T\d{6}Z\Z")


def refusal(method: str, target: str, headers, body: bytes, secrets: Mapping[str, str],
            now: Optional[float] = None) -> Optional[ServiceError]:
    """Why the request's signature is not accepted, or None. `target` is the request target as
    sent (raw path and query), `headers` the request's headers, `secrets` access key -> secret key."""
    authorization = headers.get("Authorization")
    if not authorization:
        return MissingAuthenticationToken("Missing Authentication Token")
    parts = _AUTHORIZATION.match(authorization.strip())
    if parts is None:
        return IncompleteSignature("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' "
                                   "parameters, as AWS Signature Version 4 (AWS4-HMAC-SHA256) sends them")
    signed = parts["headers"].split(";")
    amz_date = headers.get("X-Amz-Date", "")
    if "x-amz-date" not in signed or not _AMZ_DATE.match(amz_date):
        return IncompleteSignature("Authorization header requires existence of a signed 'X-Amz-Date' header "
                                   "(YYYYMMDDTHHMMSSZ)")
    if "host" not in signed:
        return IncompleteSignature("the 'Host' header must be signed")
    if parts["date"] != amz_date[:8]:
        return InvalidSignature(f"Date in Credential scope does not match YYYYMMDD from X-Amz-Date: {parts['date']}")
    if parts["service"] != SERVICE:
        return InvalidSignature(f"Credential should be scoped to correct service: '{SERVICE}'")
    if not regions.is_region(parts["region"]):
        return InvalidSignature(f"Credential should be scoped to a valid region, not {parts['region'][:40]!r}")
    try:
        signed_at = timegm(time.strptime(amz_date, "%Y%m%dT%H%M%SZ"))
    except ValueError:
        return IncompleteSignature(f"X-Amz-Date {amz_date!r} is not a date")
    now = time.time() if now is None else now
    if abs(now - signed_at) > MAX_SKEW_SECONDS:
        return RequestExpired(f"Request has expired: signed at {amz_date}, more than 15 minutes from the "
                              "service's time")
    secret = secrets.get(parts["key"])
    if secret is None:
        return UnrecognizedClient("The security token included in the request is invalid.")
    if any(name not in headers for name in signed):
        return InvalidSignature("a header named in SignedHeaders is missing from the request")
    expected = _signature(method, target, headers, signed, body, parts, secret, amz_date)
    if expected is None or not hmac.compare_digest(expected, parts["signature"]):
        return InvalidSignature("The request signature we calculated does not match the signature you provided. "
                                "Check your AWS Secret Access Key and signing method.")
    return None


def _signature(method: str, target: str, headers, signed: list[str], body: bytes, parts, secret: str,
               amz_date: str) -> Optional[str]:
    """The signature botocore computes for this request, or None where it cannot compute one
    (a target or header it cannot read is no valid signature either)."""
    try:
        request = AWSRequest(method=method, url=f"http://{headers['Host']}{target}", data=body)
        for name in signed:
            for value in headers.getlist(name):
                request.headers[name] = value  # botocore's headers keep each value given
        if "x-amz-content-sha256" in signed and headers["X-Amz-Content-SHA256"] != sha256(body).hexdigest():
            return None  # botocore would trust the header: the body must match it
        request.context["timestamp"] = amz_date
        signer = SigV4Auth(Credentials(parts["key"], secret), parts["service"], parts["region"])
        canonical = signer.canonical_request(request)
        return signer.signature(signer.string_to_sign(request, canonical), request)
    except Exception:
        return None
