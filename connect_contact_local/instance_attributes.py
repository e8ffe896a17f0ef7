"""ListInstanceAttributes: an instance's feature toggles, one per InstanceAttributeType of the model."""

from __future__ import annotations

from .model import service_model
from .rules import ASSUMED

# The attributes CreateInstance sets, from the members it was given.
SET_AT_CREATION = {"INBOUND_CALLS": "InboundCallsEnabled", "OUTBOUND_CALLS": "OutboundCallsEnabled"}


def attribute_types() -> tuple[str, ...]:
    """Every InstanceAttributeType, in the model's order (the order of the listing)."""
    return tuple(service_model().shape_for("InstanceAttributeType").enum)


def attributes(instance: dict) -> list[dict]:
    """The instance's attributes as the API lists them: "true" or "false" each."""
    def value(attribute_type: str) -> str:
        member = SET_AT_CREATION.get(attribute_type)
        if member is None:
            return ASSUMED.INSTANCE_FEATURE_DEFAULT
        return "true" if instance.get(member) else "false"

    return [{"AttributeType": attribute_type, "Value": value(attribute_type)} for attribute_type in attribute_types()]
