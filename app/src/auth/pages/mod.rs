//! Sign-in and the user's own account page.
mod account;
mod login;
pub use account::AccountPage;
pub use login::LoginPage;
