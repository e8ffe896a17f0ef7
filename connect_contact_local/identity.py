"""Who and where the local service pretends to be: account, region and ARNs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .partitions import partition_of

# A fixed, obviously fake account: ARNs must look like AWS's, and be stable across restarts.
ACCOUNT_ID = "123456789012"


@dataclass(frozen=True)
class Identity:
    region: str = "us-east-1"
    account_id: str = ACCOUNT_ID

    def instance_arn(self, instance_id: str) -> str:
        return f"arn:{partition_of(self.region)}:connect:{self.region}:{self.account_id}:instance/{instance_id}"

    def service_role_arn(self) -> str:
        return (f"arn:{partition_of(self.region)}:iam::{self.account_id}:role/aws-service-role/"
                "connect.amazonaws.com/AWSServiceRoleForAmazonConnect")


def contact_arn(instance_arn: str, contact_id: str) -> str:
    return f"{instance_arn}/contact/{contact_id}"


@dataclass(frozen=True)
class ResourceName:
    """What a Connect resource ARN names: an instance, or a contact inside one."""

    instance_arn: str
    instance_id: str
    contact_id: Optional[str] = None


_RESOURCE_ARN = re.compile(r"(arn:[a-z-]+:connect:[a-z0-9-]*:\d{12}:instance/([^/]+))(?:/contact/([^/]+))?")


def resource_name(arn: str) -> Optional[ResourceName]:
    """The instance or contact an ARN names, or None for an ARN of any other kind."""
    match = _RESOURCE_ARN.fullmatch(arn)
    if match is None:
        return None
    return ResourceName(instance_arn=match.group(1), instance_id=match.group(2), contact_id=match.group(3))
