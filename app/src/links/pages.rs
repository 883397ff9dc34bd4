//! The links panel shown on every detail page: what this record is linked to, both
//! directions, with a search picker to add links and a button to remove one.
use super::api::{create_link, delete_link, list_links, search_records};
use super::model::{LinkCandidate, LinkType, LinkedRecord, RecordKind, RecordRef};
use crate::error::AppError;
use crate::ui::*;
use leptos::prelude::*;

/// Links of one record. Data loads in the browser (it changes as the user links).
#[component]
pub fn LinksPanel(kind: RecordKind, #[prop(into)] id: Signal<uuid::Uuid>) -> impl IntoView {
    let links = RwSignal::new(None::<Vec<LinkedRecord>>);
    let error = RwSignal::new(None::<AppError>);
    let open = RwSignal::new(false);
    let reload = move || {
        let record = RecordRef { kind, id: id.get_untracked() };
        leptos::task::spawn_local(async move {
            match list_links(record).await {
                Ok(l) => links.set(Some(l)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    Effect::new(move |_| {
        id.track();
        reload();
    });
    let remove = move |link_id: uuid::Uuid, title: String| {
        if !confirm(&format!("Remove the link to \"{title}\"?")) {
            return;
        }
        leptos::task::spawn_local(async move {
            match delete_link(link_id).await {
                Ok(()) => reload(),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class=format!("{CARD} mb-6") data-testid="links-panel" aria-label="Links">
            <div class="flex items-center justify-between border-b border-line px-5 py-3">
                <h2 class="text-sm font-semibold text-fg">"Links"</h2>
                <button type="button" class=BTN_GHOST data-testid="add-link" on:click=move |_| open.set(true)>"+ Link"</button>
            </div>
            <div class="px-5 py-3">
                <ErrorNotice error=Signal::derive(move || error.get()) />
                {move || match links.get() {
                    None => view! { <p class="text-sm text-muted">"Loading…"</p> }.into_any(),
                    Some(l) if l.is_empty() => view! { <p class="text-sm text-muted">"Not linked to anything yet."</p> }.into_any(),
                    Some(l) => view! {
                        <ul class="divide-y divide-line">
                            {l.into_iter().map(|x| {
                                let title = x.title.clone();
                                let link_id = x.link_id;
                                view! {
                                    <li class="flex items-start gap-2 py-2 text-sm" data-testid="link-row">
                                        <div class="min-w-0 flex-1">
                                            <p class="text-xs text-muted">{x.relation.clone()}" · "<span class="uppercase tracking-wide text-faint">{x.kind.label()}</span></p>
                                            <a href=x.href.clone() class="block break-words text-fg hover:text-accent hover:underline">{x.title.clone()}</a>
                                            {(!x.note.is_empty()).then(|| view! { <p class="text-xs text-muted">{x.note.clone()}</p> })}
                                        </div>
                                        <button type="button" class="mt-0.5 text-xs text-faint hover:text-danger" aria-label=format!("Remove link to {}", x.title)
                                            on:click=move |_| remove(link_id, title.clone())>"✕"</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }}
            </div>
            <Show when=move || open.get()>
                <LinkDialog from=RecordRef { kind, id: id.get_untracked() }
                    on_done=Callback::new(move |_| { open.set(false); reload(); })
                    on_close=Callback::new(move |_| open.set(false)) />
            </Show>
        </section>
    }
}

/// Search any kind of record and link it with a chosen relation.
#[component]
fn LinkDialog(from: RecordRef, on_done: Callback<()>, on_close: Callback<()>) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let relation = RwSignal::new("related".to_string());
    let note = RwSignal::new(String::new());
    let results = RwSignal::new(Vec::<LinkCandidate>::new());
    let selected = RwSignal::new(0usize);
    let error = RwSignal::new(None::<AppError>);
    // Each keystroke searches; only the latest answer is shown.
    let seq = StoredValue::new(0u64);
    let run_search = move || {
        let q = query.get_untracked();
        let kinds: Vec<RecordKind> = RecordKind::parse(&kind.get_untracked()).into_iter().collect();
        seq.update_value(|s| *s += 1);
        let mine = seq.get_value();
        leptos::task::spawn_local(async move {
            let found = search_records(q, kinds).await;
            if seq.get_value() != mine {
                return;
            }
            match found {
                Ok(mut r) => {
                    r.retain(|c| !(c.kind == from.kind && c.id == from.id));
                    results.set(r);
                    selected.set(0);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let pick = move |c: LinkCandidate| {
        let t = LinkType::parse(&relation.get_untracked()).unwrap_or(LinkType::Related);
        let to = RecordRef { kind: c.kind, id: c.id };
        let n = note.get_untracked();
        leptos::task::spawn_local(async move {
            match create_link(from, to, t, n).await {
                Ok(_) => on_done.run(()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            request_animation_frame(move || {
                let _ = el.focus();
            });
        }
    });
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let n = results.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" | "ArrowUp" if n > 0 => {
                ev.prevent_default();
                let step = if ev.key() == "ArrowDown" { 1 } else { n - 1 };
                selected.update(|s| *s = (*s + step) % n);
            }
            "Enter" => {
                ev.prevent_default();
                if let Some(c) = results.with_untracked(|r| r.get(selected.get_untracked()).cloned()) {
                    pick(c);
                }
            }
            "Escape" => {
                ev.prevent_default();
                ev.stop_propagation();
                on_close.run(());
            }
            _ => {}
        }
    };
    view! {
        <div class="fixed inset-0 z-50 flex items-start justify-center bg-black/50 px-4 pt-24" on:click=move |_| on_close.run(())>
            <div role="dialog" aria-modal="true" aria-label="Link a record" data-testid="link-dialog"
                class="w-full max-w-lg overflow-hidden rounded-xl border border-line bg-surface shadow-2xl" on:click=|ev| ev.stop_propagation()>
                <div class="grid grid-cols-2 gap-3 border-b border-line px-4 py-3">
                    <label class="text-xs text-muted">"This record…"
                        <select class=INPUT aria-label="Relation" data-testid="link-relation"
                            on:change=move |ev| relation.set(event_target_value(&ev))>
                            {LinkType::ALL.into_iter().map(|t| view! { <option value=t.as_str() selected=t == LinkType::Related>{t.forward()}</option> }).collect_view()}
                        </select>
                    </label>
                    <label class="text-xs text-muted">"Kind"
                        <select class=INPUT aria-label="Kind" data-testid="link-kind"
                            on:change=move |ev| { kind.set(event_target_value(&ev)); run_search(); }>
                            <option value="">"Any"</option>
                            {RecordKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                        </select>
                    </label>
                    <input type="text" class=format!("{INPUT} col-span-2") placeholder="Note (optional)" aria-label="Note"
                        prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) />
                </div>
                <input node_ref=input type="text" aria-label="Search records" autocomplete="off" data-testid="link-search"
                    placeholder="Search by name, tag, number or email…"
                    class="w-full border-b border-line bg-transparent px-4 py-3 text-sm text-fg placeholder:text-faint focus:outline-none"
                    prop:value=move || query.get()
                    on:input=move |ev| { query.set(event_target_value(&ev)); run_search(); }
                    on:keydown=on_key />
                <div class="px-4 pt-2"><ErrorNotice error=Signal::derive(move || error.get()) /></div>
                <ul role="listbox" class="max-h-72 overflow-y-auto py-1">
                    {move || results.get().into_iter().enumerate().map(|(i, c)| {
                        let chosen = c.clone();
                        view! {
                            <li role="option" data-testid="link-candidate" aria-selected=move || (selected.get() == i).to_string()
                                class=move || if selected.get() == i { "flex cursor-pointer items-center gap-2 bg-accent/15 px-4 py-2 text-sm text-fg" } else { "flex cursor-pointer items-center gap-2 px-4 py-2 text-sm text-fg hover:bg-raised" }
                                on:mouseenter=move |_| selected.set(i)
                                on:click=move |_| pick(chosen.clone())>
                                <span class="rounded bg-raised px-1.5 py-0.5 text-[10px] uppercase tracking-wide text-faint">{c.kind.label()}</span>
                                <span class="truncate">{c.title.clone()}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <p class="border-t border-line px-4 py-2 text-xs text-faint">"↑↓ to choose · Enter to link · Esc to close"</p>
            </div>
        </div>
    }
}
