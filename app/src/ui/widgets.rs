//! Small building blocks with one look: buttons, inputs, cards, badges, notices.
use crate::error::AppError;
use leptos::prelude::*;

pub const BTN_PRIMARY: &str = "inline-flex items-center justify-center gap-2 rounded-md bg-accent px-3.5 py-2 text-sm font-medium text-white shadow-sm hover:brightness-110 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent focus-visible:ring-offset-2 focus-visible:ring-offset-bg disabled:opacity-50 disabled:cursor-not-allowed";
pub const BTN_SECONDARY: &str = "inline-flex items-center justify-center gap-2 rounded-md border border-line bg-surface px-3.5 py-2 text-sm font-medium text-fg hover:bg-raised focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent disabled:opacity-50";
pub const BTN_DANGER: &str = "inline-flex items-center justify-center gap-2 rounded-md border border-danger/40 px-3 py-1.5 text-sm font-medium text-danger hover:bg-danger/10 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-danger";
pub const BTN_GHOST: &str = "inline-flex items-center gap-1.5 rounded-md px-2 py-1.5 text-sm text-muted hover:bg-raised hover:text-fg focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-accent";
pub const INPUT: &str = "block w-full rounded-md border border-line bg-bg px-3 py-2 text-sm text-fg placeholder:text-faint shadow-sm focus:border-accent focus:outline-none focus:ring-2 focus:ring-accent/40";
pub const LABEL: &str = "block text-sm font-medium text-fg mb-1.5";
pub const CARD: &str = "rounded-lg border border-line bg-surface shadow-sm";
pub const TH: &str = "px-4 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-muted";
pub const TD: &str = "px-4 py-3 text-sm";

/// Page title with optional description and actions on the right.
#[component]
pub fn PageHeader(
    #[prop(into)] title: Signal<String>,
    #[prop(optional, into)] description: Option<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <header class="mb-6 flex flex-wrap items-end justify-between gap-4">
            <div>
                <h1 class="text-2xl font-semibold tracking-tight text-fg">{move || title.get()}</h1>
                {description.map(|d| view! { <p class="mt-1 text-sm text-muted">{d}</p> })}
            </div>
            <div class="flex items-center gap-2">{children.map(|c| c())}</div>
        </header>
    }
}

/// A titled card section.
#[component]
pub fn Section(
    #[prop(into)] title: String,
    #[prop(optional, into)] description: Option<String>,
    children: Children,
) -> impl IntoView {
    view! {
        <section class=format!("{CARD} mb-6")>
            <div class="border-b border-line px-5 py-4">
                <h2 class="text-base font-semibold text-fg">{title}</h2>
                {description.map(|d| view! { <p class="mt-0.5 text-sm text-muted">{d}</p> })}
            </div>
            <div class="px-5 py-5">{children()}</div>
        </section>
    }
}

#[component]
pub fn Badge(#[prop(into)] text: String, #[prop(optional)] tone: Tone) -> impl IntoView {
    let tone = match tone {
        Tone::Neutral => "bg-raised text-muted ring-line",
        Tone::Good => "bg-good/10 text-good ring-good/30",
        Tone::Warn => "bg-warn/10 text-warn ring-warn/30",
        Tone::Bad => "bg-danger/10 text-danger ring-danger/30",
        Tone::Accent => "bg-accent/15 text-accent ring-accent/30",
    };
    view! { <span class=format!("inline-flex items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset {tone}")>{text}</span> }
}

#[derive(Clone, Copy, Default, PartialEq)]
pub enum Tone {
    #[default]
    Neutral,
    Good,
    Warn,
    Bad,
    Accent,
}

/// A red notice for a failed action.
#[component]
pub fn ErrorNotice(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().map(|e| {
            view! {
                <div role="alert" class="mb-4 rounded-md border border-danger/40 bg-danger/10 px-4 py-3 text-sm text-danger">
                    {e.to_string()}
                </div>
            }
        })
    }
}

/// A green notice for a completed action.
#[component]
pub fn SuccessNotice(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    move || {
        message.get().map(|m| {
            view! { <div role="status" class="mb-4 rounded-md border border-good/40 bg-good/10 px-4 py-3 text-sm text-good">{m}</div> }
        })
    }
}

/// A friendly empty state.
#[component]
pub fn EmptyState(
    #[prop(into)] title: String,
    #[prop(into)] body: String,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="flex flex-col items-center justify-center rounded-lg border border-dashed border-line px-6 py-16 text-center">
            <div class="mb-4 flex h-12 w-12 items-center justify-center rounded-full bg-accent/15 text-accent">
                <svg class="h-6 w-6" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" aria-hidden="true">
                    <path stroke-linecap="round" stroke-linejoin="round" d="M3 7.5 12 3l9 4.5M3 7.5v9L12 21m-9-13.5L12 12m9-4.5v9L12 21m9-13.5L12 12m0 0v9" />
                </svg>
            </div>
            <h3 class="text-base font-semibold text-fg">{title}</h3>
            <p class="mt-1 max-w-md text-sm text-muted">{body}</p>
            {children.map(|c| view! { <div class="mt-6">{c()}</div> })}
        </div>
    }
}

/// A centred loading line for Suspense fallbacks.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <div class="px-4 py-10 text-center text-sm text-muted" aria-busy="true">"Loading…"</div> }
}

/// Keyboard key hint.
#[component]
pub fn Kbd(#[prop(into)] k: String) -> impl IntoView {
    view! { <kbd class="rounded border border-line bg-raised px-1.5 py-0.5 font-mono text-[11px] text-muted">{k}</kbd> }
}

/// Formats a timestamp for tables (UTC, minute precision).
pub fn fmt_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// Compact timestamp for dense tables, e.g. "Nov 26 15:24".
pub fn fmt_short(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%b %d %H:%M").to_string()
}

/// The message of a failed result, if any (for notices).
pub fn error_of<T: Clone>(r: Option<Result<T, AppError>>) -> Option<AppError> {
    r.and_then(|r| r.err())
}

/// Asks the user to confirm a destructive action (always true outside the browser).
pub fn confirm(message: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window().and_then(|w| w.confirm_with_message(message).ok()).unwrap_or(false)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = message;
        true
    }
}

/// Percent-encodes a query-string value (unreserved characters and `/` stay).
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Today's date (UTC). In the browser from the JS clock: `std::time` panics in WASM.
pub fn today() -> chrono::NaiveDate {
    #[cfg(feature = "hydrate")]
    {
        chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64).map(|d| d.date_naive()).unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        chrono::Utc::now().date_naive()
    }
}

/// A labelled text input bound to a getter and a setter.
#[component]
pub fn Field(
    #[prop(into)] label: String,
    #[prop(into)] value: Signal<String>,
    set: Callback<String>,
    #[prop(optional, into)] kind: Option<String>,
    #[prop(optional, into)] testid: Option<String>,
    #[prop(optional, into)] error: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let kind = kind.unwrap_or_else(|| "text".into());
    view! {
        <label class="block">
            <span class=LABEL>{label}</span>
            <input type=kind class=INPUT data-testid=testid prop:value=move || value.get()
                on:input=move |ev| set.run(event_target_value(&ev)) />
            {move || error.and_then(|e| e.get()).map(|m| view! { <span class="mt-1 block text-xs text-danger">{m}</span> })}
        </label>
    }
}

/// The message a validation error has for one form field.
pub fn field_error(error: RwSignal<Option<AppError>>, name: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || match error.get() {
        Some(AppError::Validation { fields, .. }) => fields.get(name).cloned(),
        _ => None,
    })
}
