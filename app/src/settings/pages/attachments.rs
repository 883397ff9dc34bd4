//! Attachment size limit.
use crate::tickets::attachments::api::{get_attachment_settings, UpdateAttachmentSettings};
use crate::tickets::attachments::model::MAX_SIZE_MB_CEILING;
use crate::ui::{ErrorNotice, Section, SuccessNotice, BTN_PRIMARY, INPUT, LABEL};
use leptos::prelude::*;

#[component]
pub fn AttachmentsSection() -> impl IntoView {
    let save = ServerAction::<UpdateAttachmentSettings>::new();
    let limit = RwSignal::new(String::new());
    // Loaded in the browser (effects do not run while rendering on the server).
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            if let Ok(s) = get_attachment_settings().await {
                limit.set(s.max_size_mb.to_string());
            }
        });
    });
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let saved = Signal::derive(move || {
        save.value().get().and_then(|r| r.ok()).map(|s| format!("Files up to {} MB are accepted.", s.max_size_mb))
    });
    view! {
        <Section title="Attachments" description="The largest file agents and requesters may attach to a ticket.">
            <ErrorNotice error=error />
            <SuccessNotice message=saved />
            <form class="flex max-w-xl items-end gap-3" on:submit=move |ev| {
                ev.prevent_default();
                match limit.get_untracked().trim().parse::<u32>() {
                    Ok(mb) => { save.dispatch(UpdateAttachmentSettings { max_size_mb: mb }); }
                    Err(_) => limit.set(String::new()),
                }
            }>
                <div class="grow">
                    <label for="max_size_mb" class=LABEL>"Largest file (MB)"</label>
                    <input id="max_size_mb" type="number" min="1" max=MAX_SIZE_MB_CEILING.to_string() class=INPUT bind:value=limit />
                </div>
                <button type="submit" class=BTN_PRIMARY disabled=move || save.pending().get()>"Save"</button>
            </form>
        </Section>
    }
}
