"""Phone numbers are one customer however they are typed (E.164, with a default region)."""

from __future__ import annotations

import pytest

from routing_client.rpc import RequestFailed
from tests.server.harness import Harness, wait_for_event


async def test_an_imported_number_and_an_sms_sender_written_differently_are_one_contact(
    harness: Harness,
) -> None:
    """A contact imported as "+1 555 0100" whose customer writes from "+15550100" keeps their
    dedicated rep: the message lands in the rep's Priority inbox, not with a new contact."""
    ana = await harness.agent("ana", email="ana@x.test")
    sam = await harness.agent("sam", "supervisor")
    csv = "name,phone,account_rep,priority_notifications\nMaria,+1 555 0100,ana@x.test,X\n"
    imported = await sam.request("import_contacts", csv=csv, dry_run=False)
    assert imported["counts"]["create"] == 1
    gw = await harness.gateway()
    await harness.inbound(gw, "+15550100", "Is my order on its way?")
    upsert = await wait_for_event(ana, "conversation.upsert", conversation__state="priority")
    assert upsert["conversation"]["contact"]["name"] == "Maria"
    found = await sam.request("search_contacts", query="Maria")
    assert [c["phone"] for c in found["contacts"]] == ["+15550100"]


async def test_numbers_without_a_country_code_use_the_default_region(harness: Harness) -> None:
    """With the region set to GB, "020 7946 0958" is stored as +442079460958; an unknown region
    and a string that is not a phone number are refused, naming the field."""
    root = await harness.agent("root", "admin")
    settings = await root.request("update_settings", phone_region="GB")
    assert settings["settings"]["phone_region"] == "GB"
    created = await root.request("create_contact", name="Olivia", phone="020 7946 0958")
    assert created["contact"]["phone"] == "+442079460958"
    with pytest.raises(RequestFailed) as err:
        await root.request("update_settings", phone_region="XX")
    assert (err.value.code, err.value.message.split(":")[0]) == ("bad_request", "phone_region")
    with pytest.raises(RequestFailed) as err:
        await root.request("create_contact", name="Nobody", phone="call me maybe")
    assert (err.value.code, err.value.message.split(":")[0]) == ("bad_request", "phone")


async def test_an_import_row_with_a_bad_number_names_the_column(harness: Harness) -> None:
    """A row whose phone is not a phone number is an error on its line, naming the column."""
    sam = await harness.agent("sam", "supervisor")
    csv = "name,phone\nGood,+1 555 0101\nBad,not a number\n"
    plan = await sam.request("import_contacts", csv=csv, dry_run=True)
    errors = [r for r in plan["rows"] if r["action"] == "error"]
    assert [(r["line"], r["error"].split(":")[0]) for r in errors] == [(3, "phone")]
