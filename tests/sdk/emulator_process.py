"""Starts `outrig emulator` on a free port for a test and stops it afterwards."""
import os
import pathlib
import re
import subprocess
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]


def outrig_binary():
    target = os.environ.get("CARGO_TARGET_DIR", str(pathlib.Path.home() / ".cache/outrig/target"))
    return os.environ.get("OUTRIG_BIN", str(pathlib.Path(target) / "debug" / "outrig"))


class Emulator:
    """`with Emulator("--api-key", "k") as emu: emu.base_url`"""

    def __init__(self, *args, db=":memory:"):
        self.args = ["--addr", "127.0.0.1:0", "--db", str(db), *args]

    def __enter__(self):
        self.process = subprocess.Popen(
            [outrig_binary(), "emulator", *self.args],
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            match = re.search(r"outrig emulator on (http://\S+)", line)
            if match:
                self.base_url = match.group(1)
                # Keep draining the log so the server never blocks on a full pipe.
                threading.Thread(target=self.process.stderr.read, daemon=True).start()
                return self
            if not line and self.process.poll() is not None:
                break
        self.process.kill()
        raise RuntimeError("the emulator did not start")

    def __exit__(self, *exc):
        self.process.kill()
        self.process.wait()
        self.process.stderr.close()
