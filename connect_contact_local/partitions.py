"""AWS partitions, from botocore's data: which region names exist, and the partition an ARN of a
region names (`aws`, `aws-cn`, `aws-us-gov`, ...)."""

from __future__ import annotations

import functools
import re

import botocore.loaders

DEFAULT_PARTITION = "aws"
_REGION_CHARACTERS = re.compile(r"[a-z0-9-]+")


def is_region(name: str) -> bool:
    """Whether some AWS partition has a region of this name (its `regionRegex` in botocore's data,
    whose `\\w` also takes capitals and `_`, which no region name has)."""
    return _REGION_CHARACTERS.fullmatch(name) is not None and _partition_matching(name) is not None


def partition_of(region: str) -> str:
    """The partition whose ARNs name `region`: the one that lists it, else the one whose pattern
    it matches (a region newer than botocore's list), else `aws`."""
    return _partition_matching(region) or DEFAULT_PARTITION


@functools.lru_cache(maxsize=64)
def _partition_matching(region: str) -> str | None:
    for partition_id, regions, pattern in _partitions():
        if region in regions:
            return partition_id
    for partition_id, regions, pattern in _partitions():
        if pattern.fullmatch(region):
            return partition_id
    return None


@functools.lru_cache(maxsize=1)
def _partitions() -> tuple[tuple[str, frozenset[str], re.Pattern], ...]:
    data = botocore.loaders.create_loader().load_data("partitions")["partitions"]
    return tuple((partition["id"], frozenset(partition.get("regions", {})),
                  re.compile(_whole(partition["regionRegex"]), re.ASCII)) for partition in data)


def _whole(pattern: str) -> str:
    """`$` also matches before a final newline in Python: the pattern must match the whole name."""
    return pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith("\\$") else pattern
