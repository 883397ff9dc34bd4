//! The agent console (`/desk`): queues and saved views.
pub mod api;
pub mod model;
mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod tabs;

pub use pages::DeskPage;
