"""`serve --demo`: demo accounts, a customer simulator and a demo agent that works the inbox."""

from __future__ import annotations

import asyncio
import contextlib
import random
import secrets
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from routing_client.rpc import ConnectionLost, RequestFailed, RpcClient
from routing_server import admin, auth
from routing_server.engine import random_id
from routing_server.engine.model import Contact, Group, HistoryEntry, Role, Settings
from routing_server.engine.tx import Changes
from routing_server.simulate import make_contacts, simulate
from routing_server.storage.sql import SqlStorage


@dataclass(frozen=True)
class DemoUser:
    """A demo account."""

    username: str
    display_name: str
    role: Role


DEMO_USERS = (
    DemoUser("ana", "Ana Alvarez", "agent"),
    DemoUser("ben", "Ben Okafor", "agent"),
    DemoUser("cleo", "Cleo Park", "agent"),
    DemoUser("sam", "Sam Rivera", "supervisor"),
    DemoUser("root", "Ada Admin", "admin"),
)
DEMO_GATEWAY = "demo-gateway"
# The demo agent the server itself plays, so that something happens without anyone signed in.
DEMO_BOT = "ben"


DEMO_CUSTOMERS = make_contacts(12, random.Random(0))
# Which customers have a dedicated agent (account rep with priority notifications on).
DEMO_REPS = {0: "ana", 1: "ana", 2: "ana", 3: "ana", 5: "cleo", 6: "cleo"}
# Short timers, so that a newcomer sees a time-to-share hand-off within the first minute.
DEMO_TIME_TO_SHARE = 20
DEMO_CAPACITY_WAIT = 30
DEMO_PRESENCE_GRACE = 10
DEMO_OFFER_SECONDS = 120
# The team-load panel flags an agent "silent" after a minute without a reply, not ten.
DEMO_SILENT_AFTER_MINUTES = 1


@dataclass(frozen=True)
class DemoPace:
    """How fast the demo moves: its timers, its customers and its demo agent."""

    name: str
    time_to_share: int  # seconds a priority conversation waits for its rep
    capacity_wait: int  # seconds one waits for a full rep
    customer_rate: float  # customer messages a second
    claim_after: tuple[float, float]  # the demo agent claims a shared one after this long
    reply_after: tuple[float, float]  # … replies this long after claiming
    close_after: tuple[float, float]  # … and closes it this long after replying


PACES = {
    # `serve --demo`'s pace (and `agent-inbox --demo --demo-pace fast`): a lot in one minute.
    "fast": DemoPace("fast", DEMO_TIME_TO_SHARE, DEMO_CAPACITY_WAIT, 0.2, (4, 10), (1, 3),
                     (10, 20)),
    # `agent-inbox --demo`'s: a newcomer can read a message and claim it before the bot does.
    "watch": DemoPace("watch", 60, 60, 1 / 15, (25, 40), (3, 6), (30, 45)),
}  # fmt: skip


async def seed(storage: SqlStorage, pace: DemoPace = PACES["fast"]) -> dict[str, str]:
    """Create the demo accounts and customers (with the pace's timers) once; returns the
    accounts' new passwords (empty when already seeded)."""
    passwords: dict[str, str] = {}
    for demo in DEMO_USERS:
        if await storage.credentials(demo.username) is not None:
            continue
        password = secrets.token_urlsafe(9)
        await admin.add_user(
            storage,
            demo.username,
            demo.role,
            password,
            display_name=demo.display_name,
            email=f"{demo.username}@demo.agent-inbox.test",
        )
        passwords[demo.username] = password
    await _seed_contacts(storage, pace)
    return passwords


async def _seed_contacts(storage: SqlStorage, pace: DemoPace) -> None:
    """The simulator's customers as contacts, so that their first message finds them."""
    state = await storage.load_state()
    if state.contacts:
        return
    user_ids = {u.username: u.id for u in state.users.values()}
    contacts = []
    for i, c in enumerate(DEMO_CUSTOMERS):
        rep = user_ids.get(DEMO_REPS.get(i, ""))
        contacts.append(
            Contact(
                id=random_id("ct"),
                name=c.name,
                handle=c.address,
                phone=c.address if c.channel == "sms" else None,
                email=c.address if c.channel == "email" else None,
                account_rep_id=rep,
                priority_notifications=rep is not None,
            )
        )
    history: list[HistoryEntry] = []
    for seeded in contacts:
        if seeded.account_rep_id is not None:
            history.append(HistoryEntry(seeded.id, time.time(), "priority_notifications_on",
                                        None, "manual"))  # fmt: skip
            history.append(HistoryEntry(seeded.id, time.time(), "account_rep_assigned", None,
                                        "manual", {"user_id": seeded.account_rep_id}))  # fmt: skip
    settings = Settings(
        presence_grace_seconds=DEMO_PRESENCE_GRACE, silent_after_minutes=DEMO_SILENT_AFTER_MINUTES
    )
    for channel in settings.channels.values():
        channel.time_to_share = pace.time_to_share
        channel.capacity_wait = pace.capacity_wait
    # One reassignment group, so that "Reassign via group…" works on a fresh demo: the agents
    # are all offered the contact at once, and the supervisor gets it if nobody accepts.
    group = Group(
        random_id("g"),
        "Key accounts",
        tuple(user_ids[u] for u in ("ana", "ben", "cleo") if u in user_ids),
        user_ids.get("sam", next(iter(user_ids.values()))),
        "first_to_claim",
        DEMO_OFFER_SECONDS,
    )
    await storage.commit(
        Changes(contacts=contacts, settings=settings, history=history, groups=[group]),
        [],
        time.time(),
    )


async def token_for(storage: SqlStorage, username: str) -> str:
    """A fresh token for a demo user (the demo signs its own agents in without passwords)."""
    creds = await storage.credentials(username)
    if creds is None:
        raise admin.AdminError(f"no demo user {username!r}")
    token, token_hash = auth.new_token()
    now = time.time()
    await storage.save_token(token_hash, creds.user_id, now, now + auth.TOKEN_LIFETIME)
    return token


async def run_demo_traffic(
    url: str,
    storage: SqlStorage,
    out: Callable[[str], None] = print,
    *,
    bot: str | None = DEMO_BOT,
    slow: str | None = "ana",
    pace: DemoPace = PACES["fast"],
) -> None:
    """Customers, a demo agent (`bot`, if any) who works the shared inbox, an online-but-slow
    agent (`slow`, if any) and a narrator, at `pace`, until cancelled."""
    gateway = await admin.integration_token(storage, DEMO_GATEWAY)
    observer = await token_for(storage, "sam")
    async with asyncio.TaskGroup() as group:
        group.create_task(observe(url, observer, out))
        if slow is not None:
            group.create_task(present_agent(url, await token_for(storage, slow), out))
        if bot is not None:
            group.create_task(demo_agent(url, await token_for(storage, bot), out, pace))
        # Ana's customer writes first: priority for her, then the hand-off after the timer.
        group.create_task(
            simulate(url, gateway, customers=DEMO_CUSTOMERS, rate=pace.customer_rate, out=out,
                     first=DEMO_CUSTOMERS[0])
        )  # fmt: skip


@contextlib.asynccontextmanager
async def signed_in(url: str, token: str) -> AsyncIterator[tuple[RpcClient, dict[str, Any]]]:
    """A demo connection authenticated with `token`; yields it and the user."""
    client = await RpcClient.open(url)
    try:
        user = (await client.request("auth", token=token))["user"]
        yield client, user
    finally:
        with contextlib.suppress(Exception):
            await client.close()


REASON_TEXT = {
    "dedicated_available": "sent to the account rep, who is online",
    "dedicated_unavailable": "account rep unavailable: shared inbox",
    "dedicated_at_capacity": "waiting: the account rep is at capacity",
    "time_to_share_elapsed": "not claimed in time: now in the shared inbox",
    "no_dedicated_agent": "no account rep: shared inbox",
    "channel_not_dedicated": "chat is not routed to reps: shared inbox",
    "capacity_freed": "the account rep has room again",
    "capacity_wait_elapsed": "waited too long for the rep: shared inbox",
}


async def observe(url: str, token: str, out: Callable[[str], None] = print) -> None:
    """A supervisor's view: print each routing step as it happens."""
    async with signed_in(url, token) as (client, _):
        snapshot = (await client.request("sync"))["snapshot"]
        names = {m["user_id"]: m["display_name"] for m in snapshot["team"]}
        last: dict[str, str] = {}
        while True:
            event = await client.events.get()
            if event.event != "conversation.upsert":
                continue
            conv = event.data["conversation"]
            reason = conv["routing"]["reason"]
            if last.get(conv["id"]) == reason or reason not in REASON_TEXT:
                continue
            last[conv["id"]] = reason
            who = names.get(conv["assigned_to"] or "", "")
            out(f"  [routing] {conv['contact']['name']}: {REASON_TEXT[reason]} {who}".rstrip())


async def present_agent(url: str, token: str, out: Callable[[str], None] = print) -> None:
    """An agent who is online but never claims: her priority conversations time out to share.

    Only she can see them while they are priority, so she reports them.
    """
    async with signed_in(url, token) as (client, me):
        await client.request("set_presence", status="online")
        await client.request("sync")
        announced: set[str] = set()
        while True:
            event = await client.events.get()
            conv = event.data.get("conversation") if event.event == "conversation.upsert" else None
            if conv and conv["state"] == "priority" and conv["id"] not in announced:
                announced.add(conv["id"])
                share_at = (conv["share_at"] or "")[11:19]
                out(
                    f"  [routing] {conv['contact']['name']}: in {me['display_name']}'s Priority "
                    f"inbox only (account rep, online); shared at {share_at} UTC unless claimed"
                )


async def demo_agent(
    url: str, token: str, out: Callable[[str], None] = print, pace: DemoPace = PACES["fast"]
) -> None:
    """Claim shared conversations after a while, reply and close them later (at `pace`)."""
    rng = random.Random()
    async with signed_in(url, token) as (client, me):
        await client.request("set_presence", status="online")
        await client.request("sync")
        working: set[str] = set()
        while True:
            event = await client.events.get()
            if event.event != "conversation.upsert":
                continue
            conv = event.data["conversation"]
            if conv["state"] == "shared" and conv["id"] not in working:
                await _work_later(client, me, conv, rng, out, working, pace)


async def _work_later(
    client: RpcClient,
    me: dict[str, str],
    conv: dict[str, Any],
    rng: random.Random,
    out: Callable[[str], None],
    working: set[str],
    pace: DemoPace,
) -> None:
    """Start working a conversation in the background; forget it when done."""
    conv_id = str(conv["id"])
    working.add(conv_id)
    task = asyncio.create_task(_work(client, me, conv, rng, out, pace))
    task.add_done_callback(lambda _: working.discard(conv_id))


async def _work(
    client: RpcClient,
    me: dict[str, str],
    conv: dict[str, object],
    rng: random.Random,
    out: Callable[[str], None],
    pace: DemoPace,
) -> None:
    await asyncio.sleep(rng.uniform(*pace.claim_after))
    contact = conv["contact"]
    name = contact["name"] if isinstance(contact, dict) else "a customer"
    try:
        await client.request("claim", conversation_id=conv["id"])
        out(f"  {me['display_name']} claimed the conversation with {name}")
        await asyncio.sleep(rng.uniform(*pace.reply_after))
        await client.request(
            "send_message",
            conversation_id=conv["id"],
            body=f"Hi {str(name).split()[0]}, {me['display_name'].split()[0]} here. On it!",
            client_msg_id=str(uuid.uuid4()),
        )
        await asyncio.sleep(rng.uniform(*pace.close_after))
        await client.request("close", conversation_id=conv["id"])
        out(f"  {me['display_name']} closed the conversation with {name}")
    except (RequestFailed, ConnectionLost):
        return  # someone else claimed or closed it first, or the demo is shutting down
