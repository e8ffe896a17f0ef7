"""The guarantee the product exists for, with the real Pulumi CLI: however `pulumi up` is cut
short (SIGKILL, Ctrl-C, answers lost after Connect committed the create), running it again
leaves exactly one contact per declared resource, and state holds each of them.

The local service answers the first HELD_AFTER CreateContact calls and holds every later one,
unanswered, so the interruption lands mid-way at a known count, however fast the machine is; the
held creates are let go once the CLI is signalled (a SIGKILLed CLI never hears of them: answers
lost after the commit, which the next `up` must recover).
"""

from __future__ import annotations

import signal

import pytest
from tests.support.cli_project import contacts_by_name, converge, is_live, names, signal_group, wait_for
from tests.support.lifecycle import contact_calls

N = 50
HELD_AFTER = 10
pytestmark = pytest.mark.timeout(1500)


def declare_fleet(project, count: int = N) -> list[str]:
    declared = list(names("contact-", count))
    project.declare({name: {"channel": "TASK", "initiation_method": "API", "name": name} for name in declared})
    return declared


def assert_exactly_one_each(project, declared: list[str]) -> None:
    service = project.service
    grouped = contacts_by_name(service.client(), service.instance_id)
    duplicated = {name: len(found) for name, found in grouped.items() if len(found) > 1}
    assert duplicated == {}, f"duplicated contacts: {duplicated}"
    assert sorted(grouped) == sorted(declared)
    assert all(is_live(found[0]) for found in grouped.values())
    states = project.contact_states()
    assert sorted(states) == sorted(declared)
    assert {name: state["contactId"] for name, state in states.items()} == \
           {name: found[0]["Id"] for name, found in grouped.items()}
    assert project.pending_operations() == []


def created(service) -> int:
    return contact_calls(service.stats()).get("CreateContact", 0)


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGINT], ids=["sigkill", "sigint"])
def test_up_interrupted_mid_way_then_up_again_gives_exactly_one_contact_each(cli_project, tmp_path, signum):
    service = cli_project.service
    cli_project.init()
    declared = declare_fleet(cli_project)
    service.set_faults(hold_after_n=HELD_AFTER, operations=["CreateContact"])
    service.reset_stats()

    running = cli_project.start("up", "--yes", log=tmp_path / "interrupted-up.log")
    wait_for(lambda: created(service) > HELD_AFTER, timeout=300, what="a CreateContact held after the first answers")
    signal_group(running, signum)
    service.clear_faults()  # the held creates go on: a Ctrl-C'd CLI waits for the steps in flight
    running.wait(timeout=120)
    in_state = len(cli_project.contact_states())
    assert in_state < N, "the interruption came after the last create:\n" + (tmp_path / "interrupted-up.log").read_text()

    results = converge(cli_project)
    assert_exactly_one_each(cli_project, declared)
    # what the engine asked for on the way, for the record of this run
    print(f"{signum.name}: {in_state} of {N} contacts in state after the interruption; "
          f"commands to converge: {[' '.join(result.args[6:]) for result in results]}")


def test_up_with_lost_answers_and_server_errors_converges_to_exactly_one_contact_each(cli_project):
    service = cli_project.service
    cli_project.init()
    declared = declare_fleet(cli_project)
    service.set_faults(drop_after_commit_rate=0.3, fail_rate=0.1, seed=7, operations=["CreateContact"])

    converge(cli_project, attempts=10)
    stats = service.stats()
    assert stats["total"]["dropped"] > 0 and stats["total"]["failed"] > 0
    service.clear_faults()
    assert_exactly_one_each(cli_project, declared)
