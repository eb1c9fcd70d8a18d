"""Phone numbers in one form, E.164 (`+15550100`), whatever way they were typed.

A contact imported as "+1 555 0100", created as "(555) 010-0100" or writing from "+15550100"
is one customer: numbers are normalised on import, create, update and inbound, with the
server's default region (`phone_region`) for numbers typed without a country code.
"""

from __future__ import annotations

import phonenumbers

DEFAULT_REGION = "US"


def is_region(code: str) -> bool:
    """Whether `code` is a region the phone number library knows (ISO 3166 alpha-2)."""
    return code in phonenumbers.SUPPORTED_REGIONS


def to_e164(raw: str, region: str = DEFAULT_REGION) -> str | None:
    """`raw` as an E.164 number, or None when it is not a possible phone number."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
