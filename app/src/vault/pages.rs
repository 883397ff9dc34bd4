//! `/vault` and `/vault/:id`: credentials, searchable by name, username and URL;
//! secrets shown only after a reason is given, for a limited time; TOTP codes
//! counted down and refetched; the seed never reaches the browser.
use super::api::{
    current_totp, delete_credential, generate_password, get_credential, import_totp_qr, list_credentials,
    reveal_password, save_credential,
};
use super::model::{
    Credential, CredentialCursor, CredentialInput, CredentialSummary, ExpiryState, PasswordOptions, RevealPurpose,
    SecretChange, MIN_REASON,
};
use crate::auth::model::Permission;
use crate::context::use_session;
use crate::error::AppError;
use crate::settings::model::Module;
use crate::ui::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

/// A one-second tick while the page is open (the browser only).
pub(crate) fn ticker() -> RwSignal<u64> {
    let tick = RwSignal::new(0u64);
    Effect::new(move |_| {
        if let Ok(h) = set_interval_with_handle(move || tick.update(|t| *t += 1), std::time::Duration::from_secs(1)) {
            on_cleanup(move || h.clear());
        }
    });
    tick
}

/// Writes text to the clipboard (navigator.clipboard.writeText).
pub(crate) fn copy_to_clipboard(text: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(w) = web_sys::window() {
            let nav = w.navigator();
            if let Ok(cb) = js_sys::Reflect::get(&nav, &"clipboard".into()) {
                if let Ok(f) = js_sys::Reflect::get(&cb, &"writeText".into()) {
                    if let Some(f) = f.dyn_ref::<js_sys::Function>() {
                        let _ = f.call1(&cb, &text.into());
                    }
                }
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = text;
}

/// The rotation badge of a credential: amber within 30 days, red on or after the date.
pub(crate) fn expiry_badge(state: ExpiryState, date: Option<chrono::NaiveDate>) -> impl IntoView {
    date_badge(state, date, "Rotate by", "Rotation overdue since")
}

/// The same badge with other words (e.g. a license's expiry).
pub(crate) fn date_badge(
    state: ExpiryState,
    date: Option<chrono::NaiveDate>,
    soon: &'static str,
    due: &'static str,
) -> impl IntoView {
    let d = date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    match state {
        ExpiryState::Ok => None,
        ExpiryState::Soon => Some(view! { <Badge text=format!("{soon} {d}") tone=Tone::Warn /> }.into_any()),
        ExpiryState::Due => Some(view! { <Badge text=format!("{due} {d}") tone=Tone::Bad /> }.into_any()),
    }
}

/// Asks why a secret is needed; confirms with the trimmed reason.
#[component]
pub(crate) fn ReasonDialog(
    #[prop(into)] title: String,
    on_confirm: Callback<String>,
    on_close: Callback<()>,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let short = move || reason.get().trim().chars().count() < MIN_REASON;
    let label = title.clone();
    view! {
        <div class="fixed inset-0 z-50 flex items-start justify-center bg-black/50 px-4 pt-32" on:click=move |_| on_close.run(())>
            <form role="dialog" aria-modal="true" aria-label=label data-testid="reason-dialog"
                class="w-full max-w-md rounded-xl border border-line bg-surface p-5 shadow-2xl"
                on:click=|ev| ev.stop_propagation()
                on:submit=move |ev| { ev.prevent_default(); if !short() { on_confirm.run(reason.get_untracked().trim().to_string()); } }>
                <h2 class="text-base font-semibold text-fg">{title}</h2>
                <p class="mt-1 text-sm text-muted">"Say why you need it. The reason is kept in the audit log."</p>
                <label for="reveal-reason" class=format!("{LABEL} mt-4")>"Reason"</label>
                <input id="reveal-reason" class=INPUT autofocus=true autocomplete="off" placeholder="e.g. restarting the router for TKT-42"
                    bind:value=reason />
                <p class="mt-1 text-xs text-faint">{format!("At least {MIN_REASON} characters.")}</p>
                <div class="mt-4 flex justify-end gap-2">
                    <button type="button" class=BTN_SECONDARY on:click=move |_| on_close.run(())>"Cancel"</button>
                    <button type="submit" class=BTN_PRIMARY disabled=short>"Continue"</button>
                </div>
            </form>
        </div>
    }
}

/// Which secret a reveal box shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum RevealTarget {
    Password(uuid::Uuid),
    LicenseKey(uuid::Uuid),
}

/// A masked secret with Reveal and Copy (VaultReveal), each asking for a reason.
#[component]
pub(crate) fn SecretBox(target: RevealTarget, present: bool) -> impl IntoView {
    let session = use_session();
    let may = move || session.current().is_some_and(|u| u.can(Permission::VaultReveal));
    let asking = RwSignal::new(None::<RevealPurpose>);
    let shown = RwSignal::new(None::<(String, u64)>);
    let copied = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let tick = ticker();
    Effect::new(move |_| {
        let t = tick.get();
        if shown.with_untracked(|s| s.as_ref().is_some_and(|(_, until)| t >= *until)) {
            shown.set(None);
            copied.set(false);
        }
    });
    let run = move |purpose: RevealPurpose, reason: String| {
        asking.set(None);
        error.set(None);
        leptos::task::spawn_local(async move {
            let r = match target {
                RevealTarget::Password(id) => reveal_password(id, reason, purpose).await,
                RevealTarget::LicenseKey(id) => crate::licenses::api::reveal_license_key(id, reason, purpose).await,
            };
            match r {
                Ok(r) => {
                    let until = tick.get_untracked() + u64::from(r.visible_seconds);
                    if purpose == RevealPurpose::Copy {
                        copy_to_clipboard(&r.secret);
                        copied.set(true);
                        shown.set(Some(("••••••••••••".into(), until.min(tick.get_untracked() + 5))));
                    } else {
                        shown.set(Some((r.secret, until)));
                    }
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    if !present {
        return view! { <span class="text-sm text-faint">"Not set"</span> }.into_any();
    }
    view! {
        <div class="flex flex-wrap items-center gap-2">
            <code data-testid="secret" class="rounded bg-raised px-2 py-1 font-mono text-sm text-fg select-all">
                {move || shown.get().map(|(s, _)| s).unwrap_or_else(|| "••••••••••••".into())}
            </code>
            {move || shown.get().map(|(_, until)| {
                let left = until.saturating_sub(tick.get());
                view! { <span class="text-xs text-faint">{if copied.get() { "Copied to the clipboard".to_string() } else { format!("hidden in {left} s") }}</span> }
            })}
            <Show when=may fallback=|| view! { <span class="text-xs text-faint">"Team leads and up can reveal it."</span> }>
                <button type="button" class=BTN_GHOST on:click=move |_| asking.set(Some(RevealPurpose::Reveal))>"Reveal"</button>
                <button type="button" class=BTN_GHOST on:click=move |_| asking.set(Some(RevealPurpose::Copy))>"Copy"</button>
            </Show>
        </div>
        <ErrorNotice error=error />
        {move || asking.get().map(|p| view! {
            <ReasonDialog
                title=if p == RevealPurpose::Copy { "Copy the secret" } else { "Reveal the secret" }
                on_confirm=Callback::new(move |reason| run(p, reason))
                on_close=Callback::new(move |_| asking.set(None)) />
        })}
    }
    .into_any()
}

#[component]
pub fn VaultPage() -> impl IntoView {
    view! {
        <Guarded permission=Permission::DeskView module=Module::Vault>
            <Title text="Vault" />
            <VaultList />
        </Guarded>
    }
}

#[component]
fn VaultList() -> impl IntoView {
    let search = RwSignal::new(String::new());
    let list = KeysetList::<CredentialSummary, CredentialCursor>::new();
    let creating = RwSignal::new(false);
    let load = move |more: bool| {
        let q = search.get_untracked();
        list.load(more, move |after| async move { list_credentials(q, after).await.map(|p| (p.items, p.next)) });
    };
    Effect::new(move |_| {
        search.track();
        load(false);
    });
    let navigate = use_navigate();
    view! {
        <PageHeader title="Vault" description="Shared credentials with encrypted passwords and TOTP seeds.">
            <button type="button" class=BTN_PRIMARY on:click=move |_| creating.update(|c| *c = !*c)>"New credential"</button>
        </PageHeader>
        <ErrorNotice error=list.error />
        {move || creating.get().then(|| {
            let navigate = navigate.clone();
            view! {
                <Section title="New credential">
                    <CredentialForm initial=None on_saved=Callback::new(move |c: Credential| navigate(&format!("/vault/{}", c.id), Default::default())) />
                </Section>
            }
        })}
        <input type="search" class=format!("{INPUT} mb-4 max-w-md") placeholder="Search name, username or URL…" aria-label="Search credentials"
            on:input=move |ev| search.set(event_target_value(&ev)) prop:value=move || search.get() />
        <div class=CARD>
            <table class="w-full">
                <thead class="border-b border-line"><tr>
                    <th class=TH>"Name"</th><th class=TH>"Username"</th><th class=TH>"URL"</th><th class=TH>"Secrets"</th><th class=TH>"Rotation"</th>
                </tr></thead>
                <tbody class="divide-y divide-line">
                    <For each=move || list.all() key=|c| (c.id, c.updated_at) let:c>
                        <tr data-testid="credential-row">
                            <td class=TD><a class="font-medium text-accent hover:underline" href=format!("/vault/{}", c.id)>{c.name.clone()}</a></td>
                            <td class=format!("{TD} text-muted")>{c.username.clone()}</td>
                            <td class=format!("{TD} text-muted truncate max-w-xs")>{c.url.clone()}</td>
                            <td class=format!("{TD} space-x-1")>
                                {c.has_password.then(|| view! { <Badge text="password" /> })}
                                {c.has_totp.then(|| view! { <Badge text="TOTP" tone=Tone::Accent /> })}
                            </td>
                            <td class=TD>{expiry_badge(c.expiry, c.expires_on)}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
            {move || list.is_empty().then(|| view! { <p class="px-4 py-8 text-center text-sm text-muted">"No credentials match."</p> })}
        </div>
        <Show when=move || list.next.with(Option::is_some)>
            <div class="mt-4 text-center">
                <button type="button" class=BTN_SECONDARY on:click=move |_| load(true)>"Load more"</button>
            </div>
        </Show>
    }
}

/// Create (`initial: None`) or edit a credential.
#[component]
fn CredentialForm(initial: Option<Credential>, on_saved: Callback<Credential>) -> impl IntoView {
    let session = use_session();
    let may_change_secrets = move || session.current().is_some_and(|u| u.can(Permission::VaultReveal));
    let id = initial.as_ref().map(|c| c.id);
    let is_new = id.is_none();
    let get = |f: fn(&Credential) -> String| RwSignal::new(initial.as_ref().map(f).unwrap_or_default());
    let name = get(|c| c.name.clone());
    let username = get(|c| c.username.clone());
    let url = get(|c| c.url.clone());
    let notes = get(|c| c.notes.clone());
    let expires_on = get(|c| c.expires_on.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default());
    let password = RwSignal::new(String::new());
    let clear_password = RwSignal::new(false);
    let totp = RwSignal::new(String::new());
    let clear_totp = RwSignal::new(false);
    let options = RwSignal::new(PasswordOptions::default());
    let show_password = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let generate = move |_| {
        let o = options.get_untracked();
        leptos::task::spawn_local(async move {
            match generate_password(o).await {
                Ok(p) => {
                    password.set(p);
                    show_password.set(true);
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let change = |v: RwSignal<String>, clear: RwSignal<bool>| {
            if clear.get_untracked() {
                SecretChange::Clear
            } else if v.get_untracked().is_empty() {
                SecretChange::Keep
            } else {
                SecretChange::Set(v.get_untracked())
            }
        };
        let input = CredentialInput {
            id,
            name: name.get_untracked(),
            username: username.get_untracked(),
            url: url.get_untracked(),
            notes: notes.get_untracked(),
            expires_on: expires_on.get_untracked(),
            password: change(password, clear_password),
            totp: change(totp, clear_totp),
        };
        leptos::task::spawn_local(async move {
            match save_credential(input).await {
                Ok(c) => {
                    password.set(String::new());
                    totp.set(String::new());
                    error.set(None);
                    on_saved.run(c);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let opt = move |f: fn(&mut PasswordOptions, bool), get: fn(&PasswordOptions) -> bool, label: &'static str| {
        view! {
            <label class="inline-flex items-center gap-1.5 text-xs text-muted">
                <input type="checkbox" prop:checked=move || get(&options.get()) on:change=move |ev| options.update(|o| f(o, event_target_checked(&ev))) />
                {label}
            </label>
        }
    };
    let secrets_editable = move || is_new || may_change_secrets();
    view! {
        <form class="grid max-w-2xl gap-4" on:submit=submit data-testid="credential-form">
            <ErrorNotice error=error />
            <div class="grid gap-4 sm:grid-cols-2">
                <div><label class=LABEL for="c-name">"Name"</label><input id="c-name" class=INPUT required=true bind:value=name /></div>
                <div><label class=LABEL for="c-username">"Username"</label><input id="c-username" class=INPUT autocomplete="off" bind:value=username /></div>
                <div><label class=LABEL for="c-url">"URL"</label><input id="c-url" class=INPUT type="url" bind:value=url /></div>
                <div><label class=LABEL for="c-expires">"Rotate by"</label><input id="c-expires" class=INPUT type="date" bind:value=expires_on /></div>
            </div>
            <div><label class=LABEL for="c-notes">"Notes"</label><textarea id="c-notes" class=INPUT rows="3" bind:value=notes></textarea></div>
            <Show when=secrets_editable fallback=|| view! { <p class="text-sm text-muted">"Team leads and up change passwords and TOTP seeds."</p> }>
                <div>
                    <label class=LABEL for="c-password">{if is_new { "Password" } else { "New password (leave empty to keep)" }}</label>
                    <div class="flex gap-2">
                        <input id="c-password" class=INPUT autocomplete="new-password" type=move || if show_password.get() { "text" } else { "password" }
                            bind:value=password />
                        <button type="button" class=BTN_SECONDARY on:click=generate data-testid="generate">"Generate"</button>
                    </div>
                    <div class="mt-2 flex flex-wrap items-center gap-3">
                        <label class="inline-flex items-center gap-1.5 text-xs text-muted">"Length"
                            <input type="number" min="8" max="128" class="w-16 rounded border border-line bg-bg px-1 text-xs"
                                prop:value=move || options.get().length.to_string()
                                on:input=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(20); options.update(|o| o.length = v); } />
                        </label>
                        {opt(|o, v| o.lower = v, |o| o.lower, "a-z")}
                        {opt(|o, v| o.upper = v, |o| o.upper, "A-Z")}
                        {opt(|o, v| o.digits = v, |o| o.digits, "0-9")}
                        {opt(|o, v| o.symbols = v, |o| o.symbols, "symbols")}
                        {opt(|o, v| o.avoid_ambiguous = v, |o| o.avoid_ambiguous, "no look-alikes")}
                        {(!is_new).then(|| view! {
                            <label class="inline-flex items-center gap-1.5 text-xs text-danger">
                                <input type="checkbox" bind:checked=clear_password />"Remove the password"
                            </label>
                        })}
                    </div>
                </div>
                <div>
                    <label class=LABEL for="c-totp">"TOTP (otpauth:// URI)"</label>
                    <input id="c-totp" class=INPUT autocomplete="off" placeholder="otpauth://totp/Issuer:account?secret=…" bind:value=totp />
                    {(!is_new).then(|| view! {
                        <label class="mt-2 inline-flex items-center gap-1.5 text-xs text-danger">
                            <input type="checkbox" bind:checked=clear_totp />"Remove the TOTP seed"
                        </label>
                    })}
                </div>
            </Show>
            <div><button type="submit" class=BTN_PRIMARY>{if is_new { "Create" } else { "Save" }}</button></div>
        </form>
    }
}

#[component]
pub fn CredentialView() -> impl IntoView {
    view! {
        <Guarded permission=Permission::DeskView module=Module::Vault>
            <CredentialDetail />
        </Guarded>
    }
}

#[component]
fn CredentialDetail() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| uuid::Uuid::parse_str(&s).ok()).unwrap_or_default();
    let version = RwSignal::new(0u64);
    let cred = Resource::new(move || (id(), version.get()), |(id, _)| get_credential(id));
    let session = use_session();
    let may_delete = move || session.current().is_some_and(|u| u.can(Permission::RecordsDelete));
    let editing = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let navigate = use_navigate();
    let remove = move |_| {
        if !confirm("Delete this credential and its secrets?") {
            return;
        }
        let navigate = navigate.clone();
        let id = id();
        leptos::task::spawn_local(async move {
            match delete_credential(id).await {
                Ok(()) => navigate("/vault", Default::default()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new({
                let remove = remove.clone();
                async move {
                match cred.await {
                    Err(e) => view! { <Title text="Vault" /><ErrorNotice error=Signal::derive(move || Some(e.clone())) /> }.into_any(),
                    Ok(c) => {
                        let c2 = StoredValue::new(c.clone());
                        view! {
                            <Title text=c.name.clone() />
                            <PageHeader title=c.name.clone() description="Credential">
                                <a href="/vault" class=BTN_GHOST>"← Vault"</a>
                                <button type="button" class=BTN_SECONDARY on:click=move |_| editing.update(|e| *e = !*e)>"Edit"</button>
                                <Show when=may_delete>
                                    <button type="button" class=BTN_DANGER on:click=remove.clone()>"Delete"</button>
                                </Show>
                            </PageHeader>
                            <ErrorNotice error=error />
                            {move || editing.get().then(|| view! {
                                <Section title="Edit credential">
                                    <CredentialForm initial=Some(c2.get_value()) on_saved=Callback::new(move |_| { editing.set(false); version.update(|v| *v += 1); }) />
                                </Section>
                            })}
                            <Section title="Details">
                                <dl class="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[10rem_1fr]">
                                    <dt class="text-muted">"Username"</dt><dd class="text-fg">{c.username.clone()}</dd>
                                    <dt class="text-muted">"URL"</dt><dd class="text-fg break-all">{c.url.clone()}</dd>
                                    <dt class="text-muted">"Password"</dt><dd><SecretBox target=RevealTarget::Password(c.id) present=c.has_password /></dd>
                                    <dt class="text-muted">"TOTP"</dt><dd><TotpBox id=c.id present=c.has_totp on_changed=Callback::new(move |_| version.update(|v| *v += 1)) /></dd>
                                    <dt class="text-muted">"Rotate by"</dt>
                                    <dd class="flex items-center gap-2 text-fg">{c.expires_on.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_else(|| "—".into())}{expiry_badge(c.expiry, c.expires_on)}</dd>
                                    <dt class="text-muted">"Notes"</dt><dd class="whitespace-pre-wrap text-fg">{c.notes.clone()}</dd>
                                    <dt class="text-muted">"Updated"</dt><dd class="text-muted">{fmt_time(c.updated_at)}</dd>
                                </dl>
                            </Section>
                            <crate::links::LinksPanel kind=crate::links::model::RecordKind::Credential id=c.id />
                        }
                        .into_any()
                    }
                }
            }})}
        </Suspense>
    }
}

/// The TOTP code (after a reason), counted down and refetched each period; and
/// setting the seed from a QR image.
#[component]
fn TotpBox(id: uuid::Uuid, present: bool, on_changed: Callback<()>) -> impl IntoView {
    let session = use_session();
    let may = move || session.current().is_some_and(|u| u.can(Permission::VaultReveal));
    let reason = RwSignal::new(None::<String>);
    let asking = RwSignal::new(false);
    // (code, tick at which it expires)
    let code = RwSignal::new(None::<(String, u64)>);
    let error = RwSignal::new(None::<AppError>);
    let fetches = RwSignal::new(0u32);
    let tick = ticker();
    let fetch = move || {
        let Some(r) = reason.get_untracked() else { return };
        fetches.update(|f| *f += 1);
        leptos::task::spawn_local(async move {
            match current_totp(id, r).await {
                Ok(c) => code.set(Some((c.code, tick.get_untracked() + u64::from(c.seconds_remaining)))),
                Err(e) => {
                    code.set(None);
                    error.set(Some(e));
                }
            }
        });
    };
    // Refetch when the code expires, for up to 10 periods after the reason was given.
    Effect::new(move |_| {
        let t = tick.get();
        if code.with_untracked(|c| c.as_ref().is_some_and(|(_, until)| t >= *until)) {
            code.set(None);
            if fetches.get_untracked() < 10 {
                fetch();
            } else {
                reason.set(None);
            }
        }
    });
    let upload = Action::new_local(move |data: &form_data::FormData| {
        let data = data.clone();
        async move { import_totp_qr(data.into()).await }
    });
    Effect::new(move |_| match upload.value().get() {
        Some(Ok(_)) => on_changed.run(()),
        Some(Err(e)) => error.set(Some(e)),
        None => {}
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
    view! {
        <div class="grid gap-2">
            {if present {
                view! {
                    <div class="flex items-center gap-3">
                        {move || match code.get() {
                            Some((c, until)) => view! {
                                <code data-testid="totp-code" class="rounded bg-raised px-2 py-1 font-mono text-lg tracking-widest text-fg">{c}</code>
                                <span class="text-xs text-faint">{move || format!("{} s", until.saturating_sub(tick.get()))}</span>
                            }.into_any(),
                            None => view! {
                                <Show when=may fallback=|| view! { <span class="text-sm text-muted">"Set (team leads and up see codes)"</span> }>
                                    <button type="button" class=BTN_GHOST on:click=move |_| asking.set(true)>"Show code"</button>
                                </Show>
                            }.into_any(),
                        }}
                    </div>
                }.into_any()
            } else {
                view! { <span class="text-sm text-faint">"Not set"</span> }.into_any()
            }}
            <Show when=may>
                <form class="flex items-center gap-2" on:submit=on_upload>
                    <input type="hidden" name="id" value=id.to_string() />
                    <input type="file" name="image" accept="image/png,image/jpeg" aria-label="QR code image"
                        class="text-xs text-muted file:mr-2 file:rounded-md file:border file:border-line file:bg-surface file:px-2 file:py-1 file:text-xs file:text-fg" />
                    <button type="submit" class=BTN_GHOST>"Set from QR image"</button>
                </form>
            </Show>
            <ErrorNotice error=error />
        </div>
        {move || asking.get().then(|| view! {
            <ReasonDialog title="Show the TOTP code"
                on_confirm=Callback::new(move |r| { asking.set(false); error.set(None); fetches.set(0); reason.set(Some(r)); fetch(); })
                on_close=Callback::new(move |_| asking.set(false)) />
        })}
    }
}

mod form_data {
    #[cfg(feature = "hydrate")]
    pub type FormData = web_sys::FormData;
    #[cfg(not(feature = "hydrate"))]
    #[derive(Clone)]
    pub struct FormData;
    #[cfg(not(feature = "hydrate"))]
    impl From<FormData> for leptos::server_fn::codec::MultipartData {
        fn from(_: FormData) -> Self {
            unreachable!("QR uploads run in the browser only")
        }
    }
}
