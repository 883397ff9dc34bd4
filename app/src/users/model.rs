//! Users as administrators see and edit them.
use crate::auth::model::{Role, UserId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    pub teams: Vec<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UserQuery {
    /// Matches name or email (substring, case-insensitive).
    pub search: String,
    pub role: Option<Role>,
    pub include_inactive: bool,
    /// Keyset cursor: the email of the last row of the previous page.
    pub after_email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserPage {
    pub users: Vec<UserSummary>,
    pub next_after_email: Option<String>,
}

pub const USER_PAGE_SIZE: i64 = 50;

/// A new account, and the one-time link to send when no password was given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatedUser {
    pub user: UserSummary,
    /// `/invite/<token>`, valid for a week.
    pub invite_path: Option<String>,
}

/// A parsed email address: trimmed, lower-cased, one `@`, a dot in the domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(s: &str) -> Result<EmailAddress, String> {
        let s = s.trim().to_lowercase();
        let bad = || "Enter a valid email address, like name@example.com.".to_string();
        if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad());
        }
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        if local.is_empty()
            || domain.contains('@')
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
        {
            return Err(bad());
        }
        Ok(EmailAddress(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A display name: trimmed, 1–200 characters, no control characters.
pub fn parse_display_name(s: &str) -> Result<String, String> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > 200 || s.chars().any(char::is_control) {
        return Err("Enter a name of 1 to 200 characters.".into());
    }
    Ok(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_addresses_are_normalised_or_refused() {
        assert_eq!(EmailAddress::parse(" Ann@Example.COM ").unwrap().as_str(), "ann@example.com");
        for bad in
            ["", "ann", "ann@", "@example.com", "ann@example", "a b@example.com", "a@b@example.com", "ann@example.com."]
        {
            assert!(EmailAddress::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(parse_display_name("  Ann  ").unwrap(), "Ann");
        assert!(parse_display_name("   ").is_err());
        assert!(parse_display_name(&"x".repeat(201)).is_err());
    }
}

/// Someone tickets can be assigned to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentName {
    pub id: crate::auth::model::UserId,
    pub display_name: String,
}
