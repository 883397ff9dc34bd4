//! The work behind the link server functions: list, link, unlink and merge.
//!
//! Every change writes a `linked` timeline entry on both tickets, one audit entry,
//! and a live event for both, in one transaction. Link changes take one advisory
//! lock, so cycle checks see every committed link.
use super::model::*;
use super::repo;
use crate::audit::repo::{record, Actor};
use crate::auth::model::{CurrentUser, Permission};
use crate::error::{AppError, AppResult};
use crate::tickets::api::server::announce;
use crate::tickets::model::{StatusCategory, Ticket, TicketNumber};
use crate::tickets::repo as tickets;
use serde_json::json;
use sqlx::{PgConnection, PgPool};

fn is_staff(u: &CurrentUser) -> bool {
    u.can(Permission::DeskView)
}

/// The links of a ticket. Requesters see their own tickets' links, and only to
/// other tickets of theirs.
pub async fn list(db: &PgPool, user: &CurrentUser, number: TicketNumber) -> AppResult<Vec<TicketLink>> {
    let not_found = || AppError::NotFound(number.to_string());
    let ticket = tickets::find_by_number(db, number).await?.ok_or_else(not_found)?;
    let staff = is_staff(user);
    if !staff && ticket.requester_id != user.id {
        return Err(not_found());
    }
    Ok(repo::list_for(db, ticket.id)
        .await?
        .into_iter()
        .filter(|r| staff || r.requester_id == user.id)
        .map(|r| TicketLink {
            relation: Relation::of(r.kind, r.from_ticket),
            other: r.number,
            title: r.title,
            status_name: r.status_name,
            status_category: r.status_category,
        })
        .collect())
}

/// Both tickets, row-locked in a fixed order (so two links between the same pair
/// in opposite directions cannot deadlock). The second is the `other` ticket.
async fn lock_pair(
    tx: &mut PgConnection,
    number: TicketNumber,
    other: TicketNumber,
    other_field: &str,
) -> AppResult<((Ticket, i32), (Ticket, i32))> {
    if number == other {
        return Err(AppError::field(other_field, "A ticket cannot be linked to itself."));
    }
    let a = tickets::find_by_number(&mut *tx, number).await?.ok_or_else(|| AppError::NotFound(number.to_string()))?;
    let b = tickets::find_by_number(&mut *tx, other)
        .await?
        .ok_or_else(|| AppError::field(other_field, format!("There is no ticket {other}.")))?;
    let (first, second) = if a.id.0 < b.id.0 { (a.id, b.id) } else { (b.id, a.id) };
    let v1 = tickets::lock(&mut *tx, first).await?;
    let v2 = tickets::lock(&mut *tx, second).await?;
    let (va, vb) = if a.id == first { (v1, v2) } else { (v2, v1) };
    Ok(((a, va), (b, vb)))
}

/// Writes a `linked` entry on `on`'s timeline (bumping its version).
async fn linked_event(
    tx: &mut PgConnection,
    user: &CurrentUser,
    on: &Ticket,
    relation: Relation,
    other: &Ticket,
    added: bool,
) -> AppResult<()> {
    let version = tickets::touch(&mut *tx, on.id).await?;
    let detail = linked_detail(relation, other, added);
    tickets::insert_event(&mut *tx, on.id, Some(user.id), "linked", &detail, version).await?;
    Ok(())
}

fn linked_detail(relation: Relation, other: &Ticket, added: bool) -> serde_json::Value {
    json!({ "relation": relation, "other_number": other.number.0, "other_id": other.id, "added": added })
}

pub async fn link(
    db: &PgPool,
    user: &CurrentUser,
    number: TicketNumber,
    relation: Relation,
    other: TicketNumber,
) -> AppResult<()> {
    let mut tx = db.begin().await?;
    repo::lock_links(&mut *tx).await?;
    let ((a, _), (b, _)) = lock_pair(&mut tx, number, other, "other").await?;
    if let Some(existing) = repo::find_pair(&mut *tx, a.id, b.id).await? {
        let shown = Relation::of(existing.kind, existing.ticket_id == a.id);
        return Err(AppError::field(
            "other",
            format!("{} is already linked to {} ({}).", a.number, b.number, shown.label().to_lowercase()),
        ));
    }
    let (kind, a_is_ticket) = relation.stored();
    let (t, target) = if a_is_ticket { (&a, &b) } else { (&b, &a) };
    if kind != LinkKind::RelatedTo {
        if let Some(up) = repo::up_of(&mut *tx, t.id, kind).await? {
            let what = if kind == LinkKind::ChildOf { "a child of" } else { "a duplicate of" };
            return Err(AppError::field("other", format!("{} is already {what} {up}; unlink that first.", t.number)));
        }
        if repo::creates_cycle(&mut *tx, kind, t.id, target.id).await? {
            return Err(AppError::field(
                "other",
                format!("That would make a loop: {} is already above {} in the chain.", t.number, target.number),
            ));
        }
    }
    repo::insert(&mut *tx, kind, t.id, target.id, user.id).await?;
    linked_event(&mut tx, user, &a, relation, &b, true).await?;
    linked_event(&mut tx, user, &b, relation.inverse(), &a, true).await?;
    let after = json!({ "relation": relation, "other": b.number.to_string() });
    record(&mut *tx, &Actor::user(user), "ticket.link", "ticket", &a.number.to_string(), None, Some(&after)).await?;
    announce(&mut tx, a.requester_id, a.number).await?;
    announce(&mut tx, b.requester_id, b.number).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn unlink(db: &PgPool, user: &CurrentUser, number: TicketNumber, other: TicketNumber) -> AppResult<()> {
    let mut tx = db.begin().await?;
    repo::lock_links(&mut *tx).await?;
    let ((a, _), (b, _)) = lock_pair(&mut tx, number, other, "other").await?;
    let existing = repo::find_pair(&mut *tx, a.id, b.id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("A link between {} and {}", a.number, b.number)))?;
    let relation = Relation::of(existing.kind, existing.ticket_id == a.id);
    repo::delete(&mut *tx, existing.id).await?;
    linked_event(&mut tx, user, &a, relation, &b, false).await?;
    linked_event(&mut tx, user, &b, relation.inverse(), &a, false).await?;
    let before = json!({ "relation": relation, "other": b.number.to_string() });
    record(&mut *tx, &Actor::user(user), "ticket.unlink", "ticket", &a.number.to_string(), Some(&before), None).await?;
    announce(&mut tx, a.requester_id, a.number).await?;
    announce(&mut tx, b.requester_id, b.number).await?;
    tx.commit().await?;
    Ok(())
}

/// Refuses when someone saved `ticket` after the editor loaded version `seen`.
async fn check_version(tx: &mut PgConnection, ticket: &Ticket, locked: i32, seen: i32) -> AppResult<()> {
    if locked == seen {
        return Ok(());
    }
    let changes = tickets::changes_since(&mut *tx, ticket.id, seen).await?;
    let list: Vec<String> = changes.iter().map(|(who, what)| format!("{what} by {who}")).collect();
    Err(AppError::Conflict(format!(
        "{} was changed after you opened it ({}). Nothing was merged; review the changes and try again.",
        ticket.number,
        if list.is_empty() { "by someone else".to_string() } else { list.join(", ") }
    )))
}

/// Merges `from` into `into`: `from`'s comments (and their files) move to `into`
/// with their authors and times, `from` is linked as a duplicate of `into` and
/// closed. Both tickets must still be at the versions the agent saw.
///
/// Closing here skips the workflow's transition rules on purpose: a duplicate is
/// closed from whatever status it is in (the normal rules would force it through
/// Resolved first). Only a merge does this; `tickets/update` still enforces them.
pub async fn merge(
    db: &PgPool,
    user: &CurrentUser,
    from: TicketNumber,
    from_version: i32,
    into: TicketNumber,
    into_version: i32,
) -> AppResult<MergeOutcome> {
    let workflow = tickets::load_workflow(db).await?;
    let closed = workflow
        .statuses
        .iter()
        .find(|s| s.key == MERGED_STATUS)
        .or_else(|| workflow.statuses.iter().find(|s| s.category == StatusCategory::Closed))
        .ok_or_else(|| AppError::invalid("The workflow has no closed status to close a duplicate with."))?
        .clone();
    let mut tx = db.begin().await?;
    repo::lock_links(&mut *tx).await?;
    let ((a, va), (b, vb)) = lock_pair(&mut tx, from, into, "into").await?;
    check_version(&mut tx, &a, va, from_version).await?;
    check_version(&mut tx, &b, vb, into_version).await?;
    if let Some(up) = repo::up_of(&mut *tx, b.id, LinkKind::DuplicateOf).await? {
        return Err(AppError::field("into", format!("{} is itself a duplicate of {up}; merge into {up}.", b.number)));
    }
    if let Some(up) = repo::up_of(&mut *tx, a.id, LinkKind::DuplicateOf).await? {
        return Err(AppError::field("into", format!("{} is already a duplicate of {up}.", a.number)));
    }
    // Any other link between the two gives way to the duplicate link.
    if let Some(existing) = repo::find_pair(&mut *tx, a.id, b.id).await? {
        let relation = Relation::of(existing.kind, existing.ticket_id == a.id);
        repo::delete(&mut *tx, existing.id).await?;
        linked_event(&mut tx, user, &a, relation, &b, false).await?;
        linked_event(&mut tx, user, &b, relation.inverse(), &a, false).await?;
    }

    // Replies of another requester's ticket become internal notes on the target.
    let private = a.requester_id != b.requester_id;
    let moved = repo::move_comments(&mut *tx, a.id, b.id, private).await?;
    crate::tickets::attachments::repo::move_with_comments(&mut *tx, &moved, b.id).await?;
    move_watchers(&mut tx, &a, &b).await?;
    let b_version = tickets::touch(&mut *tx, b.id).await?;
    repo::move_comment_events(&mut *tx, a.id, b.id, b_version).await?;
    repo::insert(&mut *tx, LinkKind::DuplicateOf, a.id, b.id, user.id).await?;

    // Close the duplicate, bypassing the transition rules (see above).
    let row = tickets::TicketRowUpdate {
        title: &a.title,
        status: &closed.key,
        priority: a.priority,
        assignee: a.assignee_id,
        team: a.team_id,
        tags: &a.tags,
        category: a.category_id,
        urgency: a.urgency,
        impact: a.impact,
        due_at: a.due_at,
        custom_fields: &a.custom_fields,
    };
    let a_version = tickets::update(&mut *tx, a.id, row).await?;
    let n = moved.len() as u32;
    let ev = |kind: &str, detail: serde_json::Value| (kind.to_string(), detail);
    let on_a = [
        ev("linked", linked_detail(Relation::DuplicateOf, &b, true)),
        ev("merged", json!({ "into": true, "other_number": b.number.0, "other_id": b.id, "comments": n })),
    ];
    for (kind, detail) in on_a {
        tickets::insert_event(&mut *tx, a.id, Some(user.id), &kind, &detail, a_version).await?;
    }
    if a.status != closed.key {
        let detail = json!({ "field": "status", "from": a.status_name, "to": closed.name });
        tickets::insert_event(&mut *tx, a.id, Some(user.id), "changed", &detail, a_version).await?;
    }
    let on_b = [
        ev("linked", linked_detail(Relation::DuplicatedBy, &a, true)),
        ev("merged", json!({ "into": false, "other_number": a.number.0, "other_id": a.id, "comments": n })),
    ];
    for (kind, detail) in on_b {
        tickets::insert_event(&mut *tx, b.id, Some(user.id), &kind, &detail, b_version).await?;
    }
    let before = json!({ "status": a.status, "version": va });
    let after =
        json!({ "into": b.number.to_string(), "status": closed.key, "comments_moved": n, "made_internal": private });
    record(&mut *tx, &Actor::user(user), "ticket.merge", "ticket", &a.number.to_string(), Some(&before), Some(&after))
        .await?;
    let target = json!({ "from": a.number.to_string(), "comments_moved": n, "version": b_version });
    record(&mut *tx, &Actor::user(user), "ticket.merge_into", "ticket", &b.number.to_string(), None, Some(&target))
        .await?;
    announce(&mut tx, a.requester_id, a.number).await?;
    announce(&mut tx, b.requester_id, b.number).await?;
    tx.commit().await?;
    Ok(MergeOutcome { from: a.number, into: b.number, comments_moved: n })
}

/// A merge hands the duplicate's watchers to the target (people already watching
/// it stay once), inside the merge's transaction.
async fn move_watchers(tx: &mut PgConnection, from: &Ticket, into: &Ticket) -> AppResult<()> {
    crate::tickets::fields::repo::move_watchers(&mut *tx, from.id, into.id).await?;
    Ok(())
}
