//! Saved queue views.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedView {
    pub id: uuid::Uuid,
    pub name: String,
    /// Shared with every agent (else personal).
    pub shared: bool,
    pub filter: crate::tickets::model::TicketFilter,
}
