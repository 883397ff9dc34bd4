//! Helios: the application shared by the server (feature `ssr`) and the browser
//! (feature `hydrate`). One folder per domain; see ARCHITECTURE in docs/.
#![forbid(unsafe_code)]
#![recursion_limit = "512"]

pub mod admin;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod context;
pub mod desk;
pub mod documents;
pub mod domains;
pub mod error;
pub mod expiring;
pub mod jobs;
pub mod licenses;
pub mod links;
pub mod live;
pub mod macros;
pub mod mail;
pub mod modules;
pub mod notifications;
pub mod presence;
pub mod requester;
pub mod settings;
pub mod teams;
pub mod tickets;
pub mod ui;
pub mod users;
pub mod vault;

#[cfg(feature = "ssr")]
pub mod security;
#[cfg(feature = "ssr")]
pub mod state;

mod root;
pub use root::{shell, App};
