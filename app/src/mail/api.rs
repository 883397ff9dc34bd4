//! Outgoing mail settings, the test message and the outbox: administrators only.
use super::model::{MailSettings, MailSettingsInput, OutboundMail, OutboundStatus, OutboxCursor, OutboxPage};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Rows per outbox page.
pub const OUTBOX_PAGE: i64 = 50;

#[server(endpoint = "mail/settings", input = Json)]
pub async fn get_mail_settings() -> Result<MailSettings, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        require(Permission::SettingsManage).await?;
        Ok(super::repo::transport(&state()?.db).await?.map(|t| t.settings).unwrap_or_default())
    })
    .await
}

#[server(endpoint = "mail/save_settings", input = Json)]
pub async fn save_mail_settings(input: MailSettingsInput) -> Result<MailSettings, AppError> {
    use crate::auth::{guard::*, model::Permission};
    use crate::vault::{model::SecretField, repo::SecretOwner};
    respond(async {
        use super::model::PasswordChange;
        use crate::audit::repo::{record, Actor};
        let user = require(Permission::SettingsManage).await?;
        let r = super::rules::normalise(input)?;
        let st = state()?;
        let mut tx = st.db.begin().await?;
        let before = super::repo::transport(&mut *tx).await?;
        let had_password = before.as_ref().is_some_and(|b| b.settings.has_password);
        let will_have_password = match &r.password {
            PasswordChange::Keep => had_password,
            PasswordChange::Clear => false,
            PasswordChange::Set(_) => true,
        };
        if !r.username.is_empty() && !will_have_password {
            return Err(AppError::field("password", "Enter the password for this user name."));
        }
        // The stored password only ever goes to the relay it was entered for: a new
        // host, port or user name needs it typed again (else pointing the relay at
        // another server would hand it over without a vault reveal).
        let moved = before.as_ref().is_some_and(|b| {
            let s = &b.settings;
            s.host != r.host || s.port != r.port || !s.username.eq_ignore_ascii_case(&r.username)
        });
        if moved && had_password && !r.username.is_empty() && r.password == PasswordChange::Keep {
            return Err(AppError::field("password", "Enter the password again: the relay or user name changed."));
        }
        let id = super::repo::save_transport(&mut *tx, &r).await?;
        let owner = SecretOwner::MailTransport(id);
        match &r.password {
            PasswordChange::Keep if !r.username.is_empty() => {}
            // No user name: no password is kept either.
            PasswordChange::Keep | PasswordChange::Clear => {
                crate::vault::repo::delete_secret(&mut *tx, owner, SecretField::Password).await?
            }
            PasswordChange::Set(p) => {
                let sealed = st.vault.seal(id, SecretField::Password.key(), p.as_bytes());
                crate::vault::repo::put_secret(&mut tx, owner, SecretField::Password, &sealed).await?;
            }
        }
        let after = super::repo::transport(&mut *tx).await?.ok_or(AppError::Internal)?;
        let password_note = match &r.password {
            PasswordChange::Set(_) => "changed",
            _ if had_password && !after.settings.has_password => "removed",
            _ => "unchanged",
        };
        let mut after_json = serde_json::to_value(&after.settings).map_err(|_| AppError::Internal)?;
        after_json["password"] = password_note.into();
        let before_json =
            before.map(|b| serde_json::to_value(&b.settings)).transpose().map_err(|_| AppError::Internal)?;
        record(
            &mut *tx,
            &Actor::user(&user),
            "settings.mail",
            "settings",
            "mail",
            before_json.as_ref(),
            Some(&after_json),
        )
        .await?;
        tx.commit().await?;
        Ok(after.settings)
    })
    .await
}

/// Sends a message through the saved relay to the signed-in administrator, at
/// once, and answers with the relay's own reason when it fails. Only to oneself,
/// so that this cannot be used to mail anybody else.
#[server(endpoint = "mail/send_test", input = Json)]
pub async fn send_test_mail() -> Result<OutboundMail, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        use crate::audit::repo::{record, Actor};
        let user = require(Permission::SettingsManage).await?;
        let st = state()?;
        let relay = super::deliver::relay(&st.db, &st.vault)
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "opening the mail relay");
                AppError::Internal
            })?
            .ok_or_else(|| AppError::invalid("Save and switch on the relay settings first."))?;
        let subject = "Helios test message";
        let body = format!(
            "This message was sent by Helios through {}:{} at the request of {}.\nOutgoing mail works.",
            relay.host, relay.port, user.display_name
        );
        let id = super::repo::insert_test(&st.db, &user.email, subject, &body).await?;
        let result = super::smtp::send(&relay, &user.email, subject, &format!("{body}\n")).await;
        match &result {
            Ok(()) => super::repo::mark_sent(&st.db, id).await?,
            Err(e) => super::repo::record_failure(&st.db, id, e.message(), true).await?,
        }
        let outcome = serde_json::json!({ "to": user.email, "sent": result.is_ok() });
        record(&st.db, &Actor::user(&user), "mail.test", "outbound_mail", &id.to_string(), None, Some(&outcome))
            .await?;
        match result {
            Ok(()) => super::repo::get(&st.db, id).await?.ok_or(AppError::Internal),
            Err(e) => Err(AppError::invalid(format!("The test message was not sent: {}", e.message()))),
        }
    })
    .await
}

#[server(endpoint = "mail/outbox", input = Json)]
pub async fn list_outbox(status: Option<OutboundStatus>, after: Option<OutboxCursor>) -> Result<OutboxPage, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        require(Permission::SettingsManage).await?;
        let mut items = super::repo::outbox(&state()?.db, status, after, OUTBOX_PAGE + 1).await?;
        let next = if items.len() as i64 > OUTBOX_PAGE {
            items.truncate(OUTBOX_PAGE as usize);
            items.last().map(|m| OutboxCursor { created_at: m.created_at, id: m.id })
        } else {
            None
        };
        Ok(OutboxPage { items, next })
    })
    .await
}

/// Puts a failed message back in the queue.
#[server(endpoint = "mail/retry", input = Json)]
pub async fn retry_mail(id: uuid::Uuid) -> Result<OutboundMail, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        use crate::audit::repo::{record, Actor};
        let user = require(Permission::SettingsManage).await?;
        let db = &state()?.db;
        let mut tx = db.begin().await?;
        if !super::repo::requeue(&mut tx, id).await? {
            return Err(match super::repo::get(&mut *tx, id).await? {
                None => AppError::NotFound("Message".into()),
                Some(_) => AppError::Conflict(
                    "Only a failed message, or one whose delivery job has stopped, can be sent again.".into(),
                ),
            });
        }
        record(&mut *tx, &Actor::user(&user), "mail.retry", "outbound_mail", &id.to_string(), None, None).await?;
        let m = super::repo::get(&mut *tx, id).await?.ok_or(AppError::Internal)?;
        tx.commit().await?;
        Ok(m)
    })
    .await
}
