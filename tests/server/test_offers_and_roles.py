"""Reassignment offers as clients see them on the wire, and the roles the admin screens need."""

from __future__ import annotations

from typing import Any

import pytest

from routing_client.rpc import RequestFailed, RpcClient
from tests.server.harness import Harness, drain, uid, wait_for_event


async def contact_and_group(h: Harness, method: str = "round_robin") -> dict[str, Any]:
    """ana and ben (agents) in a group whose default is sam; a contact; every client."""
    t: dict[str, Any] = {
        "ana": await h.agent("ana"),
        "ben": await h.agent("ben"),
        "sam": await h.agent("sam", "supervisor"),
        "root": await h.agent("root", "admin"),
    }
    for name in ("ana", "ben", "sam"):
        t[f"{name}_id"] = await uid(h, name)
    contact = await t["sam"].request("create_contact", name="Maria Garcia", phone="+15550100")
    t["contact_id"] = contact["contact"]["id"]
    group = await t["root"].request("save_group", group={
        "name": "Key accounts", "member_ids": [t["ana_id"], t["ben_id"]],
        "default_assignee_id": t["sam_id"], "method": method, "offer_seconds": 60})  # fmt: skip
    t["group_id"] = group["group"]["id"]
    return t


async def test_the_contact_says_who_holds_the_offer_and_until_when(timed: Harness) -> None:
    """While a round-robin group chooses, the contact's reassignment names the member holding
    the offer and its expiry; when it expires the next member's offer comes as contact.updated,
    and at the end the reassignment is null."""
    t = await contact_and_group(timed)
    started = await t["sam"].request(
        "reassign_contact", contact_id=t["contact_id"], group_id=t["group_id"]
    )
    # The rotation goes by user id: whoever has the lower id is offered first.
    one, two = sorted(["ana", "ben"], key=lambda name: t[f"{name}_id"])
    first = started["contact"]["reassignment"]
    assert first["offered_to"] == [t[f"{one}_id"]]
    assert first["offer_expires_at"] is not None
    note = await wait_for_event(t[one], "notification", kind="reassignment_offer")
    assert note["expires_at"] == first["offer_expires_at"]
    await drain(t["ana"])
    await timed.advance(61)
    moved = await wait_for_event(t["ana"], "contact.updated", contact__id=t["contact_id"])
    assert moved["contact"]["reassignment"]["offered_to"] == [t[f"{two}_id"]]
    await t[two].request("decline_reassignment", contact_id=t["contact_id"])
    done = await wait_for_event(t["ana"], "contact.updated", contact__id=t["contact_id"],
                                contact__reassignment=None)  # fmt: skip
    assert done["contact"]["account_rep_id"] == t["sam_id"]


async def test_first_to_claim_offers_everyone_and_the_winner_ends_the_others_offer(
    timed: Harness,
) -> None:
    """first_to_claim lists every available member as offered; once one accepts, the others see
    the reassignment end (so their offer cards can go) and a late accept is invalid_state."""
    t = await contact_and_group(timed, "first_to_claim")
    started = await t["sam"].request(
        "reassign_contact", contact_id=t["contact_id"], group_id=t["group_id"]
    )
    assert set(started["contact"]["reassignment"]["offered_to"]) == {t["ana_id"], t["ben_id"]}
    await drain(t["ana"])
    await t["ben"].request("accept_reassignment", contact_id=t["contact_id"])
    done = await wait_for_event(t["ana"], "contact.updated", contact__id=t["contact_id"],
                                contact__reassignment=None)  # fmt: skip
    assert done["contact"]["account_rep_id"] == t["ben_id"]
    with pytest.raises(RequestFailed) as late:
        await t["ana"].request("accept_reassignment", contact_id=t["contact_id"])
    assert late.value.code == "invalid_state"


async def test_list_offers_gives_back_the_offers_a_member_holds(timed: Harness) -> None:
    """list_offers returns the caller's live offers as their notifications (for a client that
    missed them), nothing for members without one, and nothing once the offer is answered."""
    t = await contact_and_group(timed, "first_to_claim")
    assert (await t["ana"].request("list_offers"))["offers"] == []
    await t["sam"].request("reassign_contact", contact_id=t["contact_id"], group_id=t["group_id"])
    note = await wait_for_event(t["ana"], "notification", kind="reassignment_offer")
    (listed,) = (await t["ana"].request("list_offers"))["offers"]
    assert listed == note
    assert (await t["sam"].request("list_offers"))["offers"] == []
    await t["ana"].request("decline_reassignment", contact_id=t["contact_id"])
    assert (await t["ana"].request("list_offers"))["offers"] == []
    assert len((await t["ben"].request("list_offers"))["offers"]) == 1


ADMIN_ONLY: list[tuple[str, dict[str, Any]]] = [
    ("update_settings", {"sharing_enabled": False}),
    ("update_team", {"team_id": "support", "distribution": "round_robin"}),
    (
        "save_group",
        {
            "group": {
                "name": "X",
                "member_ids": [],
                "default_assignee_id": "u_x",
                "method": "round_robin",
                "offer_seconds": 60,
            }
        },
    ),
    ("delete_group", {"group_id": "g_x"}),
]


async def refused(client: RpcClient, command: str, fields: dict[str, Any]) -> str:
    """The error code `command` fails with."""
    with pytest.raises(RequestFailed) as failure:
        await client.request(command, **fields)
    return failure.value.code


async def test_agents_and_supervisors_are_forbidden_the_admin_commands(timed: Harness) -> None:
    """Every command behind the settings dialog and the groups window is forbidden to an agent
    and a supervisor; reassign_contact is forbidden to an agent; nothing changed."""
    t = await contact_and_group(timed)
    for command, fields in ADMIN_ONLY:
        assert await refused(t["ana"], command, fields) == "forbidden", command
        assert await refused(t["sam"], command, fields) == "forbidden", command
    reassign = {"contact_id": t["contact_id"], "group_id": t["group_id"]}
    assert await refused(t["ana"], "reassign_contact", reassign) == "forbidden"
    settings = (await t["ana"].request("get_settings"))["settings"]
    assert settings["sharing_enabled"] is True
    (team,) = (await t["ana"].request("list_teams"))["teams"]
    assert team["distribution"] == "claim"
    assert len((await t["ana"].request("list_groups"))["groups"]) == 1
    contact = (await t["ana"].request("get_contact", contact_id=t["contact_id"]))["contact"]
    assert contact["reassignment"] is None
