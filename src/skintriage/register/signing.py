"""The clinic's signing key and Ed25519 signatures on training records and certificates.

The key is created on first use in ``SKINTRIAGE_KEY_DIR`` (default ``~/.config/skintriage/``), never inside the
course repository, as an owner-only file (0600 in a 0700 folder). Its public half is exported beside it so
that an inspector can verify records without the private key.

What is signed is a *manifest*: a SHA-256 of every top-level field of the record and of every question, plus
the key id. The signature proves the manifest; the manifest says which field was edited, so ``records verify``
can name it ("name: edited after signing") instead of only "bad signature".
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALGORITHM = "ed25519"
SIGNATURE_FORMAT = "skintriage-signature/1"
PRIVATE_FILE = "clinic_ed25519.pem"
PUBLIC_FILE = "clinic_ed25519.pub.pem"


class SigningKeyError(Exception):
    """The clinic key cannot be used safely (wrong permissions, inside the repository, unreadable)."""


def key_dir() -> Path:
    override = os.environ.get("SKINTRIAGE_KEY_DIR")
    return Path(override).expanduser() if override else Path.home() / ".config" / "skintriage"


def canonical(value: object) -> bytes:
    """One byte string per JSON value: sorted keys, no spaces, UTF-8. NaN is written as NaN (and so hashed)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def digest(value: object) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()


def key_id_of(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode(
        "ascii"
    )


def load_public_pem(text: str | bytes) -> Ed25519PublicKey:
    data = text.encode("ascii") if isinstance(text, str) else text
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


@dataclass
class ClinicKey:
    private_key: Ed25519PrivateKey
    folder: Path

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def key_id(self) -> str:
        return key_id_of(self.public_key)

    @property
    def public_file(self) -> Path:
        return self.folder / PUBLIC_FILE


def _inside_repository(folder: Path) -> bool:
    from skintriage.course import course_root

    root = course_root()
    folder = folder.resolve()
    return folder == root or root in folder.parents


def _check_private(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise SigningKeyError(
            f"{path}: the clinic's private key is readable by others (mode {mode:o}); run: chmod 600 {path}"
        )


def clinic_key(folder: Path | None = None, *, create: bool = True) -> ClinicKey:
    """The clinic key from ``folder`` (default :func:`key_dir`), created on first use with owner-only rights."""
    folder = Path(folder) if folder else key_dir()
    if _inside_repository(folder):
        raise SigningKeyError(
            f"{folder}: the signing key must live outside the course repository (set SKINTRIAGE_KEY_DIR)"
        )
    private_path = folder / PRIVATE_FILE
    if not private_path.exists():
        if not create:
            raise SigningKeyError(f"{private_path}: no clinic key yet (it is created when the first record is signed)")
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        # Written in full to a private temporary file, then linked into place: link() fails if the key exists,
        # so two kernels starting at once never both create a key, and the loser reads a complete file.
        temporary = folder / f".{PRIVATE_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, private_path)
        except FileExistsError:
            return clinic_key(folder, create=False)
        finally:
            temporary.unlink()
        _write_public(folder, key.public_key())
        return ClinicKey(key, folder)
    _check_private(private_path)
    try:
        key = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
    except (ValueError, TypeError, OSError) as error:
        raise SigningKeyError(f"{private_path}: cannot read the clinic key: {error}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{private_path}: not an Ed25519 key")
    if not (folder / PUBLIC_FILE).exists():
        _write_public(folder, key.public_key())
    return ClinicKey(key, folder)


def _write_public(folder: Path, public_key: Ed25519PublicKey) -> None:
    temporary = folder / f".{PUBLIC_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
    temporary.write_text(public_pem(public_key), encoding="ascii")
    os.chmod(temporary, 0o644)
    os.replace(temporary, folder / PUBLIC_FILE)


def trusted_public_keys(folder: Path | None = None, extra: list[Path] = ()) -> dict[str, Ed25519PublicKey]:
    """Key id -> public key: the clinic's own (if there is one) plus any exported public key files given."""
    keys: dict[str, Ed25519PublicKey] = {}
    folder = Path(folder) if folder else key_dir()
    own = folder / PUBLIC_FILE
    for path in ([own] if own.exists() else []) + [Path(p) for p in extra]:
        key = load_public_pem(path.read_bytes())
        keys[key_id_of(key)] = key
    return keys


# --- manifests ----------------------------------------------------------------------------------------------


def manifest(data: dict) -> dict:
    """Hashes of each top-level field (``questions`` per question), sorted: what the signature covers."""
    fields = {key: digest(value) for key, value in data.items() if key not in ("signature", "questions")}
    questions = [digest(q) for q in data.get("questions", [])]
    return {"fields": fields, "questions": questions}


def sign(data: dict, key: ClinicKey) -> dict:
    """``data`` with a ``signature`` block: format, algorithm, key id, public key, manifest and signature."""
    body = {k: v for k, v in data.items() if k != "signature"}
    signed = {"format": SIGNATURE_FORMAT, "algorithm": ALGORITHM, "key_id": key.key_id, "manifest": manifest(body)}
    value = key.private_key.sign(canonical(signed))
    signature = {**signed, "public_key": public_pem(key.public_key), "value": base64.b64encode(value).decode()}
    return {**body, "signature": signature}


def check_signature(block: dict, public_key: Ed25519PublicKey) -> bool:
    """Whether ``block`` (a record's signature block) was signed by ``public_key``."""
    signed = {k: block.get(k) for k in ("format", "algorithm", "key_id", "manifest")}
    try:
        public_key.verify(base64.b64decode(block.get("value", ""), validate=True), canonical(signed))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def changed_fields(data: dict, block: dict) -> list[str]:
    """Fields whose content no longer matches the signed manifest, e.g. ``["name", "questions[3]"]``."""
    signed = block.get("manifest") or {}
    now = manifest({k: v for k, v in data.items() if k != "signature"})
    changed = []
    old_fields, new_fields = signed.get("fields", {}), now["fields"]
    for key in sorted(set(old_fields) | set(new_fields)):
        if old_fields.get(key) != new_fields.get(key):
            changed.append(key if key in old_fields else f"{key} (added)")
    old_q, new_q = signed.get("questions", []), now["questions"]
    if len(old_q) != len(new_q):
        changed.append(f"questions ({len(old_q)} signed, {len(new_q)} now)")
    for number, (old, new) in enumerate(zip(old_q, new_q), start=1):
        if old != new:
            changed.append(f"questions[{number}]")
    return changed


def sign_file(path: Path, key: ClinicKey) -> Path:
    """A detached signature for a file (the certificate PDF): ``<file>.sig`` (JSON), never overwritten."""
    path = Path(path)
    body = {
        "format": SIGNATURE_FORMAT,
        "algorithm": ALGORITHM,
        "key_id": key.key_id,
        "file": path.name,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
    }
    block = {
        **body,
        "public_key": public_pem(key.public_key),
        "value": base64.b64encode(key.private_key.sign(canonical(body))).decode(),
    }
    target = path.with_name(path.name + ".sig")
    with target.open("x", encoding="utf-8") as handle:
        json.dump(block, handle, indent=2)
        handle.write("\n")
    return target
