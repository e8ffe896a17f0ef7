"""Regions: which ones a request may be signed for, and which instances each request sees.

Connect's endpoints are regional: each one answers for its own region's instances only, and a
credential scoped to a region no AWS partition has is refused. The local service is one endpoint
for every region, so a request sees what the endpoint of the region it was signed for would show:
that region's instances, their contacts and their tags. An instance of another region is, for
it, an instance that does not exist.
"""

from __future__ import annotations

import functools
import re
from typing import Callable, Optional

import botocore.loaders

from .errors import instance_not_found, resource_not_found
from .identity import resource_name

INSTANCE_MEMBER = "InstanceId"
RESOURCE_ARN_MEMBER = "resourceArn"


def is_region(name: str) -> bool:
    """Whether some AWS partition has a region of this name (its `regionRegex` in botocore's data,
    whose `\\w` also takes capitals and `_`, which no region name has)."""
    return _REGION_CHARACTERS.fullmatch(name) is not None and any(pattern.fullmatch(name)
                                                                  for pattern in _region_patterns())


_REGION_CHARACTERS = re.compile(r"[a-z0-9-]+")


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


@functools.lru_cache(maxsize=1)
def _region_patterns() -> tuple[re.Pattern, ...]:
    partitions = botocore.loaders.create_loader().load_data("partitions")["partitions"]
    return tuple(re.compile(_whole(partition["regionRegex"]), re.ASCII) for partition in partitions)


def _whole(pattern: str) -> str:
    """`$` also matches before a final newline in Python: the pattern must match the whole name."""
    return pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith("\\$") else pattern
