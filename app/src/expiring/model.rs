use crate::links::model::RecordKind;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExpiringItem {
    pub kind: RecordKind,
    pub id: uuid::Uuid,
    pub title: String,
    /// What ends: "Warranty", "License", "Registration", "Certificate", "Password rotation".
    pub what: String,
    pub expires_on: NaiveDate,
    /// Negative once past.
    pub days_left: i64,
    pub href: String,
}

/// When and to whom expiry alerts go.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExpirySettings {
    /// Days before the end date, e.g. [30, 14, 7].
    pub thresholds: Vec<i64>,
    /// Email addresses of staff to alert; empty means every active administrator.
    pub recipients: Vec<String>,
}

impl Default for ExpirySettings {
    fn default() -> Self {
        ExpirySettings { thresholds: vec![30, 14, 7], recipients: vec![] }
    }
}
