"""What a program and the provider host load at start-up: a program that declares contacts
imports neither boto3 nor botocore and opens none of botocore's data files (the facts it needs of
the model are generated into the package), and a provider process parses Connect's service model
once, however many clients it makes. Counted, never timed (bench/startup.py times them)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.support.host import REPO_ROOT

DECLARING = """
import json, sys

opened = []
def audit(event, args):
    if event == "open" and isinstance(args[0], str) and "botocore" in args[0]:
        opened.append(args[0])
sys.addaudithook(audit)

import pulumi
from tests.support.program import run_program
from connect_contact import Contact, ContactReferenceArgs

def program():
    Contact("task", instance_id="i-1", channel="TASK", initiation_method="API", name="Follow up",
            references={"runbook": ContactReferenceArgs(type="URL", value="https://example.com")},
            segment_attributes={"connect:Subtype": {"value_string": "connect:Guide"}},
            user_info={"user_id": "agent-1"},
            opts=pulumi.ResourceOptions(ignore_changes=["user_info.user_id", "references[runbook]"]))

registrations = run_program(program)
inputs = registrations[-1].inputs
print(json.dumps({"loaded": sorted(name for name in sys.modules if name.split(".")[0] in ("boto3", "botocore", "regex")),
                  "opened": opened, "userInfo": inputs["userInfo"], "segmentAttributes": inputs["segmentAttributes"]}))
"""


PARSES = """
import json, sys

parsed = []
def opened(event, args):
    if event == "open" and isinstance(args[0], str) and "/data/" in args[0] and args[0].endswith((".json", ".json.gz")):
        parsed.append(args[0].rsplit("/data/", 1)[-1])
sys.addaudithook(opened)

from connect_contact import aws, model

model.service_model()
for region in ("us-east-1", "eu-west-2"):
    aws.connect(aws.ClientSettings(endpoint="http://127.0.0.1:9", region=region), environ={})
print(json.dumps(parsed))
"""


def run_python(code: str) -> str:
    env = {"PATH": "/usr/bin:/bin", "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
           "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"}
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_a_program_declaring_contacts_loads_neither_botocore_nor_its_model():
    assert json.loads(run_python(DECLARING)) == {
        "loaded": [], "opened": [], "userInfo": {"userId": "agent-1"},
        "segmentAttributes": {"connect:Subtype": {"valueString": "connect:Guide"}}}


def test_the_provider_parses_connects_model_once_for_the_model_and_every_client():
    parsed = json.loads(run_python(PARSES))
    assert [path for path in parsed if path.startswith("connect/2017-08-08/service-2")] == [
        "connect/2017-08-08/service-2.json.gz"], parsed
