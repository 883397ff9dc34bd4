//! Word lists and text generators for the benchmark dataset: ticket titles,
//! descriptions, comments, people's names and search terms. Everything is drawn from
//! a caller-supplied RNG, so a seeded RNG gives the same text on every run.
//!
//! The lists mix very common words (every tenth ticket mentions a laptop) with rare
//! ones (error codes, host names), so full-text search sees both broad and narrow
//! queries.
use rand::Rng;
use std::fmt::Write;

#[rustfmt::skip]
pub const FIRST_NAMES: &[&str] = &[
    "Ada", "Alex", "Amir", "Anna", "Ben", "Bianca", "Carlos", "Chen", "Chloe", "Dana", "David", "Elena", "Emma",
    "Farah", "Felix", "Grace", "Hana", "Hugo", "Ines", "Ivan", "Jade", "James", "Jonas", "Kai", "Kenji", "Lara",
    "Leo", "Lina", "Lucas", "Maya", "Mia", "Nadia", "Noah", "Olga", "Omar", "Paula", "Priya", "Quinn", "Rafael",
    "Rosa", "Sam", "Sara", "Sofia", "Tariq", "Theo", "Uma", "Victor", "Wen", "Yara", "Zoe",
];

#[rustfmt::skip]
pub const LAST_NAMES: &[&str] = &[
    "Abbott", "Alvarez", "Baker", "Becker", "Brown", "Castillo", "Chandra", "Costa", "Dubois", "Eriksen", "Fischer",
    "Garcia", "Green", "Haddad", "Hansen", "Ito", "Jansen", "Kaur", "Kim", "Kowalski", "Larsen", "Lopez", "Meyer",
    "Moreau", "Murphy", "Nakamura", "Nguyen", "Novak", "Okafor", "Olsen", "Patel", "Petrov", "Quispe", "Rossi",
    "Schmidt", "Silva", "Singh", "Smith", "Tanaka", "Torres", "Usman", "Varga", "Wagner", "Walsh", "Wong", "Yilmaz",
    "Zhang", "Ziegler",
];

#[rustfmt::skip]
pub const TEAMS: &[&str] = &[
    "Service Desk", "Desktop Support", "Network", "Identity & Access", "Collaboration", "Field Services",
    "Cloud Platform", "Security Operations", "Business Apps", "Procurement",
];

#[rustfmt::skip]
pub const DEVICES: &[&str] = &[
    "laptop", "desktop", "printer", "monitor", "docking station", "headset", "phone", "tablet", "keyboard", "mouse",
    "webcam", "scanner", "projector", "router", "switch", "access point", "badge reader", "thin client", "smartcard",
    "ups",
];

#[rustfmt::skip]
pub const APPS: &[&str] = &[
    "Outlook", "Gmail", "Calendar", "Drive", "Chrome", "Slack", "Zoom", "Teams", "Excel", "Word", "SAP", "Salesforce",
    "Jira", "Confluence", "VPN", "Okta", "Workday", "Figma", "Acrobat", "AutoCAD", "Tableau", "QuickBooks", "Citrix",
    "Windows", "macOS", "Ubuntu", "SharePoint", "OneDrive", "Dropbox", "Photoshop",
];

#[rustfmt::skip]
pub const PROBLEMS: &[&str] = &[
    "will not start", "keeps crashing", "is very slow", "shows a blank screen", "cannot connect",
    "keeps asking for the password", "freezes after login", "does not print", "lost all settings",
    "drops the connection", "cannot sync", "reports a certificate warning", "is stuck on updating",
    "makes a clicking noise", "overheats", "shows the wrong time", "rejects my badge",
    "cannot find the shared folder", "hangs on the loading screen", "flickers",
];

#[rustfmt::skip]
pub const CONTEXTS: &[&str] = &[
    "after the latest update", "since this morning", "when working from home", "on the guest wifi",
    "in every meeting room", "only on Mondays", "since the office move", "after a password change", "when docked",
    "on battery", "for the whole team", "since the migration", "during video calls", "at the branch office",
    "after the firmware upgrade",
];

#[rustfmt::skip]
pub const REQUESTS: &[&str] = &[
    "new laptop for a new starter", "additional monitor", "access to the finance share", "licence for Acrobat",
    "licence for Figma", "mailbox delegation", "distribution list change", "parking badge", "software installation",
    "temporary admin rights", "guest wifi voucher", "replacement charger", "account for a contractor",
    "offboarding of a leaver", "shared calendar for the project",
];

#[rustfmt::skip]
pub const DEPARTMENTS: &[&str] = &[
    "finance", "marketing", "sales", "legal", "engineering", "operations", "warehouse", "reception", "payroll",
    "design", "research", "support",
];

#[rustfmt::skip]
pub const SITES: &[&str] = &[
    "Amsterdam", "Berlin", "Boston", "Dublin", "Lisbon", "Madrid", "Nairobi", "Osaka", "Oslo", "Paris", "Seattle",
    "Sydney", "Toronto", "Vienna", "Warsaw",
];

pub const TAGS: &[&str] = &["hardware", "software", "access", "network", "email", "onboarding", "vip", "security"];

#[rustfmt::skip]
const STEPS: &[&str] = &[
    "I already restarted it twice", "a colleague has the same problem", "it worked fine last week",
    "I cleared the browser cache", "the error appears right after signing in",
    "nothing changed on my side as far as I know", "it happens roughly every hour",
    "I tried another cable and another port", "the message mentions a timeout", "it is blocking the month-end close",
    "I am travelling next week so this is urgent", "the device is still under warranty",
];

#[rustfmt::skip]
const REPLIES: &[&str] = &[
    "Thanks for the report, looking into it now.", "Could you send a screenshot of the error?",
    "Please try signing out and back in, then tell us whether it still happens.",
    "I have pushed a new configuration profile to your device.", "We reproduced it on a test machine.",
    "The vendor confirmed a known issue; a fix is scheduled.",
    "Replacement has been ordered and should arrive in three days.", "Still happening for me, unfortunately.",
    "That fixed it, thank you!", "Can we schedule a call tomorrow morning?", "Escalating to the second line.",
    "Reset done, please try again.", "Checked the logs: the account was locked after failed attempts.",
    "Access granted; it can take up to an hour to propagate.", "Closing this as the issue has not come back.",
];

fn pick<'a, R: Rng>(rng: &mut R, list: &[&'a str]) -> &'a str {
    list[rng.gen_range(0..list.len())]
}

/// Pick an index by weight.
pub fn weighted<R: Rng>(rng: &mut R, weights: &[u32]) -> usize {
    let mut x = rng.gen_range(0..weights.iter().sum::<u32>());
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

/// A short rare token: an error code like `E4012` or a host name like `ws-0815`.
fn rare_token<R: Rng>(rng: &mut R, out: &mut String) {
    if rng.gen_bool(0.5) {
        let _ = write!(out, "E{}", rng.gen_range(1000..10000));
    } else {
        let _ = write!(out, "ws-{:04}", rng.gen_range(0..10000));
    }
}

/// "Firstname Lastname", deterministic for a user number.
pub fn person(n: u64) -> String {
    let first = FIRST_NAMES[(n % FIRST_NAMES.len() as u64) as usize];
    let last = LAST_NAMES[((n / FIRST_NAMES.len() as u64) % LAST_NAMES.len() as u64) as usize];
    format!("{first} {last}")
}

/// Appends a ticket title (≤ ~100 characters).
pub fn title<R: Rng>(rng: &mut R, out: &mut String) {
    match rng.gen_range(0..6) {
        0 => {
            let _ = write!(out, "{} {}", pick(rng, APPS), pick(rng, PROBLEMS));
        }
        1 => {
            let _ = write!(out, "{} {} {}", capital(pick(rng, DEVICES)), pick(rng, PROBLEMS), pick(rng, CONTEXTS));
        }
        2 => {
            let _ = write!(out, "Request: {} ({})", pick(rng, REQUESTS), pick(rng, DEPARTMENTS));
        }
        3 => {
            let _ = write!(out, "{} error ", pick(rng, APPS));
            rare_token(rng, out);
            let _ = write!(out, " {}", pick(rng, CONTEXTS));
        }
        4 => {
            let _ = write!(out, "{} office: {} {}", pick(rng, SITES), pick(rng, DEVICES), pick(rng, PROBLEMS));
        }
        _ => {
            let _ = write!(out, "Access to {} for {}", pick(rng, APPS), pick(rng, DEPARTMENTS));
        }
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Appends a description of two to six sentences, paragraphs separated by a newline.
pub fn description<R: Rng>(rng: &mut R, out: &mut String) {
    let _ = write!(out, "Hello, my {} {} {}. ", pick(rng, DEVICES), pick(rng, PROBLEMS), pick(rng, CONTEXTS));
    let _ = write!(out, "I use {} and {} every day in {}.", pick(rng, APPS), pick(rng, APPS), pick(rng, DEPARTMENTS));
    for _ in 0..rng.gen_range(0..4) {
        out.push_str(if rng.gen_bool(0.3) { "\n" } else { " " });
        let step = pick(rng, STEPS);
        out.push_str(&capital(step));
        out.push('.');
    }
    if rng.gen_bool(0.3) {
        out.push_str(" The message says ");
        rare_token(rng, out);
        out.push('.');
    }
    let _ = write!(out, "\nLocation: {} office, floor {}.", pick(rng, SITES), rng.gen_range(1..9));
}

/// Appends a comment of one to three sentences.
pub fn comment<R: Rng>(rng: &mut R, out: &mut String) {
    out.push_str(pick(rng, REPLIES));
    for _ in 0..rng.gen_range(0..3) {
        out.push(' ');
        match rng.gen_range(0..3) {
            0 => {
                let _ =
                    write!(out, "{} on the {} {}.", capital(pick(rng, APPS)), pick(rng, DEVICES), pick(rng, PROBLEMS));
            }
            1 => {
                out.push_str(&capital(pick(rng, STEPS)));
                out.push('.');
            }
            _ => out.push_str(pick(rng, REPLIES)),
        }
    }
}

/// A search as a person would type it: one or two words, sometimes a rare code or a
/// quoted phrase (`websearch_to_tsquery` syntax).
pub fn search_terms<R: Rng>(rng: &mut R) -> String {
    let word = |rng: &mut R| -> String {
        match rng.gen_range(0..4) {
            0 => pick(rng, DEVICES).to_string(),
            1 => pick(rng, SITES).to_string(),
            2 => pick(rng, DEPARTMENTS).to_string(),
            _ => pick(rng, APPS).to_string(),
        }
    };
    match rng.gen_range(0..20) {
        0..=8 => word(rng),
        9..=15 => format!("{} {}", word(rng), word(rng)),
        16 | 17 => {
            let mut s = String::new();
            rare_token(rng, &mut s);
            s
        }
        _ => format!("\"{}\"", pick(rng, PROBLEMS)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{rngs::StdRng, SeedableRng};

    #[test]
    fn same_seed_same_text_and_titles_fit_the_column() {
        let (mut a, mut b) = (StdRng::seed_from_u64(7), StdRng::seed_from_u64(7));
        for _ in 0..2000 {
            let (mut x, mut y) = (String::new(), String::new());
            title(&mut a, &mut x);
            title(&mut b, &mut y);
            assert_eq!(x, y);
            assert!(!x.is_empty() && x.len() <= 300, "{x}");
            assert!(!x.contains(['\t', '\\', '\n']));
        }
        let mut d = String::new();
        description(&mut a, &mut d);
        comment(&mut a, &mut d);
        assert!(!d.contains(['\t', '\\']));
        assert!(!search_terms(&mut a).is_empty());
    }
}
