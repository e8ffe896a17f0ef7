"""SearchContacts' request as a query of the store: its time range, criteria, sort and page.

Every criterion is bounded before any SQL is built: the model caps the lists of agent IDs,
queue IDs, name texts and attribute criteria; repeated entries are asked for once; ContactTags,
which the model does not bound, is capped by `rules.ASSUMED.MAX_TAG_CONDITIONS`.
"""

from __future__ import annotations

from typing import Optional

from . import paging, rules
from .errors import InvalidRequest
from .model import operation
from .store import AttributeFilter, ContactQuery, TagFilter, TextFilter, sorts_as_text, supports_field

# SearchContacts without Sort: newest first, as the Connect console lists contacts.
DEFAULT_SORT = {"FieldName": "INITIATION_TIMESTAMP", "Order": "DESCENDING"}
SUPPORTED_SEARCH_CRITERIA = ("Channels", "InitiationMethods", "ContactTags", "AgentIds", "QueueIds", "Name",
                             "SearchableContactAttributes")


def sort_field(params: dict) -> str:
    return (params.get("Sort") or DEFAULT_SORT)["FieldName"]


def is_search_position(position, field: str) -> bool:
    """[sort value, contact ID, total count]: where a search's next page starts, and its count; the
    sort value of the kind the search sorts on."""
    return (isinstance(position, list) and len(position) == 3
            and paging.is_key(position[:2], text=sorts_as_text(field))
            and isinstance(position[2], int) and not isinstance(position[2], bool) and position[2] >= 0)


def contact_query(params: dict, now: float, not_before: float, after: Optional[list]) -> ContactQuery:
    """The query of one page; InvalidRequestException for what the local service cannot search."""
    time_range = params["TimeRange"]
    if time_range["StartTime"] > time_range["EndTime"]:
        raise InvalidRequest("TimeRange: StartTime must not be after EndTime")
    criteria = params.get("SearchCriteria") or {}
    unsupported = [f"SearchCriteria.{name}" for name in criteria if name not in SUPPORTED_SEARCH_CRITERIA]
    sort = params.get("Sort") or DEFAULT_SORT
    for field in (time_range["Type"], sort["FieldName"]):
        if not supports_field(field):
            unsupported.append(field)
    if unsupported:
        raise InvalidRequest(f"{', '.join(unsupported)} is not supported by the local Connect service")
    return ContactQuery(
        instance_id=params["InstanceId"],
        time_field=time_range["Type"],
        start=time_range["StartTime"],
        end=time_range["EndTime"],
        now=now,
        not_before=not_before,
        sort_field=sort["FieldName"],
        descending=sort["Order"] == "DESCENDING",
        # Sets of names: a list repeating them asks for no more work than the names once.
        channels=_distinct(criteria.get("Channels")),
        initiation_methods=_distinct(criteria.get("InitiationMethods")),
        tag_filter=_tag_filter(criteria.get("ContactTags")),
        agent_ids=_distinct(criteria.get("AgentIds")),
        queue_ids=_distinct(criteria.get("QueueIds")),
        name=_name_filter(criteria.get("Name")),
        attributes=_attribute_filter(criteria.get("SearchableContactAttributes")),
        after=after,
        limit=params.get("MaxResults") or _max_results("SearchContacts"),
    )


def _distinct(values: Optional[list]) -> list:
    return sorted(set(values or []))


def _name_filter(name: Optional[dict]) -> Optional[TextFilter]:
    if not name:
        return None
    ignore_case = rules.ASSUMED.NAME_MATCH_IGNORES_CASE
    texts = _distinct([text.casefold() if ignore_case else text for text in name["SearchText"]])
    return TextFilter(texts, name["MatchType"], ignore_case)


def _attribute_filter(attributes: Optional[dict]) -> Optional[AttributeFilter]:
    if not attributes:
        return None
    criteria = sorted({(item["Key"], tuple(_distinct(item["Values"]))) for item in attributes["Criteria"]})
    return AttributeFilter([(key, list(values)) for key, values in criteria],
                           attributes.get("MatchType") or rules.ASSUMED.ATTRIBUTE_SEARCH_DEFAULT_MATCH)


def _tag_filter(contact_tags: Optional[dict]) -> Optional[TagFilter]:
    """ContactTags as conditions that must all hold, and AND-lists of which one must; at most
    ASSUMED.MAX_TAG_CONDITIONS conditions (and lists) in all, counted before any query is built."""
    if not contact_tags:
        return None
    groups = contact_tags.get("OrConditions", [])
    given = (("TagCondition" in contact_tags) + len(contact_tags.get("AndConditions", []))
             + len(groups) + sum(len(group) for group in groups))
    if given > rules.ASSUMED.MAX_TAG_CONDITIONS:
        raise InvalidRequest(f"SearchCriteria.ContactTags: holds {given} conditions and condition lists; "
                             f"the limit is {rules.ASSUMED.MAX_TAG_CONDITIONS}")

    def conditions(items):
        return [(item["TagKey"], item.get("TagValue")) for item in items if item.get("TagKey") is not None]

    required = conditions([contact_tags["TagCondition"]] if "TagCondition" in contact_tags else [])
    required += conditions(contact_tags.get("AndConditions", []))
    alternatives = [conditions(group) for group in groups] if groups else None
    if not required and alternatives is None:
        return None
    return TagFilter(required, alternatives)


def _max_results(operation_name: str) -> int:
    return operation(operation_name).input_shape.members["MaxResults"].metadata["max"]
