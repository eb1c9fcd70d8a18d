"""E-mail to newly assigned account reps, through an SMTP relay when one is configured."""

from __future__ import annotations

import asyncio
import smtplib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage

from routing_server.engine.model import Contact, User


@dataclass(frozen=True)
class MailConfig:
    """Where and as whom to send."""

    host: str
    port: int = 25
    sender: str = "agent-inbox@localhost"
    timeout: float = 10.0


def contact_link(contact_id: str) -> str:
    """The link that opens a contact in the desktop app."""
    return f"agent-inbox://contact/{contact_id}"


def compose(config: MailConfig, rep: User, contacts: list[Contact], at: float) -> EmailMessage:
    """The message telling `rep` which contacts are now theirs."""
    when = datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%d %H:%M UTC")
    message = EmailMessage()
    message["From"] = config.sender
    message["To"] = rep.email or ""
    if len(contacts) == 1:
        message["Subject"] = f"You are now {contacts[0].name}'s account rep"
    else:
        message["Subject"] = f"You are now the account rep of {len(contacts)} contacts"
    lines = [f"Hello {rep.display_name},", "", f"At {when} you became the account rep of:", ""]
    for c in contacts:
        lines.append(f"  {c.name}  phone: {c.phone or '—'}  {contact_link(c.id)}")
    lines += ["", "Their messages now come to your Priority inbox first.", "", "— Agent Inbox"]
    message.set_content("\n".join(lines))
    return message


class Mailer:
    """Sends through the relay without blocking the event loop."""

    def __init__(self, config: MailConfig) -> None:
        self.config = config

    async def send_assignment(self, rep: User, contacts: list[Contact], at: float) -> None:
        """Tell `rep` by e-mail that `contacts` are now theirs (no-op without an address)."""
        if not rep.email or not contacts:
            return
        message = compose(self.config, rep, contacts, at)
        await asyncio.to_thread(self._send, message)

    def _send(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.config.host, self.config.port, timeout=self.config.timeout) as s:
            s.send_message(message)
