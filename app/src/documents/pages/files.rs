//! The Files tab: upload (streamed through `POST /docs/{id}/files`, the same store
//! and size limit as ticket attachments), download links, removal (RecordsDelete).
use crate::documents::model::{Document, DocumentFile};
use crate::error::AppError;
use crate::tickets::attachments::model::human_size;
use crate::ui::*;
use leptos::prelude::*;

#[component]
pub fn FilesTab(
    doc: Document,
    error: RwSignal<Option<AppError>>,
    may_delete: Signal<bool>,
    on_change: Callback<()>,
) -> impl IntoView {
    let id = doc.id;
    let _ = id; // used by the browser build only
    let files = RwSignal::new(doc.files.clone());
    let uploading = RwSignal::new(0usize);
    let on_choose = move |_ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(input) = _ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
                return;
            };
            let Some(list) = input.files() else { return };
            for i in 0..list.length() {
                let Some(file) = list.get(i) else { continue };
                uploading.update(|u| *u += 1);
                leptos::task::spawn_local(async move {
                    let r = browser::upload(id, &file).await;
                    uploading.update(|u| *u -= 1);
                    match r {
                        Ok(f) => {
                            error.set(None);
                            files.update(|l| l.push(f));
                            on_change.run(());
                        }
                        Err(e) => error.set(Some(e)),
                    }
                });
            }
            input.set_value("");
        }
    };
    let remove = move |f: DocumentFile| {
        if !confirm(&format!("Remove \"{}\" from this document?", f.filename)) {
            return;
        }
        leptos::task::spawn_local(async move {
            match browser::remove(f.id).await {
                Ok(()) => {
                    files.update(|l| l.retain(|x| x.id != f.id));
                    on_change.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <div class=format!("{CARD} p-5 space-y-4") data-testid="doc-files">
            <div class="flex items-center gap-3">
                <label class=BTN_SECONDARY for="doc_file">"Attach files"</label>
                <input id="doc_file" type="file" multiple class="sr-only" on:change=on_choose />
                {move || (uploading.get() > 0).then(|| view! { <span class="text-sm text-muted">"Uploading…"</span> })}
            </div>
            {move || {
                let list = files.get();
                if list.is_empty() {
                    return view! { <p class="text-sm text-muted">"No files yet."</p> }.into_any();
                }
                view! {
                    <ul class="divide-y divide-line">
                        {list.into_iter().map(|f| {
                            let f2 = f.clone();
                            view! {
                                <li class="flex items-center gap-3 py-2 text-sm">
                                    <a class="font-medium text-fg hover:text-accent" href=f.url() download=f.filename.clone()>{f.filename.clone()}</a>
                                    <span class="text-muted">{human_size(f.size_bytes)}</span>
                                    <span class="text-xs text-faint">{fmt_time(f.created_at)}{f.uploaded_by_name.clone().map(|n| format!(" · {n}"))}</span>
                                    {move || may_delete.get().then(|| {
                                        let f = f2.clone();
                                        view! { <button type="button" class=format!("{BTN_GHOST} ml-auto") on:click=move |_| remove(f.clone())>"Remove"</button> }
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </div>
    }
}

mod browser {
    #[allow(unused_imports)]
    use super::*;

    #[cfg(feature = "hydrate")]
    use crate::ui::http::{error_from, send};

    #[cfg(feature = "hydrate")]
    pub async fn upload(id: uuid::Uuid, file: &web_sys::File) -> Result<DocumentFile, AppError> {
        let form = web_sys::FormData::new().map_err(|e| AppError::Transport(format!("{e:?}")))?;
        form.append_with_blob_and_filename("file", file, &file.name())
            .map_err(|e| AppError::Transport(format!("{e:?}")))?;
        let (status, text) = send("POST", &format!("/docs/{id}/files"), Some(&form.into()), None).await?;
        if (200..300).contains(&status) {
            serde_json::from_str(&text).map_err(|e| AppError::Transport(e.to_string()))
        } else {
            Err(error_from(status, &text))
        }
    }

    pub async fn remove(_id: uuid::Uuid) -> Result<(), AppError> {
        #[cfg(feature = "hydrate")]
        {
            let (status, text) = send("DELETE", &format!("/attachments/{_id}"), None, None).await?;
            if !(200..300).contains(&status) {
                return Err(error_from(status, &text));
            }
        }
        Ok(())
    }
}
