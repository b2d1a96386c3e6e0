#!/usr/bin/env python3
"""Writes vectors.json: webhook bodies and signatures computed with the KLG page's own
Python function ("10. Webhook Security"), copied below verbatim.

`request.data` is what Django REST framework's JSON parser gives the page's view:
`json.loads` of the body decoded as UTF-8, refusing `NaN` and `Infinity`. A body it
cannot parse gets no `request.data`, so the recipe never accepts it.

    python3 tests/data/webhooks/make_vectors.py           # rewrite vectors.json
    python3 tests/data/webhooks/make_vectors.py --check   # fail if it is stale (CI)

The Rust side (tests/webhooks.rs) checks that `stamps::webhook::verify` accepts exactly
the vectors marked `"accepted": true`, and writes the same `signed_payload`.
"""

import hashlib
import hmac
import json
import random
import struct
import sys
from pathlib import Path


# --- The docs' function, verbatim ---------------------------------------------------


def verify_signature(request) -> bool:
    minified_payload = json.dumps(request.data, separators=[",", ":"])
    signed_payload = hmac.new("your_secret_key".encode(), minified_payload.encode(), hashlib.sha256)
    signature = request.headers["X-Stamps-Signature"]
    return hmac.compare_digest(signature, signed_payload.hexdigest())


# --- Around it ------------------------------------------------------------------------

SECRET = "your_secret_key"


class NotJson(Exception):
    pass


def parse(body: bytes):
    """Django REST framework's JSONParser (strict): UTF-8, no NaN or Infinity."""

    def refuse(constant):
        raise NotJson(f"{constant} is not JSON")

    try:
        return json.loads(body.decode("utf-8"), parse_constant=refuse)
    except (UnicodeDecodeError, ValueError, NotJson) as e:
        raise NotJson(str(e)) from e


class Request:
    def __init__(self, body: bytes, signature: str):
        self.data = parse(body)
        self.headers = {"X-Stamps-Signature": signature}


def minified(body: bytes) -> str:
    """The first line of the docs' function."""
    return json.dumps(parse(body), separators=[",", ":"])


def sign(body: bytes, secret: str = SECRET) -> str:
    """The second line of the docs' function, with any secret."""
    return hmac.new(secret.encode(), minified(body).encode(), hashlib.sha256).hexdigest()


def accepted(body: bytes, signature: str) -> bool:
    try:
        request = Request(body, signature)
    except NotJson:
        return False
    try:
        return verify_signature(request)
    except TypeError:  # compare_digest refuses non-ASCII text
        return False


DOCS_EXAMPLE = """\
{
    "from": "test@gmail.com",
    "to": "test2@gmail.com",
    "membership": {
        "level": 0,
        "level_text": "Silver",
        "stamps": 0,
        "balance": 0,
        "is_blocked": false,
        "referral_code": "KKJ21",
        "start_date": "2023-02-13",
        "created": "2023-02-13",
        "status": "Active",
        "primary_card": {
            "id": 3713,
            "number": "RRR123456",
            "is_active": true,
            "activated_time": null
        }
    },
    "user": {
        "id": 2824,
        "name": "test",
        "gender": "f",
        "is_active": true,
        "email": "test2@gmail.com",
        "birthday": null,
        "picture_url": null,
        "phone": "+6287876544322",
        "has_incorrect_email": false,
        "has_incorrect_phone": false,
        "has_incorrect_wa_number": false,
        "phone_is_verified": true,
        "email_is_verified": true,
        "referral_code": "TESTXYZ",
        "registration_status": "Full",
        "member_ids": [
            "RRR123456"
        ]
    }
}
"""


def random_floats(count: int, seed: int):
    rng = random.Random(seed)
    floats = []
    while len(floats) < count:
        x = rng.choice(
            [
                lambda: rng.uniform(-1e6, 1e6),
                lambda: rng.uniform(0, 1) * 10 ** rng.randint(-30, 30),
                lambda: int.from_bytes(rng.randbytes(8), "little"),
            ]
        )()
        if isinstance(x, int):  # raw bits: any finite double, subnormals too
            x = struct.unpack("<d", x.to_bytes(8, "little"))[0]
        if x == x and x not in (float("inf"), float("-inf")):
            floats.append(x)
    return floats


def genuine():
    """(name, body) pairs: each is signed with SECRET and must be accepted."""
    compact = json.dumps(json.loads(DOCS_EXAMPLE), separators=(",", ":"))
    floats = random_floats(300, 28)
    yield "docs example, pretty-printed as on the page", DOCS_EXAMPLE
    yield "docs example, compact", compact
    yield "docs example, spaced as json.dumps writes it", json.dumps(json.loads(DOCS_EXAMPLE))
    yield "docs example, tabs and CRLF", DOCS_EXAMPLE.replace("    ", "\t").replace("\n", "\r\n")
    yield "key order kept, not sorted", '{"to": "b", "from": "a", "z": {"b": 1, "a": [2, {"d": 3, "c": 4}]}}'
    yield "a repeated key keeps its first place and its last value", '{"a": 1, "b": 2, "a": 3}'
    yield "a repeated key spelled with an escape", '{"a": 1, "b": 2, "\\u0061": {"x": 1, "x": 2}}'
    yield "spaces inside strings", '{"name": "  Alice   Tan ", "note": " a , b : c { } [ ] "}'
    yield "accents and emoji", '{"name": "José Müller", "city": "Zürich", "emoji": "🎉👍🏽", "cjk": "東京", "rtl": "مرحبا"}'
    yield "accents already escaped, in either case", '{"name": "Jos\\u00e9", "upper": "Jos\\u00E9", "pair": "\\uD83C\\uDF89"}'
    yield "escapes", '{"s": "quote \\" backslash \\\\ slash / \\/ tab \\t nl \\n cr \\r bs \\b ff \\f"}'
    yield "control characters and others escaped", '{"s": "nul \\u0000 us \\u001f del \\u007f nbsp \\u00a0 ls \\u2028 bom \\ufeff", "a": "\\u0041\\u007e"}'
    yield "raw DEL and non-characters", '{"s": "del \x7f nbsp \u00a0 ls \u2028 bom \ufeff max \U0010ffff"}'
    yield "a lone surrogate escape", '{"lone": "\\ud800", "low": "\\udc00x", "reversed": "\\udc00\\ud800"}'
    yield "floats Python writes with an exponent", '{"a": 1e-05, "b": 1e16, "c": 1.5e-7, "d": 1.5e300, "e": 2E+22, "f": 0.00001234, "g": 5e-324}'
    yield "floats Python writes without one", '{"a": 100.0, "b": 1E2, "c": 0.0001, "d": 1e15, "e": 123456789012345.6, "f": 0.1, "g": 1.10}'
    yield "zeros and negative zero", '{"a": -0.0, "b": 0.0, "c": -0, "d": 0, "e": 0e0, "f": -0E-0}'
    yield "floats beyond f64 and below it", '{"inf": 1e400, "minus_inf": -1e400, "tiny": 1e-400, "minus_tiny": -1e-400, "huge_exponent": 1e99999999999999999999}'
    yield "floats with more digits than needed", '{"a": 0.10000000000000000555, "b": 1.00000000000000000001, "c": 9007199254740993.0}'
    yield "random floats, as Python writes them", json.dumps(floats)
    yield "random floats, with 17 significant digits", "[" + ", ".join("%.17g" % x for x in floats) + "]"
    yield "large integers", '{"u64_max": 18446744073709551615, "beyond": 18446744073709551616, "big": 123456789012345678901234567890, "neg": -98765432109876543210, "i64_min": -9223372036854775808}'
    yield "an integer of 4300 digits", '{"n": ' + "9" * 4300 + "}"
    yield "an empty object, array and string", '{"o": {}, "a": [], "s": "", "n": null, "t": true, "f": false}'
    yield "a top-level array", '[1, "x", null]'
    yield "a top-level string", '"Jos\u00e9"'
    yield "a top-level number", " 42 "


def refused():
    """(name, body, signature) triples the recipe refuses."""
    docs = DOCS_EXAMPLE
    good = sign(docs.encode())
    yield "a tampered value", docs.replace('"level": 0', '"level": 1'), good
    yield "a tampered string, one space added", docs.replace('"name": "test"', '"name": "test "'), good
    yield "keys reordered", '{"b": 1, "a": 2}', sign(b'{"a": 2, "b": 1}')
    yield "a float written as an integer", '{"a": 100}', sign(b'{"a": 100.0}')
    yield "a wrong secret", docs, sign(docs.encode(), "another_secret")
    yield "an empty signature", docs, ""
    yield "a truncated signature", docs, good[:-1]
    yield "a signature one character too long", docs, good + "0"
    yield "a non-hex signature", docs, "g" * 64
    yield "a signature in uppercase", docs, good.upper()
    yield "a signature with a space", docs, " " + good[1:]
    yield "a signature of another body", '{"a": 1}', good
    yield "a body that is not JSON", "{not json}", good
    yield "an empty body", "", good
    yield "a truncated body", docs[: len(docs) // 2], good
    yield "a body with a trailing comma", '{"a": 1,}', sign(b'{"a": 1}')
    yield "a body with NaN", '{"a": NaN}', good
    yield "a body with Infinity", '{"a": Infinity}', good
    yield "a body with a raw newline in a string", '{"a": "x\ny"}', sign(b'{"a": "x\\ny"}')
    yield "a body with a leading zero", '{"a": 01}', sign(b'{"a": 1}')
    yield "a body with extra data", '{"a": 1} {"b": 2}', sign(b'{"a": 1}')
    yield "a body with single quotes", "{'a': 1}", sign(b'{"a": 1}')
    yield "an integer of 4301 digits", '{"n": ' + "9" * 4301 + "}", good


def vectors():
    out = []
    for name, body in genuine():
        raw = body.encode()
        signature = sign(raw)
        assert accepted(raw, signature), name
        out.append(
            {
                "name": name,
                "body": body,
                "signature": signature,
                "accepted": True,
                "signed_payload": minified(raw),
            }
        )
    for name, body, signature in refused():
        assert not accepted(body.encode(), signature), name
        out.append({"name": name, "body": body, "signature": signature, "accepted": False})
    # A body that is not UTF-8 cannot be a JSON string of this file: it is in hex.
    latin1 = '{"name": "Jos\xe9"}'.encode("latin-1")
    assert not accepted(latin1, sign(b'{"name": "Jos\\u00e9"}'))
    out.append(
        {
            "name": "a body in Latin-1, not UTF-8",
            "body_hex": latin1.hex(),
            "signature": sign(b'{"name": "Jos\\u00e9"}'),
            "accepted": False,
        }
    )
    return {
        "secret": SECRET,
        "generated_by": "tests/data/webhooks/make_vectors.py, with Python " + sys.version.split()[0],
        "vectors": out,
    }


def main():
    path = Path(__file__).with_name("vectors.json")
    data = vectors()
    text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    if "--check" in sys.argv:
        old = json.loads(path.read_text(encoding="utf-8"))
        old.pop("generated_by", None)
        data.pop("generated_by")
        if old != data:
            sys.exit(f"{path} is stale: run python3 {sys.argv[0]}")
        print(f"{path}: {len(data['vectors'])} vectors, up to date")
        return
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}: {len(data['vectors'])} vectors")


if __name__ == "__main__":
    main()
