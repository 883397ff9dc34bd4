//! Software titles and their licenses as the browser sees them. License keys are
//! vault secrets: only an audited reveal returns one.
use crate::vault::model::ExpiryState;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SoftwareSummary {
    pub id: uuid::Uuid,
    pub name: String,
    pub vendor: String,
    pub licenses: i64,
    pub seats: i64,
    pub assigned: i64,
    /// At least one license has more assignments than seats.
    pub over_assigned: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SoftwareCursor {
    pub name: String,
    pub id: uuid::Uuid,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SoftwareListPage {
    pub items: Vec<SoftwareSummary>,
    pub next: Option<SoftwareCursor>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Software {
    pub id: uuid::Uuid,
    pub name: String,
    pub vendor: String,
    pub notes: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SoftwareDetail {
    pub software: Software,
    pub licenses: Vec<LicenseSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct SoftwareInput {
    pub id: Option<uuid::Uuid>,
    pub name: String,
    pub vendor: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LicenseSummary {
    pub id: uuid::Uuid,
    pub software_id: uuid::Uuid,
    pub name: String,
    pub seats: i32,
    pub assigned: i64,
    pub over_assigned: bool,
    pub expires_on: Option<chrono::NaiveDate>,
    pub expiry: ExpiryState,
    pub has_key: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct License {
    pub id: uuid::Uuid,
    pub software_id: uuid::Uuid,
    pub software_name: String,
    pub name: String,
    pub seats: i32,
    pub expires_on: Option<chrono::NaiveDate>,
    pub expiry: ExpiryState,
    pub purchased_on: Option<chrono::NaiveDate>,
    pub cost_cents: Option<i64>,
    pub notes: String,
    pub has_key: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// Who or what holds a seat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Assignee {
    User(uuid::Uuid),
    Asset(uuid::Uuid),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub id: uuid::Uuid,
    pub assignee: Assignee,
    /// The user's name and email, or the asset id.
    pub label: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LicenseDetail {
    pub license: License,
    pub assignments: Vec<Assignment>,
    /// More assignments than seats: shown as a warning, never refused.
    pub over_assigned: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct LicenseInput {
    pub id: Option<uuid::Uuid>,
    pub software_id: Option<uuid::Uuid>,
    pub name: String,
    /// Whole number of seats, 1 or more.
    pub seats: String,
    /// `YYYY-MM-DD` or empty.
    pub expires_on: String,
    pub purchased_on: String,
    /// e.g. `1234.50`, or empty.
    pub cost: String,
    pub notes: String,
    pub license_key: crate::vault::model::SecretChange,
}

pub const PAGE_SIZE: i64 = 50;

/// Parses a cost like `1234.5` or `1,234.50` into cents.
pub fn parse_cost(s: &str) -> Result<Option<i64>, String> {
    let t: String = s.trim().chars().filter(|c| *c != ',' && *c != ' ').collect();
    if t.is_empty() {
        return Ok(None);
    }
    let msg = || "Use an amount like 1234.50.".to_string();
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return Err(msg());
    }
    let whole: i64 = whole.parse().map_err(|_| msg())?;
    let frac: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().map_err(|_| msg())? };
    whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(frac))
        .filter(|v| *v <= 1_000_000_000_000)
        .map(Some)
        .ok_or_else(msg)
}

pub fn fmt_cost(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_parse_to_cents() {
        assert_eq!(parse_cost(""), Ok(None));
        assert_eq!(parse_cost("1,234.5"), Ok(Some(123450)));
        assert_eq!(parse_cost("12"), Ok(Some(1200)));
        assert_eq!(parse_cost("0.07"), Ok(Some(7)));
        assert!(parse_cost("-1").is_err());
        assert!(parse_cost("1.234").is_err());
        assert!(parse_cost("abc").is_err());
        assert_eq!(fmt_cost(123450), "1234.50");
    }
}
