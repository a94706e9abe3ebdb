"""X-Twilio-Signature checks with the real algorithm: query strings, ports, the proxy case."""

from __future__ import annotations

from multidict import MultiDict
from yarl import URL

from adapters.whatsapp.signature import Verifier, signed_url
from tests.whatsapp.fixtures import TOKEN, inbound, signature


def headers(sig: str) -> dict[str, str]:
    return {"X-Twilio-Signature": sig}


def test_valid_signature_on_the_request_url():
    form = inbound("hi")
    url = "http://127.0.0.1:8080/whatsapp/inbound"
    assert Verifier(TOKEN).valid(URL(url), MultiDict(form), headers(signature(url, form)))


def test_query_string_is_part_of_what_is_signed():
    form = inbound("hi")
    url = "https://bot.example.com/whatsapp/inbound?tenant=acme&x=a%20b"
    good = headers(signature(url, form))
    assert Verifier(TOKEN).valid(URL(url, encoded=True), MultiDict(form), good)
    other = URL("https://bot.example.com/whatsapp/inbound?tenant=evil&x=a%20b", encoded=True)
    assert not Verifier(TOKEN).valid(other, MultiDict(form), good)


def test_behind_a_tls_proxy_the_public_url_is_used():
    form = inbound("hi")
    public = "https://castmatch.example.com"
    signed = public + "/whatsapp/inbound?v=2"
    seen_by_app = URL("http://10.0.0.5:3000/whatsapp/inbound?v=2")
    assert signed_url(seen_by_app, public) == signed
    sig = headers(signature(signed, form))
    assert Verifier(TOKEN, public).valid(seen_by_app, MultiDict(form), sig)
    assert not Verifier(TOKEN).valid(seen_by_app, MultiDict(form), sig)  # without it: fails


def test_forged_missing_or_tampered_signatures_fail():
    form = inbound("hi")
    url = "http://127.0.0.1:8080/whatsapp/inbound"
    verifier = Verifier(TOKEN)
    assert not verifier.valid(URL(url), MultiDict(form), {})
    assert not verifier.valid(URL(url), MultiDict(form), headers(signature(url, form, "other")))
    tampered = form | {"Body": "hi!"}
    assert not verifier.valid(URL(url), MultiDict(tampered), headers(signature(url, form)))


def test_sha256_signatures_announced_by_header():
    form = inbound("hi")
    url = "http://127.0.0.1:8080/whatsapp/inbound"
    from twilio.request_validator import RequestValidator

    sig = RequestValidator(TOKEN).compute_signature(url, form, "HMAC_SHA256")
    announced = {
        "X-Twilio-Signature": sig,
        "X-Twilio-Webhooks-Signature-Settings": "key=k,algorithm=HMAC_SHA256",
    }
    assert Verifier(TOKEN).valid(URL(url), MultiDict(form), announced)
