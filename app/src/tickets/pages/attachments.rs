//! Files in the ticket view: download links under comments (and the description),
//! and the "Attach" control of the reply box with the list of files waiting to be
//! sent. Files go up through `POST /desk/tickets/{number}/attachments` (plain
//! multipart, not a server function) as soon as they are chosen; their ids travel
//! with the reply.
use crate::error::AppError;
use crate::tickets::attachments::model::{human_size, Attachment};
use crate::tickets::model::TicketNumber;
use crate::ui::*;
use leptos::prelude::*;

/// Download links with sizes.
#[component]
pub fn AttachmentList(files: Vec<Attachment>) -> impl IntoView {
    (!files.is_empty()).then(|| {
        view! {
            <ul class="mt-2 flex flex-wrap gap-2" data-testid="attachments">
                {files.into_iter().map(|f| view! {
                    <li>
                        <a class="inline-flex items-center gap-1.5 rounded-md border border-line bg-bg px-2 py-1 text-xs text-fg hover:border-accent"
                            href=f.url() download=f.filename.clone()>
                            <span>{f.filename.clone()}</span>
                            <span class="text-muted">{human_size(f.size_bytes)}</span>
                        </a>
                    </li>
                }).collect_view()}
            </ul>
        }
    })
}

/// The files chosen for the reply being written. Restored from the server when the
/// ticket opens (they were uploaded already), emptied when the reply is sent.
#[component]
pub fn PendingFiles(number: Memo<TicketNumber>, pending: RwSignal<Vec<Attachment>>) -> impl IntoView {
    let error = RwSignal::new(None::<AppError>);
    let uploading = RwSignal::new(0usize);
    Effect::new(move |_| {
        let n = number.get();
        pending.set(Vec::new());
        leptos::task::spawn_local(async move {
            if let Ok(files) = crate::tickets::attachments::api::pending_attachments(n).await {
                if number.get_untracked() == n {
                    pending.set(files);
                }
            }
        });
    });
    let on_choose = move |ev: leptos::ev::Event| {
        upload_chosen(ev, number.get_untracked(), "reply", uploading, move |r| match r {
            Ok(a) => {
                error.set(None);
                pending.update(|p| p.push(a));
            }
            Err(e) => error.set(Some(e)),
        })
    };
    let remove = move |id: uuid::Uuid| {
        leptos::task::spawn_local(async move {
            match browser::remove(id).await {
                Ok(()) => pending.update(|p| p.retain(|a| a.id != id)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <div class="mt-3 space-y-2">
            <ErrorNotice error=error />
            <ul class="flex flex-wrap gap-2" data-testid="pending-files">
                <For each=move || pending.get() key=|a| a.id let:a>
                    <li class="inline-flex items-center gap-1.5 rounded-md border border-line bg-bg px-2 py-1 text-xs text-fg">
                        <span>{a.filename.clone()}</span>
                        <span class="text-muted">{human_size(a.size_bytes)}</span>
                        <button type="button" class="text-muted hover:text-danger" aria-label=format!("Remove {}", a.filename)
                            on:click=move |_| remove(a.id)>"×"</button>
                    </li>
                </For>
            </ul>
            <label class=format!("{BTN_GHOST} cursor-pointer")>
                {move || if uploading.get() > 0 { "Uploading…" } else { "Attach files" }}
                <input type="file" multiple class="sr-only" data-testid="attach-input" on:change=on_choose />
            </label>
        </div>
    }
}

/// "Attach to description": files shown under the ticket's opening entry. They are
/// attached at once; the ticket reloads through its live event.
// The number is only read by the browser's upload.
#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
#[component]
pub fn DescriptionUpload(number: Memo<TicketNumber>) -> impl IntoView {
    let error = RwSignal::new(None::<AppError>);
    let uploading = RwSignal::new(0usize);
    let on_choose = move |ev: leptos::ev::Event| {
        upload_chosen(ev, number.get_untracked(), "description", uploading, move |r| error.set(r.err()))
    };
    view! {
        <div>
            <ErrorNotice error=error />
            <label class=format!("{BTN_GHOST} cursor-pointer")>
                {move || if uploading.get() > 0 { "Uploading…" } else { "Attach to description" }}
                <input type="file" multiple class="sr-only" data-testid="describe-input" on:change=on_choose />
            </label>
        </div>
    }
}

/// The upload and removal requests (browser only; server functions are JSON).
/// Uploads every file chosen in the `<input type=file>` behind `ev` (`to`: "reply"
/// or "description"), counting them in `uploading` and handing each result to `done`.
#[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
fn upload_chosen(
    ev: leptos::ev::Event,
    number: TicketNumber,
    to: &'static str,
    uploading: RwSignal<usize>,
    done: impl Fn(Result<Attachment, AppError>) + Copy + 'static,
) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(list) = input.files() else { return };
        for i in 0..list.length() {
            let Some(file) = list.get(i) else { continue };
            uploading.update(|u| *u += 1);
            leptos::task::spawn_local(async move {
                let r = browser::upload(number, &file, to).await;
                uploading.update(|u| *u -= 1);
                done(r);
            });
        }
        // The same file can be chosen again after removing it.
        input.set_value("");
    }
}

mod browser {
    use super::*;

    #[cfg(feature = "hydrate")]
    use crate::ui::http::{error_from, send};

    #[cfg(feature = "hydrate")]
    pub async fn upload(number: TicketNumber, file: &web_sys::File, to: &str) -> Result<Attachment, AppError> {
        let form = web_sys::FormData::new().map_err(|e| AppError::Transport(format!("{e:?}")))?;
        form.append_with_blob_and_filename("file", file, &file.name())
            .map_err(|e| AppError::Transport(format!("{e:?}")))?;
        let (status, text) =
            send("POST", &format!("/desk/tickets/{}/attachments?to={to}", number.0), Some(&form.into()), None).await?;
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
