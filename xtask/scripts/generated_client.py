"""Runs a booking through a client that openapi-python-client generated from the server's own
/openapi.json: every operation must have been generated, and the client must book.

Usage: generated_client.py DOCUMENT CLIENT_DIR BASE_URL
"""

import json
import pathlib
import sys

document, client_dir, base = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3]

operations = sum(
    1
    for item in json.loads(pathlib.Path(document).read_text())["paths"].values()
    for method in item
    if method in ("get", "put", "post", "delete", "patch")
)
generated = sum(
    1 for f in (client_dir / "hotel_client" / "api").glob("*/*.py") if f.name != "__init__.py"
)
if generated != operations:
    sys.exit(f"the generated client has {generated} of the {operations} operations")

sys.path.insert(0, str(client_dir))
from hotel_client import AuthenticatedClient, Client  # noqa: E402
from hotel_client.api.accounts import login, register_account  # noqa: E402
from hotel_client.api.bookings import book, get_bookings  # noqa: E402
from hotel_client.models import BookRequest, Credentials, Registration  # noqa: E402

anonymous = Client(base_url=base)
made = register_account.sync(
    client=anonymous,
    body=Registration(username="generated-client", password="generated client password"),
)
signed = login.sync(
    client=anonymous,
    body=Credentials(username="generated-client", password="generated client password"),
)
token = getattr(signed, "token", None)
if not token:
    sys.exit(f"no sign-in: {made!r} {signed!r}")
guest = AuthenticatedClient(base_url=base, token=token)
booked = book.sync(client=guest, body=BookRequest(num_rooms=1))
if not getattr(booked, "bookings", None):
    sys.exit(f"no booking: {booked!r}")
listed = get_bookings.sync(client=guest)
ids = [b.id for b in getattr(listed, "bookings", [])]
if ids != [booked.bookings[0].id]:
    sys.exit(f"the booking is not listed: {ids}")
print(f"generated client: {generated} operations; booked room {booked.bookings[0].room_number}")
