//! Types of outgoing mail shared by the browser and the server.
use serde::{Deserialize, Serialize};

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "mail_security", rename_all = "lowercase"))]
#[serde(rename_all = "lowercase")]
pub enum MailSecurity {
    /// Plain SMTP (a relay on the same host or network only).
    None,
    /// SMTP upgraded with STARTTLS, required (usually port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

impl MailSecurity {
    pub const ALL: [MailSecurity; 3] = [MailSecurity::Starttls, MailSecurity::Tls, MailSecurity::None];
    pub fn key(self) -> &'static str {
        match self {
            MailSecurity::None => "none",
            MailSecurity::Starttls => "starttls",
            MailSecurity::Tls => "tls",
        }
    }
    pub fn parse(s: &str) -> Option<MailSecurity> {
        Self::ALL.into_iter().find(|m| m.key() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            MailSecurity::None => "None (trusted network only)",
            MailSecurity::Starttls => "STARTTLS (port 587)",
            MailSecurity::Tls => "TLS (port 465)",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "outbound_mail_status", rename_all = "lowercase"))]
#[serde(rename_all = "lowercase")]
pub enum OutboundStatus {
    Queued,
    Sent,
    Failed,
}

impl OutboundStatus {
    pub const ALL: [OutboundStatus; 3] = [OutboundStatus::Queued, OutboundStatus::Sent, OutboundStatus::Failed];
    pub fn key(self) -> &'static str {
        match self {
            OutboundStatus::Queued => "queued",
            OutboundStatus::Sent => "sent",
            OutboundStatus::Failed => "failed",
        }
    }
    pub fn parse(s: &str) -> Option<OutboundStatus> {
        Self::ALL.into_iter().find(|m| m.key() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            OutboundStatus::Queued => "Queued",
            OutboundStatus::Sent => "Sent",
            OutboundStatus::Failed => "Failed",
        }
    }
}

/// Why a message was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "outbound_mail_kind", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum OutboundKind {
    Test,
    ExpiryAlert,
    DomainChange,
    CertificateChange,
}

impl OutboundKind {
    pub fn label(self) -> &'static str {
        match self {
            OutboundKind::Test => "Test",
            OutboundKind::ExpiryAlert => "Expiry alert",
            OutboundKind::DomainChange => "DNS change",
            OutboundKind::CertificateChange => "Certificate change",
        }
    }
}

/// The relay as an administrator sees it; the password is never sent back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MailSettings {
    /// A relay has been saved.
    pub configured: bool,
    pub enabled: bool,
    pub host: String,
    pub port: u16,
    pub security: MailSecurity,
    pub username: String,
    pub has_password: bool,
    pub from_address: String,
    pub from_name: String,
}

/// What happens to the stored password on save.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case", tag = "action", content = "value")]
pub enum PasswordChange {
    #[default]
    Keep,
    Clear,
    Set(String),
}

/// Never prints a new password.
impl std::fmt::Debug for PasswordChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PasswordChange::Keep => "Keep",
            PasswordChange::Clear => "Clear",
            PasswordChange::Set(_) => "Set(…)",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailSettingsInput {
    pub enabled: bool,
    pub host: String,
    /// Any number, so that a wrong one gets a clear error instead of a decoding failure.
    pub port: i64,
    pub security: MailSecurity,
    pub username: String,
    pub password: PasswordChange,
    pub from_address: String,
    pub from_name: String,
}

/// One message of the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboundMail {
    pub id: uuid::Uuid,
    pub recipient: String,
    pub subject: String,
    pub kind: OutboundKind,
    pub status: OutboundStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Where the next outbox page starts (the last row of this one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxCursor {
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub id: uuid::Uuid,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct OutboxPage {
    pub items: Vec<OutboundMail>,
    pub next: Option<OutboxCursor>,
}
