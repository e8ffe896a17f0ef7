"""The real AWS CLI (v1) against the local service: every operation the service serves, through
`aws connect ...`, each case with the answer the documentation gives, written as a literal.

Every case names its source: MODEL (botocore's Connect model: required members, limits, enums,
patterns, error shapes), DOCS (the model's operation and member documentation), SEMANTICS (the
project's semantics file, taken from the Amazon Connect API Reference), ASSUMED (a reading kept in
`connect_contact_local.rules.ASSUMED`) or CLI (the AWS CLI v1 user guide's return codes: 0 success,
2 a command line that could not be parsed, 255 an error from the CLI or the service).

Each command runs in a process of its own (tests/support/aws_cli.py); the cases that change state
get a contact or an instance of their own, made with boto3 before the commands run, and what a
command changed is read back with boto3 afterwards.
"""

from __future__ import annotations

import json
import re
import string
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import pytest
from tests.support import aws_cli
from tests.support.emulator_support import EMAIL_OUTBOUND, TASK, USER, VOICE_TRANSFER

from connect_contact.launcher import PLACEHOLDER_CREDENTIALS

MODEL, DOCS, SEMANTICS, ASSUMED, CLI = "model", "docs", "semantics", "assumed", "cli"
UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
ACCOUNT = "123456789012"
RANGE = '{"Type":"INITIATION_TIMESTAMP","StartTime":"2000-01-01T00:00:00Z","EndTime":"2100-01-01T00:00:00Z"}'
SEARCH = ("search-contacts", "--instance-id", "$search", "--time-range", RANGE, "--no-paginate",
          "--query", "{total: TotalCount, names: sort(Contacts[].Name)}")
NAMES = {"billing": "Billing question", "refund": "Refund for billing error", "call": "Transferred call",
         "email": "Follow-up email"}
ALL_NAMES = sorted(NAMES.values())
pytestmark = pytest.mark.timeout(900)  # the module's fixture runs every command, a few at a time


class Like(str):
    """An expected value that is a pattern (after the case's placeholders are filled in)."""


@dataclass(frozen=True)
class Case:
    name: str
    argv: tuple[str, ...]
    exit_code: int
    source: str
    error: Optional[str] = None       # the error code the CLI prints, or a phrase of its own refusal
    fields: dict = field(default_factory=dict)  # path in the JSON printed ("" the whole) -> expected
    fresh: Optional[str] = None       # a resource of the case's own: $fresh, $fresh_arn
    after: Optional[tuple[str, Any]] = None  # (probe, expected) read with boto3 after every command ran
    env: dict = field(default_factory=dict)


def ok(name, argv, source, fields=None, **more) -> Case:
    return Case(name, tuple(argv), 0, source, fields=fields or {}, **more)


def error(name, argv, code, source, **more) -> Case:
    return Case(name, tuple(argv), 255, source, error=f"An error occurred ({code})", **more)


def refused_by_cli(name, argv, phrase, source=CLI, exit_code=255, **more) -> Case:
    return Case(name, tuple(argv), exit_code, source, error=phrase, **more)


def missing(name, argv, **more) -> Case:
    return refused_by_cli(name, argv, "the following arguments are required", exit_code=2, **more)


CREATE = ("create-contact", "--instance-id", "$instance")
OVER_32_KIB = json.dumps({f"key{n}": "x" * 900 for n in range(40)})  # each value within the model's limit
TASK_ARGS = CREATE + ("--channel", "TASK", "--initiation-method", "API")
CONTACT_ARN = Like(f"arn:aws:connect:us-east-1:{ACCOUNT}:instance/$instance/contact/{UUID}")
CREATED = {"ContactId": Like(UUID), "ContactArn": CONTACT_ARN}

CREATE_CASES = [
    ok("task", TASK_ARGS + ("--name", "n"), SEMANTICS, CREATED),
    ok("task completed", TASK_ARGS + ("--initiate-as", "COMPLETED"), SEMANTICS, CREATED),
    ok("email outbound with user", CREATE + ("--channel", "EMAIL", "--initiation-method", "OUTBOUND",
                                             "--user-info", "UserId=agent-1"), SEMANTICS, CREATED),
    ok("email agent reply with user", CREATE + ("--channel", "EMAIL", "--initiation-method", "AGENT_REPLY",
                                                "--user-info", "UserId=agent-1"), SEMANTICS, CREATED),
    ok("email flow", CREATE + ("--channel", "EMAIL", "--initiation-method", "FLOW"), SEMANTICS, CREATED),
    ok("voice transfer", CREATE + ("--channel", "VOICE", "--initiation-method", "TRANSFER"), SEMANTICS, CREATED),
    ok("voice transfer with previous", CREATE + ("--channel", "VOICE", "--initiation-method", "TRANSFER",
                                                 "--previous-contact-id", "$voice"), SEMANTICS, CREATED),
    ok("connected to user", TASK_ARGS + ("--initiate-as", "CONNECTED_TO_USER", "--user-info", "UserId=u"),
       SEMANTICS, CREATED),
    ok("attributes", TASK_ARGS + ("--attributes", '{"order-id":"42","x_y":""}'), SEMANTICS, CREATED),
    ok("references", TASK_ARGS + ("--references", '{"doc":{"Value":"https://example.com","Type":"URL"},'
                                                  '"due":{"Value":"1767225600","Type":"DATE"}}'), SEMANTICS, CREATED),
    ok("expiry", TASK_ARGS + ("--expiry-duration-in-minutes", "60"), SEMANTICS, CREATED),
    ok("segment expiry", TASK_ARGS + ("--segment-attributes",
                                      '{"connect:ContactExpiry":{"ValueMap":{"ExpiryDuration":{"ValueInteger":90}}}}'),
       SEMANTICS, CREATED),
    ok("name at its limit", TASK_ARGS + ("--name", "n" * 1024), MODEL, CREATED),
    ok("replayed token", TASK_ARGS + ("--name", "replayed", "--client-token", "cli-replay"), SEMANTICS,
       {"ContactId": "$replayed"}),
    error("reused token", TASK_ARGS + ("--name", "other", "--client-token", "cli-replay"), "IdempotencyException",
          SEMANTICS),
    error("chat", CREATE + ("--channel", "CHAT", "--initiation-method", "API"), "InvalidRequestException", SEMANTICS),
    error("task inbound", CREATE + ("--channel", "TASK", "--initiation-method", "INBOUND"),
          "InvalidRequestException", SEMANTICS),
    error("email api", CREATE + ("--channel", "EMAIL", "--initiation-method", "API"), "InvalidRequestException",
          SEMANTICS),
    error("voice api", CREATE + ("--channel", "VOICE", "--initiation-method", "API"), "InvalidRequestException",
          SEMANTICS),
    error("email outbound without user", CREATE + ("--channel", "EMAIL", "--initiation-method", "OUTBOUND"),
          "InvalidRequestException", SEMANTICS),
    error("completed email", CREATE + ("--channel", "EMAIL", "--initiation-method", "FLOW", "--initiate-as",
                                       "COMPLETED"), "InvalidRequestException", SEMANTICS),
    error("connected to user without user", TASK_ARGS + ("--initiate-as", "CONNECTED_TO_USER"),
          "InvalidRequestException", ASSUMED),
    error("previous on a task", TASK_ARGS + ("--previous-contact-id", "$contact"), "InvalidRequestException",
          SEMANTICS),
    error("attribute key", TASK_ARGS + ("--attributes", '{"a b":"1"}'), "InvalidRequestException", SEMANTICS),
    error("attributes over 32 KiB", TASK_ARGS + ("--attributes", OVER_32_KIB), "InvalidRequestException", SEMANTICS),
    error("attribute value over 32767", TASK_ARGS + ("--attributes", json.dumps({"big": "x" * 32_768})),
          "InvalidParameterException", MODEL),
    error("date reference", TASK_ARGS + ("--references", '{"due":{"Value":"tomorrow","Type":"DATE"}}'),
          "InvalidRequestException", SEMANTICS),
    error("task reference type", TASK_ARGS + ("--references", '{"c":{"Value":"v","Type":"CONTACT_ANALYSIS"}}'),
          "InvalidRequestException", SEMANTICS),
    error("references over 4 KiB", TASK_ARGS + ("--references", json.dumps(
        {f"r{n}": {"Value": "x" * 1_500, "Type": "STRING"} for n in range(3)})), "InvalidRequestException", SEMANTICS),
    error("segment key", TASK_ARGS + ("--segment-attributes", '{"a b":{"ValueString":"x"}}'),
          "InvalidRequestException", SEMANTICS),
    error("segment expiry zero", TASK_ARGS + ("--segment-attributes",
                                              '{"connect:ContactExpiry":{"ValueMap":{"ExpiryDuration":'
                                              '{"ValueInteger":0}}}}'), "InvalidRequestException", ASSUMED),
    error("expiry zero", TASK_ARGS + ("--expiry-duration-in-minutes", "0"), "InvalidRequestException", ASSUMED),
    error("name over 1024", TASK_ARGS + ("--name", "n" * 1025), "InvalidParameterException", MODEL),
    error("description over 4096", TASK_ARGS + ("--description", "d" * 4097), "InvalidParameterException", MODEL),
    error("token over 500", TASK_ARGS + ("--client-token", "t" * 501), "InvalidParameterException", MODEL),
    error("channel not in the enum", CREATE + ("--channel", "SMS", "--initiation-method", "API"),
          "InvalidParameterException", MODEL),
    error("method not in the enum", CREATE + ("--channel", "TASK", "--initiation-method", "PIGEON"),
          "InvalidParameterException", MODEL),
    error("initiate as not in the enum", TASK_ARGS + ("--initiate-as", "LATER"), "InvalidParameterException", MODEL),
    error("unknown instance", ("create-contact", "--instance-id", "no-such-instance", "--channel", "TASK",
                               "--initiation-method", "API"), "ResourceNotFoundException", SEMANTICS),
    error("deleted instance", ("create-contact", "--instance-id", "$deleted", "--channel", "TASK",
                               "--initiation-method", "API"), "ResourceNotFoundException", DOCS),
    missing("no channel", CREATE + ("--initiation-method", "API")),
    missing("no instance", ("create-contact", "--channel", "TASK", "--initiation-method", "API")),
    refused_by_cli("expiry not a number", TASK_ARGS + ("--expiry-duration-in-minutes", "soon"), "invalid literal"),
    refused_by_cli("attributes a list", TASK_ARGS + ("--attributes", '["a"]'), "Error parsing parameter"),
    refused_by_cli("user info a number", TASK_ARGS + ("--user-info", "5"), "Error parsing parameter"),
]

DESCRIBE = ("describe-contact", "--instance-id", "$instance", "--contact-id")
DESCRIBE_CASES = [
    ok("task", DESCRIBE + ("$contact",), SEMANTICS, {
        "Contact.Id": "$contact", "Contact.Arn": "$contact_arn", "Contact.Channel": "TASK",
        "Contact.InitiationMethod": "API", "Contact.Name": "Kept", "Contact.Attributes": {"a": "1"},
        "Contact.InitialContactId": "$contact",
        "Contact.SegmentAttributes": {"connect:Subtype": {"ValueString": "connect:ExternalTask"}},
        "Contact.Tags": {"kept": "yes"}}),
    ok("voice subtype", DESCRIBE + ("$voice",), SEMANTICS, {
        "Contact.Channel": "VOICE", "Contact.SegmentAttributes": {"connect:Subtype": {"ValueString":
                                                                                      "connect:ExternalAudio"}}}),
    ok("stopped has its end", DESCRIBE + ("$stopped", "--query", "Contact.DisconnectTimestamp != null"),
       SEMANTICS, {"": True}),
    ok("active has no end", DESCRIBE + ("$contact", "--query", "Contact.DisconnectTimestamp == null"),
       SEMANTICS, {"": True}),
    ok("completed has its end", DESCRIBE + ("$completed", "--query", "Contact.DisconnectTimestamp != null"),
       SEMANTICS, {"": True}),
    ok("agent of an email", DESCRIBE + ("$email",), SEMANTICS, {"Contact.AgentInfo.Id": "agent-1"}),
    error("unknown contact", DESCRIBE + ("no-such-contact",), "ResourceNotFoundException", SEMANTICS),
    error("unknown instance", ("describe-contact", "--instance-id", "no-such-instance", "--contact-id", "$contact"),
          "ResourceNotFoundException", SEMANTICS),
    error("contact of another instance", ("describe-contact", "--instance-id", "$search", "--contact-id",
                                          "$contact"), "ResourceNotFoundException", SEMANTICS),
    error("contact of a deleted instance", ("describe-contact", "--instance-id", "$deleted", "--contact-id",
                                            "$deleted_contact"), "ResourceNotFoundException", DOCS),
    error("id over 256", DESCRIBE + ("c" * 257,), "InvalidParameterException", MODEL),
    missing("no contact id", ("describe-contact", "--instance-id", "$instance")),
]

UPDATE = ("update-contact", "--instance-id", "$instance", "--contact-id", "$fresh")
UPDATE_CASES = [
    ok("name", UPDATE + ("--name", "renamed"), SEMANTICS, fresh="contact", after=("name", "renamed")),
    ok("description", UPDATE + ("--description", "about"), SEMANTICS, fresh="contact",
       after=("description", "about")),
    ok("name of a completed contact", UPDATE + ("--name", "after the end"), SEMANTICS, fresh="completed",
       after=("name", "after the end")),
    ok("references merge", UPDATE + ("--references", '{"second":{"Value":"2","Type":"NUMBER"}}'), SEMANTICS,
       fresh="contact", after=("reference names", ["first", "second"])),
    ok("segment attributes merge", UPDATE + ("--segment-attributes", '{"stage":{"ValueString":"two"}}'), SEMANTICS,
       fresh="contact", after=("segment keys", ["connect:Subtype", "stage"])),
    ok("queue of a voice transfer", UPDATE + ("--queue-info", "Id=queue-9"), SEMANTICS, fresh="voice",
       after=("queue", "queue-9")),
    ok("agent of a voice transfer", UPDATE + ("--user-info", "UserId=agent-9"), SEMANTICS, fresh="voice",
       after=("agent", "agent-9")),
    error("nothing to change", UPDATE, "InvalidRequestException", SEMANTICS, fresh="contact",
          after=("name", "fresh")),
    error("queue of a task", UPDATE + ("--queue-info", "Id=q"), "InvalidRequestException", SEMANTICS,
          fresh="contact", after=("queue", None)),
    error("agent of a task", UPDATE + ("--user-info", "UserId=u"), "InvalidRequestException", SEMANTICS,
          fresh="contact"),
    error("name over 1024", UPDATE + ("--name", "n" * 1025), "InvalidParameterException", MODEL, fresh="contact",
          after=("name", "fresh")),
    error("date reference", UPDATE + ("--references", '{"d":{"Value":"noon","Type":"DATE"}}'),
          "InvalidRequestException", SEMANTICS, fresh="contact"),
    error("unknown contact", ("update-contact", "--instance-id", "$instance", "--contact-id", "no-such-contact",
                              "--name", "x"), "ResourceNotFoundException", SEMANTICS),
    missing("no contact id", ("update-contact", "--instance-id", "$instance", "--name", "x")),
]

ATTRIBUTES = ("update-contact-attributes", "--instance-id", "$instance", "--initial-contact-id", "$fresh")
ATTRIBUTE_CASES = [
    ok("merge", ATTRIBUTES + ("--attributes", '{"b":"2"}'), SEMANTICS, fresh="contact",
       after=("attributes", {"a": "1", "b": "2"})),
    ok("overwrite", ATTRIBUTES + ("--attributes", '{"a":"9"}'), SEMANTICS, fresh="contact",
       after=("attributes", {"a": "9"})),
    ok("clear with the empty string", ATTRIBUTES + ("--attributes", '{"a":""}'), SEMANTICS, fresh="contact",
       after=("attributes", {"a": ""})),
    ok("on a completed contact", ATTRIBUTES + ("--attributes", '{"late":"yes"}'), SEMANTICS, fresh="completed",
       after=("attributes", {"a": "1", "late": "yes"})),
    error("key", ATTRIBUTES + ("--attributes", '{"no spaces":"x"}'), "InvalidRequestException", SEMANTICS,
          fresh="contact", after=("attributes", {"a": "1"})),
    error("over 32 KiB", ATTRIBUTES + ("--attributes", OVER_32_KIB), "InvalidRequestException", SEMANTICS,
          fresh="contact", after=("attributes", {"a": "1"})),
    error("unknown contact", ("update-contact-attributes", "--instance-id", "$instance", "--initial-contact-id",
                              "no-such-contact", "--attributes", '{"a":"1"}'), "ResourceNotFoundException", SEMANTICS),
    missing("no attributes", ("update-contact-attributes", "--instance-id", "$instance", "--initial-contact-id",
                              "$contact")),
    refused_by_cli("attributes a list", ("update-contact-attributes", "--instance-id", "$instance",
                                         "--initial-contact-id", "$contact", "--attributes", "[1]"),
                   "Error parsing parameter"),
]

STOP = ("stop-contact", "--instance-id", "$instance", "--contact-id")
STOP_CASES = [
    ok("active task", STOP + ("$fresh",), SEMANTICS, fresh="contact", after=("ended", True)),
    ok("with a reason", STOP + ("$fresh", "--disconnect-reason", "Code=CUSTOMER_DISCONNECT"), MODEL,
       fresh="contact", after=("ended", True)),
    ok("active email", STOP + ("$fresh",), SEMANTICS, fresh="email", after=("ended", True)),
    error("already stopped", STOP + ("$stopped",), "ContactNotFoundException", SEMANTICS),
    error("created completed", STOP + ("$completed",), "ContactNotFoundException", SEMANTICS),
    error("voice transfer", STOP + ("$fresh",), "InvalidRequestException", SEMANTICS, fresh="voice",
          after=("ended", False)),
    error("unknown contact", STOP + ("no-such-contact",), "ResourceNotFoundException", SEMANTICS),
    error("unknown instance", ("stop-contact", "--instance-id", "no-such-instance", "--contact-id", "$contact"),
          "ResourceNotFoundException", SEMANTICS),
    missing("no contact id", ("stop-contact", "--instance-id", "$instance")),
]

TAG_CONTACT = ("tag-contact", "--instance-id", "$instance", "--contact-id", "$fresh", "--tags")
CONTACT_TAG_CASES = [
    ok("tag contact", TAG_CONTACT + ('{"team":"billing"}',), SEMANTICS, fresh="contact",
       after=("tags", {"team": "billing"})),
    ok("six tags", TAG_CONTACT + (json.dumps({f"k{n}": "v" for n in range(6)}),), SEMANTICS, fresh="contact",
       after=("tag count", 6)),
    error("seven tags", TAG_CONTACT + (json.dumps({f"k{n}": "v" for n in range(7)}),), "InvalidParameterException",
          MODEL, fresh="contact", after=("tags", {})),
    error("seventh tag", TAG_CONTACT + ('{"k6":"v"}',), "InvalidRequestException", SEMANTICS, fresh="six tags",
          after=("tag count", 6)),
    error("aws prefix", TAG_CONTACT + ('{"aws:x":"v"}',), "InvalidParameterException", SEMANTICS, fresh="contact"),
    ok("untag contact", ("untag-contact", "--instance-id", "$instance", "--contact-id", "$fresh", "--tag-keys",
                         "seed"), SEMANTICS, fresh="tagged contact", after=("tags", {"other": "kept"})),
    error("tag unknown contact", ("tag-contact", "--instance-id", "$instance", "--contact-id", "no-such-contact",
                                  "--tags", '{"a":"b"}'), "ResourceNotFoundException", SEMANTICS),
    missing("untag without keys", ("untag-contact", "--instance-id", "$instance", "--contact-id", "$contact")),
]


def search(name, criteria, source, total, names, **more) -> Case:
    return ok(f"search {name}", SEARCH + ("--search-criteria", json.dumps(criteria)), source,
              {"total": total, "names": sorted(NAMES[key] for key in names)}, **more)


def search_refused(name, criteria, code, source) -> Case:
    return error(f"search {name}", SEARCH + ("--search-criteria", json.dumps(criteria)), code, source)


def name_criterion(texts, match):
    return {"Name": {"SearchText": texts, "MatchType": match}}


def attributes_criterion(criteria, match=None):
    return {"SearchableContactAttributes": {"Criteria": criteria, **({"MatchType": match} if match else {})}}


GOLD, SILVER, NORTH = ({"Key": "tier", "Values": ["gold"]}, {"Key": "tier", "Values": ["silver"]},
                       {"Key": "region", "Values": ["north"]})
SEARCH_CASES = [
    ok("search everything", SEARCH, DOCS, {"total": 4, "names": ALL_NAMES}),
    search("channel task", {"Channels": ["TASK"]}, MODEL, 2, ["billing", "refund"]),
    search("channels repeated", {"Channels": ["VOICE", "VOICE", "EMAIL"]}, MODEL, 2, ["call", "email"]),
    search("initiation method", {"InitiationMethods": ["TRANSFER"]}, MODEL, 1, ["call"]),
    search("tag", {"ContactTags": {"TagCondition": {"TagKey": "team", "TagValue": "billing"}}}, DOCS, 1,
           ["billing"]),
    search("tag key only", {"ContactTags": {"TagCondition": {"TagKey": "team"}}}, DOCS, 2, ["billing", "refund"]),
    search("tags or", {"ContactTags": {"OrConditions": [[{"TagKey": "team", "TagValue": "refunds"}],
                                                        [{"TagKey": "team", "TagValue": "billing"}]]}}, DOCS, 2,
           ["billing", "refund"]),
    search("agent", {"AgentIds": ["agent-1"]}, DOCS, 2, ["billing", "email"]),
    search("agents", {"AgentIds": ["agent-1", "agent-2", "agent-1"]}, DOCS, 3, ["billing", "email", "call"]),
    search("unknown agent", {"AgentIds": ["nobody"]}, DOCS, 0, []),
    search("queue", {"QueueIds": ["queue-1"]}, DOCS, 1, ["call"]),
    search("unknown queue", {"QueueIds": ["queue-0"]}, DOCS, 0, []),
    search("name any", name_criterion(["billing", "email"], "MATCH_ANY"), ASSUMED, 3, ["billing", "refund", "email"]),
    search("name all", name_criterion(["billing", "refund"], "MATCH_ALL"), ASSUMED, 1, ["refund"]),
    search("name exact", name_criterion(["transferred CALL"], "MATCH_EXACT"), ASSUMED, 1, ["call"]),
    search("name exact needs the whole", name_criterion(["transferred"], "MATCH_EXACT"), ASSUMED, 0, []),
    search("name none", name_criterion(["billing"], "MATCH_NONE"), ASSUMED, 2, ["call", "email"]),
    search("name any case", name_criterion(["BILLING"], "MATCH_ANY"), ASSUMED, 2, ["billing", "refund"]),
    search("attribute", attributes_criterion([GOLD]), ASSUMED, 2, ["billing", "email"]),
    search("attributes all", attributes_criterion([GOLD, NORTH], "MATCH_ALL"), ASSUMED, 1, ["billing"]),
    search("attributes any", attributes_criterion([SILVER, NORTH], "MATCH_ANY"), ASSUMED, 2, ["billing", "refund"]),
    search("attributes none", attributes_criterion([GOLD], "MATCH_NONE"), ASSUMED, 2, ["refund", "call"]),
    search("attribute any value", attributes_criterion([{"Key": "tier", "Values": []}]), ASSUMED, 3,
           ["billing", "refund", "email"]),
    search("agent and name", {"AgentIds": ["agent-1"], **name_criterion(["email"], "MATCH_ANY")}, DOCS, 1,
           ["email"]),
    search("channel and attribute", {"Channels": ["TASK"], **attributes_criterion([GOLD])}, DOCS, 1, ["billing"]),
    search("queue and tag", {"QueueIds": ["queue-1"], "ContactTags": {"TagCondition": {"TagKey": "team"}}}, DOCS,
           0, []),
    search_refused("101 agents", {"AgentIds": [f"a{n}" for n in range(101)]}, "InvalidParameterException", MODEL),
    search_refused("101 queues", {"QueueIds": [f"q{n}" for n in range(101)]}, "InvalidParameterException", MODEL),
    search_refused("101 texts", name_criterion([f"t{n}" for n in range(101)], "MATCH_ANY"),
                   "InvalidParameterException", MODEL),
    search_refused("text over 128", name_criterion(["t" * 129], "MATCH_ANY"), "InvalidParameterException", MODEL),
    search_refused("match type not in the enum", name_criterion(["t"], "MATCH_SOME"), "InvalidParameterException",
                   MODEL),
    search_refused("16 attribute criteria", attributes_criterion([{"Key": f"k{n}", "Values": []} for n in range(16)]),
                   "InvalidParameterException", MODEL),
    search_refused("21 attribute values", attributes_criterion([{"Key": "k", "Values": [str(n) for n in range(21)]}]),
                   "InvalidParameterException", MODEL),
    search_refused("agent id over 256", {"AgentIds": ["a" * 257]}, "InvalidParameterException", MODEL),
    search_refused("channel not in the enum", {"Channels": ["FAX"]}, "InvalidParameterException", MODEL),
    search_refused("51 tag conditions", {"ContactTags": {"AndConditions": [{"TagKey": f"k{n}"} for n in range(51)]}},
                   "InvalidRequestException", ASSUMED),
    refused_by_cli("search name without match type", SEARCH + ("--search-criteria", '{"Name":{"SearchText":["x"]}}'),
                   "Missing required parameter"),
    refused_by_cli("search attribute without values", SEARCH + ("--search-criteria", json.dumps(
        attributes_criterion([{"Key": "k"}]))), "Missing required parameter"),
    error("search reversed range", ("search-contacts", "--instance-id", "$search", "--time-range",
                                    '{"Type":"INITIATION_TIMESTAMP","StartTime":"2100-01-01T00:00:00Z",'
                                    '"EndTime":"2000-01-01T00:00:00Z"}'), "InvalidRequestException", ASSUMED),
    error("search page over 100", ("search-contacts", "--instance-id", "$search", "--time-range", RANGE,
                                   "--page-size", "101"), "InvalidParameterException", MODEL),
    error("search range type not in the enum", ("search-contacts", "--instance-id", "$search", "--time-range",
                                                '{"Type":"SOMETIME","StartTime":0,"EndTime":1}'),
          "InvalidParameterException", MODEL),
    error("search unknown instance", ("search-contacts", "--instance-id", "no-such-instance", "--time-range", RANGE),
          "ResourceNotFoundException", MODEL),
    ok("search sorted by channel", ("search-contacts", "--instance-id", "$search", "--time-range", RANGE,
                                    "--sort", "FieldName=CHANNEL,Order=ASCENDING", "--query", "Contacts[].Channel"),
       DOCS, {"": ["EMAIL", "TASK", "TASK", "VOICE"]}),
    ok("search pages of one", ("search-contacts", "--instance-id", "$search", "--time-range", RANGE,
                               "--page-size", "1", "--query", "length(Contacts)"), DOCS, {"": 4}),
    missing("search without range", ("search-contacts", "--instance-id", "$search")),
    refused_by_cli("search range time not a time", ("search-contacts", "--instance-id", "$search", "--time-range",
                                                    "Type=INITIATION_TIMESTAMP,StartTime=someday,EndTime=0"),
                   "Invalid type for parameter TimeRange.StartTime"),
]

REFERENCES = ("list-contact-references", "--instance-id", "$instance", "--contact-id")
REFERENCE_CASES = [
    ok("url references", REFERENCES + ("$referenced", "--reference-types", "URL"), DOCS,
       {"ReferenceSummaryList": [{"Url": {"Name": "doc", "Value": "https://example.com"}}]}),
    ok("no reference of that type", REFERENCES + ("$referenced", "--reference-types", "EMAIL"), DOCS,
       {"ReferenceSummaryList": []}),
    error("unknown contact", REFERENCES + ("no-such-contact", "--reference-types", "URL"),
          "ResourceNotFoundException", MODEL),
    error("type not in the enum", REFERENCES + ("$referenced", "--reference-types", "NOTE"),
          "InvalidParameterException", MODEL),
    missing("no types", REFERENCES + ("$referenced",)),
]


def tag(name, arn, tags, source, **more) -> Case:
    return ok(f"tag {name}", ("tag-resource", "--resource-arn", arn, "--tags", json.dumps(tags)), source, **more)


def tag_refused(name, arn, tags, code, source, **more) -> Case:
    return error(f"tag {name}", ("tag-resource", "--resource-arn", arn, "--tags", json.dumps(tags)), code, source,
                 **more)


def list_tags(name, arn, code=None, tags=None, source=MODEL, **more) -> Case:
    argv = ("list-tags-for-resource", "--resource-arn", arn)
    if code:
        return error(f"list tags {name}", argv, code, source, **more)
    return ok(f"list tags {name}", argv, source, {"tags": tags}, **more)


OTHER_REGION = f"arn:aws:connect:eu-west-1:{ACCOUNT}:instance/$instance"
RESOURCE_TAG_CASES = [
    tag("instance", "$fresh_arn", {"env": "dev"}, DOCS, fresh="instance", after=("instance tags", {"env": "dev"})),
    tag("contact", "$fresh_arn", {"team": "billing"}, SEMANTICS, fresh="contact", after=("tags", {"team": "billing"})),
    tag("contact beside tag contact", "$fresh_arn", {"added": "later"}, SEMANTICS, fresh="tagged contact",
        after=("tags", {"seed": "x", "other": "kept", "added": "later"})),
    tag("contact up to six", "$fresh_arn", {f"k{n}": "v" for n in range(4)}, SEMANTICS, fresh="tagged contact",
        after=("tag count", 6)),
    tag("instance with fifty", "$fresh_arn", {f"k{n}": "v" for n in range(50)}, MODEL, fresh="instance",
        after=("instance tag count", 50)),
    tag("key of any script", "$fresh_arn", {"équipe Ω 7": "ü"}, MODEL, fresh="instance",
        after=("instance tags", {"équipe Ω 7": "ü"})),
    tag("key of allowed marks", "$fresh_arn", {"a_b.c:d/e=f+g-h@i": "v"}, MODEL, fresh="instance",
        after=("instance tags", {"a_b.c:d/e=f+g-h@i": "v"})),
    tag("key at 128", "$fresh_arn", {"k" * 128: "v"}, MODEL, fresh="instance", after=("instance tag count", 1)),
    tag("value at 256 and empty", "$fresh_arn", {"a": "v" * 256, "b": ""}, MODEL, fresh="instance",
        after=("instance tag count", 2)),
    tag("overwrite", "$fresh_arn", {"seed": "new"}, DOCS, fresh="tagged contact",
        after=("tags", {"seed": "new", "other": "kept"})),
    tag_refused("contact seventh", "$fresh_arn", {f"k{n}": "v" for n in range(5)}, "InvalidRequestException",
                SEMANTICS, fresh="tagged contact", after=("tags", {"seed": "x", "other": "kept"})),
    tag_refused("aws prefix", "$fresh_arn", {"aws:owner": "me"}, "InvalidParameterException", MODEL,
                fresh="instance", after=("instance tags", {})),
    tag_refused("key over 128", "$fresh_arn", {"k" * 129: "v"}, "InvalidParameterException", MODEL, fresh="instance"),
    tag_refused("value over 256", "$fresh_arn", {"k": "v" * 257}, "InvalidParameterException", MODEL,
                fresh="instance"),
    tag_refused("key with brackets", "$fresh_arn", {"<k>": "v"}, "InvalidParameterException", MODEL, fresh="instance"),
    tag_refused("key with a semicolon", "$fresh_arn", {"a;b": "v"}, "InvalidParameterException", MODEL,
                fresh="instance"),
    tag_refused("51 tags", "$fresh_arn", {f"k{n}": "v" for n in range(51)}, "InvalidParameterException", MODEL,
                fresh="instance", after=("instance tags", {})),
    tag_refused("no tags", "$instance_arn", {}, "InvalidParameterException", MODEL),
    tag_refused("unknown instance", f"arn:aws:connect:us-east-1:{ACCOUNT}:instance/no-such-instance", {"a": "b"},
                "ResourceNotFoundException", MODEL),
    tag_refused("unknown contact", "$instance_arn/contact/no-such-contact", {"a": "b"}, "ResourceNotFoundException",
                MODEL),
    tag_refused("other region", OTHER_REGION, {"a": "b"}, "ResourceNotFoundException", MODEL),
    tag_refused("queue", "$instance_arn/queue/q-1", {"a": "b"}, "ResourceNotFoundException", MODEL),
    tag_refused("not an arn", "instance-1", {"a": "b"}, "ResourceNotFoundException", MODEL),
    tag_refused("deleted instance", "$deleted_arn", {"a": "b"}, "ResourceNotFoundException", DOCS),
    list_tags("instance", "$instance_arn", tags={"owner": "cli"}),
    list_tags("contact", "$contact_arn", tags={"kept": "yes"}),
    list_tags("untagged contact", "$completed_arn", tags={}),
    list_tags("unknown instance", f"arn:aws:connect:us-east-1:{ACCOUNT}:instance/x", "ResourceNotFoundException"),
    list_tags("unknown contact", "$instance_arn/contact/x", "ResourceNotFoundException"),
    list_tags("other region", OTHER_REGION, "ResourceNotFoundException"),
    list_tags("other account", f"arn:aws:connect:us-east-1:210987654321:instance/$instance",
              "ResourceNotFoundException"),
    list_tags("deleted instance", "$deleted_arn", "ResourceNotFoundException", source=DOCS),
    list_tags("contact of a deleted instance", "$deleted_contact_arn", "ResourceNotFoundException", source=DOCS),
    ok("untag contact", ("untag-resource", "--resource-arn", "$fresh_arn", "--tag-keys", "seed"), DOCS,
       fresh="tagged contact", after=("tags", {"other": "kept"})),
    ok("untag every key", ("untag-resource", "--resource-arn", "$fresh_arn", "--tag-keys", "seed", "other"), DOCS,
       fresh="tagged contact", after=("tags", {})),
    ok("untag a key never set", ("untag-resource", "--resource-arn", "$fresh_arn", "--tag-keys", "absent"), DOCS,
       fresh="tagged contact", after=("tags", {"seed": "x", "other": "kept"})),
    ok("untag instance", ("untag-resource", "--resource-arn", "$fresh_arn", "--tag-keys", "env"), DOCS,
       fresh="tagged instance", after=("instance tags", {"team": "ops"})),
    error("untag aws prefix", ("untag-resource", "--resource-arn", "$instance_arn", "--tag-keys", "aws:x"),
          "InvalidParameterException", MODEL),
    error("untag key over 128", ("untag-resource", "--resource-arn", "$instance_arn", "--tag-keys", "k" * 129),
          "InvalidParameterException", MODEL),
    error("untag 51 keys", ("untag-resource", "--resource-arn", "$instance_arn", "--tag-keys",
                            *[f"k{n}" for n in range(51)]), "InvalidParameterException", MODEL),
    error("untag unknown contact", ("untag-resource", "--resource-arn", "$instance_arn/contact/x", "--tag-keys", "a"),
          "ResourceNotFoundException", MODEL),
    missing("untag without keys", ("untag-resource", "--resource-arn", "$instance_arn")),
    missing("tag without tags", ("tag-resource", "--resource-arn", "$instance_arn")),
    missing("list tags without arn", ("list-tags-for-resource",)),
    refused_by_cli("tags a list", ("tag-resource", "--resource-arn", "$instance_arn", "--tags", '["a"]'),
                   "Error parsing parameter"),
]

INSTANCE_ARN = Like(f"arn:aws:connect:us-east-1:{ACCOUNT}:instance/{UUID}")
NEW_INSTANCE = ("create-instance", "--identity-management-type", "CONNECT_MANAGED", "--inbound-calls-enabled",
                "--outbound-calls-enabled")
ATTRIBUTE_TYPES = ["INBOUND_CALLS", "OUTBOUND_CALLS", "CONTACTFLOW_LOGS", "CONTACT_LENS", "AUTO_RESOLVE_BEST_VOICES",
                   "USE_CUSTOM_TTS_VOICES", "EARLY_MEDIA", "MULTI_PARTY_CONFERENCE", "AUTO_MUTE_AGENT_ON_HOLD",
                   "HIGH_VOLUME_OUTBOUND", "ENHANCED_CONTACT_MONITORING", "ENHANCED_CHAT_MONITORING",
                   "MULTI_PARTY_CHAT_CONFERENCE", "MESSAGE_STREAMING"]
ATTRIBUTE_LIST = ("list-instance-attributes", "--instance-id")
INSTANCE_CASES = [
    ok("create", NEW_INSTANCE, DOCS, {"Id": Like(UUID), "Arn": INSTANCE_ARN}),
    ok("create signed for eu-west-2", NEW_INSTANCE + ("--region", "eu-west-2"), DOCS,
       {"Arn": Like(f"arn:aws:connect:eu-west-2:{ACCOUNT}:instance/{UUID}")}),
    ok("create signed for ap-southeast-2", NEW_INSTANCE + ("--region", "ap-southeast-2"), DOCS,
       {"Arn": Like(f"arn:aws:connect:ap-southeast-2:{ACCOUNT}:instance/{UUID}")}),
    ok("create with tags and alias", NEW_INSTANCE + ("--instance-alias", "cli-$run", "--tags", '{"a":"b"}'), MODEL,
       {"Arn": INSTANCE_ARN}),
    error("create with an aws tag", NEW_INSTANCE + ("--tags", '{"aws:a":"b"}'), "InvalidRequestException", MODEL),
    error("create with an alias over 45", NEW_INSTANCE + ("--instance-alias", "a" * 46), "InvalidRequestException",
          MODEL),
    error("create identity not in the enum", ("create-instance", "--identity-management-type", "LDAP",
                                              "--inbound-calls-enabled", "--outbound-calls-enabled"),
          "InvalidRequestException", MODEL),
    missing("create without identity", ("create-instance", "--inbound-calls-enabled", "--outbound-calls-enabled")),
    ok("describe", ("describe-instance", "--instance-id", "$instance"), DOCS, {
        "Instance.Id": "$instance", "Instance.Arn": "$instance_arn", "Instance.IdentityManagementType": "CONNECT_MANAGED",
        "Instance.InstanceStatus": "ACTIVE", "Instance.InboundCallsEnabled": True,
        "Instance.OutboundCallsEnabled": False, "Instance.Tags": {"owner": "cli"}}),
    ok("describe signed for its own region", ("describe-instance", "--instance-id", "$regional", "--region",
                                              "eu-central-1"), SEMANTICS,
       {"Instance.Arn": Like(f"arn:aws:connect:eu-central-1:{ACCOUNT}:instance/$regional")}),
    error("describe signed for another region", ("describe-instance", "--instance-id", "$regional", "--region",
                                                 "us-west-2"), "ResourceNotFoundException", SEMANTICS),
    error("a contact in another region's instance", ("create-contact", "--instance-id", "$regional", "--channel",
                                                     "TASK", "--initiation-method", "API"),
          "ResourceNotFoundException", SEMANTICS),
    ok("list of a region has its instance", ("list-instances", "--region", "eu-central-1", "--query",
                                             "contains(InstanceSummaryList[].Id, '$regional')"), SEMANTICS,
       {"": True}),
    ok("list of a region lacks the others'", ("list-instances", "--region", "eu-central-1", "--query",
                                              "contains(InstanceSummaryList[].Id, '$instance')"), SEMANTICS,
       {"": False}),
    ok("list lacks another region's instance", ("list-instances", "--query",
                                                "contains(InstanceSummaryList[].Id, '$regional')"), SEMANTICS,
       {"": False}),
    error("signed for a region no partition has", ("list-instances", "--region", "zz-fake-9"),
          "InvalidSignatureException", ASSUMED),
    error("describe unknown", ("describe-instance", "--instance-id", "no-such-instance"), "ResourceNotFoundException",
          MODEL),
    error("describe deleted", ("describe-instance", "--instance-id", "$deleted"), "ResourceNotFoundException", DOCS),
    error("describe id over 100", ("describe-instance", "--instance-id", "i" * 101), "InvalidRequestException", MODEL),
    ok("list has it", ("list-instances", "--query", "contains(InstanceSummaryList[].Id, '$instance')"), DOCS,
       {"": True}),
    ok("list lacks the deleted", ("list-instances", "--query", "contains(InstanceSummaryList[].Id, '$deleted')"),
       DOCS, {"": False}),
    error("list page over 10", ("list-instances", "--page-size", "11"), "InvalidRequestException", MODEL),
    ok("attributes", ATTRIBUTE_LIST + ("$instance", "--query", "Attributes[].AttributeType"), MODEL,
       {"": ATTRIBUTE_TYPES}),
    ok("attribute values", ATTRIBUTE_LIST + ("$instance", "--query", "Attributes[].Value"), ASSUMED,
       {"": ["true", "false"] + ["false"] * 12}),
    ok("attributes three", ATTRIBUTE_LIST + ("$instance", "--max-items", "3", "--query", "Attributes[].AttributeType"),
       MODEL, {"": ATTRIBUTE_TYPES[:3]}),
    ok("attributes page of seven", ATTRIBUTE_LIST + ("$instance", "--page-size", "7", "--query", "length(Attributes)"),
       MODEL, {"": 14}),
    ok("one page without paging", ATTRIBUTE_LIST + ("$instance", "--no-paginate", "--query", "length(Attributes)"),
       MODEL, {"": 7}),
    error("attributes page over 7", ATTRIBUTE_LIST + ("$instance", "--page-size", "8"), "InvalidParameterException",
          MODEL),
    error("attributes unknown", ATTRIBUTE_LIST + ("no-such-instance",), "ResourceNotFoundException", MODEL),
    error("attributes deleted", ATTRIBUTE_LIST + ("$deleted",), "ResourceNotFoundException", DOCS),
    missing("attributes without instance", ("list-instance-attributes",)),
    ok("delete", ("delete-instance", "--instance-id", "$fresh"), DOCS, {}, fresh="instance",
       after=("instance exists", False)),
    ok("delete takes its contacts", ("delete-instance", "--instance-id", "$fresh"), DOCS, {},
       fresh="instance with contact", after=("contact of the instance", "ResourceNotFoundException")),
    ok("delete with a token", ("delete-instance", "--instance-id", "$fresh", "--client-token", "once-$run"), DOCS, {},
       fresh="instance", after=("instance exists", False)),
    error("delete unknown", ("delete-instance", "--instance-id", "no-such-instance"), "ResourceNotFoundException",
          MODEL),
    error("delete deleted", ("delete-instance", "--instance-id", "$deleted"), "ResourceNotFoundException", DOCS),
    error("delete id over 100", ("delete-instance", "--instance-id", "i" * 101), "InvalidRequestException", MODEL),
    missing("delete without instance", ("delete-instance",)),
]

SIGNATURE_CASES = [
    error("wrong secret", ("describe-instance", "--instance-id", "$instance"), "InvalidSignatureException", SEMANTICS,
          env={"AWS_SECRET_ACCESS_KEY": "not-the-secret"}),
    error("wrong secret on a write", TASK_ARGS, "InvalidSignatureException", SEMANTICS,
          env={"AWS_SECRET_ACCESS_KEY": "not-the-secret"}),
    error("wrong secret on tags", ("list-tags-for-resource", "--resource-arn", "$instance_arn"),
          "InvalidSignatureException", SEMANTICS, env={"AWS_SECRET_ACCESS_KEY": "not-the-secret"}),
    error("unknown key", ("describe-instance", "--instance-id", "$instance"), "UnrecognizedClientException", SEMANTICS,
          env={"AWS_ACCESS_KEY_ID": "AKIANOTISSUEDHERE"}),
    error("unknown key on search", SEARCH, "UnrecognizedClientException", SEMANTICS,
          env={"AWS_ACCESS_KEY_ID": "AKIANOTISSUEDHERE"}),
    error("unsigned", ("describe-instance", "--instance-id", "$instance", "--no-sign-request"),
          "MissingAuthenticationTokenException", SEMANTICS),
    error("unsigned delete", ("delete-instance", "--instance-id", "$instance", "--no-sign-request"),
          "MissingAuthenticationTokenException", SEMANTICS),
    error("unsigned tag", ("tag-resource", "--resource-arn", "$instance_arn", "--tags", '{"a":"b"}',
                           "--no-sign-request"), "MissingAuthenticationTokenException", SEMANTICS),
]

CASES = [(group, case) for group, cases in (
    ("create-contact", CREATE_CASES), ("describe-contact", DESCRIBE_CASES), ("update-contact", UPDATE_CASES),
    ("update-contact-attributes", ATTRIBUTE_CASES), ("stop-contact", STOP_CASES), ("contact-tags", CONTACT_TAG_CASES),
    ("search-contacts", SEARCH_CASES), ("list-contact-references", REFERENCE_CASES),
    ("resource-tags", RESOURCE_TAG_CASES), ("instances", INSTANCE_CASES), ("signatures", SIGNATURE_CASES),
) for case in cases]
CASE_IDS = [f"{group}: {case.name}" for group, case in CASES]
assert len(set(CASE_IDS)) == len(CASE_IDS)


# -- the world the cases run in, made with boto3 --------------------------------------------------

def _instance(client, inbound=True, outbound=False, **more) -> tuple[str, str]:
    created = client.create_instance(IdentityManagementType="CONNECT_MANAGED", InboundCallsEnabled=inbound,
                                     OutboundCallsEnabled=outbound, **more)
    return created["Id"], created["Arn"]


def _contact(client, instance, kind: str) -> tuple[str, str]:
    members = {"contact": {**TASK, "Name": "fresh", "Attributes": {"a": "1"},
                           "References": {"first": {"Value": "1", "Type": "NUMBER"}}},
               "completed": {**TASK, "Name": "fresh", "Attributes": {"a": "1"}, "InitiateAs": "COMPLETED"},
               "voice": dict(VOICE_TRANSFER), "email": {**EMAIL_OUTBOUND, **USER},
               "tagged contact": dict(TASK), "six tags": dict(TASK)}[kind]
    created = client.create_contact(InstanceId=instance, **members)
    if kind == "tagged contact":
        client.tag_contact(InstanceId=instance, ContactId=created["ContactId"], Tags={"seed": "x", "other": "kept"})
    if kind == "six tags":
        client.tag_contact(InstanceId=instance, ContactId=created["ContactId"], Tags={f"k{n}": "v" for n in range(6)})
    return created["ContactId"], created["ContactArn"]


def _fresh(client, world: dict, kind: str) -> dict:
    if kind in ("instance", "tagged instance", "instance with contact"):
        instance_id, arn = _instance(client)
        fresh = {"fresh": instance_id, "fresh_arn": arn}
        if kind == "tagged instance":
            client.tag_resource(resourceArn=arn, tags={"env": "dev", "team": "ops"})
        if kind == "instance with contact":
            fresh["fresh_contact"] = _contact(client, instance_id, "contact")[0]
        return fresh
    contact_id, arn = _contact(client, world["instance"], kind)
    return {"fresh": contact_id, "fresh_arn": arn}


def _world(client) -> dict:
    world: dict = {"run": uuid.uuid4().hex[:8]}
    world["instance"], world["instance_arn"] = _instance(client)
    client.tag_resource(resourceArn=world["instance_arn"], tags={"owner": "cli"})
    instance = world["instance"]
    world["contact"], world["contact_arn"] = _contact(client, instance, "contact")
    client.update_contact(InstanceId=instance, ContactId=world["contact"], Name="Kept")
    client.tag_contact(InstanceId=instance, ContactId=world["contact"], Tags={"kept": "yes"})
    world["voice"] = _contact(client, instance, "voice")[0]
    world["email"] = _contact(client, instance, "email")[0]
    world["completed"], world["completed_arn"] = _contact(client, instance, "completed")
    world["stopped"] = _contact(client, instance, "contact")[0]
    client.stop_contact(InstanceId=instance, ContactId=world["stopped"])
    world["referenced"] = client.create_contact(InstanceId=instance, **TASK, References={
        "doc": {"Value": "https://example.com", "Type": "URL"}})["ContactId"]
    world["replayed"] = client.create_contact(InstanceId=instance, **TASK, Name="replayed",
                                              ClientToken="cli-replay")["ContactId"]
    world["deleted"], world["deleted_arn"] = _instance(client)
    world["deleted_contact"], world["deleted_contact_arn"] = _contact(client, world["deleted"], "contact")
    client.delete_instance(InstanceId=world["deleted"])
    world["search"] = _instance(client)[0]
    search = world["search"]
    billing = client.create_contact(InstanceId=search, **TASK, Name=NAMES["billing"], **USER,
                                    Attributes={"tier": "gold", "region": "north"})["ContactId"]
    client.tag_contact(InstanceId=search, ContactId=billing, Tags={"team": "billing"})
    refund = client.create_contact(InstanceId=search, **TASK, Name=NAMES["refund"], InitiateAs="COMPLETED",
                                   Attributes={"tier": "silver"})["ContactId"]
    client.tag_contact(InstanceId=search, ContactId=refund, Tags={"team": "refunds"})
    call = client.create_contact(InstanceId=search, **VOICE_TRANSFER, Name=NAMES["call"])["ContactId"]
    client.update_contact(InstanceId=search, ContactId=call, QueueInfo={"Id": "queue-1"}, UserInfo={"UserId": "agent-2"})
    client.create_contact(InstanceId=search, **EMAIL_OUTBOUND, **USER, Name=NAMES["email"],
                          Attributes={"tier": "gold"})
    return world


PROBES: dict[str, Callable[[Any, dict], Any]] = {}


def probe(name):
    def register(function):
        PROBES[name] = function
        return function
    return register


def _described(client, ctx) -> dict:
    return client.describe_contact(InstanceId=ctx["instance"], ContactId=ctx["fresh"])["Contact"]


probe("name")(lambda client, ctx: _described(client, ctx).get("Name"))
probe("description")(lambda client, ctx: _described(client, ctx).get("Description"))
probe("attributes")(lambda client, ctx: _described(client, ctx).get("Attributes", {}))
probe("tags")(lambda client, ctx: _described(client, ctx).get("Tags", {}))
probe("tag count")(lambda client, ctx: len(_described(client, ctx).get("Tags", {})))
probe("ended")(lambda client, ctx: "DisconnectTimestamp" in _described(client, ctx))
probe("queue")(lambda client, ctx: (_described(client, ctx).get("QueueInfo") or {}).get("Id"))
probe("agent")(lambda client, ctx: (_described(client, ctx).get("AgentInfo") or {}).get("Id"))
probe("segment keys")(lambda client, ctx: sorted(_described(client, ctx).get("SegmentAttributes", {})))
probe("reference names")(lambda client, ctx: sorted(
    summary["Number"]["Name"] for summary in client.list_contact_references(
        InstanceId=ctx["instance"], ContactId=ctx["fresh"], ReferenceTypes=["NUMBER"])["ReferenceSummaryList"]))
probe("instance tags")(lambda client, ctx: client.list_tags_for_resource(resourceArn=ctx["fresh_arn"])["tags"])
probe("instance tag count")(lambda client, ctx: len(client.list_tags_for_resource(
    resourceArn=ctx["fresh_arn"])["tags"]))


@probe("instance exists")
def _instance_exists(client, ctx) -> bool:
    try:
        client.describe_instance(InstanceId=ctx["fresh"])
        return True
    except client.exceptions.ResourceNotFoundException:
        return False


@probe("contact of the instance")
def _contact_of_instance(client, ctx) -> str:
    try:
        client.describe_contact(InstanceId=ctx["fresh"], ContactId=ctx["fresh_contact"])
        return "found"
    except client.exceptions.ClientError as failure:
        return failure.response["Error"]["Code"]


# -- running every case once, then judging each ----------------------------------------------------

def _fill(text: str, ctx: dict) -> str:
    return string.Template(text).substitute(ctx)


def cli_environment(service, home) -> dict[str, str]:
    import os
    return {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "LANG": "C.UTF-8",
            "AWS_ACCESS_KEY_ID": PLACEHOLDER_CREDENTIALS["aws_access_key_id"],
            "AWS_SECRET_ACCESS_KEY": PLACEHOLDER_CREDENTIALS["aws_secret_access_key"],
            "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": str(home / "config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(home / "credentials"), "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_MAX_ATTEMPTS": "1", "AWS_RETRY_MODE": "standard"}


def argv_of(case: Case, ctx: dict, url: str) -> list[str]:
    return ["connect", *[_fill(part, ctx) for part in case.argv], "--endpoint-url", url, "--output", "json"]


@pytest.fixture(scope="module")
def answered(shared_connect_service, tmp_path_factory):
    service = shared_connect_service
    client = service.client(total_max_attempts=1)
    world = _world(client)
    world["regional"] = service.client(total_max_attempts=1, region_name="eu-central-1").create_instance(
        IdentityManagementType="CONNECT_MANAGED", InboundCallsEnabled=True, OutboundCallsEnabled=True)["Id"]
    contexts = [{**world, **(_fresh(client, world, case.fresh) if case.fresh else {})} for _, case in CASES]
    home = tmp_path_factory.mktemp("aws-home")
    env = cli_environment(service, home)
    commands = [(argv_of(case, ctx, service.url), {**env, **case.env}) for (_, case), ctx in zip(CASES, contexts)]
    answers = aws_cli.run_all(commands)
    afters = [PROBES[case.after[0]](client, ctx) if case.after else None for (_, case), ctx in zip(CASES, contexts)]
    verdicts = [_verdict(case, ctx, answer, after) for (_, case), ctx, answer, after
                in zip(CASES, contexts, answers, afters)]
    matching = sum(verdict is None for verdict in verdicts)
    print(f"\nAWS CLI cases tried: {len(CASES)}; matching the documented answer: {matching}")
    return {case_id: (verdict, answer) for case_id, verdict, answer in zip(CASE_IDS, verdicts, answers)}, world, env


def _verdict(case: Case, ctx: dict, answer: aws_cli.Answer, after) -> Optional[str]:
    """None when the CLI's answer is the documented one; else what differs."""
    if answer.exit_code != case.exit_code:
        return f"exit code {answer.exit_code}, expected {case.exit_code}: {answer.stderr.strip()[-300:]}"
    if case.error is not None and case.error not in answer.stderr:
        return f"expected {case.error!r} on stderr, got {answer.stderr.strip()[-300:]!r}"
    if case.fields:
        try:
            printed = json.loads(answer.stdout) if answer.stdout.strip() else None
        except ValueError:
            return f"stdout is not JSON: {answer.stdout[:200]!r}"
        for path, expected in case.fields.items():
            value = _at(printed, path)
            if not _matches(value, expected, ctx):
                return f"{path or 'output'}: {value!r}, expected {expected!r}"
    if case.after is not None and after != case.after[1]:
        return f"afterwards {case.after[0]}: {after!r}, expected {case.after[1]!r}"
    return None


def _at(document, path: str):
    for part in path.split(".") if path else []:
        if not isinstance(document, dict) or part not in document:
            return "<absent>"
        document = document[part]
    return document


def _matches(value, expected, ctx: dict) -> bool:
    if isinstance(expected, Like):
        return isinstance(value, str) and re.fullmatch(_fill(expected, ctx), value) is not None
    if isinstance(expected, str):
        return value == _fill(expected, ctx)
    return value == expected


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_the_aws_cli_gets_the_documented_answer(case_id, answered):
    verdicts, _, _ = answered
    verdict, _answer = verdicts[case_id]
    assert verdict is None, verdict


def test_at_least_150_cases_cover_every_operation_the_service_serves():
    from connect_contact_local.service import IMPLEMENTED_OPERATIONS
    from botocore import xform_name
    commands = {case.argv[0] for _, case in CASES}
    assert len(CASES) >= 150
    assert {xform_name(name, "-") for name in IMPLEMENTED_OPERATIONS} <= commands


@pytest.mark.parametrize("case_id", ["describe-contact: task", "instances: describe unknown",
                                     "create-contact: no channel", "signatures: wrong secret"])
def test_the_aws_executable_answers_as_the_forked_cli(case_id, answered, shared_connect_service):
    verdicts, world, env = answered
    case = dict(zip(CASE_IDS, (case for _, case in CASES)))[case_id]
    answer = aws_cli.run_executable(argv_of(case, world, shared_connect_service.url), {**env, **case.env})
    assert _verdict(case, world, answer, None if case.after is None else case.after[1]) is None
    assert answer.exit_code == verdicts[case_id][1].exit_code
