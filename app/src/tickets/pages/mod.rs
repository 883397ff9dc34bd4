//! Ticket pages: the queue table of the console and the ticket view.
mod attachments;
mod classify;
mod links;
mod presence;
mod queue;
mod requester;
mod view;
pub use queue::{Queue, QueueTable, Selection};
pub use view::TicketView;
