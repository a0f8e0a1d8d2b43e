//! HTTPS without a proxy: rustls (no OpenSSL) with the certificate and key from PEM files,
//! HTTP/2 or HTTP/1.1 as the client offers (ALPN), and the files read again when they change,
//! so a renewal by certbot or similar takes effect without a restart.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;

/// How often the certificate files are looked at for a change (two `stat` calls).
const WATCH_EVERY: Duration = Duration::from_secs(1);

/// Marks a request that came over TLS, for the `Secure` cookie and HSTS.
#[derive(Clone, Copy, Debug)]
pub struct OverTls;

/// The certificate the server presents, replaced when its files change.
#[derive(Debug)]
pub struct Certificates {
    cert: PathBuf,
    key: PathBuf,
    current: RwLock<Arc<CertifiedKey>>,
}

impl Certificates {
    /// Reads the PEM files once, refusing to start with files that do not make a certificate.
    pub fn load(cert: &Path, key: &Path) -> Result<Arc<Certificates>, String> {
        let current = read(cert, key)?;
        Ok(Arc::new(Certificates {
            cert: cert.to_path_buf(),
            key: key.to_path_buf(),
            current: RwLock::new(Arc::new(current)),
        }))
    }

    /// The rustls settings for the listener: this certificate, HTTP/2 preferred.
    pub fn server_config(self: &Arc<Self>) -> Arc<rustls::ServerConfig> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut config = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_cert_resolver(self.clone());
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Arc::new(config)
    }

    /// Looks at the files now and then, and takes a changed pair once it reads as a whole
    /// certificate and key (a renewal writes them one after the other; a half-written pair
    /// is tried again at the next look). Runs as long as the server.
    pub async fn watch(self: Arc<Self>) {
        let mut seen = self.stamp();
        loop {
            tokio::time::sleep(WATCH_EVERY).await;
            let now = self.stamp();
            if now == seen {
                continue;
            }
            match read(&self.cert, &self.key) {
                Ok(fresh) => {
                    if let Ok(mut current) = self.current.write() {
                        *current = Arc::new(fresh);
                    }
                    seen = now;
                    tracing::info!("TLS certificate {} read again", self.cert.display());
                }
                Err(e) => tracing::warn!("TLS certificate not replaced yet: {e}"),
            }
        }
    }

    fn stamp(&self) -> (Option<SystemTime>, Option<SystemTime>, u64, u64) {
        let meta = |p: &Path| std::fs::metadata(p).ok();
        let (c, k) = (meta(&self.cert), meta(&self.key));
        (
            c.as_ref().and_then(|m| m.modified().ok()),
            k.as_ref().and_then(|m| m.modified().ok()),
            c.map_or(0, |m| m.len()),
            k.map_or(0, |m| m.len()),
        )
    }
}

impl ResolvesServerCert for Certificates {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        self.current.read().ok().map(|c| c.clone())
    }
}

fn read(cert: &Path, key: &Path) -> Result<CertifiedKey, String> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .map_err(|e| format!("cannot read the certificate {}: {e}", cert.display()))?
        .collect::<Result<_, _>>()
        .map_err(|e| format!("cannot read the certificate {}: {e}", cert.display()))?;
    if chain.is_empty() {
        return Err(format!("{} holds no certificate", cert.display()));
    }
    let key = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| format!("cannot read the private key {}: {e}", key.display()))?;
    let provider = rustls::crypto::ring::default_provider();
    let certified = CertifiedKey::from_der(chain, key, &provider)
        .map_err(|e| format!("the certificate and key do not go together: {e}"))?;
    Ok(certified)
}

/// `--redirect-http`: every plain-HTTP request is sent, with its path and query, to the same
/// host over HTTPS on `https_port`.
pub fn redirect_router(https_port: u16) -> axum::Router {
    use axum::http::{StatusCode, Uri, header};
    use axum::response::IntoResponse;
    axum::Router::new().fallback(move |headers: axum::http::HeaderMap, uri: Uri| async move {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(host_without_port)
            .unwrap_or("localhost");
        let plain = |c: char| c.is_ascii_alphanumeric() || ".-[]:".contains(c);
        if host.is_empty() || !host.chars().all(plain) {
            return crate::error::AppError::bad_request("The Host header is not a host name.")
                .into_response();
        }
        let port = if https_port == 443 {
            String::new()
        } else {
            format!(":{https_port}")
        };
        let path = uri.path_and_query().map_or("/", |p| p.as_str());
        let location = format!("https://{host}{port}{path}");
        (
            StatusCode::PERMANENT_REDIRECT,
            [(header::LOCATION, location)],
        )
            .into_response()
    })
}

/// `example.org:80` → `example.org`; `[::1]:80` → `[::1]`.
fn host_without_port(host: &str) -> &str {
    match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) && !name.ends_with(':') => {
            name
        }
        _ => host,
    }
}

/// A client's TLS (mail servers, booking sites' calendars), trusting the system's certificate
/// authorities (and `SSL_CERT_FILE`, as the rest of the system does).
pub fn client_connector() -> Result<tokio_rustls::TlsConnector, String> {
    let mut roots = rustls::RootCertStore::empty();
    for certificate in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(certificate);
    }
    if roots.is_empty() {
        return Err("no trusted certificate authorities found on this system".into());
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| e.to_string())?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(tokio_rustls::TlsConnector::from(Arc::new(config)))
}

#[cfg(test)]
mod tests {
    use super::host_without_port;

    #[test]
    fn the_port_goes_and_the_host_stays() {
        assert_eq!(host_without_port("example.org:80"), "example.org");
        assert_eq!(host_without_port("example.org"), "example.org");
        assert_eq!(host_without_port("[::1]:8080"), "[::1]");
        assert_eq!(host_without_port("[::1]"), "[::1]");
    }
}
