"""Real calls with the Python client openapi-python-client generated from the spec.

Run by .ci/publish-check.sh against the fake Stamps server, with its STAMPS_* lines
in the environment. Exits non-zero, saying what was wrong, if a call fails or its
decoded answer is not what the server must have sent.
"""

import datetime
import os
import random
import sys

import httpx

from stamps_api_client import AuthenticatedClient
from stamps_api_client.api.balances import credit_balance
from stamps_api_client.api.memberships import (
    get_full_profile,
    get_member_details,
    register_member,
)
from stamps_api_client.models import (
    BalanceUpdateRequest,
    BalanceUpdateResult,
    ErrorBody,
    FullProfile,
    Gender,
    MemberDetails,
    RegisterMemberRequest,
    User,
)

failures = []


def check(ok: bool, what: str, got: object = None) -> None:
    """Records a check; what was decoded is shown when it fails."""
    print(("ok   " if ok else "FAIL ") + what + ("" if ok or got is None else f": got {got!r}"))
    if not ok:
        failures.append(what)


def env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        sys.exit(f"error: {name} is not set (run by .ci/publish-check.sh)")
    return value


base_url = env("STAMPS_BASE_URL")
token = env("STAMPS_TOKEN")
merchant = int(env("STAMPS_MERCHANT"))
user = env("STAMPS_USER")

# The credential in the Authorization header, as `Token <key>`.
client = AuthenticatedClient(
    base_url=base_url, token=token, prefix="Token", raise_on_unexpected_status=True
)

# GET: the credential in the header only, as every page now shows it.
details = get_member_details.sync(client=client, user=user, merchant=merchant)
check(isinstance(details, MemberDetails), "get_member_details decodes", details)
assert isinstance(details, MemberDetails)
check(
    isinstance(details.user, User) and details.user.email == user,
    f"get_member_details: user.email is {user}",
    details.user,
)
balance = details.membership.balance if details.membership else None
check(isinstance(balance, int), f"get_member_details: membership.balance is {balance!r}", details)
assert isinstance(balance, int)

# POST: the credential in the header only.
credited = credit_balance.sync(
    client=client,
    body=BalanceUpdateRequest(user=user, amount=250, merchant=merchant, store=1),
)
check(isinstance(credited, BalanceUpdateResult), "credit_balance decodes", credited)
assert isinstance(credited, BalanceUpdateResult)
check(
    bool(credited.customer) and credited.customer.balance == balance + 250,
    f"credit_balance: balance {balance} + 250 = {balance + 250}",
    credited,
)

# A v2 POST, then a GET of what it created.
email = f"py-{random.randrange(10**9)}@example.com"
mobile = f"+62812{random.randrange(10**7):07d}"
registered = register_member.sync(
    client=client,
    body=RegisterMemberRequest(
        merchant=merchant,
        name="Python Check",
        email=email,
        mobile_number=mobile,
        birthday=datetime.date(1991, 10, 19),
        gender=Gender.FEMALE,
        store=1,
    ),
)
check(isinstance(registered, User), "register_member decodes", registered)
check(
    isinstance(registered, User) and registered.email == email,
    f"register_member: email is {email}",
    registered,
)
profile = get_full_profile.sync(client=client, user=email)
check(isinstance(profile, FullProfile), "get_full_profile decodes", profile)
check(
    isinstance(profile, FullProfile)
    and isinstance(profile.user, User)
    and profile.user.name == "Python Check",
    "get_full_profile: the registered member's name",
    profile,
)

# A wrong key: 401 with the documented error body.
wrong = AuthenticatedClient(base_url=base_url, token="wrong", prefix="Token")
refused = get_member_details.sync_detailed(client=wrong, user=user, merchant=merchant)
check(
    refused.status_code == 401
    and isinstance(refused.parsed, ErrorBody)
    and refused.parsed.detail == "Invalid token",
    "a wrong key gets 401 Invalid token",
    (refused.status_code, refused.parsed),
)

# An HTML error page, as Stamps answers most 5xx (the spec's `ServerError` response):
# the client must give back the status, not crash decoding the page as JSON. The fake
# server answers HTML only on undocumented paths, so the page comes from a mock
# transport.
def html_error_page(request: httpx.Request) -> httpx.Response:
    page = "<html><body><h1>Server Error (500)</h1></body></html>"
    return httpx.Response(500, headers={"Content-Type": "text/html"}, text=page)


mocked = AuthenticatedClient(base_url=base_url, token=token, prefix="Token")
mocked.set_httpx_client(
    httpx.Client(base_url=base_url, transport=httpx.MockTransport(html_error_page))
)
try:
    page = credit_balance.sync_detailed(
        client=mocked,
        body=BalanceUpdateRequest(user=user, amount=1, merchant=merchant, store=1),
    )
    check(page.status_code == 500, "an HTML 500 page comes back as status 500", page)
except Exception as error:  # the generated code decoding HTML as JSON
    check(
        False,
        "an HTML 500 page comes back as status 500, "
        f"not {type(error).__module__}.{type(error).__name__}: {error}",
    )

if failures:
    sys.exit(f"python: {len(failures)} check(s) failed")
print("python: all checks passed")
