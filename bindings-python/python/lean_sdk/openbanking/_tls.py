"""The TLS context of the built-in transports: the client certificate
presented for mutual TLS, and the certificate authorities the server's
certificate must chain to.

Everything is PEM, given as a path or as the PEM bytes themselves. The
standard library reads a CA chain from memory
(``SSLContext.load_verify_locations(cadata=...)``) but a certificate and
key only from files (``load_cert_chain``), so PEM bytes for those are
written to a private temporary directory (mode 0700, removed at once after
loading).
"""

from __future__ import annotations

import os

from .._errors import ConfigurationError

TYPE_CHECKING = False  # typing itself is not imported at run time: import speed
if TYPE_CHECKING:
    import ssl
    from typing import Callable, Optional, Tuple, Union

    Pem = Union[str, "os.PathLike[str]", bytes]
    """A PEM file's path, or its content as bytes."""

    Cert = Union[Pem, Tuple[Pem, Pem]]
    """``(certificate, private key)``, or one PEM holding both."""

__all__ = ["ssl_context"]


def _check(name: str, value: object) -> None:
    if isinstance(value, bytes):
        if b"-----BEGIN" not in value:
            raise ConfigurationError(f"{name} holds no PEM block (-----BEGIN ...): pass the PEM text, or the file's path as str")
    elif isinstance(value, (str, os.PathLike)):
        if not os.path.isfile(value):
            raise ConfigurationError(f"{name}: no such file {os.fspath(value)!r}")
    else:
        raise ConfigurationError(f"{name} must be a PEM file's path or its content as bytes, got {type(value).__name__}")


def _load_cert_chain(context: ssl.SSLContext, cert: Pem, key: Optional[Pem], password: Optional[str]) -> None:
    import ssl  # noqa: F811 (the annotation's module, at run time)

    # Without a password, an encrypted key fails rather than prompting on
    # the terminal (OpenSSL's default).
    secret: Union[str, Callable[[], str]] = password if password is not None else (lambda: "")
    if not isinstance(cert, bytes) and not isinstance(key, bytes):
        context.load_cert_chain(cert, key, secret)
        return
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="lean-sdk-tls-")  # mode 0700
    try:
        def path(name: str, value: Pem) -> str:
            if not isinstance(value, bytes):
                return os.fspath(value)
            target = os.path.join(folder, name)
            with open(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
                out.write(value)
            return target

        context.load_cert_chain(path("cert.pem", cert), None if key is None else path("key.pem", key), secret)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def ssl_context(cert: Optional[Cert], ca: Optional[Pem], password: Optional[str] = None) -> Optional[ssl.SSLContext]:
    """The context for ``cert`` (client certificate and key) and ``ca``
    (the chain the server's certificate must chain to: only it is trusted
    when given; otherwise the system's authorities are). ``None`` when
    neither is given: the transports' defaults apply."""
    if cert is None and ca is None:
        return None
    import ssl  # imported when TLS is configured: import speed

    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    if ca is not None:
        _check("ca", ca)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        try:
            if isinstance(ca, bytes):
                context.load_verify_locations(cadata=ca.decode("ascii"))
            else:
                context.load_verify_locations(cafile=os.fspath(ca))
        except (ssl.SSLError, UnicodeDecodeError) as error:
            raise ConfigurationError(f"ca: not a PEM certificate chain ({error})") from None
    if cert is not None:
        pair: Tuple[Pem, Optional[Pem]] = cert if isinstance(cert, tuple) else (cert, None)
        if len(pair) != 2:
            raise ConfigurationError("cert must be (certificate, private key) or one PEM holding both")
        _check("cert (certificate)", pair[0])
        if pair[1] is not None:
            _check("cert (private key)", pair[1])
        try:
            _load_cert_chain(context, pair[0], pair[1], password)
        except ssl.SSLError as error:
            # The key's content never appears: only the reason.
            raise ConfigurationError(
                f"cert: the certificate and private key could not be loaded ({error.reason or 'invalid PEM'}); "
                "pass the PEM certificate and its matching unencrypted key (or cert_password=)"
            ) from None
    return context
