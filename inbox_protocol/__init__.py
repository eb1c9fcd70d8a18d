"""The Agent Inbox wire protocol, version 1: every frame as a pydantic model.

The server validates requests with `REQUEST_ADAPTER`, builds each command's result as its model
in `results` (`RESULTS`) and events from the object models here; the client library parses server
frames with `SERVER_FRAME_ADAPTER` (and results with `parse_result`). `docs/protocol.md` is the
prose version of this package.
"""

from inbox_protocol.common import *  # noqa: F403
from inbox_protocol.frames import *  # noqa: F403
from inbox_protocol.objects import *  # noqa: F403
from inbox_protocol.request_base import *  # noqa: F403
from inbox_protocol.requests import *  # noqa: F403
from inbox_protocol.requests_admin import *  # noqa: F403
from inbox_protocol.results import *  # noqa: F403
