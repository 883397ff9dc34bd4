//! Macros as the browser and server see them, and the placeholder language of
//! their text. Rendering is pure and shared: the server renders for a ticket, the
//! management screen renders its live preview with the same function.
use crate::auth::model::UserId;
use crate::tickets::model::{Priority, TicketNumber};
use serde::{Deserialize, Serialize};

/// Who a macro assigns the ticket to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum MacroAssignee {
    /// Whoever applies the macro.
    Me,
    Unassigned,
    User(UserId),
}

/// Field changes a macro makes; `None` and an empty list leave a field alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct MacroActions {
    pub status: Option<String>,
    pub priority: Option<Priority>,
    pub assignee: Option<MacroAssignee>,
    pub add_tags: Vec<String>,
}

impl MacroActions {
    pub fn is_empty(&self) -> bool {
        self.status.is_none() && self.priority.is_none() && self.assignee.is_none() && self.add_tags.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Macro {
    pub id: uuid::Uuid,
    pub name: String,
    pub body: String,
    /// The text goes in as an internal note (else a public reply).
    pub internal: bool,
    /// Shared with every agent (else personal).
    pub shared: bool,
    /// The caller may change or delete it (their own, or a shared one with MacrosShare).
    pub editable: bool,
    pub actions: MacroActions,
}

/// What the management screen sends to create (`id: None`) or change a macro.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct MacroInput {
    pub id: Option<uuid::Uuid>,
    pub name: String,
    pub body: String,
    pub internal: bool,
    pub shared: bool,
    pub actions: MacroActions,
}

/// The result of applying a macro to a ticket: the text for the reply box (the
/// agent edits and sends it) and the fields it already changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MacroApplied {
    pub number: TicketNumber,
    pub text: String,
    pub internal: bool,
    /// Names of the fields that changed ("status", "priority", …); empty if none.
    pub changed: Vec<String>,
    /// The ticket's version after the change.
    pub version: i32,
}

/// Every placeholder a macro may use, with what it stands for.
pub const PLACEHOLDERS: [(&str, &str); 10] = [
    ("requester.first_name", "Requester's first name"),
    ("requester.name", "Requester's full name"),
    ("requester.email", "Requester's email"),
    ("ticket.number", "Ticket number, e.g. TKT-42"),
    ("ticket.title", "Ticket title"),
    ("ticket.status", "Status (after the macro's changes)"),
    ("ticket.priority", "Priority, e.g. P2 · High"),
    ("agent.name", "Your full name"),
    ("agent.first_name", "Your first name"),
    ("org.name", "Organisation name"),
];

/// The values placeholders are replaced with.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlaceholderValues {
    pub requester_name: String,
    pub requester_email: String,
    pub ticket_number: String,
    pub ticket_title: String,
    pub ticket_status: String,
    pub ticket_priority: String,
    pub agent_name: String,
    pub org_name: String,
}

/// The first word of a display name ("Riley Requester" → "Riley").
pub fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or("")
}

impl PlaceholderValues {
    fn get(&self, key: &str) -> Option<&str> {
        Some(match key {
            "requester.first_name" => first_name(&self.requester_name),
            "requester.name" => &self.requester_name,
            "requester.email" => &self.requester_email,
            "ticket.number" => &self.ticket_number,
            "ticket.title" => &self.ticket_title,
            "ticket.status" => &self.ticket_status,
            "ticket.priority" => &self.ticket_priority,
            "agent.name" => &self.agent_name,
            "agent.first_name" => first_name(&self.agent_name),
            "org.name" => &self.org_name,
            _ => return None,
        })
    }
}

/// A piece of macro text: plain text or a `{{ key }}` placeholder (key trimmed).
enum Part<'a> {
    Text(&'a str),
    Placeholder { raw: &'a str, key: &'a str },
}

/// Splits text at `{{ … }}`. An opening `{{` without a closing `}}` is plain text.
fn parts(body: &str) -> Vec<Part<'_>> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start + 2..].find("}}") else { break };
        let end = start + 2 + len + 2;
        if start > 0 {
            out.push(Part::Text(&rest[..start]));
        }
        out.push(Part::Placeholder { raw: &rest[start..end], key: rest[start + 2..end - 2].trim() });
        rest = &rest[end..];
    }
    if !rest.is_empty() {
        out.push(Part::Text(rest));
    }
    out
}

/// The placeholders in `body` that are not in `PLACEHOLDERS`, as written, each once.
pub fn unknown_placeholders(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in parts(body) {
        if let Part::Placeholder { raw, key } = p {
            if !PLACEHOLDERS.iter().any(|(k, _)| *k == key) && !out.iter().any(|o| o == raw) {
                out.push(raw.to_string());
            }
        }
    }
    out
}

/// The message refusing unknown placeholders, naming them; None when all are known.
pub fn check_placeholders(body: &str) -> Option<String> {
    let unknown = unknown_placeholders(body);
    if unknown.is_empty() {
        return None;
    }
    let known: Vec<String> = PLACEHOLDERS.iter().map(|(k, _)| format!("{{{{{k}}}}}")).collect();
    Some(format!(
        "Unknown placeholder{} {}. Use one of {}.",
        if unknown.len() == 1 { "" } else { "s" },
        unknown.join(", "),
        known.join(", ")
    ))
}

/// Replaces every known placeholder; unknown ones stay as written.
pub fn render(body: &str, values: &PlaceholderValues) -> String {
    let mut out = String::with_capacity(body.len());
    for p in parts(body) {
        match p {
            Part::Text(t) => out.push_str(t),
            Part::Placeholder { raw, key } => out.push_str(values.get(key).unwrap_or(raw)),
        }
    }
    out
}

/// Longest macro text, in characters.
pub const MAX_BODY: usize = 20_000;

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> PlaceholderValues {
        PlaceholderValues {
            requester_name: "Riley  Requester".into(),
            requester_email: "riley@example.com".into(),
            ticket_number: "TKT-7".into(),
            ticket_title: "Printer jam".into(),
            ticket_status: "Resolved".into(),
            ticket_priority: "P2 · High".into(),
            agent_name: "Alex Agent".into(),
            org_name: "Acme".into(),
        }
    }

    #[test]
    fn renders_every_placeholder_with_or_without_spaces() {
        let body = "Hi {{requester.first_name}} ({{ requester.name }}, {{requester.email}}), {{ticket.number}} \
                    \"{{ticket.title}}\" is {{ticket.status}} at {{ticket.priority}}. {{agent.first_name}} / \
                    {{agent.name}}, {{org.name}}";
        assert_eq!(
            render(body, &values()),
            "Hi Riley (Riley  Requester, riley@example.com), TKT-7 \"Printer jam\" is Resolved at P2 · High. \
             Alex / Alex Agent, Acme"
        );
    }

    #[test]
    fn unknown_placeholders_are_named_once_and_braces_alone_are_text() {
        let body = "{{ requester.phone }} {{nope}} {{nope}} {{requester.name}} {{ unclosed";
        assert_eq!(unknown_placeholders(body), vec!["{{ requester.phone }}".to_string(), "{{nope}}".to_string()]);
        let msg = check_placeholders(body).unwrap();
        assert!(msg.starts_with("Unknown placeholders {{ requester.phone }}, {{nope}}."), "{msg}");
        assert!(msg.contains("{{requester.first_name}}"), "{msg}");
        assert_eq!(check_placeholders("Plain {text} and {{org.name}}"), None);
        assert_eq!(render("a {{ unclosed", &values()), "a {{ unclosed");
        assert_eq!(render("{{nope}}", &values()), "{{nope}}");
    }
}
