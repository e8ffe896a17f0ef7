"""Property tests of `check` against the local Connect service, generated from botocore's
model (enums, lengths, patterns, required members) and the contact rules that
`connect_contact.rules` keeps.

Inputs are in state form, what `Contact` registers (camelCase members, user keys verbatim),
numbers sometimes as whole floats, as they travel over gRPC. Four properties:

* `check` never raises, whatever the values of the contact's keys are.
* Every input `check` accepts, the local service accepts (CreateContact with the checked
  inputs, sent without boto3's own validation, so the service's validation answers).
* Every input that breaks exactly one rule, `check` rejects with a failure naming the
  property; and the local service refuses it too.
* Every Channel x InitiationMethod pair of the model: `check` and the service agree.

Cases are derandomized (the same on every run) so CI is stable.
"""

from __future__ import annotations

import itertools
import uuid
from typing import Callable

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from tests.support.host import HostError
from tests.support.marshal import PROVIDER_KEY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pulumi.dynamic.dynamic import serialize_provider

from connect_contact import model, rules, schema
from connect_contact.provider import UNKNOWN, ContactProvider
from tests.support import documented

CREATE = model.operation(schema.CREATE_OPERATION).input_shape
MEMBERS = CREATE.members
CHANNELS = list(MEMBERS["Channel"].enum)
METHODS = list(MEMBERS["InitiationMethod"].enum)
INITIATE_AS = list(MEMBERS["InitiateAs"].enum)
REFERENCE = MEMBERS["References"].value
REFERENCE_TYPES = list(REFERENCE.members["Type"].enum)
REFERENCE_STATUSES = list(REFERENCE.members["Status"].enum)
SEGMENT_VALUE = MEMBERS["SegmentAttributes"].value
VALID_PAIRS = [(channel, method) for channel in CHANNELS for method in METHODS
               if method in documented.INITIATION_METHODS_BY_CHANNEL.get(channel, ())]
INVALID_PAIRS = [(channel, method) for channel in CHANNELS for method in METHODS
                 if (channel, method) not in VALID_PAIRS]
STATE_KEYS = [field.state for field in schema.INPUTS] + [schema.TOKEN_SCOPE]
PLACEHOLDER_INSTANCE = "00000000-0000-4000-8000-000000000000"

COMMON = dict(deadline=None, derandomize=True, database=None, print_blob=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.large_base_example, HealthCheck.filter_too_much])
NEVER_RAISES_EXAMPLES = 1500
ACCEPTED_EXAMPLES = 1200
THROUGH_THE_HOST_EXAMPLES = 300
SERIALIZED_PROVIDER = serialize_provider(ContactProvider())
BROKEN_EXAMPLES_PER_RULE = 60



def utf8_size(text: str) -> int:
    return len(text.encode("utf-8"))

def bounds(shape, default_max: int = 64) -> tuple[int, int]:
    return shape.metadata.get("min", 0), shape.metadata.get("max", default_max)


# --------------------------------------------------------------------------- building blocks

# Characters of 1, 2, 3 and 4 UTF-8 bytes: limits count characters, budgets count bytes.
WIDE = ["x", "é", "€", "😀"]
text_chars = st.characters(codec="utf-8", exclude_categories=["Cs"])
KEY_CHARS = "abcXYZ019_-"


@st.composite
def sized_text(draw, low: int, high: int, alphabet=None) -> str:
    """A string of a length near `low` or `high` (or between), cheap even at 32,767 characters:
    a short drawn seed repeated to length."""
    length = draw(st.one_of(st.sampled_from(sorted({low, min(low + 1, high), max(high - 1, low), high})),
                            st.integers(low, min(high, low + 40))))
    if length == 0:
        return ""
    seed = draw(st.text(alphabet=alphabet or text_chars, min_size=1, max_size=8))
    return (seed * (length // len(seed) + 1))[:length]


def text_for(shape, default_max: int = 64):
    low, high = bounds(shape, default_max)
    return sized_text(low, high)


def of_bytes(total: int, wide: str) -> str:
    """A string of exactly `total` UTF-8 bytes, mostly `wide` characters."""
    width = len(wide.encode("utf-8"))
    return wide * (total // width) + "x" * (total % width)


def as_wire_number(value: int):
    """Numbers travel over gRPC as doubles: sometimes send an integer as a whole float."""
    return st.sampled_from([value, float(value)])


key_text = st.text(alphabet=KEY_CHARS, min_size=1, max_size=12)
epoch = st.integers(0, 10**13 - 1).map(str)
arn = st.from_regex(r"arn:aws:connect:us-east-1:[0-9]{12}:instance/[a-z0-9-]{1,40}/file/[a-z0-9]{1,20}",
                    fullmatch=True)


@st.composite
def attributes(draw) -> dict:
    """Attributes with valid keys; sometimes exactly at the 32,768-byte budget, or one value at its
    32,767-character limit (which, with a one-character key, is the budget too)."""
    shape = MEMBERS["Attributes"].value
    variant = draw(st.integers(0, 9))
    if variant == 0:
        budget = draw(st.sampled_from([documented.ATTRIBUTES_MAX_BYTES, documented.ATTRIBUTES_MAX_BYTES - 1]))
        wide = draw(st.sampled_from(WIDE))
        keys = draw(st.lists(key_text, min_size=2, max_size=3, unique=True))
        left = budget - sum(len(key) for key in keys)
        shares = [left // len(keys)] * (len(keys) - 1)
        shares.append(left - sum(shares))
        return {key: of_bytes(share, wide) for key, share in zip(keys, shares)}
    if variant == 1:
        return {draw(st.sampled_from(KEY_CHARS)): "x" * bounds(shape)[1]}
    return draw(st.dictionaries(key_text, sized_text(bounds(shape)[0], 200), max_size=4))


@st.composite
def reference(draw, channel: str) -> dict:
    kinds = documented.TASK_REFERENCE_TYPES_AT_CREATION if channel == "TASK" else REFERENCE_TYPES
    kind = draw(st.sampled_from(kinds))
    found = {"type": kind}
    if draw(st.booleans()):
        found["value"] = draw(epoch if kind == "DATE" else text_for(REFERENCE.members["Value"], 60))
    if draw(st.integers(0, 4)) == 0:
        found["status"] = draw(st.sampled_from(REFERENCE_STATUSES))
    if draw(st.integers(0, 4)) == 0:
        found["arn"] = draw(arn)
    if draw(st.integers(0, 4)) == 0:
        found["statusReason"] = draw(text_for(REFERENCE.members["StatusReason"]))
    return found


def reference_bytes(references: dict) -> int:
    return sum(utf8_size(key) + utf8_size(item.get("value") or "") for key, item in references.items())


@st.composite
def references(draw, channel: str) -> dict:
    """References within the 4,096-byte budget (keys counted, as assumed), sometimes exactly at it."""
    if draw(st.integers(0, 9)) == 0:
        budget = draw(st.sampled_from([documented.REFERENCES_MAX_BYTES, documented.REFERENCES_MAX_BYTES - 1]))
        key = draw(key_text)
        return {key: {"type": "STRING", "value": of_bytes(budget - len(key), draw(st.sampled_from(WIDE)))}}
    found = draw(st.dictionaries(key_text, reference(channel), max_size=3))
    while reference_bytes(found) > documented.REFERENCES_MAX_BYTES:
        found.pop(next(iter(found)))
    return found


segment_key = st.one_of(st.text(alphabet=KEY_CHARS, min_size=1, max_size=20),
                        st.sampled_from(["a" * 128, "connect:" + "b" * 120]))


def segment_value(depth: int = 0):
    """A segment attribute value holding exactly one value kind."""
    leaves = [
        text_for(SEGMENT_VALUE.members["ValueString"]).map(lambda text: {"valueString": text}),
        st.integers(-2**31, 2**31 - 1).flatmap(as_wire_number).map(lambda number: {"valueInteger": number}),
        text_for(SEGMENT_VALUE.members["ValueArn"]).map(lambda text: {"valueArn": text}),
    ]
    if depth < 2:
        inner = st.deferred(lambda: segment_value(depth + 1))
        leaves += [st.dictionaries(segment_key, inner, max_size=2).map(lambda items: {"valueMap": items}),
                   st.lists(inner, max_size=2).map(lambda items: {"valueList": items})]
    return st.one_of(leaves)


@st.composite
def segment_attributes(draw) -> dict:
    found = draw(st.dictionaries(segment_key.filter(lambda key: key != documented.CONTACT_EXPIRY_KEY),
                                 segment_value(), max_size=3))
    if draw(st.booleans()):
        minutes = draw(st.integers(documented.EXPIRY_MINUTES_MIN, 10**6).flatmap(as_wire_number))
        found[documented.CONTACT_EXPIRY_KEY] = {"valueMap": {documented.CONTACT_EXPIRY_DURATION: {"valueInteger": minutes}}}
    return found


@st.composite
def valid_inputs(draw, instance_id: str = PLACEHOLDER_INSTANCE) -> dict:
    """A contact that keeps every rule of the model and the semantics; any valid channel/method pair."""
    channel, method = draw(st.sampled_from(VALID_PAIRS))
    inputs = {"instanceId": instance_id, "channel": channel, "initiationMethod": method,
              schema.TOKEN_SCOPE: "props/valid"}
    allowed_initiate_as = [value for value in INITIATE_AS
                           if value != "COMPLETED" or channel == documented.COMPLETED_ONLY_FOR_CHANNEL]
    initiate_as = draw(st.none() | st.sampled_from(allowed_initiate_as))
    if initiate_as is not None:
        inputs["initiateAs"] = initiate_as
    needs_user = (channel, method) in documented.USER_REQUIRED_FOR or initiate_as == "CONNECTED_TO_USER"
    if needs_user or draw(st.booleans()):
        inputs["userInfo"] = {"userId": draw(text_for(MEMBERS["UserInfo"].members["UserId"]))}
    if (channel, method) == documented.EXTERNAL_AUDIO and draw(st.booleans()):
        inputs["previousContactId"] = draw(text_for(MEMBERS["PreviousContactId"]))
    optional = {
        "relatedContactId": text_for(MEMBERS["RelatedContactId"]),
        "name": text_for(MEMBERS["Name"]),
        "description": text_for(MEMBERS["Description"]),
        "expiryDurationInMinutes": st.integers(documented.EXPIRY_MINUTES_MIN, 10**7).flatmap(as_wire_number),
        "attributes": attributes(),
        "references": references(channel),
        "segmentAttributes": segment_attributes(),
        "clientToken": st.integers(16, bounds(MEMBERS["ClientToken"])[1]).map(unique_token),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            inputs[key] = draw(strategy)
    return inputs


def unique_token(length: int) -> str:
    """A ClientToken of `length` characters no other case uses (a reused token with another
    request is, rightly, refused by the service)."""
    seed = uuid.uuid4().hex
    return (seed * (length // len(seed) + 1))[:length]


def check(inputs: dict, olds: dict | None = None):
    return ContactProvider().check(olds or {}, inputs)


def failure_paths(result) -> dict[str, str]:
    return {failure.property: failure.reason for failure in result.failures}


def request_of(checked: dict) -> dict:
    """The CreateContact request the provider sends for checked inputs (tokenScope is not a member)."""
    return schema.api_request({key: value for key, value in checked.items() if key != schema.TOKEN_SCOPE})


@pytest.fixture(scope="module")
def service(shared_connect_service):
    shared_connect_service.clear_faults()
    return shared_connect_service


@pytest.fixture(scope="module")
def unvalidated_client(service):
    """Sends whatever it is given, once: what answers is the service's own validation."""
    return service.client(config=Config(parameter_validation=False), total_max_attempts=1)


def service_verdict(client, request: dict) -> str:
    """'accepted', or the error code the service answered with."""
    try:
        client.create_contact(**request)
    except ClientError as error:
        return error.response["Error"]["Code"]
    return "accepted"


# --------------------------------------------------------------------------- 1. check never raises

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-2**63, 2**63), st.floats(), st.text(max_size=20),
                         st.just(UNKNOWN), st.sampled_from(CHANNELS + METHODS + INITIATE_AS + REFERENCE_TYPES))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.one_of(st.text(max_size=10), st.sampled_from(
        ["type", "value", "userId", "valueMap", "valueInteger", "valueString", "valueList", "arn",
         documented.CONTACT_EXPIRY_KEY, documented.CONTACT_EXPIRY_DURATION])), inner, max_size=3)),
    max_leaves=8)


@st.composite
def anything_inputs(draw) -> dict:
    """Any values under the contact's keys: a valid contact with some keys replaced by arbitrary
    JSON values, or arbitrary values from scratch; sometimes an unknown key too."""
    inputs = draw(valid_inputs()) if draw(st.booleans()) else {}
    for key in draw(st.lists(st.sampled_from(STATE_KEYS), max_size=4)):
        inputs[key] = draw(json_values)
    if draw(st.integers(0, 9)) == 0:
        inputs[draw(st.text(max_size=10))] = draw(json_values)
    return inputs


@settings(max_examples=NEVER_RAISES_EXAMPLES, **COMMON)
@given(news=anything_inputs(), olds=st.one_of(st.just({}), anything_inputs()))
def test_check_never_raises(news, olds):
    result = check(news, olds)
    for failure in result.failures:
        assert isinstance(failure.property, str) and isinstance(failure.reason, str) and failure.reason
    assert schema.TOKEN_FIELD.state in result.inputs
    assert failure_paths(check(news, olds)) == failure_paths(result)  # deterministic


# --------------------------------------------------------------------------- 2. accepted by check => by the service


@settings(max_examples=ACCEPTED_EXAMPLES, **COMMON)
@given(data=st.data())
def test_what_check_accepts_the_service_accepts(data, service, unvalidated_client):
    inputs = data.draw(valid_inputs(service.instance_id))
    # Every case its own scope, hence its own derived token: hypothesis replays cases, and one
    # token sent with two different requests is rightly refused (IdempotencyException).
    result = check({**inputs, schema.TOKEN_SCOPE: f"props/{uuid.uuid4()}"})
    assert result.failures == [], f"check refused a valid contact: {failure_paths(result)}\ninputs: {_short(inputs)}"
    request = request_of(result.inputs)
    verdict = service_verdict(unvalidated_client, request)
    assert verdict == "accepted", f"check accepted, the service answered {verdict}\nrequest: {_short(request)}"


@settings(max_examples=THROUGH_THE_HOST_EXAMPLES, **COMMON)
@given(data=st.data())
def test_what_check_accepts_the_provider_creates_and_then_finds_unchanged(data, service, host):
    """The provider's own path, through the host (numbers as doubles over gRPC): CreateContact with
    the create-only members, then UpdateContact / UpdateContactAttributes. The contact it made
    then diffs as unchanged against the same inputs: no perpetual diff."""
    inputs = data.draw(valid_inputs(service.instance_id))
    urn = f"urn:pulumi:dev::props::pulumi-python:dynamic/connect:Contact::p-{uuid.uuid4().hex}"
    news = {**inputs, schema.TOKEN_SCOPE: f"props/{uuid.uuid4()}", PROVIDER_KEY: SERIALIZED_PROVIDER}
    checked = host.check(urn, None, news)
    assert checked.failures == [], _short(inputs)
    try:
        created = host.create(urn, checked.inputs_struct)
    except HostError as error:
        raise AssertionError(f"check accepted, the provider's create failed: {error.details.strip()}\n"
                             f"inputs: {_short(inputs)}") from None
    # The next `pulumi up` with the same program: Check with the old inputs, then Diff.
    again = host.check(urn, checked.inputs_struct, news)
    assert again.inputs == checked.inputs, "the checked inputs (the derived token) changed between runs"
    diff = host.diff(created.id, urn, created.outputs_struct, again.inputs_struct, old_inputs=checked.inputs_struct)
    assert diff.changes == "none" and diff.replaces == [], (
        f"an unchanged program diffs as changed: {diff.raw}\ninputs: {_short(inputs)}")


# --------------------------------------------------------------------------- 3. one broken rule => named failure


BREAKS = {}
"""rule -> strategy(base) of (broken inputs, the property path check must name). Each takes a
valid contact and breaks one rule (where two rules cannot be told apart, as a value over its
length that is also over the byte budget, the docstring says so)."""


def breaks(name: str):
    def register(strategy_fn):
        BREAKS[name] = strategy_fn
        return strategy_fn
    return register


@breaks("channel/method pair not accepted")
@st.composite
def _pair(draw, base):
    channel, method = draw(st.sampled_from(INVALID_PAIRS))
    path = "channel" if not documented.INITIATION_METHODS_BY_CHANNEL.get(channel) else "initiationMethod"
    return {**_neutral(base), "channel": channel, "initiationMethod": method, "userInfo": {"userId": "agent-1"}}, path


def _outside_enum(state: str, values) -> Callable:
    """A strategy putting a value outside the model's enum `values` into `state`."""
    @st.composite
    def strategy(draw, base):
        value = draw(st.text(min_size=1, max_size=12).filter(lambda text: text not in values))
        return {**base, state: value}, state
    return strategy


breaks("channel not in the model's enum")(_outside_enum("channel", CHANNELS))
breaks("initiation method not in the model's enum")(_outside_enum("initiationMethod", METHODS))
breaks("initiateAs not in the model's enum")(_outside_enum("initiateAs", INITIATE_AS))


@breaks("required member missing")
@st.composite
def _required(draw, base):
    field = draw(st.sampled_from(schema.REQUIRED))
    broken = {key: value for key, value in base.items() if key != field.state}
    return broken, field.state


@breaks("email outbound / agent reply without a user")
@st.composite
def _email_user(draw, base):
    method = draw(st.sampled_from([method for channel, method in documented.USER_REQUIRED_FOR]))
    broken = {**_neutral(base), "channel": "EMAIL", "initiationMethod": method}
    broken.pop("userInfo", None)
    broken.pop("initiateAs", None)
    return broken, "userInfo.userId"


@breaks("COMPLETED for a channel other than TASK")
@st.composite
def _completed(draw, base):
    channel, method = draw(st.sampled_from([pair for pair in VALID_PAIRS if pair[0] != "TASK"]))
    return ({**_neutral(base), "channel": channel, "initiationMethod": method, "initiateAs": "COMPLETED",
             "userInfo": {"userId": "agent-1"}}, "initiateAs")


@breaks("CONNECTED_TO_USER without a user (assumed)")
@st.composite
def _connected(draw, base):
    channel, method = draw(st.sampled_from([pair for pair in VALID_PAIRS if pair not in documented.USER_REQUIRED_FOR]))
    broken = {**_neutral(base), "channel": channel, "initiationMethod": method, "initiateAs": "CONNECTED_TO_USER"}
    broken.pop("userInfo", None)
    return broken, "userInfo.userId"


@breaks("previous contact on a contact that is not external audio")
@st.composite
def _previous(draw, base):
    channel, method = draw(st.sampled_from([pair for pair in VALID_PAIRS if pair != documented.EXTERNAL_AUDIO]))
    return ({**_neutral(base), "channel": channel, "initiationMethod": method, "userInfo": {"userId": "agent-1"},
             "previousContactId": draw(text_for(MEMBERS["PreviousContactId"]))}, "previousContactId")


@breaks("expiry not positive")
@st.composite
def _expiry(draw, base):
    minutes = draw(st.integers(-10**6, documented.EXPIRY_MINUTES_MIN - 1).flatmap(as_wire_number))
    return {**base, "expiryDurationInMinutes": minutes}, "expiryDurationInMinutes"


@breaks("expiry not a whole number")
@st.composite
def _expiry_type(draw, base):
    value = draw(st.one_of(st.floats(1.01, 1e6).filter(lambda number: not number.is_integer()),
                           st.text(max_size=5), st.booleans()))
    return {**base, "expiryDurationInMinutes": value}, "expiryDurationInMinutes"


@breaks("string too long or too short")
@st.composite
def _length(draw, base):
    choices = [("name", MEMBERS["Name"]), ("description", MEMBERS["Description"]),
               ("clientToken", MEMBERS["ClientToken"]), ("relatedContactId", MEMBERS["RelatedContactId"]),
               ("instanceId", MEMBERS["InstanceId"])]
    state, shape = draw(st.sampled_from(choices))
    low, high = bounds(shape)
    lengths = [high + 1, high + draw(st.integers(2, 50))] + ([low - 1] if low > 0 else [])
    length = draw(st.sampled_from(lengths))
    value = "" if length == 0 else unique_token(length) if state == "clientToken" else draw(sized_text(length, length))
    return {**base, state: value}, state


@breaks("user id too long or empty")
@st.composite
def _user_id(draw, base):
    low, high = bounds(MEMBERS["UserInfo"].members["UserId"])
    length = draw(st.sampled_from([low - 1, high + 1]))
    return {**base, "userInfo": {"userId": "u" * length}}, "userInfo.userId"


@breaks("string member given another type")
@st.composite
def _type(draw, base):
    state = draw(st.sampled_from(["name", "description", "relatedContactId", "channel", "initiationMethod"]))
    value = draw(st.one_of(st.integers(), st.booleans(), st.lists(st.integers(), min_size=1, max_size=2),
                           st.dictionaries(key_text, st.integers(), min_size=1, max_size=2)))
    return {**base, state: value}, state


@breaks("attribute key with a character outside letters, digits, '-' and '_'")
@st.composite
def _attribute_key(draw, base):
    key = draw(st.text(min_size=1, max_size=12).filter(lambda text: not documented.ATTRIBUTE_KEY.fullmatch(text)))
    return {**base, "attributes": {**base.get("attributes", {}), key: "v"}}, f"attributes.{key}"


@breaks("attributes over the byte budget")
@st.composite
def _attribute_budget(draw, base):
    total = documented.ATTRIBUTES_MAX_BYTES + draw(st.sampled_from([1, 2, 3, 100]))
    wide = draw(st.sampled_from(WIDE))
    half = total // 2
    return {**base, "attributes": {"a": of_bytes(half - 1, wide), "b": of_bytes(total - half - 1, wide)}}, "attributes"


@breaks("attribute value over its length (hence also over the byte budget)")
def _attribute_value(base):
    high = bounds(MEMBERS["Attributes"].value)[1]
    return st.just(({**base, "attributes": {"k": "x" * (high + 1)}}, "attributes.k"))


@breaks("references over the byte budget")
@st.composite
def _reference_budget(draw, base):
    total = documented.REFERENCES_MAX_BYTES + draw(st.sampled_from([1, 2, 3, 50]))
    key, wide = draw(key_text), draw(st.sampled_from(WIDE))
    first = (total - 2 * len(key) - 1) // 2
    refs = {key: {"type": "STRING", "value": of_bytes(first, wide)},
            key + "2": {"type": "STRING", "value": of_bytes(total - 2 * len(key) - 1 - first, wide)}}
    assert reference_bytes(refs) == total
    return {**base, "references": refs}, "references"


@breaks("reference without a type")
@st.composite
def _reference_type_missing(draw, base):
    key = draw(key_text)
    return {**base, "references": {key: {"value": "v"}}}, f"references.{key}.type"


@breaks("reference type not in the model's enum")
@st.composite
def _reference_type_enum(draw, base):
    key = draw(key_text)
    kind = draw(st.text(min_size=1, max_size=12).filter(lambda text: text not in REFERENCE_TYPES))
    return {**base, "references": {key: {"type": kind, "value": "v"}}}, f"references.{key}.type"


@breaks("reference type a TASK does not accept at creation")
@st.composite
def _task_reference_type(draw, base):
    key = draw(key_text)
    kind = draw(st.sampled_from([kind for kind in REFERENCE_TYPES if kind not in documented.TASK_REFERENCE_TYPES_AT_CREATION]))
    return ({**_neutral(base), "channel": "TASK", "initiationMethod": "API", "references": {key: {"type": kind, "value": "v"}}},
            f"references.{key}.type")


@breaks("DATE reference value not an epoch timestamp")
@st.composite
def _date(draw, base):
    key = draw(key_text)
    value = draw(st.text(min_size=1, max_size=16).filter(lambda text: not rules.ASSUMED.DATE_REFERENCE_VALUE.fullmatch(text)))
    return {**base, "references": {key: {"type": "DATE", "value": value}}}, f"references.{key}.value"


@breaks("reference ARN breaking its pattern or length")
@st.composite
def _reference_arn(draw, base):
    key = draw(key_text)
    low, high = bounds(REFERENCE.members["Arn"])
    value = draw(st.one_of(st.just("a" * (low - 1)), st.just("a" * (high + 1)),
                           st.text(alphabet="!@# ", min_size=low, max_size=low + 5)))
    return {**base, "references": {key: {"type": "ATTACHMENT", "value": "f", "arn": value}}}, f"references.{key}.arn"


@breaks("reference status not in the model's enum")
@st.composite
def _reference_status(draw, base):
    key = draw(key_text)
    status = draw(st.text(min_size=1, max_size=10).filter(lambda text: text not in REFERENCE_STATUSES))
    return {**base, "references": {key: {"type": "STRING", "value": "v", "status": status}}}, f"references.{key}.status"


@breaks("segment attribute key with a character outside the allowed ones")
@st.composite
def _segment_key(draw, base):
    key = draw(st.text(min_size=1, max_size=12).filter(lambda text: not rules.ASSUMED.SEGMENT_KEY.fullmatch(text)))
    return {**base, "segmentAttributes": {key: {"valueString": "v"}}}, f"segmentAttributes.{key}"


@breaks("segment attribute key over its length")
@st.composite
def _segment_key_length(draw, base):
    high = bounds(MEMBERS["SegmentAttributes"].key)[1]
    key = draw(st.sampled_from(["k" * (high + 1), "connect:" + "k" * (high - 7)]))
    return {**base, "segmentAttributes": {key: {"valueString": "v"}}}, f"segmentAttributes.{key}"


@breaks("segment attribute value with no value kind or several")
@st.composite
def _segment_kinds(draw, base):
    key = draw(key_text)
    kinds = {"valueString": "s", "valueInteger": 1, "valueArn": "a", "valueMap": {}, "valueList": []}
    chosen = draw(st.sampled_from([()] + list(itertools.combinations(sorted(kinds), 2))))
    return {**base, "segmentAttributes": {key: {kind: kinds[kind] for kind in chosen}}}, f"segmentAttributes.{key}"


@breaks("contact expiry without a positive ValueInteger")
@st.composite
def _segment_expiry(draw, base):
    duration = draw(st.one_of(
        st.integers(-1000, documented.EXPIRY_MINUTES_MIN - 1).map(lambda minutes: {"valueInteger": minutes}),
        st.just({"valueString": "60"})))
    path = (f"segmentAttributes.{documented.CONTACT_EXPIRY_KEY}.valueMap.{documented.CONTACT_EXPIRY_DURATION}.valueInteger")
    return ({**base, "segmentAttributes": {documented.CONTACT_EXPIRY_KEY: {
        "valueMap": {documented.CONTACT_EXPIRY_DURATION: duration}}}}, path)


@breaks("segment string value over its length")
@st.composite
def _segment_string(draw, base):
    key = draw(key_text)
    high = bounds(SEGMENT_VALUE.members["ValueString"])[1]
    return {**base, "segmentAttributes": {key: {"valueString": "s" * (high + 1)}}}, f"segmentAttributes.{key}.valueString"


def _neutral(base: dict) -> dict:
    """`base` without the members whose rules depend on channel and method (the break sets them)."""
    return {key: value for key, value in base.items()
            if key not in ("initiateAs", "previousContactId", "references", "userInfo")}


@pytest.mark.parametrize("rule", sorted(BREAKS))
@settings(max_examples=BROKEN_EXAMPLES_PER_RULE, **COMMON)
@given(data=st.data())
def test_a_broken_rule_is_named_by_check_and_refused_by_the_service(rule, data, service, unvalidated_client):
    base = data.draw(valid_inputs(service.instance_id), label="valid contact")
    inputs, path = data.draw(BREAKS[rule](base), label="broken")
    result = check(inputs)
    failures = failure_paths(result)
    assert path in failures, f"{rule}: check did not name {path!r}; failures: {failures}\ninputs: {_short(inputs)}"
    request = request_of({**inputs, "clientToken": inputs.get("clientToken", unique_token(40))})
    verdict = service_verdict(unvalidated_client, request)
    assert verdict in ("InvalidRequestException", "InvalidParameterException"), (
        f"{rule}: check refused ({failures[path]}), the service answered {verdict}\nrequest: {_short(request)}")


# --------------------------------------------------------------------------- 4. every channel x method pair


@pytest.mark.parametrize("channel, method", list(itertools.product(CHANNELS, METHODS)))
def test_check_and_the_service_agree_on_every_channel_and_method(channel, method, service, unvalidated_client):
    inputs = {"instanceId": service.instance_id, "channel": channel, "initiationMethod": method,
              "userInfo": {"userId": "agent-1"}, schema.TOKEN_SCOPE: f"pairs/{uuid.uuid4()}"}
    result = check(inputs)
    verdict = service_verdict(unvalidated_client, request_of(result.inputs))
    assert (result.failures == []) == (verdict == "accepted"), (failure_paths(result), verdict)
    assert (verdict == "accepted") == ((channel, method) in VALID_PAIRS)


def _short(value, limit: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


# --------------------------------------------------------------------------- 5. accepted by check => applied

# Every argument, given hostile values as often as valid ones: wrong types, empty containers of
# the wrong kind, lone surrogates, lengths at and past the model's limits, unknown members, nesting
# around the request's depth bound, regions of every partition and near misses. Whatever `check`
# accepts, the provider's create (CreateContact and the writes after it) and an update to a second
# accepted set of updatable values must apply against the local service. The only refusals allowed
# are those no check can foresee because they depend on what exists: an instance (in the region
# drawn), or the contact `existing_contact_id` names, that the service does not have.

APPLY_EXAMPLES = 500
ARGUMENTS = [field.state for field in schema.INPUTS]
UPDATABLE_ARGUMENTS = [field.state for field in schema.UPDATABLE]
EXISTING = "{existing contact}"
"""Replaced by the ID of a contact the test creates, of the drawn channel and method."""
SURROGATES = st.sampled_from(["\ud800", "a\udfffb", "\udc00", "tier\ud83d"])
PARTITION_REGIONS = sorted({region for partition in __import__("botocore.loaders").loaders.create_loader()
                            .load_data("partitions")["partitions"] for region in partition["regions"]})
TAG_KEY_CHARS = "abcXYZ019+-=._:/"


def nested(levels: int, leaf, container: str = "valueMap"):
    value = leaf
    for _ in range(levels):
        value = {container: {"inner": value}} if container == "valueMap" else {container: [value]}
    return value


wrong_scalars = st.one_of(st.integers(-2**70, 2**70), st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
                          SURROGATES)
wrong_containers = st.one_of(st.just([]), st.just({}), st.lists(st.integers(), min_size=1, max_size=2),
                             st.dictionaries(key_text, st.integers(), min_size=1, max_size=2),
                             st.integers(10, 70).map(lambda levels: nested(levels, "x", "list")))


def around(shape, default_max: int = 64):
    """Text at, just inside and just past the shape's limits, sometimes of wide characters."""
    low, high = bounds(shape, default_max)
    lengths = sorted({max(low - 1, 0), low, high, high + 1})
    return st.tuples(st.sampled_from(lengths), st.sampled_from(WIDE)).map(lambda pair: pair[1] * pair[0])


def hostile(valid, *specific):
    """Half valid values, half hostile ones: the argument's own near misses and any wrong type."""
    return st.one_of(valid, valid, *specific, wrong_scalars, wrong_containers, SURROGATES)


regions = st.one_of(
    st.sampled_from(PARTITION_REGIONS),
    st.sampled_from(["us-east-1/../x", "u" * 1000, "us-east_x-1", "US-EAST-1", "eu-west", " eu-west-2", "eu-west-2\n",
                     "xx-east-1", "a" * 63, "a" * 64, "eu-west-2.", "aws-global", "cn-north-1", "us-gov-west-1"]),
    st.from_regex(r"[a-z]{2,4}-[a-z_]{1,10}-[0-9]{1,2}", fullmatch=True))
contact_ids = st.one_of(st.just(EXISTING), st.just(EXISTING), around(MEMBERS["RelatedContactId"]),
                        st.sampled_from([".", "..", "a/b", "%2F", "c" * 256, "c" * 257, " "]))
tag_key = st.text(alphabet=TAG_KEY_CHARS, min_size=1, max_size=12).filter(lambda key: not key.startswith("aws:"))
valid_tags = st.one_of(
    st.dictionaries(tag_key, st.text(max_size=20), min_size=1, max_size=5),
    st.integers(3, 5).map(lambda count: {f"t{index}": "v" for index in range(count)}))
tags = st.one_of(
    valid_tags,
    st.dictionaries(st.text(min_size=1, max_size=6), st.text(max_size=5), min_size=1, max_size=7),
    st.just({"aws:owner": "me"}), st.just({"connect-contact:released": "true"}),
    st.integers(250, 260).map(lambda length: {"team": "v" * length}))


@st.composite
def segment_hostile(draw) -> dict:
    kind = draw(st.integers(0, 5))
    if kind == 0:
        levels = draw(st.integers(10, 20))  # around the bound: 14 value_map levels fit a request, 15 do not
        return {"deep": nested(levels, {"valueString": "leaf"})}
    if kind == 1:
        return {"tier": {"valueString": "gold", draw(st.sampled_from(["colour", "ValueString", "value"])): "x"}}
    if kind == 2:
        return {"tier": {"valueInteger": draw(st.sampled_from([2**31 - 1, 2**31, -2**31, -2**31 - 1, 1.5]))}}
    if kind == 3:
        return {"tier": {"valueList": draw(st.lists(st.one_of(st.just({"valueString": "a"}), wrong_scalars), max_size=3))}}
    if kind == 4:
        return {draw(st.sampled_from(["connect:Custom", "bad key", "k" * 129])): {"valueString": "v"}}
    return {"tier": draw(wrong_containers)}


@st.composite
def references_hostile(draw, channel: str) -> dict:
    reference = draw(st.one_of(
        st.just({"type": "STRING", "value": "v", "bogus": 1}),
        st.just({"type": "URL", "url": "https://x"}),
        st.sampled_from(REFERENCE_TYPES).map(lambda kind: {"type": kind, "value": "1767225600"}),
        st.fixed_dictionaries({"type": st.just("STRING"), "value": st.one_of(wrong_scalars, wrong_containers)}),
        wrong_containers))
    return {draw(key_text): reference}


def argument_values(state: str, channel: str, instance_id: str):
    """Values for one argument, valid and hostile."""
    if state == "instanceId":
        return hostile(st.just(instance_id), around(MEMBERS["InstanceId"]), st.just(instance_id + "x"))
    if state in ("channel", "initiationMethod", "initiateAs"):
        member = {"channel": "Channel", "initiationMethod": "InitiationMethod", "initiateAs": "InitiateAs"}[state]
        enum = list(MEMBERS[member].enum)
        return hostile(st.sampled_from(enum), st.sampled_from([value.lower() for value in enum]))
    if state == "clientToken":
        # 16 characters or more: shorter tokens would collide, and a token reused with another request
        # is, rightly, refused (IdempotencyException).
        return hostile(st.integers(16, 500).map(unique_token), st.just(""), st.just(unique_token(501)),
                       st.integers(1, 20).map(lambda length: unique_token(length) + "\ud800"))
    if state in ("relatedContactId", "previousContactId"):
        return hostile(text_for(MEMBERS["RelatedContactId"]), around(MEMBERS["RelatedContactId"]))
    if state == "existingContactId":
        return hostile(contact_ids, contact_ids)
    if state == "attributes":
        return hostile(attributes(), st.dictionaries(st.text(max_size=6), st.one_of(st.text(max_size=5), wrong_scalars),
                                                     max_size=3))
    if state == "references":
        return hostile(references(channel), references_hostile(channel))
    if state == "expiryDurationInMinutes":
        return hostile(st.integers(1, 10**7).flatmap(as_wire_number),
                       st.sampled_from([0, -1, 2**31 - 1, 2**31, 1.5, 1e300, float("nan"), "60"]))
    if state == "userInfo":
        return hostile(st.builds(lambda user: {"userId": user}, text_for(MEMBERS["UserInfo"].members["UserId"])),
                       st.just({"userId": "agent-1", "junk": "x"}), st.just({"userId": ""}),
                       st.just({"userId": "u" * 257}))
    if state in ("name", "description"):
        member = MEMBERS["Name" if state == "name" else "Description"]
        return hostile(text_for(member), around(member))
    if state == "segmentAttributes":
        return hostile(segment_attributes(), segment_hostile())
    if state == "tags":
        return hostile(tags, tags)
    if state == "region":
        return hostile(regions, regions)
    raise AssertionError(f"no values for the argument {state}: every argument of the field table needs some")


@st.composite
def apply_inputs(draw, instance_id: str, names: list[str], base: dict | None = None) -> dict:
    """A valid contact (or `base`) with some of `names` given hostile or valid values."""
    inputs = dict(base) if base is not None else draw(valid_inputs(instance_id))
    if base is None and draw(st.booleans()):  # tags, which valid_inputs leaves out
        inputs["tags"] = draw(valid_tags)
    channel = inputs.get("channel") if isinstance(inputs.get("channel"), str) else "TASK"
    for state in draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True)):
        inputs[state] = draw(argument_values(state, channel, instance_id))
    return inputs


class ApplyTally:
    """Inputs tried, accepted by check, applied, and refused at apply (and why), for the figures."""

    def __init__(self) -> None:
        self.tried = self.accepted = self.applied = self.updated = self.existence = 0
        self.refused: list[str] = []

    def line(self) -> str:
        return (f"provider inputs tried {self.tried}, accepted by check {self.accepted}, applied {self.applied} "
                f"(and updated {self.updated}), refused at apply for what does not exist {self.existence}, "
                f"accepted by check but refused at apply {len(self.refused)}")


@pytest.fixture(scope="module")
def apply_provider(service):
    from tests.support.emulator_support import LOCAL_CREDENTIALS

    provider = ContactProvider()
    config = {"aws:region": "us-east-1", "connect-contact:endpoint": service.url,
              "aws:accessKey": LOCAL_CREDENTIALS["AWS_ACCESS_KEY_ID"],
              "aws:secretKey": LOCAL_CREDENTIALS["AWS_SECRET_ACCESS_KEY"]}
    provider.configure(type("Request", (), {"config": type("Config", (), {"get": staticmethod(config.get)})()})())
    return provider


@pytest.fixture(scope="module")
def apply_tally():
    tally = ApplyTally()
    yield tally
    print(f"\n{tally.line()}")


def existence_refusal(message: str, inputs: dict, instance_id: str, existing: str | None,
                      home_region: str = "us-east-1") -> bool:
    """A refusal no check can foresee: the instance or the adopted contact does not exist (an
    instance lives in one region: in any other, it does not exist)."""
    elsewhere = inputs.get("instanceId") != instance_id or inputs.get("region", home_region) != home_region
    if elsewhere and ("ResourceNotFoundException" in message
                                                     or "does not exist in instance" in message
                                                     or "Connect does not know its instance" in message):
        return True
    named = inputs.get("existingContactId")
    return named is not None and named != existing and "does not exist in instance" in message


@settings(max_examples=APPLY_EXAMPLES, **COMMON)
@given(data=st.data())
def test_what_check_accepts_of_any_argument_the_provider_applies(data, service, apply_provider, apply_tally):
    from connect_contact.aws import ConnectContactError

    inputs = data.draw(apply_inputs(service.instance_id, ARGUMENTS), label="inputs")
    inputs[schema.TOKEN_SCOPE] = f"apply/{uuid.uuid4()}"
    existing = None
    if inputs.get("existingContactId") == EXISTING:
        pair = (inputs.get("channel"), inputs.get("initiationMethod"))
        existing = inputs["existingContactId"] = (_existing_contact(service, pair) if pair in VALID_PAIRS
                                                  else "no-such-contact")
    apply_tally.tried += 1
    checked = check(inputs)
    if checked.failures:
        return
    apply_tally.accepted += 1
    try:
        created = apply_provider.create(checked.inputs)
    except ConnectContactError as error:
        if existence_refusal(str(error), checked.inputs, service.instance_id, existing, service.region):
            apply_tally.existence += 1
            return
        apply_tally.refused.append(str(error))
        raise AssertionError(f"check accepted, the create failed: {error}\ninputs: {_short(inputs)}") from None
    apply_tally.applied += 1
    if isinstance(checked.inputs.get("tags"), dict) and data.draw(st.booleans(), label="every tag replaced"):
        news = {**checked.inputs, "tags": {f"{key}-next"[-128:]: value for key, value in checked.inputs["tags"].items()}}
    else:
        news = data.draw(apply_inputs(service.instance_id, UPDATABLE_ARGUMENTS, base=checked.inputs), label="update")
    rechecked = check(news, checked.inputs)
    if rechecked.failures or apply_provider.diff(created.id, created.outs, rechecked.inputs).replaces:
        return
    try:
        apply_provider.update(created.id, created.outs, rechecked.inputs)
    except ConnectContactError as error:
        apply_tally.refused.append(str(error))
        raise AssertionError(f"check accepted, the update failed: {error}\nfrom: {_short(checked.inputs)}\n"
                             f"to: {_short(news)}") from None
    apply_tally.updated += 1


def _existing_contact(service, pair: tuple[str, str]) -> str:
    """A new contact of the pair's channel and method, for `existing_contact_id` to adopt."""
    channel, method = pair
    created = service.client().create_contact(InstanceId=service.instance_id, Channel=channel, InitiationMethod=method,
                                              UserInfo={"UserId": "agent-1"})
    return created["ContactId"]
