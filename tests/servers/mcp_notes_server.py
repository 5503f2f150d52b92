"""A real MCP server (stdio) for the tests: it keeps words in a file in its scratch dir."""

from mcp.server.mcpserver import MCPServer

server = MCPServer("famulus-test")


@server.tool()
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


@server.tool()
def shout(text: str) -> str:
    """Return the text in capitals."""
    return text.upper()


@server.tool()
def fail(reason: str) -> str:
    """Always fails, with the reason."""
    raise ValueError(reason)


if __name__ == "__main__":
    server.run()
