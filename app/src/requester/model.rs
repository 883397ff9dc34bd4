//! The requester panel's data.
use crate::auth::model::{Role, UserId};
use crate::tickets::model::{StatusCategory, TicketNumber};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Another ticket of the same requester.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequesterTicket {
    pub number: TicketNumber,
    pub title: String,
    pub status_name: String,
    pub status_category: StatusCategory,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequesterContext {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
    pub teams: Vec<String>,
    pub since: DateTime<Utc>,
    /// Every ticket they requested, this one included.
    pub total: i64,
    /// Of those, not yet resolved or closed.
    pub open: i64,
    /// Their other unresolved tickets, latest activity first (at most `LIST_LIMIT`).
    pub open_tickets: Vec<RequesterTicket>,
    /// Their other tickets of any status, newest first (at most `LIST_LIMIT`).
    pub recent: Vec<RequesterTicket>,
    /// Their assets and the records linked to them (credentials by name only),
    /// by kind then title (at most `RECORD_LIMIT`).
    pub records: Vec<crate::links::model::LinkCandidate>,
}

/// How many of the requester's records the panel lists.
pub const RECORD_LIMIT: i64 = 20;

/// How many tickets each list of the panel shows.
pub const LIST_LIMIT: i64 = 5;
