//! Live updates: typed events sent from PostgreSQL NOTIFY to every browser tab over
//! one websocket per tab. The enum is shared by server and browser.
use crate::auth::model::{CurrentUser, Permission, UserId};
use serde::{Deserialize, Serialize};

#[cfg(feature = "hydrate")]
pub mod client;
#[cfg(feature = "ssr")]
pub mod repo;

/// The NOTIFY channel every server process listens on.
pub const CHANNEL: &str = "helios_events";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveEvent {
    /// First message on a new connection: which server process answers.
    Hello { node: String },
    /// Modules, labels or branding changed: reload public settings.
    SettingsChanged,
    /// A user was created or changed.
    UserChanged { user_id: UserId },
    /// A team or its membership changed.
    TeamChanged { team_id: uuid::Uuid },
    /// A ticket was created or changed (fields, status, comments).
    TicketChanged { number: i64 },
    /// The user's sessions were revoked: the tab should return to sign-in.
    SessionsRevoked { user_id: UserId },
    /// Statuses, transitions, categories or custom fields changed.
    DeskConfigChanged,
    /// Someone opened, left or started typing on a ticket (staff only).
    PresenceChanged { number: i64 },
}

/// Who may receive an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Audience {
    Everyone,
    WithPermission { permission: Permission },
    User { user_id: UserId },
}

impl Audience {
    pub fn admits(&self, user: &CurrentUser) -> bool {
        match self {
            Audience::Everyone => true,
            Audience::WithPermission { permission } => user.can(*permission),
            Audience::User { user_id } => user.id == *user_id,
        }
    }
}

/// What travels through NOTIFY.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    pub audience: Audience,
    pub event: LiveEvent,
}
