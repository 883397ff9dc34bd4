//! The network half of the Domains module: DNS lookups and TLS certificate
//! reads, each behind the outbound guard and bounded by timeouts, and the job
//! handlers (`domains.dns_check`, `domains.cert_check`) that store their results
//! through `app::domains::api::server`.
pub mod dns;
pub mod guard;
pub mod tls;

use app::domains::api::server::{record_certificate_result, record_dns_result, CertOutcome, DnsOutcome};
use app::domains::repo;
use app::domains::rules;
use app::error::AppError;
use sqlx::PgPool;
use std::time::Duration;

pub use app::domains::api::server::{CERT_JOB, DNS_JOB};

/// Time limits of one check. A peer that accepts and then stays silent, or
/// trickles bytes, is cut off by the handshake limit.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Resolving a certificate host with the system resolver.
    pub resolve: Duration,
    /// One DNS query (per attempt; one attempt per nameserver).
    pub dns_query: Duration,
    /// TCP connect.
    pub connect: Duration,
    /// The whole TLS handshake, after connecting.
    pub handshake: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            resolve: Duration::from_secs(5),
            dns_query: Duration::from_secs(3),
            connect: Duration::from_secs(4),
            handshake: Duration::from_secs(5),
        }
    }
}

/// Looks up one domain's records now and stores the result (history, notice, ticket).
/// A lookup failure is stored on the domain and returned as `AppError::Conflict`.
pub async fn check_domain(pool: &PgPool, id: uuid::Uuid, limits: &Limits) -> Result<DnsOutcome, AppError> {
    let (domain, _) = repo::get(pool, id).await?.ok_or_else(|| AppError::NotFound("Domain".into()))?;
    let settings = repo::load_settings(pool).await?;
    let result = async {
        let allow = rules::parse_allow_list(&settings.allow_list)?;
        let server = match settings.resolver.as_deref() {
            Some(r) => {
                let addr = rules::parse_resolver(r)?;
                rules::check_target(addr.ip(), &allow)?;
                Some(addr)
            }
            None => None,
        };
        dns::lookup_all(&domain.name, &domain.dkim_selectors, server, limits).await
    }
    .await;
    record_dns_result(pool, id, result).await
}

/// Reads one certificate now and stores the result (history and notice on change).
pub async fn check_certificate(pool: &PgPool, id: uuid::Uuid, limits: &Limits) -> Result<CertOutcome, AppError> {
    let cert = repo::get_certificate(pool, id).await?.ok_or_else(|| AppError::NotFound("Certificate".into()))?;
    let settings = repo::load_settings(pool).await?;
    let result = async {
        let allow = rules::parse_allow_list(&settings.allow_list)?;
        let port = u16::try_from(cert.port).map_err(|_| "bad port".to_string())?;
        tls::read_certificate(&cert.host, port, &allow, limits).await
    }
    .await;
    record_certificate_result(pool, id, result).await
}

/// The ids a job works on: the one in its payload (`key`), or all of them.
fn ids_from(payload: &serde_json::Value, key: &str) -> Option<uuid::Uuid> {
    payload.get(key).and_then(|v| v.as_str()).and_then(|s| uuid::Uuid::parse_str(s).ok())
}

/// Failures of the checked peer are stored on the record and not retried;
/// database errors fail the job so the queue retries it.
fn settle<T>(what: &str, id: uuid::Uuid, r: Result<T, AppError>) -> anyhow::Result<()> {
    match r {
        Ok(_) => Ok(()),
        Err(AppError::Conflict(e)) => {
            tracing::info!(what, %id, error = %e, "check failed");
            Ok(())
        }
        // Deleted in the meantime.
        Err(AppError::NotFound(_)) => Ok(()),
        Err(e) => Err(anyhow::anyhow!("{what} {id}: {e}")),
    }
}

/// `domains.dns_check`: `{"domain_id": …}` checks one domain, anything else all.
pub async fn dns_job(pool: &PgPool, payload: &serde_json::Value) -> anyhow::Result<()> {
    let ids = match ids_from(payload, "domain_id") {
        Some(id) => vec![id],
        None => repo::all_domain_ids(pool).await?,
    };
    let limits = Limits::default();
    for id in ids {
        settle("domain", id, check_domain(pool, id, &limits).await)?;
    }
    Ok(())
}

/// `domains.cert_check`: `{"certificate_id": …}` checks one certificate, anything else all.
pub async fn cert_job(pool: &PgPool, payload: &serde_json::Value) -> anyhow::Result<()> {
    let ids = match ids_from(payload, "certificate_id") {
        Some(id) => vec![id],
        None => repo::all_certificate_ids(pool).await?,
    };
    let limits = Limits::default();
    for id in ids {
        settle("certificate", id, check_certificate(pool, id, &limits).await)?;
    }
    Ok(())
}
