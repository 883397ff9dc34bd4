//! `/docs`: folders on the left (select, create, rename, move, delete), documents of
//! the selected folder on the right, newest change first, with a search box (words
//! in titles and bodies, typo-tolerant titles) and keyset "Load more".
use super::{folder_options, parse_folder};
use crate::auth::model::Permission;
use crate::context::{use_session, use_settings};
use crate::documents::api::*;
use crate::documents::model::{DocumentCursor, DocumentQuery, DocumentSummary, Folder};
use crate::documents::rules::tree;
use crate::error::AppError;
use crate::settings::model::{Entity, Module};
use crate::ui::*;
use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

/// What the folder pane is doing.
#[derive(Clone, Copy, PartialEq)]
enum FolderForm {
    None,
    New,
    Rename,
    Move,
}

#[component]
pub fn DocumentsPage() -> impl IntoView {
    let settings = use_settings();
    let session = use_session();
    let title = Signal::derive(move || settings.current().labels.plural(Entity::Document));
    let may_delete = move || session.current().is_some_and(|u| u.can(Permission::RecordsDelete));
    let selected = RwSignal::new(None::<Uuid>);
    let search = RwSignal::new(String::new());
    let changed = RwSignal::new(0u64);
    let error = RwSignal::new(None::<AppError>);
    let notice = RwSignal::new(None::<String>);
    let folders = Resource::new(move || changed.get(), |_| list_folders());
    let all_folders = Signal::derive(move || folders.get().and_then(|r| r.ok()).unwrap_or_default());

    // The list: first page from the resource, later pages appended by "Load more".
    let query = move || DocumentQuery { folder: selected.get(), search: search.get(), after: None };
    let first = Resource::new(move || (query(), changed.get()), |(q, _)| list_documents(q));
    let more = RwSignal::new(Vec::<DocumentSummary>::new());
    let next = RwSignal::new(None::<DocumentCursor>);
    Effect::new(move |_| {
        if let Some(Ok(page)) = first.get() {
            more.set(Vec::new());
            next.set(page.next);
        }
    });
    let load_more = move |_| {
        let Some(after) = next.get_untracked() else { return };
        let q = DocumentQuery { folder: selected.get_untracked(), search: search.get_untracked(), after: Some(after) };
        leptos::task::spawn_local(async move {
            match list_documents(q).await {
                Ok(page) => {
                    more.update(|m| m.extend(page.items));
                    next.set(page.next);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let form = RwSignal::new(FolderForm::None);
    let name = RwSignal::new(String::new());
    let target = RwSignal::new(String::new());
    let selected_folder = move || {
        let id = selected.get()?;
        all_folders.with(|all| all.iter().find(|f| f.id == id).cloned())
    };
    let done = move |msg: String| {
        error.set(None);
        notice.set(Some(msg));
        form.set(FolderForm::None);
        changed.update(|c| *c += 1);
    };
    let submit_folder = move || {
        let kind = form.get_untracked();
        let n = name.get_untracked();
        let sel = selected.get_untracked();
        let to = parse_folder(&target.get_untracked());
        leptos::task::spawn_local(async move {
            let r: Result<Folder, AppError> = match (kind, sel) {
                (FolderForm::New, parent) => create_folder(parent, n).await,
                (FolderForm::Rename, Some(id)) => rename_folder(id, n).await,
                (FolderForm::Move, Some(id)) => move_folder(id, to).await,
                _ => return,
            };
            match r {
                Ok(f) => {
                    if kind == FolderForm::New {
                        selected.set(Some(f.id));
                    }
                    done(format!("Folder \"{}\" saved.", f.name));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let remove_folder = move |_| {
        let Some(f) = selected_folder() else { return };
        if !confirm(&format!("Delete the folder \"{}\"?", f.name)) {
            return;
        }
        leptos::task::spawn_local(async move {
            match delete_folder(f.id).await {
                Ok(()) => {
                    selected.set(f.parent_id);
                    done(format!("Folder \"{}\" deleted.", f.name));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    // New document: a title, then the editor.
    let new_doc = RwSignal::new(false);
    let new_title = RwSignal::new(String::new());
    let goto = RwSignal::new(None::<String>);
    let create_doc = move || {
        let t = new_title.get_untracked();
        let folder = selected.get_untracked();
        leptos::task::spawn_local(async move {
            match create_document(folder, t, String::new()).await {
                Ok(d) => {
                    new_doc.set(false);
                    new_title.set(String::new());
                    goto.set(Some(format!("/docs/{}?tab=edit", d.id)));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    Effect::new(move |_| {
        if let Some(href) = goto.get() {
            leptos_router::hooks::use_navigate()(&href, Default::default());
        }
    });

    let folder_button = move |id: Option<Uuid>, label: String, depth: usize, count: Option<i64>| {
        let pad = ["pl-3", "pl-6", "pl-9", "pl-12", "pl-[3.75rem]", "pl-[4.5rem]", "pl-[5.25rem]"];
        let pad = pad[depth.min(pad.len() - 1)];
        view! {
            <button type="button" data-testid="folder"
                aria-current=move || (selected.get() == id).then_some("true")
                class=move || format!("flex w-full items-center gap-2 rounded-md py-1.5 pr-2 text-left text-sm {pad} {}",
                    if selected.get() == id { "bg-accent/15 font-medium text-fg" } else { "text-muted hover:bg-raised hover:text-fg" })
                on:click=move |_| { selected.set(id); form.set(FolderForm::None); notice.set(None); }>
                <span class="truncate">{label}</span>
                {count.filter(|c| *c > 0).map(|c| view! { <span class="ml-auto text-[11px] text-faint">{c}</span> })}
            </button>
        }
    };

    view! {
        <Guarded permission=Permission::DeskView module=Module::Documents>
            <Title text=move || title.get() />
            <PageHeader title=title description="Runbooks and IT documentation, with every version kept.">
                <button type="button" class=BTN_PRIMARY data-testid="new-document" on:click=move |_| new_doc.set(true)>"New document"</button>
            </PageHeader>
            <ErrorNotice error=Signal::derive(move || error.get()) />
            <SuccessNotice message=Signal::derive(move || notice.get()) />
            <div class="grid gap-6 lg:grid-cols-[17rem_1fr]">
                <nav aria-label="Folders" class=format!("{CARD} self-start p-2") data-testid="folder-tree">
                    {folder_button(None, "All documents".into(), 0, None)}
                    <Transition fallback=Loading>
                        {move || Suspend::new(async move {
                            let all = folders.await.unwrap_or_default();
                            tree(&all).into_iter().map(|(depth, f)| folder_button(Some(f.id), f.name.clone(), depth, Some(f.documents))).collect_view()
                        })}
                    </Transition>
                    <div class="mt-2 flex flex-wrap gap-1 border-t border-line pt-2">
                        <button type="button" class=BTN_GHOST data-testid="new-folder"
                            on:click=move |_| { name.set(String::new()); form.set(FolderForm::New) }>"New folder"</button>
                        {move || selected.get().is_some().then(|| view! {
                            <button type="button" class=BTN_GHOST
                                on:click=move |_| { name.set(selected_folder().map(|f| f.name).unwrap_or_default()); form.set(FolderForm::Rename) }>"Rename"</button>
                            <button type="button" class=BTN_GHOST
                                on:click=move |_| { target.set(selected_folder().and_then(|f| f.parent_id).map(|p| p.to_string()).unwrap_or_default()); form.set(FolderForm::Move) }>"Move"</button>
                        })}
                        {move || (selected.get().is_some() && may_delete()).then(|| view! {
                            <button type="button" class=BTN_GHOST on:click=remove_folder>"Delete"</button>
                        })}
                    </div>
                    {move || match form.get() {
                        FolderForm::None => None,
                        FolderForm::Move => Some(view! {
                            <form class="mt-2 space-y-2" on:submit=move |ev| { ev.prevent_default(); submit_folder(); }>
                                <label class=LABEL for="folder_target">"Move into"</label>
                                <select id="folder_target" class=INPUT on:change=move |ev| target.set(event_target_value(&ev))>
                                    {move || folder_options(&all_folders.get(), parse_folder(&target.get_untracked()), selected.get())}
                                </select>
                                <div class="flex gap-2">
                                    <button type="submit" class=BTN_PRIMARY>"Move"</button>
                                    <button type="button" class=BTN_GHOST on:click=move |_| form.set(FolderForm::None)>"Cancel"</button>
                                </div>
                            </form>
                        }.into_any()),
                        kind => Some(view! {
                            <form class="mt-2 space-y-2" on:submit=move |ev| { ev.prevent_default(); submit_folder(); }
                                on:keydown=move |ev| if ev.key() == "Escape" { form.set(FolderForm::None) }>
                                <label class=LABEL for="folder_name">
                                    {if kind == FolderForm::New { "New folder name" } else { "Rename to" }}
                                </label>
                                <input id="folder_name" class=INPUT maxlength="120" autofocus bind:value=name />
                                {(kind == FolderForm::New).then(|| view! {
                                    <p class="text-xs text-muted">{move || match selected_folder() {
                                        Some(f) => format!("Inside \"{}\"", f.name),
                                        None => "At the top level".to_string(),
                                    }}</p>
                                })}
                                <div class="flex gap-2">
                                    <button type="submit" class=BTN_PRIMARY data-testid="save-folder">"Save"</button>
                                    <button type="button" class=BTN_GHOST on:click=move |_| form.set(FolderForm::None)>"Cancel"</button>
                                </div>
                            </form>
                        }.into_any()),
                    }}
                </nav>
                <section class="min-w-0 space-y-4">
                    {move || new_doc.get().then(|| view! {
                        <form class=format!("{CARD} flex flex-wrap items-end gap-3 p-4") data-testid="new-document-form"
                            on:submit=move |ev| { ev.prevent_default(); create_doc(); }
                            on:keydown=move |ev| if ev.key() == "Escape" { new_doc.set(false) }>
                            <div class="min-w-[16rem] flex-1">
                                <label class=LABEL for="new_title">{move || match selected_folder() {
                                    Some(f) => format!("Title of the new document in \"{}\"", f.name),
                                    None => "Title of the new document".to_string(),
                                }}</label>
                                <input id="new_title" class=INPUT maxlength="200" autofocus bind:value=new_title placeholder="e.g. VPN runbook" />
                            </div>
                            <button type="submit" class=BTN_PRIMARY>"Create and edit"</button>
                            <button type="button" class=BTN_GHOST on:click=move |_| new_doc.set(false)>"Cancel"</button>
                        </form>
                    })}
                    <form role="search" on:submit=move |ev| ev.prevent_default()>
                        <label class="sr-only" for="doc_search">"Search documents"</label>
                        <input id="doc_search" type="search" class=INPUT data-testid="doc-search"
                            placeholder="Search titles and text…"
                            prop:value=move || search.get()
                            on:input=move |ev| search.set(event_target_value(&ev)) />
                    </form>
                    <div class=format!("{CARD} overflow-hidden")>
                        <table class="w-full" data-testid="document-list">
                            <thead class="border-b border-line bg-raised/40">
                                <tr>
                                    <th class=TH>"Title"</th>
                                    <th class=format!("{TH} hidden md:table-cell")>"Folder"</th>
                                    <th class=TH>"Updated"</th>
                                    <th class=format!("{TH} hidden md:table-cell")>"Version"</th>
                                </tr>
                            </thead>
                            <Transition fallback=|| view! { <tbody><tr><td colspan="4"><Loading /></td></tr></tbody> }>
                                {move || Suspend::new(async move {
                                    match first.await {
                                        Err(e) => view! { <tbody><tr><td colspan="4" class=TD><ErrorNotice error=Signal::derive(move || Some(e.clone())) /></td></tr></tbody> }.into_any(),
                                        Ok(page) if page.items.is_empty() => view! {
                                            <tbody><tr><td colspan="4" class="px-4 py-10 text-center text-sm text-muted">
                                                {if search.get_untracked().trim().is_empty() { "No documents here yet." } else { "No document matches." }}
                                            </td></tr></tbody>
                                        }.into_any(),
                                        Ok(page) => view! {
                                            <tbody class="divide-y divide-line">
                                                {page.items.into_iter().map(row).collect_view()}
                                                {move || more.get().into_iter().map(row).collect_view()}
                                            </tbody>
                                        }.into_any(),
                                    }
                                })}
                            </Transition>
                        </table>
                    </div>
                    {move || next.get().is_some().then(|| view! {
                        <button type="button" class=BTN_SECONDARY data-testid="load-more" on:click=load_more>"Load more"</button>
                    })}
                </section>
            </div>
        </Guarded>
    }
}

fn row(d: DocumentSummary) -> impl IntoView {
    view! {
        <tr class="hover:bg-raised/50">
            <td class=TD><a class="font-medium text-fg hover:text-accent focus-visible:underline" href=format!("/docs/{}", d.id)>{d.title}</a></td>
            <td class=format!("{TD} hidden text-muted md:table-cell")>{d.folder_name.unwrap_or_else(|| "—".into())}</td>
            <td class=format!("{TD} text-muted")>
                {fmt_short(d.updated_at)}
                {d.updated_by_name.map(|n| view! { <span class="text-faint">{format!(" · {n}")}</span> })}
            </td>
            <td class=format!("{TD} hidden text-muted md:table-cell")>{format!("v{}", d.version)}</td>
        </tr>
    }
}
