"""ContactProvider: the dynamic-provider face of the core (`lifecycle`), for Pulumi's
dynamic-provider host.

It turns the host's calls into the core's and the core's plain results into the host's types,
marks the sensitive outputs secret, and sends the core's warnings and info lines to Pulumi's log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

import pulumi
from pulumi.dynamic import (CheckFailure, CheckResult, ConfigureRequest, CreateResult, DiffResult,
                            ReadResult, ResourceProvider, UpdateResult)

from . import pulumi_compat, schema
from .pulumi_compat import UNKNOWN, is_unknown

if TYPE_CHECKING:
    from . import connect_api
    from .aws import ClientSettings
    from .lifecycle import Lifecycle


class ContactProvider(ResourceProvider):
    """The dynamic provider behind `Contact`.

    It pickles by reference (a few dozen bytes, the same on every run) and keeps
    nothing but the core, which makes its boto3 clients on first use from the stack
    config `configure` gets.

    The core (botocore, Connect's model) is loaded on the first call, in the provider
    host: a program makes this object only to name it, and never loads either.
    """

    serialize_as_secret_always = False

    def __init__(self) -> None:
        super().__init__()
        self._lifecycle: Optional[Lifecycle] = None

    @property
    def _core(self) -> Lifecycle:
        if self._lifecycle is None:
            from .lifecycle import Lifecycle

            self._lifecycle = Lifecycle(warn=pulumi.log.warn, info=pulumi.log.info)
        return self._lifecycle

    def __reduce__(self):
        return (ContactProvider, ())

    @property
    def _settings(self) -> ClientSettings:
        return self._core.settings

    @property
    def _connections(self) -> dict[Optional[str], Any]:
        return self._core._connections

    def connect(self, props: Optional[dict[str, Any]] = None) -> connect_api.ConnectApi:
        return self._core.connect(props)

    def configure(self, req: ConfigureRequest) -> None:
        from .aws import ConnectContactError

        pulumi_compat.report_in_one_line(ConnectContactError)
        self._core.configure(req.config.get)

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        checked = self._core.check(olds, news)
        return CheckResult(checked.inputs, [CheckFailure(path, reason) for path, reason in checked.failures])

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        diffed = self._core.diff(_id, olds, news)
        return DiffResult(changes=diffed.changes, replaces=diffed.replaces, stables=diffed.stables,
                          delete_before_replace=diffed.delete_before_replace)

    def create(self, props: dict[str, Any]) -> CreateResult:
        made = self._core.create(props)
        return CreateResult(made.id, _with_secrets(made.outs))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(_with_secrets(self._core.update(id_, olds, news).outs))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        made = self._core.read(id_, props)
        inputs = _with_secrets(made.inputs) if made.inputs is not None else None
        return ReadResult(made.id, _with_secrets(made.outs), inputs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        self._core.delete(id_, props)


def _with_secrets(outs: dict[str, Any]) -> dict[str, Any]:
    """The sensitive fields as secrets, whether declared or only read (a refresh marks nothing itself)."""
    return {key: pulumi_compat.secret(value) if key in schema.SECRET_OUTPUTS else value for key, value in outs.items()}


__all__ = ["ContactProvider", "UNKNOWN", "is_unknown"]
