//! Server functions around attachments: the size limit setting and the caller's
//! unsent uploads. Uploads, downloads and removing an unsent upload are plain
//! HTTP routes (multipart and file bodies), see the server's `http::attachments`.
use super::model::{Attachment, AttachmentSettings};
use crate::error::AppError;
use crate::tickets::model::TicketNumber;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "settings/attachments", input = Json)]
pub async fn get_attachment_settings() -> Result<AttachmentSettings, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        require(Permission::SettingsManage).await?;
        Ok(super::repo::load_settings(&state()?.db).await?)
    })
    .await
}

#[server(endpoint = "settings/update_attachments", input = Json)]
pub async fn update_attachment_settings(max_size_mb: u32) -> Result<AttachmentSettings, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::SettingsManage).await?;
        let settings = AttachmentSettings { max_size_mb }.validate().map_err(|m| AppError::field("max_size_mb", m))?;
        let db = state()?.db;
        crate::settings::api::server::save_setting(&db, &user, super::repo::SETTINGS_KEY, &settings).await?;
        Ok(settings)
    })
    .await
}

/// The files the caller uploaded to a reply on this ticket and has not sent yet.
#[server(endpoint = "tickets/pending_attachments", input = Json)]
pub async fn pending_attachments(number: TicketNumber) -> Result<Vec<Attachment>, AppError> {
    use crate::auth::{guard::*, model::Permission};
    respond(async {
        let user = require(Permission::SignedIn).await?;
        require_module(crate::settings::model::Module::ServiceDesk).await?;
        let db = state()?.db;
        let ticket = server::visible_ticket(&db, &user, number).await?;
        Ok(super::repo::drafts(&db, ticket.id, user.id).await?)
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod server {
    //! Rules shared by the upload and download routes.
    use super::super::model::Attachment;
    use super::super::repo::{self, Access, NewAttachment};
    use crate::audit::repo::{record, Actor};
    use crate::auth::model::{CurrentUser, Permission};
    use crate::error::{AppError, AppResult};
    use crate::tickets::model::{Ticket, TicketNumber};
    use sqlx::PgPool;

    /// The ticket if `user` may see it (staff: any; requesters: their own), else
    /// NotFound so numbers reveal nothing.
    pub async fn visible_ticket(db: &PgPool, user: &CurrentUser, number: TicketNumber) -> AppResult<Ticket> {
        let not_found = || AppError::NotFound(number.to_string());
        let t = crate::tickets::repo::find_by_number(db, number).await?.ok_or_else(not_found)?;
        if user.can(Permission::DeskView) || t.requester_id == user.id {
            Ok(t)
        } else {
            Err(not_found())
        }
    }

    /// Whether `user` may download the file: staff any sent file; requesters the
    /// sent files of their own tickets except internal notes'; an unsent upload
    /// only its uploader.
    pub fn may_download(user: &CurrentUser, a: &Access) -> bool {
        if a.draft {
            return a.uploaded_by == user.id;
        }
        user.can(Permission::DeskView) || (a.requester_id == user.id && !a.internal)
    }

    /// Records a stored upload and audits it; a description file is announced.
    pub async fn record_upload(
        db: &PgPool,
        user: &CurrentUser,
        ticket: &Ticket,
        row: NewAttachment<'_>,
    ) -> AppResult<Attachment> {
        let mut tx = db.begin().await?;
        let draft = row.draft;
        let a = repo::insert(&mut *tx, row).await?;
        let after = serde_json::json!({
            "attachment": a.id, "filename": a.filename, "size": a.size_bytes, "draft": draft,
        });
        record(
            &mut *tx,
            &Actor::user(user),
            "ticket.attachment.upload",
            "ticket",
            &ticket.number.to_string(),
            None,
            Some(&after),
        )
        .await?;
        if !draft {
            crate::tickets::api::server::announce(&mut tx, ticket.requester_id, ticket.number).await?;
        }
        tx.commit().await?;
        Ok(a)
    }

    /// Forgets one of `user`'s unsent uploads (the route then deletes the bytes).
    pub async fn remove_draft(db: &PgPool, user: &CurrentUser, id: uuid::Uuid) -> AppResult<()> {
        let mut tx = db.begin().await?;
        let access = repo::find_access(&mut *tx, id).await?.ok_or_else(|| AppError::NotFound("File".into()))?;
        if !repo::delete_draft(&mut *tx, id, user.id).await? {
            // Someone else's upload, or one already sent with its reply.
            return Err(if access.uploaded_by == user.id {
                AppError::invalid("This file was sent with a reply and can no longer be removed.")
            } else {
                AppError::NotFound("File".into())
            });
        }
        let before = serde_json::json!({ "attachment": id, "filename": access.filename });
        let number = repo::ticket_number(&mut *tx, access.ticket_id).await?;
        record(
            &mut *tx,
            &Actor::user(user),
            "ticket.attachment.remove",
            "ticket",
            &number.to_string(),
            Some(&before),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
