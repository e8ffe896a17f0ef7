"""Whether a text is an AWS region's name: botocore's own format check, lower case (no region has
a capital, though the partitions' patterns take them), and a region pattern of one of botocore's
partitions. One rule for a contact's `region` and for the stack's `aws:region`."""

from __future__ import annotations

import functools
import re
from typing import Optional

import botocore.exceptions
import botocore.loaders
import botocore.utils

from . import model

EXAMPLE = "'eu-west-2'"


def region_problem(region: str) -> Optional[str]:
    """What is wrong with `region` as a region name, in words that follow it (`'x' is ...`); None if nothing."""
    shown = repr(_shorten(region))
    try:
        botocore.utils.validate_region_name(region)
    except botocore.exceptions.InvalidRegionError:
        return f"{shown} is not a region name; use one such as {EXAMPLE}"
    if region != region.lower():
        return f"{shown} is not a region name (they are lower case); use {_shorten(region.lower())!r}"
    if not any(pattern.fullmatch(region) for pattern in _region_patterns()):
        return (f"{shown} is in no AWS partition (no region pattern of botocore's partitions matches it); "
                f"use a region such as {EXAMPLE}")
    return None


@functools.lru_cache(maxsize=1)
def _region_patterns() -> tuple[re.Pattern, ...]:
    """Each partition's `regionRegex` from botocore's data (ASCII classes, whole value, as in the
    SDKs that read it)."""
    partitions = botocore.loaders.create_loader().load_data("partitions")["partitions"]
    return tuple(re.compile(model.whole_value(partition["regionRegex"]), re.ASCII) for partition in partitions)


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "..."
