//! Ticket pages: the queue table of the console and the ticket view.
mod classify;
mod presence;
mod queue;
mod requester;
mod view;
pub use queue::{Queue, QueueTable, Selection};
pub use view::TicketView;
