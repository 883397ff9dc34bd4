//! The agent console (`/desk`): queues and saved views.
pub mod api;
pub mod model;
mod more_filters;
mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod tabs;

pub use pages::DeskPage;
