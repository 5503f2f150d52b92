"""web_automation: fetching pages from allowed hosts and extracting their readable text."""

from tools.web_automation.fetch import TOOLS

__all__ = ["TOOLS"]
