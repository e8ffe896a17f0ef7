"""The fast mode for big stacks, with the real Pulumi CLI: with PULUMI_SKIP_CHECKPOINTS=true the
engine writes the stack's state once, when the command ends, instead of after every step. A
command killed mid-way therefore leaves the state as it was before it; these tests show that for
contacts this loses nothing: the next `up` finds every contact the killed one made (the client
tokens are stable), and the next `destroy` ends what the killed one did not.

The interruption lands at a known count, however fast the machine is: the local service answers
the first HELD_AFTER calls of one operation and holds the later ones until the CLI is SIGKILLed.
"""

from __future__ import annotations

import signal

import pytest
from tests.support.cli_project import (CommandFailed, contacts_by_name, converge, is_live, names, signal_group,
                                       wait_for)
from tests.support.lifecycle import contact_calls

from connect_contact.connect_api import RELEASED_TAG

N = 200
HELD_AFTER = 80
FAST = {"PULUMI_SKIP_CHECKPOINTS": "true"}
pytestmark = pytest.mark.timeout(1800)


@pytest.fixture
def fast_project(cli_project):
    cli_project.env.update(FAST)
    cli_project.init()
    return cli_project


def declare_fleet(project) -> list[str]:
    declared = list(names("contact-", N))
    project.declare({name: {"channel": "TASK", "initiation_method": "API", "name": name} for name in declared})
    return declared


def calls(service, operation: str) -> int:
    return contact_calls(service.stats()).get(operation, 0)


def kill_when_held(project, command: tuple[str, ...], operation: str, log) -> None:
    """Run `pulumi <command>` until a call of `operation` is held after the first HELD_AFTER, then
    SIGKILL the CLI (and the program it serves) and let the held calls go on, unanswered to it."""
    service = project.service
    service.reset_stats()
    service.set_faults(hold_after_n=HELD_AFTER, operations=[operation])
    running = project.start(*command, log=log)
    wait_for(lambda: calls(service, operation) > HELD_AFTER, timeout=600, what=f"a {operation} held")
    signal_group(running, signal.SIGKILL)
    service.clear_faults()
    running.wait(timeout=120)


def run_to_the_end(project, *command: str, attempts: int = 3):
    """`pulumi <command>`, after `pulumi cancel` when the killed command's lock is still there."""
    for _ in range(attempts):
        result = project.run(*command, check=False)
        if "currently locked" in result.stdout + result.stderr:
            project.run("cancel", "--yes")
            continue
        if result.returncode != 0:
            raise CommandFailed(f"`pulumi {' '.join(command)}` failed:\n{result.stdout}\n{result.stderr}")
        return result
    raise CommandFailed(f"`pulumi {' '.join(command)}` stayed locked")


def assert_exactly_one_live_each(project, declared: list[str], ended_each: int = 0) -> None:
    service = project.service
    grouped = contacts_by_name(service.client(), service.instance_id)
    assert sorted(grouped) == sorted(declared)
    live = {name: [contact for contact in found if is_live(contact)] for name, found in grouped.items()}
    assert {name: len(found) for name, found in live.items() if len(found) != 1} == {}, "not one live contact each"
    assert {name: len(found) - 1 for name, found in grouped.items() if len(found) - 1 != ended_each} == {}
    states = project.contact_states()
    assert sorted(states) == sorted(declared)
    assert {name: state["contactId"] for name, state in states.items()} == \
           {name: found[0]["Id"] for name, found in live.items()}
    assert project.pending_operations() == []


def test_up_killed_with_checkpoints_skipped_then_up_again_gives_exactly_one_contact_each(fast_project, tmp_path):
    service = fast_project.service
    declared = declare_fleet(fast_project)

    kill_when_held(fast_project, ("up", "--yes"), "CreateContact", tmp_path / "killed-up.log")
    # Nothing was written: the killed `up` left the state as it found it (empty), though it had
    # created more than HELD_AFTER contacts; a saved checkpoint would hold them.
    assert fast_project.contact_states() == {}, (tmp_path / "killed-up.log").read_text()
    made = sum(len(found) for found in contacts_by_name(service.client(), service.instance_id).values())
    assert HELD_AFTER <= made < N

    converge(fast_project)
    assert_exactly_one_live_each(fast_project, declared)


def test_destroy_killed_with_checkpoints_skipped_then_destroy_again_ends_every_contact_once(fast_project, tmp_path):
    service = fast_project.service
    declared = declare_fleet(fast_project)
    fast_project.up()
    created = {name: state["contactId"] for name, state in fast_project.contact_states().items()}
    assert len(created) == N

    kill_when_held(fast_project, ("destroy", "--yes"), "StopContact", tmp_path / "killed-destroy.log")
    # The state still holds every contact, more than HELD_AFTER of them already ended.
    assert len(fast_project.contact_states()) == N, (tmp_path / "killed-destroy.log").read_text()
    ended = sum(not is_live(found[0]) for found in contacts_by_name(service.client(), service.instance_id).values())
    assert HELD_AFTER <= ended < N

    run_to_the_end(fast_project, "destroy", "--yes")
    assert fast_project.contact_states() == {}
    grouped = contacts_by_name(service.client(), service.instance_id)
    assert {name: [contact["Id"] for contact in found] for name, found in grouped.items()} == \
           {name: [contact_id] for name, contact_id in created.items()}, "a destroy created or lost a contact"
    assert all(not is_live(found[0]) and RELEASED_TAG in found[0].get("Tags", {}) for found in grouped.values())

    # The stack comes back: one new live contact each, past the released ones.
    run_to_the_end(fast_project, "up", "--yes")
    assert_exactly_one_live_each(fast_project, declared, ended_each=1)
