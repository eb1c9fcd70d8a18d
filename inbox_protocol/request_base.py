"""The base of every client request and the field types several requests share."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class Request(BaseModel):
    """Base of every client request: strict types, no unknown fields."""

    model_config = ConfigDict(extra="forbid", strict=True)

    id: int = Field(ge=1)


IdField = Annotated[str, Field(min_length=1, max_length=100)]
Phone = Annotated[str, Field(min_length=3, max_length=32, pattern=r"^\+?[0-9][0-9 ().-]{1,30}$")]
Email = Annotated[str, Field(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
