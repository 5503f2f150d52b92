"""communication: e-mail out (held for an undo window) and in, and chat webhooks."""

from tools.communication.mail import TOOLS as MAIL_TOOLS
from tools.communication.webhook import TOOLS as WEBHOOK_TOOLS

TOOLS = [*MAIL_TOOLS, *WEBHOOK_TOOLS]
