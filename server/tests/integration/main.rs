//! Every server integration test in one binary: one link instead of one per
//! file keeps the debug build small enough for a CI disk and much faster to link.
//! Each module is what used to be its own test file; run one with
//! `cargo test -p server --test integration assets::`.

mod common;

mod assets;
mod attachments;
mod audit;
mod auth;
mod cli;
mod desk;
mod documents;
mod domains;
mod embedded;
mod jobs_queue;
mod licenses;
mod macros;
mod mail;
mod multiprocess;
mod presence;
mod requester;
mod role_matrix;
mod sample;
mod settings;
mod ticket_fields;
mod ticket_links;
mod tickets;
mod vault;
