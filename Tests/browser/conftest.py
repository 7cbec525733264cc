"""Shared set-up for the real-browser tests: a headless Chromium and a running `chancery serve`."""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

REPO = Path(__file__).resolve().parents[2]
CHANCERY = REPO / ".build" / "debug" / "chancery"
ARTEFACTS = REPO / ".build" / "browser-artefacts"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    """`chancery serve` on a copy of a site, in a temporary folder."""

    def __init__(self, source: Path):
        self.site = Path(tempfile.mkdtemp(prefix="chancery-browser-")) / "site"
        shutil.copytree(source, self.site, ignore=shutil.ignore_patterns("public", ".build*", "Sources", "Tests", "bench"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(self.site.parent / "serve.log", "w+")
        self.process = subprocess.Popen([str(CHANCERY), "serve", "--site", str(self.site), "--port", str(self.port)],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            self.log.seek(0)
            # The port is bound before the first build; pages are there once it is built.
            if "Built in" in self.log.read():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self.log.seek(0)
        raise RuntimeError("chancery serve did not start:\n" + self.log.read())

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.site / relative
        text = path.read_text()
        assert old in text, f"{relative} has no {old!r}"
        path.write_text(text.replace(old, new))

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=15)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            shutil.rmtree(self.site.parent, ignore_errors=True)


@pytest.fixture
def browser():
    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1600"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def console_errors(driver) -> list:
    """Severe messages in the browser console since the last call (live-reload connection resets excluded)."""
    return [entry for entry in driver.get_log("browser")
            if entry["level"] == "SEVERE" and "__chancery/events" not in entry["message"]]
