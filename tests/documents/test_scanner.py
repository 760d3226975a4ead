"""The clamd client against a real clamd (scripts/test-services.sh starts one
with a single test signature for the EICAR string; TEST_CLAMD_ADDRESS)."""

import io
import os
import socket
import threading

import pytest

from apps.documents import scanner
from tests.documents.conftest import EICAR, PDF_BYTES


@pytest.fixture
def clamd_address():
    address = os.environ.get("TEST_CLAMD_ADDRESS")
    if not address:
        pytest.fail(
            "TEST_CLAMD_ADDRESS is not set: start the test services with "
            "scripts/test-services.sh start (it starts clamd) and load its env"
        )
    if not scanner.ping(address=address):
        pytest.fail(f"clamd does not answer at {address}: restart scripts/test-services.sh")
    return address


def test_a_clean_file_is_clean(clamd_address):
    assert scanner.scan(io.BytesIO(PDF_BYTES), address=clamd_address) == scanner.ScanResult(
        infected=False
    )


def test_eicar_is_found_by_name(clamd_address):
    result = scanner.scan(io.BytesIO(PDF_BYTES + EICAR + b"\n%%EOF"), address=clamd_address)
    assert result.infected
    assert "EICAR" in result.signature


def test_a_large_file_is_streamed_in_chunks(clamd_address):
    data = PDF_BYTES + b"0" * (3 * scanner.CHUNK_SIZE + 17) + EICAR
    assert scanner.scan(io.BytesIO(data), address=clamd_address).infected


def test_nobody_listening_is_unavailable():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(scanner.ScannerUnavailable):
        scanner.scan(io.BytesIO(b"x"), address=f"tcp://127.0.0.1:{port}", timeout=2)


def test_a_garbled_answer_is_unavailable():
    """A server that answers something else than clamd would: not "clean"."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]

    def answer():
        conn, _ = server.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"INSTREAM size limit exceeded. ERROR\0")
        server.close()

    threading.Thread(target=answer, daemon=True).start()
    with pytest.raises(scanner.ScannerUnavailable):
        scanner.scan(io.BytesIO(b"x"), address=f"tcp://127.0.0.1:{port}", timeout=5)


def test_a_unix_socket_address_is_understood(tmp_path):
    with pytest.raises(scanner.ScannerUnavailable):
        scanner.scan(io.BytesIO(b"x"), address=f"unix://{tmp_path}/clamd.ctl", timeout=1)


@pytest.mark.parametrize(
    ("answer", "infected"),
    [("stream: OK", False), ("stream: Win.Test.EICAR_HDB-1 FOUND", True)],
)
def test_answers_are_parsed(answer, infected):
    assert scanner.parse_answer(answer).infected is infected
