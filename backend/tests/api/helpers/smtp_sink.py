"""The tests' mail server: aiosmtpd on 127.0.0.1, writing each message it takes into a folder
as JSON (the envelope, the headers decoded, the plain and HTML bodies, the attachments, and
each calendar entry read back with the icalendar package), beside the raw message.

A recipient whose mailbox starts with `refuse` is refused for good (550), one that starts with
`later` for now (451), as real servers do.

    python smtp_sink.py DIR PORT [starttls|tls CERT KEY]

PORT 0 takes any free port (it prints "listening PORT"). With `starttls` the server insists on
STARTTLS, with `tls` it speaks TLS from the first byte, in both cases with the certificate and
key given, and takes mail only after AUTH as "desk" with the password "s3cret". Each message
records whether it came over TLS and who signed in.
"""

import asyncio
import email
import email.policy
import json
import os
import subprocess
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
import icalendar
import ssl


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
        transport = server.transport
        record = {
            "secure": server._tls_protocol is not None
            or (transport is not None and transport.get_extra_info("sslcontext") is not None),
            "signed_in_as": session.auth_data.login.decode()
            if session.authenticated and isinstance(session.auth_data, LoginPassword)
            else "",
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


def desk_only(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == b"desk"
        and auth_data.password == b"s3cret"
    )
    return AuthResult(success=ok, auth_data=auth_data)


async def main():
    folder, port = sys.argv[1], int(sys.argv[2])
    mode = sys.argv[3] if len(sys.argv) > 3 else ""
    context = None
    if mode:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(sys.argv[4], sys.argv[5])
    os.makedirs(folder, exist_ok=True)
    sink = Sink(folder)
    loop = asyncio.get_running_loop()

    def session():
        options = {"hostname": "sink.test", "data_size_limit": 10_000_000}
        if mode == "starttls":
            options.update(
                tls_context=context,
                require_starttls=True,
                authenticator=desk_only,
                auth_required=True,
            )
        elif mode == "tls":
            # TLS from the first byte: aiosmtpd's check for STARTTLS does not apply.
            options.update(
                authenticator=desk_only, auth_required=True, auth_require_tls=False
            )
        return SMTP(sink, **options)

    server = await loop.create_server(
        session, "127.0.0.1", port, ssl=context if mode == "tls" else None
    )
    print("listening %d" % server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
