//! Tickets: workflow, queues, the ticket with its timeline, comments.
pub mod api;
pub mod attachments;
#[cfg(feature = "ssr")]
pub mod export;
pub mod fields;
pub mod links;
#[cfg(feature = "ssr")]
pub mod markdown;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod rules;
