"""The botocore `connect` clients built from stack config, and AWS errors as one clear line."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping, Optional
from urllib.parse import urlparse

import botocore.exceptions

from . import aws_settings, endpoints, local, model, reachability, region_names, schema

if TYPE_CHECKING:
    import botocore.session

CONFIG_REGION = "aws:region"
CONFIG_PROFILE = "aws:profile"
CONFIG_ACCESS_KEY = "aws:accessKey"
CONFIG_SECRET_KEY = "aws:secretKey"
CONFIG_TOKEN = "aws:token"
CONFIG_ENDPOINT = "connect-contact:endpoint"
CONFIG_DEFAULT_TAGS = aws_settings.DEFAULT_TAGS
CONFIG_ENDPOINTS = aws_settings.ENDPOINTS
DEFAULT_ENDPOINT_REGION = "us-east-1"
"""The region in a configured endpoint's requests when none is configured (the local service's)."""
IAM_ACTIONS = tuple(f"connect:{operation}" for operation in schema.OPERATIONS)
"""What a user's IAM policy must allow: every operation the field table's reads and writes name."""
# botocore's retries, with the same ClientToken on every attempt, through one client per operation
# (`OperationClients`), so adaptive mode learns a rate per API as Connect's quotas are. Measured at
# the rate limit with every contact API throttled (BENCHMARKS.md): adaptive at a median of 0.99 x
# N / R, "standard" at 0.98-1.03, but adaptive drew 10x fewer throttled responses: it slows down
# when throttled, leaving the account's quotas, shared with the contact centre's traffic, to that
# traffic; through the CLI, an `up` of 200 in standard mode failed (ThrottlingException). 20 attempts
# absorb throttling even at 2 requests per second; against an endpoint where no connection opens
# they are minutes, so `reachability` is asked first.
RETRIES = {"mode": "adaptive", "max_attempts": 20}
RECORDED_SETTINGS = " (refresh and destroy use the settings the last `pulumi up` recorded)"
NO_CREDENTIALS = (
    "no AWS credentials: configure them (aws:profile, aws:accessKey and aws:secretKey, the AWS_* environment "
    f"variables or ~/.aws), or use the local Connect service: `pulumi config set {CONFIG_ENDPOINT} local`")


class ConnectContactError(Exception):
    """An expected failure, reported to the user as one line."""


class EndpointUnreachable(ConnectContactError):
    """No connection to Connect's endpoint could be opened: nothing was sent."""


@dataclass(frozen=True)
class ClientSettings:
    region: Optional[str] = None
    profile: Optional[str] = None
    endpoint: Optional[str] = None
    access_key: Optional[str] = field(default=None, repr=False)
    secret_key: Optional[str] = field(default=None, repr=False)
    token: Optional[str] = field(default=None, repr=False)
    default_tags: Mapping[str, str] = field(default_factory=dict)
    """aws:defaultTags: merged under each contact's own tags."""
    endpoint_source: Optional[str] = None
    """The config key `endpoint` came from."""

    @classmethod
    def from_config(cls, get) -> "ClientSettings":
        """Settings from stack config, `get` being `pulumi.dynamic.Config.get` or `dict.get`.
        `connect-contact:endpoint` wins over the `connect` entry of pulumi-aws's `aws:endpoints`;
        both win over boto3's own endpoint variables. Raises ConnectContactError for a malformed
        aws:defaultTags or aws:endpoints."""
        try:
            default_tags = aws_settings.default_tags(get(CONFIG_DEFAULT_TAGS))
            aws_endpoint = aws_settings.connect_endpoint(get(CONFIG_ENDPOINTS))
        except aws_settings.SettingError as error:
            raise ConnectContactError(str(error)) from None
        endpoint, source = get(CONFIG_ENDPOINT) or None, CONFIG_ENDPOINT
        if endpoint is None and aws_endpoint is not None:
            endpoint, source = aws_endpoint, CONFIG_ENDPOINTS
        region = get(CONFIG_REGION) or None
        if region is not None:
            _require_region_name(region, f"{CONFIG_REGION}: {{problem}} (`pulumi config set {CONFIG_REGION} <region>`)")
        return cls(region=region, profile=get(CONFIG_PROFILE) or None,
                   endpoint=endpoint, access_key=get(CONFIG_ACCESS_KEY) or None,
                   secret_key=get(CONFIG_SECRET_KEY) or None, token=get(CONFIG_TOKEN) or None,
                   default_tags=default_tags, endpoint_source=source if endpoint else None)


ENVIRONMENT_REGION = ("the AWS region (from AWS_DEFAULT_REGION or the AWS profile): "
                      "{problem}")


def _require_region_name(region: str, message: str) -> None:
    """ConnectContactError, `message` naming the problem, unless `region` is a region's name."""
    problem = region_names.region_problem(region)
    if problem is not None:
        raise ConnectContactError(message.format(problem=problem))


def unhonoured_settings(get) -> tuple[list[str], list[str]]:
    """(refusals, warnings): one line each for the pulumi-aws settings in the stack config that
    this provider cannot honour, and for an aws:endpoints connect entry that connect-contact:endpoint
    overrides."""
    warnings = aws_settings.warnings(get)
    own, theirs = get(CONFIG_ENDPOINT) or None, None
    try:
        theirs = aws_settings.connect_endpoint(get(CONFIG_ENDPOINTS))
    except aws_settings.SettingError:
        pass  # reported by from_config
    if own and theirs and own != theirs:
        warnings.append(f"{CONFIG_ENDPOINTS} connect ({theirs}) is not used: {CONFIG_ENDPOINT} ({own}) wins; "
                        "remove one of them")
    return aws_settings.refusals(get), warnings


class OperationClients:
    """One `connect` client per Connect operation, all alike (`make`), each made on first use (the
    first, made at once, serves the first operation asked). botocore's adaptive retry mode learns a
    send rate per client, and Connect's rate quotas are per API (the semantics file): with one
    client for every operation, a throttled CreateContact also slowed the reads and writes around
    every create (BENCHMARKS.md, "The rate limit by phase"). botocore's retry quota is per client
    too, so an operation's throttled retries are paid back only by that operation's successes."""

    def __init__(self, make: Callable[[], Any], before_first_call: Optional[Callable[[Any], None]] = None) -> None:
        self.first = make()
        self._make = make
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._before_first_call = before_first_call
        self._refusal: Optional[ConnectContactError] = None

    def __call__(self, operation: str) -> Any:
        """The operation's client. The first time any is asked for, `before_first_call` runs on the
        first client; the ConnectContactError it raises is raised again to every later caller."""
        client = self._clients.get(operation)
        if client is None:
            with self._lock:
                if self._before_first_call is not None:
                    try:
                        self._before_first_call(self.first)
                    except ConnectContactError as refusal:
                        self._refusal = refusal
                    self._before_first_call = None
                if self._refusal is not None:
                    raise type(self._refusal)(str(self._refusal))
                client = self._clients.get(operation)
                if client is None:
                    client = self._clients[operation] = self.first if not self._clients else self._make()
        return client


@dataclass(frozen=True)
class Connection:
    """The `connect` clients and where they send contacts, in words for the user."""

    clients: OperationClients
    destination: str
    local_service: Optional[local.LocalService] = None

    @property
    def client(self) -> Any:
        """The first client (its endpoint and region are every client's)."""
        return self.clients.first

    def still_valid(self) -> bool:
        """False once the local service it talks to has exited (its idle timeout, say)."""
        return self.local_service is None or self.local_service.still_running()


def connect(settings: ClientSettings, environ: Mapping[str, str] = os.environ,
            project_dir: Optional[Path] = None) -> Connection:
    """Where contacts go, by configuration alone (`endpoints.resolve`): the project's local service
    for `endpoint: local`, signed with the credentials it issues; a configured endpoint, or else
    AWS, through boto3's credential chain, which must find credentials."""
    try:
        endpoint = endpoints.resolve(settings.endpoint, settings.endpoint_source, environ)
    except endpoints.EndpointError as error:
        raise ConnectContactError(str(error)) from None
    if endpoint.is_local:
        try:
            service = local.ensure_running(project_dir)
        except local.LocalServiceError as error:
            raise ConnectContactError(str(error)) from None
        # The configured region is honoured as it is for AWS: the local service is regional, and its
        # own instance is in its own region (the user's AWS environment still has no say here).
        region = settings.region or service.region
        instance = f", instance {service.instance_id}" if region == service.region and service.instance_id else ""
        return Connection(OperationClients(local.client_maker(service, _client_config(), region)),
                          f"Connect: local service {service.url} ({region}{instance})", service)
    try:
        session = _session(settings)
        instance_metadata = _without_instance_metadata(session)
        credentials = session.get_credentials()
        config = _client_config()
        if not endpoint.is_aws:
            if credentials is None:
                raise ConnectContactError(NO_CREDENTIALS)
            region = session.get_config_variable("region") or DEFAULT_ENDPOINT_REGION
            _require_region_name(region, ENVIRONMENT_REGION)
            clients = OperationClients(lambda: session.create_client("connect", region_name=region,
                                                                     endpoint_url=endpoint.url, config=config),
                                       _reachable(lambda _: f"{endpoint.source} and that the service there is running"
                                                  f"{RECORDED_SETTINGS}"))
            source = f", from {CONFIG_ENDPOINTS}" if endpoint.source == CONFIG_ENDPOINTS else ""
            return Connection(clients, f"Connect: endpoint {clients.first.meta.endpoint_url} ({region}{source})")
        if credentials is None and instance_metadata is not None and _profile_endpoint(session, environ) is None:
            credentials = _with_instance_metadata(session, instance_metadata)
        if credentials is None:
            raise ConnectContactError(NO_CREDENTIALS)
        region = session.get_config_variable("region")
        if region is None:
            raise ConnectContactError(f"no AWS region: set it with `pulumi config set {CONFIG_REGION} <region>`")
        _require_region_name(region, ENVIRONMENT_REGION)
        in_aws = f"{CONFIG_REGION} ({region}) and this machine's network{RECORDED_SETTINGS}"
        in_profile = "the endpoint_url of Connect in the AWS profile"
        clients = OperationClients(lambda: session.create_client("connect", region_name=region, config=config),
                                   _reachable(lambda url: in_aws if _is_aws(url) else in_profile))
        endpoint_url = clients.first.meta.endpoint_url
        if not _is_aws(endpoint_url):  # an endpoint_url in the AWS profile, which boto3 honours
            return Connection(clients, f"Connect: endpoint {endpoint_url} ({region})")
        return Connection(clients, f"Connect: AWS {region} ({_identity(settings, session, credentials)})")
    except botocore.exceptions.BotoCoreError as error:
        raise ConnectContactError(f"cannot make the Amazon Connect client: {_one_line(str(error))}") from None


def _reachable(what_to_check: Callable[[str], str]) -> Callable[[Any], None]:
    """A check, run before the first call, that Connect's endpoint can be reached; else one line
    naming the endpoint, why not, and what to check (`what_to_check` of the endpoint's URL),
    instead of botocore's minutes of retries."""
    def check(client: Any) -> None:
        from botocore.utils import get_environ_proxies

        url = client.meta.endpoint_url
        reason = reachability.unreachable_reason(url, client.meta.config.proxies or get_environ_proxies(url))
        if reason is not None:
            raise EndpointUnreachable(f"cannot reach Connect at {url}: {reason}; nothing was sent. "
                                      f"Check {what_to_check(url)}")
    return check


def make_client(settings: ClientSettings, environ: Mapping[str, str] = os.environ):
    """One `connect` client alone, as `connect` makes them."""
    return connect(settings, environ).client


INSTANCE_METADATA = "iam-role"
"""botocore's name for the credential provider that asks EC2's instance metadata service (IMDS)."""


def _client_config() -> Any:
    """The provider's retries and user agent, whichever Connect it talks to."""
    from botocore.config import Config  # here: a program that only declares contacts never needs it

    return Config(retries=dict(RETRIES), user_agent_extra="connect-contact")


def _without_instance_metadata(session: botocore.session.Session) -> Any:
    """Take IMDS out of the session's credential chain, and return its provider: it is asked only
    for contacts bound for AWS, never for the local service or a configured endpoint."""
    resolver = session.get_component("credential_provider")
    found = [provider for provider in resolver.providers if provider.METHOD == INSTANCE_METADATA]
    resolver.remove(INSTANCE_METADATA)
    return found[0] if found else None


def _with_instance_metadata(session: botocore.session.Session, provider: Any) -> Any:
    """The session's credentials with IMDS back at the end of its chain, where botocore puts it."""
    session.get_component("credential_provider").providers.append(provider)
    return session.get_credentials()


def _profile_endpoint(session: botocore.session.Session, environ: Mapping[str, str]) -> Optional[str]:
    """The endpoint the AWS config files give a Connect client (botocore's own lookup), if any."""
    from botocore.configprovider import ConfiguredEndpointProvider

    if session.get_config_variable("ignore_configured_endpoint_urls"):
        return None
    return ConfiguredEndpointProvider(
        full_config=session.full_config, scoped_config=session.get_scoped_config(), client_name="connect",
        environ=dict(environ)).provide()


def _is_aws(endpoint_url: str) -> bool:
    host = urlparse(endpoint_url).hostname or ""
    return host.endswith((".amazonaws.com", ".amazonaws.com.cn", ".api.aws"))


def _identity(settings: ClientSettings, session: botocore.session.Session, credentials) -> str:
    if settings.access_key:
        return f"credentials from {CONFIG_ACCESS_KEY}"
    profile = settings.profile or (session.profile if session.profile != "default" else None)
    return f"profile {profile}" if profile else f"credentials from {credentials.method}"


def _session(settings: ClientSettings) -> botocore.session.Session:
    """A botocore session on the settings, with boto3's credential chain and config files (boto3's
    sessions are botocore's; boto3's own import, a third of botocore's, buys a Connect client
    nothing). Imported here, not by a program that only declares contacts."""
    import botocore.session

    if bool(settings.access_key) != bool(settings.secret_key):
        raise ConnectContactError(f"set both {CONFIG_ACCESS_KEY} and {CONFIG_SECRET_KEY} (as secrets: "
                                  "`pulumi config set --secret ...`), or neither")
    if settings.token and not settings.access_key:
        raise ConnectContactError(f"{CONFIG_TOKEN} is the session token of {CONFIG_ACCESS_KEY} and {CONFIG_SECRET_KEY}: "
                                  "set them too, or remove it")
    try:
        session = botocore.session.Session(profile=settings.profile)
        if settings.access_key:
            session.set_credentials(settings.access_key, settings.secret_key, settings.token)
        if settings.region is not None:
            session.set_config_variable("region", settings.region)
        _share_data_loader(session)
        return session
    except botocore.exceptions.ProfileNotFound as error:
        raise ConnectContactError(f"the AWS profile {error.kwargs.get('profile')!r} is not in the AWS config "
                                  f"files; fix {CONFIG_PROFILE} or AWS_PROFILE, or remove it") from None


def _share_data_loader(session: botocore.session.Session) -> None:
    """The session reads botocore's data files through the loader `model` already parsed Connect's
    model with (so it is parsed once per process), unless a data path (AWS_DATA_PATH or the
    profile's data_path) gives the session other files to read."""
    if session.get_config_variable("data_path") is None:
        session.register_component("data_loader", model.data_loader())


def error_code(error: Exception) -> Optional[str]:
    if isinstance(error, botocore.exceptions.ClientError):
        return error.response.get("Error", {}).get("Code")
    return None


def explain(error: Exception, operation: str, *, instance_id: Any = None, contact_id: Any = None,
            region: Optional[str] = None) -> ConnectContactError:
    """One line: the operation, the contact or instance, AWS's code and message, and the fix where
    known (a fix that concerns the region names the `region` the request was signed for)."""
    target = f"contact {contact_id} in instance {instance_id}" if contact_id else f"instance {instance_id}"
    if isinstance(error, botocore.exceptions.ClientError):
        code = error_code(error) or "Error"
        message = error.response.get("Error", {}).get("Message") or str(error)
        fix = _FIXES.get(code, "")
        if code == "ResourceNotFoundException" and region:
            fix += f": the request went to {region}"
        return ConnectContactError(f"{operation} on {target} failed: {code}: {_one_line(message)}{fix and '. ' + fix}")
    if isinstance(error, botocore.exceptions.NoCredentialsError):
        return ConnectContactError(f"{operation} on {target} failed: {NO_CREDENTIALS}")
    if isinstance(error, botocore.exceptions.BotoCoreError):
        return ConnectContactError(f"{operation} on {target} failed: {_one_line(str(error))}")
    return ConnectContactError(f"{operation} on {target} failed: {_one_line(repr(error))}")


def _one_line(text: str) -> str:
    return " ".join(text.split())


_FIXES = {
    "AccessDeniedException": "Allow these IAM actions on the instance's contacts: " + ", ".join(IAM_ACTIONS),
    "ResourceNotFoundException": f"Check instanceId (the instance's ID, not its ARN) and the region ({CONFIG_REGION}, "
                                 "or the contact's region)",
    "IdempotencyException": "The clientToken was already used for a CreateContact with other values, by another "
                            "resource or program; give this contact its own client_token, or leave it unset",
    "ThrottlingException": "Connect kept throttling after every retry; apply with fewer resources at once (--parallel)",
    "ServiceQuotaExceededException": "Raise the Amazon Connect service quota, or create fewer contacts",
    "InvalidRequestException": "Correct the contact's inputs",
    "InvalidParameterException": "Correct the contact's inputs",
}
