#!/usr/bin/env python3
"""The hostile review's attacks, measured against a real hotel-server (issue 14).

    python3 bench/abuse.py target/release/hotel-server [ATTACK ...]

ATTACK is one of throttle, hoarding, flood, connections, feeds, spraying, writes, calendar,
h2idle, h2uploads, uploads, sideports (all of them when none is named).

Starts the server on a fresh database in a temporary directory for each attack and prints
what an attacker achieves: guesses checked per throttle window, connections held, the
outcome of a hashing flood, and the server's peak memory. Python's standard library only,
so it runs wherever the server builds; the numbers go into docs/security.md.
"""

import asyncio
import json
import os
import re
import resource
import ssl
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
    def __init__(self, binary, *flags, tls=False, open_files=None):
        self.dir = tempfile.TemporaryDirectory()
        db = os.path.join(self.dir.name, "hotel.db")
        self.database = f"sqlite://{db}"
        if tls:
            cert, key = (os.path.join(self.dir.name, n) for n in ("cert.pem", "key.pem"))
            subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                            "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=localhost",
                            "-days", "1", "-keyout", key, "-out", cert],
                           check=True, capture_output=True)
            flags = ("--tls-cert", cert, "--tls-key", key, *flags)
        self.proc = subprocess.Popen(
            [binary, "--listen", "127.0.0.1:0", "--database", self.database, "--create",
             "--log", "error", "--static-dir", self.dir.name, *flags],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            preexec_fn=(lambda: resource.setrlimit(resource.RLIMIT_NOFILE,
                                                   (open_files, open_files)))
            if open_files else None)
        banner = self.proc.stdout.readline()
        host, port = re.search(r"https?://([\d.]+):(\d+)/", banner).groups()
        self.host, self.port = host, int(port)

    def stop(self):
        peak = peak_rss_mb(self.proc.pid)
        self.proc.terminate()
        self.proc.wait()
        self.dir.cleanup()
        return peak


async def request(server, method, path, body=None, timeout=60, headers=""):
    """One request on its own connection: (status, json body); status 0 for no answer."""
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection(server.host, server.port), timeout)
    try:
        data = json.dumps(body).encode() if body is not None else b""
        head = (f"{method} {path} HTTP/1.1\r\nHost: hotel\r\nConnection: close\r\n{headers}"
                f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n")
        writer.write(head.encode() + data)
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    if not answer.startswith(b"HTTP/1.1 "):
        return 0, {}
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


async def spraying(binary):
    server = Server(binary, "--signup-rate-limit", "0", "--trusted-proxy", "127.0.0.1")
    try:
        for n in range(100):
            await request(server, "POST", "/register",
                          {"username": f"guest{n}@example.com", "password": PASSWORD})

        async def sign_in(name, address, password="Winter2026!"):
            started = time.monotonic()
            status, _ = await request(server, "POST", "/login",
                                      {"username": name, "password": password},
                                      headers=f"X-Forwarded-For: {address}\r\n")
            return status, (time.monotonic() - started) * 1000

        # Timing, each probe from an address of its own so that no throttle interferes.
        unknown = sorted([(await sign_in(f"nobody{n}@example.com", f"192.0.2.{n}"))[1]
                          for n in range(1, 40)])
        wrong = sorted([(await sign_in(f"guest{n}@example.com", f"198.51.100.{n}"))[1]
                        for n in range(1, 40)])
        # One address sprays a password over 300 names, 100 with accounts, once each.
        semaphore = asyncio.Semaphore(20)

        async def spray(n):
            async with semaphore:
                name = f"guest{n}@example.com" if n < 100 else f"stranger{n}@example.com"
                return (await sign_in(name, "203.0.113.50"))[0]

        started = time.monotonic()
        statuses = await asyncio.gather(*(spray(n) for n in range(300)))
        elapsed = time.monotonic() - started
        print(f"spraying: /login for an unknown name p50 {unknown[len(unknown) // 2]:.0f} ms, "
              f"for a wrong password p50 {wrong[len(wrong) // 2]:.0f} ms; one address trying "
              f"300 names once each (20 at a time, {elapsed:.1f} s): {statuses.count(401)} "
              f"checked, {statuses.count(429)} refused 429, other answers "
              f"{len(statuses) - statuses.count(401) - statuses.count(429)}")
    finally:
        server.stop()


async def connections(binary):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    server = Server(binary, "--header-timeout", "30")
    opened = []
    try:
        attempts = min(12000, hard - 200)
        for _ in range(attempts):
            try:
                opened.append(await asyncio.open_connection(server.host, server.port))
            except OSError:
                break
        await asyncio.sleep(1)

        async def first_bytes(reader):
            try:
                return await asyncio.wait_for(reader.read(12), 0.05)
            except (asyncio.TimeoutError, ConnectionError):
                return None

        # A connection over the cap has its 503 already; one within it hears nothing yet.
        early = await asyncio.gather(*(first_bytes(r) for r, _ in opened))
        refused = sum(1 for b in early if b and b.startswith(b"HTTP/1.1 503"))
        held = [c for c, b in zip(opened, early) if b is None]
        started = time.monotonic()
        status, body = await request(server, "GET", "/healthz", timeout=10)
        first = time.monotonic() - started
        await asyncio.sleep(31)
        closed = sum(1 for b in await asyncio.gather(*(first_bytes(r) for r, _ in held))
                     if b == b"")
        status_after, _ = await request(server, "GET", "/healthz", timeout=10)
        print(f"idle connections: {len(opened)} opened and left silent: {len(held)} held, "
              f"{refused} answered 503 at once; a new client then got {status} "
              f"({body.get('code', 'ok')}) in {first * 1000:.0f} ms; after the 30 s header "
              f"timeout the server had closed {closed} of the {len(held)} held, and a new "
              f"client got {status_after}; server peak memory "
              f"{peak_rss_mb(server.proc.pid):.0f} MB")
    finally:
        for _, writer in opened:
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
    # The server trusts this machine as its proxy, so each request can say which address it
    # comes from: the hoarder's, or a real guest's elsewhere.
    server = Server(binary, "--rooms", "20", "--trusted-proxy", "127.0.0.1")
    attacker = "X-Forwarded-For: 198.51.100.7\r\n"
    try:
        check_in = time.strftime("%Y-%m-%d")
        check_out = time.strftime("%Y-%m-%d", time.localtime(time.time() + 30 * 86400))
        status, body = await request(server, "POST", "/book", headers=attacker, body={
            "username": "greedy", "password": PASSWORD, "num_rooms": 20,
            "check_out": check_out})
        whole = body.get("code", status)
        # New names from one address, each as much as a guest may hold (2 rooms for 30
        # nights), one after another.
        taken, refusals, names = 0, {}, 0
        for n in range(10):
            status, body = await request(server, "POST", "/book", headers=attacker, body={
                "username": f"hoarder{n}", "password": PASSWORD, "num_rooms": 2,
                "check_in": check_in, "check_out": check_out})
            if status == 200:
                names += 1
                taken += 2 * 30
            else:
                refusals[body.get("code")] = refusals.get(body.get("code"), 0) + 1
        status, _ = await request(server, "POST", "/book", {
            "username": "real-guest", "password": PASSWORD, "num_rooms": 1,
            "check_in": check_in, "check_out": check_out},
            headers="X-Forwarded-For: 203.0.113.9\r\n")
        print(f"hoarding (20 rooms, 600 room-nights in the next 30): one request for every "
              f"room for 30 nights: {whole}; 10 new names from one address, 2 rooms x 30 "
              f"nights each: {names} served, {taken} of 600 room-nights taken, refusals "
              f"{refusals}; a real guest elsewhere then booked a room for the month: {status}")
    finally:
        server.stop()


async def writes(binary):
    server = Server(binary)
    try:
        await request(server, "POST", "/book",
                      {"username": "mover", "password": PASSWORD, "num_rooms": 1})
        started = time.monotonic()
        moved = 0
        statuses = {}
        while time.monotonic() - started < 5:
            room = 2 + moved % 2
            status, _ = await request(server, "PUT", "/update",
                                      {"username": "mover", "password": PASSWORD,
                                       "new_room": room})
            statuses[status] = statuses.get(status, 0) + 1
            moved += status == 200
        entries = audit_entries(server)
        # Signing in again and again with the password in the body.
        for _ in range(300):
            await request(server, "POST", "/login",
                          {"username": "mover", "password": PASSWORD})
        sessions = count_rows(server, "sessions")
        print(f"writes: a guest moving one booking back and forth for 5 s: {statuses}; "
              f"{entries} audit entries written in all; then 300 sign-ins: {sessions} "
              f"sessions kept")
    finally:
        server.stop()


def audit_entries(server):
    return count_rows(server, "audit_log")


def count_rows(server, table):
    import sqlite3
    path = server.database.removeprefix("sqlite://")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


async def staff_header(binary, server):
    """Makes a member of staff with `hotel-server staff create` and signs in: the
    `Authorization` header line of the session."""
    subprocess.run([binary, "staff", "create", "clerk"], input="clerk password\n",
                   text=True, check=True, capture_output=True,
                   env={**os.environ, "HOTEL_DATABASE": server.database})
    _, body = await request(server, "POST", "/login",
                            {"username": "clerk", "password": "clerk password"})
    return f"Authorization: Bearer {body['token']}\r\n"


async def calendar(binary):
    server = Server(binary)
    try:
        staff = await staff_header(binary, server)
        before = rss_mb(server.proc.pid)
        answers = []
        plans = [None]
        for plan in range(3):
            _, made = await request(server, "POST", "/staff/rate-plans", headers=staff,
                                    body={"room_type_id": 1, "name": f"Plan {plan}",
                                          "derived_percent": -plan - 1})
            plans.append(made.get("id"))
        for plan_id in plans:
            for first, last in (("1900-01-01", "1900-01-02"), ("9999-12-30", "9999-12-31")):
                body = {"room_type_id": 1, "from": first, "to": last, "min_stay": 2}
                if plan_id is not None:
                    body["rate_plan_id"] = plan_id
                status, answer = await request(server, "PUT", "/staff/rate-calendar",
                                               headers=staff, body=body)
                answers.append(answer.get("code", status))
        # A quote reads the calendar the server keeps in memory.
        today = time.strftime("%Y-%m-%d")
        tomorrow = time.strftime("%Y-%m-%d", time.localtime(time.time() + 86400))
        await request(server, "GET", f"/quote?check_in={today}&check_out={tomorrow}")
        after = rss_mb(server.proc.pid)
        print(f"rates calendar: a night in 1900 and one in 9999 on each of 4 plans: answers "
              f"{answers}; server memory {before:.0f} MB before, {after:.0f} MB after a quote")
    finally:
        server.stop()


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def feeds(binary):
    server = Server(binary, "--rooms", "200", "--signup-rate-limit", "0",
                    "--booking-rate-limit", "0", "--max-room-nights-per-booking", "0",
                    "--max-open-room-nights-per-guest", "0", "--address-share", "0")
    try:
        staff = await staff_header(binary, server)
        # 100 nights of a full hotel: 20,000 stays, a staff feed of several megabytes.
        for day in range(100):
            check_in = time.strftime("%Y-%m-%d", time.localtime(time.time() + day * 86400))
            check_out = time.strftime("%Y-%m-%d",
                                      time.localtime(time.time() + (day + 1) * 86400))
            await request(server, "POST", "/book", {
                "username": f"guest{day}", "password": PASSWORD, "num_rooms": 200,
                "check_in": check_in, "check_out": check_out})

        async def latencies(n):
            times = []
            for _ in range(n):
                t = time.monotonic()
                await request(server, "GET", "/openapi.json")
                times.append((time.monotonic() - t) * 1000)
            return sorted(times)[n // 2]

        quiet = await latencies(200)
        size = len((await raw_get(server, "/calendar.ics", staff)))
        stop = asyncio.Event()

        async def reader():
            while not stop.is_set():
                await raw_get(server, "/calendar.ics", staff)

        readers = [asyncio.create_task(reader()) for _ in range(8)]
        await asyncio.sleep(0.5)
        busy = await latencies(200)
        stop.set()
        await asyncio.gather(*readers)
        print(f"calendar feeds: a staff feed of {size / 1e6:.1f} MB; /openapi.json p50 "
              f"{quiet:.1f} ms alone, {busy:.1f} ms while 8 clients fetch the feed "
              f"without pause")
    finally:
        server.stop()


async def raw_get(server, path, headers):
    reader, writer = await asyncio.open_connection(server.host, server.port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: hotel\r\nConnection: close\r\n{headers}\r\n"
                 .encode())
    await writer.drain()
    answer = await reader.read()
    writer.close()
    return answer


def tls_context(alpn):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.set_alpn_protocols(alpn)
    return context


async def tls_healthz(server, timeout=10):
    """GET /healthz over HTTPS/1.1 on a new connection: (status, milliseconds); 0 if none."""
    started = time.monotonic()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(
            server.host, server.port, ssl=tls_context(["http/1.1"])), timeout)
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: hotel\r\nConnection: close\r\n\r\n")
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), timeout)
        writer.close()
        status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0
    except (OSError, asyncio.TimeoutError, ssl.SSLError):
        status = 0
    return status, (time.monotonic() - started) * 1000


class H2:
    """Just enough HTTP/2 to hold connections and streams open as an attacker does: it
    answers the server's SETTINGS and PINGs (so keep-alive pings alone never close it),
    opens streams, and sends parts of bodies."""

    def __init__(self, reader, writer):
        self.reader, self.writer, self.next_stream = reader, writer, 1
        self.closed = asyncio.Event()
        self.task = asyncio.create_task(self.answer())

    @classmethod
    async def open(cls, server):
        reader, writer = await asyncio.open_connection(server.host, server.port,
                                                       ssl=tls_context(["h2"]))
        writer.write(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + frame(4, 0, 0))
        await writer.drain()
        return cls(reader, writer)

    async def answer(self):
        try:
            while True:
                head = await self.reader.readexactly(9)
                length, kind, flags = int.from_bytes(head[:3], "big"), head[3], head[4]
                payload = await self.reader.readexactly(length)
                if kind == 4 and not flags & 1:
                    self.writer.write(frame(4, 1, 0))
                elif kind == 6 and not flags & 1:
                    self.writer.write(frame(6, 1, 0, payload))
                elif kind == 7:
                    break
        except (OSError, asyncio.IncompleteReadError, ssl.SSLError):
            pass
        self.closed.set()

    def upload(self, path, length, part):
        """Opens a stream announcing a body of `length` bytes and sends `part` of them."""
        stream, self.next_stream = self.next_stream, self.next_stream + 2
        headers = b"".join(literal(n, v) for n, v in (
            (b":method", b"POST"), (b":scheme", b"https"), (b":path", path),
            (b":authority", b"localhost"), (b"content-type", b"application/json"),
            (b"content-length", str(length).encode())))
        self.writer.write(frame(1, 4, stream, headers) + frame(0, 0, stream, b" " * part))

    def close(self):
        self.task.cancel()
        self.writer.close()


def frame(kind, flags, stream, payload=b""):
    return len(payload).to_bytes(3, "big") + bytes([kind, flags]) + stream.to_bytes(4, "big") \
        + payload


def literal(name, value):
    """An HPACK header field without indexing, neither name nor value Huffman-coded."""
    return b"\x00" + bytes([len(name)]) + name + bytes([len(value)]) + value


async def h2_idle(binary):
    server = Server(binary, "--max-connections", "300", tls=True)
    held = []
    try:
        for _ in range(300):
            held.append(await H2.open(server))
        await asyncio.sleep(1)
        started, tries = time.monotonic(), 0
        status = 0
        while status != 200 and time.monotonic() - started < 60:
            status, _ = await tls_healthz(server, timeout=3)
            tries += 1
        served_after = time.monotonic() - started
        await asyncio.sleep(12)
        closed = sum(1 for c in held if c.closed.is_set())
        print(f"idle HTTP/2: 300 connections opened (the cap) and left idle, answering pings: "
              f"a new HTTPS client was served ({status}) {served_after:.2f} s after its first "
              f"try ({tries} tries); 12 s later {closed} of the 300 had been closed by the "
              f"server; server peak memory {peak_rss_mb(server.proc.pid):.0f} MB")
    finally:
        for c in held:
            c.close()
        server.stop()


async def h2_uploads(binary):
    server = Server(binary, tls=True)
    held = []
    try:
        for _ in range(160):
            connection = await H2.open(server)
            for _ in range(200):
                connection.upload(b"/register", 64 * 1024, 16 * 1024)
            held.append(connection)
        await asyncio.sleep(2)
        status, ms = await tls_healthz(server)
        await asyncio.sleep(3)
        print(f"HTTP/2 uploads: 160 connections x 200 unfinished 64 KB uploads (16 KB sent of "
              f"each, pings answered): a new HTTPS client got {status} in {ms:.0f} ms; server "
              f"peak memory {peak_rss_mb(server.proc.pid):.0f} MB")
    finally:
        for c in held:
            c.close()
        server.stop()


async def uploads(binary):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    server = Server(binary)
    held = []
    try:
        head = (b"POST /register HTTP/1.1\r\nHost: hotel\r\nContent-Type: application/json\r\n"
                b"Content-Length: 65536\r\n\r\n")
        for _ in range(9500):
            try:
                reader, writer = await asyncio.open_connection(server.host, server.port)
            except OSError:
                break
            writer.write(head + b" " * 60000)
            held.append((reader, writer))
        await asyncio.sleep(2)
        started = time.monotonic()
        status, _ = await request(server, "GET", "/healthz", timeout=10)
        ms = (time.monotonic() - started) * 1000
        refused = 0
        for reader, _ in held:
            try:
                first = await asyncio.wait_for(reader.read(12), 0.001)
            except (asyncio.TimeoutError, ConnectionError):
                first = None
            refused += bool(first and first.startswith(b"HTTP/1.1 503"))
        print(f"HTTP/1.1 uploads: {len(held)} connections each sending 60 KB of a 64 KB body "
              f"and stopping: {refused} refused 503 busy at once, the rest held until the "
              f"body timeout; a new client got {status} in {ms:.0f} ms; server peak memory "
              f"{peak_rss_mb(server.proc.pid):.0f} MB")
    finally:
        for _, writer in held:
            writer.close()
        server.stop()


async def side_ports(binary):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    redirect = f"127.0.0.1:{free_port()}"
    # A server allowed 4,096 open files, so that the flood can reach its limit.
    server = Server(binary, "--redirect-http", redirect, tls=True, open_files=4096)
    held = []
    try:
        host, port = redirect.split(":")
        for _ in range(6000):
            try:
                held.append(await asyncio.open_connection(host, int(port)))
            except OSError:
                break
        await asyncio.sleep(1)
        status, ms = await tls_healthz(server)
        await asyncio.sleep(11)
        still = 0
        for reader, _ in held:
            try:
                still += await asyncio.wait_for(reader.read(1), 0.001) != b""
            except asyncio.TimeoutError:
                still += 1
            except ConnectionError:
                pass
        print(f"side ports (server limited to 4,096 open files): {len(held)} idle "
              f"connections to the HTTP redirect port: the "
              f"HTTPS port then answered /healthz {status} in {ms:.0f} ms; 11 s later "
              f"{still} of them were still open; server peak memory "
              f"{peak_rss_mb(server.proc.pid):.0f} MB")
    finally:
        for _, writer in held:
            writer.close()
        server.stop()


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


ATTACKS = {"throttle": throttle, "hoarding": hoarding, "flood": hashing_flood,
           "connections": connections, "feeds": feeds, "spraying": spraying, "writes": writes,
           "calendar": calendar, "h2idle": h2_idle,
           "h2uploads": h2_uploads, "uploads": uploads, "sideports": side_ports}


async def main(binary, names):
    for name in names or ATTACKS:
        await ATTACKS[name](binary)


if __name__ == "__main__":
    if len(sys.argv) < 2 or any(a not in ATTACKS for a in sys.argv[2:]):
        sys.exit(__doc__ + "\nattacks: " + ", ".join(ATTACKS))
    asyncio.run(main(sys.argv[1], sys.argv[2:]))
