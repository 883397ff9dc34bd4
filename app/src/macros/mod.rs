//! Macros (saved replies): a text with placeholders and optional field changes,
//! personal or shared, applied to a ticket from the command palette.
pub mod api;
pub mod bridge;
pub mod model;
mod pages;
#[cfg(feature = "ssr")]
pub mod repo;

pub use pages::MacrosPage;
