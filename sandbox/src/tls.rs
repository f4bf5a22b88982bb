//! The optional mutual-TLS listener (`--tls-port`): the same routes as the
//! plain listener, reachable only with a client certificate signed by the
//! test CA, as Lean's production hosts demand the application's
//! certificate. A connection without a certificate, or with one from
//! another CA, fails in the handshake and never reaches a route.
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

/// Connections that completed the mutual handshake.
pub struct MtlsListener {
    ready: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    addr: SocketAddr,
}

impl MtlsListener {
    /// Accepts on `listener`, handshaking with `config` in one task per
    /// connection; refused handshakes are logged (no secret is involved).
    pub fn new(listener: TcpListener, config: ServerConfig) -> std::io::Result<Self> {
        let addr = listener.local_addr()?;
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
                let (acceptor, sender) = (acceptor.clone(), sender.clone());
                tokio::spawn(async move {
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                        Ok(Ok(stream)) => {
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
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(connection) => connection,
            // The accepting task owns the sender and never ends; should it
            // ever, this listener simply accepts nothing more.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.addr)
    }
}
