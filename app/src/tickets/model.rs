//! Tickets as the browser sees them: summaries for queues, the full ticket with its
//! timeline, filters, and the workflow (statuses and allowed transitions).
use super::fields::{CategoryId, Level};
use super::links::model::Relation;
use crate::auth::model::UserId;
use crate::teams::model::TeamId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
pub struct TicketId(pub uuid::Uuid);

/// The human number, shown as `TKT-42`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
pub struct TicketNumber(pub i64);

impl std::fmt::Display for TicketNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TKT-{}", self.0)
    }
}

impl TicketNumber {
    /// Accepts `TKT-42`, `tkt-42`, `#42` and `42`.
    pub fn parse(s: &str) -> Option<TicketNumber> {
        let s = s.trim();
        let digits =
            s.strip_prefix("TKT-").or_else(|| s.strip_prefix("tkt-")).or_else(|| s.strip_prefix('#')).unwrap_or(s);
        digits.parse::<i64>().ok().filter(|n| *n > 0).map(TicketNumber)
    }
}

/// The category a status belongs to; SLA clocks and filters use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "status_category", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum StatusCategory {
    New,
    Open,
    Pending,
    Scheduled,
    Resolved,
    Closed,
}

impl StatusCategory {
    /// The categories of work not yet done.
    pub const ACTIVE: [StatusCategory; 4] =
        [StatusCategory::New, StatusCategory::Open, StatusCategory::Pending, StatusCategory::Scheduled];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "ticket_priority", rename_all = "lowercase"))]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    P1,
    P2,
    #[default]
    P3,
    P4,
}

impl Priority {
    pub const ALL: [Priority; 4] = [Priority::P1, Priority::P2, Priority::P3, Priority::P4];
    pub fn label(self) -> &'static str {
        match self {
            Priority::P1 => "P1 · Critical",
            Priority::P2 => "P2 · High",
            Priority::P3 => "P3 · Normal",
            Priority::P4 => "P4 · Low",
        }
    }
    pub fn short(self) -> &'static str {
        match self {
            Priority::P1 => "P1",
            Priority::P2 => "P2",
            Priority::P3 => "P3",
            Priority::P4 => "P4",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "ticket_source", rename_all = "lowercase"))]
#[serde(rename_all = "lowercase")]
pub enum Source {
    #[default]
    Web,
    Portal,
    Email,
    Api,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    pub key: String,
    pub name: String,
    pub category: StatusCategory,
}

/// Statuses and the transitions admins allow between them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Workflow {
    pub statuses: Vec<Status>,
    pub transitions: Vec<(String, String)>,
}

/// A row of a queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct TicketSummary {
    pub id: TicketId,
    pub number: TicketNumber,
    pub title: String,
    pub requester_name: String,
    pub assignee_name: Option<String>,
    pub team_name: Option<String>,
    pub status: String,
    pub status_name: String,
    pub status_category: StatusCategory,
    pub priority: Priority,
    pub category_id: Option<CategoryId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    pub id: TicketId,
    pub number: TicketNumber,
    pub title: String,
    pub description: String,
    pub requester_id: UserId,
    pub requester_name: String,
    pub requester_email: String,
    pub assignee_id: Option<UserId>,
    pub assignee_name: Option<String>,
    pub team_id: Option<TeamId>,
    pub team_name: Option<String>,
    pub status: String,
    pub status_name: String,
    pub status_category: StatusCategory,
    pub priority: Priority,
    pub source: Source,
    pub tags: Vec<String>,
    pub category_id: Option<CategoryId>,
    pub urgency: Level,
    pub impact: Level,
    pub due_at: Option<DateTime<Utc>>,
    /// Values of the admin-defined fields, by field key.
    pub custom_fields: serde_json::Value,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One entry of a ticket's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineItem {
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub what: TimelineWhat,
    /// The comment of a `Comment` entry.
    #[serde(default)]
    pub comment_id: Option<uuid::Uuid>,
    /// Files of this comment, or of the description on the `Created` entry.
    #[serde(default)]
    pub attachments: Vec<super::attachments::model::Attachment>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TimelineWhat {
    Created,
    Changed {
        field: String,
        from: String,
        to: String,
    },
    /// `html` is the body rendered from markdown and sanitised on the server.
    Comment {
        body: String,
        internal: bool,
        html: String,
    },
    // A link to `other` was added or removed; `relation` is what this ticket is to it.
    Linked {
        relation: Relation,
        other: TicketNumber,
        added: bool,
    },
    // A merge: this ticket went `into` `other` (true), or `other` came into this one,
    // bringing `comments` comments.
    Merged {
        into: bool,
        other: TicketNumber,
        comments: u32,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketDetail {
    pub ticket: Ticket,
    /// The description rendered from markdown and sanitised on the server.
    pub description_html: String,
    pub timeline: Vec<TimelineItem>,
    /// Staff following the ticket (empty for requesters).
    pub watchers: Vec<Watcher>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Watcher {
    pub user_id: UserId,
    pub display_name: String,
}

/// The order of a queue. Every order ends in a unique key so keyset pages never
/// skip or repeat a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TicketSort {
    /// Most recent activity first.
    #[default]
    UpdatedDesc,
    UpdatedAsc,
    CreatedDesc,
    CreatedAsc,
    /// P1 first, then most recent activity.
    PriorityHigh,
    /// P4 first, then most recent activity.
    PriorityLow,
    NumberDesc,
    NumberAsc,
}

/// Where the previous page ended: the sort keys of its last row.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TicketCursor {
    pub id: TicketId,
    pub number: TicketNumber,
    pub priority: Priority,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TicketCursor {
    pub fn after(t: &TicketSummary) -> TicketCursor {
        TicketCursor {
            id: t.id,
            number: t.number,
            priority: t.priority,
            created_at: t.created_at,
            updated_at: t.updated_at,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum AssigneeFilter {
    #[default]
    Any,
    Me,
    Unassigned,
    User(UserId),
}

/// Queue filters; every field narrows the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct TicketFilter {
    /// Empty = every category.
    pub categories: Vec<StatusCategory>,
    pub assignee: AssigneeFilter,
    pub team: Option<TeamId>,
    pub priority: Option<Priority>,
    pub requester: Option<UserId>,
    pub tag: Option<String>,
    /// Exact statuses (keys); empty = any. Narrows `categories` further.
    pub statuses: Vec<String>,
    /// A category, or a top-level category with all its subcategories.
    pub category: Option<CategoryId>,
    /// Date ranges (UTC days, both ends included).
    pub created_from: Option<chrono::NaiveDate>,
    pub created_to: Option<chrono::NaiveDate>,
    pub updated_from: Option<chrono::NaiveDate>,
    pub updated_to: Option<chrono::NaiveDate>,
    pub sort: TicketSort,
    /// Keyset cursor: the last row of the previous page.
    pub after: Option<TicketCursor>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketPage {
    pub tickets: Vec<TicketSummary>,
    pub next: Option<TicketCursor>,
}

pub const TICKET_PAGE_SIZE: i64 = 50;

/// A change to a ticket; `None` leaves a field as it is. `version` is the version the
/// editor saw: a newer one on the server refuses the change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TicketPatch {
    pub version: i32,
    pub title: Option<String>,
    pub status: Option<String>,
    pub priority: Option<Priority>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
    pub assignee: Option<Option<UserId>>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
    pub team: Option<Option<TeamId>>,
    pub tags: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
    pub category: Option<Option<CategoryId>>,
    pub urgency: Option<Level>,
    pub impact: Option<Level>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
    pub due_at: Option<Option<DateTime<Utc>>>,
    /// Custom values to set (a `null` clears one); other fields keep theirs.
    pub custom_fields: Option<serde_json::Map<String, serde_json::Value>>,
}

/// What a new ticket may carry besides title, description and priority.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct NewTicketExtras {
    pub category: Option<CategoryId>,
    pub urgency: Option<Level>,
    pub impact: Option<Level>,
    pub due_at: Option<DateTime<Utc>>,
    pub custom_fields: serde_json::Map<String, serde_json::Value>,
}

/// A search result: the ticket and a snippet with the matching words marked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub number: TicketNumber,
    pub title: String,
    pub status_name: String,
    pub status_category: StatusCategory,
    pub requester_name: String,
    /// Text with matches between `SNIPPET_START` and `SNIPPET_STOP`.
    pub snippet: String,
}

pub const SNIPPET_START: &str = "\u{2}";
pub const SNIPPET_STOP: &str = "\u{3}";

/// Splits a snippet into (text, is_match) parts for rendering without HTML.
pub fn snippet_parts(s: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for (i, chunk) in s.split(SNIPPET_START).enumerate() {
        if i == 0 {
            if !chunk.is_empty() {
                out.push((chunk.replace(SNIPPET_STOP, ""), false));
            }
            continue;
        }
        match chunk.split_once(SNIPPET_STOP) {
            Some((m, rest)) => {
                out.push((m.to_string(), true));
                if !rest.is_empty() {
                    out.push((rest.to_string(), false));
                }
            }
            None => out.push((chunk.to_string(), false)),
        }
    }
    out
}

/// Which tickets a bulk edit touches: the ones picked, or every one matching a view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BulkTarget {
    Tickets { numbers: Vec<TicketNumber> },
    Matching { filter: TicketFilter },
}

/// The same change for many tickets; `None` and empty lists leave a field alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct BulkChanges {
    pub status: Option<String>,
    pub priority: Option<Priority>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
    pub assignee: Option<Option<UserId>>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "clearable")]
    pub team: Option<Option<TeamId>>,
    pub add_tags: Vec<String>,
    pub remove_tags: Vec<String>,
}

impl BulkChanges {
    pub fn is_empty(&self) -> bool {
        self.status.is_none()
            && self.priority.is_none()
            && self.assignee.is_none()
            && self.team.is_none()
            && self.add_tags.is_empty()
            && self.remove_tags.is_empty()
    }
}

/// A ticket a bulk edit could not change, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulkRefusal {
    pub number: TicketNumber,
    pub reason: String,
}

/// What a bulk edit did. Over `BULK_INLINE_LIMIT` tickets it runs as a job and
/// `job` names it; the counts then come from `tickets/bulk_progress`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct BulkOutcome {
    pub matched: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub refused: Vec<BulkRefusal>,
    pub job: Option<i64>,
    /// Counts per changed field, e.g. ("status", 48).
    pub fields: Vec<(String, u64)>,
    pub finished: bool,
}

/// Bulk edits over more tickets than this run in the background.
pub const BULK_INLINE_LIMIT: usize = 10_000;

/// How many tickets match a view, counted up to a cap.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TicketCount {
    pub count: i64,
    /// More match than `count` (counting stopped at the cap).
    pub more: bool,
}

/// Serde for "leave / clear / set" fields (`Option<Option<T>>`): a missing field
/// leaves the value alone, `null` clears it, a value sets it. Plain serde would read
/// `null` as "leave alone", so "Unassigned" could never be chosen.
pub mod clearable {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(v: &Option<Option<T>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}
