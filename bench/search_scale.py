"""SearchContacts of the local Connect service at database sizes: does a page cost the same
at any size, and does a full listing grow linearly?

    .venv/bin/python -m bench.search_scale                # 10,000 and 50,000 contacts
    .venv/bin/python -m bench.search_scale --sizes 2000,10000

For each size a fresh database is filled in-process (one transaction, no HTTP), the
service is started on it as tests start it, and one boto3 client (retries off, over
HTTP) lists every contact of a time range, 100 per page (the model's maximum), newest
first (the default sort). Prints the first page (median of 5), the mean page of the
full listing, the slowest page, and the full listing; the last column divides the
full listing's time by the number of contacts, which stays flat when it is linear.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from connect_contact_local.contacts import new_contact
from connect_contact_local.service import open_service
from connect_contact_local.files import new_admin_token
from connect_contact_local.testing import LocalConnect

TIME_RANGE = {"Type": "INITIATION_TIMESTAMP", "StartTime": 0.0, "EndTime": 4_102_444_800.0}
PAGE_SIZE = 100


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,50000", help="contact counts, comma-separated (default: %(default)s)")
    return parser.parse_args()


def fill(db_path: Path, count: int) -> None:
    """`count` TASK contacts, one a millisecond apart, ending now."""
    service = open_service(db_path, new_admin_token(db_path))
    try:
        instance = service.instance
        now = time.time()
        with service.store.writing() as tx:
            for index in range(count):
                params = {"InstanceId": instance["Id"], "Channel": "TASK", "InitiationMethod": "API",
                          "Name": f"contact {index}", "Attributes": {"index": str(index)}}
                tx.insert_contact(instance["Id"], new_contact(params, instance["Arn"], now - (count - index) / 1000))
    finally:
        service.close()


def list_all(client, instance_id: str) -> tuple[int, list[float]]:
    """(contacts found, seconds per page)."""
    params = {"InstanceId": instance_id, "TimeRange": TIME_RANGE, "MaxResults": PAGE_SIZE}
    found, pages = 0, []
    while True:
        started = time.perf_counter()
        page = client.search_contacts(**params)
        pages.append(time.perf_counter() - started)
        found += len(page["Contacts"])
        if not page.get("NextToken"):
            return found, pages
        params["NextToken"] = page["NextToken"]


def measure(count: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="search-scale-") as directory:
        db_path = Path(directory) / "connect.db"
        fill(db_path, count)
        with LocalConnect(db_path) as service:
            client = service.client(total_max_attempts=1)
            first = []
            for _ in range(5):
                started = time.perf_counter()
                client.search_contacts(InstanceId=service.instance_id, TimeRange=TIME_RANGE, MaxResults=PAGE_SIZE)
                first.append(time.perf_counter() - started)
            started = time.perf_counter()
            found, pages = list_all(client, service.instance_id)
            total = time.perf_counter() - started
    assert found == count, (found, count)
    return {"count": count, "first_ms": 1000 * statistics.median(first), "mean_page_ms": 1000 * statistics.mean(pages),
            "slowest_page_ms": 1000 * max(pages), "pages": len(pages), "total_s": total,
            "us_per_contact": 1e6 * total / count}


def main() -> None:
    args = parse_args()
    print(f"SearchContacts, {PAGE_SIZE} per page, newest first, one client over HTTP")
    print(f"{'contacts':>9} {'first page ms':>14} {'mean page ms':>13} {'slowest page ms':>16} {'pages':>6}"
          f" {'full listing s':>15} {'us per contact':>15}")
    for size in (int(text) for text in args.sizes.split(",")):
        result = measure(size)
        print(f"{result['count']:>9} {result['first_ms']:>14.2f} {result['mean_page_ms']:>13.2f}"
              f" {result['slowest_page_ms']:>16.2f} {result['pages']:>6} {result['total_s']:>15.2f}"
              f" {result['us_per_contact']:>15.1f}")


if __name__ == "__main__":
    main()
