//! Shared components: buttons, inputs, cards, badges, empty states, the app frame.
pub mod frame;
pub mod guard;
pub mod palette;
pub mod widgets;

pub use frame::AppFrame;
pub use guard::Guarded;
pub use widgets::*;
