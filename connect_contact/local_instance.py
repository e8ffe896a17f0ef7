"""Print the ID of the project's local Connect service's instance.

    pulumi config set instanceId "$(python -m connect_contact.local_instance)"
    pulumi config set instanceId "$(python -m connect_contact.local_instance --region eu-west-2)"

Run it in the project's folder: the service is the one `connect-contact:endpoint local` sends
that project's contacts to (its data in `.connect-local/` there), started in the background if it
is not running, as the provider would start it. The service is regional, as Connect is: without
`--region` this is its own instance, in its own region (us-east-1); with it, the instance that
region's requests see (made on the first ask), for a stack whose `aws:region` is that region.
"""

from __future__ import annotations

import argparse
import sys
from typing import Optional, Sequence

from . import local


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m connect_contact.local_instance",
                                     description="Print the ID of the project's local Connect service's instance.")
    parser.add_argument("--region", help="the region of the stack (aws:region) that will use the instance; "
                                         "default: the service's own region")
    arguments = parser.parse_args(argv)
    try:
        service = local.ensure_running()
        print(local.instance_in(service, arguments.region or service.region))
    except (local.LocalServiceError, OSError) as error:  # one line; the service's log says more
        print(f"connect_contact.local_instance: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
