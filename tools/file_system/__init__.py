"""file_system: list, read, search, write and move files inside the granted folders."""

from tools.file_system.files import TOOLS

__all__ = ["TOOLS"]
