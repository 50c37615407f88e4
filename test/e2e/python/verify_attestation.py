"""Verifies an in-toto attestation with securesystemslib, independently of
the platform's own code: the DSSE envelope's Ed25519 signature (over DSSE's
PAE) with the given public key, then the Statement's shape.

usage: verify_attestation.py <envelope.json> <public key PEM file> <key id>

Prints the verified Statement as JSON on stdout; exits non-zero, with the
reason on stderr, when it does not verify.
"""

import json
import sys

from cryptography.hazmat.primitives.serialization import load_pem_public_key
from securesystemslib.dsse import Envelope
from securesystemslib.signer import SSlibKey


def main(envelope_file: str, key_file: str, key_id: str) -> None:
    with open(envelope_file, encoding="utf-8") as f:
        envelope = Envelope.from_dict(json.load(f))
    with open(key_file, "rb") as f:
        key = SSlibKey.from_crypto(load_pem_public_key(f.read()), keyid=key_id, scheme="ed25519")
    # Raises VerificationError unless a signature by the key verifies over the PAE.
    envelope.verify([key], 1)
    if envelope.payload_type != "application/vnd.in-toto+json":
        sys.exit(f"unexpected payload type {envelope.payload_type}")
    statement = json.loads(envelope.payload)
    if statement.get("_type") != "https://in-toto.io/Statement/v1":
        sys.exit(f"not an in-toto Statement v1: _type is {statement.get('_type')!r}")
    print(json.dumps(statement))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
