//! Test certificates for the mTLS listener, made with `rcgen`: a test CA, a
//! server certificate for `127.0.0.1` and `localhost`, a client pair signed
//! by the CA, a client pair signed by another CA that the listener does not
//! trust, and two more pairs signed by the CA that the open-banking routes
//! refuse (another application's, a revoked one), for negative tests. Lean's production hosts
//! demand the application's client certificate; these files let every host
//! prove its transport presents one, without the network.
//!
//! The files, all PEM, in one directory:
//!
//! | file | what |
//! | --- | --- |
//! | `ca.pem` | the CA the listener trusts for client certificates, and that signed `server.pem` (a client's trust root) |
//! | `server.pem`, `server.key` | the listener's certificate (SANs `localhost`, `127.0.0.1`) and key |
//! | `client.pem`, `client.key` | a client certificate signed by the CA, and its key |
//! | `untrusted-client.pem`, `untrusted-client.key` | a client certificate from an unknown CA, and its key |
//! | `other-app-client.pem`, `other-app-client.key` | a client certificate signed by the CA for another application: open-banking calls with this application's credential answer 401 `CERTIFICATE_TOKEN_MISMATCH` |
//! | `revoked-client.pem`, `revoked-client.key` | a client certificate signed by the CA that the sandbox treats as revoked: open-banking calls answer 403 `INVALID_CERTIFICATE` |

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};

/// The trusted CA's certificate.
pub const CA: &str = "ca.pem";
/// The server certificate.
pub const SERVER_CERT: &str = "server.pem";
/// The server key.
pub const SERVER_KEY: &str = "server.key";
/// The trusted client certificate.
pub const CLIENT_CERT: &str = "client.pem";
/// The trusted client key.
pub const CLIENT_KEY: &str = "client.key";
/// A client certificate from a CA the listener does not trust.
pub const UNTRUSTED_CLIENT_CERT: &str = "untrusted-client.pem";
/// Its key.
pub const UNTRUSTED_CLIENT_KEY: &str = "untrusted-client.key";

/// A client certificate of another application, signed by the CA.
pub const OTHER_APP_CLIENT_CERT: &str = "other-app-client.pem";
/// Its key.
pub const OTHER_APP_CLIENT_KEY: &str = "other-app-client.key";
/// A client certificate signed by the CA that counts as revoked.
pub const REVOKED_CLIENT_CERT: &str = "revoked-client.pem";
/// Its key.
pub const REVOKED_CLIENT_KEY: &str = "revoked-client.key";

/// Every file, in the order written.
pub const FILES: [&str; 11] = [
    CA,
    SERVER_CERT,
    SERVER_KEY,
    CLIENT_CERT,
    CLIENT_KEY,
    UNTRUSTED_CLIENT_CERT,
    UNTRUSTED_CLIENT_KEY,
    OTHER_APP_CLIENT_CERT,
    OTHER_APP_CLIENT_KEY,
    REVOKED_CLIENT_CERT,
    REVOKED_CLIENT_KEY,
];

/// What [`ensure`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Made {
    /// Every file was there and is used as it is.
    Reused,
    /// The files were written.
    Generated,
}

/// Marks a directory while a set is being written into it.
const LOCK: &str = ".generating";

/// How long to wait for another process writing the same directory.
const LOCK_WAIT: Duration = Duration::from_secs(30);

fn complete(dir: &Path) -> bool {
    FILES.iter().all(|f| dir.join(f).is_file())
}

/// Uses the certificates in `dir` when all of them are there; otherwise
/// writes a fresh set (creating `dir`), so a harness can point several runs
/// at one directory, or start from an empty one. Processes started at
/// once on the same empty directory agree on one set: the first writes it
/// under a lock file, the others wait for it.
pub fn ensure(dir: &Path) -> Result<Made, String> {
    if complete(dir) {
        return Ok(Made::Reused);
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create the directory {}: {e}", dir.display()))?;
    let lock = dir.join(LOCK);
    let deadline = Instant::now() + LOCK_WAIT;
    loop {
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&lock)
        {
            Ok(_) => break,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                if Instant::now() >= deadline {
                    // Left behind by a process that died while writing.
                    let _ = std::fs::remove_file(&lock);
                    continue;
                }
                std::thread::sleep(Duration::from_millis(20));
                if complete(dir) && !lock.exists() {
                    return Ok(Made::Reused);
                }
            }
            Err(e) => return Err(format!("cannot write into {}: {e}", dir.display())),
        }
    }
    let result = if complete(dir) {
        Ok(Made::Reused)
    } else {
        write(dir).map(|()| Made::Generated)
    };
    let _ = std::fs::remove_file(&lock);
    result
}

/// Writes a fresh set of every file into `dir` (created if needed),
/// replacing any earlier one.
pub fn write(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create the directory {}: {e}", dir.display()))?;
    let set = generate().map_err(|e| format!("cannot generate the certificates: {e}"))?;
    for (name, text) in FILES.iter().zip(set) {
        let path = dir.join(name);
        write_file(&path, &text, name.ends_with(".key"))?;
    }
    Ok(())
}

fn write_file(path: &Path, text: &str, private: bool) -> Result<(), String> {
    // Written beside, then renamed: a reader never sees half a file.
    let partial = PathBuf::from(format!("{}.partial", path.display()));
    std::fs::write(&partial, text)
        .map_err(|e| format!("cannot write {}: {e}", partial.display()))?;
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&partial, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| format!("cannot restrict {}: {e}", partial.display()))?;
    }
    #[cfg(not(unix))]
    let _ = private;
    std::fs::rename(&partial, path).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn ca(name: &str) -> Result<CertifiedIssuer<'static, KeyPair>, rcgen::Error> {
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    params.distinguished_name.push(DnType::CommonName, name);
    CertifiedIssuer::self_signed(params, KeyPair::generate()?)
}

fn leaf(
    issuer: &CertifiedIssuer<'static, KeyPair>,
    name: &str,
    sans: &[&str],
    purpose: ExtendedKeyUsagePurpose,
) -> Result<(String, String), rcgen::Error> {
    let mut params =
        CertificateParams::new(sans.iter().map(|s| s.to_string()).collect::<Vec<_>>())?;
    params.distinguished_name.push(DnType::CommonName, name);
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![purpose];
    let key = KeyPair::generate()?;
    let cert = params.signed_by(&key, issuer)?;
    Ok((cert.pem(), key.serialize_pem()))
}

/// The PEM texts, in the order of [`FILES`].
fn generate() -> Result<[String; 11], rcgen::Error> {
    let trusted = ca("lean-sandbox test CA")?;
    let (server_cert, server_key) = leaf(
        &trusted,
        "lean-sandbox",
        &["localhost", "127.0.0.1"],
        ExtendedKeyUsagePurpose::ServerAuth,
    )?;
    let client = |name: &str| leaf(&trusted, name, &[], ExtendedKeyUsagePurpose::ClientAuth);
    let (client_cert, client_key) = client("lean-sandbox test client")?;
    let (other_app_cert, other_app_key) = client("another application's client")?;
    let (revoked_cert, revoked_key) = client("a revoked test client")?;
    let other = ca("an untrusted CA")?;
    let (untrusted_cert, untrusted_key) = leaf(
        &other,
        "untrusted test client",
        &[],
        ExtendedKeyUsagePurpose::ClientAuth,
    )?;
    Ok([
        trusted.pem(),
        server_cert,
        server_key,
        client_cert,
        client_key,
        untrusted_cert,
        untrusted_key,
        other_app_cert,
        other_app_key,
        revoked_cert,
        revoked_key,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_every_file_then_reuses_them() {
        let dir = std::env::temp_dir().join(format!("lean-sandbox-certs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(ensure(&dir).unwrap(), Made::Generated);
        for f in FILES {
            let text = std::fs::read_to_string(dir.join(f)).unwrap();
            assert!(text.starts_with("-----BEGIN "), "{f}");
        }
        let ca = std::fs::read_to_string(dir.join(CA)).unwrap();
        assert_eq!(ensure(&dir).unwrap(), Made::Reused);
        assert_eq!(std::fs::read_to_string(dir.join(CA)).unwrap(), ca);
        std::fs::remove_file(dir.join(CLIENT_KEY)).unwrap();
        assert_eq!(ensure(&dir).unwrap(), Made::Generated);
        assert_ne!(std::fs::read_to_string(dir.join(CA)).unwrap(), ca);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn processes_starting_together_agree_on_one_set() {
        let dir = std::env::temp_dir().join(format!("lean-sandbox-race-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let made: Vec<Made> = std::thread::scope(|s| {
            let runs: Vec<_> = (0..4).map(|_| s.spawn(|| ensure(&dir).unwrap())).collect();
            runs.into_iter().map(|r| r.join().unwrap()).collect()
        });
        assert_eq!(made.iter().filter(|m| **m == Made::Generated).count(), 1);
        assert!(crate::tls::server_config(&dir).is_ok());
        assert!(!dir.join(LOCK).exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
