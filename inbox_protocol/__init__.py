"""The Agent Inbox wire protocol, version 1: every frame as a pydantic model.

The server validates requests with `REQUEST_ADAPTER` and builds results and events from the object
models here; the client library parses server frames with `SERVER_FRAME_ADAPTER`. `docs/protocol.md`
is the prose version of this package.
"""

from inbox_protocol.common import *  # noqa: F403
from inbox_protocol.frames import *  # noqa: F403
from inbox_protocol.objects import *  # noqa: F403
from inbox_protocol.request_base import *  # noqa: F403
from inbox_protocol.requests import *  # noqa: F403
from inbox_protocol.requests_admin import *  # noqa: F403
