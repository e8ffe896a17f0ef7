"""The core of the provider: check, diff, create, read, update and delete of Amazon Connect
contacts on plain property maps (state names, as the engine holds them).

It knows nothing of the face that serves it (`provider.ContactProvider`, Pulumi's dynamic
provider, is one thin adapter over it): results are plain values, warnings and info lines go to
the callables it is given, and secrets are the face's to mark. Every step derives from the field
table in `schema`; limits and enums come from botocore's model through `model` and `rules`.
"""

from __future__ import annotations

import dataclasses
import datetime
import threading
import time
from dataclasses import dataclass, field as dataclass_field
from typing import Any, Callable, Optional

from . import arns, aws_settings, connect_api, input_rules, model, rules, schema, token
from .aws import ClientSettings, ConnectContactError, Connection, connect, unhonoured_settings
from .pulumi_compat import UNKNOWN, is_unknown

Say = Callable[[str], None]
INSTANCE = schema.INSTANCE_FIELD.state


def as_wire_unknowns(value: Any) -> Any:
    """`value` with every unknown as the wire sentinel, which the host serialises as is."""
    if isinstance(value, dict):
        return {key: as_wire_unknowns(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_wire_unknowns(item) for item in value]
    return UNKNOWN if is_unknown(value) else value


def contains_unknown(value: Any) -> bool:
    if isinstance(value, dict):
        return any(contains_unknown(item) for item in value.values())
    if isinstance(value, list):
        return any(contains_unknown(item) for item in value)
    return is_unknown(value)


@dataclass(frozen=True)
class Checked:
    inputs: dict[str, Any]
    failures: list[tuple[str, str]]
    """(property path, reason) for each failure."""


@dataclass(frozen=True)
class Diffed:
    changes: Optional[bool]
    """True, False, or None: an update whose properties the engine is to diff itself."""
    replaces: list[str]
    stables: list[str]
    delete_before_replace: bool = True
    updates: list[str] = dataclass_field(default_factory=list)
    """The properties an update changes in place (a face that sends a detailed diff names them)."""


REPLACED_BY_ITSELF = (
    "contact {id} is not ended: its replacement was created before it was deleted, with the same client token, "
    "so Connect handed back this same contact, which the stack keeps, live and unreplaced (the engine creates "
    "first when delete-before-replace is off: a transform setting delete_before_replace=False on a Contact, "
    "deleteBeforeReplace: false, or `pulumi up --replace` of a plugin Contact without deleteBeforeReplace: true); "
    "for a new contact, turn delete-before-replace on and replace it again")
"""Why a delete ends nothing: the contact it names is the one the stack now keeps."""


MOVED_SCOPE = (
    "contact {id} was made as {was} and is now declared as {now}; it keeps the client token derived for "
    "{was}, so until {until} (Connect keeps a token 7 days) a new Contact declared as {was} would be handed "
    "this same contact: give such a Contact its own client_token, or wait until then")
"""Why a renamed or moved contact's old name is not free yet."""


@dataclass(frozen=True)
class Made:
    """A contact created, adopted, updated or read: its ID and outputs (and, read, its inputs)."""

    id: str
    outs: dict[str, Any]
    inputs: Optional[dict[str, Any]] = dataclass_field(default=None)


class Lifecycle:
    """The life cycle of contacts for one provider process: boto3 clients per region, made on
    first use from the stack config `configure` gets. `warn` and `info` take the lines the user
    is to see. `reads_imports`: the face's import reads the contact (the plugin's does; the dynamic
    host's cannot), so an imported state is diffed like any other."""

    def __init__(self, warn: Say, info: Say, *, reads_imports: bool = False) -> None:
        self._warn_line, self._info = warn, info
        self._reads_imports = reads_imports
        self._settings = ClientSettings()
        self._connections: dict[str, Connection] = {}
        self._stack_connection_region: Optional[str] = None
        self._lock = threading.Lock()
        self._made: set[str] = set()
        """The contacts this process's creates made, adopted or were handed back (resource IDs)."""

    @property
    def settings(self) -> ClientSettings:
        """The settings `configure` read."""
        return self._settings

    def _warn(self, warnings: list[str]) -> None:
        for message in warnings:
            self._warn_line(message)

    def configure(self, get: Callable[[str], Any]) -> None:
        """Reads the stack config (`get`: a config key's value, or None) once per provider process:
        warns once for each pulumi-aws setting it does not honour, and stops, in one line, for one it
        must not ignore."""
        self._settings = ClientSettings.from_config(get)
        refused, warnings = unhonoured_settings(get)
        self._warn(warnings)
        if refused:
            raise ConnectContactError("; ".join(refused))

    def connect(self, props: Optional[dict[str, Any]] = None) -> connect_api.ConnectApi:
        """The Connect API for the resource's region (its `region`, else, for a contact that exists,
        the region its ARN names, else the stack's), through one
        boto3 client per region, operation and process, each made on first use (all again if the
        local service they talked to has exited). Says once where contacts go."""
        wanted = (props or {}).get(schema.REGION_FIELD.state) or _arn_region(props or {}) or None
        with self._lock:
            # Connections are kept by the region their clients sign for: the stack's own region,
            # asked for by name (a contact's ARN names it), shares the stack's connection, and
            # its one line saying where contacts go.
            region = wanted or self._settings.region or self._stack_connection_region
            previous = self._connections.get(region) if region is not None else None
            if previous is not None and previous.still_valid():
                return connect_api.ConnectApi(previous.clients)
            settings = self._settings if wanted is None else dataclasses.replace(self._settings, region=wanted)
            current = connect(settings)
            signed_for: str = current.clients.first.meta.region_name
            if wanted is None:
                self._stack_connection_region = signed_for
            previous = self._connections.get(signed_for, previous)
            if previous is not None and previous.still_valid():
                current = previous  # the stack's region, first reached through a contact's ARN
            self._connections[signed_for] = current
            if previous is None or previous.destination != current.destination:
                self._info(current.destination)
            return connect_api.ConnectApi(current.clients)

    def _stack_region(self) -> Optional[str]:
        """The region a contact that names none is put in: aws:region, else the region the stack's
        clients are made for (AWS_DEFAULT_REGION, the profile, the local service's own); None when
        that cannot be told without the settings that are missing (the diff then compares the
        declared regions alone)."""
        if self._settings.region is not None:
            return self._settings.region
        try:
            return self.connect().clients.first.meta.region_name
        except ConnectContactError:
            return None

    # check

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> Checked:
        olds = as_wire_unknowns(olds)
        given = {key: value for key, value in news.items() if key in INPUT_NAMES}
        # Too deep, or not Unicode: refused here, and unknown to every check below, which walks values.
        unwalkable = input_rules.unwalkable(given)
        pruned = {key: schema.prune(value) for key, value in given.items() if key not in unwalkable}
        if schema.TAGS_FIELD.state not in unwalkable:
            pruned[schema.TAGS_FIELD.state] = aws_settings.merged_tags(self._settings.default_tags,
                                                                        pruned.get(schema.TAGS_FIELD.state))
        inputs = {key: as_wire_unknowns(value) for key, value in pruned.items() if not schema.is_empty(value)}
        # The checks see them as unknown (present, not walked); the engine gets them back not at all:
        # an unknown value in the inputs of an `up` stops it before it shows the failures.
        checked = {**inputs, **dict.fromkeys(unwalkable, UNKNOWN)}
        refused = [*unwalkable.values(), *input_rules.container_violations(pruned),
                   *input_rules.merged_violations(olds, checked, is_unknown)]
        failures = _failures(checked, refused, news.get(schema.TAGS_FIELD.state), self._settings.default_tags)
        if inputs.get(schema.TOKEN_FIELD.state) is None:
            inputs[schema.TOKEN_FIELD.state] = derived_token(olds, inputs)
        return Checked(inputs, failures)

    # diff

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> Diffed:
        """Replaces for create-only changes, always deleting first (see `Contact`); updates for the
        others. The host sends the engine no per-property diff, so an update is answered as
        "unknown": the engine then diffs the inputs itself, names each changed property in the plan
        (secret ones by name only) and applies `replace_on_changes` to them."""
        news = as_wire_unknowns(news)
        if not is_adopted(olds) and not (self._reads_imports and olds.get(schema.CONTACT_ID_FIELD.state)):
            # An imported state (`pulumi import --file`): nothing to replace, the update adopts it.
            return Diffed(changes=True, replaces=[], stables=[], delete_before_replace=True)
        replaces: list[str] = []
        updates: list[str] = []
        for field in schema.INPUTS:
            if field is schema.TOKEN_FIELD or (field is schema.EXISTING_FIELD and not news.get(field.state)):
                continue  # a contact once adopted stays managed when the program stops naming it
            old, new = schema.normalized(field, olds.get(field.state)), schema.normalized(field, news.get(field.state))
            if field is schema.REGION_FIELD:
                # Where the contact is (its ARN's region) against where the program now puts it (its
                # region=, else the stack's): declaring the region it is in already changes nothing,
                # and a change of aws:region moves every contact that does not name its own.
                located, placed = _arn_region(olds) or old, new if new is not None else self._stack_region()
                if located is not None and placed is not None:
                    old, new = located, placed
            if contains_unknown(new) or old != new:
                (replaces if field.mode is schema.Mode.CREATE_ONLY else updates).append(field.state)
        if _token_replaces(olds.get(schema.TOKEN_FIELD.state), news.get(schema.TOKEN_FIELD.state)):
            replaces.append(schema.TOKEN_FIELD.state)
        if set(schema.LOCATING) & set(replaces) and not contains_unknown(news.get(INSTANCE)):
            # The old contact is ended before the new one is created: a mistyped instance or region
            # must fail here, not after.
            self.connect(news).require_instance(news[INSTANCE], "the replacement cannot be created")
        if not replaces:
            self._warn_of_a_moved_scope(olds, news)
        stables = [field.state for field in schema.CREATE_ONLY if field.state not in replaces]
        changes = True if replaces else (None if updates else False)
        return Diffed(changes=changes, replaces=replaces, stables=stables, delete_before_replace=True, updates=updates)

    def _warn_of_a_moved_scope(self, olds: dict[str, Any], news: dict[str, Any]) -> None:
        """A contact renamed, or moved to another stack (`state rename`, `state move`, `stack rename`,
        an alias), keeps the token derived for where it was made: for as long as Connect keeps that
        token, a new Contact declared there again would be handed this same contact."""
        was, now = olds.get(schema.TOKEN_SCOPE), news.get(schema.TOKEN_SCOPE)
        client_token = olds.get(schema.TOKEN_FIELD.state)
        if not (isinstance(was, str) and isinstance(now, str) and was != now and token.is_derived(client_token)):
            return
        made = _epoch_seconds(olds.get(schema.INITIATION_FIELD.state))
        if made is None or time.time() - made >= token.WINDOW_SECONDS:
            return
        until = datetime.datetime.fromtimestamp(made + token.WINDOW_SECONDS, datetime.timezone.utc)
        self._warn_line(MOVED_SCOPE.format(id=olds.get(schema.CONTACT_ID_FIELD.state), was=was, now=now,
                                           until=until.strftime("%Y-%m-%d %H:%M UTC")))

    # create

    def create(self, props: dict[str, Any]) -> Made:
        made = self._create(props)
        self._made.add(made.id)
        return made

    def _create(self, props: dict[str, Any]) -> Made:
        api = self.connect(props)
        inputs = _inputs_of(props)
        if props.get(schema.EXISTING_FIELD.state):
            return self._adopt(api, props, props[schema.EXISTING_FIELD.state])
        created = api.create_unreleased(schema.api_request(props, schema.CREATE_ONLY))
        # The one DescribeContact shows the contact as created (or as an interrupted create left it).
        # References are not listed: writing the declared ones again merges, and spares a call.
        kept = {schema.TOKEN_FIELD.state: created.client_token,
                schema.FIRST_GENERATION_FIELD.state: created.first_generation_id}
        return self._write_over(api, created.contact, inputs, kept, list_references=False)

    def _adopt(self, api: connect_api.ConnectApi, props: dict[str, Any], contact_id: str,
               what: str = "existing_contact_id") -> Made:
        """Manage an existing contact: read it, check it is of the declared kind, write the
        updatable fields that differ from it."""
        instance_id = props[INSTANCE]
        try:
            live = api.find_contact(instance_id, contact_id)
        except connect_api.ContactGone:
            raise ConnectContactError(
                f"{what}: contact {contact_id} does not exist in instance {instance_id}; check the ID "
                "(the contact's ID, not its ARN) and instance_id") from None
        mismatches = [f"{field.python} is {live.get(field.described_as)!r}, not {props.get(field.state)!r}"
                      for field in schema.KINDS
                      if live.get(field.described_as) != props.get(field.state)]
        if mismatches:
            raise ConnectContactError(f"{what}: contact {contact_id} cannot be managed as declared: its "
                                      f"{'; its '.join(mismatches)}; declare the contact's own values")
        return self._write_over(api, live, _inputs_of(props), _kept(props), list_references=True)

    # update

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> Made:
        api = self.connect({**news, schema.ARN_FIELD.state: olds.get(schema.ARN_FIELD.state)})
        if not is_adopted(olds):
            return self._adopt_imported(api, id_, news)
        instance_id, contact_id = connect_api.parse_resource_id(id_, olds)
        inputs = _inputs_of(news)
        try:
            warnings = api.write(instance_id, contact_id, _inputs_of(olds), inputs)
            # References are what was just written: no ListContactReferences after writing them.
            observed = api.observe(instance_id, contact_id, inputs, list_references=False)
        except connect_api.ContactGone:
            raise ConnectContactError(
                f"contact {contact_id} no longer exists in instance {instance_id}, so it cannot be updated; run "
                "`pulumi refresh` to drop it from the stack, then `pulumi up` creates it again") from None
        self._warn(warnings)
        return Made(id_, _outputs(inputs, observed, _kept(olds)))

    def _adopt_imported(self, api: connect_api.ConnectApi, id_: str, news: dict[str, Any]) -> Made:
        """The first update of an imported contact: adopted as `existing_contact_id` adopts one."""
        instance_id, contact_id = connect_api.parse_resource_id(id_, news)
        if instance_id != news.get(INSTANCE):
            raise ConnectContactError(f"imported contact {id_} is in instance {instance_id}, but the program declares "
                                      f"instance_id {news.get('instanceId')!r}; declare the contact's own instance")
        return self._adopt(api, news, contact_id, what="imported contact")

    # read (refresh and import)

    def read(self, id_: str, props: dict[str, Any]) -> Made:
        api = self.connect(props)
        instance_id, contact_id = connect_api.parse_resource_id(id_, props)
        props = {**props, INSTANCE: instance_id}
        declared = _inputs_of(props)
        try:
            observed = api.observe(instance_id, contact_id, declared, importing=not props.get(schema.CONTACT_ID_FIELD.state))
        except connect_api.ContactGone:
            return Made("", {})
        # What DescribeContact shows of an UpdateContact field is the whole truth: absent is cleared.
        unreported = {key: value for key, value in declared.items()
                      if key not in DESCRIBED_UPDATES or key in observed}
        outs = _outputs(unreported, observed, _kept(props))
        inputs = {key: value for key, value in outs.items() if key in INPUT_NAMES}
        return Made(connect_api.resource_id(instance_id, contact_id), outs, inputs)

    # delete

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        if id_ in self._made:
            # A replacement created before this delete, with an unchanged client token, got this same
            # contact back, and the stack now holds it: ending it would leave the stack an ended contact.
            self._warn_line(REPLACED_BY_ITSELF.format(id=id_))
            return
        api = self.connect(props)
        instance_id, contact_id = connect_api.parse_resource_id(id_, props)
        self._warn(api.release(instance_id, contact_id, already_ended=bool(props.get(schema.DISCONNECT_FIELD.state)),
                          first_generation=_first_generation(props)))


    def _write_over(self, api: connect_api.ConnectApi, contact: dict, inputs: dict[str, Any], kept: dict[str, Any], *,
                    list_references: bool) -> Made:
        """Bring a contact just read (`contact`, as DescribeContact showed it) to the declared inputs:
        only what differs is written, and the outputs are that read plus what was written."""
        instance_id = inputs[INSTANCE]
        live = api.observe(instance_id, contact["Id"], inputs, contact=contact, list_references=list_references)
        warnings = api.write(instance_id, contact["Id"], live, inputs)
        computed = {key: value for key, value in live.items() if key not in UPDATABLE_NAMES}
        self._warn(warnings)
        return Made(connect_api.resource_id(instance_id, contact["Id"]), _outputs(inputs, computed, kept))


INPUT_NAMES = frozenset(field.state for field in schema.INPUTS) | {schema.TOKEN_SCOPE}
UPDATABLE_NAMES = frozenset(field.state for field in schema.UPDATABLE)
DESCRIBED_UPDATES = frozenset(field.state for field in schema.UPDATABLE
                              if field.mode is schema.Mode.UPDATE_CONTACT and field.described_as)
"""What DescribeContact shows of these is the whole truth: a value it does not show was cleared."""


def _epoch_seconds(timestamp: Any) -> Optional[float]:
    """Seconds since the epoch of a state's ISO 8601 timestamp (None if it is not one)."""
    if not isinstance(timestamp, str):
        return None
    try:
        moment = datetime.datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)).timestamp()


def _arn_region(props: dict[str, Any]) -> Optional[str]:
    """The region a contact is in, from the ARN in its state (None before it exists)."""
    arn = props.get(schema.ARN_FIELD.state)
    return arns.region_of(arn) if isinstance(arn, str) else None


def is_adopted(olds: dict[str, Any]) -> bool:
    """Whether a state is one this provider made: every create and adoption records the contact and
    its client token; a state `pulumi import` wrote (with or without a refresh since) lacks one."""
    return bool(olds.get(schema.CONTACT_ID_FIELD.state)) and bool(olds.get(schema.TOKEN_FIELD.state))


def _kept(props: dict[str, Any]) -> dict[str, Any]:
    """The outputs only the provider knows (Connect reports them nowhere), kept from state to state."""
    return {name: props.get(name) for name in schema.KEPT}


def _outputs(inputs: dict[str, Any], observed: dict[str, Any], kept: dict[str, Any]) -> dict[str, Any]:
    """Outputs: the inputs Connect cannot report back, overlaid with what it does report and what
    the provider keeps (`kept`: the client token that created the contact, ...)."""
    outs = {**inputs, **observed, **{name: value for name, value in kept.items() if value is not None}}
    return {key: value for key, value in outs.items() if not schema.is_empty(value)}


def _first_generation(props: dict[str, Any]) -> Optional[tuple[str, int]]:
    """(the first generation's contact ID, this contact's generation) when this contact is a later
    generation of a derived token."""
    first_id, client_token = props.get(schema.FIRST_GENERATION_FIELD.state), props.get(schema.TOKEN_FIELD.state)
    if not first_id or not token.is_derived(client_token) or token.generation(client_token) == 0:
        return None
    return first_id, token.generation(client_token)


def _inputs_of(props: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in props.items() if key in INPUT_NAMES}


def _failures(inputs: dict[str, Any], refused: list[model.Violation], own_tags: Any = None,
              default_tags: Optional[dict] = None) -> list[tuple[str, str]]:
    request = schema.api_request(inputs)
    violations = list(refused)
    violations += model.validate_request(schema.CREATE_OPERATION, request, skip=is_unknown)
    violations += rules.create_contact_violations(request, skip=is_unknown)
    from_defaults = aws_settings.from_defaults(default_tags or {}, own_tags)
    for field in schema.INPUTS:
        value = inputs.get(field.state)
        if field.empty_refused and value == "":
            # Connect would take "" as a value (a token shared by every contact given it).
            violations.append(model.Violation((str(field.member),), f"must not be empty; {field.empty_refused}"))
        if field.reserved_keys:
            # aws:defaultTags merge into the tags: their keys are named where they break a rule.
            violations += _reserved_violations(field, value, from_defaults if field is schema.TAGS_FIELD else [])
    violations += input_rules.violations(inputs, skip=is_unknown)
    unique = dict.fromkeys((violation.property_path(), _with_argument(violation)) for violation in violations)
    return list(unique)


RESERVED_KEY_REASONS = {schema.RELEASED_TAG: "is the provider's own release mark; use another key"}


def _reserved_violations(field: schema.Field, value: Any, from_defaults: list[str]) -> list[model.Violation]:
    """The field's shape for a map with keys the provider keeps for itself (`field.reserved_keys`:
    the tags' release mark), its maximum less their room; `from_defaults` are the keys that come
    from aws:defaultTags."""
    if value is None or is_unknown(value) or field.shape is None:
        return []
    member, reserved = str(field.member), field.reserved_keys
    # The map's own size is checked below, against the room the reserved keys leave.
    violations = [_naming_defaults(violation, from_defaults)
                  for violation in model.validate(field.shape, value, (member,), skip=is_unknown)
                  if not (violation.path == (member,) and violation.reason.startswith("must have at most"))]
    if isinstance(value, dict):
        violations += [_naming_defaults(model.Violation((member, model.Key(key)), RESERVED_KEY_REASONS.get(
                           key, "is a key the provider keeps for itself; use another key")), from_defaults)
                       for key in reserved if key in value]
        room = field.shape.metadata["max"] - len(reserved)
        if len(value) > room:
            defaults = (f"; {len(from_defaults)} of the {len(value)} come from {aws_settings.DEFAULT_TAGS} "
                        f"({', '.join(from_defaults)})") if from_defaults else ""
            kept = "one" if len(reserved) == 1 else str(len(reserved))
            violations.append(model.Violation((member,), f"must have at most {room} {field.state} (Connect allows "
                                              f"{room + len(reserved)} and the provider keeps {kept}); remove "
                                              f"{len(value) - room}{defaults}"))
    return violations


def _naming_defaults(violation: model.Violation, from_defaults: list[str]) -> model.Violation:
    """The violation, saying so when its tag comes from aws:defaultTags."""
    key = violation.path[1] if len(violation.path) > 1 else None
    if key is not None and str(key) in from_defaults:
        return dataclasses.replace(violation, reason=f"{violation.reason} (from {aws_settings.DEFAULT_TAGS})")
    return violation


def _with_argument(violation: model.Violation) -> str:
    """The reason, naming the Python argument to set when a top-level member is missing, and the
    argument's path in the program where it is not the property's."""
    field = schema.BY_MEMBER.get(violation.path[0]) if len(violation.path) == 1 else None
    if field is not None and violation.reason == model.REQUIRED:
        return f"{model.REQUIRED}; set {field.python}"
    argument = input_rules.python_path(violation) if violation.path else ""
    if argument and argument != violation.property_path():
        return f"{violation.reason}; the argument is {argument}"
    return violation.reason


def derived_token(olds: dict[str, Any], inputs: dict[str, Any]) -> str:
    """The client token derived from the token scope and create-only inputs (the previous one while they
    are unchanged, which may be a later generation); unknown while any of them is."""
    seed = {field.state: schema.normalized(field, inputs.get(field.state)) for field in schema.TOKEN_SEED_FIELDS}
    scope = inputs.get(schema.TOKEN_SCOPE, "")
    if contains_unknown(seed) or is_unknown(scope):
        return UNKNOWN
    previous = olds.get(schema.TOKEN_FIELD.state)
    # The region is left out: a token is its region's own (each region's endpoint keeps its tokens),
    # and whether a region declared now moves the contact is the diff's to tell (the region it is in
    # is in its ARN, which check does not see).
    if token.is_derived(previous) and all(
            schema.normalized(field, olds.get(field.state)) == seed[field.state]
            for field in schema.TOKEN_SEED_FIELDS if field is not schema.REGION_FIELD):
        return previous
    return token.derive(scope, seed)


def _token_replaces(old: Optional[str], new: Optional[str]) -> bool:
    """Only a token the user gives replaces the contact when it changes: a derived one
    follows the create-only inputs, which are diffed themselves."""
    if old is None or new is None or is_unknown(new) or token.is_derived(new):
        return False
    return token.lineage(old) != token.lineage(new)
