//! Organisation name, accent colour and logo.
use crate::context::use_settings;
use crate::settings::api::{upload_logo, RemoveLogo, UpdateBranding};
use crate::settings::model::Branding;
use crate::ui::{ErrorNotice, Section, SuccessNotice, BTN_PRIMARY, BTN_SECONDARY, INPUT, LABEL};
use leptos::prelude::*;

#[component]
pub fn BrandingSection(initial: Branding) -> impl IntoView {
    let settings = use_settings();
    let org = RwSignal::new(initial.org_name.clone());
    let accent = RwSignal::new(initial.accent.clone());
    let save = ServerAction::<UpdateBranding>::new();
    let remove = ServerAction::<RemoveLogo>::new();
    let upload = Action::new_local(|data: &web_sys_form::FormData| upload_logo(data.clone().into()));
    let error = Signal::derive(move || {
        save.value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| upload.value().get().and_then(|r| r.err()))
            .or_else(|| remove.value().get().and_then(|r| r.err()))
    });
    let saved = Signal::derive(move || save.value().get().and_then(|r| r.ok()).map(|_| "Branding saved.".to_string()));
    Effect::new(move |_| {
        let done = save.value().get().is_some_and(|r| r.is_ok())
            || upload.value().get().is_some_and(|r| r.is_ok())
            || remove.value().get().is_some_and(|r| r.is_ok());
        if done {
            settings.data.refetch();
        }
    });
    let on_upload = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(form) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok()) {
                if let Ok(data) = web_sys::FormData::new_with_form(&form) {
                    upload.dispatch_local(data);
                }
            }
        }
    };
    let logo = move || settings.current().branding.logo_version;
    view! {
        <Section title="Branding" description="Your organisation's name, colour and logo on every page and the sign-in screen.">
            <ErrorNotice error=error />
            <SuccessNotice message=saved />
            <form class="grid max-w-xl gap-4" on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(UpdateBranding { org_name: org.get_untracked(), accent: accent.get_untracked() });
            }>
                <div>
                    <label for="org_name" class=LABEL>"Organisation name"</label>
                    <input id="org_name" class=INPUT bind:value=org />
                </div>
                <div>
                    <label for="accent" class=LABEL>"Accent colour"</label>
                    <div class="flex items-center gap-3">
                        <input type="color" aria-label="Pick accent colour" class="h-9 w-12 cursor-pointer rounded border border-line bg-bg" bind:value=accent />
                        <input id="accent" class=format!("{INPUT} max-w-32 font-mono") bind:value=accent />
                    </div>
                </div>
                <div><button type="submit" class=BTN_PRIMARY disabled=move || save.pending().get()>"Save branding"</button></div>
            </form>
            <div class="mt-8 border-t border-line pt-6">
                <p class=LABEL>"Logo"</p>
                <div class="flex items-center gap-4">
                    {move || match logo() {
                        Some(v) => view! { <img src=format!("/branding/logo?v={v}") alt="Current logo" class="h-14 w-14 rounded-lg border border-line object-contain" /> }.into_any(),
                        None => view! { <div class="flex h-14 w-14 items-center justify-center rounded-lg border border-dashed border-line text-xs text-faint">"None"</div> }.into_any(),
                    }}
                    <form class="flex items-center gap-3" on:submit=on_upload>
                        <input type="file" name="logo" accept="image/png,image/jpeg,image/webp,image/svg+xml" class="text-sm text-muted file:mr-3 file:rounded-md file:border file:border-line file:bg-surface file:px-3 file:py-1.5 file:text-sm file:text-fg" />
                        <button type="submit" class=BTN_SECONDARY>"Upload"</button>
                    </form>
                    {move || logo().map(|_| view! {
                        <button type="button" class=BTN_SECONDARY on:click=move |_| { remove.dispatch(RemoveLogo {}); }>"Remove"</button>
                    })}
                </div>
                <p class="mt-2 text-xs text-faint">"PNG, JPEG, WebP or SVG, up to 512 KB."</p>
            </div>
        </Section>
    }
}

/// FormData exists only in the browser; on the server a placeholder type keeps
/// the component compiling (the action never runs there).
mod web_sys_form {
    #[cfg(feature = "hydrate")]
    pub type FormData = web_sys::FormData;
    #[cfg(not(feature = "hydrate"))]
    #[derive(Clone)]
    pub struct FormData;
    #[cfg(not(feature = "hydrate"))]
    impl From<FormData> for leptos::server_fn::codec::MultipartData {
        fn from(_: FormData) -> Self {
            unreachable!("logo upload runs in the browser only")
        }
    }
}
