"""CORS limited to the configured origins (Starlette's middleware), with a refused preflight
answered in the API's one error object rather than a plain-text line."""

from __future__ import annotations

import json

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response


class ApiCors(CORSMiddleware):
    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        refused = bytes(response.body).decode("utf-8", "replace").removeprefix("Disallowed CORS ")
        body = {
            "error": {
                "type": "permission",
                "code": "cors_refused",
                "message": f"This server does not allow cross-origin calls with this {refused}.",
                "param": None,
            }
        }
        kept = {
            name: value
            for name, value in response.headers.items()
            if name.lower().startswith("access-control") or name.lower() == "vary"
        }
        return Response(
            json.dumps(body), status_code=403, media_type="application/json", headers=kept
        )
