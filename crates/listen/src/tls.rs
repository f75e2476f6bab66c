//! TLS for a listener (rustls): a certificate chain and its private key from PEM files.
//! The handshake is bounded by the header-read timeout, so a client that opens a connection
//! and never finishes its handshake holds it no longer than one that never sends a request.

use std::io;
use std::path::Path;
use std::sync::Arc;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::{crypto, ServerConfig};
use tokio_rustls::TlsAcceptor;

/// A server certificate and key, ready to accept TLS connections (HTTP/1.1 over ALPN).
#[derive(Clone)]
pub struct Tls {
    pub(crate) acceptor: TlsAcceptor,
}

impl Tls {
    /// Reads `cert` (the PEM chain, leaf first) and `key` (a PEM private key: PKCS#8, PKCS#1
    /// or SEC1). The errors name the file, never its content.
    pub fn from_pem_files(cert: &Path, key: &Path) -> io::Result<Tls> {
        let invalid = |what: &Path, why: String| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{}: {why}", what.display()),
            )
        };
        let chain = CertificateDer::pem_file_iter(cert)
            .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
            .map_err(|e| invalid(cert, format!("not a PEM certificate chain ({e})")))?;
        if chain.is_empty() {
            return Err(invalid(cert, "holds no certificate".into()));
        }
        let private = PrivateKeyDer::from_pem_file(key)
            .map_err(|e| invalid(key, format!("not a PEM private key ({e})")))?;
        let provider = Arc::new(crypto::ring::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| io::Error::other(e.to_string()))?
            .with_no_client_auth()
            .with_single_cert(chain, private)
            .map_err(|e| invalid(key, format!("does not fit the certificate ({e})")))?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Tls {
            acceptor: TlsAcceptor::from(Arc::new(config)),
        })
    }
}
