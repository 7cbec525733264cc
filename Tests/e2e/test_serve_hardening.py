"""`chancery serve` under load and attack, on loopback only: wrk with concurrent rebuilds, malformed HTTP, slowloris."""
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from conftest import REPO, Served  # noqa: E402

LUA = Path(__file__).with_name("serve_load.lua")


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def get(port: int, path: str = "/", timeout: float = 5) -> int:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        head = sock.recv(65536).decode(errors="replace")
    return int(head.split()[1])


def wrk(port: int, seconds: int) -> dict:
    result = subprocess.run(["wrk", "-t2", "-c64", f"-d{seconds}s", "--timeout", "5s", "-s", str(LUA), f"http://127.0.0.1:{port}/"],
                            capture_output=True, text=True, timeout=seconds + 60)
    text = result.stdout
    checked, bad = map(int, re.search(r"CHECKED (\d+) BAD (\d+)", text).groups())
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    return {"text": text, "checked": checked, "bad": bad, "socket_errors": sum(map(int, errors.groups())) if errors else 0}


def test_load_with_rebuilds_and_attacks():
    served = Served(REPO)
    try:
        port = served.port
        assert get(port) == 200
        stop = threading.Event()
        edits = {"count": 0}

        def keep_editing():
            section = "content/chapter-2/05-russia-central-asia-caucasus.md"
            words = ("the Middle East.", "the Middle East .")
            while not stop.is_set():
                served.edit(section, words[edits["count"] % 2], words[(edits["count"] + 1) % 2])
                edits["count"] += 1
                time.sleep(0.4)

        editor = threading.Thread(target=keep_editing)
        editor.start()
        try:
            first = wrk(port, 10)
            rss_after_first = rss_kb(served.process.pid)
            second = wrk(port, 5)
            rss_after_second = rss_kb(served.process.pid)
        finally:
            stop.set()
            editor.join()
        for run in (first, second):
            assert run["checked"] > 1000, run["text"]
            assert run["bad"] == 0, run["text"]
            assert run["socket_errors"] == 0, run["text"]
        assert edits["count"] >= 10
        assert rss_after_second - rss_after_first < 64 * 1024, (rss_after_first, rss_after_second)

        # Malformed requests get an error or a closed connection, never a dead server.
        attacks = [
            b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n",
            b"BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n",
            b"\x00\x01\x02garbage\r\n\r\n",
            b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        ]
        for attack in attacks:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                try:
                    sock.sendall(attack)
                    sock.recv(4096)
                except OSError:
                    pass
            assert get(port) == 200

        # Slowloris: many connections that never finish their headers do not starve real requests.
        slow = []
        for _ in range(300):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            slow.append(sock)
        began = time.monotonic()
        assert get(port, "/chapter-2/") == 200
        assert time.monotonic() - began < 2
        for sock in slow:
            try:
                sock.sendall(b"X-Slow: 1\r\n")
            except OSError:
                pass
        assert get(port, "/countries/russia/") == 200
        for sock in slow:
            sock.close()
        assert served.process.poll() is None
    finally:
        served.stop()
    assert served.process.returncode == 0
