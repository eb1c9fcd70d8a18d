"""Reassignment groups and the CSV bulk update, in the engine."""

from __future__ import annotations

import pytest

from routing_server.engine import contacts, groups, importer
from routing_server.engine.errors import EngineError
from routing_server.engine.tx import Notice
from tests.engine.world import World


@pytest.fixture
def world() -> World:
    w = World(agents=4)
    w.online("a0", "a1", "a2", "a3", "sup")
    return w


def group(world: World, method: str, members: tuple[str, ...] = ("a0", "a1", "a2")) -> str:
    return world.run(groups.save_group, None, "Team B", list(members), "a3", method, 60).id


def history(world: World) -> list[str]:
    return [h.kind for h in world.last.history]


def test_round_robin_offers_one_at_a_time_then_the_default(world: World) -> None:
    """Each member is offered in turn for offer_seconds; after all pass, the default gets it."""
    gid = group(world, "round_robin")
    contact = world.contact("+1", rep="a0")
    world.run(groups.start, world.user("sup"), contact.id, gid)
    assert contact.reassignment is not None
    assert contact.reassignment.offered_to == ("a0",)
    [(notice, to)] = world.events("notification")
    assert isinstance(notice, Notice)
    assert (notice.kind, to) == ("reassignment_offer", frozenset({"a0"}))
    assert notice.expires_at == world.now + 60
    with pytest.raises(EngineError) as locked:
        world.run(contacts.update_contact, world.user("sup"), contact.id, {"account_rep_id": None})
    assert locked.value.code == "reassignment_in_progress"
    world.run(groups.decline, world.user("a0"), contact.id)
    assert contact.reassignment.offered_to == ("a1",)
    world.advance(60)
    assert contact.reassignment.offered_to == ("a2",)
    world.advance(60)
    assert contact.reassignment is None
    assert contact.account_rep_id == "a3"
    assert "reassignment_completed" in history(world)


def test_accepting_makes_the_member_the_rep(world: World) -> None:
    """The offered member accepts: they become the rep, notified, with history from the group."""
    gid = group(world, "round_robin")
    contact = world.contact("+1")
    world.run(groups.start, world.user("sup"), contact.id, gid)
    world.run(groups.accept, world.user("a0"), contact.id)
    assert (contact.account_rep_id, contact.reassignment) == ("a0", None)
    entries = world.last.history
    assert [h.kind for h in entries] == ["reassignment_completed", "account_rep_assigned"]
    assert {h.source for h in entries} == {"reassignment_group"}


def test_only_the_offered_member_can_answer(world: World) -> None:
    """A member without an offer cannot accept."""
    gid = group(world, "round_robin")
    contact = world.contact("+1")
    world.run(groups.start, world.user("sup"), contact.id, gid)
    with pytest.raises(EngineError) as err:
        world.run(groups.accept, world.user("a1"), contact.id)
    assert err.value.code == "invalid_state"


def test_first_to_claim_offers_everyone_and_the_first_wins(world: World) -> None:
    """first_to_claim offers all members at once; the first to accept wins."""
    gid = group(world, "first_to_claim")
    contact = world.contact("+1")
    world.run(groups.start, world.user("sup"), contact.id, gid)
    assert contact.reassignment is not None
    assert set(contact.reassignment.offered_to) == {"a0", "a1", "a2"}
    world.run(groups.accept, world.user("a2"), contact.id)
    assert contact.account_rep_id == "a2"
    with pytest.raises(EngineError):
        world.run(groups.accept, world.user("a1"), contact.id)


def test_first_to_claim_falls_to_the_default_when_the_offer_expires(world: World) -> None:
    """Nobody answers in time: the default assignee gets the contact."""
    gid = group(world, "first_to_claim")
    contact = world.contact("+1")
    world.run(groups.start, world.user("sup"), contact.id, gid)
    world.advance(60)
    assert contact.account_rep_id == "a3"


def test_least_open_offers_the_least_loaded_member(world: World) -> None:
    """least_open offers the member with the fewest open conversations."""
    world.claim("a0", world.inbound("+90"))
    world.claim("a1", world.inbound("+91"))
    gid = group(world, "least_open")
    contact = world.contact("+1")
    world.run(groups.start, world.user("sup"), contact.id, gid)
    assert contact.reassignment is not None
    assert contact.reassignment.offered_to == ("a2",)


def test_unavailable_members_are_skipped(world: World) -> None:
    """Members who are away are skipped (and the skip is in the history)."""
    world.away("a0")
    gid = group(world, "round_robin")
    contact = world.contact("+1")
    world.run(groups.start, world.user("sup"), contact.id, gid)
    assert contact.reassignment is not None
    assert contact.reassignment.offered_to == ("a1",)
    assert "reassignment_skipped" in history(world)


def test_group_rotation_survives_membership_changes(world: World) -> None:
    """The rotation continues after the last member offered, even when members change."""
    gid = group(world, "round_robin")
    first = world.contact("+1")
    world.run(groups.start, world.user("sup"), first.id, gid)
    world.run(groups.accept, world.user("a0"), first.id)
    world.run(groups.save_group, gid, "Team B", ["a0", "a2", "a1"], "a3", "round_robin", 60)
    second = world.contact("+2")
    world.run(groups.start, world.user("sup"), second.id, gid)
    assert second.reassignment is not None
    assert second.reassignment.offered_to == ("a1",)


def test_a_group_choosing_cannot_be_deleted(world: World) -> None:
    """delete_group refuses while the group is choosing a rep."""
    gid = group(world, "round_robin")
    contact = world.contact("+1")
    world.run(groups.start, world.user("sup"), contact.id, gid)
    with pytest.raises(EngineError) as err:
        world.run(groups.delete_group, gid)
    assert err.value.code == "invalid_state"


CSV = """Name,Phone,EMAIL,Account_Rep,Priority_Notifications
Maria Garcia,+15550001,maria@x.test,a0@x.test,X
James Smith,+15550002,,a1,
,+15550003,,,
Bad Rep,+15550004,,nobody@x.test,X
"""


def test_import_plans_every_row_and_applies_nothing_on_errors(world: World) -> None:
    """Errors name the column; with any error nothing is applied."""
    plan = importer.plan_import(world.state, CSV)
    assert [(r.line, r.action) for r in plan.rows] == [
        (2, "create"), (3, "create"), (4, "error"), (5, "error")]  # fmt: skip
    assert plan.rows[2].error == "name: required for a new contact"
    assert plan.rows[3].error is not None
    assert plan.rows[3].error.startswith("account_rep:")
    assert plan.counts == {"create": 2, "update": 0, "unchanged": 0, "error": 2}


def test_import_applies_with_skip_errors_and_records_history(world: World) -> None:
    """skip_errors applies the good rows: reps with bulk_import history, one notice per rep."""
    plan = importer.plan_import(world.state, CSV)
    world.run(importer.apply_import, "sup", plan)
    maria = world.state.find_contact("+15550001")
    assert maria is not None
    assert (maria.account_rep_id, maria.priority_notifications) == ("a0", True)
    assert {h.source for h in world.last.history} == {"bulk_import"}
    kinds = [n.kind for n, _ in world.events("notification") if isinstance(n, Notice)]
    assert kinds == ["account_rep_assigned", "account_rep_assigned"]
    again = importer.plan_import(world.state, CSV)
    assert [r.action for r in again.rows] == ["unchanged", "unchanged", "error", "error"]


def test_import_matches_by_phone_then_email(world: World) -> None:
    """A row with a known e-mail but no phone updates that contact."""
    world.run(contacts.create_contact, "sup", "Ann", None, "ann@x.test", None, False)
    plan = importer.plan_import(world.state, "name,email,account_rep\nAnn B,ANN@x.test,a2\n")
    [row] = plan.rows
    assert row.action == "update"
    world.run(importer.apply_import, "sup", plan)
    ann = world.state.find_contact("ann@x.test")
    assert ann is not None
    assert (ann.name, ann.account_rep_id) == ("Ann B", "a2")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "csv: the file is empty; it needs a header row"),
        ("name,colour\nx,red\n", "csv: unknown column 'colour'"),
        ("name\nx\n", "csv: needs a phone or an email column to match on"),
    ],
)
def test_bad_csv_headers_fail_the_whole_request(world: World, text: str, message: str) -> None:
    """Header problems are a bad_request for the whole file."""
    with pytest.raises(EngineError) as err:
        importer.plan_import(world.state, text)
    assert (err.value.code, err.value.message) == ("bad_request", message)


def test_import_over_five_mebibytes_is_too_large(world: World) -> None:
    """The CSV limit is 5 MiB."""
    with pytest.raises(EngineError) as err:
        importer.plan_import(world.state, "phone\n" + "+1555\n" * 1_000_000)
    assert err.value.code == "too_large"
