"""HTTP routers: parse and validate, call one service, shape the answer; no SQL here."""
