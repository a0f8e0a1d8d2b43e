#!/usr/bin/env python3
"""The hostile review's attacks, measured against a real hotel-server (issue 14).

    python3 bench/abuse.py target/release/hotel-server

Starts the server on a fresh database in a temporary directory for each attack and prints
what an attacker achieves: guesses checked per throttle window, connections held, the
outcome of a hashing flood, and the server's peak memory. Python's standard library only,
so it runs wherever the server builds; the numbers go into README's security section.
"""

import asyncio
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

PASSWORD = "correct horse"


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class Server:
    def __init__(self, binary, *flags):
        self.dir = tempfile.TemporaryDirectory()
        db = os.path.join(self.dir.name, "hotel.db")
        self.proc = subprocess.Popen(
            [binary, "--listen", "127.0.0.1:0", "--database", f"sqlite://{db}",
             "--log", "error", "--static-dir", self.dir.name, *flags],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        banner = self.proc.stdout.readline()
        host, port = re.search(r"http://([\d.]+):(\d+)/", banner).groups()
        self.host, self.port = host, int(port)

    def stop(self):
        peak = peak_rss_mb(self.proc.pid)
        self.proc.terminate()
        self.proc.wait()
        self.dir.cleanup()
        return peak


async def request(server, method, path, body=None, timeout=60):
    """One request on its own connection: (status, json body)."""
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection(server.host, server.port), timeout)
    try:
        data = json.dumps(body).encode() if body is not None else b""
        head = (f"{method} {path} HTTP/1.1\r\nHost: hotel\r\nConnection: close\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n")
        writer.write(head.encode() + data)
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    status = int(answer.split(b" ", 2)[1])
    payload = answer.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in answer else b"{}"
    try:
        return status, json.loads(payload or b"{}")
    except ValueError:
        return status, {}


async def throttle(binary):
    server = Server(binary)
    try:
        await request(server, "POST", "/register", {"username": "victim", "password": PASSWORD})
        started = time.monotonic()
        guesses = 1500
        semaphore = asyncio.Semaphore(20)

        async def guess(n):
            async with semaphore:
                return (await request(server, "POST", "/login",
                                      {"username": "victim", "password": f"guess {n}"}))[0]

        statuses = await asyncio.gather(*(guess(n) for n in range(guesses)))
        elapsed = time.monotonic() - started
        right = (await request(server, "POST", "/login",
                               {"username": "victim", "password": PASSWORD}))[0]
        print(f"sign-in throttle: {guesses} wrong guesses, 20 at a time, in {elapsed:.1f} s: "
              f"{statuses.count(401)} checked, {statuses.count(429)} refused with 429; "
              f"the right password from the same address then: {right}")
    finally:
        server.stop()


async def connections(binary):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    server = Server(binary, "--header-timeout", "10")
    held = []
    try:
        attempts = min(12000, hard - 200)
        for _ in range(attempts):
            try:
                held.append(await asyncio.open_connection(server.host, server.port))
            except OSError:
                break
        await asyncio.sleep(0.5)
        started = time.monotonic()
        status, body = await request(server, "GET", "/healthz", timeout=10)
        first = time.monotonic() - started
        await asyncio.sleep(11)
        closed = 0
        for reader, _ in held:
            try:
                if await asyncio.wait_for(reader.read(1), 0.01) == b"":
                    closed += 1
            except (asyncio.TimeoutError, ConnectionError):
                pass
        status_after, _ = await request(server, "GET", "/healthz", timeout=10)
        print(f"idle connections: {len(held)} opened and left silent; a new client got "
              f"{status} ({body.get('code', 'ok')}) in {first * 1000:.0f} ms; after the 10 s "
              f"header timeout the server had closed {closed} of them, and a new client got "
              f"{status_after}; server peak memory {peak_rss_mb(server.proc.pid):.0f} MB")
    finally:
        for _, writer in held:
            writer.close()
        server.stop()


async def hashing_flood(binary):
    # Thousands of clients are thousands of addresses; from one address the sign-up limit
    # would stop the flood first, so it is off here to measure the hashing queue itself.
    server = Server(binary, "--signup-rate-limit", "0")
    try:
        clients, per_client = 3000, 2
        started = time.monotonic()

        async def client(c):
            results = []
            for i in range(per_client):
                try:
                    results.append((await request(
                        server, "POST", "/register",
                        {"username": f"flood-{c}-{i}", "password": PASSWORD}))[0])
                except (OSError, asyncio.TimeoutError):
                    results.append("no answer")
            return results

        outcomes = [s for r in await asyncio.gather(*(client(c) for c in range(clients)))
                    for s in r]
        elapsed = time.monotonic() - started
        t = time.monotonic()
        real, _ = await request(server, "POST", "/register",
                                {"username": "real-guest", "password": PASSWORD})
        real_ms = (time.monotonic() - t) * 1000
        counts = {s: outcomes.count(s) for s in sorted(set(outcomes), key=str)}
        print(f"hashing flood: {clients * per_client} sign-ups from {clients} clients answered "
              f"in {elapsed:.1f} s: {counts}; a real sign-up right after: {real} in "
              f"{real_ms:.0f} ms; server peak memory {peak_rss_mb(server.proc.pid):.0f} MB")
    finally:
        server.stop()


async def hoarding(binary):
    server = Server(binary, "--rooms", "200")
    try:
        taken = 0
        refusals = {}
        for n in range(13):
            status, body = await request(server, "POST", "/book", {
                "username": f"hoarder{n}", "password": PASSWORD, "num_rooms": 200})
            if status == 200:
                taken += len(body.get("rooms", []))
            else:
                refusals[body.get("code")] = refusals.get(body.get("code"), 0) + 1
        status, _ = await request(server, "POST", "/book", {
            "username": "real-guest", "password": PASSWORD, "num_rooms": 1})
        print(f"hoarding: 13 anonymous requests for 200 rooms took {taken} room-nights, "
              f"refusals {refusals}; a real guest then got {status}")
    finally:
        server.stop()


async def main(binary):
    await throttle(binary)
    await hoarding(binary)
    await hashing_flood(binary)
    await connections(binary)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    asyncio.run(main(sys.argv[1]))
