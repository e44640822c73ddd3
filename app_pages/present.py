"""大屏 Big screen: the kiosk view for the meeting room (see the README for the kiosk URL)."""

from ui import present
from ui.context import get_context

present.render(get_context())
