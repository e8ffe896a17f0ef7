"""A dynamic resource that does nothing (its create returns at once): the reference the start-up
benchmark measures the provider host against. Importable, so it pickles by reference, as
`ContactProvider` does."""

from __future__ import annotations

from pulumi.dynamic import CreateResult, Resource, ResourceProvider


class NoopProvider(ResourceProvider):
    def create(self, props):
        return CreateResult(id_=props["resourceName"], outs=props)


class Noop(Resource, module="bench", name="Noop"):
    def __init__(self, resource_name: str, args: dict):
        super().__init__(NoopProvider(), resource_name, {"resourceName": resource_name, **args})
