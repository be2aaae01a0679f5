"""A loopback TCP proxy that passes, drops, delays, truncates or resets connections on demand."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct


class FaultProxy:
    """Sits between the app and the clinic; `mode` applies to every new connection."""

    MODES = ("pass", "drop", "delay", "truncate", "reset")

    def __init__(self, upstream_port: int, *, delay: float = 0.3, truncate_at: int = 60) -> None:
        self.upstream_port = upstream_port
        self.delay = delay
        self.truncate_at = truncate_at
        self.mode = "pass"
        self.connections = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._live: set[asyncio.StreamWriter] = set()

    def set_mode(self, mode: str) -> None:
        """Switch behaviour; open (pooled) connections are cut so the next request sees the new mode."""
        assert mode in self.MODES
        self.mode = mode
        for writer in list(self._live):
            writer.transport.abort()

    @property
    def url(self) -> str:
        assert self._server is not None
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def start(self) -> FaultProxy:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return self

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for writer in list(self._live):
            writer.transport.abort()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=5)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self.connections += 1
        self._live.add(writer)
        mode = self.mode
        try:
            if mode == "drop":
                return
            if mode == "reset":
                await reader.read(1)  # let the request start, then tear the connection down hard
                sock = writer.get_extra_info("socket")
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                writer.transport.abort()
                return
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
            self._live.add(up_writer)
            try:
                await asyncio.gather(
                    self._pipe(reader, up_writer, mode="pass"),
                    self._pipe(up_reader, writer, mode=mode),
                )
            finally:
                self._live.discard(up_writer)
                up_writer.transport.abort()
        except (ConnectionError, OSError):
            pass
        finally:
            self._live.discard(writer)
            with contextlib.suppress(ConnectionError, OSError):
                writer.close()
            self._tasks.discard(task)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, mode: str) -> None:
        sent = 0
        while data := await reader.read(65536):
            if mode == "delay":
                await asyncio.sleep(self.delay)
            if mode == "truncate":
                data = data[: max(0, self.truncate_at - sent)]
                sent += len(data)
                writer.write(data)
                await writer.drain()
                if sent >= self.truncate_at:
                    writer.transport.abort()
                    return
                continue
            writer.write(data)
            await writer.drain()
        with contextlib.suppress(ConnectionError, OSError):
            writer.write_eof()
