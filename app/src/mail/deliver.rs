//! Delivering outbox messages: the relay's password is opened from the vault for
//! each delivery, never kept.
use super::repo;
use super::smtp::{self, Relay, SendError};
use crate::vault::crypto::KeyRing;
use crate::vault::model::SecretField;
use crate::vault::repo::SecretOwner;
use sqlx::PgPool;

/// The saved relay with its password opened; `None` when none is saved or it is switched off.
pub async fn relay(db: &PgPool, keys: &KeyRing) -> anyhow::Result<Option<Relay>> {
    let Some(t) = repo::transport(db).await? else { return Ok(None) };
    if !t.settings.enabled {
        return Ok(None);
    }
    let password =
        match crate::vault::repo::get_secret(db, SecretOwner::MailTransport(t.id), SecretField::Password).await? {
            Some(sealed) => {
                let bytes = keys
                    .open(t.id, SecretField::Password.key(), &sealed)
                    .map_err(|e| anyhow::anyhow!("the relay password cannot be opened: {e}"))?;
                Some(String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("the relay password is not text"))?)
            }
            None => None,
        };
    let s = t.settings;
    Ok(Some(Relay {
        host: s.host,
        port: s.port,
        security: s.security,
        username: s.username,
        password,
        from_address: s.from_address,
        from_name: s.from_name,
    }))
}

/// The body as mailed: the text, then a full link when Helios knows its address.
pub fn full_body(body: &str, href: &str, public_url: Option<&str>) -> String {
    match public_url.map(|u| u.trim_end_matches('/')) {
        Some(base) if !href.is_empty() => format!("{body}\n\nOpen in Helios: {base}{href}\n"),
        _ => format!("{body}\n"),
    }
}

/// What one job run did with its message.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// Already sent or failed (a repeated delivery of the job).
    Done,
    /// Failed for good: refused by the relay, or out of attempts.
    Failed(String),
}

/// Delivers message `id`, attempt `attempt` of [`repo::SEND_ATTEMPTS`]. A
/// transient failure with attempts left is an `Err`, so the job queue retries
/// it with backoff.
pub async fn deliver(
    db: &PgPool,
    keys: &KeyRing,
    id: uuid::Uuid,
    job: i64,
    attempt: i32,
    public_url: Option<&str>,
) -> anyhow::Result<Outcome> {
    let Some(m) = repo::begin_attempt(db, id, job).await? else { return Ok(Outcome::Done) };
    let last = attempt >= repo::SEND_ATTEMPTS;
    let result = match relay(db, keys).await {
        Ok(Some(relay)) => smtp::send(&relay, &m.recipient, &m.subject, &full_body(&m.body, &m.href, public_url)).await,
        Ok(None) => Err(SendError::Permanent("outgoing mail is switched off".into())),
        // A database hiccup or a worker without a rotated key: worth another try.
        Err(e) => Err(SendError::Transient(format!("{e:#}"))),
    };
    match result {
        Ok(()) => {
            repo::mark_sent(db, id).await?;
            Ok(Outcome::Sent)
        }
        Err(SendError::Permanent(e)) => {
            repo::record_failure(db, id, &e, true).await?;
            Ok(Outcome::Failed(e))
        }
        Err(SendError::Transient(e)) if last => {
            repo::record_failure(db, id, &e, true).await?;
            Ok(Outcome::Failed(e))
        }
        Err(SendError::Transient(e)) => {
            repo::record_failure(db, id, &e, false).await?;
            Err(anyhow::anyhow!("{e}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::full_body;

    #[test]
    fn links_are_written_out_in_full_only_with_a_known_address() {
        assert_eq!(
            full_body("Warranty ends.", "/assets/1", Some("https://it.example.com/")),
            "Warranty ends.\n\nOpen in Helios: https://it.example.com/assets/1\n"
        );
        assert_eq!(full_body("Warranty ends.", "/assets/1", None), "Warranty ends.\n");
        assert_eq!(full_body("Hello.", "", Some("https://it.example.com")), "Hello.\n");
    }
}
