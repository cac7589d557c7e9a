"""eth-tester behind a JSON-RPC endpoint on 127.0.0.1, so the GUI reaches the chain the way it
does in use: through the rpc_url setting and web3's HTTP provider, not an injected object."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any


def _json_default(value: Any) -> str:
    if isinstance(value, bytes | bytearray):
        return "0x" + bytes(value).hex()
    raise TypeError(f"{type(value).__name__} is not JSON")


@contextmanager
def serving(w3: Any) -> Iterator[str]:
    """JSON-RPC over HTTP for an EthereumTesterProvider-backed Web3; yields the URL."""
    from web3.datastructures import NamedElementOnion

    # The provider's own middleware turns eth-tester's Python values into the JSON-RPC shape
    # (camelCase keys); the caller's middleware is left out, as a node would.
    request = w3.provider.request_func(w3, NamedElementOnion([]))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            call = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            reply = request(call["method"], call.get("params", []))
            answer = {"jsonrpc": "2.0", "id": call["id"]}
            answer.update({k: v for k, v in reply.items() if k in ("result", "error")})
            data = json.dumps(answer, default=_json_default).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
