//! `/docs`: the folder tree beside the document list and search; `/docs/:id`: a
//! document with its rendered body, editor with live preview, history with diffs
//! and restore, and files.
mod document;
mod files;
mod library;

pub use document::DocumentPage;
pub use library::DocumentsPage;

use super::model::Folder;
use super::rules::tree;
use leptos::prelude::*;
use uuid::Uuid;

/// `<option>`s for choosing a folder (indented by depth); `skip` leaves out a
/// folder and everything under it (a folder cannot move into itself).
fn folder_options(folders: &[Folder], selected: Option<Uuid>, skip: Option<Uuid>) -> impl IntoView {
    let mut hidden_depth: Option<usize> = None;
    let rows: Vec<(usize, Folder)> = tree(folders)
        .into_iter()
        .filter(|(depth, f)| {
            if let Some(d) = hidden_depth {
                if *depth > d {
                    return false;
                }
                hidden_depth = None;
            }
            if Some(f.id) == skip {
                hidden_depth = Some(*depth);
                return false;
            }
            true
        })
        .map(|(d, f)| (d, f.clone()))
        .collect();
    view! {
        <option value="" selected=selected.is_none()>"Top level"</option>
        {rows.into_iter().map(|(depth, f)| {
            let label = format!("{}{}", "\u{a0}\u{a0}\u{a0}".repeat(depth + 1), f.name);
            view! { <option value=f.id.to_string() selected=selected == Some(f.id)>{label}</option> }
        }).collect_view()}
    }
}

fn parse_folder(v: &str) -> Option<Uuid> {
    Uuid::parse_str(v).ok()
}
