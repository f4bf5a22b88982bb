//! The mutual-TLS listener: a rustls client presenting the client
//! certificate gets answers on the same routes; without a certificate, or
//! with one from an untrusted CA, the connection fails before any route;
//! another application's certificate and a revoked one get the documented
//! open-banking codes.
//! Also `lean-sandbox certs DIR`, and a listener reusing those files.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use common::binary;
use lean_sandbox::certs;
use lean_sandbox::harness::SandboxProcess;
use lean_sandbox::settings::DEFAULT_APP_TOKEN;
use lean_sandbox::tls::read_certs;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{PrivateKeyDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore};

fn fresh_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lean-sandbox-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn start(dir: &Path) -> SandboxProcess {
    let dir = dir.to_str().unwrap();
    SandboxProcess::start(
        binary(),
        &[
            "--port",
            "0",
            "--api-key",
            "sk_test_tls",
            "--tls-port",
            "0",
            "--tls-dir",
            dir,
            "--quiet",
        ],
    )
    .expect("the sandbox starts with an mTLS listener")
}

/// A client trusting `ca.pem`, presenting `identity` (certificate and key
/// file names in `dir`) when given.
fn client_config(dir: &Path, identity: Option<(&str, &str)>) -> Arc<ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = RootCertStore::empty();
    for cert in read_certs(&dir.join(certs::CA)).unwrap() {
        roots.add(cert).unwrap();
    }
    let builder = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots);
    Arc::new(match identity {
        Some((cert, key)) => builder
            .with_client_auth_cert(
                read_certs(&dir.join(cert)).unwrap(),
                PrivateKeyDer::from_pem_file(dir.join(key)).unwrap(),
            )
            .unwrap(),
        None => builder.with_no_client_auth(),
    })
}

/// `GET path` over TLS to `url` (`https://127.0.0.1:PORT`); the whole
/// answer as text, or the error that ended the exchange.
fn get(url: &str, config: Arc<ClientConfig>, path: &str) -> Result<String, String> {
    let addr = url.trim_start_matches("https://");
    let mut socket = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    socket
        .set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| e.to_string())?;
    let name = ServerName::try_from("127.0.0.1").unwrap();
    let mut tls = ClientConnection::new(config, name).map_err(|e| e.to_string())?;
    while tls.is_handshaking() {
        tls.complete_io(&mut socket)
            .map_err(|e| format!("handshake: {e}"))?;
    }
    let mut stream = rustls::Stream::new(&mut tls, &mut socket);
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nhost: {addr}\r\nlean-app-token: {DEFAULT_APP_TOKEN}\r\nconnection: close\r\n\r\n"
    )
    .map_err(|e| format!("write: {e}"))?;
    let mut answer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&chunk[..n]),
            // A peer that closes without close_notify after a complete
            // answer is fine; an error before any answer is the refusal.
            Err(_) if !answer.is_empty() => break,
            Err(e) => return Err(format!("read: {e}")),
        }
    }
    Ok(String::from_utf8_lossy(&answer).into_owned())
}

#[test]
fn the_client_certificate_is_required_and_checked() {
    let dir = fresh_dir("mtls");
    let sandbox = start(&dir);
    let url = sandbox.mtls_url().unwrap().to_owned();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    for file in certs::FILES {
        assert!(dir.join(file).is_file(), "{file} was not written");
    }

    let trusted = client_config(&dir, Some((certs::CLIENT_CERT, certs::CLIENT_KEY)));
    let answer = get(&url, trusted.clone(), "/customers/v1").unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"content\":[]"), "{answer}");
    // The same routes as the plain listener, payouts included.
    let answer = get(&url, trusted, "/api/customer/nobody").unwrap();
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");

    let anonymous = get(&url, client_config(&dir, None), "/customers/v1");
    assert!(
        anonymous.is_err(),
        "answered without a client certificate: {anonymous:?}"
    );
    let untrusted = client_config(
        &dir,
        Some((certs::UNTRUSTED_CLIENT_CERT, certs::UNTRUSTED_CLIENT_KEY)),
    );
    let refused = get(&url, untrusted, "/customers/v1");
    assert!(
        refused.is_err(),
        "answered an untrusted certificate: {refused:?}"
    );

    // The plain listener still answers without TLS.
    let plain = lean_sandbox::harness::agent()
        .get(format!("{}/customers/v1", sandbox.url()))
        .header("lean-app-token", DEFAULT_APP_TOKEN)
        .call()
        .unwrap();
    assert_eq!(plain.status().as_u16(), 200);
    drop(sandbox);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn certs_subcommand_writes_files_the_listener_reuses() {
    let dir = fresh_dir("certs-cmd");
    let status = std::process::Command::new(binary())
        .arg("certs")
        .arg(&dir)
        .status()
        .unwrap();
    assert!(status.success());
    let ca = std::fs::read_to_string(dir.join(certs::CA)).unwrap();
    let sandbox = start(&dir);
    assert_eq!(
        std::fs::read_to_string(dir.join(certs::CA)).unwrap(),
        ca,
        "the CA was replaced"
    );
    let trusted = client_config(&dir, Some((certs::CLIENT_CERT, certs::CLIENT_KEY)));
    let answer = get(sandbox.mtls_url().unwrap(), trusted, "/customers/v1").unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    drop(sandbox);
    let _ = std::fs::remove_dir_all(&dir);

    let usage = std::process::Command::new(binary())
        .arg("certs")
        .output()
        .unwrap();
    assert_eq!(usage.status.code(), Some(2));
}

/// Certificates the CA signed but that are not this application's current
/// one pass the handshake and get the documented open-banking codes; the
/// payouts routes do not look at them.
#[test]
fn other_and_revoked_certificates_get_the_documented_codes() {
    let dir = fresh_dir("mtls-codes");
    let sandbox = start(&dir);
    let url = sandbox.mtls_url().unwrap().to_owned();
    let status = |answer: &str| answer.split(' ').nth(1).unwrap_or_default().to_owned();

    let other = client_config(
        &dir,
        Some((certs::OTHER_APP_CLIENT_CERT, certs::OTHER_APP_CLIENT_KEY)),
    );
    let answer = get(&url, other, "/customers/v1").unwrap();
    assert_eq!(status(&answer), "401", "{answer}");
    assert!(
        answer.contains("\"CERTIFICATE_TOKEN_MISMATCH\""),
        "{answer}"
    );

    let revoked = client_config(
        &dir,
        Some((certs::REVOKED_CLIENT_CERT, certs::REVOKED_CLIENT_KEY)),
    );
    let answer = get(&url, revoked.clone(), "/customers/v1").unwrap();
    assert_eq!(status(&answer), "403", "{answer}");
    assert!(answer.contains("\"INVALID_CERTIFICATE\""), "{answer}");
    let answer = get(&url, revoked, "/api/customer/nobody").unwrap();
    assert_eq!(
        status(&answer),
        "401",
        "the payouts routes ignore it: {answer}"
    );

    let trusted = client_config(&dir, Some((certs::CLIENT_CERT, certs::CLIENT_KEY)));
    let answer = get(&url, trusted, "/customers/v1").unwrap();
    assert_eq!(status(&answer), "200", "{answer}");
    drop(sandbox);
    let _ = std::fs::remove_dir_all(&dir);
}
