"""Print the ID of the project's local Connect service's instance.

    pulumi config set instanceId "$(python -m connect_contact.local_instance)"

Run it in the project's folder: the service is the one `connect-contact:endpoint local` sends
that project's contacts to (its data in `.connect-local/` there), started in the background if it
is not running, as the provider would start it.
"""

from __future__ import annotations

import sys

from . import local


def main() -> int:
    try:
        print(local.ensure_running().instance_id)
    except (local.LocalServiceError, OSError) as error:  # one line; the service's log says more
        print(f"connect_contact.local_instance: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
