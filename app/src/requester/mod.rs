//! The requester beside a ticket: who they are and what else they asked for, so
//! the agent answers with context. Staff only.
pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod repo;
