//! Who else is on a ticket.
use crate::auth::model::UserId;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presence {
    pub user_id: UserId,
    pub name: String,
    /// Typed into the reply box within the last `TYPING_SECS`.
    pub replying: bool,
}

/// How often an open ticket view says it is still there.
pub const HEARTBEAT_SECS: u64 = 10;
/// A viewer not heard from for this long has left (closed tab, lost network).
pub const EXPIRY_SECS: i32 = 30;
/// How long after the last saved keystroke an agent still counts as replying.
pub const TYPING_SECS: i32 = 10;
