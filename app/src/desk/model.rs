//! Saved queue views, the console's tabs and reply drafts.
use crate::tickets::model::{StatusCategory, TicketNumber};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedView {
    pub id: uuid::Uuid,
    pub name: String,
    /// Shared with every agent (else personal).
    pub shared: bool,
    /// The caller may rename or delete it (their own, or a shared one as a manager).
    pub editable: bool,
    pub filter: crate::tickets::model::TicketFilter,
}

/// A ticket open as a tab in the console, in the agent's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeskTab {
    pub number: TicketNumber,
    pub title: String,
    pub status_category: StatusCategory,
    /// An unsent reply is saved for this tab.
    pub has_draft: bool,
}

/// An unsent reply, saved while typing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub body: String,
    pub internal: bool,
    pub updated_at: DateTime<Utc>,
}

/// How many tickets can be open as tabs at once; opening one more closes the
/// oldest tab that has no draft.
pub const MAX_TABS: i64 = 20;
