"""Requests of the admin and supervisor tools: users, chunked CSV uploads, rep-change previews."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from inbox_protocol.request_base import Email, IdField, Name, Request

Username = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.@-]+$")]
Password = Annotated[str, Field(min_length=8, max_length=1000)]

# One chunk of an upload, in characters: even if every character were escaped as \uXXXX the
# frame stays under the 1 MiB frame limit.
UPLOAD_CHUNK_CHARS = 131_072


class CreateUser(Request):
    """A new person who can sign in (admins); gateways are made with `token create`."""

    type: Literal["create_user"]
    username: Username
    display_name: Name | None = None
    email: Email | None = None
    role: Literal["agent", "supervisor", "admin"]
    team_ids: Annotated[list[IdField], Field(max_length=100)] = ["support"]
    max_open: Annotated[int, Field(ge=1, le=1000)] = 5
    password: Password


class SetPassword(Request):
    """Give a user a new password (admins); every token of theirs is revoked."""

    type: Literal["set_password"]
    user_id: IdField
    password: Password


class ImportUpload(Request):
    """One chunk of a CSV file for `import_contacts` (supervisors); the first chunk has no
    `upload_id` and starts a new upload, the others name it and say where they start."""

    type: Literal["import_upload"]
    upload_id: IdField | None = None
    offset: Annotated[int, Field(ge=0, le=5 * 1024 * 1024)] = 0
    data: Annotated[str, Field(max_length=UPLOAD_CHUNK_CHARS)]


class PreviewRepChange(Request):
    """What changing a contact's rep (and priority notifications) would do to its open
    conversations, without changing anything (supervisors)."""

    type: Literal["preview_rep_change"]
    contact_id: IdField
    account_rep_id: IdField | None
    priority_notifications: bool | None = None
