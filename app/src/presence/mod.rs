//! Presence on tickets: which agents have a ticket open and who is typing a reply,
//! so two agents don't answer the same requester at once. Each open ticket view
//! sends a heartbeat; a row not refreshed for `EXPIRY_SECS` counts as gone. Changes
//! (someone arrives, starts typing, leaves) are announced on the live channel, to
//! staff only: requesters never appear and never see it.
pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod repo;
