"""E-mail to new reps through a real local SMTP server, and the import-contacts command."""

from __future__ import annotations

import asyncio
import socket
from email import message_from_bytes
from email.message import Message
from pathlib import Path

from aiosmtpd.controller import Controller

from routing_server.mailer import MailConfig
from tests.server.harness import start_harness
from tests.server.test_cli_and_durability import run_cli, served


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_new_rep_gets_an_email(tmp_path: Path) -> None:
    """Assigning a rep sends them an e-mail with the contact's name, phone, time and a link."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    h = await start_harness(tmp_path, mail=MailConfig("127.0.0.1", port, "inbox@x.test"))
    try:
        ana_id = await h.add_user("ana", email="ana@x.test")
        await h.add_user("sam", "supervisor")
        sam = await h.connect("sam")
        created = await sam.request(
            "create_contact", name="Maria Garcia", phone="+15551234", account_rep_id=ana_id
        )
        for _ in range(100):
            if inbox.messages:
                break
            await asyncio.sleep(0.05)
        [mail] = inbox.messages
        assert mail["To"] == "ana@x.test"
        assert mail["From"] == "inbox@x.test"
        body = mail.get_payload()
        assert isinstance(body, str)
        assert "Maria Garcia" in body
        assert "+15551234" in body
        assert f"agent-inbox://contact/{created['contact']['id']}" in body
        assert "UTC" in body
    finally:
        await h.close()
        controller.stop()


def test_import_contacts_command(tmp_path: Path) -> None:
    """import-contacts: a dry run changes nothing; errors exit 2; a good file applies."""
    db = tmp_path / "db.sqlite3"
    assert run_cli("user", "add", "ana", "--role", "agent", "--email", "ana@x.test",
                   "--password-stdin", stdin="pw\n", db=db).returncode == 0  # fmt: skip
    good = tmp_path / "good.csv"
    good.write_text("Name,Phone,Account_Rep,Priority_Notifications\nMaria,+15550001,ana@x.test,X\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("name,phone,account_rep\nBen,+15550002,nobody\n")
    dry = run_cli("import-contacts", str(good), "--dry-run", db=db)
    assert dry.returncode == 0, dry.stderr
    assert "1 create" in dry.stdout
    assert "dry run" in dry.stdout
    failed = run_cli("import-contacts", str(bad), db=db)
    assert failed.returncode == 2
    assert "line 2: account_rep:" in failed.stderr
    applied = run_cli("import-contacts", str(good), db=db)
    assert applied.returncode == 0
    assert "applied" in applied.stdout
    again = run_cli("import-contacts", str(good), db=db)
    assert "1 unchanged" in again.stdout
    missing = run_cli("import-contacts", str(tmp_path / "nope.csv"), db=db)
    assert missing.returncode == 2
    assert len(missing.stderr.strip().splitlines()) == 1


async def test_import_refuses_while_a_server_holds_the_database(tmp_path: Path) -> None:
    """The command line does not write under a running server's feet."""
    db = tmp_path / "db.sqlite3"
    csv = tmp_path / "c.csv"
    csv.write_text("name,phone\nMaria,+15550001\n")
    async with served(db):
        result = await asyncio.to_thread(run_cli, "import-contacts", str(csv), db=db)
    assert result.returncode == 2
    assert "in use by a running server" in result.stderr
