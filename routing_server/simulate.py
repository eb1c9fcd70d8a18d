"""A customer simulator acting as a channel gateway: contacts send messages at a rate, and
agents' replies are printed (and acknowledged as delivered) as they arrive."""

from __future__ import annotations

import asyncio
import contextlib
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from inbox_protocol import Channel
from routing_client.rpc import RpcClient

FIRST_NAMES = (
    "Maria", "James", "Aisha", "Chen", "Lucas", "Priya", "Tomás", "Hannah", "Kwame", "Sofia",
    "Noah", "Yuki", "Omar", "Elena", "Finn", "Grace", "Ravi", "Lena", "Mateo", "Zoe",
)  # fmt: skip
LAST_NAMES = (
    "Garcia", "Smith", "Khan", "Wei", "Moreau", "Patel", "Silva", "Berg", "Mensah", "Rossi",
)  # fmt: skip
LINES = (
    "Hi, is my order on its way?",
    "Can I change the delivery address?",
    "The invoice shows the wrong amount.",
    "Do you have the 40 mm fittings in stock?",
    "Thanks! One more question about returns.",
    "Could you call me back this afternoon?",
    "I need a quote for 200 units.",
    "The part arrived damaged, what now?",
)


@dataclass(frozen=True)
class SimContact:
    """One simulated customer."""

    name: str
    channel: Channel
    address: str


def make_contacts(count: int, rng: random.Random) -> list[SimContact]:
    """`count` customers spread over SMS, e-mail, web forms and chat."""
    contacts = []
    for i in range(count):
        name = f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[(i * 7) % len(LAST_NAMES)]}"
        channel: Channel = ("sms", "sms", "email", "web_form", "chat")[i % 5]
        if channel == "sms":
            address = f"+1555{1000000 + i:07d}"
        elif channel == "email":
            address = f"{name.split()[0].lower()}.{i}@example.com"
        else:
            address = f"visitor-{i:04d}"
        contacts.append(SimContact(name, channel, address))
    return contacts


@dataclass
class SimStats:
    """What a simulation did."""

    sent: int = 0
    replies: int = 0


async def simulate(
    url: str,
    token: str,
    *,
    contacts: int = 10,
    rate: float = 0.5,
    duration: float | None = None,
    out: Callable[[str], None] = print,
    seed: int | None = None,
    customers: list[SimContact] | None = None,
    first: SimContact | None = None,
) -> SimStats:
    """Send customer messages at `rate` a second for `duration` seconds (None: until cancelled)."""
    rng = random.Random(seed)
    people = customers or make_contacts(contacts, rng)
    by_address = {c.address: c for c in people}
    stats = SimStats()
    client = await RpcClient.open(url)
    try:
        await client.request("auth", token=token)
        await client.request("sync")
        replies = asyncio.create_task(_print_replies(client, by_address, out, stats))
        try:
            async with asyncio.timeout(duration):
                while True:
                    who, first = first or rng.choice(people), None
                    body = rng.choice(LINES)
                    message: dict[str, Any] = {
                        "channel": who.channel,
                        "from": who.address,
                        "name": who.name,
                        "body": body,
                        "external_id": str(uuid.uuid4()),
                    }
                    await client.call("inbound", message)
                    stats.sent += 1
                    out(f"→ {who.name} ({who.channel} {who.address}): {body}")
                    await asyncio.sleep(rng.expovariate(rate) if rate > 0 else 3600)
        except TimeoutError:
            pass
        finally:
            replies.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await replies
    finally:
        await client.close()
    return stats


async def _print_replies(
    client: RpcClient,
    by_address: dict[str, SimContact],
    out: Callable[[str], None],
    stats: SimStats,
) -> None:
    seen: set[str] = set()
    while True:
        event = await client.events.get()
        if event.event != "outbound.message":
            continue
        data = event.data
        if data["message_id"] not in seen:
            seen.add(data["message_id"])
            who = by_address.get(data["to"])
            out(f"← reply to {who.name if who else data['to']}: {data['body']}")
            stats.replies += 1
        await client.request("outbound_status", message_id=data["message_id"], status="delivered")
