"""Who and where the local service pretends to be: account, region and ARNs."""

from __future__ import annotations

from dataclasses import dataclass

# A fixed, obviously fake account: ARNs must look like AWS's, and be stable across restarts.
ACCOUNT_ID = "123456789012"


@dataclass(frozen=True)
class Identity:
    region: str = "us-east-1"
    account_id: str = ACCOUNT_ID

    def instance_arn(self, instance_id: str) -> str:
        return f"arn:aws:connect:{self.region}:{self.account_id}:instance/{instance_id}"

    def service_role_arn(self) -> str:
        return (f"arn:aws:iam::{self.account_id}:role/aws-service-role/connect.amazonaws.com/"
                "AWSServiceRoleForAmazonConnect")


def contact_arn(instance_arn: str, contact_id: str) -> str:
    return f"{instance_arn}/contact/{contact_id}"
