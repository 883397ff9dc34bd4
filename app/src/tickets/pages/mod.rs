//! Ticket pages: the queue table of the console and the ticket view.
mod attachments;
mod links;
mod queue;
mod view;
pub use queue::{Queue, QueueTable, Selection};
pub use view::TicketView;
