//! Checks on the relay settings an administrator enters.
use super::model::{MailSecurity, MailSettingsInput, PasswordChange};
use crate::error::AppError;
use crate::users::model::EmailAddress;

/// A relay whose every field has been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRelay {
    pub enabled: bool,
    pub host: String,
    pub port: u16,
    pub security: MailSecurity,
    pub username: String,
    pub password: PasswordChange,
    pub from_address: String,
    pub from_name: String,
}

/// A host name (letters, digits, dots, hyphens) or an IP address.
fn host_ok(h: &str) -> bool {
    if h.parse::<std::net::IpAddr>().is_ok() {
        return true;
    }
    !h.is_empty()
        && h.len() <= 253
        && h.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

pub fn normalise(i: MailSettingsInput) -> Result<ValidRelay, AppError> {
    let host = i.host.trim().trim_end_matches('.').to_ascii_lowercase();
    if !host_ok(&host) {
        return Err(AppError::field("host", "Enter the relay's host name (smtp.example.com) or IP address."));
    }
    let port = u16::try_from(i.port)
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| AppError::field("port", "The port is a number from 1 to 65535."))?;
    let username = i.username.trim().to_string();
    if username.chars().count() > 254 || username.chars().any(char::is_control) {
        return Err(AppError::field("username", "The user name is at most 254 characters, on one line."));
    }
    if !username.is_empty() && i.security == MailSecurity::None {
        return Err(AppError::field(
            "username",
            "A password is only sent over an encrypted connection: choose STARTTLS or TLS, or leave the user name empty.",
        ));
    }
    if let PasswordChange::Set(p) = &i.password {
        if p.is_empty() || p.chars().count() > 512 || p.chars().any(char::is_control) {
            return Err(AppError::field("password", "The password is 1 to 512 characters, on one line."));
        }
        if username.is_empty() {
            return Err(AppError::field("username", "Enter the user name that goes with the password."));
        }
    }
    let from_address = EmailAddress::parse(&i.from_address)
        .map_err(|_| {
            AppError::field("from_address", "Enter the address mail is sent from, like helpdesk@example.com.")
        })?
        .as_str()
        .to_string();
    let from_name = i.from_name.trim().to_string();
    if from_name.chars().count() > 100 || from_name.chars().any(char::is_control) {
        return Err(AppError::field("from_name", "The sender name is at most 100 characters, on one line."));
    }
    Ok(ValidRelay {
        enabled: i.enabled,
        host,
        port,
        security: i.security,
        username,
        password: i.password,
        from_address,
        from_name,
    })
}

/// Longest text of one message (the outbox column's limit); longer is cut with a note.
pub const BODY_MAX: usize = 100_000;

/// A body within [`BODY_MAX`] characters: alerts list outside data (DNS records),
/// which must not be able to make the message, and its event, fail.
pub fn body_text(s: &str) -> String {
    const NOTE: &str = "\n\n[…cut: the full text is in Helios]";
    match s.char_indices().nth(BODY_MAX - NOTE.chars().count()) {
        Some((cut, _)) => format!("{}{NOTE}", &s[..cut]),
        None => s.to_string(),
    }
}

/// A subject on one line and within 200 characters (alert titles are user data).
pub fn subject_line(s: &str) -> String {
    let one_line: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let trimmed = one_line.trim();
    match trimmed.char_indices().nth(197) {
        Some((cut, _)) => format!("{}…", &trimmed[..cut]),
        None => trimmed.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> MailSettingsInput {
        MailSettingsInput {
            enabled: true,
            host: " SMTP.Example.com. ".into(),
            port: 587,
            security: MailSecurity::Starttls,
            username: "helios".into(),
            password: PasswordChange::Set("s3cret".into()),
            from_address: "Helpdesk@Example.com".into(),
            from_name: " IT Helpdesk ".into(),
        }
    }

    #[test]
    fn a_good_relay_is_tidied() {
        let r = normalise(input()).unwrap();
        assert_eq!(r.host, "smtp.example.com");
        assert_eq!(r.port, 587);
        assert_eq!(r.from_address, "helpdesk@example.com");
        assert_eq!(r.from_name, "IT Helpdesk");
        assert_eq!(normalise(MailSettingsInput { host: "127.0.0.1".into(), ..input() }).unwrap().host, "127.0.0.1");
    }

    fn field_of(i: MailSettingsInput) -> String {
        match normalise(i) {
            Err(AppError::Validation { fields, .. }) => fields.keys().next().cloned().unwrap_or_default(),
            other => panic!("accepted: {other:?}"),
        }
    }

    #[test]
    fn bad_fields_are_named() {
        for host in ["", "smtp example.com", "-bad.example.com", "a..b", "smtp.example.com:25", "x\r\ny"] {
            assert_eq!(field_of(MailSettingsInput { host: host.into(), ..input() }), "host", "{host:?}");
        }
        for port in [0, -1, 65536] {
            assert_eq!(field_of(MailSettingsInput { port, ..input() }), "port");
        }
        assert_eq!(field_of(MailSettingsInput { from_address: "helpdesk".into(), ..input() }), "from_address");
        assert_eq!(field_of(MailSettingsInput { from_name: "a\nb".into(), ..input() }), "from_name");
        assert_eq!(field_of(MailSettingsInput { password: PasswordChange::Set("a\nb".into()), ..input() }), "password");
        assert_eq!(field_of(MailSettingsInput { username: "".into(), ..input() }), "username");
    }

    #[test]
    fn no_credentials_over_a_plain_connection() {
        assert_eq!(field_of(MailSettingsInput { security: MailSecurity::None, ..input() }), "username");
        let plain = MailSettingsInput {
            security: MailSecurity::None,
            username: "".into(),
            password: PasswordChange::Keep,
            ..input()
        };
        assert!(normalise(plain).is_ok());
    }

    #[test]
    fn bodies_are_cut_to_the_column_limit() {
        assert_eq!(body_text("short"), "short");
        let long = body_text(&"+ TXT example.com v=spf1\n".repeat(10_000));
        assert_eq!(long.chars().count(), BODY_MAX);
        assert!(long.ends_with("[…cut: the full text is in Helios]"));
    }

    #[test]
    fn subjects_are_one_bounded_line() {
        assert_eq!(subject_line(" a\r\nb "), "a  b");
        let long = subject_line(&"é".repeat(300));
        assert_eq!(long.chars().count(), 198);
    }
}
