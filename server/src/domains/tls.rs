//! Reads a server's certificate chain with tokio-rustls and parses the leaf
//! with x509-parser. The verifier accepts any chain so that expired,
//! self-signed or misnamed certificates can still be read; whether the chain
//! would verify against the public web roots is recorded, not enforced.
use super::{guard, Limits};
use app::domains::repo::CertReading;
use app::domains::rules::{host_matches, Cidr};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use tokio_rustls::rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use tokio_rustls::rustls::client::WebPkiServerVerifier;
use tokio_rustls::rustls::crypto::{self, CryptoProvider};
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use tokio_rustls::rustls::{self, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use x509_parser::prelude::*;

/// Delegates to the web-PKI verifier, keeps its verdict, and always lets the
/// handshake go on.
#[derive(Debug)]
struct Recorder {
    webpki: Arc<WebPkiServerVerifier>,
    provider: Arc<CryptoProvider>,
    verdict: Mutex<Option<String>>,
}

impl Recorder {
    fn note(&self, problem: String) {
        let mut v = self.verdict.lock().unwrap_or_else(|p| p.into_inner());
        v.get_or_insert(problem);
    }
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Err(e) = self.webpki.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            self.note(e.to_string());
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        if let Err(e) =
            crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
        {
            self.note(format!("handshake signature: {e}"));
        }
        Ok(HandshakeSignatureValid::assertion())
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        if let Err(e) =
            crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
        {
            self.note(format!("handshake signature: {e}"));
        }
        Ok(HandshakeSignatureValid::assertion())
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// Connects to `host:port` (through the guard), completes a TLS handshake and
/// parses the leaf certificate.
pub async fn read_certificate(host: &str, port: u16, allow: &[Cidr], limits: &Limits) -> Result<CertReading, String> {
    let addr = guard::resolve(host, port, allow, limits.resolve).await?;
    let provider = Arc::new(crypto::ring::default_provider());
    let roots = Arc::new(RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() });
    let webpki = WebPkiServerVerifier::builder_with_provider(roots, provider.clone())
        .build()
        .map_err(|e| format!("TLS setup: {e}"))?;
    let recorder = Arc::new(Recorder { webpki, provider: provider.clone(), verdict: Mutex::new(None) });
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(recorder.clone())
        .with_no_client_auth();
    let server_name =
        ServerName::try_from(host.to_string()).map_err(|_| format!("\"{host}\" is not a valid TLS name."))?;

    let tcp = tokio::time::timeout(limits.connect, tokio::net::TcpStream::connect(addr))
        .await
        .map_err(|_| format!("Connecting to {addr} timed out after {} s.", limits.connect.as_secs()))?
        .map_err(|e| format!("Cannot connect to {addr}: {e}"))?;
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tls = tokio::time::timeout(limits.handshake, connector.connect(server_name, tcp))
        .await
        .map_err(|_| format!("The TLS handshake with {addr} did not finish within {} s.", limits.handshake.as_secs()))?
        .map_err(|e| format!("TLS handshake with {addr} failed: {e}"))?;
    let (_, conn) = tls.get_ref();
    let leaf = conn
        .peer_certificates()
        .and_then(|c| c.first())
        .ok_or_else(|| format!("{addr} sent no certificate."))?
        .as_ref()
        .to_vec();
    drop(tls);
    let trust_error = recorder.verdict.lock().unwrap_or_else(|p| p.into_inner()).clone();
    parse_leaf(&leaf, host, trust_error)
}

fn time_of(t: ASN1Time) -> Result<DateTime<Utc>, String> {
    DateTime::from_timestamp(t.timestamp(), 0).ok_or_else(|| "certificate date out of range".to_string())
}

/// Uppercase hex pairs separated by colons, as browsers show them.
pub fn fingerprint(der: &[u8]) -> String {
    Sha256::digest(der).iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

/// Subject, issuer, SANs (DNS names and IP addresses), validity, SHA-256
/// fingerprint of the DER, key type and size; whether the SANs cover `host`.
pub fn parse_leaf(der: &[u8], host: &str, trust_error: Option<String>) -> Result<CertReading, String> {
    let (_, cert) = X509Certificate::from_der(der).map_err(|e| format!("Unreadable certificate: {e}"))?;
    let sans: Vec<String> = match cert.subject_alternative_name() {
        Ok(Some(ext)) => ext
            .value
            .general_names
            .iter()
            .filter_map(|g| match g {
                GeneralName::DNSName(n) => Some(n.to_ascii_lowercase()),
                GeneralName::IPAddress(b) => match b.len() {
                    4 => Some(IpAddr::from(<[u8; 4]>::try_from(*b).ok()?).to_string()),
                    16 => Some(IpAddr::from(<[u8; 16]>::try_from(*b).ok()?).to_string()),
                    _ => None,
                },
                _ => None,
            })
            .collect(),
        _ => vec![],
    };
    let spki = cert.public_key();
    let (key_type, key_bits) = match spki.parsed() {
        Ok(x509_parser::public_key::PublicKey::RSA(k)) => ("RSA".to_string(), Some(k.key_size() as i32)),
        Ok(x509_parser::public_key::PublicKey::EC(p)) => {
            // Uncompressed point: 1 + 2 × coordinate bytes.
            let bits = match p.data().len() {
                65 => 256,
                97 => 384,
                133 => 521,
                n => ((n.saturating_sub(1)) / 2 * 8) as i32,
            };
            ("EC".to_string(), Some(bits))
        }
        Ok(x509_parser::public_key::PublicKey::DSA(_)) => ("DSA".to_string(), None),
        _ => match spki.algorithm.algorithm.to_id_string().as_str() {
            "1.3.101.112" => ("Ed25519".to_string(), Some(256)),
            "1.3.101.113" => ("Ed448".to_string(), Some(456)),
            other => (other.to_string(), None),
        },
    };
    Ok(CertReading {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        host_matches: host_matches(host, &sans),
        sans,
        not_before: time_of(cert.validity().not_before)?,
        not_after: time_of(cert.validity().not_after)?,
        fingerprint: fingerprint(der),
        key_type,
        key_bits,
        trust_error,
    })
}
