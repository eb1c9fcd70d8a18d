"""The Agent Inbox wire protocol, version 1: every frame as a pydantic model.

The server validates requests with `REQUEST_ADAPTER` and builds results and events from the object
models here; the client library parses server frames with `SERVER_FRAME_ADAPTER`. `docs/protocol.md`
is the prose version of this package.
"""

from routing_client.protocol.common import *  # noqa: F403
from routing_client.protocol.frames import *  # noqa: F403
from routing_client.protocol.objects import *  # noqa: F403
from routing_client.protocol.requests import *  # noqa: F403
