"""A small client for clamd's INSTREAM command (the virus scanner).

`scan(fileobj, address=...)` streams the file to clamd and returns a
`ScanResult`: clean, or infected with the signature's name. Anything else
(clamd unreachable, a timeout, an answer we do not understand, clamd's own
ERROR such as its stream size limit) raises `ScannerUnavailable`, so the
caller can fail closed.

The address is `tcp://host:port` or a unix socket path (`/run/clamav/clamd.ctl`,
also as `unix:///run/clamav/clamd.ctl`). Protocol: the null-terminated command
`zINSTREAM`, then chunks each prefixed by their length as a 4-byte big-endian
unsigned integer, ended by a chunk of length 0; clamd answers
`stream: OK`, `stream: <signature> FOUND` or `<message> ERROR`, null-terminated.
(The PyPI `clamd` package does the same but is unmaintained since 2014.)
"""

import socket
import struct
from dataclasses import dataclass
from urllib.parse import urlsplit

CHUNK_SIZE = 64 * 1024
MAX_ANSWER = 4096


class ScannerUnavailable(Exception):  # noqa: N818 (a state, not only an error)
    """clamd could not say whether the file is clean."""


@dataclass(frozen=True)
class ScanResult:
    infected: bool
    signature: str = ""


def _connect(address: str, timeout: float) -> socket.socket:
    if address.startswith("tcp://"):
        parts = urlsplit(address)
        if not parts.hostname or not parts.port:
            raise ScannerUnavailable(f"invalid clamd address {address!r}")
        return socket.create_connection((parts.hostname, parts.port), timeout=timeout)
    path = address.removeprefix("unix://")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(path)
    except OSError:
        sock.close()
        raise
    return sock


def _read_answer(sock: socket.socket) -> str:
    data = b""
    while not data.endswith(b"\0") and len(data) < MAX_ANSWER:
        chunk = sock.recv(1024)
        if not chunk:
            break
        data += chunk
    return data.rstrip(b"\0").decode("utf-8", "replace").strip()


def parse_answer(answer: str) -> ScanResult:
    """clamd's answer to INSTREAM as a result; anything unexpected raises."""
    if answer == "stream: OK":
        return ScanResult(infected=False)
    if answer.startswith("stream: ") and answer.endswith(" FOUND"):
        return ScanResult(infected=True, signature=answer[len("stream: ") : -len(" FOUND")])
    raise ScannerUnavailable(f"clamd answered {answer[:200]!r}")


def scan(fileobj, *, address: str, timeout: float = 30.0) -> ScanResult:
    """Stream `fileobj` (read from its start) to clamd at `address`."""
    try:
        with _connect(address, timeout) as sock:
            sock.sendall(b"zINSTREAM\0")
            fileobj.seek(0)
            while chunk := fileobj.read(CHUNK_SIZE):
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            answer = _read_answer(sock)
    except OSError as exc:  # refused, unreachable, timed out, reset
        raise ScannerUnavailable(str(exc)) from exc
    finally:
        fileobj.seek(0)
    return parse_answer(answer)


def ping(*, address: str, timeout: float = 5.0) -> bool:
    """Whether clamd answers PING with PONG."""
    try:
        with _connect(address, timeout) as sock:
            sock.sendall(b"zPING\0")
            return _read_answer(sock) == "PONG"
    except (OSError, ScannerUnavailable):
        return False
