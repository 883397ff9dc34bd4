//! Credentials as the browser sees them. Secrets never appear here except in
//! the answer of an explicit, audited reveal.
use serde::{Deserialize, Serialize};

/// Which encrypted value of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "vault_secret_field", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum SecretField {
    Password,
    TotpSeed,
    LicenseKey,
}

impl SecretField {
    /// The name used in the associated data and the audit log.
    pub fn key(self) -> &'static str {
        match self {
            SecretField::Password => "password",
            SecretField::TotpSeed => "totp_seed",
            SecretField::LicenseKey => "license_key",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "totp_algorithm", rename_all = "lowercase"))]
#[serde(rename_all = "lowercase")]
pub enum TotpAlgorithm {
    #[default]
    Sha1,
    Sha256,
    Sha512,
}

/// Where a rotation or expiry date stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpiryState {
    /// No date, or more than 30 days away.
    Ok,
    /// Within 30 days.
    Soon,
    /// Today or past.
    Due,
}

/// A row of the credential list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CredentialSummary {
    pub id: uuid::Uuid,
    pub name: String,
    pub username: String,
    pub url: String,
    pub has_password: bool,
    pub has_totp: bool,
    pub expires_on: Option<chrono::NaiveDate>,
    pub expiry: ExpiryState,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CredentialPage {
    pub items: Vec<CredentialSummary>,
    /// Pass back as `after` for the next page; None on the last page.
    pub next: Option<CredentialCursor>,
}

/// Keyset position in the list (ordered by lower(name), id).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CredentialCursor {
    pub name: String,
    pub id: uuid::Uuid,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Credential {
    pub id: uuid::Uuid,
    pub name: String,
    pub username: String,
    pub url: String,
    pub notes: String,
    pub has_password: bool,
    pub has_totp: bool,
    pub totp_algorithm: Option<TotpAlgorithm>,
    pub totp_digits: Option<i16>,
    pub totp_period: Option<i16>,
    pub expires_on: Option<chrono::NaiveDate>,
    pub expiry: ExpiryState,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// What to do with a secret when saving.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "op", content = "value", rename_all = "snake_case")]
pub enum SecretChange {
    #[default]
    Keep,
    Set(String),
    Clear,
}

impl SecretChange {
    pub fn is_keep(&self) -> bool {
        matches!(self, SecretChange::Keep)
    }
}

/// Create (`id: None`) or change a credential. `totp` takes an `otpauth://` URI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct CredentialInput {
    pub id: Option<uuid::Uuid>,
    pub name: String,
    pub username: String,
    pub url: String,
    pub notes: String,
    /// `YYYY-MM-DD` or empty.
    pub expires_on: String,
    pub password: SecretChange,
    pub totp: SecretChange,
}

/// Why a secret is shown: on screen, or straight to the clipboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevealPurpose {
    Reveal,
    Copy,
}

impl RevealPurpose {
    pub fn verb(self) -> &'static str {
        match self {
            RevealPurpose::Reveal => "reveal",
            RevealPurpose::Copy => "copy",
        }
    }
}

/// A revealed secret and how long the screen may show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revealed {
    pub secret: String,
    pub visible_seconds: u32,
}

/// The current TOTP code; the seed stays on the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TotpCode {
    pub code: String,
    pub seconds_remaining: u32,
    pub period: u32,
}

/// Options of the password generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordOptions {
    pub length: u32,
    pub lower: bool,
    pub upper: bool,
    pub digits: bool,
    pub symbols: bool,
    /// Leave out look-alikes (0 O o 1 l I | ` ' ").
    pub avoid_ambiguous: bool,
}

impl Default for PasswordOptions {
    fn default() -> Self {
        PasswordOptions { length: 20, lower: true, upper: true, digits: true, symbols: true, avoid_ambiguous: true }
    }
}

/// How long a revealed secret stays on screen.
pub const REVEAL_SECONDS: u32 = 30;
/// Shortest reason accepted for a reveal.
pub const MIN_REASON: usize = 8;
/// Largest QR image accepted.
pub const MAX_QR_BYTES: usize = 2 * 1024 * 1024;
pub const PAGE_SIZE: i64 = 50;
