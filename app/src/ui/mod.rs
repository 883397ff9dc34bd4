//! Shared components: buttons, inputs, cards, badges, empty states, the app frame.
pub mod frame;
pub mod guard;
pub mod http;
pub mod keyset;
pub mod palette;
pub mod picker;
pub mod widgets;

pub use frame::AppFrame;
pub use guard::Guarded;
pub use keyset::KeysetList;
pub use picker::{Choice, Picker};
pub use widgets::*;
