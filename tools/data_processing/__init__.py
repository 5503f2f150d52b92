"""data_processing: CSV, JSON and PDF readers that summarise and query, and sandboxed Python."""

from tools.data_processing.pdf import TOOLS as PDF_TOOLS
from tools.data_processing.python import TOOLS as PYTHON_TOOLS
from tools.data_processing.tables import TOOLS as TABLE_TOOLS

TOOLS = [*TABLE_TOOLS, *PDF_TOOLS, *PYTHON_TOOLS]
