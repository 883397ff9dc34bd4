//! The work behind the ticket server functions.
use super::super::fields::{apply_values, display_value, repo as fields_repo, CategoryId, TicketCatalog};
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
pub(crate) async fn announce(tx: &mut sqlx::PgConnection, requester: UserId, number: TicketNumber) -> AppResult<()> {
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
    extras: NewTicketExtras,
) -> AppResult<TicketNumber> {
    let title = parse_title(title).map_err(|m| AppError::field("title", m))?;
    let catalog = fields_repo::load_catalog(db).await?;
    check_category(&catalog, extras.category)?;
    // Requesters do not see agent-only fields; agents complete them during triage,
    // so required-ness is enforced on tickets staff open.
    let custom = apply_values(&catalog.fields, &Default::default(), &extras.custom_fields, is_staff(user))
        .map_err(|(k, m)| AppError::field(&format!("custom_fields.{k}"), m))?;
    let custom = serde_json::Value::Object(custom);
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
    let row = NewTicketRow {
        title: &title,
        description: description.trim(),
        requester,
        priority,
        source,
        team: None,
        category: extras.category,
        urgency: extras.urgency.unwrap_or_default(),
        impact: extras.impact.unwrap_or_default(),
        due_at: if is_staff(user) { extras.due_at } else { None },
        custom_fields: &custom,
    };
    let (id, number) = repo::insert(&mut *tx, row).await.map_err(|e| foreign_key_to_not_found(e, "requester"))?;
    repo::insert_event(&mut *tx, id, Some(user.id), "created", &json!({}), 1).await?;
    let after = json!({ "number": number.to_string(), "title": title, "priority": priority, "requester": requester });
    record(&mut *tx, &Actor::user(user), "ticket.create", "ticket", &number.to_string(), None, Some(&after)).await?;
    announce(&mut tx, requester, number).await?;
    tx.commit().await?;
    Ok(number)
}

/// Checks a filter's free-text parts before it reaches SQL.
fn check_filter(f: &TicketFilter) -> AppResult<()> {
    if let Some(t) = f.tag.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        normalize_tags(&[t.to_string()]).map_err(|m| AppError::field("tag", m))?;
    }
    if f.statuses.len() > 50 || f.statuses.iter().any(|s| s.len() > 40) {
        return Err(AppError::field("statuses", "Pick at most 50 statuses."));
    }
    for (from, to, what) in [(f.created_from, f.created_to, "created"), (f.updated_from, f.updated_to, "updated")] {
        if let (Some(a), Some(b)) = (from, to) {
            if a > b {
                return Err(AppError::field(what, "The range ends before it starts."));
            }
        }
    }
    Ok(())
}

pub async fn list(db: &PgPool, user: &CurrentUser, f: TicketFilter) -> AppResult<TicketPage> {
    check_filter(&f)?;
    let limit = TICKET_PAGE_SIZE;
    let mut tickets = repo::list(db, ListArgs { filter: &f, me: user.id, limit: limit + 1 }).await?;
    let next = if tickets.len() as i64 > limit {
        tickets.truncate(limit as usize);
        tickets.last().map(TicketCursor::after)
    } else {
        None
    };
    Ok(TicketPage { tickets, next })
}

/// Counts matching tickets up to `cap` (exact below it).
pub async fn count(db: &PgPool, user: &CurrentUser, f: &TicketFilter, cap: i64) -> AppResult<TicketCount> {
    check_filter(f)?;
    let n = repo::count(db, ListArgs { filter: f, me: user.id, limit: cap + 1 }).await?;
    Ok(TicketCount { count: n.min(cap), more: n > cap })
}

/// The numbers of every ticket matching `f`, in the filter's order, up to `cap`.
pub async fn matching_numbers(
    db: &PgPool,
    user: &CurrentUser,
    f: &TicketFilter,
    cap: usize,
) -> AppResult<Vec<TicketNumber>> {
    check_filter(f)?;
    let mut f = f.clone();
    f.after = None;
    let mut out = Vec::new();
    loop {
        let page = repo::list(db, ListArgs { filter: &f, me: user.id, limit: 1000 }).await?;
        let last = page.last().map(TicketCursor::after);
        out.extend(page.iter().map(|t| t.number));
        if out.len() >= cap || page.len() < 1000 {
            out.truncate(cap);
            return Ok(out);
        }
        f.after = last;
    }
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
    let mut timeline = repo::timeline(db, ticket.id, staff).await?;
    if !staff {
        hide_links_to_unseen_tickets(db, user, &mut timeline).await?;
    }
    attach_files(&mut timeline, super::super::attachments::repo::for_ticket(db, ticket.id, staff).await?);
    let watchers = if staff { fields_repo::watchers(db, ticket.id).await? } else { Vec::new() };
    let description_html = super::super::markdown::to_safe_html(&ticket.description);
    Ok(TicketDetail { ticket, description_html, timeline, watchers })
}

/// Requesters see link and merge entries only when the other ticket is theirs too.
async fn hide_links_to_unseen_tickets(
    db: &PgPool,
    user: &CurrentUser,
    timeline: &mut Vec<TimelineItem>,
) -> AppResult<()> {
    let other = |w: &TimelineWhat| match w {
        TimelineWhat::Linked { other, .. } | TimelineWhat::Merged { other, .. } => Some(other.0),
        _ => None,
    };
    let numbers: Vec<i64> = timeline.iter().filter_map(|i| other(&i.what)).collect();
    if numbers.is_empty() {
        return Ok(());
    }
    let seen = super::super::links::repo::owned_numbers(db, &numbers, user.id).await?;
    timeline.retain(|i| other(&i.what).is_none_or(|n| seen.contains(&n)));
    Ok(())
}

/// Puts each file on its comment's entry; description files on the `Created` entry.
fn attach_files(timeline: &mut [TimelineItem], files: Vec<super::super::attachments::model::Attachment>) {
    for f in files {
        let slot = timeline.iter_mut().find(|i| match f.comment_id {
            Some(c) => i.comment_id == Some(c),
            None => matches!(i.what, TimelineWhat::Created),
        });
        if let Some(item) = slot {
            item.attachments.push(f);
        }
    }
}

pub async fn update(db: &PgPool, user: &CurrentUser, number: TicketNumber, patch: TicketPatch) -> AppResult<()> {
    let mut tx = db.begin().await?;
    update_in(db, &mut tx, user, number, &patch, "ticket.update").await?;
    tx.commit().await?;
    Ok(())
}

/// `update` inside the caller's transaction, audited as `action` (macros use it, so
/// their changes take the same checks). Returns the names of the changed fields.
pub async fn update_in(
    db: &PgPool,
    tx: &mut sqlx::PgConnection,
    user: &CurrentUser,
    number: TicketNumber,
    patch: &TicketPatch,
    action: &str,
) -> AppResult<Vec<&'static str>> {
    let workflow = repo::load_workflow(db).await?;
    check_assignee(db, patch.assignee).await?;
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
    let catalog = fields_repo::load_catalog(db).await?;
    apply_locked(tx, user, (&workflow, &catalog), &current, patch, action).await
}

/// Applies `patch` to `current` (row already locked): timeline events, one audit
/// entry and a live event. Returns the names of the fields that changed.
async fn apply_locked(
    tx: &mut sqlx::PgConnection,
    user: &CurrentUser,
    (workflow, catalog): (&Workflow, &TicketCatalog),
    current: &Ticket,
    patch: &TicketPatch,
    action: &str,
) -> AppResult<Vec<&'static str>> {
    let number = current.number;
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
    let category = patch.category.unwrap_or(current.category_id);
    if category != current.category_id {
        check_category(catalog, category)?;
    }
    let empty = serde_json::Map::new();
    let old_custom = current.custom_fields.as_object().unwrap_or(&empty);
    let custom = match &patch.custom_fields {
        Some(changes) => apply_values(&catalog.fields, old_custom, changes, false)
            .map_err(|(k, m)| AppError::field(&format!("custom_fields.{k}"), m))?,
        None => old_custom.clone(),
    };
    let custom_value = serde_json::Value::Object(custom.clone());
    let new = TicketRowUpdate {
        title: &title,
        status: &status,
        priority: patch.priority.unwrap_or(current.priority),
        assignee: patch.assignee.unwrap_or(current.assignee_id),
        team: patch.team.unwrap_or(current.team_id),
        tags: &tags,
        category,
        urgency: patch.urgency.unwrap_or(current.urgency),
        impact: patch.impact.unwrap_or(current.impact),
        due_at: patch.due_at.unwrap_or(current.due_at),
        custom_fields: &custom_value,
    };
    let mut changes: Vec<(&'static str, String, String)> = Vec::new();
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
    if new.category != current.category_id {
        let path = |c: Option<CategoryId>| c.and_then(|c| catalog.category_path(c)).unwrap_or_default();
        changes.push(("category", path(current.category_id), path(new.category)));
    }
    if new.urgency != current.urgency {
        changes.push(("urgency", current.urgency.label().into(), new.urgency.label().into()));
    }
    if new.impact != current.impact {
        changes.push(("impact", current.impact.label().into(), new.impact.label().into()));
    }
    if new.due_at != current.due_at {
        let day = |d: Option<chrono::DateTime<chrono::Utc>>| d.map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string());
        changes.push(("due", day(current.due_at).unwrap_or_default(), day(new.due_at).unwrap_or_default()));
    }
    // Each custom field is its own timeline entry, named by its label.
    let mut custom_changes: Vec<(String, String, String)> = Vec::new();
    for f in &catalog.fields {
        let (before, after) = (old_custom.get(&f.key), custom.get(&f.key));
        if before != after {
            let show = |v: Option<&serde_json::Value>| v.map(display_value).unwrap_or_default();
            custom_changes.push((f.label.clone(), show(before), show(after)));
        }
    }
    if !custom_changes.is_empty() {
        changes.push(("custom_fields", String::new(), String::new()));
    }
    if changes.is_empty() {
        return Ok(Vec::new());
    }
    let version =
        repo::update(&mut *tx, current.id, new).await.map_err(|e| foreign_key_to_not_found(e, "assignee or team"))?;
    // Names of the new assignee and team, now that the row points at them.
    let after = repo::find_by_number(&mut *tx, number).await?.ok_or(AppError::Internal)?;
    for (label, from, to) in &custom_changes {
        let detail = json!({ "field": label, "from": from, "to": to });
        repo::insert_event(&mut *tx, current.id, Some(user.id), "changed", &detail, version).await?;
    }
    for (field, from, mut to) in changes.clone() {
        if field == "custom_fields" {
            continue;
        }
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
    let fields: Vec<&'static str> = changes.iter().map(|c| c.0).collect();
    record(
        &mut *tx,
        &Actor::user(user),
        action,
        "ticket",
        &number.to_string(),
        Some(&serde_json::Value::Object(summary)),
        Some(&json!({ "fields": fields, "version": version })),
    )
    .await?;
    announce(tx, current.requester_id, number).await?;
    Ok(fields)
}

/// A ticket's category must exist and be in use.
fn check_category(catalog: &TicketCatalog, category: Option<CategoryId>) -> AppResult<()> {
    if let Some(c) = category {
        if !catalog.categories.iter().any(|x| x.id == c && x.active) {
            return Err(AppError::field("category", "No such category."));
        }
    }
    Ok(())
}

/// Tickets are assigned to active staff only.
async fn check_assignee(db: &PgPool, assignee: Option<Option<UserId>>) -> AppResult<()> {
    if let Some(Some(id)) = assignee {
        let ok = crate::users::repo::find_by_id(db, id)
            .await?
            .is_some_and(|u| u.active && u.role.grants(Permission::DeskView));
        if !ok {
            return Err(AppError::field("assignee", "Tickets can only be assigned to active agents."));
        }
    }
    Ok(())
}

/// Checks a bulk change before touching anything: unknown statuses, bad tags and
/// empty changes are refused as a whole.
pub fn validate_bulk(workflow: &Workflow, c: &BulkChanges) -> AppResult<()> {
    if c.is_empty() {
        return Err(AppError::field("changes", "Choose at least one change."));
    }
    if let Some(s) = &c.status {
        if !workflow.statuses.iter().any(|x| &x.key == s) {
            return Err(AppError::field("status", format!("There is no status \"{s}\".")));
        }
    }
    normalize_tags(&c.add_tags).map_err(|m| AppError::field("add_tags", m))?;
    normalize_tags(&c.remove_tags).map_err(|m| AppError::field("remove_tags", m))?;
    Ok(())
}

/// Applies one bulk change to each ticket in its own transaction, so one refused
/// transition does not undo the others.
pub async fn bulk_apply(
    db: &PgPool,
    user: &CurrentUser,
    numbers: &[TicketNumber],
    changes: &BulkChanges,
) -> AppResult<BulkOutcome> {
    let workflow = repo::load_workflow(db).await?;
    let catalog = fields_repo::load_catalog(db).await?;
    validate_bulk(&workflow, changes)?;
    check_assignee(db, changes.assignee).await?;
    let add = normalize_tags(&changes.add_tags).map_err(|m| AppError::field("add_tags", m))?;
    let remove = normalize_tags(&changes.remove_tags).map_err(|m| AppError::field("remove_tags", m))?;
    let mut out = BulkOutcome { matched: numbers.len() as u64, ..Default::default() };
    let mut fields: std::collections::BTreeMap<&'static str, u64> = Default::default();
    for &number in numbers {
        let mut tx = db.begin().await?;
        let Some(current) = repo::find_by_number(&mut *tx, number).await? else {
            out.refused.push(BulkRefusal { number, reason: "No longer exists.".into() });
            continue;
        };
        repo::lock(&mut *tx, current.id).await?;
        let tags = (!add.is_empty() || !remove.is_empty()).then(|| {
            let mut t: Vec<String> = current.tags.iter().filter(|t| !remove.contains(t)).cloned().collect();
            t.extend(add.iter().filter(|a| !t.contains(a)).cloned().collect::<Vec<_>>());
            t
        });
        let patch = TicketPatch {
            version: current.version,
            status: changes.status.clone(),
            priority: changes.priority,
            assignee: changes.assignee,
            team: changes.team,
            tags,
            ..Default::default()
        };
        match apply_locked(&mut tx, user, (&workflow, &catalog), &current, &patch, "ticket.bulk_update").await {
            Ok(changed) if changed.is_empty() => out.unchanged += 1,
            Ok(changed) => {
                tx.commit().await?;
                out.changed += 1;
                for f in changed {
                    *fields.entry(f).or_default() += 1;
                }
            }
            Err(AppError::Validation { message, .. }) => out.refused.push(BulkRefusal { number, reason: message }),
            Err(e) => return Err(e),
        }
    }
    out.fields = fields.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    out.finished = true;
    Ok(out)
}

pub async fn comment(
    db: &PgPool,
    user: &CurrentUser,
    number: TicketNumber,
    body: &str,
    internal: bool,
    attachments: &[uuid::Uuid],
) -> AppResult<()> {
    let body = body.trim();
    let mut attachments = attachments.to_vec();
    attachments.sort_unstable();
    attachments.dedup();
    if attachments.len() > 50 {
        return Err(AppError::field("attachments", "Attach at most 50 files to one reply."));
    }
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
    // Files uploaded while writing this reply; any that are not the caller's unsent
    // uploads on this ticket refuse the whole reply (the transaction is dropped).
    if !attachments.is_empty() {
        let attached =
            super::super::attachments::repo::attach_drafts(&mut *tx, &attachments, ticket.id, user.id, comment_id)
                .await?;
        if attached != attachments.len() as u64 {
            return Err(AppError::field(
                "attachments",
                "Some attached files are no longer available. Remove them and upload again.",
            ));
        }
    }
    // The reply is sent, so its draft is done.
    crate::desk::repo::delete_draft(&mut *tx, user.id, ticket.id).await?;
    crate::presence::api::server::stopped_typing(&mut tx, user.id, ticket.id, number).await?;
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
        Some(&json!({ "comment_id": comment_id, "attachments": attachments })),
    )
    .await?;
    announce(&mut tx, ticket.requester_id, number).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn watch(
    db: &PgPool,
    me: &CurrentUser,
    number: TicketNumber,
    who: UserId,
    watching: bool,
) -> AppResult<Vec<Watcher>> {
    if watching && who != me.id {
        check_assignee(db, Some(Some(who)))
            .await
            .map_err(|_| AppError::field("user", "Only active agents can watch tickets."))?;
    }
    let mut tx = db.begin().await?;
    let ticket = repo::find_by_number(&mut *tx, number).await?.ok_or_else(|| AppError::NotFound(number.to_string()))?;
    if fields_repo::set_watching(&mut *tx, ticket.id, who, watching).await? {
        let action = if watching { "ticket.watch" } else { "ticket.unwatch" };
        record(
            &mut *tx,
            &Actor::user(me),
            action,
            "ticket",
            &number.to_string(),
            None,
            Some(&json!({ "user_id": who })),
        )
        .await?;
        announce(&mut tx, ticket.requester_id, number).await?;
    }
    let out = fields_repo::watchers(&mut *tx, ticket.id).await?;
    tx.commit().await?;
    Ok(out)
}

/// The job kind that runs bulk edits over more than `BULK_INLINE_LIMIT` tickets.
pub const BULK_JOB: &str = "service_desk.bulk_update";

/// Runs a bulk edit now, or queues it as a job when it is large.
pub async fn bulk(db: &PgPool, user: &CurrentUser, target: BulkTarget, changes: BulkChanges) -> AppResult<BulkOutcome> {
    // `bulk_apply` validates the change itself; only a queued job is checked here.
    let numbers = match target {
        BulkTarget::Tickets { numbers } => {
            if numbers.len() > BULK_INLINE_LIMIT {
                return Err(AppError::field(
                    "numbers",
                    format!("Pick at most {BULK_INLINE_LIMIT} tickets, or select every ticket matching the view."),
                ));
            }
            let mut n = numbers;
            n.sort_unstable();
            n.dedup();
            n
        }
        BulkTarget::Matching { filter } => {
            let numbers = matching_numbers(db, user, &filter, BULK_INLINE_LIMIT + 1).await?;
            if numbers.len() > BULK_INLINE_LIMIT {
                validate_bulk(&repo::load_workflow(db).await?, &changes)?;
                check_assignee(db, changes.assignee).await?;
                let payload = json!({ "user_id": user.id, "filter": filter, "changes": changes });
                let job = crate::jobs::repo::enqueue(db, BULK_JOB, &payload, chrono::Utc::now(), 1, None)
                    .await?
                    .ok_or(AppError::Internal)?;
                return Ok(BulkOutcome { job: Some(job), ..Default::default() });
            }
            numbers
        }
    };
    bulk_apply(db, user, &numbers, &changes).await
}

/// The job side of a large bulk edit: works in chunks, recording progress.
pub async fn bulk_job(db: &PgPool, job_id: i64, payload: &serde_json::Value) -> AppResult<()> {
    let user_id: UserId = serde_json::from_value(payload["user_id"].clone()).map_err(|_| AppError::Internal)?;
    let filter: TicketFilter = serde_json::from_value(payload["filter"].clone()).map_err(|_| AppError::Internal)?;
    let changes: BulkChanges = serde_json::from_value(payload["changes"].clone()).map_err(|_| AppError::Internal)?;
    // The editor's rights as they are now, not when the job was queued.
    let who =
        crate::users::repo::find_by_id(db, user_id).await?.filter(|u| u.active && u.role.grants(Permission::DeskView));
    let Some(who) = who else {
        return Err(AppError::Forbidden);
    };
    let user = CurrentUser {
        id: who.id,
        email: who.email,
        display_name: who.display_name,
        role: who.role,
        theme: Default::default(),
    };
    let numbers = matching_numbers(db, &user, &filter, usize::MAX).await?;
    let mut total = BulkOutcome { matched: numbers.len() as u64, ..Default::default() };
    crate::jobs::repo::set_progress(db, job_id, &json!(total)).await?;
    for chunk in numbers.chunks(500) {
        let part = bulk_apply(db, &user, chunk, &changes).await?;
        total.changed += part.changed;
        total.unchanged += part.unchanged;
        total.refused.extend(part.refused);
        for (f, n) in part.fields {
            match total.fields.iter_mut().find(|(g, _)| *g == f) {
                Some((_, m)) => *m += n,
                None => total.fields.push((f, n)),
            }
        }
        crate::jobs::repo::set_progress(db, job_id, &json!(total)).await?;
    }
    total.finished = true;
    crate::jobs::repo::set_progress(db, job_id, &json!(total)).await?;
    Ok(())
}

/// How far a bulk job got. Only its author (or a jobs admin) may look.
pub async fn bulk_progress(db: &PgPool, user: &CurrentUser, job: i64) -> AppResult<BulkOutcome> {
    let not_found = || AppError::NotFound(format!("Bulk edit {job}"));
    let (kind, payload, progress) = crate::jobs::repo::progress(db, job).await?.ok_or_else(not_found)?;
    let author = payload.get("user_id").and_then(|v| v.as_str()) == Some(&user.id.0.to_string());
    if kind != BULK_JOB || !(author || user.can(Permission::JobsManage)) {
        return Err(not_found());
    }
    let mut out: BulkOutcome = progress.and_then(|p| serde_json::from_value(p).ok()).unwrap_or_default();
    out.job = Some(job);
    Ok(out)
}
