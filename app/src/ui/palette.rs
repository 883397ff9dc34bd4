//! Keyboard control of the console. The command palette: `/` anywhere (outside text
//! fields) opens it; type a ticket number, words from a ticket or its comments, a
//! command, or (on a ticket) a macro's name; arrows move, Enter opens or applies,
//! Escape closes. Single-key shortcuts (never
//! while typing in a field) are listed by `?`.
use crate::context::use_settings;
use crate::settings::model::Module;
use crate::tickets::api::search_tickets;
use crate::tickets::model::{snippet_parts, SearchHit};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// Fixed commands, matched by their label.
const COMMANDS: [(&str, &str); 5] = [
    ("Go to the queue", "/desk"),
    ("Macros", "/desk/macros"),
    ("Administration", "/admin"),
    ("Your account and theme", "/account"),
    ("Audit log", "/admin/audit"),
];

#[derive(Clone, PartialEq)]
enum Item {
    /// A macro to apply to the open ticket: (id, name).
    Macro(uuid::Uuid, String),
    Ticket(SearchHit),
    Command(&'static str, &'static str),
}

impl Item {
    fn href(&self) -> String {
        match self {
            Item::Ticket(h) => format!("/desk/tickets/{}", h.number.0),
            Item::Command(_, href) => href.to_string(),
            Item::Macro(..) => String::new(),
        }
    }
}

/// True when the key press happened while typing into a form field.
#[cfg(feature = "hydrate")]
fn typing(ev: &web_sys::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || el.is_content_editable())
}

#[component]
pub fn CommandPalette() -> impl IntoView {
    let settings = use_settings();
    #[cfg(feature = "hydrate")]
    let session = crate::context::use_session();
    let open = RwSignal::new(false);
    let help = RwSignal::new(false);
    let query = RwSignal::new(String::new());
    let selected = RwSignal::new(0usize);
    let input = NodeRef::<leptos::html::Input>::new();

    #[cfg(feature = "hydrate")]
    {
        let pending_g = StoredValue::new(false);
        let tabs = crate::desk::tabs::use_desk_tabs();
        let navigate = use_navigate();
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            // Alt+1..9 switch tabs, even while typing (the draft is saved on the way).
            if ev.alt_key() && !ev.ctrl_key() && !ev.meta_key() {
                let digit = ev.code().strip_prefix("Digit").and_then(|d| d.parse::<usize>().ok());
                if let Some(href) = digit.filter(|d| *d >= 1).and_then(|d| tabs.href(d)) {
                    ev.prevent_default();
                    open.set(false);
                    navigate(&href, Default::default());
                    return;
                }
            }
            let plain = !ev.ctrl_key() && !ev.meta_key() && !ev.alt_key();
            if !open.get_untracked() && !typing(&ev) && plain && shortcut(&ev.key(), pending_g, help) {
                ev.prevent_default();
                return;
            }
            let staff = session
                .user
                .get_untracked()
                .and_then(|r| r.ok())
                .flatten()
                .is_some_and(|u| u.can(crate::auth::model::Permission::DeskView));
            if ev.key() == "/" && staff && !open.get_untracked() && !typing(&ev) && !ev.ctrl_key() && !ev.meta_key() {
                ev.prevent_default();
                query.set(String::new());
                selected.set(0);
                open.set(true);
            } else if ev.key() == "Escape" {
                open.set(false);
                help.set(false);
            }
        });
        on_cleanup(move || handle.remove());
    }

    // Results live in a plain signal, not a resource: a resource read here would
    // suspend the page's Suspense boundary and re-create the palette on every key.
    let hits = RwSignal::new(Vec::<SearchHit>::new());
    let asked = StoredValue::new(0u64);
    Effect::new(move |_| {
        let q = query.get();
        let desk_on = settings.current().modules.enabled(Module::ServiceDesk);
        asked.update_value(|n| *n += 1);
        let ticket = asked.get_value();
        if q.trim().is_empty() || !desk_on {
            hits.set(Vec::new());
            return;
        }
        leptos::task::spawn_local(async move {
            let found = search_tickets(q).await.unwrap_or_default();
            // Drop answers to queries the user has typed past.
            if asked.get_value() == ticket {
                hits.set(found);
            }
        });
    });
    // On a ticket, the macros come first: typing a macro's name and Enter applies it.
    let bridge = crate::macros::bridge::use_macro_bridge();
    let macros = RwSignal::new(Vec::<(uuid::Uuid, String)>::new());
    Effect::new(move |_| {
        if open.get() && bridge.ticket.get_untracked().is_some() {
            leptos::task::spawn_local(async move {
                let list = crate::macros::api::list_macros().await.unwrap_or_default();
                macros.set(list.into_iter().map(|m| (m.id, m.name)).collect());
            });
        } else {
            macros.set(Vec::new());
        }
    });
    let items = Memo::new(move |_| {
        let q = query.get().to_lowercase();
        let mut items: Vec<Item> = macros
            .get()
            .into_iter()
            .filter(|(_, name)| name.to_lowercase().contains(q.trim()))
            .map(|(id, name)| Item::Macro(id, name))
            .collect();
        items.extend(hits.get().into_iter().map(Item::Ticket));
        items.extend(
            COMMANDS
                .iter()
                .filter(|(label, _)| q.is_empty() || label.to_lowercase().contains(&q))
                .map(|(l, h)| Item::Command(l, h)),
        );
        items
    });
    view! {
        <Show when=move || open.get()>
            <PaletteDialog open query selected items input />
        </Show>
        <Show when=move || help.get()>
            <ShortcutHelp help />
        </Show>
    }
}

#[component]
fn PaletteDialog(
    open: RwSignal<bool>,
    query: RwSignal<String>,
    selected: RwSignal<usize>,
    items: Memo<Vec<Item>>,
    input: NodeRef<leptos::html::Input>,
) -> impl IntoView {
    // Focus the field once it is attached to the page (the node exists a frame
    // before it is in the document).
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            request_animation_frame(move || {
                let _ = el.focus();
            });
        }
    });
    let navigate = use_navigate();
    let bridge = crate::macros::bridge::use_macro_bridge();
    let go = move |item: &Item| {
        open.set(false);
        match item {
            Item::Macro(id, _) => bridge.apply(*id),
            other => navigate(&other.href(), Default::default()),
        }
    };
    let go_key = go.clone();
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let n = items.get_untracked().len();
        match ev.key().as_str() {
            "ArrowDown" if n > 0 => {
                ev.prevent_default();
                selected.update(|s| *s = (*s + 1) % n);
            }
            "ArrowUp" if n > 0 => {
                ev.prevent_default();
                selected.update(|s| *s = (*s + n - 1) % n);
            }
            "Enter" => {
                ev.prevent_default();
                if let Some(item) = items.get_untracked().get(selected.get_untracked()) {
                    go_key(item);
                }
            }
            _ => {}
        }
    };

    view! {
            <div class="fixed inset-0 z-50 flex items-start justify-center bg-black/50 px-4 pt-24" on:click=move |_| open.set(false)>
                <div role="dialog" aria-modal="true" aria-label="Command palette" data-testid="palette"
                    class="w-full max-w-xl overflow-hidden rounded-xl border border-line bg-surface shadow-2xl"
                    on:click=|ev| ev.stop_propagation()>
                    <input node_ref=input type="text" placeholder="Search tickets, type a command or (on a ticket) a macro…"
                        aria-label="Search" autocomplete="off"
                        class="w-full border-b border-line bg-transparent px-4 py-3.5 text-base text-fg placeholder:text-faint focus:outline-none"
                        prop:value=move || query.get()
                        on:input=move |ev| { query.set(event_target_value(&ev)); selected.set(0); }
                        on:keydown=on_key.clone() />
                    <ul class="max-h-96 overflow-y-auto py-2" role="listbox">
                        {move || {
                            let go = go.clone();
                            items.get().into_iter().enumerate().map(move |(i, item)| {
                                let go = go.clone();
                                let it = item.clone();
                                let active = move || selected.get() == i;
                                view! {
                                    <li role="option" aria-selected=move || active().to_string()
                                        class=move || if active() { "cursor-pointer bg-accent/15 px-4 py-2.5" } else { "cursor-pointer px-4 py-2.5 hover:bg-raised" }
                                        on:mouseenter=move |_| selected.set(i)
                                        on:click=move |_| go(&it)>
                                        {match item {
                                            Item::Ticket(h) => view! {
                                                <div class="flex items-baseline gap-2">
                                                    <span class="font-mono text-xs text-muted">{h.number.to_string()}</span>
                                                    <span class="truncate text-sm font-medium text-fg">{h.title.clone()}</span>
                                                    <span class="ml-auto shrink-0 text-xs text-faint">{h.status_name.clone()}</span>
                                                </div>
                                                <p class="mt-0.5 truncate text-xs text-muted">
                                                    {snippet_parts(&h.snippet).into_iter().map(|(t, m)| if m {
                                                        view! { <mark class="rounded bg-accent/30 px-0.5 text-fg">{t}</mark> }.into_any()
                                                    } else {
                                                        view! { <span>{t}</span> }.into_any()
                                                    }).collect_view()}
                                                </p>
                                            }.into_any(),
                                            Item::Command(label, _) => view! {
                                                <span class="text-sm text-fg">{label}</span>
                                            }.into_any(),
                                            Item::Macro(_, name) => view! {
                                                <div class="flex items-baseline gap-2" data-macro=name.clone()>
                                                    <span class="text-xs uppercase tracking-wide text-accent">"Macro"</span>
                                                    <span class="truncate text-sm font-medium text-fg">{name.clone()}</span>
                                                    <span class="ml-auto shrink-0 text-xs text-faint">"Enter applies"</span>
                                                </div>
                                            }.into_any(),
                                        }}
                                    </li>
                                }
                            }).collect_view()
                        }}
                    </ul>
                    <div class="flex gap-4 border-t border-line px-4 py-2 text-xs text-faint">
                        <span>"↑↓ move"</span><span>"Enter open"</span><span>"Esc close"</span>
                    </div>
                </div>
            </div>
    }
}

/// The keyboard shortcuts: (keys, what they do).
pub const SHORTCUTS: [(&str, &str); 18] = [
    ("/", "Search tickets and commands; on a ticket, apply a macro"),
    ("?", "Show this list"),
    ("g q", "Go to the queue"),
    ("Alt+1…9", "Switch tabs (1 is the queue)"),
    ("n", "New ticket (in the queue)"),
    ("j / k", "Next / previous ticket in the queue"),
    ("x", "Select the ticket (in the queue)"),
    ("Enter", "Open the ticket (in the queue)"),
    ("r", "Write a reply (on a ticket)"),
    ("i", "Write an internal note (on a ticket)"),
    ("s", "Change status (on a ticket)"),
    ("p", "Change priority (on a ticket)"),
    ("a", "Assign (on a ticket)"),
    ("e", "Resolve (on a ticket)"),
    ("w", "Watch or stop watching (on a ticket)"),
    ("Ctrl+Enter", "Send the reply"),
    ("Esc", "Close dialogs"),
    ("Tab", "Move between controls"),
];

/// Runs a single-key shortcut; true when the key was one. Pages mark what a key
/// does with `data-key="…"` on a button; the queue's rows carry `data-row`.
#[cfg(feature = "hydrate")]
fn shortcut(key: &str, pending_g: StoredValue<bool>, help: RwSignal<bool>) -> bool {
    use wasm_bindgen::JsCast;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return false };
    let element =
        |sel: &str| doc.query_selector(sel).ok().flatten().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if pending_g.get_value() {
        pending_g.set_value(false);
        if key == "q" {
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_href("/desk");
            }
            return true;
        }
    }
    match key {
        "?" => {
            help.set(true);
            true
        }
        "g" => {
            pending_g.set_value(true);
            true
        }
        "j" | "k" => move_row(&doc, key == "j"),
        "x" => {
            let row = focused_row(&doc);
            row.and_then(|r| r.query_selector("input[type=checkbox]").ok().flatten())
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                .map(|c| c.click())
                .is_some()
        }
        "n" | "r" | "i" | "s" | "p" | "a" | "e" | "w" => {
            element(&format!("[data-key=\"{key}\"]:not([disabled])")).map(|e| e.click()).is_some()
        }
        _ => false,
    }
}

/// The queue row holding the focus, if any.
#[cfg(feature = "hydrate")]
fn focused_row(doc: &web_sys::Document) -> Option<web_sys::Element> {
    doc.active_element().and_then(|a| a.closest("[data-row]").ok().flatten())
}

/// Moves the focus to the next or previous queue row (the first one if none has it).
#[cfg(feature = "hydrate")]
fn move_row(doc: &web_sys::Document, down: bool) -> bool {
    use wasm_bindgen::JsCast;
    let Ok(rows) = doc.query_selector_all("[data-row] a") else { return false };
    let links: Vec<web_sys::HtmlElement> =
        (0..rows.length()).filter_map(|i| rows.item(i)).filter_map(|n| n.dyn_into().ok()).collect();
    if links.is_empty() {
        return false;
    }
    let active = doc.active_element();
    let at = links.iter().position(|l| active.as_ref().is_some_and(|a| a == l.unchecked_ref::<web_sys::Element>()));
    let next = match (at, down) {
        (None, _) => 0,
        (Some(i), true) => (i + 1).min(links.len() - 1),
        (Some(i), false) => i.saturating_sub(1),
    };
    links[next].focus().is_ok()
}

#[component]
fn ShortcutHelp(help: RwSignal<bool>) -> impl IntoView {
    view! {
        <div class="fixed inset-0 z-50 flex items-start justify-center bg-black/50 px-4 pt-24" on:click=move |_| help.set(false)>
            <div role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" data-testid="shortcuts"
                class="w-full max-w-md rounded-xl border border-line bg-surface p-5 shadow-2xl" on:click=|ev| ev.stop_propagation()>
                <h2 class="mb-3 text-base font-semibold text-fg">"Keyboard shortcuts"</h2>
                <dl class="space-y-2">
                    {SHORTCUTS.iter().map(|(k, what)| view! {
                        <div class="flex items-center justify-between gap-4 text-sm">
                            <dt class="text-muted">{*what}</dt>
                            <dd><super::widgets::Kbd k=*k /></dd>
                        </div>
                    }).collect_view()}
                </dl>
                <p class="mt-4 text-xs text-faint">"Shortcuts never fire while you type in a field."</p>
            </div>
        </div>
    }
}
