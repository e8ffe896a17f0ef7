"""The plugin's provider configuration: its keys (`connect-contact:<key>`, or the inputs of an explicit
`pulumi:providers:connect-contact` resource) and the stack config key of the dynamic face each
stands for.

The engine sends a provider plugin only its own package's configuration, never pulumi-aws's
`aws:` keys, so the plugin takes the AWS settings the dynamic face reads from `aws:` under its own
namespace. The schema's `config` and `provider` sections are generated from this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping, Optional

from . import aws

PACKAGE = "connect-contact"
RESOURCE_TYPE = f"{PACKAGE}:index:Contact"


@dataclass(frozen=True)
class Setting:
    key: str
    """The plugin's key (`connect-contact:<key>`)."""
    stands_for: str
    """The dynamic face's stack config key with the same meaning."""
    doc: str
    secret: bool = False
    object_type: Optional[str] = None
    """The schema type of an object value (None: a string)."""


SETTINGS: tuple[Setting, ...] = (
    Setting("endpoint", aws.CONFIG_ENDPOINT,
            "Where contacts go: `local` (the local Connect service of the package's [local] extra), the URL of a "
            "Connect endpoint, or unset for Amazon Connect."),
    Setting("region", aws.CONFIG_REGION, "The AWS region of the contacts' instance (a contact's own `region` wins)."),
    Setting("profile", aws.CONFIG_PROFILE, "The AWS profile whose credentials the provider uses."),
    Setting("accessKey", aws.CONFIG_ACCESS_KEY, "An AWS access key ID (with secretKey).", secret=True),
    Setting("secretKey", aws.CONFIG_SECRET_KEY, "The AWS secret access key of accessKey.", secret=True),
    Setting("token", aws.CONFIG_TOKEN, "An AWS session token (with accessKey and secretKey).", secret=True),
    Setting("defaultTags", aws.CONFIG_DEFAULT_TAGS,
            "Tags every contact gets under its own, as pulumi-aws's defaultTags: `{tags: {key: value}}`.",
            object_type="DefaultTags"),
)
BY_KEY = {setting.key: setting for setting in SETTINGS}
BY_STANDS_FOR = {setting.stands_for: setting for setting in SETTINGS}
ENGINE_KEYS = ("version", "pluginDownloadURL")
"""Keys the engine itself may add to a provider's inputs (the plugin's version and where it comes from)."""


def unknown_keys(values: Mapping[str, Any]) -> list[str]:
    """The configuration keys given that the plugin does not take."""
    return sorted(key for key in values if key not in BY_KEY and key not in ENGINE_KEYS and not key.startswith("__"))


def getter(values: Mapping[str, Any]) -> Callable[[str], Any]:
    """The core's `get` (a dynamic-face config key's value, or None) over the plugin's values."""
    def get(stands_for: str) -> Any:
        setting = BY_STANDS_FOR.get(stands_for)
        return None if setting is None else values.get(setting.key)
    return get


def in_plugin_terms(message: str) -> str:
    """A message of the core, naming the plugin's keys where it names the dynamic face's."""
    for setting in SETTINGS:
        if setting.stands_for != f"{PACKAGE}:{setting.key}":
            message = message.replace(setting.stands_for, f"{PACKAGE}:{setting.key}")
    return message
