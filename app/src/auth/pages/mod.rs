//! Sign-in and the user's own account page.
mod account;
mod invite;
mod login;
pub use account::AccountPage;
pub use invite::InvitePage;
pub use login::LoginPage;
