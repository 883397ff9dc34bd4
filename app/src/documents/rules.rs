//! Pure rules of the documents module: names and titles, the folder tree, and
//! (server side) line diffs between versions.
use super::model::Folder;
use uuid::Uuid;

pub const MAX_FOLDER_NAME: usize = 120;
pub const MAX_TITLE: usize = 200;
/// Longest document body, in characters (the database checks the same).
pub const MAX_BODY: usize = 500_000;

/// A folder name: trimmed, 1 to 120 characters, no control characters or slashes.
pub fn folder_name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > MAX_FOLDER_NAME {
        return Err(format!("Give the folder a name of 1 to {MAX_FOLDER_NAME} characters."));
    }
    if name.chars().any(|c| c.is_control() || c == '/' || c == '\\') {
        return Err("A folder name cannot contain slashes or control characters.".into());
    }
    Ok(name.to_string())
}

/// A document title: trimmed, 1 to 200 characters, no control characters.
pub fn title(raw: &str) -> Result<String, String> {
    let t = raw.trim();
    if t.is_empty() || t.chars().count() > MAX_TITLE {
        return Err(format!("Give the document a title of 1 to {MAX_TITLE} characters."));
    }
    if t.chars().any(char::is_control) {
        return Err("A title cannot contain control characters.".into());
    }
    Ok(t.to_string())
}

pub fn body(raw: &str) -> Result<(), String> {
    if raw.chars().count() > MAX_BODY {
        return Err("Keep the document under 500,000 characters; attach longer material as a file.".into());
    }
    Ok(())
}

/// The folders in display order, depth first and by name, each with its depth.
/// Folders whose parent is missing (or that sit in a loop) are left out.
pub fn tree(folders: &[Folder]) -> Vec<(usize, &Folder)> {
    fn children(all: &[Folder], parent: Option<Uuid>) -> Vec<&Folder> {
        let mut c: Vec<&Folder> = all.iter().filter(|f| f.parent_id == parent).collect();
        c.sort_by_key(|f| (f.name.to_lowercase(), f.id));
        c
    }
    fn walk<'a>(all: &'a [Folder], parent: Option<Uuid>, depth: usize, out: &mut Vec<(usize, &'a Folder)>) {
        if depth > 64 {
            return;
        }
        for f in children(all, parent) {
            out.push((depth, f));
            walk(all, Some(f.id), depth + 1, out);
        }
    }
    let mut out = Vec::with_capacity(folders.len());
    walk(folders, None, 0, &mut out);
    out
}

/// Whether `moving` would become its own ancestor under `new_parent`, given each
/// folder's parent.
pub fn creates_cycle(moving: Uuid, new_parent: Option<Uuid>, parent_of: impl Fn(Uuid) -> Option<Uuid>) -> bool {
    let mut at = new_parent;
    let mut steps = 0;
    while let Some(p) = at {
        if p == moving || steps > 10_000 {
            return true;
        }
        at = parent_of(p);
        steps += 1;
    }
    false
}

/// Line diff of `old` → `new` with `context` unchanged lines around each change;
/// longer unchanged stretches become one `Skipped` line. Returns the lines and the
/// counts of added and removed lines.
#[cfg(feature = "ssr")]
pub fn line_diff(old: &str, new: &str, context: usize) -> (Vec<super::model::DiffLine>, u32, u32) {
    use super::model::{DiffKind, DiffLine};
    use similar::{ChangeTag, TextDiff};
    let diff = TextDiff::from_lines(old, new);
    let mut lines = Vec::new();
    let (mut added, mut removed) = (0u32, 0u32);
    let groups = diff.grouped_ops(context);
    let total_old = old.lines().count();
    let mut shown_until = 0usize;
    for group in &groups {
        let first_old = group.first().map(|op| op.old_range().start).unwrap_or(0);
        if first_old > shown_until {
            let n = first_old - shown_until;
            lines.push(DiffLine { kind: DiffKind::Skipped, old: None, new: None, text: skipped(n) });
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let text = change.value().trim_end_matches(['\n', '\r']).to_string();
                let old_no = change.old_index().map(|i| i as u32 + 1);
                let new_no = change.new_index().map(|i| i as u32 + 1);
                let kind = match change.tag() {
                    ChangeTag::Equal => DiffKind::Same,
                    ChangeTag::Insert => {
                        added += 1;
                        DiffKind::Added
                    }
                    ChangeTag::Delete => {
                        removed += 1;
                        DiffKind::Removed
                    }
                };
                lines.push(DiffLine { kind, old: old_no, new: new_no, text });
            }
        }
        shown_until = group.last().map(|op| op.old_range().end).unwrap_or(shown_until);
    }
    if !groups.is_empty() && total_old > shown_until {
        lines.push(DiffLine { kind: DiffKind::Skipped, old: None, new: None, text: skipped(total_old - shown_until) });
    }
    (lines, added, removed)
}

#[cfg(feature = "ssr")]
fn skipped(n: usize) -> String {
    format!("{n} unchanged line{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(id: u128, parent: Option<u128>, name: &str) -> Folder {
        Folder { id: Uuid::from_u128(id), parent_id: parent.map(Uuid::from_u128), name: name.into(), documents: 0 }
    }

    #[test]
    fn names_and_titles_are_trimmed_and_bounded() {
        assert_eq!(folder_name("  Network  ").unwrap(), "Network");
        assert!(folder_name("").is_err());
        assert!(folder_name("a/b").is_err());
        assert!(folder_name(&"x".repeat(121)).is_err());
        assert_eq!(title(" VPN runbook ").unwrap(), "VPN runbook");
        assert!(title("   ").is_err());
        assert!(title("a\u{7}b").is_err());
        assert!(body(&"x".repeat(MAX_BODY)).is_ok());
        assert!(body(&"x".repeat(MAX_BODY + 1)).is_err());
    }

    #[test]
    fn the_tree_is_depth_first_by_name() {
        let all = vec![
            folder(1, None, "Servers"),
            folder(2, None, "Network"),
            folder(3, Some(2), "VPN"),
            folder(4, Some(2), "Firewall"),
            folder(5, Some(4), "Rules"),
            folder(6, Some(99), "Orphan"),
        ];
        let names: Vec<(usize, &str)> = tree(&all).into_iter().map(|(d, f)| (d, f.name.as_str())).collect();
        assert_eq!(names, vec![(0, "Network"), (1, "Firewall"), (2, "Rules"), (1, "VPN"), (0, "Servers")]);
    }

    #[test]
    fn moving_a_folder_under_itself_or_a_descendant_is_a_cycle() {
        let all = [folder(1, None, "a"), folder(2, Some(1), "b"), folder(3, Some(2), "c")];
        let parent_of = |id: Uuid| all.iter().find(|f| f.id == id).and_then(|f| f.parent_id);
        let id = Uuid::from_u128;
        assert!(creates_cycle(id(1), Some(id(1)), parent_of));
        assert!(creates_cycle(id(1), Some(id(3)), parent_of));
        assert!(!creates_cycle(id(3), Some(id(1)), parent_of));
        assert!(!creates_cycle(id(2), None, parent_of));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn diff_lists_exactly_the_changed_lines_with_context() {
        use crate::documents::model::DiffKind;
        let old: String = (1..=20).map(|i| format!("line {i}\n")).collect();
        let new = old.replace("line 5\n", "line five\n").replace("line 18\n", "");
        let (lines, added, removed) = line_diff(&old, &new, 2);
        assert_eq!((added, removed), (1, 2));
        let changed: Vec<(DiffKind, &str)> = lines
            .iter()
            .filter(|l| matches!(l.kind, DiffKind::Added | DiffKind::Removed))
            .map(|l| (l.kind, l.text.as_str()))
            .collect();
        assert_eq!(
            changed,
            vec![(DiffKind::Removed, "line 5"), (DiffKind::Added, "line five"), (DiffKind::Removed, "line 18")]
        );
        // 2 lines of context: 1-2 skipped, 3-4 shown, …, and 19-20 shown after line 18.
        assert_eq!(lines[0].kind, DiffKind::Skipped);
        assert_eq!(lines[0].text, "2 unchanged lines");
        assert_eq!(lines[1].old, Some(3));
        let (same, a, r) = line_diff("a\nb\n", "a\nb\n", 3);
        assert!(same.is_empty() && a == 0 && r == 0);
    }
}
