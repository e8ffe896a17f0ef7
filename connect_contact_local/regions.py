"""Regions: which ones a request may be signed for, and which instances each request sees.

Connect's endpoints are regional: each one answers for its own region's instances only, and a
credential scoped to a region no AWS partition has is refused. The local service is one endpoint
for every region, so a request sees what the endpoint of the region it was signed for would show:
that region's instances, their contacts and their tags. An instance of another region is, for
it, an instance that does not exist.
"""

from __future__ import annotations

from typing import Callable, Optional

from .errors import instance_not_found, resource_not_found
from .identity import resource_name
from .partitions import is_region

__all__ = ["is_region", "of_arn", "check_scope"]

INSTANCE_MEMBER = "InstanceId"
RESOURCE_ARN_MEMBER = "resourceArn"


def of_arn(arn: str) -> str:
    """The region field of an ARN (`arn:partition:service:region:account:resource`)."""
    parts = arn.split(":", 4)
    return parts[3] if len(parts) > 4 else ""


def check_scope(params: dict, region: Optional[str], instance_arn: Callable[[str], Optional[str]]) -> None:
    """ResourceNotFoundException, as for a missing resource, when the request names an instance
    (by ID or inside a resource ARN) of a region other than the one it was signed for.
    `instance_arn`: the ARN of the instance with an ID, or None when there is none."""
    instance_id = params.get(INSTANCE_MEMBER)
    if isinstance(instance_id, str):
        arn = instance_arn(instance_id)
        if arn is not None and of_arn(arn) != region:
            raise instance_not_found(instance_id)
    resource_arn = params.get(RESOURCE_ARN_MEMBER)
    if isinstance(resource_arn, str) and resource_name(resource_arn) is not None and of_arn(resource_arn) != region:
        raise resource_not_found(resource_arn)
