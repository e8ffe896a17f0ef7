"""Print the ID of the local Connect service's instance.

    pulumi config set instanceId "$(python -m connect_contact.local_instance)"

The service is the one `connect-contact:endpoint local` sends contacts to: on port 8911 (or
CONNECT_CONTACT_LOCAL_PORT), with its data in `.connect-local/` of the current folder. It is
started in the background if nothing answers there, as the provider would start it.
"""

from __future__ import annotations

import sys

from botocore.exceptions import BotoCoreError, ClientError

from . import local


def main() -> int:
    try:
        print(local.first_instance_id(local.ensure_running()))
    except (RuntimeError, OSError, BotoCoreError, ClientError) as error:  # one line; the service's log says more
        print(f"connect_contact.local_instance: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
