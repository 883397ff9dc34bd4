//! Audit log entries as shown to administrators.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    pub actor_label: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    /// Pretty-printed JSON of the record before and after the change (never secrets).
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Filters of the audit page; empty strings mean "any".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub action: String,
    pub entity_type: String,
    /// Matches the actor's label (email) by substring.
    pub actor: String,
    /// `YYYY-MM-DD`, inclusive.
    pub from: String,
    pub to: String,
    /// Keyset cursor: entries with an id below this.
    pub before_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Cursor for the next page, None at the end.
    pub next_before_id: Option<i64>,
}

pub const AUDIT_PAGE_SIZE: i64 = 50;
