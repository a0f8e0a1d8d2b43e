"""The tests' mail server: aiosmtpd on 127.0.0.1, writing each message it takes into a folder
as JSON (the envelope, the headers decoded, the plain and HTML bodies, the attachments, and
each calendar entry read back with the icalendar package), beside the raw message.

A recipient whose mailbox starts with `refuse` is refused for good (550), one that starts with
`later` for now (451), as real servers do.

    python smtp_sink.py DIR PORT      (PORT 0: any free port; prints "listening PORT")
"""

import asyncio
import email
import email.policy
import json
import os
import subprocess
import sys

from aiosmtpd.smtp import SMTP
import icalendar


def pdf_text(content):
    """The PDF's text as poppler's pdftotext reads it (layout kept), or why it could not."""
    try:
        done = subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
            input=content,
            capture_output=True,
            timeout=30,
        )
    except OSError as e:
        return "pdftotext failed: %s" % e
    if done.returncode != 0:
        return "pdftotext failed: %s" % done.stderr.decode("utf-8", "replace")
    return done.stdout.decode("utf-8", "replace")


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.count = len([n for n in os.listdir(folder) if n.endswith(".json")])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        box = address.split("@")[0].lower()
        if box.startswith("refuse"):
            return "550 5.1.1 No such mailbox here"
        if box.startswith("later"):
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "subject": str(message.get("Subject", "")),
            "from": str(message.get("From", "")),
            "to": str(message.get("To", "")),
            "message_id": str(message.get("Message-ID", "")),
            "header_names": [name for name in message.keys()],
            "text": "",
            "html": "",
            "attachments": [],
            "calendar": [],
            "raw": raw.decode("utf-8", "replace"),
        }
        plain = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        record["text"] = plain.get_content() if plain else ""
        record["html"] = html.get_content() if html else ""
        for part in message.iter_attachments():
            content = part.get_payload(decode=True) or b""
            attached = {
                "filename": part.get_filename() or "",
                "content_type": part.get_content_type(),
                "size": len(content),
            }
            if part.get_content_type() == "application/pdf":
                attached["text"] = pdf_text(content)
            record["attachments"].append(attached)
            if part.get_content_type() == "text/calendar":
                calendar = icalendar.Calendar.from_ical(content)
                for event in calendar.walk("VEVENT"):
                    record["calendar"].append(
                        {
                            "uid": str(event.get("UID")),
                            "summary": str(event.get("SUMMARY")),
                            "status": str(event.get("STATUS", "")),
                            "start": event.decoded("DTSTART").isoformat(),
                            "end": event.decoded("DTEND").isoformat(),
                            "method": str(calendar.get("METHOD", "")),
                        }
                    )
        self.count += 1
        name = os.path.join(self.folder, "%06d.json" % self.count)
        with open(name + ".partial", "w") as out:
            json.dump(record, out)
        os.rename(name + ".partial", name)
        return "250 Message accepted for delivery"


async def main():
    folder, port = sys.argv[1], int(sys.argv[2])
    os.makedirs(folder, exist_ok=True)
    sink = Sink(folder)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(sink, hostname="sink.test", data_size_limit=10_000_000),
        "127.0.0.1",
        port,
    )
    print("listening %d" % server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
