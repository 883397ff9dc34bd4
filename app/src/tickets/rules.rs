//! Pure ticket rules shared by browser and server: titles, tags, transitions.
use super::model::Workflow;

/// Trims a title and checks its length (1–300 characters, no control characters).
pub fn parse_title(s: &str) -> Result<String, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("Give the ticket a title.".into());
    }
    if s.chars().count() > 300 {
        return Err("Keep the title under 300 characters.".into());
    }
    if s.chars().any(char::is_control) {
        return Err("The title contains invalid characters.".into());
    }
    Ok(s.to_string())
}

/// Lower-cases, trims, de-duplicates and sorts tags; each 1–40 of [a-z0-9-_.].
pub fn normalize_tags(tags: &[String]) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for t in tags {
        let t = t.trim().to_lowercase();
        if t.is_empty() {
            continue;
        }
        if t.len() > 40 || !t.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
            return Err(format!("Tag '{t}' must be up to 40 letters, digits, '-', '_' or '.'."));
        }
        if !out.contains(&t) {
            out.push(t);
        }
    }
    if out.len() > 20 {
        return Err("Use at most 20 tags.".into());
    }
    out.sort();
    Ok(out)
}

impl Workflow {
    pub fn name_of(&self, key: &str) -> String {
        self.statuses.iter().find(|s| s.key == key).map(|s| s.name.clone()).unwrap_or_else(|| key.to_string())
    }

    /// The statuses reachable from `from`, in display order.
    pub fn next_statuses(&self, from: &str) -> Vec<&super::model::Status> {
        self.statuses.iter().filter(|s| self.transitions.iter().any(|(f, t)| f == from && *t == s.key)).collect()
    }

    /// Allowed, or a message naming both statuses.
    pub fn check(&self, from: &str, to: &str) -> Result<(), String> {
        if !self.statuses.iter().any(|s| s.key == to) {
            return Err(format!("'{to}' is not a status."));
        }
        if self.transitions.iter().any(|(f, t)| f == from && t == to) {
            Ok(())
        } else {
            Err(format!("A ticket cannot move from {} to {}.", self.name_of(from), self.name_of(to)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tickets::model::{Status, StatusCategory, TicketNumber};

    fn workflow() -> Workflow {
        let s = |k: &str, c| Status { key: k.into(), name: k.to_uppercase(), category: c };
        Workflow {
            statuses: vec![
                s("new", StatusCategory::New),
                s("resolved", StatusCategory::Resolved),
                s("closed", StatusCategory::Closed),
            ],
            transitions: vec![("new".into(), "resolved".into()), ("resolved".into(), "closed".into())],
        }
    }

    #[test]
    fn only_listed_transitions_are_allowed_and_refusals_name_both_statuses() {
        let w = workflow();
        assert!(w.check("new", "resolved").is_ok());
        assert_eq!(w.check("new", "closed").unwrap_err(), "A ticket cannot move from NEW to CLOSED.");
        assert!(w.check("new", "bogus").unwrap_err().contains("not a status"));
        assert_eq!(w.next_statuses("resolved").iter().map(|s| s.key.as_str()).collect::<Vec<_>>(), vec!["closed"]);
    }

    #[test]
    fn tags_are_normalised_and_bad_ones_refused() {
        let t = |v: &[&str]| normalize_tags(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(t(&[" VPN ", "vpn", "", "laptop"]).unwrap(), vec!["laptop", "vpn"]);
        assert!(t(&["no spaces"]).is_err());
        assert!(t(&[&"x".repeat(41)]).is_err());
    }

    #[test]
    fn titles_are_trimmed_and_bounded() {
        assert_eq!(parse_title("  Printer jam ").unwrap(), "Printer jam");
        assert!(parse_title("   ").is_err());
        assert!(parse_title(&"x".repeat(301)).is_err());
    }

    #[test]
    fn snippets_split_into_marked_and_plain_parts() {
        use crate::tickets::model::snippet_parts;
        let s = "the \u{2}vpn\u{3} drops \u{2}hourly\u{3}";
        assert_eq!(
            snippet_parts(s),
            vec![("the ".into(), false), ("vpn".into(), true), (" drops ".into(), false), ("hourly".into(), true)]
        );
        assert_eq!(snippet_parts("plain"), vec![("plain".into(), false)]);
    }

    #[test]
    fn ticket_numbers_parse_in_the_forms_people_type() {
        assert_eq!(TicketNumber::parse("TKT-42"), Some(TicketNumber(42)));
        assert_eq!(TicketNumber::parse("#42"), Some(TicketNumber(42)));
        assert_eq!(TicketNumber::parse(" 42 "), Some(TicketNumber(42)));
        assert_eq!(TicketNumber::parse("TKT-0"), None);
        assert_eq!(TicketNumber::parse("abc"), None);
        assert_eq!(TicketNumber(7).to_string(), "TKT-7");
    }
}
