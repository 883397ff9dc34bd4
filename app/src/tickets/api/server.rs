//! The work behind the ticket server functions.
use super::super::model::*;
use super::super::repo::{self, ListArgs, NewTicketRow, TicketRowUpdate};
use super::super::rules::{normalize_tags, parse_title};
use crate::audit::repo::{record, Actor};
use crate::auth::model::{CurrentUser, Permission, UserId};
use crate::error::{AppError, AppResult};
use crate::live::{repo::publish, Audience, LiveEvent};
use serde_json::json;
use sqlx::PgPool;

fn is_staff(u: &CurrentUser) -> bool {
    u.can(Permission::DeskView)
}

/// Tells staff tabs and the requester's tabs.
async fn announce(tx: &mut sqlx::PgConnection, requester: UserId, number: TicketNumber) -> AppResult<()> {
    let ev = || LiveEvent::TicketChanged { number: number.0 };
    publish(&mut *tx, Audience::WithPermission { permission: Permission::DeskView }, ev()).await?;
    publish(&mut *tx, Audience::User { user_id: requester }, ev()).await?;
    Ok(())
}

fn foreign_key_to_not_found(e: sqlx::Error, what: &str) -> AppError {
    match &e {
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => AppError::field(what, format!("No such {what}.")),
        _ => AppError::from(e),
    }
}

pub async fn create(
    db: &PgPool,
    user: &CurrentUser,
    title: &str,
    description: &str,
    priority: Priority,
    requester: Option<UserId>,
) -> AppResult<TicketNumber> {
    let title = parse_title(title).map_err(|m| AppError::field("title", m))?;
    if description.len() > 100_000 {
        return Err(AppError::field("description", "Keep the description under 100,000 characters."));
    }
    let (requester, source) = if is_staff(user) {
        (requester.unwrap_or(user.id), Source::Web)
    } else {
        if requester.is_some_and(|r| r != user.id) {
            return Err(AppError::Forbidden);
        }
        (user.id, Source::Portal)
    };
    let mut tx = db.begin().await?;
    let row = NewTicketRow { title: &title, description: description.trim(), requester, priority, source, team: None };
    let (id, number) = repo::insert(&mut *tx, row).await.map_err(|e| foreign_key_to_not_found(e, "requester"))?;
    repo::insert_event(&mut *tx, id, Some(user.id), "created", &json!({}), 1).await?;
    let after = json!({ "number": number.to_string(), "title": title, "priority": priority, "requester": requester });
    record(&mut *tx, &Actor::user(user), "ticket.create", "ticket", &number.to_string(), None, Some(&after)).await?;
    announce(&mut tx, requester, number).await?;
    tx.commit().await?;
    Ok(number)
}

pub async fn list(db: &PgPool, user: &CurrentUser, f: TicketFilter) -> AppResult<TicketPage> {
    let (mode, assignee) = match f.assignee {
        AssigneeFilter::Any => ("any", None),
        AssigneeFilter::Unassigned => ("unassigned", None),
        AssigneeFilter::Me => ("user", Some(user.id)),
        AssigneeFilter::User(u) => ("user", Some(u)),
    };
    let tag = f.tag.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_lowercase);
    let limit = TICKET_PAGE_SIZE;
    let mut tickets = repo::list(
        db,
        ListArgs {
            categories: &f.categories,
            assignee_mode: mode,
            assignee,
            team: f.team,
            priority: f.priority,
            requester: f.requester,
            tag: tag.as_deref(),
            after: f.after,
            limit: limit + 1,
        },
    )
    .await?;
    let next = if tickets.len() as i64 > limit {
        tickets.truncate(limit as usize);
        tickets.last().map(|t| (t.updated_at, t.id))
    } else {
        None
    };
    Ok(TicketPage { tickets, next })
}

/// The ticket and its timeline. Requesters asking for someone else's ticket get
/// NotFound, so ticket numbers reveal nothing.
pub async fn get(db: &PgPool, user: &CurrentUser, number: TicketNumber) -> AppResult<TicketDetail> {
    let not_found = || AppError::NotFound(number.to_string());
    let ticket = repo::find_by_number(db, number).await?.ok_or_else(not_found)?;
    let staff = is_staff(user);
    if !staff && ticket.requester_id != user.id {
        return Err(not_found());
    }
    let timeline = repo::timeline(db, ticket.id, staff).await?;
    Ok(TicketDetail { ticket, timeline })
}

pub async fn update(db: &PgPool, user: &CurrentUser, number: TicketNumber, patch: TicketPatch) -> AppResult<()> {
    let workflow = repo::load_workflow(db).await?;
    let mut tx = db.begin().await?;
    let current =
        repo::find_by_number(&mut *tx, number).await?.ok_or_else(|| AppError::NotFound(number.to_string()))?;
    let locked_version = repo::lock(&mut *tx, current.id).await?;
    if locked_version != patch.version {
        let changes = repo::changes_since(&mut *tx, current.id, patch.version).await?;
        let list: Vec<String> = changes.iter().map(|(who, what)| format!("{what} by {who}")).collect();
        return Err(AppError::Conflict(format!(
            "{number} was changed after you opened it ({}). Nothing was saved; review the changes and try again.",
            if list.is_empty() { "by someone else".to_string() } else { list.join(", ") }
        )));
    }
    let title = match &patch.title {
        Some(t) => parse_title(t).map_err(|m| AppError::field("title", m))?,
        None => current.title.clone(),
    };
    let status = match &patch.status {
        Some(s) if *s != current.status => {
            workflow.check(&current.status, s).map_err(|m| AppError::field("status", m))?;
            s.clone()
        }
        _ => current.status.clone(),
    };
    let tags = match &patch.tags {
        Some(t) => normalize_tags(t).map_err(|m| AppError::field("tags", m))?,
        None => current.tags.clone(),
    };
    let new = TicketRowUpdate {
        title: &title,
        status: &status,
        priority: patch.priority.unwrap_or(current.priority),
        assignee: patch.assignee.unwrap_or(current.assignee_id),
        team: patch.team.unwrap_or(current.team_id),
        tags: &tags,
    };
    let mut changes: Vec<(&str, String, String)> = Vec::new();
    if title != current.title {
        changes.push(("title", current.title.clone(), title.clone()));
    }
    if status != current.status {
        changes.push(("status", workflow.name_of(&current.status), workflow.name_of(&status)));
    }
    if new.priority != current.priority {
        changes.push(("priority", current.priority.short().into(), new.priority.short().into()));
    }
    if new.assignee != current.assignee_id {
        changes.push(("assignee", current.assignee_name.clone().unwrap_or_default(), String::new()));
    }
    if new.team != current.team_id {
        changes.push(("team", current.team_name.clone().unwrap_or_default(), String::new()));
    }
    if tags != current.tags {
        changes.push(("tags", current.tags.join(", "), tags.join(", ")));
    }
    if changes.is_empty() {
        return Ok(());
    }
    let version =
        repo::update(&mut *tx, current.id, new).await.map_err(|e| foreign_key_to_not_found(e, "assignee or team"))?;
    // Names of the new assignee and team, now that the row points at them.
    let after = repo::find_by_number(&mut *tx, number).await?.ok_or(AppError::Internal)?;
    for (field, from, mut to) in changes.clone() {
        if field == "assignee" {
            to = after.assignee_name.clone().unwrap_or_default();
        }
        if field == "team" {
            to = after.team_name.clone().unwrap_or_default();
        }
        let detail = json!({ "field": field, "from": from, "to": to });
        repo::insert_event(&mut *tx, current.id, Some(user.id), "changed", &detail, version).await?;
    }
    let summary: serde_json::Map<String, serde_json::Value> =
        changes.iter().map(|(f, from, _)| (f.to_string(), json!(from))).collect();
    let fields: Vec<&str> = changes.iter().map(|c| c.0).collect();
    record(
        &mut *tx,
        &Actor::user(user),
        "ticket.update",
        "ticket",
        &number.to_string(),
        Some(&serde_json::Value::Object(summary)),
        Some(&json!({ "fields": fields, "version": version })),
    )
    .await?;
    announce(&mut tx, current.requester_id, number).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn comment(
    db: &PgPool,
    user: &CurrentUser,
    number: TicketNumber,
    body: &str,
    internal: bool,
) -> AppResult<()> {
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::field("body", "Write something first."));
    }
    if body.len() > 100_000 {
        return Err(AppError::field("body", "Keep replies under 100,000 characters."));
    }
    let staff = is_staff(user);
    if internal && !staff {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    let ticket = repo::find_by_number(&mut *tx, number).await?.ok_or_else(|| AppError::NotFound(number.to_string()))?;
    if !staff && ticket.requester_id != user.id {
        return Err(AppError::NotFound(number.to_string()));
    }
    repo::lock(&mut *tx, ticket.id).await?;
    let comment_id = repo::insert_comment(&mut *tx, ticket.id, user.id, body, internal).await?;
    let version = repo::touch(&mut *tx, ticket.id).await?;
    repo::insert_event(&mut *tx, ticket.id, Some(user.id), "comment", &json!({ "comment_id": comment_id }), version)
        .await?;
    let action = if internal { "ticket.note" } else { "ticket.reply" };
    record(
        &mut *tx,
        &Actor::user(user),
        action,
        "ticket",
        &number.to_string(),
        None,
        Some(&json!({ "comment_id": comment_id })),
    )
    .await?;
    announce(&mut tx, ticket.requester_id, number).await?;
    tx.commit().await?;
    Ok(())
}
