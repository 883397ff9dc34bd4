//! Sending one message through the relay with lettre (SMTP client, rustls).
use super::model::MailSecurity;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// The relay with its password opened, for one delivery.
pub struct Relay {
    pub host: String,
    pub port: u16,
    pub security: MailSecurity,
    pub username: String,
    /// Never logged (`Debug` leaves it out).
    pub password: Option<String>,
    pub from_address: String,
    pub from_name: String,
}

impl std::fmt::Debug for Relay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Relay").field("host", &self.host).field("port", &self.port).finish_non_exhaustive()
    }
}

/// Why a message did not go out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// Trying again will not help (the relay refused the message or recipient).
    Permanent(String),
    /// Worth another try later (no connection, timeout, a 4xx answer).
    Transient(String),
}

impl SendError {
    pub fn message(&self) -> &str {
        match self {
            SendError::Permanent(m) | SendError::Transient(m) => m,
        }
    }
}

/// `Auto-Submitted: auto-generated` (RFC 3834): out-of-office replies stay away.
#[derive(Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_string())
    }
}

/// Whole seconds a connection, greeting or reply may take.
const TIMEOUT: Duration = Duration::from_secs(20);

/// Sends a plain-text message to one recipient.
pub async fn send(relay: &Relay, to: &str, subject: &str, body: &str) -> Result<(), SendError> {
    let from_name = (!relay.from_name.is_empty()).then(|| relay.from_name.clone());
    let from = relay
        .from_address
        .parse()
        .map(|a| Mailbox::new(from_name, a))
        .map_err(|e| SendError::Permanent(format!("the sender address is not valid: {e}")))?;
    // A bare address only: "name <addr>" would send to another address than the outbox shows.
    let to = to
        .parse::<lettre::Address>()
        .map(|a| Mailbox::new(None, a))
        .map_err(|e| SendError::Permanent(format!("the recipient {to} is not valid: {e}")))?;
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .header(AutoSubmitted)
        .body(body.to_string())
        .map_err(|e| SendError::Permanent(format!("the message cannot be built: {e}")))?;
    let where_ = format!("{}:{}", relay.host, relay.port);
    let builder = match relay.security {
        MailSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&relay.host),
        MailSecurity::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&relay.host)
            .map_err(|e| SendError::Permanent(format!("{where_}: {e}")))?,
        MailSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&relay.host)
            .map_err(|e| SendError::Permanent(format!("{where_}: {e}")))?,
    };
    let mut builder = builder.port(relay.port).timeout(Some(TIMEOUT));
    if !relay.username.is_empty() {
        let password = relay.password.clone().unwrap_or_default();
        builder = builder.credentials(Credentials::new(relay.username.clone(), password));
    }
    // One connection per message (no pool): alerts are few, and a pool would outlive a changed setting.
    let transport = builder.build();
    // lettre's own timeout covers each command; this bounds the whole exchange.
    match tokio::time::timeout(TIMEOUT * 3, transport.send(message)).await {
        Err(_) => {
            Err(SendError::Transient(format!("{where_}: the relay did not finish within {} s", TIMEOUT.as_secs() * 3)))
        }
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) if e.is_permanent() => Err(SendError::Permanent(format!("{where_}: {e}"))),
        Ok(Err(e)) => Err(SendError::Transient(format!("{where_}: {e}"))),
    }
}
