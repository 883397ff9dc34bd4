//! `/docs/:id`: the document rendered, its editor (markdown with a live preview,
//! Ctrl+Enter or Ctrl+S saves; a save over a newer version is refused and the text
//! stays in the editor), its history (pick two versions to compare, restore one)
//! and its files. `?tab=edit|history|files` opens a tab directly.
use super::files::FilesTab;
use super::{folder_options, parse_folder};
use crate::auth::model::Permission;
use crate::context::use_session;
use crate::documents::api::*;
use crate::documents::model::{DiffKind, Document, VersionDiff};
use crate::error::AppError;
use crate::settings::model::Module;
use crate::ui::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    View,
    Edit,
    History,
    Files,
}

impl Tab {
    fn parse(s: &str) -> Tab {
        match s {
            "edit" => Tab::Edit,
            "history" => Tab::History,
            "files" => Tab::Files,
            _ => Tab::View,
        }
    }
}

#[component]
pub fn DocumentPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| Uuid::parse_str(&params.read().get("id").unwrap_or_default()).unwrap_or_default());
    let tab = RwSignal::new(Tab::parse(&query.read_untracked().get("tab").unwrap_or_default()));
    let reload = RwSignal::new(0u64);
    let doc = Resource::new(move || (id.get(), reload.get()), |(id, _)| get_document(id));
    let current = RwSignal::new(None::<Document>);
    Effect::new(move |_| {
        if let Some(Ok(d)) = doc.get() {
            current.set(Some(d));
        }
    });
    let error = RwSignal::new(None::<AppError>);
    let notice = RwSignal::new(None::<String>);
    let session = use_session();
    let may_delete = Signal::derive(move || session.current().is_some_and(|u| u.can(Permission::RecordsDelete)));
    let mounted = RwSignal::new(false);
    Effect::new(move |_| mounted.set(true));
    let goto = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(href) = goto.get() {
            leptos_router::hooks::use_navigate()(&href, Default::default());
        }
    });
    let updated = move |d: Document, msg: String| {
        error.set(None);
        notice.set(Some(msg));
        current.set(Some(d));
        reload.update(|r| *r += 1);
    };
    let remove = move |_| {
        let Some(d) = current.get_untracked() else { return };
        if !confirm(&format!("Delete \"{}\" with all its versions and files?", d.title)) {
            return;
        }
        leptos::task::spawn_local(async move {
            match delete_document(d.id).await {
                Ok(()) => goto.set(Some("/docs".into())),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let folders = Resource::new(|| (), |_| list_folders());
    let move_to = move |ev: leptos::ev::Event| {
        let folder = parse_folder(&event_target_value(&ev));
        let Some(d) = current.get_untracked() else { return };
        leptos::task::spawn_local(async move {
            match move_document(d.id, folder).await {
                Ok(d) => updated(d, "Moved.".into()),
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let tab_button = move |t: Tab, label: &'static str, key: &'static str| {
        view! {
            <button type="button" role="tab" data-testid=format!("tab-{key}")
                aria-selected=move || if tab.get() == t { "true" } else { "false" }
                class=move || format!("border-b-2 px-3 py-2 text-sm font-medium {}",
                    if tab.get() == t { "border-accent text-fg" } else { "border-transparent text-muted hover:text-fg" })
                on:click=move |_| { notice.set(None); tab.set(t) }>
                {label}
            </button>
        }
    };

    view! {
        <Guarded permission=Permission::DeskView module=Module::Documents>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match doc.await {
                        Err(e) => view! { <ErrorNotice error=Signal::derive(move || Some(e.clone())) /> <a class=BTN_GHOST href="/docs">"Back to documents"</a> }.into_any(),
                        Ok(d) => {
                            let folder = d.folder_id;
                            view! {
                                <Title text=d.title.clone() />
                                <nav aria-label="Breadcrumb" class="mb-2 flex flex-wrap items-center gap-1 text-sm text-muted" data-testid="breadcrumbs">
                                    <a class="hover:text-fg" href="/docs">"Documents"</a>
                                    {d.path.iter().map(|f| view! { <span>"/"</span><span>{f.name.clone()}</span> }).collect_view()}
                                </nav>
                                <PageHeader title=d.title.clone()>
                                    <label class="sr-only" for="doc_folder">"Folder"</label>
                                    <select id="doc_folder" class="rounded-md border border-line bg-bg px-2 py-1.5 text-sm text-fg" title="Move to folder" on:change=move_to>
                                        {move || folders.get().and_then(|r| r.ok()).map(|all| folder_options(&all, folder, None))}
                                    </select>
                                    {move || may_delete.get().then(|| view! {
                                        <button type="button" class=BTN_DANGER data-testid="delete-document" on:click=remove>"Delete"</button>
                                    })}
                                </PageHeader>
                                <p class="-mt-4 mb-4 text-xs text-muted" data-testid="doc-meta">
                                    {format!("Version {} · updated {}{} · created {}{}", d.version, fmt_time(d.updated_at),
                                        d.updated_by_name.as_ref().map(|n| format!(" by {n}")).unwrap_or_default(),
                                        fmt_time(d.created_at),
                                        d.created_by_name.as_ref().map(|n| format!(" by {n}")).unwrap_or_default())}
                                </p>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
            <ErrorNotice error=Signal::derive(move || error.get()) />
            <SuccessNotice message=Signal::derive(move || notice.get()) />
            <div role="tablist" class="mb-4 flex gap-1 border-b border-line">
                {tab_button(Tab::View, "View", "view")}
                {tab_button(Tab::Edit, "Edit", "edit")}
                {tab_button(Tab::History, "History", "history")}
                {tab_button(Tab::Files, "Files", "files")}
            </div>
            <Show when=move || mounted.get() && current.with(|c| c.as_ref().is_some_and(|c| c.id == id.get()))>
                {move || {
                    let d = current.get_untracked()?;
                    Some(match tab.get() {
                        Tab::View => view! {
                            <article class=format!("{CARD} md px-6 py-5 text-sm text-fg") data-testid="doc-body" inner_html=d.html.clone()></article>
                        }.into_any(),
                        Tab::Edit => view! {
                            <Editor doc=d error on_saved=Callback::new(move |d: Document| { updated(d, "Saved.".into()); tab.set(Tab::View) }) />
                        }.into_any(),
                        Tab::History => view! {
                            <History doc=d error on_restored=Callback::new(move |d: Document| { let v = d.version; updated(d, format!("Restored as version {v}.")); tab.set(Tab::View) }) />
                        }.into_any(),
                        Tab::Files => view! {
                            <FilesTab doc=d error may_delete on_change=Callback::new(move |_| reload.update(|r| *r += 1)) />
                        }.into_any(),
                    })
                }}
            </Show>
            <div class="mt-6">
                <crate::links::LinksPanel kind=crate::links::model::RecordKind::Document id=Signal::derive(move || id.get()) />
            </div>
        </Guarded>
    }
}

/// Title and markdown with a live preview rendered by the server (the same
/// sanitiser as the saved view). Saves name the version the editor started from.
#[component]
fn Editor(doc: Document, error: RwSignal<Option<AppError>>, on_saved: Callback<Document>) -> impl IntoView {
    let title = RwSignal::new(doc.title.clone());
    let body = RwSignal::new(doc.body.clone());
    let base = doc.version;
    let id = doc.id;
    let saving = RwSignal::new(false);
    // Preview follows the text; a newer keystroke supersedes an older request.
    let preview = RwSignal::new(doc.html.clone());
    let asked = StoredValue::new(0u64);
    Effect::new(move |_| {
        let text = body.get();
        asked.update_value(|n| *n += 1);
        let mine = asked.get_value();
        leptos::task::spawn_local(async move {
            if let Ok(html) = preview_markdown(text).await {
                if asked.get_value() == mine {
                    preview.set(html);
                }
            }
        });
    });
    let save = move || {
        if saving.get_untracked() {
            return;
        }
        saving.set(true);
        let (t, b) = (title.get_untracked(), body.get_untracked());
        leptos::task::spawn_local(async move {
            let r = save_document(id, base, t, b).await;
            saving.set(false);
            match r {
                Ok(d) => on_saved.run(d),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let keys = move |ev: leptos::ev::KeyboardEvent| {
        if (ev.ctrl_key() || ev.meta_key()) && (ev.key() == "Enter" || ev.key() == "s") {
            ev.prevent_default();
            save();
        }
    };
    view! {
        <form class="space-y-4" data-testid="doc-editor" on:submit=move |ev| { ev.prevent_default(); save(); } on:keydown=keys>
            <div>
                <label class=LABEL for="doc_title">"Title"</label>
                <input id="doc_title" class=INPUT maxlength="200" bind:value=title />
            </div>
            <div class="grid gap-4 lg:grid-cols-2">
                <div>
                    <label class=LABEL for="doc_body">"Markdown"</label>
                    <textarea id="doc_body" rows="24" class=format!("{INPUT} font-mono") bind:value=body autofocus
                        placeholder="# Heading\n\nSteps, commands, links…"></textarea>
                </div>
                <div>
                    <p class=LABEL>"Preview"</p>
                    <div class=format!("{CARD} md min-h-[24rem] px-4 py-3 text-sm text-fg") data-testid="doc-preview" inner_html=move || preview.get()></div>
                </div>
            </div>
            <div class="flex items-center gap-3">
                <button type="submit" class=BTN_PRIMARY data-testid="save-document" disabled=move || saving.get()>"Save new version"</button>
                <span class="text-xs text-muted"><Kbd k="Ctrl" />" + "<Kbd k="Enter" />" saves · editing version "{base}</span>
            </div>
        </form>
    }
}

/// Versions newest first; pick two to compare (A older, B newer), restore any.
#[component]
fn History(doc: Document, error: RwSignal<Option<AppError>>, on_restored: Callback<Document>) -> impl IntoView {
    let id = doc.id;
    let version = doc.version;
    let versions = Resource::new(move || id, |id| document_history(id, None));
    // Pages after the first 100 versions, appended by "Older versions".
    let older = RwSignal::new(Vec::<crate::documents::model::VersionInfo>::new());
    let more = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(list)) = versions.get() {
            more.set(list.len() as i64 == crate::documents::model::HISTORY_PAGE);
        }
    });
    let load_older = move |_| {
        let last = older.with_untracked(|o| o.last().map(|v| v.number));
        let last =
            last.or_else(|| versions.get_untracked().and_then(|r| r.ok()).and_then(|l| l.last().map(|v| v.number)));
        leptos::task::spawn_local(async move {
            match document_history(id, last).await {
                Ok(list) => {
                    more.set(list.len() as i64 == crate::documents::model::HISTORY_PAGE);
                    older.update(|o| o.extend(list));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let a = RwSignal::new(None::<i32>);
    let b = RwSignal::new(None::<i32>);
    let diff = RwSignal::new(None::<VersionDiff>);
    Effect::new(move |_| {
        if a.get_untracked().is_none() && b.get_untracked().is_none() {
            // Default: the latest change.
            b.set(Some(version));
            a.set((version > 1).then_some(version - 1));
        }
    });
    let compare = move || {
        let (Some(x), Some(y)) = (a.get_untracked(), b.get_untracked()) else { return };
        leptos::task::spawn_local(async move {
            match document_diff(id, x, y).await {
                Ok(d) => {
                    error.set(None);
                    diff.set(Some(d))
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let restore = move |n: i32| {
        if !confirm(&format!("Make version {n} the current text? It is saved as a new version; nothing is lost.")) {
            return;
        }
        leptos::task::spawn_local(async move {
            match restore_version(id, n, version).await {
                Ok(d) => on_restored.run(d),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <div class="grid gap-6 xl:grid-cols-[26rem_1fr]">
            <div class=format!("{CARD} overflow-hidden self-start")>
                <table class="w-full" data-testid="history">
                    <thead class="border-b border-line bg-raised/40">
                        <tr><th class=TH>"A"</th><th class=TH>"B"</th><th class=TH>"Version"</th><th class=TH></th></tr>
                    </thead>
                    <Transition fallback=|| view! { <tbody><tr><td colspan="4"><Loading /></td></tr></tbody> }>
                        {move || Suspend::new(async move {
                            let first = versions.await.unwrap_or_default();
                            view! {
                                <tbody class="divide-y divide-line">
                                    {move || first.clone().into_iter().chain(older.get()).map(|v| {
                                        let n = v.number;
                                        view! {
                                            <tr>
                                                <td class="px-3 py-2"><input type="radio" name="diff_a" aria-label=format!("Compare from version {n}") prop:checked=move || a.get() == Some(n) on:change=move |_| a.set(Some(n)) /></td>
                                                <td class="px-3 py-2"><input type="radio" name="diff_b" aria-label=format!("Compare to version {n}") prop:checked=move || b.get() == Some(n) on:change=move |_| b.set(Some(n)) /></td>
                                                <td class="px-3 py-2 text-sm">
                                                    <div class="font-medium text-fg">{format!("v{n} · {}", v.title)}</div>
                                                    <div class="text-xs text-muted">
                                                        {fmt_time(v.created_at)}
                                                        {v.author_name.map(|a| format!(" · {a}"))}
                                                        {v.restored_from.map(|r| format!(" · restored v{r}"))}
                                                    </div>
                                                </td>
                                                <td class="px-3 py-2 text-right">
                                                    {(n != version).then(|| view! {
                                                        <button type="button" class=BTN_GHOST data-testid=format!("restore-{n}") on:click=move |_| restore(n)>"Restore"</button>
                                                    })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            }
                        })}
                    </Transition>
                </table>
                <div class="flex gap-2 border-t border-line p-3">
                    {move || more.get().then(|| view! {
                        <button type="button" class=BTN_GHOST on:click=load_older>"Older versions"</button>
                    })}
                    <button type="button" class=BTN_SECONDARY data-testid="compare" on:click=move |_| compare()
                        disabled=move || a.get().is_none() || b.get().is_none() || a.get() == b.get()>"Compare A → B"</button>
                </div>
            </div>
            <div>
                {move || diff.get().map(|d| view! { <DiffView diff=d /> })}
            </div>
        </div>
    }
}

#[component]
fn DiffView(diff: VersionDiff) -> impl IntoView {
    let title_changed = diff.title_from != diff.title_to;
    view! {
        <div class=format!("{CARD} overflow-hidden") data-testid="diff">
            <div class="border-b border-line px-4 py-2 text-sm text-muted">
                {format!("Version {} → {}: {} added, {} removed", diff.from, diff.to, diff.added, diff.removed)}
                {title_changed.then(|| view! {
                    <div class="mt-1">"Title: "<del class="text-danger">{diff.title_from.clone()}</del>" → "<ins class="text-good no-underline">{diff.title_to.clone()}</ins></div>
                })}
            </div>
            {diff.lines.is_empty().then(|| view! { <p class="px-4 py-6 text-sm text-muted">"The texts are the same."</p> })}
            <pre class="overflow-x-auto text-xs leading-5"><code>
                {diff.lines.into_iter().map(|l| {
                    let (class, sign) = match l.kind {
                        DiffKind::Added => ("block bg-good/10 text-good", "+"),
                        DiffKind::Removed => ("block bg-danger/10 text-danger", "-"),
                        DiffKind::Same => ("block text-muted", " "),
                        DiffKind::Skipped => ("block bg-raised/60 text-faint italic", "…"),
                    };
                    let nums = format!("{:>5} {:>5} ", l.old.map(|n| n.to_string()).unwrap_or_default(), l.new.map(|n| n.to_string()).unwrap_or_default());
                    view! { <span class=class data-kind=format!("{:?}", l.kind).to_lowercase()>{nums}{sign}" "{l.text}</span> }
                }).collect_view()}
            </code></pre>
        </div>
    }
}
