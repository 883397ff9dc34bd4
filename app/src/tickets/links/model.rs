//! Links between tickets as the browser sees them.
use crate::tickets::model::{StatusCategory, TicketNumber};
use serde::{Deserialize, Serialize};

/// How a link is stored: "ticket <kind> target".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "ticket_link_kind", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    ChildOf,
    DuplicateOf,
    RelatedTo,
}

/// What one ticket is to another, read from the first ticket's side: on TKT-1,
/// `ChildOf` TKT-2 means TKT-2 is the parent of TKT-1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    ParentOf,
    ChildOf,
    RelatedTo,
    DuplicateOf,
    DuplicatedBy,
}

impl Relation {
    pub const ALL: [Relation; 5] =
        [Relation::ParentOf, Relation::ChildOf, Relation::RelatedTo, Relation::DuplicateOf, Relation::DuplicatedBy];

    /// The same link seen from the other ticket.
    pub fn inverse(self) -> Relation {
        match self {
            Relation::ParentOf => Relation::ChildOf,
            Relation::ChildOf => Relation::ParentOf,
            Relation::RelatedTo => Relation::RelatedTo,
            Relation::DuplicateOf => Relation::DuplicatedBy,
            Relation::DuplicatedBy => Relation::DuplicateOf,
        }
    }

    /// The stored kind, and whether this ticket is the row's `ticket` (true) or its
    /// `target` (false).
    pub fn stored(self) -> (LinkKind, bool) {
        match self {
            Relation::ChildOf => (LinkKind::ChildOf, true),
            Relation::ParentOf => (LinkKind::ChildOf, false),
            Relation::DuplicateOf => (LinkKind::DuplicateOf, true),
            Relation::DuplicatedBy => (LinkKind::DuplicateOf, false),
            Relation::RelatedTo => (LinkKind::RelatedTo, true),
        }
    }

    /// The relation of a stored row's `ticket` (`from_ticket`) or `target` side.
    pub fn of(kind: LinkKind, from_ticket: bool) -> Relation {
        match (kind, from_ticket) {
            (LinkKind::ChildOf, true) => Relation::ChildOf,
            (LinkKind::ChildOf, false) => Relation::ParentOf,
            (LinkKind::DuplicateOf, true) => Relation::DuplicateOf,
            (LinkKind::DuplicateOf, false) => Relation::DuplicatedBy,
            (LinkKind::RelatedTo, _) => Relation::RelatedTo,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Relation::ParentOf => "parent_of",
            Relation::ChildOf => "child_of",
            Relation::RelatedTo => "related_to",
            Relation::DuplicateOf => "duplicate_of",
            Relation::DuplicatedBy => "duplicated_by",
        }
    }

    pub fn parse(s: &str) -> Option<Relation> {
        Relation::ALL.into_iter().find(|r| r.key() == s)
    }

    /// Reads "<this ticket> is … <other>".
    pub fn label(self) -> &'static str {
        match self {
            Relation::ParentOf => "Parent of",
            Relation::ChildOf => "Child of",
            Relation::RelatedTo => "Related to",
            Relation::DuplicateOf => "Duplicate of",
            Relation::DuplicatedBy => "Duplicated by",
        }
    }
}

/// A link as shown on one ticket: the other ticket and how it relates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketLink {
    pub relation: Relation,
    pub other: TicketNumber,
    pub title: String,
    pub status_name: String,
    pub status_category: StatusCategory,
}

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergeOutcome {
    pub from: TicketNumber,
    pub into: TicketNumber,
    pub comments_moved: u32,
}

/// The status a merged duplicate is closed with.
pub const MERGED_STATUS: &str = "closed";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_relation_round_trips_through_storage_and_its_inverse() {
        for r in Relation::ALL {
            let (kind, from_ticket) = r.stored();
            assert_eq!(Relation::of(kind, from_ticket), r);
            assert_eq!(r.inverse().inverse(), r);
            assert_eq!(Relation::parse(r.key()), Some(r));
            if kind != LinkKind::RelatedTo {
                // The other side of a directed link is stored on the other column.
                assert_eq!(Relation::of(kind, !from_ticket), r.inverse());
            }
        }
    }
}
