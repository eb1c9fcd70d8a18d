"""Users over the protocol: create_user, set_password, update_user, disable and enable."""

from __future__ import annotations

import pytest

from routing_client.rpc import RequestFailed
from tests.server.harness import PASSWORD, Harness

NEW_PASSWORD = "a brand new passphrase"


async def test_admin_creates_a_user_who_signs_in_at_once(harness: Harness) -> None:
    """create_user stores the person with their teams and capacity; their password works."""
    admin = await harness.agent("root", "admin")
    result = await admin.request(
        "create_user", username="dana", display_name="Dana Li", email="dana@example.com",
        role="supervisor", team_ids=["support"], max_open=7, password=NEW_PASSWORD,
    )  # fmt: skip
    user = result["user"]
    assert (user["username"], user["display_name"]) == ("dana", "Dana Li")
    assert user["role"] == "supervisor"
    assert (user["team_ids"], user["max_open"], user["disabled"]) == (["support"], 7, False)
    client = await harness.open()
    signed_in = await client.request("login", username="dana", password=NEW_PASSWORD)
    assert signed_in["user"]["id"] == user["id"]
    listed = await admin.request("list_users")
    assert "dana" in [u["username"] for u in listed["users"]]


async def test_create_user_rejects_taken_names_unknown_teams_and_short_passwords(
    harness: Harness,
) -> None:
    """Bad input is bad_request naming the field, and creates nobody."""
    admin = await harness.agent("root", "admin")
    cases: list[tuple[dict[str, object], str]] = [
        ({"username": "root"}, "username"),
        ({"team_ids": ["nope"]}, "team_ids"),
        ({"team_ids": []}, "team_ids"),
        ({"password": "short"}, "password"),
        ({"username": "has space"}, "username"),
        ({"role": "integration"}, "role"),
    ]
    for change, field in cases:
        fields: dict[str, object] = {"username": "eve", "role": "agent", "password": NEW_PASSWORD}
        fields.update(change)
        with pytest.raises(RequestFailed) as failed:
            await admin.call("create_user", fields)
        assert failed.value.code == "bad_request"
        assert failed.value.message.startswith(field), failed.value.message
    assert await harness.storage.credentials("eve") is None


async def test_set_password_replaces_it_and_revokes_every_token(harness: Harness) -> None:
    """After set_password the old password fails, the new one works, old tokens are dead."""
    admin = await harness.agent("root", "admin")
    ana_id = await harness.add_user("ana")
    old_token = await harness.token("ana")
    assert await admin.request("set_password", user_id=ana_id, password=NEW_PASSWORD) == {}
    client = await harness.open()
    with pytest.raises(RequestFailed) as old:
        await client.request("login", username="ana", password=PASSWORD)
    assert old.value.code == "invalid_credentials"
    with pytest.raises(RequestFailed) as stale:
        await client.request("auth", token=old_token)
    assert stale.value.code == "invalid_token"
    assert (await client.request("login", username="ana", password=NEW_PASSWORD))["user"]


async def test_update_user_changes_display_name_and_email(harness: Harness) -> None:
    """update_user sets display_name and email; email null clears it; the change survives."""
    admin = await harness.agent("root", "admin")
    ana_id = await harness.add_user("ana", email="ana@old.example")
    user = (await admin.request("update_user", user_id=ana_id, display_name="Ana Ruiz",
                                email="ana@new.example"))["user"]  # fmt: skip
    assert (user["display_name"], user["email"]) == ("Ana Ruiz", "ana@new.example")
    cleared = (await admin.request("update_user", user_id=ana_id, email=None))["user"]
    assert (cleared["display_name"], cleared["email"]) == ("Ana Ruiz", None)
    await harness.restart()
    admin = await harness.connect("root")
    users = {u["username"]: u for u in (await admin.request("list_users"))["users"]}
    assert (users["ana"]["display_name"], users["ana"]["email"]) == ("Ana Ruiz", None)


async def test_disabled_user_gets_forbidden_and_signs_in_again_once_enabled(
    harness: Harness,
) -> None:
    """A disabled account's login is forbidden; enabled again, the same password works."""
    admin = await harness.agent("root", "admin")
    ana_id = await harness.add_user("ana")
    disabled = await admin.request("update_user", user_id=ana_id, disabled=True)
    assert disabled["user"]["disabled"] is True
    client = await harness.open()
    with pytest.raises(RequestFailed) as refused:
        await client.request("login", username="ana", password=PASSWORD)
    assert refused.value.code == "forbidden"
    await admin.request("update_user", user_id=ana_id, disabled=False)
    again = await client.request("login", username="ana", password=PASSWORD)
    assert again["user"]["id"] == ana_id


async def test_agents_and_supervisors_may_not_manage_users(harness: Harness) -> None:
    """create_user, set_password and update_user are admin-only: others get forbidden and
    nothing changes."""
    agent = await harness.agent("ana")
    supervisor = await harness.agent("sam", "supervisor")
    for client in (agent, supervisor):
        with pytest.raises(RequestFailed) as created:
            await client.request("create_user", username="eve", role="agent", password=NEW_PASSWORD)
        assert created.value.code == "forbidden"
        with pytest.raises(RequestFailed) as reset:
            await client.request("set_password", user_id="u_x", password=NEW_PASSWORD)
        assert reset.value.code == "forbidden"
        with pytest.raises(RequestFailed) as renamed:
            await client.request("update_user", user_id="u_x", display_name="Eve")
        assert renamed.value.code == "forbidden"
    assert await harness.storage.credentials("eve") is None
