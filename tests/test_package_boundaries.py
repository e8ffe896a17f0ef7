"""The provider's package and the local service's are apart: `import connect_contact` loads the
public surface at once (no lazy names), never the local service's package nor Werkzeug, and works
where there is no `fcntl` (as on Windows); the local service starts as a process of its own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import connect_contact

ROOT = Path(__file__).resolve().parent.parent
BLOCK_FCNTL = """
import sys
class NoFcntl:
    def find_spec(self, name, path=None, target=None):
        if name == "fcntl":
            raise ModuleNotFoundError("No module named 'fcntl'", name="fcntl")
sys.modules.pop("fcntl", None)
sys.meta_path.insert(0, NoFcntl())
"""


def fresh(script: str) -> dict:
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_importing_the_provider_never_imports_the_local_service():
    loaded = fresh("import json, sys, connect_contact, connect_contact.aws, connect_contact.local; "
                   "print(json.dumps(sorted(sys.modules)))")
    assert [name for name in loaded if name.split(".")[0] in ("connect_contact_local", "werkzeug")] == []


def test_the_public_names_are_there_at_import_without_a_lazy_hook():
    assert not hasattr(connect_contact, "__getattr__")
    names = fresh("import json, connect_contact; print(json.dumps(sorted(vars(connect_contact))))")
    assert set(connect_contact.__all__) <= set(names)


def test_the_package_imports_where_there_is_no_fcntl():
    found = fresh(BLOCK_FCNTL + "import json, connect_contact, connect_contact.local, connect_contact.aws\n"
                  "print(json.dumps({'fcntl': 'fcntl' in sys.modules, 'Contact': hasattr(connect_contact, 'Contact')}))")
    assert found == {"fcntl": False, "Contact": True}


def test_the_local_service_imports_nothing_of_the_provider_package():
    loaded = fresh("import json, sys, connect_contact_local.__main__, connect_contact_local.service; "
                   "print(json.dumps(sorted(sys.modules)))")
    assert [name for name in loaded if name.split(".")[0] in ("connect_contact", "pulumi")] == []


def test_both_halves_of_the_local_service_contract_agree():
    """The provider finds, proves and signs for its project's service by these; the service writes
    and checks them. Two programs state one protocol, each its own half."""
    from connect_contact import launcher, local, service_files
    from connect_contact_local import __main__ as service_main, admin, files, service

    database = Path("project") / "connect.db"
    assert service_files.ADMIN_TOKEN_HEADER == files.ADMIN_TOKEN_HEADER
    assert service_files.admin_token_path(database) == files.admin_token_path(database)
    assert service_files.PRIVATE_FILE_MODE == files.PRIVATE_FILE_MODE
    assert local.INFO_PATH == admin.INFO
    assert (launcher.DEFAULT_PORT, local.DATABASE) == (service_main.DEFAULT_PORT, service_main.DEFAULT_DB)
    assert {launcher.PLACEHOLDER_CREDENTIALS["aws_access_key_id"]:
            launcher.PLACEHOLDER_CREDENTIALS["aws_secret_access_key"]} == service.ISSUED_CREDENTIALS
    assert launcher.SERVICE_MODULE == service_main.__spec__.parent


def test_endpoint_local_without_the_local_extra_says_how_to_install_it_in_one_line(tmp_path):
    found = fresh("import json, sys; sys.modules['werkzeug'] = None\n"
                  "from connect_contact import aws\n"
                  "try:\n"
                  f"    aws.connect(aws.ClientSettings(endpoint='local'), project_dir=__import__('pathlib').Path({str(tmp_path)!r}))\n"
                  "except aws.ConnectContactError as error:\n"
                  "    print(json.dumps(str(error)))\n")
    assert found == ("the local Connect service needs werkzeug, which is not installed: "
                     "`pip install 'connect-contact[local]'`")
    assert list(tmp_path.iterdir()) == []


def test_the_provider_makes_its_clients_without_boto3():
    """boto3 is the [local] extra's (the test clients of `connect_contact_local.testing`): the
    provider's clients, for AWS and for a configured endpoint, are botocore's own."""
    loaded = fresh("import json, os, sys\n"
                   "os.environ.update(AWS_ACCESS_KEY_ID='AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY='secret',\n"
                   "                  AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)\n"
                   "from connect_contact import aws\n"
                   "for settings in (aws.ClientSettings(region='eu-west-2'),\n"
                   "                 aws.ClientSettings(endpoint='http://127.0.0.1:9', endpoint_source='test')):\n"
                   "    aws.connect(settings).clients.first\n"
                   "print(json.dumps(sorted(sys.modules)))")
    assert "botocore.client" in loaded
    assert [name for name in loaded if name.split(".")[0] in ("boto3", "s3transfer")] == []
