//! Real TLS for the lab's HTTPS servers (nginx with a mounted Secret) and its `curl`, with rustls.
//!
//! Servers load a PEM certificate and key as nginx would. Clients trust only what `--cacert`
//! names (a pod has no public CA bundle that could vouch for a lab certificate), or nothing is
//! checked with `-k`. A certificate made by the tutorials' `openssl req -x509 … -subj
//! "/CN=my-nginx"` has no subjectAltName and is marked as a CA; OpenSSL-based curl accepts it
//! for `https://my-nginx` (it falls back to the common name), webpki does not — so when webpki
//! refuses only for those reasons, a certificate that is itself in the `--cacert` file and names
//! the host in its CN is accepted, as curl would.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};

pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Why a TLS setup failed, in nginx's or curl's terms.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TlsSetupError {
    #[error("cannot load certificate: no certificate found")]
    NoCertificate,
    #[error("cannot load certificate key: no private key found")]
    NoKey,
    #[error("{0}")]
    Rustls(String),
}

/// A server configuration from PEM certificate chain and key.
pub fn server_config(cert_pem: &[u8], key_pem: &[u8]) -> Result<Arc<rustls::ServerConfig>, TlsSetupError> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(cert_pem)
        .filter_map(Result::ok)
        .collect();
    if certs.is_empty() {
        return Err(TlsSetupError::NoCertificate);
    }
    let key = PrivateKeyDer::from_pem_slice(key_pem).map_err(|_| TlsSetupError::NoKey)?;
    let mut cfg = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsSetupError::Rustls(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| TlsSetupError::Rustls(e.to_string()))?;
    cfg.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(cfg))
}

/// How a client checks the server.
#[derive(Debug, Clone)]
pub enum Trust {
    /// `-k`: accept any certificate.
    Insecure,
    /// Certificates from a `--cacert` file (may be empty: nothing is trusted).
    Roots(Vec<CertificateDer<'static>>),
}

impl Trust {
    pub fn from_pem(pem: &[u8]) -> Trust {
        Trust::Roots(CertificateDer::pem_slice_iter(pem).filter_map(Result::ok).collect())
    }
}

pub fn client_config(trust: Trust) -> Arc<rustls::ClientConfig> {
    let provider = provider();
    let verifier: Arc<dyn ServerCertVerifier> = Arc::new(OpenSslLike::new(trust, provider.clone()));
    let mut cfg = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("ring supports the default protocol versions")
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    cfg.alpn_protocols = vec![b"http/1.1".to_vec()];
    Arc::new(cfg)
}

/// How the lab's curl checks a server: nothing with `-k`, else as described in the module doc.
#[derive(Debug)]
struct OpenSslLike {
    insecure: bool,
    roots: Vec<CertificateDer<'static>>,
    inner: Option<Arc<WebPkiServerVerifier>>,
    provider: Arc<CryptoProvider>,
}

impl OpenSslLike {
    fn new(trust: Trust, provider: Arc<CryptoProvider>) -> OpenSslLike {
        let (insecure, roots) = match trust {
            Trust::Insecure => (true, Vec::new()),
            Trust::Roots(r) => (false, r),
        };
        let mut store = RootCertStore::empty();
        for c in &roots {
            let _ = store.add(c.clone());
        }
        let inner = if store.is_empty() {
            None
        } else {
            WebPkiServerVerifier::builder_with_provider(Arc::new(store), provider.clone())
                .build()
                .ok()
        };
        OpenSslLike {
            insecure,
            roots,
            inner,
            provider,
        }
    }
}

impl ServerCertVerifier for OpenSslLike {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if self.insecure {
            return Ok(ServerCertVerified::assertion());
        }
        let pinned = self.roots.iter().any(|r| r.as_ref() == end_entity.as_ref());
        let Some(inner) = &self.inner else {
            return Err(rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer));
        };
        match inner.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
            Ok(v) => Ok(v),
            Err(rustls::Error::InvalidCertificate(e)) if pinned && fallback_applies(&e) => {
                let host = match server_name {
                    ServerName::DnsName(d) => d.as_ref().to_string(),
                    ServerName::IpAddress(ip) => std::net::IpAddr::from(*ip).to_string(),
                    _ => String::new(),
                };
                if !has_subject_alt_name(end_entity)
                    && common_name(end_entity).is_some_and(|cn| cn.eq_ignore_ascii_case(&host))
                {
                    Ok(ServerCertVerified::assertion())
                } else if has_subject_alt_name(end_entity)
                    && !matches!(
                        e,
                        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. }
                    )
                {
                    // CA-as-end-entity with a SAN: the name was fine, only the CA flag bothered webpki.
                    Ok(ServerCertVerified::assertion())
                } else {
                    Err(rustls::Error::InvalidCertificate(CertificateError::NotValidForName))
                }
            }
            Err(e) => Err(e),
        }
    }
    fn verify_tls12_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(m, c, d, &self.provider.signature_verification_algorithms)
    }
    fn verify_tls13_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(m, c, d, &self.provider.signature_verification_algorithms)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

fn fallback_applies(e: &CertificateError) -> bool {
    match e {
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => true,
        CertificateError::Other(o) => format!("{o:?}").contains("CaUsedAsEndEntity"),
        _ => format!("{e:?}").contains("CaUsedAsEndEntity"),
    }
}

/// OID 2.5.29.17 (subjectAltName) appears in the certificate.
fn has_subject_alt_name(cert: &[u8]) -> bool {
    cert.windows(5).any(|w| w == [0x06, 0x03, 0x55, 0x1d, 0x11])
}

/// The subject's common name: the last `2.5.4.3` attribute (the issuer's comes first).
pub fn common_name(cert: &[u8]) -> Option<String> {
    let oid = [0x06, 0x03, 0x55, 0x04, 0x03];
    let pos = cert.windows(5).rposition(|w| w == oid)?;
    let rest = &cert[pos + 5..];
    let (&tag, rest) = rest.split_first()?;
    if !matches!(tag, 0x0c | 0x13 | 0x16 | 0x14) {
        return None;
    }
    let (&len, rest) = rest.split_first()?;
    let len = len as usize;
    if len >= 0x80 || rest.len() < len {
        return None;
    }
    String::from_utf8(rest[..len].to_vec()).ok()
}

/// curl's words for a failed handshake (exit 60 for certificate problems, 35 otherwise).
pub fn curl_error(err: &std::io::Error, host: &str, chain_len_one: bool) -> (i32, String) {
    let inner = err.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>());
    match inner {
        Some(rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer)) => {
            let what = if chain_len_one { "self-signed certificate" } else { "unable to get local issuer certificate" };
            (60, format!("SSL certificate problem: {what}\nMore details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the webpage mentioned above."))
        }
        Some(rustls::Error::InvalidCertificate(CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. })) => {
            (60, format!("SSL: no alternative certificate subject name matches target host name '{host}'\nMore details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the webpage mentioned above."))
        }
        Some(rustls::Error::InvalidCertificate(CertificateError::Expired | CertificateError::ExpiredContext { .. })) => {
            (60, "SSL certificate problem: certificate has expired".to_string())
        }
        Some(rustls::Error::InvalidCertificate(e)) => (60, format!("SSL certificate problem: {e:?}")),
        _ => (35, format!("TLS connect error: {err}")),
    }
}
