//! Domains and certificates as the browser and server see them.
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// DNS record types a check reads. `_dmarc` and DKIM selector records are TXT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum RecordType {
    Soa,
    Ns,
    A,
    Aaaa,
    Cname,
    Mx,
    Txt,
    Caa,
}

impl RecordType {
    pub const ALL: [RecordType; 8] = [
        RecordType::Soa,
        RecordType::Ns,
        RecordType::A,
        RecordType::Aaaa,
        RecordType::Cname,
        RecordType::Mx,
        RecordType::Txt,
        RecordType::Caa,
    ];

    pub fn label(self) -> &'static str {
        match self {
            RecordType::Soa => "SOA",
            RecordType::Ns => "NS",
            RecordType::A => "A",
            RecordType::Aaaa => "AAAA",
            RecordType::Cname => "CNAME",
            RecordType::Mx => "MX",
            RecordType::Txt => "TXT",
            RecordType::Caa => "CAA",
        }
    }
}

/// One record as stored: owner name (lower-case, no trailing dot), type and the
/// record data in presentation form. TTLs are left out on purpose, so a TTL
/// change is not reported as a record change. Ordered by type, name, value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DnsRecord {
    #[serde(rename = "type")]
    pub rtype: RecordType,
    pub name: String,
    pub value: String,
}

/// Outcome of the last DNS or certificate check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "check_status", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Ok,
    Changed,
    Failed,
}

impl CheckStatus {
    pub fn label(self) -> &'static str {
        match self {
            CheckStatus::Ok => "OK",
            CheckStatus::Changed => "Changed",
            CheckStatus::Failed => "Failed",
        }
    }
}

/// A row of the domain list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomainRow {
    pub id: uuid::Uuid,
    pub name: String,
    pub registrar: String,
    pub expires_on: Option<NaiveDate>,
    /// Days left until `expires_on` (negative once past), by the server's clock.
    pub expires_in_days: Option<i32>,
    pub last_checked_at: Option<DateTime<Utc>>,
    pub last_check_status: Option<CheckStatus>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct DomainQuery {
    /// Part of the name.
    pub search: String,
    /// Keyset: the last name of the previous page.
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomainPage {
    pub items: Vec<DomainRow>,
    /// Pass as `after` for the next page; None on the last page.
    pub next: Option<String>,
}

pub const PAGE_SIZE: i64 = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Domain {
    pub id: uuid::Uuid,
    pub name: String,
    pub registrar: String,
    pub expires_on: Option<NaiveDate>,
    pub notes: String,
    pub dkim_selectors: Vec<String>,
    pub ticket_on_change: bool,
    pub expires_in_days: Option<i32>,
    pub last_checked_at: Option<DateTime<Utc>>,
    pub last_check_status: Option<CheckStatus>,
    pub last_check_error: Option<String>,
}

/// What the form sends to create (`id: None`) or change a domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct DomainInput {
    pub id: Option<uuid::Uuid>,
    pub name: String,
    pub registrar: String,
    pub expires_on: Option<NaiveDate>,
    pub notes: String,
    pub dkim_selectors: Vec<String>,
    pub ticket_on_change: bool,
}

/// A check whose record set differed from the previous one: exactly what came and went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DnsChange {
    pub id: uuid::Uuid,
    pub checked_at: DateTime<Utc>,
    pub added: Vec<DnsRecord>,
    pub removed: Vec<DnsRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomainDetail {
    pub domain: Domain,
    /// The record set of the last successful check (empty before the first).
    pub records: Vec<DnsRecord>,
    /// Newest first, at most 100.
    pub history: Vec<DnsChange>,
    pub certificates: Vec<Certificate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Certificate {
    pub id: uuid::Uuid,
    pub host: String,
    pub port: i32,
    pub domain_id: Option<uuid::Uuid>,
    pub domain_name: Option<String>,
    pub subject: Option<String>,
    pub issuer: Option<String>,
    pub sans: Vec<String>,
    pub not_before: Option<DateTime<Utc>>,
    pub not_after: Option<DateTime<Utc>>,
    /// Whole days left until `not_after` (negative once past).
    pub expires_in_days: Option<i32>,
    pub fingerprint: Option<String>,
    pub key_type: Option<String>,
    pub key_bits: Option<i32>,
    /// Why the chain would not verify against the public roots; None when it does.
    pub trust_error: Option<String>,
    /// The SANs cover the host (None before the first successful check).
    pub host_matches: Option<bool>,
    pub last_checked_at: Option<DateTime<Utc>>,
    pub last_check_status: Option<CheckStatus>,
    pub last_check_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct CertificateInput {
    pub id: Option<uuid::Uuid>,
    pub host: String,
    pub port: i32,
    pub domain_id: Option<uuid::Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct CertificateQuery {
    pub search: String,
    /// Keyset: host and port of the last row of the previous page.
    pub after: Option<(String, i32)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificatePage {
    pub items: Vec<Certificate>,
    pub next: Option<(String, i32)>,
}

/// A check that read a different certificate than the previous one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertChange {
    pub id: uuid::Uuid,
    pub checked_at: DateTime<Utc>,
    pub old_fingerprint: String,
    pub new_fingerprint: String,
    pub subject: String,
    pub not_after: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificateDetail {
    pub certificate: Certificate,
    pub history: Vec<CertChange>,
}

/// Admin settings of the module (the `domains` settings document).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct DomainsSettings {
    /// `ip:port` of the nameserver checks ask; None = the system resolver.
    pub resolver: Option<String>,
    /// CIDRs of private/loopback/… addresses that checks may still reach.
    pub allow_list: Vec<String>,
    /// Open a ticket for every DNS change of every domain.
    pub ticket_on_change: bool,
}

/// How an expiry is shown: past, within 30 days, or later.
pub fn expiry_tone(days: Option<i32>) -> &'static str {
    match days {
        Some(d) if d < 0 => "text-danger font-medium",
        Some(d) if d < 30 => "text-warn font-medium",
        _ => "text-fg",
    }
}
