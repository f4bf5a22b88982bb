//! The optional mutual-TLS listener (`--tls-port`): the same routes as the
//! plain listener, reachable only with a client certificate signed by the
//! test CA, as Lean's production hosts demand the application's
//! certificate. A connection without a certificate, or with one from
//! another CA, fails in the handshake and never reaches a route. Each
//! connection carries which certificate it presented ([`ClientCertificate`]),
//! so the open-banking routes can refuse another application's certificate
//! or a revoked one with the documented codes.
//!
//! Handshakes run in their own tasks, so a slow or stuck client never
//! delays the others; finished connections are handed to axum through the
//! [`axum::serve::Listener`] trait.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

use crate::certs;

/// The longest a client may take to complete the handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The server's TLS configuration from the files of [`certs`] in `dir`:
/// its certificate and key, and client certificates required and checked
/// against `ca.pem`. TLS 1.2 and 1.3, ALPN `http/1.1`.
pub fn server_config(dir: &Path) -> Result<ServerConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = RootCertStore::empty();
    for cert in read_certs(&dir.join(certs::CA))? {
        roots
            .add(cert)
            .map_err(|e| format!("{} is not a usable CA certificate: {e}", certs::CA))?;
    }
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| format!("cannot check client certificates: {e}"))?;
    let chain = read_certs(&dir.join(certs::SERVER_CERT))?;
    let key_path = dir.join(certs::SERVER_KEY);
    let key = PrivateKeyDer::from_pem_file(&key_path)
        .map_err(|e| format!("cannot read the key {}: {e}", key_path.display()))?;
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .map_err(|e| format!("the server certificate and key do not fit: {e}"))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// Every certificate of a PEM file.
pub fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let certs = CertificateDer::pem_file_iter(path)
        .and_then(|items| items.collect::<Result<Vec<_>, _>>())
        .map_err(|e| format!("cannot read the certificates of {}: {e}", path.display()))?;
    if certs.is_empty() {
        return Err(format!("{} holds no certificate", path.display()));
    }
    Ok(certs)
}

/// Which client certificate a request came with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClientCertificate {
    /// None: the plain listener.
    #[default]
    None,
    /// The application's own (`client.pem`, or any other the CA signed).
    Application,
    /// Another application's (`other-app-client.pem`).
    OtherApplication,
    /// One that counts as revoked (`revoked-client.pem`).
    Revoked,
}

/// The peer of an mTLS connection, handed to each of its requests.
#[derive(Clone, Debug)]
pub struct MtlsPeer {
    /// Where it connects from.
    pub addr: SocketAddr,
    /// What it presented.
    pub certificate: ClientCertificate,
}

impl axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, MtlsListener>>
    for MtlsPeer
{
    fn connect_info(stream: axum::serve::IncomingStream<'_, MtlsListener>) -> Self {
        stream.remote_addr().clone()
    }
}

/// The certificates the listener tells apart, read from the directory.
#[derive(Clone)]
struct Known {
    other_application: CertificateDer<'static>,
    revoked: CertificateDer<'static>,
}

impl Known {
    fn read(dir: &Path) -> Result<Self, String> {
        let first = |name: &str| -> Result<CertificateDer<'static>, String> {
            Ok(read_certs(&dir.join(name))?.swap_remove(0))
        };
        Ok(Self {
            other_application: first(certs::OTHER_APP_CLIENT_CERT)?,
            revoked: first(certs::REVOKED_CLIENT_CERT)?,
        })
    }

    fn classify(&self, stream: &TlsStream<TcpStream>) -> ClientCertificate {
        match stream
            .get_ref()
            .1
            .peer_certificates()
            .and_then(|c| c.first())
        {
            None => ClientCertificate::None,
            Some(c) if *c == self.other_application => ClientCertificate::OtherApplication,
            Some(c) if *c == self.revoked => ClientCertificate::Revoked,
            Some(_) => ClientCertificate::Application,
        }
    }
}

/// Connections that completed the mutual handshake.
pub struct MtlsListener {
    ready: mpsc::Receiver<(TlsStream<TcpStream>, MtlsPeer)>,
    addr: SocketAddr,
}

impl MtlsListener {
    /// Accepts on `listener`, handshaking with `config` in one task per
    /// connection; refused handshakes are logged (no secret is involved).
    /// `dir` holds the certificates of [`certs`].
    pub fn new(listener: TcpListener, config: ServerConfig, dir: &Path) -> Result<Self, String> {
        let known = Known::read(dir)?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let (sender, ready) = mpsc::channel(64);
        tokio::spawn(async move {
            loop {
                let (tcp, peer) = match listener.accept().await {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        // Out of file descriptors and the like: wait, retry.
                        tracing::warn!("mTLS accept error: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let (acceptor, sender, known) = (acceptor.clone(), sender.clone(), known.clone());
                tokio::spawn(async move {
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                        Ok(Ok(stream)) => {
                            let certificate = known.classify(&stream);
                            let peer = MtlsPeer {
                                addr: peer,
                                certificate,
                            };
                            let _ = sender.send((stream, peer)).await;
                        }
                        Ok(Err(e)) => tracing::warn!("mTLS handshake from {peer} refused: {e}"),
                        Err(_) => tracing::warn!("mTLS handshake from {peer} timed out"),
                    }
                });
            }
        });
        Ok(Self { ready, addr })
    }
}

impl axum::serve::Listener for MtlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = MtlsPeer;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(connection) => connection,
            // The accepting task owns the sender and never ends; should it
            // ever, this listener simply accepts nothing more.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(MtlsPeer {
            addr: self.addr,
            certificate: ClientCertificate::None,
        })
    }
}
