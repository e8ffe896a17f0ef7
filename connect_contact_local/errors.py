"""The modelled errors the service answers with.

Each error is named after an error shape of botocore's Connect model; its HTTP
status comes from that shape, so boto3 raises the matching modelled exception
class (``client.exceptions.<Name>``).
"""

from __future__ import annotations

import functools
from typing import Iterable

from .model import Violation, service_model
from .rules import ASSUMED


class ServiceError(Exception):
    """An error answer: the model's error shape name and a one-line message."""

    code = "InternalServiceException"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    @property
    def status(self) -> int:
        return http_status(self.code)


class AccessDenied(ServiceError):
    code = "AccessDeniedException"


class InvalidParameter(ServiceError):
    code = "InvalidParameterException"


class InvalidRequest(ServiceError):
    code = "InvalidRequestException"


class ResourceNotFound(ServiceError):
    code = "ResourceNotFoundException"


class ContactNotFound(ServiceError):
    code = "ContactNotFoundException"


class IdempotencyConflict(ServiceError):
    code = "IdempotencyException"


class Throttled(ServiceError):
    code = "ThrottlingException"


class InternalFailure(ServiceError):
    code = "InternalServiceException"


class AuthenticationFailure(ServiceError):
    """An answer every AWS API gives for a missing or wrong signature: not in Connect's model,
    so its status is AWS's common one (`rules.ASSUMED.AUTHENTICATION_STATUSES` where the
    documentation gives none)."""

    documented_status = 403

    @property
    def status(self) -> int:
        return ASSUMED.AUTHENTICATION_STATUSES.get(self.code, self.documented_status)


class MissingAuthenticationToken(AuthenticationFailure):
    code = "MissingAuthenticationTokenException"


class IncompleteSignature(AuthenticationFailure):
    code = "IncompleteSignatureException"
    documented_status = 400


class InvalidSignature(AuthenticationFailure):
    code = "InvalidSignatureException"


class UnrecognizedClient(AuthenticationFailure):
    code = "UnrecognizedClientException"


class RequestExpired(AuthenticationFailure):
    code = "RequestExpired"


class InjectedFailure(InternalFailure):
    """An InternalServiceException injected on purpose (``--fail-rate``)."""


def instance_not_found(instance_id: str) -> ResourceNotFound:
    """What every operation answers for an instance it cannot see (none, deleted, another region's)."""
    return ResourceNotFound(f"Instance {instance_id} not found")


def resource_not_found(arn: str) -> ResourceNotFound:
    """What the tagging operations answer for an ARN that names nothing they can see."""
    return ResourceNotFound(f"Resource {arn[:300]} not found")


@functools.lru_cache(maxsize=None)
def http_status(code: str) -> int:
    return int(service_model().shape_for(code).metadata["error"]["httpStatusCode"])


def joined(violations: Iterable[Violation]) -> str:
    """All violations in one line, each naming the member path it concerns."""
    return "; ".join(violation.api_message() for violation in violations)
