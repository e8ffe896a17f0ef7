"""TagResource, UntagResource and ListTagsForResource on instance and contact ARNs.

A contact's tags are one set, whichever operation writes them: TagResource on its ARN and
TagContact change the same tags, which DescribeContact and SearchContacts' ContactTags see.
A contact carries at most `rules.max_contact_tags()` of them, an instance at most
`rules.MAX_RESOURCE_TAGS`. Any ARN that names no instance or contact this service holds (another
region's, another resource type's, a deleted instance's) is ResourceNotFoundException.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import rules
from .clock import Clock
from .contacts import live_contact
from .errors import InvalidRequest, joined, resource_not_found
from .identity import resource_name
from .store import Store, Transaction


@dataclass(frozen=True)
class _Tagged:
    """The document of the resource an ARN names, and where it is kept."""

    doc: dict
    instance_id: str
    is_contact: bool

    def refusal(self, tags: dict) -> str | None:
        limit = rules.refused_tags if self.is_contact else rules.refused_resource_tags
        violations = limit(tags, member="tags")
        return joined(violations) if violations else None

    def save(self, tx: Transaction, tags: dict) -> None:
        if tags:
            self.doc["Tags"] = tags
        else:
            self.doc.pop("Tags", None)
        if self.is_contact:
            tx.replace_contact(self.instance_id, self.doc)
        else:
            tx.replace_instance(self.doc)


class ResourceTags:
    def __init__(self, store: Store, clock: Clock):
        self._store = store
        self._clock = clock

    def tag_resource(self, params: dict) -> dict:
        with self._store.writing() as tx:
            tagged = _resolve(tx, params["resourceArn"], self._clock.now())
            tags = {**tagged.doc.get("Tags", {}), **params["tags"]}
            refusal = tagged.refusal(tags)
            if refusal is not None:
                raise InvalidRequest(refusal)
            tagged.save(tx, tags)
        return {}

    def untag_resource(self, params: dict) -> dict:
        with self._store.writing() as tx:
            tagged = _resolve(tx, params["resourceArn"], self._clock.now())
            removed = set(params["tagKeys"])
            tagged.save(tx, {key: value for key, value in tagged.doc.get("Tags", {}).items() if key not in removed})
        return {}

    def list_tags_for_resource(self, params: dict) -> dict:
        with self._store.reading() as tx:
            tagged = _resolve(tx, params["resourceArn"], self._clock.now())
        return {"tags": dict(tagged.doc.get("Tags", {}))}


def _resolve(tx: Transaction, arn: str, now: float) -> _Tagged:
    name = resource_name(arn)
    instance = tx.instance(name.instance_id) if name is not None else None
    if name is None or instance is None or instance["Arn"] != name.instance_arn:
        raise resource_not_found(arn)
    if name.contact_id is None:
        return _Tagged(instance, name.instance_id, is_contact=False)
    contact = live_contact(tx, name.instance_id, name.contact_id, now)
    if contact is None:
        raise resource_not_found(arn)
    return _Tagged(contact, name.instance_id, is_contact=True)
