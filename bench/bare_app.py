"""The floor for the capacity run: a bare FastAPI app served exactly as `clinic serve` serves its app.

    .venv/bin/python -m bench.bare_app --port 8799

`GET /bare` (async def) and `GET /bare-thread` (def: FastAPI runs it in its thread pool, as the
clinic's sync endpoint is run) answer a small JSON body; no middleware, no database.
"""

from __future__ import annotations

import argparse

from fastapi import FastAPI

app = FastAPI()


@app.get("/bare")
async def bare() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/bare-thread")
def bare_thread() -> dict[str, str]:
    return {"status": "ok"}


def main() -> int:
    import uvicorn

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
