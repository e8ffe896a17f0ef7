"""The serialised provider: a reference to an importable class, tiny, identical run after
run, holding no client, credentials or configuration."""

import base64
import pickle
import pickletools
import subprocess
import sys
from pathlib import Path

import dill
from pulumi.dynamic import Config, ConfigureRequest
from pulumi.dynamic.dynamic import serialize_provider

from connect_contact import ContactProvider

ROOT = Path(__file__).resolve().parent.parent
SERIALIZE = ("from pulumi.dynamic.dynamic import serialize_provider;"
             "from connect_contact import ContactProvider;"
             "print(serialize_provider(ContactProvider()))")


def serialized_in_a_new_process() -> str:
    return subprocess.run([sys.executable, "-c", SERIALIZE], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.strip()


def test_provider_pickles_by_reference_in_tens_of_bytes():
    raw = base64.b64decode(serialize_provider(ContactProvider()))
    assert len(raw) < 100
    opcodes = {opcode.name for opcode, _, _ in pickletools.genops(raw)}
    assert "STACK_GLOBAL" in opcodes or "GLOBAL" in opcodes
    assert b"connect_contact.provider" in raw and b"ContactProvider" in raw


def test_serialised_provider_is_identical_across_runs():
    assert serialized_in_a_new_process() == serialized_in_a_new_process() == serialize_provider(ContactProvider())


def test_configured_provider_carries_no_config_or_credentials(monkeypatch):
    secret = "AKIAEXAMPLESECRET0000"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", secret)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret + "KEY")
    provider = ContactProvider()
    provider.configure(ConfigureRequest(Config({"aws:region": "eu-west-2",
                                                "connect-contact:endpoint": "http://127.0.0.1:1"}, "p")))
    provider.connect()
    raw = base64.b64decode(serialize_provider(provider))
    assert secret.encode() not in raw and b"eu-west-2" not in raw and b"127.0.0.1" not in raw
    assert serialize_provider(provider) == serialize_provider(ContactProvider())


def test_unpickled_provider_is_fresh():
    restored = dill.loads(pickle.dumps(ContactProvider()))
    assert isinstance(restored, ContactProvider)
    assert restored._connection is None


def test_provider_is_not_forced_secret():
    assert ContactProvider.serialize_as_secret_always is False
