"""The API's JSON answers: compact UTF-8, and a lone surrogate written as its JSON escape.

JSON allows ``"\\ud800"`` and Python decodes it into a string with no UTF-8 form. Starlette's
:class:`~starlette.responses.JSONResponse` encodes strictly, so one such string anywhere in an
answer made it a 500: a note stored before adds refused such text (stop 53) broke
``GET /v1/patients`` for every reader until that patient was deleted.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import JSONResponse

__all__ = ["Utf8JSONResponse"]


class Utf8JSONResponse(JSONResponse):
    """:class:`JSONResponse` whose lone surrogates leave as ``\\udXXX`` escapes (valid JSON).

    ``backslashreplace`` writes the six characters of the escape, which inside a JSON string
    is the escape itself, so a client reads back the string the server held; every other
    character is encoded as before.

    >>> Utf8JSONResponse({"note": "n\\udcff", "ok": "ü"}).body
    b'{"note":"n\\\\udcff","ok":"\\xc3\\xbc"}'
    """

    def render(self, content: Any) -> bytes:
        return json.dumps(
            content, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
        ).encode("utf-8", "backslashreplace")
